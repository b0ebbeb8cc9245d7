"""Bytes + headers -> normalised entries, via feedparser (or, for well-formed RSS 2.0
and Atom 1.0 in UTF-8, ``monitor.fastrss``, which gives the same values).  Pure: no I/O.

Bozo policy: a malformed feed that still yields entries is kept (``bozo=True``);
bytes with no entries and no recognisable feed raise ``ParseError``.  A DOCTYPE
in the prolog is removed before feedparser sees the bytes, so no entity can be
declared (no billion laughs, no quadratic blowup, no external entities).
"""

from __future__ import annotations

import calendar
import codecs
import hashlib
import io
import re
import time
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from html import unescape
from html.parser import HTMLParser
from typing import Any
from urllib.parse import quote, urljoin, urlsplit, urlunsplit

import feedparser  # type: ignore[import-untyped, unused-ignore]

from monitor.errors import ParseError
from monitor.fastrss import plain_markup, read_feed
from monitor.models import Entry, ParseResult

MAX_TITLE_CHARS = 500
MAX_TEXT_CHARS = 20_000
MAX_IDENTITY_CHARS = 1000
# The longest canonical URL kept (``articles.url`` is TEXT: this only drops absurd links).
MAX_URL_CHARS = 8000
# The longest host name DNS allows; a link with a longer one is not a URL.
MAX_HOST_CHARS = 253
# A publication date further ahead than this (of the time the feed was served) is not believed.
FUTURE_SLACK = timedelta(days=1)
# HTML longer than this is cut before it is turned into text (the text is cut anyway).
_MAX_HTML_CHARS = 10 * MAX_TEXT_CHARS

# What feedparser itself raises on some odd inputs (an XML declaration's encoding name
# that is not UTF-8, a namespaced name with two separators), instead of flagging bozo.
_FEEDPARSER_FAILURES = (
    UnicodeError,
    ValueError,
    TypeError,
    KeyError,
    IndexError,
    AttributeError,
    OverflowError,
    RecursionError,
)
# feedparser flags these, but the feed was still read correctly.
_SURVIVABLE = (feedparser.CharacterEncodingOverride, feedparser.NonXMLContentType)

# ---------------------------------------------------------------------------
# DOCTYPE / entity defence
# ---------------------------------------------------------------------------

# Whitespace, processing instructions and comments, as the XML prolog allows them.
_MISC = re.compile(r"(?:[ \t\r\n]+|<\?.*?\?>|<!--.*?-->)*", re.DOTALL)
_DTD_SPECIAL = re.compile(r"[\"'\[\]<>]")
# feedparser splits the prolog off at the first "<" + ASCII word character.
_ELEMENT_START = re.compile(r"<\w", re.ASCII)
_DANGER = re.compile(r"<!\s*(?:DOCTYPE|ENTITY|ATTLIST|ELEMENT|NOTATION)", re.IGNORECASE)
_FP_DECLARATION = re.compile(r"^\s*<!\s*(?:DOCTYPE|ENTITY)", re.IGNORECASE | re.MULTILINE)
_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.DOTALL)
_XML_DECL_ENCODING = re.compile(r"^\s*<\?xml[^>]*?encoding\s*=\s*[\"']([A-Za-z0-9._:-]{1,40})")
_CHARSET = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9._:-]{1,40})", re.IGNORECASE)


def _doctype_end(text: str, pos: int) -> int:
    """The index just past the DOCTYPE declaration whose body starts at ``pos``, or -1."""
    in_subset = False
    while True:
        m = _DTD_SPECIAL.search(text, pos)
        if m is None:
            return -1
        c, pos = m.group(), m.start()
        if c in "\"'":
            close = text.find(c, pos + 1)
            if close < 0:
                return -1
            pos = close + 1
        elif c == "<" and in_subset and text.startswith("<!--", pos):
            close = text.find("-->", pos + 4)
            if close < 0:
                return -1
            pos = close + 3
        elif c == "<" and in_subset and text.startswith("<?", pos):
            close = text.find("?>", pos + 2)
            if close < 0:
                return -1
            pos = close + 2
        elif c == "[" and not in_subset:
            in_subset = True
            pos += 1
        elif c == "]" and in_subset:
            in_subset = False
            pos += 1
        elif c == ">" and not in_subset:
            return pos + 1
        else:
            pos += 1


