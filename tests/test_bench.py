"""`monitor bench` measures; here only that it runs and its parts are sound (no timing)."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from monitor.bench import generated_commitments, sample_articles
from monitor.cli import main
from monitor.config import load_config

DEFAULT = str(Path(__file__).resolve().parent.parent / "config" / "watchlist.yaml")


def test_generated_commitments_are_distinct() -> None:
    base = load_config(DEFAULT, env={}).commitments
    many = generated_commitments(base, 200)
    assert len({c.id for c in many}) == 200
    assert len({c.breach_signals[-1] for c in many}) == 200


def test_bench_command_prints_rates() -> None:
    assert len(sample_articles()) >= 40
    result = CliRunner().invoke(
        main, ["bench", "--articles", "40", "--generated", "20", "--config", DEFAULT]
    )
    assert result.exit_code == 0, result.output
    assert result.output.count("articles/s") == 2


def test_bench_poll_prints_the_comparison_from_one_run() -> None:
    result = CliRunner().invoke(
        main, ["bench", "--poll", "8", "--latency", "0", "--config", DEFAULT]
    )
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    for label in (
        "sequential feedparser.parse(url)",
        "parse floor (feedparser, 1 core)",
        "first cycle: poll",
        "steady cycle: poll",
    ):
        assert any(line.startswith(label) for line in lines), (label, result.output)
    first = next(line for line in lines if line.startswith("first cycle: poll"))
    steady = next(line for line in lines if line.startswith("steady cycle: poll"))
    # Every copy's articles are new the first time; every feed answers 304 the second.
    assert "8 polled" in first and " 0 new" not in first and "0 errors" in first, first
    assert "8 polled, 0 new, 8 not modified, 0 errors" in steady, steady
    # wall and CPU both as multiples of the floor's: the CPU ratio is the steadier one
    assert any(line.split()[-2:] == ["wall/floor", "CPU/floor"] for line in lines), lines
    assert first.count("x ") >= 2, first


_ATOM = (
    '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
    "<title>Westport Wire</title><id>tag:westport.example,2026:feed</id>"
    "<entry><title>Northland talks resume</title><id>tag:westport.example,2026:1</id>"
    '<link href="https://westport.example/1"/><updated>2026-01-02T00:00:00Z</updated>'
    "<summary>Envoys met.</summary></entry></feed>"
)
_RSS = (
    '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Eastport Daily'
    "</title>"
    + "".join(
        f"<item><title>Story {i}</title><link>http://eastport.example/{i}</link>"
        f'<guid isPermaLink="false">{i}</guid><description>Text {i}.</description></item>'
        for i in range(3)
    )
    + "</channel></rss>"
)


def test_bench_copies_share_no_article_and_keep_namespaces() -> None:
    import feedparser

    from monitor.benchpoll import unique_links

    for body in (_ATOM.encode(), _RSS.encode()):
        copies = [feedparser.parse(unique_links(body, i)) for i in range(2)]
        assert [c.version for c in copies] == [feedparser.parse(body).version] * 2
        keys = [{k for e in c.entries for k in (e.get("id"), e.get("link")) if k} for c in copies]
        assert keys[0] and not keys[0] & keys[1], keys


def test_bench_poll_serves_the_feed_files_of_a_folder(tmp_path: Path) -> None:
    (tmp_path / "a.atom").write_text(_ATOM, encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.rss").write_text(_RSS, encoding="utf-8")
    (tmp_path / "notes.txt").write_text("not a feed", encoding="utf-8")
    (tmp_path / "with space.xml").write_text(_RSS.replace("http://", "https://"), encoding="utf-8")
    args = ["bench", "--poll", "6", "--latency", "0", "--config", DEFAULT]
    result = CliRunner().invoke(main, [*args, "--feeds", str(tmp_path)])
    assert result.exit_code == 0, result.output
    first = next(line for line in result.output.splitlines() if line.startswith("first cycle: p"))
    # two copies of each file (one with a space in its name): 2 x (1 + 3 + 3), all new
    assert "6 polled, 14 new, 0 not modified, 0 errors" in first, first
    empty = tmp_path / "empty"
    empty.mkdir()
    result = CliRunner().invoke(main, [*args, "--feeds", str(empty)])
    assert result.exit_code != 0
    assert "no feed files" in result.output, result.output


def test_bench_poll_hostile_times_the_other_feeds_alerts_beside_a_control(
    tmp_path: Path,
) -> None:
    import yaml

    raw = yaml.safe_load(Path(DEFAULT).read_text(encoding="utf-8"))
    raw["polling"] = {**(raw.get("polling") or {}), "parse_cpu_seconds": 1}
    config = tmp_path / "watchlist.yaml"
    config.write_text(yaml.safe_dump(raw), encoding="utf-8")
    result = CliRunner().invoke(
        main, ["bench", "--poll", "6", "--latency", "0", "--hostile", "--config", str(config)]
    )
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    control = next(line for line in lines if line.startswith("control cycle: 6 feeds alerted"))
    hostile = next(line for line in lines if line.startswith("hostile cycle: 6 feeds alerted"))
    whole = next(line for line in lines if line.startswith("hostile cycle: whole"))
    assert "articles judged in the cycle" in control and " 0 articles" not in control, control
    assert " 0 articles" not in hostile, hostile
    # the hostile feed is in the cycle, and goes over its budget (1 s of CPU here; on a machine
    # so loaded that the parse gets less than that in its wall-clock budget, that one)
    assert "parse over its CPU budget (1 s)" in whole or "parse over its time budget" in whole, (
        whole
    )
    assert any(line.startswith("the hostile feed delayed the other 6 feeds") for line in lines)
