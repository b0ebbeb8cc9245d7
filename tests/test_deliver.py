"""Delivery channels against real parts: a temp folder and a local aiosmtpd server."""

from __future__ import annotations

import email
import email.policy
import socket
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from monitor.deliver import FolderChannel, SmtpChannel, retry_delay
from monitor.errors import DeliveryError
from monitor.render import as_bytes, message_id_for
from tests.smtpserver import HOST, SmtpServer, free_port

SENDER = "Monitor <monitor@example.org>"
RECIPIENTS = ["desk@example.org", "Analyst <analyst@example.org>"]
PASSWORD = "s3cret-Pa55word"


SUBJECT = "[monitor] BREACHED: Türkiye \u2013 x"


def payload(key: str = "alert:ceasefire:1", subject: str = SUBJECT) -> bytes:
    msg = email.message.EmailMessage(policy=email.policy.default)
    msg["Subject"] = subject
    msg["From"] = SENDER
    msg["To"] = ", ".join(RECIPIENTS)
    msg["Date"] = email.utils.format_datetime(datetime(2025, 11, 2, 8, 0, tzinfo=UTC))
    msg["Message-ID"] = message_id_for(key)
    msg.set_content("Evidence: Türkiye was informed.\n.\n..a line starting with dots\n")
    return as_bytes(msg)


def smtp_channel(server: SmtpServer, **kwargs: object) -> SmtpChannel:
    options: dict[str, object] = {
        "security": "none",
        "sender": SENDER,
        "recipients": RECIPIENTS,
        "timeout": 5.0,
        "local_hostname": "client.test",
    }
    options.update(kwargs)
    return SmtpChannel(server.host, server.port, **options)  # type: ignore[arg-type]


# --- retry_delay ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("attempts", "expected"),
    [
        (0, timedelta(seconds=30)),
        (1, timedelta(seconds=30)),
        (2, timedelta(minutes=1)),
        (3, timedelta(minutes=2)),
        (4, timedelta(minutes=4)),
        (7, timedelta(minutes=32)),
        (8, timedelta(hours=1)),  # 64 min, capped
        (9, timedelta(hours=1)),
        (1000, timedelta(hours=1)),
    ],
)
def test_retry_delay(attempts: int, expected: timedelta) -> None:
    assert retry_delay(attempts) == expected


# --- FolderChannel -------------------------------------------------------------------


def test_folder_writes_a_parseable_file(tmp_path: Path) -> None:
    outbox = tmp_path / "new" / "outbox"  # created on demand
    channel = FolderChannel(outbox)
    data = payload()
    channel.send(data, key="alert:ceasefire:1", message_id=message_id_for("alert:ceasefire:1"))
    files = list(outbox.iterdir())
    assert len(files) == 1
    assert files[0].suffix == ".eml"
    assert files[0].read_bytes() == data
    parsed = email.message_from_bytes(files[0].read_bytes(), policy=email.policy.default)
    assert parsed["Message-ID"] == message_id_for("alert:ceasefire:1")
    assert parsed["Subject"] == SUBJECT


def test_folder_is_idempotent(tmp_path: Path) -> None:
    channel = FolderChannel(tmp_path)
    key = "alert-ceasefire-1"
    mid = message_id_for(key)
    channel.send(payload(key), key=key, message_id=mid)
    path = tmp_path / f"{key}.eml"
    before = path.stat()
    channel.send(payload(key), key=key, message_id=mid)
    after = path.stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    assert [p.name for p in tmp_path.iterdir()] == [f"{key}.eml"]  # no temp files left


def test_folder_keys_cannot_escape_the_directory(tmp_path: Path) -> None:
    outbox = tmp_path / "outbox"
    channel = FolderChannel(outbox)
    keys = ["../../etc/passwd", "a/b", "a_b", ".hidden", "x" * 500]
    for key in keys:
        channel.send(payload(key), key=key, message_id=message_id_for(key))
    names = sorted(p.name for p in outbox.iterdir())
    assert len(names) == len(keys)  # distinct keys, distinct files
    assert all(not n.startswith(".") and "/" not in n and len(n) < 120 for n in names)
    assert [p.name for p in tmp_path.iterdir()] == ["outbox"]


