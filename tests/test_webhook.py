"""The webhook channel against a real local HTTP server."""

from __future__ import annotations

import http.server
import json
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from monitor import pipeline
from monitor.clock import FakeClock
from monitor.config import load_config
from monitor.db import make_engine, upgrade
from monitor.deliver import WebhookChannel
from monitor.errors import DeliveryError
from monitor.store import Store
from tests.feedserver import FeedServer, closed_port_url
from tests.helpers import BREACH_ITEM, rss, write_watchlist

MAIL = (
    b"Subject: [monitor] BREACHED: Ceasefire\r\nMessage-ID: <a@b>\r\n"
    b"Content-Type: text/plain; charset=utf-8\r\n\r\nThey clashed at Chaman.\r\n"
)


class Hook:
    """A local webhook endpoint: records POST bodies, answers with ``status``."""

    def __init__(self) -> None:
        self.received: list[bytes] = []
        self.status = 200
        hook = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                hook.received.append(self.rfile.read(length))
                self.send_response(hook.status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/services/T0/B0/secret"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join()


@pytest.fixture
def hook() -> Iterator[Hook]:
    h = Hook()
    yield h
    h.close()


def test_webhook_posts_json_with_the_alert(hook: Hook) -> None:
    WebhookChannel(hook.url, allow_private=True).send(
        MAIL, key="alert:1:webhook", message_id="<a@b>"
    )
    [body] = hook.received
    doc = json.loads(body)
    assert doc["subject"] == "[monitor] BREACHED: Ceasefire"
    assert "Chaman" in doc["text"] and doc["message_id"] == "<a@b>"


@pytest.mark.parametrize(
    ("status", "transient"),
    [(500, True), (503, True), (429, True), (404, False), (400, False), (403, False)],
)
def test_webhook_errors_are_classified(hook: Hook, status: int, transient: bool) -> None:
    hook.status = status
    with pytest.raises(DeliveryError) as info:
        WebhookChannel(hook.url, allow_private=True).send(MAIL, key="k", message_id="<a@b>")
    assert info.value.transient is transient
    assert f"HTTP {status}" in str(info.value)


def test_webhook_down_is_transient_and_url_secret_not_shown() -> None:
    url = closed_port_url("/services/T000/B000/very-secret-token")
    with pytest.raises(DeliveryError) as info:
        WebhookChannel(url, allow_private=True).send(MAIL, key="k", message_id="<a@b>")
    assert info.value.transient
    assert "very-secret-token" not in repr(WebhookChannel(url))


def test_webhook_to_a_private_address_is_refused_unless_allowed(hook: Hook) -> None:
    """The address policy of every outgoing request (monitor/netguard.py) holds for the
    webhook too: a loopback URL is refused for good, and nothing reaches it."""
    with pytest.raises(DeliveryError) as info:
        WebhookChannel(hook.url).send(MAIL, key="k", message_id="<a@b>")
    assert not info.value.transient
    assert "refused" in str(info.value) and "127.0.0.1" in str(info.value)
    assert hook.received == []


def test_alert_reaches_the_webhook_once(
    tmp_path: Path, feed_server: FeedServer, clock: FakeClock, hook: Hook
) -> None:
    feed_server.add("/f.xml", rss([BREACH_ITEM]))
    config_file = write_watchlist(tmp_path, {"F": feed_server.url("/f.xml")}, outbox=False)
    text = config_file.read_text(encoding="utf-8").replace(
        "alerts:\n", f"alerts:\n  webhook:\n    url: {hook.url}\n", 1
    )
    config_file.write_text(text, encoding="utf-8")
    config = load_config(str(config_file), env={})
    upgrade(config.database_url)
    store = Store(make_engine(config.database_url))
    try:
        m = pipeline.Monitor(config, store, clock)
        pipeline.sync(m)
        assert pipeline.run_cycle(m).delivery.sent == 1
        clock.advance(3600)
        pipeline.run_cycle(m)
        assert len(hook.received) == 1
        assert "ceasefire" in json.loads(hook.received[0])["subject"].lower()
    finally:
        store.close()