def _prolog_doctypes(text: str) -> list[tuple[int, int]] | None:
    """Spans of the DOCTYPE declarations in the prolog; None if one is unterminated."""
    spans: list[tuple[int, int]] = []
    pos = 1 if text.startswith("\ufeff") else 0
    # A UTF-8 BOM seen through latin-1.
    if text.startswith("\xef\xbb\xbf"):
        pos = 3
    while True:
        misc = _MISC.match(text, pos)
        assert misc is not None  # the pattern matches the empty string
        pos = misc.end()
        if text[pos : pos + 9].upper() != "<!DOCTYPE":
            break
        end = _doctype_end(text, pos + 9)
        if end < 0:
            return None
        spans.append((pos, end))
        pos = end
    return spans


def _has_declarations(text: str) -> bool:
    """True if a DOCTYPE/ENTITY could still reach feedparser's prolog handling.

    That is a declaration outside comments before the first element, or a line that
    feedparser's own line-anchored DOCTYPE/ENTITY patterns would pick up (which do
    not skip comments).  A mention inside a line of a comment is harmless.
    """
    if "<!" not in text:  # every declaration (and comment) starts so: nothing to find
        return False
    if _prolog_doctypes(text) != []:
        return True
    m = _ELEMENT_START.search(text)
    head = text[: m.start() + 1] if m else text
    return (
        _FP_DECLARATION.search(head) is not None
        or _DANGER.search(_COMMENT.sub("", head)) is not None
    )


def _candidate_codecs(content: bytes, headers: Mapping[str, str]) -> list[str]:
    """Every encoding feedparser might decode ``content`` with (and a few more)."""
    names: list[str] = []
    m = _CHARSET.search(headers.get("content-type", ""))
    if m:
        names.append(m.group(1))
    head = content[:1024]
    # In UTF-16 and UTF-32 every ASCII character, "<" too, has a zero byte: with none in
    # the head, no declaration can be read there in those (their decoding is slow).
    wide = b"\x00" in head
    for probe in ("latin-1", "utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be", "cp037"):
        if probe.startswith("utf-") and not wide:
            continue
        decl = _XML_DECL_ENCODING.match(head.decode(probe, "replace").lstrip("\ufeff\xef\xbb\xbf"))
        if decl:
            names.append(decl.group(1))
    names += ["utf-8", "windows-1252", "iso-8859-2", "cp037", "cp500", "utf-7"]
    if b"\x00" in content:
        names += ["utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"]
    seen = {codecs.lookup("latin-1").name}
    out: list[str] = []
    for name in names:
        try:
            key = codecs.lookup(name).name
        except LookupError:
            continue
        if key not in seen:
            seen.add(key)
            out.append(name)
    return out


def neutralise_doctype(content: bytes, *, url: str, headers: Mapping[str, str]) -> bytes:
    """Remove DOCTYPE declarations (and so every entity declaration) from the prolog.

    Raises ``ParseError`` if a declaration survives in any encoding feedparser
    could pick, e.g. a UTF-16 document with a DOCTYPE, which is refused.
    """
    text = content.decode("latin-1")  # one char per byte: spans map back to bytes
    spans = _prolog_doctypes(text)
    if spans is None:
        raise ParseError(url, "unterminated DOCTYPE declaration")
    if spans:
        parts: list[str] = []
        last = 0
        for start, end in spans:
            parts.append(text[last:start])
            last = end
        parts.append(text[last:])
        text = "".join(parts)
        content = text.encode("latin-1")
    if _has_declarations(text):
        raise ParseError(url, "refused: DTD declarations outside a well-formed prolog")
    for codec in _candidate_codecs(content, headers):
        try:
            decoded = content.decode(codec, "replace")
        except (LookupError, UnicodeError, ValueError, TypeError):
            continue
        if _has_declarations(decoded):
            raise ParseError(url, f"refused: DTD declarations in {codec}-encoded prolog")
    return content