def test_folder_error_is_transient(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("x")
    channel = FolderChannel(blocker / "outbox", name="files")
    with pytest.raises(DeliveryError) as info:
        channel.send(payload(), key="k", message_id=message_id_for("k"))
    assert info.value.transient is True
    assert info.value.channel == "files"
    assert str(info.value).startswith("delivery failed (temporary): files: ")


# --- SmtpChannel -----------------------------------------------------------------------


def test_smtp_delivers_once_and_intact(smtp_server: SmtpServer) -> None:
    data = payload()
    smtp_channel(smtp_server).send(data, key="k", message_id=message_id_for("k"))
    assert len(smtp_server.messages) == 1
    received = smtp_server.messages[0]
    assert received.data == data
    assert received.mail_from == "monitor@example.org"
    assert received.rcpt_tos == ("desk@example.org", "analyst@example.org")
    parsed = email.message_from_bytes(received.data, policy=email.policy.default)
    assert parsed["Subject"] == SUBJECT
    body = parsed.get_body(("plain",))
    assert body is not None
    text = str(body.get_content()).replace("\r\n", "\n")
    assert "\n.\n..a line starting with dots\n" in text


def test_smtp_4xx_is_transient_then_succeeds(smtp_server: SmtpServer) -> None:
    smtp_server.reply_next("451 4.3.0 Try again later")
    channel = smtp_channel(smtp_server)
    with pytest.raises(DeliveryError) as info:
        channel.send(payload(), key="k", message_id=message_id_for("k"))
    assert info.value.transient is True
    assert "451" in str(info.value)
    assert smtp_server.messages == []
    channel.send(payload(), key="k", message_id=message_id_for("k"))
    assert len(smtp_server.messages) == 1


def test_smtp_5xx_is_permanent(smtp_server: SmtpServer) -> None:
    smtp_server.reply_next("554 5.6.0 Message rejected")
    with pytest.raises(DeliveryError) as info:
        smtp_channel(smtp_server).send(payload(), key="k", message_id=message_id_for("k"))
    assert info.value.transient is False
    assert "554" in str(info.value)
    assert smtp_server.messages == []


@pytest.mark.parametrize(
    ("reply", "transient"), [("550 5.1.1 No such user", False), ("450 4.2.1 Mailbox busy", True)]
)
def test_smtp_all_recipients_refused(smtp_server: SmtpServer, reply: str, transient: bool) -> None:
    smtp_server.refuse_recipient("desk@example.org", reply)
    channel = smtp_channel(smtp_server, recipients=["desk@example.org"])
    with pytest.raises(DeliveryError) as info:
        channel.send(payload(), key="k", message_id=message_id_for("k"))
    assert info.value.transient is transient
    assert "desk@example.org" in str(info.value)


def test_smtp_some_recipients_refused_still_delivers(smtp_server: SmtpServer) -> None:
    smtp_server.refuse_recipient("desk@example.org", "550 5.1.1 No such user")
    smtp_channel(smtp_server).send(payload(), key="k", message_id=message_id_for("k"))
    assert [m.rcpt_tos for m in smtp_server.messages] == [("analyst@example.org",)]


def test_smtp_server_down_is_transient_then_back(smtp_server: SmtpServer) -> None:
    channel = smtp_channel(smtp_server)
    smtp_server.stop()
    with pytest.raises(DeliveryError) as info:
        channel.send(payload(), key="k", message_id=message_id_for("k"))
    assert info.value.transient is True
    smtp_server.start()
    channel.send(payload(), key="k", message_id=message_id_for("k"))
    assert len(smtp_server.messages) == 1


@pytest.fixture
def silent_listener() -> Iterator[int]:
    """A port that accepts connections but never says hello."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((HOST, 0))
        s.listen(1)
        yield int(s.getsockname()[1])


def test_smtp_timeout_is_transient(silent_listener: int) -> None:
    channel = SmtpChannel(
        HOST,
        silent_listener,
        security="none",
        sender=SENDER,
        recipients=RECIPIENTS,
        timeout=0.2,
        local_hostname="client.test",
    )
    with pytest.raises(DeliveryError) as info:
        channel.send(payload(), key="k", message_id=message_id_for("k"))
    assert info.value.transient is True


def test_smtp_auth(smtp_server: SmtpServer) -> None:
    smtp_server.require_auth("desk", PASSWORD)
    channel = smtp_channel(smtp_server, username="desk", password=PASSWORD)
    channel.send(payload(), key="k", message_id=message_id_for("k"))
    assert [m.login for m in smtp_server.messages] == ["desk"]


def test_smtp_auth_required_but_not_given_is_permanent(smtp_server: SmtpServer) -> None:
    smtp_server.require_auth("desk", PASSWORD)
    with pytest.raises(DeliveryError) as info:
        smtp_channel(smtp_server).send(payload(), key="k", message_id=message_id_for("k"))
    assert info.value.transient is False
    assert "530" in str(info.value)
    assert smtp_server.messages == []


def test_smtp_bad_password_is_permanent_and_never_shown(smtp_server: SmtpServer) -> None:
    smtp_server.require_auth("desk", "the-right-one")
    channel = smtp_channel(smtp_server, username="desk", password=PASSWORD)
    with pytest.raises(DeliveryError) as info:
        channel.send(payload(), key="k", message_id=message_id_for("k"))
    assert info.value.transient is False
    assert "535" in str(info.value)
    assert smtp_server.handler.auth_attempts  # smtplib tries PLAIN, then LOGIN
    assert set(smtp_server.handler.auth_attempts) == {"desk"}
    for text in (str(info.value), repr(info.value), repr(channel), info.value.cause):
        assert PASSWORD not in text
    assert smtp_server.messages == []


def test_smtp_starttls_unsupported_is_permanent(smtp_server: SmtpServer) -> None:
    with pytest.raises(DeliveryError) as info:
        smtp_channel(smtp_server, security="starttls").send(
            payload(), key="k", message_id=message_id_for("k")
        )
    assert info.value.transient is False
    assert smtp_server.messages == []


def test_smtp_connection_refused_is_transient() -> None:
    channel = SmtpChannel(
        HOST,
        free_port(),
        security="none",
        sender=SENDER,
        recipients=RECIPIENTS,
        timeout=2.0,
        local_hostname="client.test",
    )
    with pytest.raises(DeliveryError) as info:
        channel.send(payload(), key="k", message_id=message_id_for("k"))
    assert info.value.transient is True
    assert "smtp" == info.value.channel


def test_smtp_channel_rejects_bad_addresses() -> None:
    with pytest.raises(ValueError):
        SmtpChannel(HOST, 25, sender="not an address", recipients=RECIPIENTS)
    with pytest.raises(ValueError):
        SmtpChannel(HOST, 25, sender=SENDER, recipients=[])
    with pytest.raises(ValueError):
        SmtpChannel(HOST, 25, sender=SENDER, recipients=RECIPIENTS, username="u")
