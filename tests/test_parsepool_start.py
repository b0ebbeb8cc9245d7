"""A parse worker does not run the parent's main script again (issue 11: the ``monitor``
console script imported the whole CLI in every worker of every poll, ~1 s of CPU each)."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

FEED = (
    b'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>'
    b"<link>https://news.example/</link><description>d</description>"
    b"<item><guid>g1</guid><link>https://news.example/a</link><title>A title</title>"
    b"<description>Some text.</description></item></channel></rss>"
)


def _feed_of(n: int) -> bytes:
    """FEED with ``n`` more items: a parse that takes a while."""
    items = b"".join(
        b"<item><guid>g%d</guid><title>Title %d</title><description>Text %d.</description></item>"
        % (i, i, i)
        for i in range(n)
    )
    return FEED.replace(b"</channel>", items + b"</channel>")


def test_a_worker_does_not_run_the_main_script_again(tmp_path: Path) -> None:
    marker = tmp_path / "main-ran-in-a-worker"
    feed = tmp_path / "feed.xml"
    feed.write_bytes(FEED)
    script = tmp_path / "main_script.py"
    script.write_text(
        textwrap.dedent(
            f"""
            import sys
            from pathlib import Path

            if __name__ != "__main__":  # run again in a child process (as __mp_main__)
                Path({str(marker)!r}).write_text(__name__)

            from monitor import parsepool

            if __name__ == "__main__":
                with parsepool.ParsePool(1) as pool:
                    job = parsepool.ParseJob(Path({str(feed)!r}).read_bytes(), "https://x/")
                    result = pool.submit(job).result(timeout=60)
                print(len(result.entries), __file__ == {str(script)!r})
            """
        ),
        encoding="utf-8",
    )
    out = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, timeout=120, check=True
    )
    assert out.stdout.split() == ["1", "True"]  # parsed; the parent's __file__ is back
    assert not marker.exists(), f"the worker ran the main script as {marker.read_text()}"


def test_a_prestarted_pool_has_its_workers_before_the_first_parse() -> None:
    import time

    from monitor import parsepool

    with parsepool.ParsePool(2, prestart=True) as pool:
        deadline = time.monotonic() + 60
        while len(pool._workers) < 2 and time.monotonic() < deadline:
            time.sleep(0.01)
        workers = list(pool._workers)
        assert len(workers) == 2 and all(w.process.is_alive() for w in workers)
        result = pool.submit(parsepool.ParseJob(FEED, "https://x/")).result(timeout=60)
        assert [e.title for e in result.entries] == ["A title"]
        assert pool._workers[0] in workers  # the parse ran on a worker started before it
    with parsepool.ParsePool(2) as lazy:
        time.sleep(0.2)
        assert lazy._workers == []  # without prestart, none until the first parse


def test_warm_starts_the_fork_server_before_any_pool(tmp_path: Path) -> None:
    """``monitor run`` warms the fork server while the database opens: the process is there
    before any pool exists, once however often it is warmed."""
    script = tmp_path / "warm_script.py"
    script.write_text(
        textwrap.dedent(
            """
            import os
            from pathlib import Path

            from monitor import parsepool

            def fork_servers():
                mine = str(os.getpid())
                out = 0
                for proc in Path("/proc").glob("[0-9]*"):
                    try:
                        parent = (proc / "stat").read_text().rsplit(")", 1)[1].split()[1]
                        command = (proc / "cmdline").read_bytes()
                    except OSError:
                        continue
                    out += parent == mine and b"forkserver" in command
                return out

            if __name__ == "__main__":
                before = fork_servers()
                parsepool.warm()
                parsepool.warm()  # once per process
                print(before, fork_servers())
            """
        ),
        encoding="utf-8",
    )
    out = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, timeout=120, check=True
    )
    before, after = out.stdout.split()
    assert (before, after) == ("0", "1")  # one fork server, started by warm()


def test_jobs_submitted_while_every_worker_parses_are_handed_out_as_workers_free_up() -> None:
    """``submit`` does not wake the dispatcher while every worker is busy: the jobs wait
    for a worker to finish, and none is left behind (a lost hand-out would hang here)."""
    import time

    from monitor import parsepool

    slow = parsepool.ParseJob(_feed_of(4000), "https://x/")
    with parsepool.ParsePool(1, prestart=True, slow_seconds=600) as pool:
        wakes: list[None] = []
        wake = pool._wake
        pool._wake = lambda: (wakes.append(None), wake())[1]  # type: ignore[method-assign]
        busy = pool.submit(slow)
        deadline = time.monotonic() + 60
        while not busy.running() and not busy.done() and time.monotonic() < deadline:
            time.sleep(0.001)
        before = len(wakes)
        futures = [pool.submit(parsepool.ParseJob(FEED, "https://x/")) for _ in range(20)]
        woken = len(wakes) - before
        still_busy = not busy.done()  # then its worker was busy through every submit
        assert len(busy.result(timeout=60).entries) == 500  # the newest 500 of 4,001
        assert [len(f.result(timeout=60).entries) for f in futures] == [1] * 20
    assert before >= 1  # the idle worker was woken for the first job
    assert still_busy, "the slow parse ended too soon to test anything"
    assert woken == 0


def test_a_slow_parse_gives_way_to_the_other_feeds() -> None:
    """A parse past ``slow_seconds`` is made lowest priority and another worker starts
    beside it: with one worker, the small feeds submitted behind a huge one are parsed
    while it still runs, and its worker is retired once it ends."""
    import os
    import time

    from monitor import parsepool

    huge = parsepool.ParseJob(_feed_of(40_000), "https://x/")
    with parsepool.ParsePool(1, prestart=True, slow_seconds=0.2) as pool:
        big = pool.submit(huge)
        small = [pool.submit(parsepool.ParseJob(FEED, "https://x/")) for _ in range(5)]
        quick_ones_to_come = pool.only_slow_left()
        assert [len(f.result(timeout=60).entries) for f in small] == [1] * 5
        huge_still_parsing = not big.done()
        only_the_huge_one_left = pool.only_slow_left()
        slowed = [w for w in pool._workers if w.slowed]
        nice = os.getpriority(os.PRIO_PROCESS, slowed[0].process.pid) if slowed else None
        assert len(big.result(timeout=120).entries) == 500
        deadline = time.monotonic() + 10
        while any(w.slowed for w in pool._workers) and time.monotonic() < deadline:
            time.sleep(0.01)
        left = list(pool._workers)
    assert huge_still_parsing, "the small feeds waited for the huge one"
    assert not quick_ones_to_come and only_the_huge_one_left
    assert nice == 19
    assert left and not any(w.slowed for w in left)  # the slowed worker was retired