# ---------------------------------------------------------------------------
# Encoding and shape, before feedparser
# ---------------------------------------------------------------------------

# Byte-order marks and the first bytes of "<?" (or "<") in the wide encodings, longest first.
_WIDE_STARTS = (
    (b"\x00\x00\xfe\xff", "utf-32-be", 4),
    (b"\xff\xfe\x00\x00", "utf-32-le", 4),
    (b"\xfe\xff", "utf-16-be", 2),
    (b"\xff\xfe", "utf-16-le", 2),
    (b"\x00\x00\x00<", "utf-32-be", 0),
    (b"<\x00\x00\x00", "utf-32-le", 0),
    (b"\x00<\x00", "utf-16-be", 0),
    (b"<\x00?\x00", "utf-16-le", 0),
)
_DECL_ENCODING = re.compile(rb"^(\s*<\?xml[^>]*?encoding\s*=\s*)([\"'])[^\"']*\2")
_UTF8_NAMES = frozenset({"utf-8", "utf8", "utf_8"})
# An element with more attributes than this has the rest removed (feedparser's strict
# parser takes time quadratic in the number of attributes of one element).
MAX_ATTRIBUTES = 200
_LONG_TAG = re.compile(rb"<[A-Za-z_][^<>]{%d,}>" % (MAX_ATTRIBUTES * 4))
_ATTRIBUTE = re.compile(rb"""\s+[^\s=<>/"']+\s*=\s*(?:"[^"]*"|'[^']*')""")
_TAG_NAME = re.compile(rb"<[^\s<>/]+")


def _charset(headers: Mapping[str, str]) -> str | None:
    m = _CHARSET.search(headers.get("content-type", ""))
    return m.group(1).lower() if m else None


def _with_charset(headers: Mapping[str, str], charset: str) -> dict[str, str]:
    out = dict(headers)
    ctype = out.get("content-type", "application/xml")
    out["content-type"] = (
        _CHARSET.sub(f"charset={charset}", ctype)
        if _CHARSET.search(ctype)
        else f"{ctype}; charset={charset}"
    )
    return out


def to_utf8(content: bytes, headers: Mapping[str, str]) -> tuple[bytes, dict[str, str]]:
    """UTF-16/32 documents re-encoded as UTF-8 (declaration and charset to match), so the
    DOCTYPE defence sees them as they are; and a UTF-8 body served with another charset
    read as UTF-8 when its declaration does not say otherwise."""
    out = dict(headers)
    for start, codec, bom in _WIDE_STARTS:
        if content.startswith(start):
            text = content[bom:].decode(codec, "replace")
            utf8 = _DECL_ENCODING.sub(rb"\1\2utf-8\2", text.encode("utf-8"), count=1)
            return utf8, _with_charset(out, "utf-8")
    charset = _charset(out)
    if charset is None or charset.replace("-", "_") in {"utf_8", "utf8"}:
        return content, out
    declared = _XML_DECL_ENCODING.match(content[:1024].decode("latin-1"))
    if declared and declared.group(1).lower() not in _UTF8_NAMES:
        return content, out
    if not any(b >= 0x80 for b in content[:1_000_000]):
        return content, out
    try:
        content.decode("utf-8")
    except UnicodeDecodeError:
        return content, out
    return content, _with_charset(out, "utf-8")


