"""Delivery channels: hand rendered messages to an outbox folder, an SMTP server or a webhook.

Channels send what they are given; what to send, and when to retry, is decided
elsewhere (``retry_delay`` is the pure backoff the deliver stage uses).  Every
failure is a ``DeliveryError`` saying whether a retry can help.
"""

from __future__ import annotations

import asyncio
import contextlib
import email
import email.policy
import hashlib
import json
import os
import re
import smtplib
import socket
import ssl
import tempfile
import threading
import time
from collections.abc import Callable
from datetime import timedelta
from email.parser import BytesHeaderParser
from email.utils import getaddresses, parseaddr
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, Protocol

from monitor.errors import DeliveryError
from monitor.logs import get_logger

if TYPE_CHECKING:
    from typing_extensions import Buffer

__all__ = [
    "AppriseChannel",
    "Channel",
    "FolderChannel",
    "Refused",
    "SmtpChannel",
    "WebhookChannel",
    "retry_delay",
]

log = get_logger("monitor.deliver")

RETRY_FIRST = timedelta(seconds=30)
STOP_GRACE_SECONDS = 3.0  # on stop, how long a server holding a message may take to accept it
RETRY_MAX = timedelta(hours=1)

Security = Literal["starttls", "tls", "none"]


Refused = dict[str, str]  # recipient address -> the server's reply


class Channel(Protocol):
    """Something that accepts a rendered RFC 5322 message, or raises ``DeliveryError``.

    ``send`` returns the recipients refused while others took the message (empty when
    all took it), and never takes longer than ``deadline`` seconds in all: a slow or
    silent server is cut off, so a send always ends within the delivery lease."""

    name: str

    @property
    def deadline(self) -> float: ...

    def send(self, payload: bytes, *, key: str, message_id: str) -> Refused: ...


def retry_delay(attempts: int) -> timedelta:
    """How long to wait after ``attempts`` failed tries: 30 s, doubling, capped at 1 h."""
    if attempts <= 1:
        return RETRY_FIRST
    # Stop doubling once past the cap (avoids huge powers for large counts).
    factor = 1 << min(attempts - 1, 20)
    return min(RETRY_FIRST * factor, RETRY_MAX)


# --- folder ------------------------------------------------------------------------

_SAFE_KEY = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}")


def file_name_for(key: str) -> str:
    """The file name for ``key``: the key itself when it is a safe name, else a
    sanitised prefix plus a hash of the key (so distinct keys never collide)."""
    if _SAFE_KEY.fullmatch(key) and not key.endswith(".tmp"):
        return key + ".eml"
    prefix = re.sub(r"[^A-Za-z0-9._-]+", "_", key).strip("._-")[:60]
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]
    return f"{prefix}-{digest}.eml" if prefix else f"{digest}.eml"


def _message_id_of(path: Path) -> str | None:
    with path.open("rb") as f:
        headers = BytesHeaderParser(policy=email.policy.compat32).parse(f)
    value = headers.get("Message-ID")
    return None if value is None else str(value).strip()


class FolderChannel:
    """Writes each message to ``<directory>/<key>.<install id>.eml``, atomically and
    idempotently.  The install id (random per database) keeps the files of two databases
    writing to one folder (a reset, a restore) apart."""

    deadline = 5.0  # a local write; the lease only needs a bound

    def __init__(self, directory: Path, name: str = "outbox", *, install_id: str = "") -> None:
        if install_id and not _SAFE_KEY.fullmatch(install_id):
            raise ValueError(f"not a usable install id: {install_id!r}")
        self.directory = Path(directory)
        self.name = name
        self.install_id = install_id

    def __repr__(self) -> str:
        return f"FolderChannel({str(self.directory)!r}, name={self.name!r})"

    def path_for(self, key: str) -> Path:
        name = file_name_for(key)
        if self.install_id:
            name = f"{name.removesuffix('.eml')}.{self.install_id}.eml"
        return self.directory / name

    def send(self, payload: bytes, *, key: str, message_id: str) -> Refused:
        """Write the message; a file already holding ``message_id`` is left alone."""
        path = self.path_for(key)
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            if path.exists() and _message_id_of(path) == message_id.strip():
                log.debug("outbox_file_exists", path=str(path))
                return {}
            self._write_atomically(path, payload)
        except OSError as e:
            raise DeliveryError(self.name, True, f"{path}: {e.strerror or e}") from e
        return {}

    def _write_atomically(self, path: Path, payload: bytes) -> None:
        fd, tmp_name = tempfile.mkstemp(dir=self.directory, prefix=".", suffix=".tmp")
        tmp = Path(tmp_name)
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(payload)
                f.flush()
                os.fsync(f.fileno())
            os.chmod(tmp, 0o644)
            os.replace(tmp, path)
        except BaseException:
            with contextlib.suppress(OSError):
                tmp.unlink()
            raise
        _fsync_directory(self.directory)


