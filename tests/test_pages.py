"""Article pages fetched for `monitor explain URL`: private and local addresses refused."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from monitor.cli import main
from monitor.errors import FetchError
from monitor.pages import check_public, fetch_page
from tests.feedserver import FeedServer
from tests.helpers import BREACH_ITEM, write_watchlist

PAGE = (
    f"<html><head><title>{BREACH_ITEM['title']}</title><script>var x=1;</script></head>"
    f"<body><nav>Home | World</nav><p>{BREACH_ITEM['description']}</p></body></html>"
)


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/x",
        "http://localhost/x",
        "http://10.1.2.3/x",
        "http://192.168.0.1/",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/x",
        "http://0.0.0.0/",
        "http://[::ffff:127.0.0.1]/x",
        "file:///etc/passwd",
        "gopher://x/",
    ],
)
def test_private_local_and_non_http_addresses_are_refused(url: str) -> None:
    with pytest.raises(FetchError):
        check_public(url)


def test_local_page_refused_unless_allowed(feed_server: FeedServer) -> None:
    feed_server.add("/article.html", PAGE.encode(), content_type="text/html; charset=utf-8")
    with pytest.raises(FetchError, match="private or local"):
        fetch_page(feed_server.url("/article.html"))
    assert feed_server.requests_for("/article.html") == []  # refused before connecting
    page = fetch_page(feed_server.url("/article.html"), allow_private=True)
    assert page.title == BREACH_ITEM["title"]
    assert "Chaman" in page.text and "var x" not in page.text


def test_explain_url_fetches_when_allowed(tmp_path: Path, feed_server: FeedServer) -> None:
    feed_server.add("/article.html", PAGE.encode(), content_type="text/html; charset=utf-8")
    url = feed_server.url("/article.html")
    refused = str(
        write_watchlist(
            tmp_path, {"F": feed_server.url("/f.xml")}, polling={"allow_private_addresses": False}
        )
    )
    result = CliRunner().invoke(main, ["explain", url, "--config", refused])
    assert result.exit_code == 1 and "private or local" in result.output
    allowed = str(
        write_watchlist(
            tmp_path, {"F": feed_server.url("/f.xml")}, polling={"allow_private_addresses": True}
        )
    )
    result = CliRunner().invoke(main, ["explain", url, "--config", allowed])
    assert result.exit_code == 0, result.output
    assert "ceasefire" in result.output and "Chaman" in result.output