# A numeric character reference (feedparser also reads one without its ";").
_CHARREF = re.compile(rb"&#(?:[xX]([0-9A-Fa-f]+)|([0-9]+));?")
_REPLACEMENT_REF = b"&#xFFFD;"
# The first element of the document, as feedparser finds it (ASCII word or any non-ASCII).
_FIRST_ELEMENT = re.compile(rb"<[\w\x80-\xff]")
_PROLOG_SPACE = re.compile(rb"[ \t\r\n]+")
_UTF8_BOM = b"\xef\xbb\xbf"


def _valid_charrefs(content: bytes) -> bytes:
    """Character references to no character (a surrogate, 0, past U+10FFFF, or a number
    too long to read) replaced by a reference to U+FFFD, which feedparser can decode."""

    def fix(m: re.Match[bytes]) -> bytes:
        hexa, dec = m.group(1), m.group(2)
        digits = hexa if hexa is not None else dec
        if len(digits.lstrip(b"0")) > 8:
            return _REPLACEMENT_REF
        code = int(digits, 16) if hexa is not None else int(digits)
        if code == 0 or 0xD800 <= code <= 0xDFFF or code > 0x10FFFF:
            return _REPLACEMENT_REF
        return m.group()

    if b"&#" not in content:
        return content
    return _CHARREF.sub(fix, content)


def _one_line_break(m: re.Match[bytes]) -> bytes:
    run = m.group()
    return b"\n" if b"\n" in run or b"\r" in run else run


def squeeze_prolog(content: bytes) -> bytes:
    """Whitespace that spans lines before the first element cut to one newline a run (and
    none before the XML declaration).  The prolog's whitespace means nothing, and
    feedparser's (and our) line-anchored prolog patterns cost time quadratic in the
    length of such a run."""
    bom = _UTF8_BOM if content.startswith(_UTF8_BOM) else b""
    body = content[len(bom) :]
    m = _FIRST_ELEMENT.search(body)
    end = m.start() if m else len(body)
    head = body[:end]
    if not head:
        return content
    head = _PROLOG_SPACE.sub(_one_line_break, head.lstrip(b" \t\r\n"))
    return bom + head + body[end:]


def _cap_attributes(content: bytes) -> bytes:
    """Every start tag cut to its first ``MAX_ATTRIBUTES`` attributes."""

    def cut(m: re.Match[bytes]) -> bytes:
        tag = m.group()
        attrs = list(_ATTRIBUTE.finditer(tag))
        if len(attrs) <= MAX_ATTRIBUTES:
            return tag
        name = _TAG_NAME.match(tag)
        assert name is not None  # _LONG_TAG starts with "<" + a name character
        close = b"/>" if tag.rstrip(b" \t\r\n>").endswith(b"/") else b">"
        return name.group() + b"".join(a.group() for a in attrs[:MAX_ATTRIBUTES]) + close

    return _LONG_TAG.sub(cut, content)


# ---------------------------------------------------------------------------
# Text
# ---------------------------------------------------------------------------

_BLOCK_TAGS = frozenset(
    "address article aside blockquote br dd div dl dt figcaption figure footer h1 h2 h3 h4 "
    "h5 h6 header hr li main nav ol p pre section table tbody td th thead tr ul".split()
)
_SKIP_TAGS = frozenset(
    {
        "script",
        "style",
        "noscript",
        "template",
        "iframe",
        "object",
        "noembed",
        "noframes",
        "applet",
        "head",
    }
)
# Bidi embedding/override/isolate controls and marks, the BOM, and invisible separators
# (zero-width space, word joiner, invisible operators, Mongolian vowel separator).  The
# zero-width (non-)joiners stay: Persian, Pashto and Indic scripts need them.
_INVISIBLE = dict.fromkeys(
    [
        *range(0x202A, 0x202F),
        *range(0x2066, 0x206A),
        0x200E,
        0x200F,
        0x061C,
        0xFEFF,
        0x200B,
        *range(0x2060, 0x2065),
        0x180E,
    ]
)
_INVISIBLE_RE = re.compile("[" + "".join(map(chr, _INVISIBLE)) + "]")
# C0/C1 controls (except LF) and the Unicode line/paragraph separators.
_CONTROLS = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029]")


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP_TAGS:
            self._skip += 1
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP_TAGS:
            self._skip = max(0, self._skip - 1)
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