def _fsync_directory(directory: Path) -> None:
    """Make the rename durable where the platform allows it (not on Windows)."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        with contextlib.suppress(OSError):
            os.fsync(fd)
    finally:
        os.close(fd)


# --- SMTP --------------------------------------------------------------------------


def _address(value: str, what: str) -> str:
    _name, addr = parseaddr(value)
    if not addr or "@" not in addr or any(c in addr for c in " \r\n<>"):
        raise ValueError(f"not an email address ({what}): {value!r}")
    return addr


class SmtpChannel:
    """Sends messages through an SMTP server (STARTTLS, implicit TLS, or plain)."""

    def __init__(
        self,
        host: str,
        port: int,
        *,
        security: Security = "starttls",
        username: str | None = None,
        password: str | None = None,
        sender: str,
        recipients: list[str] | tuple[str, ...],
        timeout: float = 30.0,
        name: str = "smtp",
        ssl_context: ssl.SSLContext | None = None,
        local_hostname: str | None = None,
        redact: Callable[[str], str] | None = None,
        cancel: threading.Event | None = None,
    ) -> None:
        """``redact`` masks secrets (the password and its AUTH encodings) in any text
        the server sends back, before it reaches an error or a log line; once
        ``cancel`` is set (the daemon stops), a send in progress is cut off."""
        if security not in ("starttls", "tls", "none"):
            raise ValueError(f"unknown SMTP security: {security!r}")
        if (username is None) != (password is None):
            raise ValueError("SMTP username and password go together")
        self.host = host
        self.port = port
        self.security: Security = security
        self.username = username
        self._password = password
        self.sender = _address(sender, "sender")
        addresses = [a for _, a in getaddresses(list(recipients))]
        self.recipients = [_address(a, "recipient") for a in addresses]
        if not self.recipients:
            raise ValueError("SMTP channel needs at least one recipient")
        self.timeout = timeout
        self.name = name
        self.ssl_context = ssl_context
        self.local_hostname = local_hostname
        self._redact = redact
        self.cancel = cancel

    def __repr__(self) -> str:
        auth = f", username={self.username!r}, password=***" if self.username else ""
        return (
            f"SmtpChannel({self.host!r}, {self.port}, security={self.security!r}{auth}, "
            f"name={self.name!r})"
        )

    @property
    def deadline(self) -> float:
        # ``timeout`` for the exchange, and once more, at most, for the server's verdict
        # on a message it has received in full (see ``send``)
        return 2 * self.timeout

    def send(self, payload: bytes, *, key: str, message_id: str) -> Refused:
        """Send ``payload`` as-is to every recipient; returns once the server accepts it,
        with the recipients it refused.  The whole exchange ends within ``timeout``
        seconds: a server that stalls, or answers a byte at a time, is cut off.  One
        exception narrows the window in which a message goes out twice: when the
        deadline comes while the server, holding the whole message, has not yet given
        its verdict, it gets ``timeout`` seconds more (cutting it off then would mean
        sending the message again although it was most likely accepted)."""
        where = f"{self.host}:{self.port}"
        smtp = self._client()
        expired = threading.Event()
        finished = threading.Event()

        def cut_off() -> None:
            expired.set()
            sock = smtp.sock
            if sock is not None:
                # the plain socket's shutdown, also under TLS: the blocked read returns
                with contextlib.suppress(OSError):
                    socket.socket.shutdown(sock, socket.SHUT_RDWR)

        def watchdog() -> None:
            deadline = time.monotonic() + self.timeout
            graced = False
            stopping = False
            while not finished.wait(0.05):
                if not stopping and self.cancel is not None and self.cancel.is_set():
                    stopping = graced = True
                    if not getattr(smtp, "body_sent", False):
                        log.warning("smtp_send_cancelled", channel=self.name, key=key)
                        cut_off()
                        return
                    # the server has the message: a few seconds for its verdict, not more
                    deadline = min(deadline, time.monotonic() + STOP_GRACE_SECONDS)
                if time.monotonic() < deadline:
                    continue
                if getattr(smtp, "body_sent", False) and not graced:
                    graced = True
                    deadline += self.timeout
                    log.warning("smtp_verdict_slow", channel=self.name, key=key)
                    continue
                cut_off()
                return

        guard = threading.Thread(target=watchdog, name="smtp-deadline", daemon=True)
        guard.start()
        try:
            refused = self._exchange(smtp, payload)
        except (OSError, UnicodeError) as e:  # smtplib.SMTPException is an OSError
            with contextlib.suppress(OSError):
                smtp.close()
            if expired.is_set():
                why = (
                    "stopped"
                    if self.cancel is not None and self.cancel.is_set()
                    else f"cut off at the send deadline ({self.timeout:g} s)"
                )
                raise DeliveryError(self.name, True, f"{where}: {why}") from e
            raise self._error(e, where) from e
        except BaseException:
            with contextlib.suppress(OSError):
                smtp.close()
            raise
        finally:
            finished.set()
        # The server accepted the message (250 after DATA): return at once, so the caller
        # records it as sent as soon as possible.  Waiting for a reply to QUIT would only
        # widen the one window in which a crash makes the message go out twice.
        with contextlib.suppress(OSError):
            smtp.close()
        out = {rcpt: _reply(code, reply) for rcpt, (code, reply) in refused.items()}
        if out:
            log.warning(
                "smtp_recipients_refused",
                channel=self.name,
                key=key,
                message_id=message_id,
                refused=self._scrub("; ".join(f"{a}: {r}" for a, r in sorted(out.items()))),
            )
        return {a: self._scrub(r) for a, r in out.items()}

    def _exchange(self, smtp: smtplib.SMTP, payload: bytes) -> dict[str, tuple[int, bytes]]:
        # what the constructor would set: TLS checks the certificate against this name
        smtp._host = self.host  # type: ignore[attr-defined]
        code, banner = smtp.connect(self.host, self.port)
        if code != 220:
            raise smtplib.SMTPConnectError(code, banner)
        if self.security == "starttls":
            smtp.starttls(context=self._context())
            smtp.ehlo()
        if self.username is not None and self._password is not None:
            smtp.login(self.username, self._password)
        return smtp.sendmail(self.sender, self.recipients, payload)

    def _context(self) -> ssl.SSLContext:
        return self.ssl_context or ssl.create_default_context()

    def _client(self) -> smtplib.SMTP:
        """A client not yet connected: the deadline's watchdog is armed before the
        connection is opened, so even a server that never sends its banner is cut off."""
        # the watchdog ends the send at the deadline; each read's own timeout is a backstop
        backstop = self.timeout + 1
        if self.security == "tls":
            return _TrackingSMTPSSL(
                local_hostname=self.local_hostname,
                timeout=backstop,
                context=self._context(),
            )
        return _TrackingSMTP(local_hostname=self.local_hostname, timeout=backstop)

    def _error(self, e: OSError | UnicodeError, where: str) -> DeliveryError:
        transient, cause = _classify(e)
        return DeliveryError(self.name, transient, self._scrub(f"{where}: {cause}"))

    def _scrub(self, text: str) -> str:
        if self._redact is not None:
            text = self._redact(text)
        if self._password:
            text = text.replace(self._password, "***")
        return text


_DATA_END = b"\r\n.\r\n"


def _verdict_awaited(smtp: smtplib.SMTP) -> None:
    """The whole message is out: the server's verdict may take the grace time too (the
    send's watchdog still ends it)."""
    smtp.body_sent = True  # type: ignore[attr-defined]
    if smtp.sock is not None:
        smtp.sock.settimeout(2 * smtp.timeout)


