"""Test helpers: watchlists pointed at local servers, and small feeds written in the test."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import yaml

from monitor.config import parse_config
from monitor.judge import Matcher
from monitor.models import Label

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_WATCHLIST = ROOT / "config" / "watchlist.yaml"

#: The two made-up parties most judge tests bind (an ``entities:`` block for
#: ``made_up_watchlist``; add entities by appending lines).
NORTH_SOUTH = """
entities:
  north: {name: North, aliases: [North, Northern, Northland]}
  south: {name: South, aliases: [South, Southern, Southland]}
"""


def made_up_watchlist(
    entities: str,
    kind: str,
    *,
    statement: str = "Northland and Southland will keep their promise.",
    subjects: str = "[]",
    effective: str = "2025-11-01",
    signals: str = "",
    tail: str = "    ongoing: true",
    more: str = "",
) -> str:
    """A watchlist of made-up parties (``entities``, a YAML ``entities:`` block) whose first
    commitment, ``it``, binds north and south; ``tail`` ends it (``ongoing`` by default),
    ``more`` adds commitments after it."""
    return (
        entities
        + f"""
commitments:
  - id: it
    title: Northland and Southland keep their promise
    statement: {statement}
    kind: {kind}
    said_by: A mediator
    parties: [north, south]
    subjects: {subjects}
    effective: {effective}
{f"    signals: {signals}" if signals else ""}
{tail}
"""
        + more
    )


def first_label(watchlist: str, title: str, text: str, at: datetime) -> Label:
    """The judge's label for the watchlist's first commitment."""
    cfg = parse_config(watchlist, env={})
    return Matcher(cfg.commitments, cfg.entities).judge(title, text, at)[0].label


def assert_reads(
    watchlist: str, title: str, text: str, at: datetime, label: Label, how: str
) -> None:
    """One row of a carry-over table: the first commitment's label is ``label`` (``how`` is
    "is") or is not (any other ``how``)."""
    got = first_label(watchlist, title, text, at)
    assert (got is label) == (how == "is"), got


def write_watchlist(
    directory: Path,
    feeds: dict[str, str],
    *,
    database_url: str | None = None,
    smtp: dict[str, Any] | None = None,
    outbox: bool = True,
    **sections: Any,
) -> Path:
    """The default watchlist's commitments, with these feeds, database and channels."""
    raw = yaml.safe_load(DEFAULT_WATCHLIST.read_text(encoding="utf-8"))
    raw["database"] = {"url": database_url or f"sqlite:///{directory / 'monitor.db'}"}
    raw["feeds"] = [{"name": name, "url": url} for name, url in feeds.items()]
    raw["alerts"] = {
        "outbox": {"enabled": outbox, "dir": str(directory / "outbox")},
        "repeat_interval_hours": 24,
    }
    if smtp:
        raw["alerts"]["smtp"] = smtp
    # The tests' servers are on 127.0.0.1: polling them needs private addresses allowed.
    sections["polling"] = {"allow_private_addresses": True, **sections.get("polling", {})}
    raw.update(sections)
    path = directory / "watchlist.yaml"
    path.write_text(yaml.safe_dump(raw, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def rss(items: list[dict[str, str]], title: str = "Test feed") -> bytes:
    """An RSS 2.0 document with these items (keys: guid, link, title, description, date)."""
    parts = [
        f'<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel>'
        f"<title>{title}</title><link>https://example.org/</link>"
        f"<description>test</description>"
    ]
    for it in items:
        parts.append(
            f"<item><guid>{it['guid']}</guid><link>{it['link']}</link>"
            f"<title>{it['title']}</title><description>{it['description']}</description>"
            f"<pubDate>{it.get('date', 'Fri, 24 Oct 2025 10:00:00 +0000')}</pubDate></item>"
        )
    parts.append("</channel></rss>")
    return "".join(parts).encode("utf-8")


BREACH_ITEM = {
    "guid": "pk-1",
    "link": "https://pk-news.example/2025/10/24/chaman-clash",
    "title": "Pakistani and Afghan forces exchange fire at Chaman despite ceasefire",
    "description": (
        "Pakistani and Afghan Taliban forces exchanged heavy fire at the Chaman border "
        "crossing on Friday, officials said, the first clash since the ceasefire agreed in "
        "Doha. Two soldiers were wounded, the military said."
    ),
}

QUIET_ITEM = {
    "guid": "pk-2",
    "link": "https://pk-news.example/2025/10/24/cricket",
    "title": "Pakistan beat Sri Lanka by six wickets in Lahore",
    "description": "Babar Azam scored an unbeaten 80 as Pakistan chased down 240.",
}