# A tag of plain markup (``fastrss.plain_markup``): no ">" inside its attribute values.
_PLAIN_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9]*)[^>]*>")


def html_to_text(html: str) -> str:
    """The text of an HTML fragment: tags dropped, entities decoded, blocks on their own lines."""
    html = html[:_MAX_HTML_CHARS]
    if "<" not in html:  # no tag: what the parser would give (its data, entities decoded)
        return clean_text(unescape(html) if "&" in html else html)
    if plain_markup(html):
        # Plain markup (simple tags, none script-like or skipped, every "&" a complete
        # reference): what the parser gives, read off with one pattern.  Each tag is
        # dropped (a block's start or end is a line break), the data between them kept
        # with its references decoded, as the parser's data is.
        parts: list[str] = []
        at = 0
        for m in _PLAIN_TAG.finditer(html):
            parts.append(html[at : m.start()])
            if m.group(2).lower() in _BLOCK_TAGS:
                parts.append("\n")
            at = m.end()
        parts.append(html[at:])
        text = "".join(parts)
        return clean_text(unescape(text) if "&" in text else text)
    return _parsed_text(html)


def _parsed_text(html: str) -> str:
    """``html_to_text`` by the HTML parser (any markup)."""
    parser = _TextExtractor()
    parser.feed(html)
    parser.close()
    return clean_text("".join(parser.parts))


_SURROGATES = re.compile("[\ud800-\udfff]")


def valid_unicode(s: str) -> str:
    """``s`` with every lone surrogate replaced by U+FFFD, so it encodes as UTF-8."""
    return _SURROGATES.sub("\ufffd", s)


def _strip_controls(s: str) -> str:
    if not s.isascii():  # ASCII has no surrogate and no invisible character
        s = valid_unicode(s)
        if _INVISIBLE_RE.search(s):
            s = s.translate(_INVISIBLE)
    return _CONTROLS.sub(" ", s)


def clean_text(s: str) -> str:
    """Control and bidi characters removed; spaces collapsed; lines kept, blank ones dropped."""
    s = s.replace("\r\n", "\n").replace("\r", "\n")
    lines = (" ".join(line.split()) for line in _strip_controls(s).split("\n"))
    return "\n".join(line for line in lines if line)


def clean_title(s: str) -> str:
    """``clean_text`` on one line: no CR/LF at all."""
    return " ".join(clean_text(s).split())


def truncate(s: str, limit: int) -> str:
    """``s`` cut to at most ``limit`` chars, on a word boundary, ending in "…"."""
    if len(s) <= limit:
        return s
    cut = s[: limit - 1]
    space = max(cut.rfind(" "), cut.rfind("\n"))
    if space > limit // 2:
        cut = cut[:space]
    return cut.rstrip() + "…"


def _detail_text(value: str, detail: Any, *, atom: bool) -> str:
    """Plain text of a feedparser value.

    Atom declares its text types, so its ``text/plain`` is kept literally.  RSS
    does not: feedparser's "plain" is a guess, and "<script>..." would pass it,
    so RSS/RDF values are always read as HTML.
    """
    kind = detail.get("type") if isinstance(detail, Mapping) else None
    if atom and kind == "text/plain":  # feedparser has already decoded its entities
        return clean_text(value)
    return html_to_text(value)


# ---------------------------------------------------------------------------
# URLs
# ---------------------------------------------------------------------------

