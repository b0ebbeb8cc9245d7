"""A fast reader for the common feed: well-formed RSS 2.0 or Atom 1.0 in UTF-8.  Pure.

``read_feed`` parses the bytes ``parse_feed`` would hand to feedparser with the
standard library's expat and returns the values feedparser would have returned for the
fields ``parse_feed`` reads (entry title, description or summary, content, link,
guid or id, dates; the feed title), each put through feedparser's own steps for that element
(stripping, relative-URI resolution, HTML guess, the UTF-8/cp1252 repairs, date
parsing).  Anything it does not know to read the same way -- another version or
encoding, a DTD or entity declaration, a parse error, an attribute or element it does
not know, a nested element, a repeated field -- returns ``None``, and the caller uses
feedparser.  ``tests/test_fastrss.py`` checks both ways give the same entries.
"""

from __future__ import annotations

import re
import xml.parsers.expat
from collections.abc import Mapping
from html.entities import name2codepoint
from typing import Any

from feedparser.api import StrictFeedParser  # type: ignore[import-untyped, unused-ignore]
from feedparser.datetimes import _parse_date  # type: ignore[import-untyped, unused-ignore]
from feedparser.encodings import convert_to_utf8  # type: ignore[import-untyped, unused-ignore]
from feedparser.html import _cp1252  # type: ignore[import-untyped, unused-ignore]
from feedparser.mixin import _FeedParserMixin  # type: ignore[import-untyped, unused-ignore]
from feedparser.sanitizer import replace_doctype  # type: ignore[import-untyped, unused-ignore]
from feedparser.urls import (  # type: ignore[import-untyped, unused-ignore]
    _urljoin,
    make_safe_absolute_uri,
    resolve_relative_uris,
)
from feedparser.util import FeedParserDict  # type: ignore[import-untyped, unused-ignore]

_CONTENT = "http://purl.org/rss/1.0/modules/content/ encoded"
_DC_CREATOR = "http://purl.org/dc/elements/1.1/ creator"
_ATOM_LINK = "http://www.w3.org/2005/Atom link"
_SY = "http://purl.org/rss/1.0/modules/syndication/ "
_DC = "http://purl.org/dc/elements/1.1/ "
_SLASH_COMMENTS = "http://purl.org/rss/1.0/modules/slash/ comments"
_DC_DATE = _DC + "date"

# Item children read, and the feedparser element each becomes.
_ITEM_FIELDS = {
    "title": "title",
    "link": "link",
    "description": "description",
    "guid": "id",
    "pubDate": "published",
    _CONTENT: "content",
    _DC_DATE: "updated",
}
# Item children feedparser stores elsewhere (never in a field read here).
_ITEM_OTHER = frozenset(
    {"category", "author", "comments", "enclosure", _DC_CREATOR, _SLASH_COMMENTS}
)
# Channel children that never reach an entry (the title is read; items are entries).
_CHANNEL_OTHER = frozenset(
    {
        "link",
        "description",
        "language",
        "copyright",
        "managingEditor",
        "webMaster",
        "pubDate",
        "lastBuildDate",
        "category",
        "generator",
        "docs",
        "ttl",
        _ATOM_LINK,
        _SY + "updatePeriod",
        _SY + "updateFrequency",
        _SY + "updateBase",
        _DC + "publisher",
        _DC + "rights",
        _DC + "language",
        _DC + "date",
        _DC_CREATOR,
    }
)
_MEDIA = "http://search.yahoo.com/mrss/ "
# The channel's image: feedparser keeps its children in ``feed.image`` (the channel
# title before or after it is kept as it is).
_IMAGE_CHILDREN = frozenset({"title", "url", "link", "width", "height", "description"})

# Elements read nowhere, skipped with everything inside them (an item's or the channel's
# child): feedparser keeps each under a key of its own that ``parse_feed`` never reads.
# - Media RSS elements whose feedparser handlers only fill ``media_*`` lists (their text,
#   if any, under ``url`` or ``credit``); ``media:description`` and ``media:title`` are
#   not among them (feedparser reads them as the summary and the title).
# - Any element feedparser has no handler for, in any namespace, whose key (what
#   feedparser stores it under, through ``FeedParserDict``'s aliases) is not one that
#   ``parse_feed`` reads.  In a namespace feedparser does not know, the key's prefix is the
#   document's own, which is not known here: then no handler and no read key may end in
#   the element's name.
_MEDIA_SKIPPED = frozenset(
    {_MEDIA + "thumbnail", _MEDIA + "credit", _MEDIA + "content", _MEDIA + "group"}
)
_HANDLED = frozenset(
    name.split("_", 2)[2] for name in dir(StrictFeedParser) if name.startswith(("_start_", "_end_"))
)
_XML_NS = "http://www.w3.org/XML/1998/namespace "
_PREFIXES: dict[str, str] = {
    str(uri).lower(): str(prefix) for uri, prefix in _FeedParserMixin.namespaces.items()
}
_READ_KEYS = frozenset(
    {"title", "summary", "content", "link", "links", "id", "guidislink", "source"}
    | {"published", "updated", "created", "expired"}
)


