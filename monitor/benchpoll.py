"""``monitor bench --poll N --latency S``: one poll cycle against its baselines, from one run.

N copies of the shipped sample feeds (``monitor/data/demo/*.xml``), or of the feed files
in a folder (``--feeds DIR``: captures of real feeds), each copy's links and identifiers
made its own so that every copy's articles are new, are served by a local server over
distinct loopback hosts (127.0.0.2, 127.0.0.3, ...; four feeds a host), in a process of
its own, with every answer (304s too) delayed S seconds and ETags honoured.  Printed
side by side:

- the sequential ``feedparser.parse(url)`` loop (how rss2email-like tools poll);
- the in-process ``feedparser.parse`` of the same bytes, on one core: the floor;
- the first cycle (every feed new) and the steady cycle (every feed answers 304):
  the poll alone, and the whole cycle (poll, judge, assess, alert, deliver), with wall
  time, CPU (this process plus the parse workers) and ratios to the floor.

The bench's database is a fresh SQLite file in a temporary folder; its watchlist is the
given one's commitments with the bench feeds, private addresses allowed (the hosts are
loopback).  Figures depend on the machine and on what else runs on it.
"""

from __future__ import annotations

import gc
import hashlib
import http.server
import multiprocessing
import re
import resource
import socket
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import quote

import feedparser  # type: ignore[import-untyped, unused-ignore]
import yaml

from monitor.errors import InputError

FEEDS_PER_HOST = 4


@dataclass(frozen=True)
class BenchFeed:
    host: str
    path: str
    body: bytes
    etag: str


FEED_SUFFIXES = (".xml", ".rss", ".atom")


def sample_bodies(folder: Path | None = None) -> list[tuple[str, bytes]]:
    """The feed files to serve, (file name, bytes): the shipped demo feeds, or every
    ``.xml``, ``.rss`` and ``.atom`` file under ``folder`` (captures of real feeds)."""
    if folder is None:
        demo = resources.files("monitor") / "data" / "demo"
        return [
            (p.name, p.read_bytes())
            for p in sorted(demo.iterdir(), key=lambda p: p.name)
            if p.name.endswith(".xml")
        ]
    files = sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix in FEED_SUFFIXES)
    if not files:
        raise InputError("--feeds", f"{folder}: no feed files (.xml, .rss, .atom) in it")
    return [(p.name, p.read_bytes()) for p in files]


# An entry's address where a feed gives it: <link>, <guid>, <id> (text, or CDATA) and
# <link href="...">; namespace declarations (xmlns="http://...") are left alone.  A guid
# or id that is not an address ("12345", "tag:...") is an identifier of its own.
_ADDRESS = re.compile(
    rb"(<(?:link|guid|id)\b[^>]*>\s*(?:<!\[CDATA\[\s*)?|<link\b[^>]*?\bhref=[\"'])(https?://)"
)
_IDENTIFIER = re.compile(rb"(<(?:guid|id)\b[^>/]*>\s*(?:<!\[CDATA\[\s*)?)(?!https?://)(?=[^<\s])")


def unique_links(body: bytes, copy: int) -> bytes:
    """The feed with copy ``copy``'s own addresses (host prefix ``c<copy>.``) and
    identifiers (prefix ``c<copy>-``): no two copies share an article."""
    body = _ADDRESS.sub(rb"\1\2c%d." % copy, body)
    return _IDENTIFIER.sub(rb"\1c%d-" % copy, body)


def bench_feeds(
    n: int, hosts: Sequence[str], folder: Path | None = None, first: int = 0
) -> list[BenchFeed]:
    """``n`` copies of the feed files (copies ``first`` on), spread over ``hosts``, each
    with its own links."""
    samples = sample_bodies(folder)
    out = []
    for i in range(first, first + n):
        name, body = samples[i % len(samples)]
        body = unique_links(body, i)
        etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
        out.append(BenchFeed(hosts[i % len(hosts)], f"/feeds/{i}/{quote(name)}", body, etag))
    return out


#: Empty elements in the hostile feed's one item: 4.9 MB that feedparser takes 20 s or more
#: of one core to parse (each element costs it a start and an end handler).  The feed is RSS
#: 0.92, which the fast reader (``monitor.fastrss``) leaves to feedparser.
HOSTILE_ELEMENTS = 1_220_000


