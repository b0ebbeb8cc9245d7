"""Entries made ready to store: their keys, their text as every backend stores it, their
source and SimHash fingerprint.  Pure (no I/O, no database), so the parse workers do it
beside the parse and the poll's process only looks keys up and inserts rows.

``prepare(feed_id, feed_name, entry)`` gives a ``PreparedEntry``: the entry itself (an
``Entry`` subclass, so whatever reads entries reads it alike) with the values of its
``articles`` row and its ``article_keys``.  The store uses those values only for the
feed they were made for, and prepares any other entry itself.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, fields
from urllib.parse import urlsplit

from monitor.fingerprint import simhash64
from monitor.models import Entry

# The lengths of ``articles.guid`` and ``articles.source`` (``monitor.db.ArticleRow``; a
# test keeps them equal): strings from feeds are cut to their column alike on every backend.
GUID_CHARS = 2000
SOURCE_CHARS = 300

_SURROGATES = re.compile("[\ud800-\udfff]")


def clean_text(value: str) -> str:
    """Text every backend stores alike: PostgreSQL refuses NUL and lone surrogates, SQLite
    would keep them; both become U+FFFD here."""
    if "\x00" in value:
        value = value.replace("\x00", "\ufffd")
    if not value.isascii():
        value = _SURROGATES.sub("\ufffd", value)
    return value


def to_signed(n: int) -> int:
    """An unsigned 64-bit number as the signed one a BIGINT column holds."""
    n &= 0xFFFFFFFFFFFFFFFF
    return n - (1 << 64) if n >= (1 << 63) else n


def key(kind: str, value: str) -> str:
    """One ``article_keys`` key: its kind and a hash of the value."""
    return f"{kind}:{hashlib.sha256(value.encode('utf-8', 'surrogatepass')).hexdigest()[:40]}"


def entry_keys(feed_id: int, entry: Entry) -> list[str]:
    """The identities an entry is known by: within its feed, by canonical URL, by content."""
    keys = [key("entry", f"{feed_id}\x00{entry.identity}")]
    if entry.url:
        keys.append(key("url", entry.url))
    keys.append(key("content", f"{feed_id}\x00{entry.title}\x00{entry.text}"))
    return keys


def publisher_of(url: str | None, fallback: str) -> str:
    """Who published an article: its link's host (without ``www.``), else ``fallback``."""
    if url:
        host = (urlsplit(url).hostname or "").lower().removeprefix("www.")
        if host:
            return host
    return fallback


@dataclass(frozen=True)
class PreparedEntry(Entry):
    """An entry and what storing it needs, made for one feed (id and name)."""

    feed_id: int = 0
    feed_name: str = ""
    keys: tuple[str, ...] = ()
    row_url: str | None = None
    row_guid: str | None = None
    row_title: str = ""
    row_text: str = ""
    row_source: str = ""
    fingerprint: int = 0  # signed 64-bit SimHash of the title and text

    def made_for(self, feed_id: int, feed_name: str) -> bool:
        return self.feed_id == feed_id and self.feed_name == feed_name


_ENTRY_FIELDS = tuple(f.name for f in fields(Entry))


def prepare(feed_id: int, feed_name: str, entry: Entry) -> PreparedEntry:
    """``entry`` with its keys and the values of its ``articles`` row (see the module doc)."""
    if isinstance(entry, PreparedEntry) and entry.made_for(feed_id, feed_name):
        return entry
    source = entry.publisher or publisher_of(entry.url, feed_name)
    return PreparedEntry(
        **{name: getattr(entry, name) for name in _ENTRY_FIELDS},
        feed_id=feed_id,
        feed_name=feed_name,
        keys=tuple(entry_keys(feed_id, entry)),
        row_url=clean_text(entry.url) if entry.url else None,
        row_guid=clean_text(entry.guid)[:GUID_CHARS] if entry.guid else None,
        row_title=clean_text(entry.title),
        row_text=clean_text(entry.text),
        row_source=clean_text(source)[:SOURCE_CHARS],
        fingerprint=to_signed(simhash64(f"{entry.title}\n{entry.text}")),
    )
