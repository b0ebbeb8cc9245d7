"""The demo feeds in monitor/data/demo parse cleanly and agree with their manifest."""

from __future__ import annotations

import calendar
import html
import json
import re
from datetime import UTC, datetime
from importlib import resources
from typing import Any
from urllib.parse import urlsplit

import feedparser
import pytest

DEMO = resources.files("monitor") / "data" / "demo"
MANIFEST: dict[str, Any] = json.loads((DEMO / "manifest.json").read_text(encoding="utf-8"))
FEEDS: list[dict[str, Any]] = MANIFEST["feeds"]
COMMITMENTS = {"ceasefire", "istanbul-talks", "no-ttp-talks", "no-sanctuary", "inform-mediators"}
LABELS = {"breach", "met", "related"}  # "none" is written by omission
FIRST_AT = datetime(2025, 10, 15, tzinfo=UTC)
LAST_AT = datetime(2025, 11, 21, tzinfo=UTC)  # exclusive: items run to 20 Nov
CEASEFIRE_AT = datetime(2025, 10, 19, tzinfo=UTC)


def _parse(feed: dict[str, Any]) -> Any:
    return feedparser.parse((DEMO / feed["file"]).read_bytes())


def _published_at(entry: Any) -> datetime:
    parsed = entry.get("published_parsed") or entry.get("updated_parsed")
    assert parsed is not None, entry.get("id")
    return datetime.fromtimestamp(calendar.timegm(parsed), tz=UTC)


def _plain(text: str) -> str:
    """Tags dropped, entities decoded, whitespace collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", text)).split())


def _entries_by_guid() -> dict[str, tuple[dict[str, Any], Any]]:
    found: dict[str, tuple[dict[str, Any], Any]] = {}
    for feed in FEEDS:
        for entry in _parse(feed).entries:
            assert entry.id not in found, f"guid used twice: {entry.id}"
            found[entry.id] = (feed, entry)
    return found


def _items() -> list[tuple[dict[str, Any], dict[str, Any]]]:
    return [(feed, item) for feed in FEEDS for item in feed["items"]]


def test_manifest_lists_the_four_demo_feeds() -> None:
    files = {feed["file"] for feed in FEEDS}
    assert files == {"pk-daily.xml", "af-news.xml", "wire.xml", "aggregator.xml"}
    paths = [feed["path"] for feed in FEEDS]
    assert len(set(paths)) == len(paths)
    assert all(path.startswith("/") for path in paths)
    assert set(MANIFEST["commitments"]) == COMMITMENTS
    assert 35 <= len(_items()) <= 45


@pytest.mark.parametrize("feed", FEEDS, ids=lambda f: f["file"])
def test_feed_is_well_formed_and_matches_manifest(feed: dict[str, Any]) -> None:
    parsed = _parse(feed)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert len(parsed.entries) == len(feed["items"])
    guids = [entry.id for entry in parsed.entries]
    assert sorted(guids) == sorted(item["guid"] for item in feed["items"])
    titles = {entry.id: entry.title for entry in parsed.entries}
    for item in feed["items"]:
        assert titles[item["guid"]] == item["title"]


@pytest.mark.parametrize("feed", FEEDS, ids=lambda f: f["file"])
def test_content_type_fits_the_feed(feed: dict[str, Any]) -> None:
    content_type = feed["content_type"]
    assert "charset=utf-8" in content_type.lower()
    parsed = feedparser.parse(
        (DEMO / feed["file"]).read_bytes(), response_headers={"content-type": content_type}
    )
    assert not parsed.bozo, parsed.get("bozo_exception")
    if parsed.version.startswith("atom"):
        assert content_type.startswith("application/atom+xml")
    else:
        assert parsed.version == "rss20"
        assert content_type.split(";")[0] in {"application/rss+xml", "text/xml"}


@pytest.mark.parametrize("feed", FEEDS, ids=lambda f: f["file"])
def test_every_item_has_link_date_title_and_text(feed: dict[str, Any]) -> None:
    hosts = set()
    for entry in _parse(feed).entries:
        link = urlsplit(entry.link)
        assert link.scheme == "https" and link.hostname and link.hostname.endswith(".example")
        hosts.add(link.hostname)
        assert FIRST_AT <= _published_at(entry) < LAST_AT, entry.id
        assert entry.title.strip()
        assert len(_plain(entry.summary)) > 80, entry.id
    assert len(hosts) == 1, "one publisher per feed"


def test_labels_use_the_corpus_vocabulary() -> None:
    for _, item in _items():
        assert set(item["labels"]) <= COMMITMENTS, item["guid"]
        assert set(item["labels"].values()) <= LABELS, item["guid"]


def test_labels_cover_the_demo_story() -> None:
    entries = _entries_by_guid()
    found: dict[tuple[str, str], set[str]] = {}
    for _, item in _items():
        if "copy_of" in item:
            continue  # a syndicated copy is not an independent publisher
        host = urlsplit(entries[item["guid"]][1].link).hostname or ""
        for commitment, label in item["labels"].items():
            found.setdefault((commitment, label), set()).add(host)
    assert len(found[("ceasefire", "breach")]) >= 2
    for commitment in ("istanbul-talks", "no-sanctuary", "inform-mediators", "no-ttp-talks"):
        assert found.get((commitment, "met")), commitment
    assert found.get(("no-sanctuary", "breach"))
    assert found.get(("ceasefire", "related"))


def test_no_ceasefire_breach_before_the_ceasefire() -> None:
    entries = _entries_by_guid()
    for _, item in _items():
        if item["labels"].get("ceasefire") == "breach":
            assert _published_at(entries[item["guid"]][1]) >= CEASEFIRE_AT, item["guid"]


def test_syndicated_copy_is_word_for_word() -> None:
    entries = _entries_by_guid()
    copies = [(feed, item) for feed, item in _items() if "copy_of" in item]
    assert copies
    for feed, item in copies:
        original_feed, original = entries[item["copy_of"]]
        assert original_feed["file"] != feed["file"]
        copy = entries[item["guid"]][1]
        assert urlsplit(copy.link).hostname != urlsplit(original.link).hostname
        assert _plain(original.summary) in _plain(copy.summary)
        assert copy.title == original.title
        original_item = next(i for i in original_feed["items"] if i["guid"] == item["copy_of"])
        assert item["labels"] == original_item["labels"]