_TRACKING_EXACT = frozenset(
    {
        "fbclid",
        "gclid",
        "dclid",
        "gclsrc",
        "msclkid",
        "yclid",
        "twclid",
        "igshid",
        "ocid",
        "cmpid",
        "mc_cid",
        "mc_eid",
        "_ga",
        "_gl",
        "ref",
        "ref_src",
        "ref_url",
        "referrer",
        "smid",
        "cmp",
        "ito",
        "at_medium",
        "at_campaign",
    }
)
_URL_CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f]")
_TRACKING_PREFIXES = ("utm_", "ref_", "pk_", "mtm_")
_PATH_SAFE = "/%:@!$&'()*+,;=-._~"
_QUERY_SAFE = _PATH_SAFE + "?"


def _is_tracking(name: str) -> bool:
    key = name.lower()
    return key in _TRACKING_EXACT or key.startswith(_TRACKING_PREFIXES)


def canonical_url(url: str) -> str | None:
    """An http(s) URL in canonical form, or None if it is not one.

    Lower-cases scheme and host, drops user info, default ports, the fragment
    and tracking parameters (utm_*, fbclid, gclid, ocid, cmpid, ref, ...).
    """
    url = _URL_CONTROLS.sub("", url).strip()
    try:
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        host = (parts.hostname or "").rstrip(".")
        port = parts.port
    except ValueError:
        return None
    if scheme not in ("http", "https") or not host or any(c in host for c in ' <>"\\^`{|}'):
        return None
    if len(host) > MAX_HOST_CHARS:
        return None
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    if port is not None and port != {"http": 80, "https": 443}[scheme]:
        host = f"{host}:{port}"
    path = quote(parts.path, safe=_PATH_SAFE) or "/"
    params = [
        quote(p, safe=_QUERY_SAFE)
        for p in parts.query.split("&")
        if p and not _is_tracking(p.split("=", 1)[0])
    ]
    out = urlunsplit((scheme, host, path, "&".join(params), ""))
    return valid_unicode(out) if len(out) <= MAX_URL_CHARS else None


# ---------------------------------------------------------------------------
# Entries
# ---------------------------------------------------------------------------


def _datetime_of(entry: Any, key: str) -> datetime | None:
    # "key in entry" bypasses FeedParserDict's updated->published fallback.
    value = entry[key] if key in entry else None
    if not isinstance(value, time.struct_time):
        return None
    try:
        return datetime.fromtimestamp(calendar.timegm(value), UTC)
    except (OverflowError, ValueError, OSError):
        return None


def _longest_text(entry: Any, atom: bool) -> str:
    candidates: list[tuple[str, Any]] = []
    for content in entry.get("content") or ():
        if isinstance(content, Mapping) and isinstance(content.get("value"), str):
            candidates.append((content["value"], content))
    summary = entry.get("summary")
    if isinstance(summary, str):
        candidates.append((summary, entry.get("summary_detail")))
    # The first longest text wins.  A text is never longer than its source (tags and
    # entities shrink to what they stand for), so a value no longer than the best text so
    # far cannot win and is not converted.
    best = ""
    for value, detail in candidates:
        if len(value) > len(best):
            text = _detail_text(value, detail, atom=atom)
            if len(text) > len(best):
                best = text
    return best


def _entry(entry: Any, feed_url: str, atom: bool, latest: datetime | None) -> Entry | None:
    raw_title = entry.get("title")
    title = ""
    if isinstance(raw_title, str):
        plain = _detail_text(raw_title, entry.get("title_detail"), atom=atom)
        title = truncate(clean_title(plain), MAX_TITLE_CHARS)
    text = truncate(_longest_text(entry, atom), MAX_TEXT_CHARS)

    link = entry.get("link")
    url = canonical_url(urljoin(feed_url, link)) if isinstance(link, str) and link else None

    raw_guid = entry.get("id")
    guid = clean_title(raw_guid) if isinstance(raw_guid, str) else ""
    if not (title or text or url or guid):
        return None

    if guid and len(guid) <= MAX_IDENTITY_CHARS:
        identity = f"guid:{guid}"
    elif guid:
        identity = "guid-sha256:" + hashlib.sha256(guid.encode()).hexdigest()
    elif url and len(url) <= MAX_IDENTITY_CHARS:
        identity = f"url:{url}"
    else:
        identity = "hash:" + hashlib.sha256(f"{title}\n{text}".encode()).hexdigest()

    published_at = None
    for key in ("published_parsed", "updated_parsed"):
        at = _datetime_of(entry, key)
        if at is not None and (latest is None or at <= latest):
            published_at = at
            break
    return Entry(
        identity=identity,
        guid=guid[:MAX_IDENTITY_CHARS] or None,
        url=url,
        title=title,
        text=text,
        published_at=published_at,
        publisher=_publisher(entry),
    )