_HANDLED_OR_READ = _HANDLED | _READ_KEYS


def _read_key(key: str) -> bool:
    alias = FeedParserDict.keymap.get(key, key)
    keys = alias if isinstance(alias, list) else [alias]
    return any(k in _READ_KEYS or k.endswith(("_parsed", "_detail")) for k in keys)


def _skippable(name: str, declared: Mapping[str, set[str | None]]) -> bool:
    """True if feedparser has no handler for element ``name`` (expat's "uri local") and
    keeps it where ``parse_feed`` never reads (see above).  ``declared``: the prefixes the
    document declares for each namespace (feedparser names an element of a namespace it
    does not know by the document's prefix)."""
    uri, _, local = name.rpartition(" ")
    local = local.lower()
    if local in ("svg", "math"):
        return False
    if not uri:
        key: str | None = local
    elif (prefix := _PREFIXES.get(uri.lower())) is not None:
        key = f"{prefix}_{local}" if prefix else local
    else:
        key = _document_key(uri, local, declared)
    if key is not None:
        return key not in _HANDLED and not _read_key(key)
    tail = "_" + local  # some prefix of the document's, not known here: none may match
    return not any(h == local or h.endswith(tail) for h in _HANDLED_OR_READ) and not _read_key(
        local
    )


def _document_key(uri: str, local: str, declared: Mapping[str, set[str | None]]) -> str | None:
    """feedparser's key for element ``local`` of the namespace ``uri`` it does not know, if
    the document declares ``uri`` with one prefix used for no other namespace; else None."""
    prefixes = declared.get(uri, set())
    if len(prefixes) != 1:
        return None
    (prefix,) = prefixes
    if sum(prefix in p for p in declared.values()) != 1:
        return None
    return f"{prefix.lower()}_{local}" if prefix else local


_A = "http://www.w3.org/2005/Atom "
_ATOM_TEXT_TYPES = frozenset({"text", "html"})
# Atom entry children read, and Atom children (of the feed or an entry) read nowhere here.
_ATOM_ENTRY_FIELDS = frozenset(
    {_A + "title", _A + "id", _A + "summary", _A + "content", _A + "published", _A + "updated"}
)
_ATOM_OTHER = frozenset(
    {_A + "category", _A + "rights", _A + "subtitle", _A + "generator", _A + "icon", _A + "logo"}
)
_ATOM_PEOPLE = frozenset({_A + "author", _A + "contributor"})
_ATOM_PERSON = frozenset({_A + "name", _A + "uri", _A + "email"})

# The attributes allowed, by element; any other attribute (xml:base, base, type, ...)
# changes what feedparser does, so the document goes to feedparser.
_ATTRIBUTES: dict[str, frozenset[str]] = {
    "rss": frozenset({"version"}),
    "guid": frozenset({"isPermaLink"}),
    "enclosure": frozenset({"url", "length", "type"}),
    "category": frozenset({"domain"}),
    _ATOM_LINK: frozenset({"href", "rel", "type"}),
    _A + "feed": frozenset({"http://www.w3.org/XML/1998/namespace lang"}),
    _A + "link": frozenset({"href", "rel", "type", "hreflang", "title", "length"}),
    _A + "title": frozenset({"type"}),
    _A + "summary": frozenset({"type"}),
    _A + "content": frozenset({"type"}),
    _A + "rights": frozenset({"type"}),
    _A + "subtitle": frozenset({"type"}),
    _A + "category": frozenset({"term", "scheme", "label"}),
    _A + "generator": frozenset({"uri", "version"}),
}
_NO_ATTRIBUTES: frozenset[str] = frozenset()
# Namespaces that make feedparser call the document something other than RSS 2.0.
_VERSION_NAMESPACES = ("http://purl.org/rss/1.0/", "http://my.netscape.com/rdf/simple/0.9/")
# A declaration (DOCTYPE, ENTITY, ...) or a marked section other than CDATA.
_DECLARATION = re.compile(rb"<!(?!--|\[CDATA\[)")
_XML_MEDIA = frozenset({"application/xml", "application/rss+xml", "application/atom+xml"})
_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})


