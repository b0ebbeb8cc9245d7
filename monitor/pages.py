"""Fetching one article page (``monitor explain URL`` for an article not stored).

A URL typed by a user, or found in a feed, must not make monitor read from the
machine's own network: private, loopback, link-local, reserved and multicast
addresses are refused (at every redirect hop) unless the watchlist allows them
(``polling.allow_private_addresses``).  Feeds themselves are listed by the
user and are not checked.
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import httpx

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


def _refused(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return (
        ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_reserved
        or ip.is_multicast
        or ip.is_unspecified
    )


def check_public(url: str) -> None:
    """Raise ``FetchError`` unless every address ``url``'s host resolves to is public."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise FetchError(url, None, "only http(s) URLs can be fetched")
    try:
        infos = socket.getaddrinfo(parts.hostname, parts.port or 0, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError) as e:
        raise FetchError(url, None, f"cannot resolve {parts.hostname}: {e}") from e
    for info in infos:
        if _refused(str(info[4][0])):
            raise FetchError(
                url,
                None,
                f"refused: {parts.hostname} is a private or local "
                "address (set polling.allow_private_addresses to allow it)",
            )


def fetch_page(url: str, *, allow_private: bool = False, timeout: float = 20.0) -> Page:
    """Fetch an article page and return its title and text."""
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
                    html = bytes(body).decode(response.encoding or "utf-8", "replace")
                    return _page(url, html)
            except httpx.HTTPError as e:
                raise FetchError(url, None, f"{type(e).__name__}: {e}") from e
    raise FetchError(url, None, "too many redirects")


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
