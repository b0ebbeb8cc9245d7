"""Fetching one article page (``monitor explain URL`` for an article not stored).

A URL typed by a user, or found in a feed, must not make monitor read from the
machine's own network: private, loopback, link-local, reserved and multicast
addresses are refused (at every redirect hop, on the address actually connected to:
``monitor.netguard``) unless the watchlist allows them
(``polling.allow_private_addresses``), as for feeds.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

import httpx

from monitor import netguard
from monitor.errors import FetchError
from monitor.fetch import USER_AGENT
from monitor.parse import clean_title, html_to_text

MAX_PAGE_BYTES = 3_000_000
MAX_HOPS = 5


@dataclass(frozen=True)
class Page:
    url: str
    title: str
    text: str


def check_public(url: str) -> None:
    """Raise ``FetchError`` unless ``url`` is http(s) and every address its host resolves
    to is allowed by the address policy (``monitor.netguard``).  ``fetch_page`` does not
    rely on this look-up: it checks the address each connection is actually made to."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise FetchError(url, None, "only http(s) URLs can be fetched")
    try:
        addresses = netguard.resolve(parts.hostname, parts.port or 0)
    except (OSError, UnicodeError, ValueError) as e:
        raise FetchError(url, None, f"cannot resolve {parts.hostname}: {e}") from e
    for address in addresses:
        why = netguard.refusal(address)
        if why is not None:
            raise FetchError(url, None, f"refused: {parts.hostname}: {why}")


def fetch_page(url: str, *, allow_private: bool = False, timeout: float = 20.0) -> Page:
    """Fetch an article page and return its title and text.  Every connection, at every
    redirect hop, goes through the address policy."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise FetchError(url, None, "only http(s) URLs can be fetched")
    with netguard.guarded_client(
        allow_private=allow_private,
        follow_redirects=True,
        max_redirects=MAX_HOPS,
        timeout=timeout,
        headers={"User-Agent": USER_AGENT},
    ) as client:
        try:
            with client.stream("GET", url) as response:
                url = str(response.url)
                if response.status_code >= 400:
                    raise FetchError(url, response.status_code, response.reason_phrase)
                body = bytearray()
                for chunk in response.iter_bytes():
                    body += chunk
                    if len(body) > MAX_PAGE_BYTES:
                        raise FetchError(url, None, "page larger than the size cap")
                html = bytes(body).decode(response.encoding or "utf-8", "replace")
                return _page(url, html)
        except httpx.TooManyRedirects as e:
            raise FetchError(url, None, "too many redirects") from e
        except (httpx.HTTPError, httpx.InvalidURL) as e:
            raise FetchError(url, None, f"{type(e).__name__}: {e}") from e


def _page(url: str, html: str) -> Page:
    lower = html.lower()
    title = ""
    start = lower.find("<title")
    if start != -1:
        start = lower.find(">", start) + 1
        end = lower.find("</title", start)
        if start > 0 and end != -1:
            title = clean_title(html_to_text(html[start:end]))
    body_at = lower.find("<body")
    text = html_to_text(html[body_at:] if body_at != -1 else html)
    return Page(url, title, text)