def _publisher(entry: Any) -> str | None:
    """The original publisher an aggregator names in ``<source url="...">Name</source>``
    (Google News does), as a host name; syndicated items are then told apart by who
    wrote them, not by the aggregator that carried them."""
    source = entry.get("source")
    if not isinstance(source, Mapping):
        return None
    href = source.get("href") or source.get("url")
    if isinstance(href, str):
        host = (urlsplit(href).hostname or "").lower().removeprefix("www.")
        if host:
            return valid_unicode(host[:200])
    name = source.get("title")
    return clean_title(name)[:200] or None if isinstance(name, str) else None


def _feedparser_headers(headers: Mapping[str, str] | None, url: str) -> dict[str, str]:
    """The response headers feedparser should see (encoding, base URI, language)."""
    lower = {k.lower(): v for k, v in (headers or {}).items()}
    out = {k: lower[k] for k in ("content-type", "content-language") if lower.get(k)}
    # A missing Content-Type would make feedparser assume ISO-8859-1; XML's default
    # (the declaration, else UTF-8) is the better guess.
    out.setdefault("content-type", "application/xml")
    out["content-location"] = urljoin(url, lower.get("content-location") or "")
    return out


def newest_unique(entries: Iterable[Entry], limit: int) -> tuple[tuple[Entry, ...], int]:
    """The first entry of each identity, at most ``limit`` of them, and how many were left
    out for the limit.  Over the limit, the newest by date are kept (undated ones count
    as oldest), whatever the feed's order; the kept entries stay in the feed's order."""
    seen: set[str] = set()
    unique: list[Entry] = []
    for e in entries:
        if e.identity not in seen:
            seen.add(e.identity)
            unique.append(e)
    if len(unique) <= limit:
        return tuple(unique), 0
    oldest = datetime.min.replace(tzinfo=UTC)
    ranked = sorted(
        range(len(unique)),
        key=lambda i: (unique[i].published_at or oldest, -i),
        reverse=True,
    )
    keep = sorted(ranked[:limit])
    return tuple(unique[i] for i in keep), len(unique) - limit


# The end tag of an entry, and of a feed's root, with or without a namespace prefix.
_ENTRY_END = re.compile(r"</(?:[\w.-]+:)?(?:item|entry)\s*>", re.IGNORECASE)
_ROOT_END = re.compile(r"</(?:[\w.-]+:)?(?:rss|feed|rdf|channel)\s*>", re.IGNORECASE)


def _cut_short(content: bytes, encoding: str, entries: int) -> bool:
    """True if a malformed document ends inside its last entry (a truncated download)."""
    try:
        text = content.decode(encoding or "utf-8", "replace")
    except (LookupError, ValueError, TypeError):
        return False
    if _ROOT_END.search(text, max(0, len(text) - 4096)):
        return False
    return len(_ENTRY_END.findall(text)) < entries


def _served_at(headers: Mapping[str, str] | None) -> datetime | None:
    """The response's Date header: when the server sent the feed."""
    value = next((v for k, v in (headers or {}).items() if k.lower() == "date"), None)
    if not value:
        return None
    try:
        at = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    return at if at.tzinfo else at.replace(tzinfo=UTC)