class _TrackingSMTP(smtplib.SMTP):
    """Knows when the whole message has gone out (the end-of-data line was sent)."""

    body_sent = False

    def send(self, s: Buffer | str) -> None:
        super().send(s)
        if isinstance(s, bytes) and s.endswith(_DATA_END):
            _verdict_awaited(self)


class _TrackingSMTPSSL(smtplib.SMTP_SSL):
    body_sent = False

    def send(self, s: Buffer | str) -> None:
        super().send(s)
        if isinstance(s, bytes) and s.endswith(_DATA_END):
            _verdict_awaited(self)


def _reply(code: int, message: bytes | str) -> str:
    text = message.decode("utf-8", "replace") if isinstance(message, bytes) else message
    return f"{code} {' '.join(text.split())}".strip()


def _classify(e: OSError | UnicodeError) -> tuple[bool, str]:
    """(transient, cause) for an exception raised while talking SMTP."""
    if isinstance(e, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _ in e.recipients.values()]
        replies = "; ".join(f"{rcpt}: {_reply(c, m)}" for rcpt, (c, m) in e.recipients.items())
        transient = not codes or any(not 500 <= c < 600 for c in codes)
        return transient, f"all recipients refused: {replies}"
    if isinstance(e, smtplib.SMTPAuthenticationError):
        transient = 400 <= e.smtp_code < 500
        return transient, f"authentication failed: {_reply(e.smtp_code, e.smtp_error)}"
    if isinstance(e, smtplib.SMTPResponseException):
        transient = not 500 <= e.smtp_code < 600
        return transient, f"server replied {_reply(e.smtp_code, e.smtp_error)}"
    if isinstance(e, smtplib.SMTPServerDisconnected):
        return True, f"server disconnected: {e}"
    if isinstance(e, smtplib.SMTPNotSupportedError):
        return False, f"not supported by the server: {e}"
    if isinstance(e, smtplib.SMTPException):
        return False, f"SMTP error: {e}"
    if isinstance(e, ssl.SSLCertVerificationError):
        return False, f"TLS certificate not trusted: {e.verify_message or e}"
    if isinstance(e, ssl.SSLError):
        return True, f"TLS error: {e}"
    if isinstance(e, TimeoutError):
        return True, "timed out"
    if isinstance(e, OSError):
        return True, f"connection failed: {e.strerror or e}"
    # UnicodeError: a non-ASCII address the server cannot take
    return False, f"cannot encode for SMTP: {e}"


