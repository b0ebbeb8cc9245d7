"""OPML, the feed readers' export format: the watchlist's feeds to OPML and back.  Pure.

Import reads every ``<outline>`` with an ``xmlUrl`` (at any depth: folders are kept as
nothing more than nesting), and refuses a document type declaration (no entities).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterable
from dataclasses import dataclass
from xml.sax.saxutils import quoteattr

from monitor.errors import InputError

MAX_OPML_BYTES = 5_000_000


@dataclass(frozen=True)
class FeedEntry:
    name: str
    url: str


def to_opml(feeds: Iterable[FeedEntry], title: str = "monitor feeds") -> str:
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<opml version="2.0">',
        f"  <head><title>{_text(title)}</title></head>",
        "  <body>",
    ]
    for f in feeds:
        lines.append(
            f'    <outline type="rss" text={quoteattr(f.name)} title={quoteattr(f.name)} '
            f"xmlUrl={quoteattr(f.url)}/>"
        )
    lines += ["  </body>", "</opml>", ""]
    return "\n".join(lines)


def _text(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def from_opml(data: bytes, where: str = "OPML") -> list[FeedEntry]:
    """The feeds an OPML document lists (http and https only), in document order."""
    if len(data) > MAX_OPML_BYTES:
        raise InputError(where, "file too large for an OPML feed list")
    if b"<!DOCTYPE" in data.upper() or b"<!ENTITY" in data.upper():
        raise InputError(where, "document type declarations are not accepted in OPML")
    try:
        root = ET.fromstring(data)
    except ET.ParseError as e:
        raise InputError(where, f"not XML: {e}") from None
    if root.tag != "opml":
        raise InputError(where, f"not OPML: the root element is <{root.tag}>")
    out: list[FeedEntry] = []
    seen: set[str] = set()
    for outline in root.iter("outline"):
        url = (outline.get("xmlUrl") or "").strip()
        if not url.lower().startswith(("http://", "https://")) or url in seen:
            continue
        seen.add(url)
        name = " ".join((outline.get("title") or outline.get("text") or url).split())
        out.append(FeedEntry(name[:200], url))
    return out