# The characters feedparser's cp1252 repair replaces (C1 controls).
_C1 = re.compile("[\x80-\x9f]")
# The elements whose HTML feedparser puts through its relative-URI resolver.
_RELATIVE_URI_TEXTS = frozenset({"title", "description", "summary", "content"})


# ---------------------------------------------------------------------------
# HTML whose text the relative-URI resolver leaves alone
# ---------------------------------------------------------------------------

# feedparser's resolver re-writes an HTML value (URIs made absolute, attributes sorted and
# re-quoted, ``<br/>`` as ``<br />``, references re-spelled) and ``parse_feed`` keeps only
# its text (``parse.html_to_text``).  For markup of the plain kind below the text is the
# same either way, so the resolver (about a tenth of a fast parse) is skipped:
# - tags only of the names in ``_PLAIN_TAGS`` (none is script-like or skipped by
#   ``html_to_text``, none changes how either parser reads what follows), in ASCII, with
#   quoted attribute values free of ``<`` and ``>``; no end tag of a void element (the
#   resolver drops it; ``html_to_text`` reads ``</br>`` as a line break);
# - no comment, declaration or processing instruction; no ``<`` but in such a tag;
# - every ``&`` starts a complete reference: a named one both parsers know, or a number
#   outside 128-159 (which feedparser re-maps to cp1252's characters).
# ``tests/test_fastrss.py`` checks the text is the same on generated HTML.
_PLAIN_TAGS = frozenset(
    "a abbr article aside b bdi bdo blockquote br caption cite code dd del dfn div dl dt "
    "em figcaption figure footer h1 h2 h3 h4 h5 h6 header hr i img ins kbd li main mark "
    "nav ol p pre q s samp section small span strong sub sup table tbody td tfoot th "
    "thead time tr u ul var wbr".split()
)
_VOID_TAGS = frozenset({"br", "hr", "img", "wbr"})
_PLAIN_MARKUP = re.compile(
    r"""(?:[^<&]++"""
    r"""|<[A-Za-z][A-Za-z0-9]*+"""
    r"""(?:\s++[A-Za-z_][-:.A-Za-z_0-9]*+(?:\s*+=\s*+(?:"[ -!#-;=?-~]*+"|'[ -&(-;=?-~]*+'))?+)*+"""
    r"""\s*+/?>"""
    r"""|</[A-Za-z][A-Za-z0-9]*+\s*+>"""
    r"""|&(?:[A-Za-z][A-Za-z0-9]*+|\#[0-9]++|\#[xX][0-9A-Fa-f]++);)*+""",
    re.ASCII,
)
_TAG_NAME = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9]*)")
_REFERENCE = re.compile(r"&(#[xX]?)?([0-9A-Za-z]+);")
# ``parse.html_to_text`` reads at most this much HTML (a test keeps the two equal).  The
# resolver may lengthen a value: re-quoted attributes (``a`` as ``a="a"``, ``"`` as
# ``&quot;``) at most six times their characters, and absolute URIs, at most three a tag
# of ``_PLAIN_TAGS`` (``img``: ``src``, ``longdesc``, ``usemap``; repeated names are one),
# each at most the base URI longer.  Only values whose every form stays inside the limit
# are read without the resolver: a cut at another place would give another text.
HTML_READ_LIMIT = 200_000


def plain_markup(html: str, base: str = "") -> bool:
    """True if ``html`` is markup whose text feedparser's relative-URI resolver (with base
    URI ``base``) leaves as it is (see above)."""
    if not base.isascii():
        return False
    if 6 * len(html) + 3 * html.count("<") * (len(base) + 16) >= HTML_READ_LIMIT:
        return False
    if _PLAIN_MARKUP.fullmatch(html) is None:
        return False
    for m in _TAG_NAME.finditer(html):
        tag = m.group(2).lower()
        if tag not in _PLAIN_TAGS or (m.group(1) and tag in _VOID_TAGS):
            return False
    for m in _REFERENCE.finditer(html):
        number, name = m.group(1), m.group(2)
        if not number:
            if name not in name2codepoint:
                return False
            continue
        try:
            code = int(name, 16) if len(number) == 2 else int(name)
        except ValueError:  # "&#12ab;": not a reference the markup check lets through
            return False
        if 128 <= code <= 159:
            return False
    return True