class WebhookChannel:
    """POSTs each message as JSON to a URL (Slack-, Mattermost- and Teams-style incoming
    webhooks read ``text``).  2xx is accepted; 408, 429 and 5xx or a network failure are
    temporary; other 4xx are permanent."""

    def __init__(
        self,
        url: str,
        *,
        name: str = "webhook",
        timeout: float = 30.0,
        headers: dict[str, str] | None = None,
        cancel: threading.Event | None = None,
        allow_private: bool = False,
    ) -> None:
        self.url = url
        self.name = name
        self.timeout = timeout
        self.headers = dict(headers or {})
        self.cancel = cancel  # once set (the daemon stops), a request in progress is cut off
        # the address policy of every outgoing request (monitor/netguard.py)
        self.allow_private = allow_private

    def __repr__(self) -> str:
        return f"WebhookChannel(name={self.name!r}, url={_redact_url(self.url)!r})"

    @property
    def deadline(self) -> float:
        return self.timeout

    def send(self, payload: bytes, *, key: str, message_id: str) -> Refused:
        """POST the message; the whole request (connect, send, every byte of the answer)
        ends within ``timeout`` seconds, so a server answering a byte a second is cut off."""
        import httpx

        if payload.lstrip().startswith(b"{"):
            # a webhook document made when the alert was queued (monitor.render)
            document = json.loads(payload)
        else:  # a rendered mail (queued before webhook documents existed)
            from monitor.render import webhook_document

            document = webhook_document(
                email.message_from_bytes(payload, policy=email.policy.default)
            )
        document["message_id"] = message_id
        document["key"] = key
        try:
            status, reason = asyncio.run(self._post(document, message_id))
        except TimeoutError as e:
            raise DeliveryError(
                self.name, True, f"cut off at the send deadline ({self.timeout:g} s)"
            ) from e
        except _Stopped as e:
            raise DeliveryError(self.name, True, "stopped") from e
        except httpx.HTTPError as e:
            # an address the policy refuses stays refused: retrying cannot help
            refused = isinstance(e, httpx.ConnectError) and str(e).startswith("refused:")
            raise DeliveryError(self.name, not refused, f"{type(e).__name__}: {e}") from e
        if 200 <= status < 300:
            return {}
        transient = status in (408, 429) or status >= 500
        raise DeliveryError(self.name, transient, f"HTTP {status} {reason}")

    async def _post(self, document: dict[str, Any], message_id: str) -> tuple[int, str]:
        import httpx

        from monitor.fetch import USER_AGENT
        from monitor.netguard import guarded_async_transport

        headers = {"User-Agent": USER_AGENT, "Idempotency-Key": message_id, **self.headers}

        async def post() -> tuple[int, str]:
            transport = guarded_async_transport(allow_private=self.allow_private)
            async with httpx.AsyncClient(
                transport=transport, timeout=self.timeout, follow_redirects=False, trust_env=False
            ) as client:
                response = await client.post(self.url, json=document, headers=headers)
                return response.status_code, response.reason_phrase

        async def post_unless_stopped() -> tuple[int, str]:
            task = asyncio.ensure_future(post())
            try:
                while not task.done():
                    if self.cancel is not None and self.cancel.is_set():
                        raise _Stopped
                    await asyncio.wait({task}, timeout=0.05)
                return task.result()
            finally:
                if not task.done():
                    task.cancel()
                    with contextlib.suppress(asyncio.CancelledError, Exception):
                        await task

        return await asyncio.wait_for(post_unless_stopped(), self.timeout)