def hostile_body(elements: int = HOSTILE_ELEMENTS) -> bytes:
    """A well-formed RSS feed, under the default 5 MB body limit, that is slow to parse."""
    return (
        b'<?xml version="1.0" encoding="utf-8"?><rss version="0.92"><channel>'
        b"<title>Hostile</title><item><title>One item</title>"
        b"<link>https://hostile.example/1</link>" + b"<a/>" * elements + b"</item></channel></rss>"
    )


def hostile_parse_seconds() -> float:
    """CPU seconds ``parse_feed`` would spend on the hostile feed (a twentieth, times 20)."""
    from monitor.parse import parse_feed

    body = hostile_body(HOSTILE_ELEMENTS // 20)
    cpu = _cpu()
    headers = {"content-type": "application/xml; charset=utf-8"}  # as the bench serves it
    parse_feed(body, url="https://hostile.example/feed", headers=headers)
    return 20 * (_cpu() - cpu)


def loopback_hosts(n_feeds: int) -> list[str]:
    """Distinct loopback addresses, one per ``FEEDS_PER_HOST`` feeds (at most 250)."""
    count = max(1, min(250, -(-n_feeds // FEEDS_PER_HOST)))
    return [f"127.0.0.{i + 2}" for i in range(count)]


# ---------------------------------------------------------------------------
# The server (a process of its own, so its CPU is not counted as the monitor's)
# ---------------------------------------------------------------------------


def _serve(
    feeds: list[BenchFeed], latency: float, ports: Any, ready: Any, stop: Any
) -> None:  # pragma: no cover - runs in the server process
    routes = {(f.host, f.path): f for f in feeds}

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        # headers and body are two writes: with Nagle's algorithm the body waits for the
        # client's delayed ACK (~40 ms a response), which no real server adds
        disable_nagle_algorithm = True

        def log_message(self, format: str, *args: Any) -> None:
            pass

        def do_GET(self) -> None:
            time.sleep(latency)
            host = str(self.connection.getsockname()[0])
            feed = routes.get((host, self.path.split("?", 1)[0]))
            if feed is None:
                self.send_response(404)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            if self.headers.get("If-None-Match") == feed.etag:
                self.send_response(304)
                self.send_header("ETag", feed.etag)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("Content-Type", "application/xml; charset=utf-8")
            self.send_header("ETag", feed.etag)
            self.send_header("Content-Length", str(len(feed.body)))
            self.end_headers()
            self.wfile.write(feed.body)

    class Server(http.server.ThreadingHTTPServer):
        daemon_threads = True
        request_queue_size = 128

    servers = []
    for host in sorted({f.host for f in feeds}):
        server = Server((host, 0), Handler)
        servers.append(server)
        ports[host] = server.server_address[1]
        threading.Thread(target=server.serve_forever, daemon=True).start()
    ready.set()
    stop.wait()
    for server in servers:
        server.shutdown()


@contextmanager
def serving(feeds: list[BenchFeed], latency: float) -> Iterator[dict[str, int]]:
    """Serve ``feeds`` from another process; yields the port of each host."""
    ctx = multiprocessing.get_context("spawn")
    manager = ctx.Manager()
    ports = manager.dict()
    ready, stop = ctx.Event(), ctx.Event()
    process = ctx.Process(target=_serve, args=(feeds, latency, ports, ready, stop), daemon=True)
    process.start()
    try:
        if not ready.wait(60):
            raise RuntimeError("the bench server did not start")
        yield dict(ports)
    finally:
        stop.set()
        process.join(5)
        if process.is_alive():
            process.kill()
        manager.shutdown()


def loopback_usable(host: str) -> bool:
    with socket.socket() as s:
        try:
            s.bind((host, 0))
        except OSError:
            return False
    return True


# ---------------------------------------------------------------------------
# Measurements
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    label: str
    wall: float
    cpu: float | None
    note: str = ""


def _cpu() -> float:
    u = resource.getrusage(resource.RUSAGE_SELF)
    return u.ru_utime + u.ru_stime


def measure(fn: Callable[[], Any]) -> tuple[Any, float, float]:
    """fn's result, wall seconds and CPU seconds of this process (all its threads)."""
    wall, cpu = time.perf_counter(), _cpu()
    out = fn()
    return out, time.perf_counter() - wall, _cpu() - cpu


def sequential_loop(urls: Sequence[str]) -> int:
    """feedparser fetching and parsing each URL in turn; entries seen."""
    return sum(len(feedparser.parse(url).entries) for url in urls)


def parse_floor(bodies: Sequence[bytes]) -> int:
    """feedparser parsing the bytes in this process, one after another; entries seen."""
    return sum(len(feedparser.parse(body).entries) for body in bodies)


def _watchlist(config_file: str, folder: Path, urls: Sequence[str]) -> Path:
    raw = yaml.safe_load(Path(config_file).read_text(encoding="utf-8"))
    raw["database"] = {"url": f"sqlite:///{folder / 'bench.db'}"}
    raw["feeds"] = [{"name": f"bench-{i}", "url": url} for i, url in enumerate(urls)]
    raw["alerts"] = {"outbox": {"enabled": True, "dir": str(folder / "outbox")}}
    raw["digest"] = {"enabled": False}
    polling = dict(raw.get("polling") or {})
    polling["allow_private_addresses"] = True  # the bench's hosts are loopback addresses
    raw["polling"] = polling
    path = folder / "watchlist.yaml"
    path.write_text(yaml.safe_dump(raw, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def run(
    n: int,
    latency: float,
    config_file: str,
    say: Callable[[str], None],
    folder: Path | None = None,
    *,
    hostile: bool = False,
) -> list[Row]:
    """Serve, measure and return the rows of the table (see the module doc); ``folder``:
    serve copies of the feed files in it instead of the shipped samples; ``hostile``: then
    two more first cycles, on fresh databases, of N more copies each, the second with a
    hostile feed among them (``hostile_rows``)."""
    from monitor import parsepool

    hosts = loopback_hosts(n)
    if not loopback_usable(hosts[-1]):
        hosts = ["127.0.0.1"]  # a system with only 127.0.0.1 (macOS): one host
    feeds = bench_feeds(n, hosts, folder)
    kinds = len(sample_bodies(folder))
    entries = sum(len(feedparser.parse(f.body).entries) for f in feeds[:kinds])
    size = sum(len(f.body) for f in feeds)
    say(
        f"{n} feeds ({size / 1e6:.1f} MB, about {entries * n // kinds} entries)"
        f" on {len(hosts)} loopback hosts, each answer delayed {latency:g} s"
    )
    served = list(feeds)
    if hostile:
        served += bench_feeds(2 * n, hosts, folder, first=n)
        served.append(BenchFeed(hosts[0], "/feeds/hostile.xml", hostile_body(), '"hostile"'))
    rows: list[Row] = []
    with serving(served, latency) as ports, tempfile.TemporaryDirectory() as tmp:
        urls = [f"http://{f.host}:{ports[f.host]}{f.path}" for f in served]
        got, wall, _cpu_s = measure(lambda: sequential_loop(urls[:n]))
        rows.append(Row("sequential feedparser.parse(url)", wall, None, f"{got} entries"))
        got, wall, cpu = measure(lambda: parse_floor([f.body for f in feeds]))
        rows.append(Row("parse floor (feedparser, 1 core)", wall, cpu, f"{got} entries"))
        parsepool.warm()  # where `monitor run` starts it: before the database opens
        with _bench_monitor(config_file, Path(tmp) / "main", urls[:n]) as (m, clock):
            for label in ("first", "steady"):
                rows += _cycle_rows(m, label, say if label == "first" else None)
                clock.advance(timedelta(days=1).total_seconds())
        if hostile:
            rows += hostile_rows(config_file, Path(tmp), urls[n:], n, say)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    say(f"this process's peak RSS: {peak:.0f} MB")
    return rows


@contextmanager
def _bench_monitor(config_file: str, folder: Path, urls: Sequence[str]) -> Iterator[Any]:
    """A monitor (and its clock) on a fresh SQLite database in ``folder``, polling ``urls``."""
    from monitor import pipeline
    from monitor.clock import FakeClock, SystemClock
    from monitor.config import load_config
    from monitor.db import make_engine, upgrade
    from monitor.store import Store

    folder.mkdir()
    config = load_config(str(_watchlist(config_file, folder, urls)), env={})
    upgrade(config.database_url)
    store = Store(make_engine(config.database_url))
    try:
        clock = FakeClock(SystemClock().now())
        m = pipeline.Monitor(config, store, clock)
        pipeline.sync(m)
        gc.freeze()  # as `monitor run` does once it has started
        yield m, clock
    finally:
        gc.unfreeze()
        store.close()


def _cycle_rows(m: Any, label: str, say: Callable[[str], None] | None) -> list[Row]:
    """One cycle, measured: the poll alone, then the whole cycle."""
    from monitor import pipeline

    report, wall, cpu = measure(lambda: pipeline.poll(m))
    cpu += report.parse_cpu_seconds
    note = (
        f"{report.polled} polled, {report.new_articles} new, "
        f"{report.not_modified} not modified, {len(report.errors)} errors; "
        f"parse workers {report.parse_cpu_seconds:.2f} s CPU"
    )
    rest, wall2, cpu2 = measure(lambda: _rest_of_cycle(m))
    if say is not None:
        if report.new_articles:
            say(f"poll CPU per stored article: {1000 * cpu / report.new_articles:.2f} ms")
        say(f"parse workers' peak RSS: {report.parse_peak_rss_kib / 1024:.0f} MB")
    return [
        Row(f"{label} cycle: poll", wall, cpu, note),
        Row(
            f"{label} cycle: whole (+judge...)", wall + wall2, cpu + cpu2, f"{rest} articles judged"
        ),
    ]


def hostile_rows(
    config_file: str, folder: Path, urls: Sequence[str], n: int, say: Callable[[str], None]
) -> list[Row]:
    """Two first cycles as ``monitor run`` makes them (``pipeline.run_cycle``), each on a
    fresh database: N new copies (the control), then N other copies plus the hostile feed
    (the last URL).  Each first row's wall is the time until the N feeds' articles were
    stored, judged, assessed and alerted; the last row, the hostile cycle's whole wall."""
    hostile_cpu = hostile_parse_seconds()
    say(f"hostile feed: {len(hostile_body()) / 1e6:.1f} MB, ~{hostile_cpu:.0f} s of parsing")
    parts = {"control": list(urls[:n]), "hostile": [*urls[n : 2 * n], urls[-1]]}
    rows = []
    for label, part in parts.items():
        with _bench_monitor(config_file, folder / label, part) as (m, _clock):
            others, wall, cpu, report = _timed_cycle(m, n)
        judged = f"{report.judged} articles judged in the cycle"
        rows.append(Row(f"{label} cycle: {n} feeds alerted", others, None, judged))
    errors = "; ".join(f"{k}: {v}" for k, v in report.poll.errors.items())
    rows.append(
        Row("hostile cycle: whole", wall, cpu, errors or "no error")
    )  # CPU: not a killed parse's
    say(f"the hostile feed delayed the other {n} feeds' alerts by {others - rows[0].wall:+.2f} s")
    return rows


def _timed_cycle(m: Any, n: int) -> tuple[float, float, float, Any]:
    """``run_cycle`` measured: seconds until ``n`` feeds were stored and acted on, wall and
    CPU seconds of the whole cycle (parse workers' included), and the cycle's report."""
    from monitor import pipeline

    done: list[float] = []
    started, cpu = time.perf_counter(), _cpu()

    def seen(polled: pipeline.PollReport) -> None:
        if not done and polled.polled >= n:
            done.append(time.perf_counter() - started)

    report = pipeline.run_cycle(m, observe=seen)
    wall = time.perf_counter() - started
    cpu = _cpu() - cpu + report.poll.parse_cpu_seconds
    return (done[0] if done else wall), wall, cpu, report


def _rest_of_cycle(m: Any) -> int:
    from monitor import pipeline

    pipeline.check_health(m)
    judged = pipeline.judge(m)
    pipeline.assess(m)
    pipeline.alert(m)
    pipeline.alert_health(m)
    pipeline.deliver_pending(m)
    return judged


def table(rows: Sequence[Row]) -> list[str]:
    """The rows as aligned lines, with wall and CPU as multiples of the parse floor's (on a
    busy machine the floor's wall time includes waiting for a core: CPU/floor is the
    steadier comparison of the work done)."""
    base = next((r for r in rows if r.label.startswith("parse floor")), None)
    floor = base.wall if base is not None else 0.0
    floor_cpu = base.cpu if base is not None and base.cpu else 0.0
    lines = [f"{'':<36} {'wall':>8} {'CPU':>8} {'wall/floor':>10} {'CPU/floor':>9}"]
    for r in rows:
        cpu = f"{r.cpu:7.2f}s" if r.cpu is not None else f"{'-':>8}"
        ratio = f"{r.wall / floor:9.2f}x" if floor else f"{'-':>10}"
        cpu_ratio = f"{r.cpu / floor_cpu:8.2f}x" if r.cpu is not None and floor_cpu else f"{'-':>9}"
        lines.append(f"{r.label:<36} {r.wall:7.2f}s {cpu} {ratio} {cpu_ratio}  {r.note}")
    return lines