class _Unusual(Exception):
    """The document is not one this reader reads as feedparser does."""


def _value(
    raw: str,
    element: str,
    ctype: str | None,
    base: str,
    *,
    guidislink: bool = False,
    atom: bool = False,
) -> str:
    """feedparser's ``pop`` for one element of a UTF-8 RSS 2.0 or Atom document."""
    output = raw.strip()
    if output and (element == "link" or (element == "id" and guidislink)):
        output = _urljoin(base, output)
    if not atom and ctype == "text/plain" and _FeedParserMixin.looks_like_html(output):
        ctype = "text/html"
    if (
        (ctype or "text/html") in _HTML_TYPES
        and element in _RELATIVE_URI_TEXTS
        # text with no tag and no reference comes out of the resolver as it went in
        and ("<" in output or "&" in output)
        and not (ctype in (None, "text/html") and plain_markup(output, base))
    ):
        output = resolve_relative_uris(output, base, "utf-8", ctype or "text/html")
    if output.isascii():  # both repairs leave ASCII as it is
        return output
    try:
        output = output.encode("iso-8859-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        pass
    return str(output.translate(_cp1252)) if _C1.search(output) else output


def _media_type(headers: Mapping[str, str]) -> str:
    return headers.get("content-type", "").split(";", 1)[0].strip().lower()


def _atom_type(attrs: Mapping[str, str], default: str) -> str:
    kind = attrs.get("type", default).lower()
    if kind not in _ATOM_TEXT_TYPES:
        raise _Unusual("Atom text type")
    return str(_FeedParserMixin.map_content_type(kind))


def read_feed(
    content: bytes, headers: Mapping[str, str]
) -> tuple[list[dict[str, Any]], dict[str, Any], bool] | None:
    """The raw entries, the feed's title (and its type) and whether the feed is Atom, as
    feedparser would give them; or None (use feedparser).

    ``content`` and ``headers`` are exactly what ``parse_feed`` passes to feedparser.
    """
    if _media_type(headers) not in _XML_MEDIA or _DECLARATION.search(content):
        return None
    result: dict[str, Any] = {}
    try:
        data = convert_to_utf8(dict(headers), content, result)
        version, data, entities = replace_doctype(data)
    except Exception:  # feedparser's own failures go to feedparser, which reports them
        return None
    if result.get("encoding") != "utf-8" or result.get("bozo") or version or entities:
        return None
    location = headers.get("content-location", "")
    base0 = make_safe_absolute_uri("", location) or make_safe_absolute_uri(location) or ""
    base = base0
    for _ in range(4):  # every element start puts the base through this; find where it rests
        nxt = (make_safe_absolute_uri(base, base) or base) if base else _urljoin(base, base)
        if nxt == base:
            break
        base = nxt
    else:
        return None
    try:
        return _Reader(base).read(data)
    except (_Unusual, xml.parsers.expat.ExpatError, ValueError, RecursionError):
        return None


class _Reader:
    def __init__(self, base: str) -> None:
        self.base = base
        self.stack: list[str] = []
        self.entries: list[dict[str, Any]] = []
        self.feed_title: str | None = None
        self.entry: dict[str, Any] | None = None
        self.seen: set[str] = set()  # the fields of the current item
        self.channel_seen: set[str] = set()
        self.text: list[str] | None = None
        self.guidislink = False
        self.atom = False
        self.ctype: str | None = None  # the type of the Atom text being read
        self.feed_title_type: str | None = None
        self.skipping = 0  # how many skipped elements are open (see ``_skippable``)
        self.declared: dict[str, set[str | None]] = {}  # namespace: the prefixes given it

    def read(self, data: bytes) -> tuple[list[dict[str, Any]], dict[str, Any], bool]:
        p = xml.parsers.expat.ParserCreate(namespace_separator=" ")
        p.SetParamEntityParsing(xml.parsers.expat.XML_PARAM_ENTITY_PARSING_NEVER)
        p.StartDoctypeDeclHandler = self.refuse
        p.EntityDeclHandler = self.refuse
        p.StartNamespaceDeclHandler = self.namespace
        p.StartElementHandler = self.start
        p.EndElementHandler = self.end
        p.CharacterDataHandler = self.characters
        p.buffer_text = True
        p.Parse(data, True)
        if self.stack or not self.seen_root:
            raise _Unusual("incomplete")
        feed: dict[str, Any] = {}
        if self.feed_title is not None:
            feed["title"] = self.feed_title
            if self.atom:
                feed["title_detail"] = {"type": self.feed_title_type}
        return self.entries, feed, self.atom

    seen_root = False

    def refuse(self, *args: object) -> None:
        raise _Unusual("declaration")

    def namespace(self, prefix: str | None, uri: str | None) -> None:
        low = (uri or "").lower()
        if low in _VERSION_NAMESPACES or "backend.userland.com/rss" in low:
            raise _Unusual("namespace")
        self.declared.setdefault(uri or "", set()).add(prefix)

    def characters(self, data: str) -> None:
        if self.skipping:
            return
        if self.text is not None:
            self.text.append(data)
        elif data.strip():
            raise _Unusual("text outside a field")

    def start(self, name: str, attrs: dict[str, str]) -> None:
        if self.text is not None:
            raise _Unusual("element inside a field")
        depth = len(self.stack)
        parent = self.stack[-1] if self.stack else None
        if self.skipping or (not self.atom and self.starts_skip(name, depth, parent)):
            self.skip(name, attrs)
            return
        if set(attrs) - _ATTRIBUTES.get(name, _NO_ATTRIBUTES):
            raise _Unusual("attribute")
        if self.atom or (depth == 0 and name == _A + "feed"):
            self.atom_start(name, attrs, depth, parent)
            self.stack.append(name)
            return
        if depth == 0:
            if name != "rss" or attrs.get("version") != "2.0" or self.seen_root:
                raise _Unusual("root")
            self.seen_root = True
        elif depth == 1:
            if name != "channel" or "channel" in self.channel_seen:
                raise _Unusual("channel")
            self.channel_seen.add("channel")
        elif depth == 2 and parent == "channel":
            if name == "item":
                self.entry = {}
                self.entries.append(self.entry)
                self.seen = set()
            elif name == "title":
                if "title" in self.channel_seen:
                    raise _Unusual("two channel titles")
                self.channel_seen.add("title")
                self.text = []
            elif name in _CHANNEL_OTHER:
                self.text = []
            elif name == "image":
                if "image" in self.channel_seen:
                    raise _Unusual("two images")
                self.channel_seen.add("image")
            else:
                raise _Unusual("channel element")
        elif depth == 3 and parent == "item":
            if name in _ITEM_FIELDS:
                if name in self.seen:
                    raise _Unusual("repeated field")
                self.seen.add(name)
                if name == "guid":
                    permalink = attrs.get("isPermaLink", "true")
                    if permalink not in ("true", "false"):
                        raise _Unusual("isPermaLink")
                    self.guidislink = permalink == "true"
            elif name not in _ITEM_OTHER:
                raise _Unusual("item element")
            self.text = []
        elif depth == 3 and parent == "image" and name in _IMAGE_CHILDREN:
            self.text = []
        else:
            raise _Unusual("nesting")
        self.stack.append(name)

    def starts_skip(self, name: str, depth: int, parent: str | None) -> bool:
        """True if ``name`` is a channel's or an item's child this reader does not read: it is
        skipped if it is read nowhere (``_skippable``), else the document goes to feedparser."""
        if depth == 2 and parent == "channel":
            known = name in ("item", "title", "image") or name in _CHANNEL_OTHER
        elif depth == 3 and parent == "item":
            known = name in _ITEM_FIELDS or name in _ITEM_OTHER
        else:
            return False
        return not known  # ``skip`` decides whether it can be skipped

    def skip(self, name: str, attrs: dict[str, str]) -> None:
        if any(a.startswith(_XML_NS) or a in ("base", "lang") for a in attrs):
            raise _Unusual("xml:base or xml:lang")  # they change what follows for feedparser
        if name not in _MEDIA_SKIPPED and not _skippable(name, self.declared):
            raise _Unusual("element read elsewhere")
        self.skipping += 1
        self.stack.append(name)

    def atom_start(self, name: str, attrs: dict[str, str], depth: int, parent: str | None) -> None:
        if depth == 0:
            if self.seen_root:
                raise _Unusual("root")
            self.seen_root = True
            self.atom = True
        elif depth == 1 and name == _A + "entry":
            self.entry = {}
            self.entries.append(self.entry)
            self.seen = set()
            self.guidislink = False
        elif name == _A + "link" and depth in (1, 2):
            if "href" not in attrs:
                raise _Unusual("link without href")
            rel = attrs.get("rel", "alternate").lower()
            kind = attrs.get("type", "application/atom+xml" if rel == "self" else "text/html")
            mapped = _FeedParserMixin.map_content_type(kind.lower())
            if depth == 2 and rel == "alternate" and mapped in _HTML_TYPES:
                assert self.entry is not None
                self.entry["link"] = _urljoin(self.base, attrs["href"])
        elif depth == 1 and name == _A + "title":
            if "title" in self.channel_seen:
                raise _Unusual("two feed titles")
            self.channel_seen.add("title")
            self.feed_title_type = _atom_type(attrs, "text")
            self.text = []
        elif depth == 2 and parent == _A + "entry" and name in _ATOM_ENTRY_FIELDS:
            if name in self.seen:
                raise _Unusual("repeated field")
            self.seen.add(name)
            if name == _A + "id":
                self.guidislink = True
            elif name in (_A + "title", _A + "summary", _A + "content"):
                self.ctype = _atom_type(attrs, "text")
            self.text = []
        elif depth in (1, 2) and name in _ATOM_OTHER:
            if name in (_A + "rights", _A + "subtitle"):
                _atom_type(attrs, "text")
            self.text = []
        elif depth == 1 and name in (_A + "id", _A + "updated"):
            self.text = []
        elif depth in (1, 2) and name in _ATOM_PEOPLE:
            pass
        elif depth in (2, 3) and parent in _ATOM_PEOPLE and name in _ATOM_PERSON:
            self.text = []
        else:
            raise _Unusual("Atom element")

    def atom_end(self, name: str, raw: str, parent: str | None) -> None:
        entry = self.entry
        if parent != _A + "entry" or entry is None:
            if parent == _A + "feed" and name == _A + "title":
                self.feed_title = _value(raw, "title", self.feed_title_type, self.base, atom=True)
            return
        ctype, self.ctype = self.ctype, None
        if name == _A + "title":
            entry["title"] = _value(raw, "title", ctype, self.base, atom=True)
            entry["title_detail"] = {"type": ctype}
        elif name == _A + "summary":
            entry["summary"] = _value(raw, "summary", ctype, self.base, atom=True)
            entry["summary_detail"] = {"type": ctype}
        elif name == _A + "content":
            value = _value(raw, "content", ctype, self.base, atom=True)
            entry["content"] = [{"type": ctype, "value": value}]
            entry.setdefault("summary", value)
        elif name == _A + "id":
            value = _value(raw, "id", None, self.base, guidislink=True, atom=True)
            entry["id"] = value
            entry.setdefault("link", value)
        elif name == _A + "published":
            value = _value(raw, "published", None, self.base, atom=True)
            entry["published_parsed"] = _parse_date(value)
        elif name == _A + "updated":
            value = _value(raw, "updated", None, self.base, atom=True)
            entry["updated_parsed"] = _parse_date(value)

    def end(self, name: str) -> None:
        self.stack.pop()
        if self.skipping:
            self.skipping -= 1
            return
        text, self.text = self.text, None
        parent = self.stack[-1] if self.stack else None
        if self.atom:
            if name == _A + "entry":
                self.entry = None
            elif text is not None:
                self.atom_end(name, "".join(text), parent)
            return
        if text is None:
            if name == "item":
                self.entry = None
            return
        raw = "".join(text)
        if parent != "item":  # the channel's own elements, or its image's
            if parent == "channel" and name == "title":
                self.feed_title = _value(raw, "title", "text/plain", self.base)
            return
        entry = self.entry
        assert entry is not None
        element = _ITEM_FIELDS.get(name)
        if element == "title":
            entry["title"] = _value(raw, "title", "text/plain", self.base)
        elif element == "description":
            entry["summary"] = _value(raw, "description", "text/html", self.base)
        elif element == "content":
            value = _value(raw, "content", "text/html", self.base)
            entry["content"] = [{"type": "text/html", "value": value}]
            entry.setdefault("summary", value)
        elif element == "link":
            value = _value(raw, "link", None, self.base).replace("&amp;", "&")
            entry["link"] = re.sub("&([A-Za-z0-9_]+);", r"&\g<1>", value)
        elif element == "id":
            value = _value(raw, "id", None, self.base, guidislink=self.guidislink)
            entry["id"] = value
            if self.guidislink:
                entry.setdefault("link", value)
        elif element in ("published", "updated"):
            value = _value(raw, element, None, self.base)
            entry[f"{element}_parsed"] = _parse_date(value)
