"""`monitor init`, the message outside a project folder, OPML export/import and feed
autodiscovery (`monitor feeds add URL`) against the local feed server."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner, Result

from monitor.cli import main
from monitor.discover import find_feed_links
from monitor.opml import FeedEntry, from_opml, to_opml
from tests.feedserver import FeedServer
from tests.helpers import QUIET_ITEM, rss, write_watchlist


def invoke(*args: str, env: dict[str, str] | None = None) -> Result:
    return CliRunner(env=env).invoke(main, list(args))


def test_init_writes_a_starter_that_checks(tmp_path: Path) -> None:
    result = invoke("init", str(tmp_path / "proj"))
    assert result.exit_code == 0, result.output
    target = tmp_path / "proj" / "config" / "watchlist.yaml"
    assert target.read_text(encoding="utf-8").startswith("# monitor watchlist")
    assert "Next:" in result.stdout and "monitor check" in result.stdout
    check = invoke("check", str(target))
    assert check.exit_code == 0, check.output
    again = invoke("init", str(tmp_path / "proj"))
    assert again.exit_code == 2 and "already exists" in again.stderr
    assert target.read_text(encoding="utf-8").startswith("# monitor watchlist")  # kept


def test_outside_a_project_folder_the_message_helps(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("MONITOR_CONFIG", raising=False)
    for command in (["status"], ["run", "--once"], ["check"], ["feeds", "export"]):
        result = invoke(*command)
        assert result.exit_code == 2, (command, result.output)
        assert "monitor init" in result.stderr and "--config" in result.stderr
        assert "Fix the file" not in result.stderr


def test_opml_round_trip_and_hostile_documents() -> None:
    feeds = [
        FeedEntry("Dawn & Co <x>", "https://a.example/feed?x=1&y=2"),
        FeedEntry("B", "http://b.example/"),
    ]
    assert from_opml(to_opml(feeds).encode()) == feeds
    from monitor.errors import InputError

    for bad in (
        b"<?xml version='1.0'?><!DOCTYPE x [<!ENTITY a 'aaaa'>]><opml>&a;</opml>",
        b"not xml",
        b"<rss/>",
    ):
        with pytest.raises(InputError):
            from_opml(bad)


def test_feeds_export_and_import(tmp_path: Path) -> None:
    config = write_watchlist(tmp_path, {"Dawn": "https://www.dawn.com/feeds/home"})
    exported = invoke("feeds", "export", "--config", str(config))
    assert exported.exit_code == 0
    assert from_opml(exported.stdout.encode()) == [
        FeedEntry("Dawn", "https://www.dawn.com/feeds/home")
    ]
    opml = tmp_path / "reader.opml"
    opml.write_text(
        '<?xml version="1.0"?><opml version="1.0"><body>'
        '<outline text="News"><outline text="Dawn" xmlUrl="https://www.dawn.com/feeds/home"/>'
        '<outline text="TOLOnews" title="TOLOnews" xmlUrl="https://tolonews.com/rss.xml"/>'
        "</outline>"
        '<outline text="Not a feed" xmlUrl="javascript:alert(1)"/>'
        '<outline text="Amu TV" xmlUrl="https://amu.tv/feed/"/>'
        "</body></opml>",
        encoding="utf-8",
    )
    result = invoke("feeds", "import", str(opml), "--config", str(config))
    assert result.exit_code == 0, result.output
    pasted = yaml.safe_load(result.stdout)
    assert pasted == [
        {"name": "TOLOnews", "url": "https://tolonews.com/rss.xml"},
        {"name": "Amu TV", "url": "https://amu.tv/feed/"},
    ]
    assert "1 already in" in result.stdout
    (tmp_path / "bad.opml").write_text("<!DOCTYPE opml><opml/>", encoding="utf-8")
    bad = invoke("feeds", "import", str(tmp_path / "bad.opml"), "--config", str(config))
    assert bad.exit_code == 2 and "document type" in bad.stderr


HOME = """<!doctype html><html><head><title>Frontier News</title>
<link rel="stylesheet" href="/s.css">
<link rel="alternate" type="application/rss+xml" title="Frontier News: top stories"
  href="/feed.xml">
<link rel="alternate" type="application/atom+xml" href="https://cdn.example/atom">
<link rel="alternate" hreflang="ur" href="/ur/">
</head><body>hello</body></html>"""


def test_find_feed_links_resolves_and_filters() -> None:
    title, links = find_feed_links(HOME, "https://frontier.example/news/")
    assert title == "Frontier News"
    assert [(x.url, x.title, x.kind) for x in links] == [
        ("https://frontier.example/feed.xml", "Frontier News: top stories", "RSS"),
        ("https://cdn.example/atom", "Frontier News", "Atom"),
    ]


def test_feeds_add_discovers_from_the_home_page(tmp_path: Path, feed_server: FeedServer) -> None:
    feed_server.add("/", HOME.encode(), content_type="text/html; charset=utf-8")
    feed_server.add("/feed.xml", rss([QUIET_ITEM]))
    feed_server.add("/plain", b"<html><title>x</title></html>", content_type="text/html")
    config = write_watchlist(
        tmp_path,
        {"Frontier": feed_server.url("/feed.xml")},
        polling={"allow_private_addresses": True},
    )
    result = invoke("feeds", "add", feed_server.url("/"), "--config", str(config))
    assert result.exit_code == 0, result.output
    assert feed_server.url("/feed.xml") in result.stdout
    assert "already in the watchlist" in result.stdout
    assert "https://cdn.example/atom" in result.stdout
    direct = invoke("feeds", "add", feed_server.url("/feed.xml"), "--config", str(config))
    assert direct.exit_code == 0 and feed_server.url("/feed.xml") in direct.stdout
    none = invoke("feeds", "add", feed_server.url("/plain"), "--config", str(config))
    assert none.exit_code == 1 and "advertises no feed" in none.stderr
    bad = invoke("feeds", "add", "not-a-url", "--config", str(config))
    assert bad.exit_code == 2


def test_feeds_add_refuses_local_addresses_unless_allowed(
    tmp_path: Path, feed_server: FeedServer
) -> None:
    feed_server.add("/", HOME.encode(), content_type="text/html")
    config = write_watchlist(
        tmp_path, {"F": "https://a.example/f.xml"}, polling={"allow_private_addresses": False}
    )
    result = invoke("feeds", "add", feed_server.url("/"), "--config", str(config))
    assert result.exit_code == 1 and "private or local" in result.stderr
    assert not feed_server.requests_for("/")
