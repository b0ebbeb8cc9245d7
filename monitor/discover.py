"""Feed autodiscovery: find a site's feeds from its home page (``monitor feeds add URL``).

``find_feed_links`` is pure: the ``<link rel="alternate" type="application/rss+xml">``
(or Atom, or JSON Feed) elements of an HTML page, resolved against the page's URL.
``discover`` fetches the page (public addresses only unless allowed, at every redirect)
and, when the URL is itself a feed, returns it.
"""

from __future__ import annotations

from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import httpx

from monitor.errors import FetchError, ParseError
from monitor.fetch import USER_AGENT
from monitor.pages import check_public

FEED_TYPES = {
    "application/rss+xml": "RSS",
    "application/atom+xml": "Atom",
    "application/feed+json": "JSON Feed",
    "application/rdf+xml": "RSS 1.0",
}
MAX_PAGE_BYTES = 3_000_000
MAX_HOPS = 5


@dataclass(frozen=True)
class FeedLink:
    url: str
    title: str
    kind: str  # "RSS", "Atom", ...


class _LinkParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[dict[str, str]] = []
        self.page_title = ""
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "link":
            self.links.append({k.lower(): v or "" for k, v in attrs})
        elif tag == "title" and not self.page_title:
            self._in_title = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.page_title += data


def find_feed_links(html: str, base_url: str) -> tuple[str, list[FeedLink]]:
    """The page's title and its advertised feeds (absolute http(s) URLs, no repeats)."""
    parser = _LinkParser()
    parser.feed(html[:MAX_PAGE_BYTES])
    page_title = " ".join(parser.page_title.split())
    out: list[FeedLink] = []
    seen: set[str] = set()
    for link in parser.links:
        rel = link.get("rel", "").lower().split()
        kind = FEED_TYPES.get(link.get("type", "").lower().split(";")[0].strip())
        href = link.get("href", "").strip()
        if "alternate" not in rel or kind is None or not href:
            continue
        url = urljoin(base_url, href)
        if not url.lower().startswith(("http://", "https://")) or url in seen:
            continue
        seen.add(url)
        title = " ".join(link.get("title", "").split()) or page_title or url
        out.append(FeedLink(url, title, kind))
    return page_title, out


def _looks_like_feed(content_type: str, body: bytes) -> bool:
    if any(t in content_type for t in ("rss", "atom", "rdf")):
        return True
    head = body[:2048].lstrip().lower()
    return head.startswith(b"<?xml") and any(t in head for t in (b"<rss", b"<feed", b"<rdf"))


def discover(url: str, *, allow_private: bool = False, timeout: float = 20.0) -> list[FeedLink]:
    """The feeds at ``url``: the URL itself if it is a feed, else the feeds its page links."""
    with httpx.Client(
        follow_redirects=False, timeout=timeout, headers={"User-Agent": USER_AGENT}
    ) as client:
        for _ in range(MAX_HOPS + 1):
            if not allow_private:
                check_public(url)
            try:
                with client.stream("GET", url) as response:
                    if response.is_redirect and "location" in response.headers:
                        url = urljoin(url, response.headers["location"])
                        continue
                    if response.status_code >= 400:
                        raise FetchError(url, response.status_code, response.reason_phrase)
                    body = bytearray()
                    for chunk in response.iter_bytes():
                        body += chunk
                        if len(body) > MAX_PAGE_BYTES:
                            raise FetchError(url, None, "page larger than the size cap")
                    content_type = response.headers.get("content-type", "").lower()
                    encoding = response.encoding or "utf-8"
            except httpx.HTTPError as e:
                raise FetchError(url, None, f"{type(e).__name__}: {e}") from e
            if _looks_like_feed(content_type, bytes(body)):
                return [FeedLink(url, urlsplit(url).hostname or url, "feed")]
            _title, links = find_feed_links(bytes(body).decode(encoding, "replace"), url)
            if not links:
                raise ParseError(url, 'the page advertises no feed (no <link rel="alternate">)')
            return links
    raise FetchError(url, None, "too many redirects")
