"""SMTP over TLS against a real local server: STARTTLS and implicit TLS, with a test
certificate (tests/data/tls, for localhost and 127.0.0.1); an untrusted certificate is a
permanent failure, not something to retry."""

from __future__ import annotations

import ssl
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller

from monitor.deliver import SmtpChannel
from monitor.errors import DeliveryError
from tests.smtpserver import HOST, RecordingHandler, free_port

TLS = Path(__file__).resolve().parent / "data" / "tls"
MAIL = (
    b"From: monitor@example.org\r\nTo: desk@example.org\r\nSubject: test\r\n"
    b"Message-ID: <tls@test>\r\n\r\nbody\r\n"
)


def server_context() -> ssl.SSLContext:
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ctx.load_cert_chain(TLS / "cert.pem", TLS / "key.pem")
    return ctx


def client_context() -> ssl.SSLContext:
    return ssl.create_default_context(cafile=str(TLS / "cert.pem"))


@contextmanager
def serving(security: str) -> Iterator[tuple[str, int, RecordingHandler]]:
    """An SMTP server that requires STARTTLS, or speaks implicit TLS."""
    handler = RecordingHandler()
    port = free_port()
    if security == "starttls":
        controller = Controller(
            handler,
            hostname=HOST,
            port=port,
            server_hostname="localhost",
            tls_context=server_context(),
            require_starttls=True,
        )
    else:
        controller = Controller(
            handler,
            hostname=HOST,
            port=port,
            server_hostname="localhost",
            ssl_context=server_context(),
        )
    controller.start()
    try:
        yield security, port, handler
    finally:
        controller.stop()


@pytest.fixture(params=["starttls", "tls"])
def tls_server(request: pytest.FixtureRequest) -> Iterator[tuple[str, int, RecordingHandler]]:
    with serving(str(request.param)) as server:
        yield server


def channel(security: str, port: int, ctx: ssl.SSLContext | None) -> SmtpChannel:
    return SmtpChannel(
        HOST,
        port,
        security=security,  # type: ignore[arg-type]
        sender="monitor@example.org",
        recipients=["desk@example.org"],
        timeout=5,
        ssl_context=ctx,
        local_hostname="monitor.test",
    )


def test_delivered_over_tls(tls_server: tuple[str, int, RecordingHandler]) -> None:
    security, port, handler = tls_server
    channel(security, port, client_context()).send(MAIL, key="k", message_id="<tls@test>")
    [received] = handler.messages
    assert received.data.replace(b"\r\n", b"\n") == MAIL.replace(b"\r\n", b"\n")


def test_untrusted_certificate_is_permanent(tls_server: tuple[str, int, RecordingHandler]) -> None:
    security, port, handler = tls_server
    with pytest.raises(DeliveryError) as info:
        channel(security, port, ssl.create_default_context()).send(
            MAIL, key="k", message_id="<tls@test>"
        )
    assert not info.value.transient
    assert "certificate" in str(info.value).lower()
    assert handler.messages == []


def test_plain_client_refused_by_a_server_that_requires_starttls() -> None:
    with serving("starttls") as (_, port, handler):
        with pytest.raises(DeliveryError):
            channel("none", port, None).send(MAIL, key="k", message_id="<tls@test>")
        assert handler.messages == []


def test_watchlist_ca_file_is_trusted(tmp_path: Path) -> None:
    from monitor import pipeline
    from monitor.clock import FakeClock
    from monitor.config import parse_config
    from monitor.db import make_engine
    from monitor.store import Store

    with serving("tls") as (_, port, handler):
        text = (
            f"alerts:\n  outbox: {{enabled: false}}\n  smtp:\n    host: localhost\n"
            f"    port: {port}\n    security: tls\n    sender: monitor@example.org\n"
            f"    recipients: [desk@example.org]\n    ca_file: {TLS / 'cert.pem'}\n"
        )
        config = parse_config(text, env={"MONITOR_DATABASE_URL": f"sqlite:///{tmp_path}/m.db"})
        store = Store(make_engine(config.database_url))
        try:
            m = pipeline.Monitor(config, store, FakeClock(datetime(2025, 11, 1, tzinfo=UTC)))
            smtp, _ = m.channels["smtp"]
            smtp.send(MAIL, key="k", message_id="<tls@test>")
        finally:
            store.close()
        assert len(handler.messages) == 1