class AppriseChannel:
    """Sends each message (subject as title, plain text as body) to one Apprise URL: any of
    the services Apprise knows (chat, push, SMS; ``json://`` posts to any endpoint).
    The URL is a secret: it is never shown, only the scheme."""

    def __init__(
        self,
        url: str,
        *,
        name: str = "apprise",
        timeout: float = 30.0,
        cancel: threading.Event | None = None,
    ) -> None:
        self._url = url
        self.name = name
        self.timeout = timeout
        self.cancel = cancel  # once set (the daemon stops), stop waiting for the send

    def __repr__(self) -> str:
        scheme = self._url.split("://", 1)[0]
        return f"AppriseChannel(name={self.name!r}, url='{scheme}://…')"

    @property
    def deadline(self) -> float:
        return self.timeout

    def send(self, payload: bytes, *, key: str, message_id: str) -> Refused:
        """Notify; Apprise reports only success or failure, so any failure is temporary
        (retried until ``alerts.max_retry_hours``).  A notification still running at the
        deadline is abandoned and reported as failed."""
        msg = email.message_from_bytes(payload, policy=email.policy.default)
        body = msg.get_body(("plain",))
        text = body.get_content() if body is not None else ""
        title = str(msg.get("Subject", ""))
        outcome: dict[str, Any] = {}
        worker = threading.Thread(
            target=self._notify, args=(title, text, outcome), name="apprise", daemon=True
        )
        worker.start()
        until = time.monotonic() + self.timeout
        while worker.is_alive() and time.monotonic() < until:
            if self.cancel is not None and self.cancel.is_set():
                raise DeliveryError(self.name, True, "stopped")
            worker.join(0.05)
        if worker.is_alive():
            raise DeliveryError(
                self.name, True, f"cut off at the send deadline ({self.timeout:g} s)"
            )
        if "unusable" in outcome:
            scheme = self._url.split("://", 1)[0]
            raise DeliveryError(self.name, False, f"Apprise cannot use this {scheme}:// URL")
        if "crash" in outcome:
            raise DeliveryError(self.name, True, f"Apprise failed: {outcome['crash']}")
        if not outcome.get("ok"):
            detail = " ".join(str(outcome.get("log", "")).split())[-500:]
            raise DeliveryError(self.name, True, f"not delivered: {detail or 'no detail'}")
        return {}

    def _notify(self, title: str, text: str, outcome: dict[str, Any]) -> None:
        import logging

        import apprise

        try:
            notifier = apprise.Apprise()
            if not notifier.add(self._url):
                outcome["unusable"] = True
                return
            with apprise.LogCapture(level=logging.WARNING) as captured:  # type: ignore[no-untyped-call]
                outcome["ok"] = bool(notifier.notify(title=title, body=text))
                outcome["log"] = captured.getvalue()
        except Exception as e:  # a third-party failure of one message is data
            outcome["crash"] = f"{type(e).__name__}: {e}"


class _Stopped(Exception):
    """The daemon is stopping: a send in progress is abandoned (and retried later)."""


def _redact_url(url: str) -> str:
    """A webhook URL's path is often its secret: show only the scheme and host."""
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.hostname or ''}/…"
