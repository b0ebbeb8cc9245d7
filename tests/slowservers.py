"""Servers that misbehave on purpose: an SMTP server that answers a byte at a time (a
tarpit) at a chosen moment, an HTTP server that answers a webhook POST a byte at a time,
and an SMTP relay that echoes the AUTH line (with the credentials) in its error.  Real
sockets on 127.0.0.1; each records what it received."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Literal


class _Server:
    def __init__(self) -> None:
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.listener.settimeout(0.1)
        self.port: int = self.listener.getsockname()[1]
        self.stop = threading.Event()
        self.received = bytearray()
        self.connections = 0
        self.trickled = 0
        self._threads: list[threading.Thread] = []

    def _accept_loop(self) -> None:
        while not self.stop.is_set():
            try:
                conn, _ = self.listener.accept()
            except TimeoutError:
                continue
            self.connections += 1
            t = threading.Thread(target=self._serve_guarded, args=(conn,), daemon=True)
            t.start()
            self._threads.append(t)

    def _serve_guarded(self, conn: socket.socket) -> None:
        with conn:
            try:
                self.serve(conn)
            except OSError:
                pass  # the client hung up: that is what these servers provoke

    def serve(self, conn: socket.socket) -> None:
        raise NotImplementedError

    def trickle(self, conn: socket.socket, data: bytes, every: float) -> None:
        """Send ``data`` one byte per ``every`` seconds (until the client goes away);
        ``trickled`` counts the answers sent in full."""
        for i in range(len(data)):
            if self.stop.wait(every):
                return
            conn.sendall(data[i : i + 1])
        self.trickled += 1

    def read_line(self, conn: socket.socket) -> bytes:
        line = bytearray()
        while not line.endswith(b"\n"):
            chunk = conn.recv(1)
            if not chunk:
                raise ConnectionResetError("client closed")
            line += chunk
        self.received += line
        return bytes(line)

    @contextmanager
    def running(self) -> Iterator[_Server]:
        thread = threading.Thread(target=self._accept_loop, daemon=True)
        thread.start()
        try:
            yield self
        finally:
            self.stop.set()
            thread.join()
            for t in self._threads:
                t.join(timeout=5)
            self.listener.close()


class TarpitSmtpServer(_Server):
    """Speaks just enough SMTP; at ``slow_at`` ("banner": the greeting, "data": the reply
    to the end of DATA, when the message has been received: "250 " at once, the rest of
    the line) it answers one byte per ``every`` seconds.  ``messages`` counts the messages
    it received in full."""

    def __init__(self, slow_at: Literal["banner", "data"], every: float = 0.25) -> None:
        super().__init__()
        self.slow_at = slow_at
        self.every = every
        self.messages = 0

    def serve(self, conn: socket.socket) -> None:
        banner = b"220 tarpit.test ESMTP " + b"slow " * 40 + b"\r\n"
        if self.slow_at == "banner":
            self.trickle(conn, banner, self.every)
        else:
            conn.sendall(banner)
        while not self.stop.is_set():
            line = self.read_line(conn).rstrip(b"\r\n")
            verb = line.split(b" ", 1)[0].upper()
            if verb in (b"EHLO", b"HELO"):
                conn.sendall(b"250 tarpit.test\r\n")
            elif verb == b"DATA":
                conn.sendall(b"354 go ahead\r\n")
                while self.read_line(conn) != b".\r\n":
                    pass
                self.messages += 1
                reply = b"250 2.0.0 queued " + b"slowly " * 40 + b"\r\n"
                if self.slow_at == "data":
                    conn.sendall(reply[:4])
                    self.trickle(conn, reply[4:], self.every)
                else:
                    conn.sendall(reply)
            elif verb == b"QUIT":
                conn.sendall(b"221 bye\r\n")
                return
            else:
                conn.sendall(b"250 OK\r\n")


class TrickleHttpServer(_Server):
    """Reads one HTTP request, then answers ``200 OK`` one byte per ``every`` seconds."""

    def __init__(self, every: float = 0.25) -> None:
        super().__init__()
        self.every = every
        self.requests = 0

    def serve(self, conn: socket.socket) -> None:
        length = 0
        while (line := self.read_line(conn)) != b"\r\n":
            name, _, value = line.decode("latin-1").partition(":")
            if name.strip().lower() == "content-length":
                length = int(value.strip())
        body = b""
        while len(body) < length:
            chunk = conn.recv(length - len(body))
            if not chunk:
                return
            body += chunk
        self.received += body
        self.requests += 1
        answer = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nX-Slow: " + b"z" * 200 + b"\r\n\r\nok"
        self.trickle(conn, answer, self.every)


class EchoAuthSmtpServer(_Server):
    """Offers AUTH PLAIN and refuses it, echoing the client's AUTH line (base64
    credentials and all) in the 535 reply, as some relays do."""

    def serve(self, conn: socket.socket) -> None:
        conn.sendall(b"220 relay.test ESMTP\r\n")
        while not self.stop.is_set():
            line = self.read_line(conn).rstrip(b"\r\n")
            verb = line.split(b" ", 1)[0].upper()
            if verb == b"EHLO":
                conn.sendall(b"250-relay.test\r\n250 AUTH PLAIN\r\n")
            elif verb == b"AUTH":
                conn.sendall(b"535 5.7.8 Authentication failed for: " + line + b"\r\n")
            elif verb == b"QUIT":
                conn.sendall(b"221 bye\r\n")
                return
            else:
                conn.sendall(b"250 OK\r\n")
