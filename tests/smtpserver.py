"""A real local SMTP server for tests (aiosmtpd), as the pytest fixture ``smtp_server``.

Register with ``pytest_plugins = ["tests.smtpserver"]``.  The server records
every accepted message, can be scripted to answer DATA with a given reply
(``reply_next("451 4.3.0 try later", times=1)``), can require AUTH
(``require_auth("user", "secret")``, LOGIN/PLAIN over a plain connection), and
can be stopped and started again on the same port to simulate an outage.
"""

from __future__ import annotations

import asyncio
import socket
import threading
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session

HOST = "127.0.0.1"


@dataclass(frozen=True)
class ReceivedMessage:
    """One message the server accepted."""

    mail_from: str
    rcpt_tos: tuple[str, ...]
    data: bytes  # the DATA bytes as received (CRLF line endings, dot-unstuffed)
    login: str | None  # the AUTH user, if the client authenticated


def free_port(host: str = HOST) -> int:
    """A port nobody listens on right now (aiosmtpd 1.4 refuses port 0)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return int(s.getsockname()[1])


class RecordingHandler:
    """aiosmtpd handler: records messages, answers scripted replies, checks AUTH."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.messages: list[ReceivedMessage] = []
        self.data_commands = 0
        self._script: deque[str] = deque()
        self._rcpt_replies: dict[str, str] = {}
        self.credentials: tuple[str, str] | None = None
        self.auth_attempts: list[str] = []
        # called (in the server's thread) after a message is recorded, before the 250
        self.on_message: Callable[[ReceivedMessage], None] | None = None
        self.reply_delay = 0.0  # seconds to wait before answering DATA

    def reply_next(self, reply: str, times: int = 1) -> None:
        with self._lock:
            self._script.extend([reply] * times)

    def refuse_recipient(self, address: str, reply: str) -> None:
        with self._lock:
            self._rcpt_replies[address.lower()] = reply

    async def handle_RCPT(
        self,
        server: SMTP,
        session: Session,
        envelope: Envelope,
        address: str,
        rcpt_options: list[str],
    ) -> str:
        with self._lock:
            reply = self._rcpt_replies.get(address.lower())
        if reply is not None:
            return reply
        envelope.rcpt_tos.append(address)
        envelope.rcpt_options.extend(rcpt_options)
        return "250 OK"

    async def handle_MAIL(
        self,
        server: SMTP,
        session: Session,
        envelope: Envelope,
        address: str,
        mail_options: list[str],
    ) -> str:
        if self.credentials is not None and not session.authenticated:
            return "530 5.7.0 Authentication required"
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        with self._lock:
            self.data_commands += 1
            if self._script:
                return self._script.popleft()
            content = envelope.original_content or b""
            login = getattr(session.auth_data, "login", None)
            self.messages.append(
                ReceivedMessage(
                    mail_from=envelope.mail_from or "",
                    rcpt_tos=tuple(envelope.rcpt_tos),
                    data=content,
                    login=login.decode() if isinstance(login, bytes) else None,
                )
            )
            received = self.messages[-1]
        if self.on_message is not None:
            self.on_message(received)
        if self.reply_delay:
            await asyncio.sleep(self.reply_delay)
        return "250 OK"

    def authenticate(
        self,
        server: SMTP,
        session: Session,
        envelope: Envelope,
        mechanism: str,
        auth_data: Any,
    ) -> AuthResult:
        if not isinstance(auth_data, LoginPassword) or self.credentials is None:
            return AuthResult(success=False, handled=False)
        login = auth_data.login.decode("utf-8", "replace")
        self.auth_attempts.append(login)
        if (login, auth_data.password.decode("utf-8", "replace")) == self.credentials:
            return AuthResult(success=True, auth_data=auth_data)
        return AuthResult(success=False, handled=False)


class SmtpServer:
    """A started aiosmtpd server on ``host:port`` with a ``RecordingHandler``."""

    def __init__(self, host: str = HOST, port: int | None = None) -> None:
        self.host = host
        self.port = port if port is not None else free_port(host)
        self.handler = RecordingHandler()
        self._controller: Controller | None = None

    @property
    def messages(self) -> list[ReceivedMessage]:
        return self.handler.messages

    @property
    def running(self) -> bool:
        return self._controller is not None

    def reply_next(self, reply: str, times: int = 1) -> None:
        """Answer the next ``times`` DATA commands with ``reply`` (e.g. "451 4.3.0 later")."""
        self.handler.reply_next(reply, times)

    def refuse_recipient(self, address: str, reply: str) -> None:
        """Answer RCPT TO:<address> with ``reply`` (e.g. "550 5.1.1 no such user")."""
        self.handler.refuse_recipient(address, reply)

    def require_auth(self, username: str, password: str) -> None:
        """Refuse MAIL until the client logs in with these credentials."""
        self.handler.credentials = (username, password)

    def start(self) -> None:
        """Listen (again) on the same port; a stopped server's loop is closed, so a
        new controller is made each time."""
        if self._controller is not None:
            return
        controller = Controller(
            self.handler,
            hostname=self.host,
            port=self.port,
            server_hostname="smtp.test",
            authenticator=self.handler.authenticate,
            auth_require_tls=False,
        )
        controller.start()
        self._controller = controller

    def stop(self) -> None:
        """Stop listening; connections are refused until ``start``."""
        if self._controller is None:
            return
        self._controller.stop()
        self._controller = None

    def __enter__(self) -> SmtpServer:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


@pytest.fixture
def smtp_server() -> Iterator[SmtpServer]:
    """A running local SMTP server; stopped after the test."""
    with SmtpServer() as server:
        yield server