def parse_feed(
    content: bytes,
    *,
    url: str,
    headers: Mapping[str, str] | None = None,
    max_entries: int = 500,
    now: datetime | None = None,
    fast: bool = True,
) -> ParseResult:
    """Parse feed bytes into normalised entries (first of each identity, at most ``max_entries``).

    ``url`` is the feed's (final) URL, used to resolve relative links; it is never fetched.
    A publication date more than ``FUTURE_SLACK`` after ``now`` (default: the response's
    Date header) is dropped.  In a malformed document that ends inside an entry, that
    last entry is dropped: it is incomplete, and would be stored again in full later.
    Raises ``ParseError`` for bytes that are not a feed, or declare a DTD that cannot be removed.
    Well-formed RSS 2.0 and Atom 1.0 in UTF-8 are read by ``monitor.fastrss`` (the same
    entries, faster); ``fast=False`` sends every document to feedparser (the differential
    tests compare both).
    """
    content, fp_headers = to_utf8(content, _feedparser_headers(headers, url))
    content = _valid_charrefs(squeeze_prolog(content))
    safe = _cap_attributes(neutralise_doctype(content, url=url, headers=fp_headers))
    fast_read = read_feed(safe, fp_headers) if fast else None
    if fast_read is not None:  # well-formed RSS 2.0/Atom in UTF-8: as feedparser reads it
        raw_entries, fast_feed, atom = fast_read
        feed: Mapping[str, Any] = fast_feed
        exc: BaseException | None = None
        bozo, message, encoding = False, None, "utf-8"
    else:
        try:
            d = feedparser.parse(
                io.BytesIO(safe),
                response_headers=fp_headers,
                resolve_relative_uris=True,
                # Only text is kept, and html_to_text drops every tag and the content of
                # script/style/iframe...; feedparser's sanitiser would keep iframe content.
                sanitize_html=False,
            )
        except _FEEDPARSER_FAILURES as e:  # feedparser's own bugs on odd bytes (fuzzed)
            raise ParseError(url, f"feedparser failed: {type(e).__name__}: {e}"[:300]) from e
        exc = d.get("bozo_exception")
        bozo = bool(d.get("bozo")) and not isinstance(exc, _SURVIVABLE)
        message = (str(exc) or type(exc).__name__) if bozo and exc is not None else None
        raw_entries = d.get("entries") or []
        atom = str(d.get("version") or "").startswith("atom")
        feed = d.get("feed") or {}
        encoding = str(d.get("encoding") or "")
        if not raw_entries and not d.get("version"):
            cause = str(exc) if exc is not None else "no feed found"
            raise ParseError(url, cause if content.strip() else "empty document")
    raw_title = feed.get("title")
    feed_title = (
        truncate(
            clean_title(_detail_text(raw_title, feed.get("title_detail"), atom=atom)),
            MAX_TITLE_CHARS,
        )
        if isinstance(raw_title, str)
        else ""
    )

    if bozo and raw_entries and _cut_short(safe, encoding, len(raw_entries)):
        raw_entries = raw_entries[:-1]
    served_at = now or _served_at(headers)
    try:
        latest = served_at + FUTURE_SLACK if served_at is not None else None
    except OverflowError:  # a Date header at the end of the calendar
        latest = None
    entries: list[Entry] = []
    failed: list[str] = []
    for raw in raw_entries:
        try:  # one entry that cannot be read costs that entry, not the feed
            entry = _entry(raw, url, atom, latest)
        except Exception as e:  # feedparser's values are untrusted shapes
            failed.append(f"{type(e).__name__}: {valid_unicode(str(e))[:200]}")
            continue
        if entry is not None:
            entries.append(entry)
    if failed:
        note = f"{len(failed)} entries could not be read (first: {failed[0]})"
        message = f"{message}; {note}" if message else note
    kept, dropped = newest_unique(entries, max(0, max_entries))
    return ParseResult(
        entries=kept,
        feed_title=feed_title or None,
        bozo=bozo or bool(failed),
        bozo_message=message,
        dropped=dropped,
        failed_entries=len(failed),
    )
