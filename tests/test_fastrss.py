"""The fast RSS 2.0 reader gives exactly the entries feedparser gives.

Every document here is parsed twice by ``parse_feed``: with the fast reader (which
falls back to feedparser for anything it does not read) and with ``fast=False``
(feedparser always).  The results must be equal: entries (title, link, guid, date,
text, identity), feed title, bozo flags.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from monitor.errors import ParseError
from monitor.fastrss import read_feed
from monitor.models import ParseResult
from monitor.parse import (
    _cap_attributes,
    _feedparser_headers,
    _valid_charrefs,
    neutralise_doctype,
    parse_feed,
    squeeze_prolog,
    to_utf8,
)

ROOT = Path(__file__).resolve().parents[1]
URL = "https://feeds.example/news/rss.xml"
PEER = Path(os.environ.get("MONITOR_PEER_FEEDS") or ROOT.parent / "shared" / "peer-feeds")
NOW = datetime(2026, 1, 1, tzinfo=UTC)


def both(content: bytes, headers: dict[str, str] | None = None) -> tuple[object, object]:
    def run(fast: bool) -> ParseResult | tuple[str, str]:
        try:
            return parse_feed(content, url=URL, headers=headers, now=NOW, fast=fast)
        except ParseError as e:
            return ("ParseError", str(e))

    return run(True), run(False)


def accepted(content: bytes, headers: dict[str, str] | None = None) -> bool:
    """True if the fast reader reads ``content`` itself (no fallback to feedparser)."""
    body, fp_headers = to_utf8(content, _feedparser_headers(headers, URL))
    body = _valid_charrefs(squeeze_prolog(body))
    safe = _cap_attributes(neutralise_doctype(body, url=URL, headers=fp_headers))
    return read_feed(safe, fp_headers) is not None


def sample_files(*roots: Path) -> list[Path]:
    suffixes = (".xml", ".rss", ".atom", ".rdf")
    return sorted(p for r in roots for p in r.rglob("*") if p.is_file() and p.suffix in suffixes)


# ---------------------------------------------------------------------------
# Shipped samples
# ---------------------------------------------------------------------------


def test_shipped_samples_read_the_same_both_ways() -> None:
    files = sample_files(ROOT / "monitor" / "data" / "demo", ROOT / "tests")
    assert len(files) > 4
    fast = 0
    for path in files:
        content = path.read_bytes()
        for headers in (None, {"Content-Type": "application/rss+xml; charset=utf-8"}):
            a, b = both(content, headers)
            assert a == b, path
            fast += accepted(content, headers)
    # The demo's four feeds (three RSS, one Atom) and more take the fast path.
    assert fast >= 8
    assert accepted((ROOT / "monitor/data/demo/pk-daily.xml").read_bytes())
    assert accepted((ROOT / "monitor/data/demo/wire.xml").read_bytes())


@pytest.mark.skipif(
    not PEER.is_dir(),
    reason="the peer-feeds folder is not here: set MONITOR_PEER_FEEDS to its path to run this test",
)
def test_peer_feed_captures_read_the_same_both_ways() -> None:
    files = sample_files(PEER / "real-world", PEER / "feedparser")
    fast = 0
    for path in files:
        content = path.read_bytes()
        a, b = both(content)
        assert a == b, path
        fast += accepted(content)
    assert fast > 300  # feedparser's own well-formed RSS 2.0 and Atom samples, mostly


# ---------------------------------------------------------------------------
# What goes to feedparser
# ---------------------------------------------------------------------------

_ITEM = "<item><title>T</title><link>/a</link><description>D</description></item>"


def _rss(channel: str = _ITEM, root: str = '<rss version="2.0">', prolog: str = "") -> bytes:
    head = f'<?xml version="1.0" encoding="utf-8"?>{prolog}{root}'
    return f"{head}<channel><title>F</title>{channel}</channel></rss>".encode()


def _atom(body: str) -> bytes:
    head = '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
    return f"{head}<title>F</title>{body}</feed>".encode()


@pytest.mark.parametrize(
    "content",
    [
        _rss(_ITEM.replace("<item>", '<item xml:base="https://other.example/">')),
        _rss(root='<rss version="0.92">'),
        _rss(root='<rss version="2.0" xmlns="http://purl.org/rss/1.0/">'),
        _rss(_ITEM.replace("<title>T</title>", "<title>T</title><title>U</title>")),
        _rss(
            _ITEM.replace(
                "</item>",
                "<media:title xmlns:media='http://search.yahoo.com/mrss/'>M</media:title></item>",
            )
        ),
        _rss(_ITEM.replace("<description>D", '<description type="text/plain">D')),
        _rss(_ITEM.replace("<title>T", "<title>T<b>bold</b>")),
        _rss(_ITEM.replace("D</desc", "&nbsp;</desc")),  # not an XML entity: a parse error
        _rss(_ITEM.replace("</item>", "<source url='https://o.example/'>O</source></item>")),
        _rss().replace(b"</channel>", b""),  # not well formed
        _rss(_ITEM.replace("D</desc", "D\u00e9</desc")).replace(b"utf-8", b"iso-8859-1"),
        _atom(
            '<entry><title type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">T</div>'
            "</title></entry>"
        ),
        _atom('<entry><content type="text/html">T</content></entry>'),
        _atom('<entry><content src="/x">T</content></entry>'),
        _atom("<entry><link>/x</link></entry>"),
        _atom("<entry><source><title>S</title></source></entry>"),
        _atom('<entry xml:base="/b/"><id>x</id></entry>'),
        _atom("<entry><summary>a</summary><summary>b</summary></entry>"),
        b'<?xml version="1.0"?><feed xmlns="http://purl.org/atom/ns#"><entry><title>T</title>'
        b"</entry></feed>",  # Atom 0.3
    ],
)
def test_unusual_documents_go_to_feedparser(content: bytes) -> None:
    assert not accepted(content)
    a, b = both(content)
    assert a == b


@pytest.mark.parametrize(
    "prolog",
    ['<!DOCTYPE rss [<!ENTITY e "x">]>', "<!DOCTYPE rss>", '<!DOCTYPE rss SYSTEM "http://x/">'],
)
def test_declarations_are_refused_by_the_fast_reader(prolog: str) -> None:
    # parse_feed removes a DOCTYPE before either reader sees it; the reader refuses one itself.
    content = _rss(prolog=prolog)
    assert read_feed(content, {"content-type": "application/xml"}) is None
    assert read_feed(_rss(), {"content-type": "application/xml"}) is not None
    a, b = both(content)
    assert a == b


def test_a_well_formed_feed_takes_the_fast_path_with_every_kind_of_field() -> None:
    item = (
        "<item><title><![CDATA[Tom &amp; Jerry <b>say</b> &#8217;hi&#8217;]]></title>"
        "<link> /world/1?a=1&amp;b=2&amp;utm_source=x </link>"
        '<description>&lt;p&gt;Caf\u00e9 &lt;a href="../x"&gt;link&lt;/a&gt;'
        "&lt;script&gt;steal()&lt;/script&gt;&lt;/p&gt;</description>"
        '<guid isPermaLink="false">tag:x,2020:1</guid>'
        "<pubDate>Tue, 10 Jun 2003 04:00:00 +0530</pubDate>"
        "<content:encoded><![CDATA[<p>Long <i>text</i> \u00c3\u00a9 &amp; more</p>]]>"
        "</content:encoded>"
        "<category>c</category><dc:creator>me</dc:creator></item>"
        "<item><guid>/rel/guid</guid><pubDate>2003-06-10T04:00:00Z</pubDate></item>"
    )
    content = _rss(
        item,
        root='<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/">',
    )
    assert accepted(content)
    a, b = both(content)
    assert isinstance(a, ParseResult) and len(a.entries) == 2
    assert a == b
    assert a.entries[0].text.startswith("Long text")
    assert a.entries[1].url == "https://feeds.example/rel/guid"


def test_elements_read_nowhere_are_skipped_and_the_fast_path_kept() -> None:
    """A news feed's media, Dublin Core date and publisher-own elements (what most real
    feeds carry) do not send it to feedparser; an element feedparser reads does."""
    item = (
        "<item><title>T</title><link>/a</link><description>D</description>"
        "<dc:date>2020-01-02T03:04:05Z</dc:date>"
        '<media:thumbnail url="/t.jpg" width="240"/>'
        '<media:content url="/v.mp4" medium="video"><media:credit scheme="x">me'
        "</media:credit></media:content>"
        "<linkmobile>/m/a</linkmobile><x:tag>t</x:tag>"
        '<x:clip id="9"><x:part>p</x:part></x:clip></item>'
    )
    root = (
        '<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:media="http://search.yahoo.com/mrss/" xmlns:x="https://unknown.example/ns">'
    )
    content = _rss("<dc:date>2020-01-02</dc:date><x:new-feed-url>/n</x:new-feed-url>" + item, root)
    assert accepted(content)
    a, b = both(content)
    assert isinstance(a, ParseResult) and a == b
    assert a.entries[0].published_at == datetime(2020, 1, 2, 3, 4, 5, tzinfo=UTC)
    assert accepted(content.replace(b"<x:tag>t</x:tag>", b"<x:author>A</x:author>"))
    for read in (
        "<media:description>M</media:description>",  # feedparser's summary
        # feedparser names an element of a namespace it does not know by the document's
        # prefix: here one of its own, so this is read as the summary
        '<itunes:summary xmlns:itunes="https://unknown.example/other">S</itunes:summary>',
        "<x:clip>text<title>U</title></x:clip>",  # a handled element inside
    ):
        other = content.replace(b"<linkmobile>", read.encode() + b"<linkmobile>")
        assert not accepted(other), read
        a, b = both(other)
        assert a == b, read


# ---------------------------------------------------------------------------
# Generated documents
# ---------------------------------------------------------------------------

_WORDS = st.sampled_from(
    [
        "Minister",
        "pledge",
        "  ",
        "\n",
        "Caf\u00e9",
        "\u00c3\u00a9",  # UTF-8 read as Latin-1: feedparser repairs it
        "\u0096",  # a C1 control that feedparser maps as cp1252
        "\u2019",
        "AT&T",
        "&amp;",
        "&nbsp;",
        "&#8217;",
        "<b>",
        "</b>",
        "<p>",
        "</p>",
        '<a href="/rel/path?a=1&b=2">',
        '<a href="../up.html">',
        "</a>",
        '<img src="pic.png"/>',
        "<script>steal()</script>",
        "<style>p{}</style>",
        "<br>",
        "<unknown>",
        "</div>",
        "<!-- c -->",
        "x < y",
        "]]",
    ]
)
_TEXT = st.lists(_WORDS, max_size=8).map("".join)
_LINKS = st.sampled_from(
    [
        "/a/b",
        "b.html",
        "//other.example/x",
        "https://news.example/p?utm_source=a&id=3",
        " https://news.example/spaced ",
        "",
        "javascript:alert(1)",
        "http://[bad",
        "?q=1",
        "https://news.example/&amp;x",
    ]
)
_DATES = st.one_of(
    st.datetimes(
        min_value=datetime(1990, 1, 1),  # noqa: DTZ001 - hypothesis takes naive bounds
        max_value=datetime(2030, 1, 1),  # noqa: DTZ001
        timezones=st.just(UTC),
    ).flatmap(
        lambda d: st.sampled_from(
            [
                d.strftime("%a, %d %b %Y %H:%M:%S GMT"),
                d.strftime("%a, %d %b %Y %H:%M:%S +0530"),
                d.strftime("%d %b %Y %H:%M:%S"),
                d.strftime("%Y-%m-%dT%H:%M:%SZ"),
                (d + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M:%S+02:00"),
                d.strftime("%Y-%m-%dT%H:%M:%S"),
                d.strftime("%Y-%m-%d"),
            ]
        )
    ),
    st.sampled_from(["", "not a date", "Mon, 99 Foo 2020"]),
)


def _encode(value: str, cdata: bool) -> str:
    if cdata and "]]>" not in value:
        return f"<![CDATA[{value}]]>"
    return escape(value)


@st.composite
def _items(draw: st.DrawFn) -> str:
    fields: list[str] = []
    if draw(st.booleans()):
        fields.append(f"<title>{_encode(draw(_TEXT), draw(st.booleans()))}</title>")
    if draw(st.booleans()):
        fields.append(f"<link>{escape(draw(_LINKS))}</link>")
    if draw(st.booleans()):
        fields.append(f"<description>{_encode(draw(_TEXT), draw(st.booleans()))}</description>")
    if draw(st.booleans()):
        body = _encode(draw(_TEXT), draw(st.booleans()))
        fields.append(f"<content:encoded>{body}</content:encoded>")
    if draw(st.booleans()):
        attr = draw(
            st.sampled_from(
                ["", ' isPermaLink="true"', ' isPermaLink="false"', ' isPermaLink="FALSE"']
            )
        )
        guid = draw(st.one_of(_LINKS, st.just("tag:news.example,2020:7")))
        fields.append(f"<guid{attr}>{escape(guid)}</guid>")
    if draw(st.booleans()):
        fields.append(f"<pubDate>{escape(draw(_DATES))}</pubDate>")
    fields += draw(
        st.lists(
            st.sampled_from(
                [
                    "<category>c</category>",
                    "<dc:creator>me</dc:creator>",
                    '<enclosure url="/a.mp3" length="1" type="audio/mpeg"/>',
                    "<comments>/c</comments>",
                    "<atom:updated>2020-01-01T00:00:00Z</atom:updated>",  # unusual: fallback
                    "<title>again</title>",  # a repeated field: fallback
                    "<dc:date>2020-01-01T00:00:00Z</dc:date>",
                    "<dc:date>not a date</dc:date>",
                    '<media:thumbnail url="/t.jpg" width="1"/>',
                    "<media:thumbnail> /t.jpg </media:thumbnail>",
                    '<media:content url="/v.mp4"><media:credit r="x">me</media:credit>'
                    "</media:content>",
                    "<media:group><media:content url='/a'/><media:thumbnail url='/b'/>"
                    "</media:group>",
                    '<media:content url="/v.mp4"><media:title>M</media:title></media:content>',
                    "<media:description>D</media:description>",  # the summary: fallback
                    '<media:content url="/v"> text </media:content>',
                    "<linkmobile>/m</linkmobile>",
                    "<x:tag>t</x:tag>",
                    "<x:author>a</x:author>",
                    '<itunes:summary xmlns:itunes="https://unknown.example/i">S</itunes:summary>',
                    '<y:author xmlns:y="https://unknown.example/ns">a</y:author>',  # two prefixes
                    '<x:clip id="1"> text </x:clip>',
                    '<x:clip id="1"><x:part>p</x:part></x:clip>',
                    "<x:clip><title>inner</title></x:clip>",  # a handler inside: fallback
                    "<published_parsed>x</published_parsed>",  # a key read: fallback
                    "<date_parsed>x</date_parsed>",  # an alias of one: fallback
                    "<Title>cap</Title>",  # feedparser lower-cases names: fallback
                    '<x:tag xml:lang="de">t</x:tag>',  # fallback
                ]
            ),
            max_size=3,
        )
    )
    order = draw(st.permutations(fields))
    attr = draw(st.sampled_from(["", "", "", ' xml:base="https://base.example/dir/"']))
    return f"<item{attr}>{''.join(order)}</item>"


@st.composite
def _feeds(draw: st.DrawFn) -> tuple[bytes, dict[str, str]]:
    version = draw(st.sampled_from(["2.0", "2.0", "2.0", "0.92"]))
    head = ""
    if draw(st.booleans()):
        head += f"<title>{_encode(draw(_TEXT), draw(st.booleans()))}</title>"
    head += "<link>https://news.example/</link><description>d</description>"
    if draw(st.booleans()):
        head += "<image><title>Logo</title><url>/logo.png</url><link>/</link></image>"
    head += "".join(
        draw(
            st.lists(
                st.sampled_from(
                    [
                        "<dc:date>2020-01-01T00:00:00Z</dc:date>",
                        "<ttl>5</ttl>",
                        "<x:new-feed-url>/n</x:new-feed-url>",
                        '<media:thumbnail url="/t.jpg"/>',
                        "<x:summary>s</x:summary>",  # fallback
                    ]
                ),
                max_size=2,
            )
        )
    )
    items = "".join(draw(st.lists(_items(), max_size=4)))
    declaration = draw(
        st.sampled_from(
            [
                '<?xml version="1.0" encoding="utf-8"?>',
                '<?xml version="1.0" encoding="UTF-8"?>',
                '<?xml version="1.0"?>',
                "",
                '<?xml version="1.0" encoding="iso-8859-1"?>',
            ]
        )
    )
    doc = (
        f'{declaration}<rss version="{version}" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:atom="http://www.w3.org/2005/Atom" '
        'xmlns:media="http://search.yahoo.com/mrss/" xmlns:x="https://unknown.example/ns">'
        f"<channel>{head}{items}</channel></rss>"
    )
    ctype = draw(
        st.sampled_from(
            [
                "application/rss+xml",
                "application/xml; charset=utf-8",
                "text/xml",
                "text/xml; charset=utf-8",
                "text/html",
            ]
        )
    )
    return doc.encode(), {"Content-Type": ctype}


@st.composite
def _atom_entries(draw: st.DrawFn) -> str:
    def text(tag: str) -> str:
        kind = draw(st.sampled_from(["", ' type="text"', ' type="html"', ' type="HTML"']))
        return f"<{tag}{kind}>{_encode(draw(_TEXT), draw(st.booleans()))}</{tag}>"

    fields: list[str] = []
    if draw(st.booleans()):
        fields.append(text("title"))
    if draw(st.booleans()):
        fields.append(text("summary"))
    if draw(st.booleans()):
        fields.append(text("content"))
    if draw(st.booleans()):
        fields.append(
            f"<id>{escape(draw(st.one_of(_LINKS, st.just('tag:x.example,2020:1'))))}</id>"
        )
    for tag in ("published", "updated"):
        if draw(st.booleans()):
            fields.append(f"<{tag}>{escape(draw(_DATES))}</{tag}>")
    for _ in range(draw(st.integers(0, 2))):
        rel = draw(st.sampled_from(["", ' rel="alternate"', ' rel="self"', ' rel="related"']))
        kind = draw(st.sampled_from(["", ' type="text/html"', ' type="application/pdf"']))
        href = escape(draw(_LINKS), {'"': "&quot;"})
        fields.append(f'<link{rel}{kind} href="{href}"/>')
    fields += draw(
        st.lists(
            st.sampled_from(
                [
                    '<category term="c"/>',
                    "<author><name>me</name><uri>/me</uri></author>",
                    "<rights>r</rights>",
                    "<dc:date>2020-01-01</dc:date>",  # unusual: fallback
                ]
            ),
            max_size=2,
        )
    )
    return f"<entry>{''.join(draw(st.permutations(fields)))}</entry>"


@st.composite
def _atom_feeds(draw: st.DrawFn) -> tuple[bytes, dict[str, str]]:
    head = ""
    if draw(st.booleans()):
        kind = draw(st.sampled_from(["", ' type="text"', ' type="html"']))
        head += f"<title{kind}>{_encode(draw(_TEXT), draw(st.booleans()))}</title>"
    head += '<id>tag:x.example,2020:feed</id><link rel="self" href="/feed"/>'
    head += "<updated>2020-01-01T00:00:00Z</updated>"
    entries = "".join(draw(st.lists(_atom_entries(), max_size=4)))
    lang = draw(st.sampled_from(["", ' xml:lang="en"', ' xml:base="https://b.example/d/"']))
    doc = (
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom" '
        f'xmlns:dc="http://purl.org/dc/elements/1.1/"{lang}>{head}{entries}</feed>'
    )
    ctype = draw(st.sampled_from(["application/atom+xml", "application/xml", "text/xml"]))
    return doc.encode(), {"Content-Type": ctype}


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_atom_feeds())
def test_generated_atom_feeds_read_the_same_both_ways(feed: tuple[bytes, dict[str, str]]) -> None:
    content, headers = feed
    a, b = both(content, headers)
    assert a == b


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_feeds())
def test_generated_feeds_read_the_same_both_ways(feed: tuple[bytes, dict[str, str]]) -> None:
    content, headers = feed
    a, b = both(content, headers)
    assert a == b


# ---------------------------------------------------------------------------
# Plain markup: the resolver is skipped, the text is the same
# ---------------------------------------------------------------------------

# Words that keep markup plain: most texts made of them take the pattern.
_PLAIN = [
    "word",
    " ",
    "\n",
    "Caf\u00e9",
    "\u00c3\u00a9",
    "\x96",
    "a > b",
    "&amp;",
    "&nbsp;",
    "&xi;",
    "&#8217;",
    "&#X2019;",
    "&#39;",
    "<p>",
    "</p>",
    "<P>",
    "<p/>",
    "<p >",
    "</p >",
    "<br>",
    "<br/>",
    "<hr>",
    "<b>",
    "</b>",
    '<a href="/rel?a=1&b=2">',
    "<a href='../up.html'>",
    "</a>",
    '<img src="pic.png"/>',
    '<div class="x"/>',
    "<li>",
    "</LI>",
]
_MARKUP = st.sampled_from(
    [
        *_PLAIN,
        "\u2019",
        "AT&T",
        "&apos;",
        "&foo;",
        "&#150;",
        "&#x96;",
        "<br />",
        "</br>",
        "</img>",
        "<a href='it\"s'>",
        '<a href="x"title="y">',
        "<a href=/bare>",
        '<img alt="caf\u00e9" src="p.png">',
        "<input disabled>",
        "</li>",
        "<script>steal()</script>",
        '<script src="x"/>',
        "<style>p{}</style>",
        "<iframe/>",
        "<title>",
        "<textarea>",
        "<unknown>",
        "<!-- c -->",
        "<!x>",
        "<?pi?>",
        "<>",
        "</>",
        "<a/b/",
        "x < y",
        "&",
    ]
)
_BASES = st.sampled_from(
    ["https://news.example/dir/", "", "https://b\u00fccher.example/", "http://h.example:8080/a"]
)


def _texts(raw: str, base: str) -> tuple[str, str]:
    """The text of an RSS description read by the fast reader, and with the resolver."""
    from unittest import mock

    from monitor import fastrss
    from monitor.parse import html_to_text

    fast = html_to_text(fastrss._value(raw, "description", "text/html", base))
    with mock.patch.object(fastrss, "plain_markup", lambda *a: False):
        resolved = html_to_text(fastrss._value(raw, "description", "text/html", base))
    return fast, resolved


@settings(max_examples=1500, deadline=None)
@given(st.lists(_MARKUP, max_size=10).map("".join), _BASES)
def test_plain_markup_gives_the_text_the_resolver_gives(raw: str, base: str) -> None:
    fast, resolved = _texts(raw, base)
    assert fast == resolved


def test_common_markup_is_plain_and_the_rest_is_resolved() -> None:
    from monitor.fastrss import plain_markup

    base = "https://news.example/"
    wordpress = (
        '<figure class="wp-block-image"><img src="/up/a.jpg" alt="Residents" /></figure>\n'
        "<p><strong>KHOST:</strong> At least eight&#8217;s &amp; <em>more</em>.<br/></p>"
        '<p>See <a href="https://x.example/?a=1&amp;b=2" rel="nofollow">this</a>.</p>'
    )
    assert plain_markup(wordpress, base)
    for raw in (
        "a</br>b",  # the resolver drops the end tag of a void element
        '<script src="x"/>after',  # the resolver leaves <script> open: "after" is skipped
        "&#150;",  # feedparser re-maps 128-159 to cp1252
        "&foo;",  # an entity feedparser does not know
        "AT&T",  # a bare ampersand
        "<!-- c -->",
        "<unknown>x",
        "<a href=/bare>x</a>",
        "x" * 40_000,  # the resolver could lengthen it past what html_to_text reads
    ):
        assert not plain_markup(raw, base), raw
    assert not plain_markup("<p>x</p>", "https://b\u00fccher.example/")
    # three URIs a tag, each made as long as the base: past what html_to_text reads
    long_base = "https://news.example/" + "d/" * 500
    many = '<img src="a" longdesc="b" usemap="c">' * 70
    assert plain_markup(many, base) and not plain_markup(many, long_base)


def test_html_read_limit_is_html_to_texts() -> None:
    from monitor import fastrss, parse

    assert fastrss.HTML_READ_LIMIT == parse._MAX_HTML_CHARS


# (the words of _MARKUP that keep markup plain)
_PLAIN_WORDS = st.sampled_from(_PLAIN)


@settings(max_examples=1500, deadline=None)
@given(st.lists(st.one_of(_PLAIN_WORDS, _MARKUP), max_size=12).map("".join))
def test_plain_markup_is_read_as_the_html_parser_reads_it(html: str) -> None:
    """``html_to_text`` reads plain markup with a pattern, other markup with the parser:
    the text is the same."""
    from monitor.parse import _parsed_text, html_to_text

    assert html_to_text(html) == _parsed_text(html)


@settings(max_examples=1500, deadline=None)
@given(st.lists(_PLAIN_WORDS, max_size=12).map("".join), _BASES)
def test_plain_words_make_plain_markup(html: str, base: str) -> None:
    from monitor.fastrss import plain_markup
    from monitor.parse import _parsed_text, html_to_text

    assert plain_markup(html) and html_to_text(html) == _parsed_text(html)
    fast, resolved = _texts(html, base)
    assert fast == resolved


def test_plain_markup_text_keeps_blocks_and_references() -> None:
    from monitor.fastrss import plain_markup
    from monitor.parse import _parsed_text, html_to_text

    html = "<P>One &amp; two</p><p/>three<br>four &#8217;<b>five</b>"
    assert plain_markup(html)
    assert html_to_text(html) == _parsed_text(html) == "One & two\nthree\nfour \u2019five"
