"""A scriptable local HTTP server for feed tests, and the pytest fixture ``feed_server``.

Register with ``pytest_plugins = ["tests.feedserver"]``.  Routes are set per path::

    with FeedServer() as srv:
        srv.add("/a.xml", body=b"<rss .../>", etag='"x"', content_type="application/rss+xml")
        srv.add_file("/b.xml", DATA / "feeds" / "atom.xml")
        srv.add("/slow", body=b"...", delay=2.0)            # wait before answering
        srv.add("/drip", body=b"...", drip_interval=0.05)   # body one chunk at a time
        srv.add("/gz", body=b"...", gzip=True)              # Content-Encoding: gzip
        srv.add("/old", redirect_to="/a.xml", status=301)   # a redirect
        srv.url("/a.xml"); srv.requests; srv.max_in_flight

A route with an ``etag`` or ``last_modified`` answers 304 when the request's
If-None-Match / If-Modified-Since matches.  Unknown paths answer 404.  Every
request is recorded (method, path, lower-cased headers).  Client disconnects
are ignored silently.
"""

from __future__ import annotations

import gzip as gzip_module
import http.server
import socket
import threading
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any

import pytest

HOST = "127.0.0.1"

_CONTENT_TYPES = {
    ".rss": "application/rss+xml",
    ".atom": "application/atom+xml",
    ".rdf": "application/rdf+xml",
    ".xml": "application/xml",
    ".html": "text/html; charset=utf-8",
    ".json": "application/json",
}


@dataclass
class Route:
    """How the server answers one path."""

    body: bytes = b""
    status: int = 200
    content_type: str | None = "application/xml"
    headers: dict[str, str] = field(default_factory=dict)
    etag: str | None = None
    last_modified: str | None = None
    delay: float = 0.0
    drip_interval: float | None = None
    drip_chunk: int = 1
    gzip: bool = False
    redirect_to: str | None = None


@dataclass(frozen=True)
class RecordedRequest:
    """One request the server received."""

    method: str
    path: str
    headers: dict[str, str]  # lower-case names


def _opaque_tag(tag: str) -> str:
    return tag.strip().removeprefix("W/")


def _etag_matches(if_none_match: str, etag: str) -> bool:
    if if_none_match.strip() == "*":
        return True
    return _opaque_tag(etag) in {_opaque_tag(t) for t in if_none_match.split(",")}


def _not_modified_since(if_modified_since: str, last_modified: str) -> bool:
    if if_modified_since.strip() == last_modified.strip():
        return True
    try:
        return parsedate_to_datetime(if_modified_since) >= parsedate_to_datetime(last_modified)
    except (TypeError, ValueError, IndexError):
        return False


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        self._answer(send_body=True)

    def do_HEAD(self) -> None:
        self._answer(send_body=False)

    def _answer(self, *, send_body: bool) -> None:
        owner = self.server.owner
        headers = {k.lower(): v for k, v in self.headers.items()}
        owner._record(RecordedRequest(self.command, self.path, headers))
        owner._enter()
        try:
            self._respond(owner, owner._route(self.path), headers, send_body)
        except (ConnectionError, TimeoutError, OSError):
            self.close_connection = True  # the client went away
        finally:
            owner._leave()

    def _start(self, status: int, route: Route) -> None:
        """The status line, Server, and Date unless the route sets its own."""
        self.send_response_only(status)
        self.send_header("Server", "feedserver")
        if not any(name.lower() == "date" for name in route.headers):
            self.send_header("Date", self.date_time_string())

    def _respond(
        self, owner: FeedServer, route: Route | None, headers: dict[str, str], send_body: bool
    ) -> None:
        if route is None:
            route = Route(body=b"not found", status=404, content_type="text/plain")
        if route.delay and owner._stopping.wait(route.delay):
            self.close_connection = True
            return
        if route.redirect_to is not None:
            status = route.status if 300 <= route.status < 400 else 302
            self._start(status, route)
            self.send_header("Location", route.redirect_to)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        not_modified = False
        if route.etag is not None and "if-none-match" in headers:
            not_modified = _etag_matches(headers["if-none-match"], route.etag)
        elif route.last_modified is not None and "if-modified-since" in headers:
            not_modified = _not_modified_since(headers["if-modified-since"], route.last_modified)
        body = route.body
        if not_modified:
            self._start(304, route)
            body = b""
        else:
            self._start(route.status, route)
            if route.content_type:
                self.send_header("Content-Type", route.content_type)
            if route.gzip:
                self.send_header("Content-Encoding", "gzip")
        if route.etag is not None:
            self.send_header("ETag", route.etag)
        if route.last_modified is not None:
            self.send_header("Last-Modified", route.last_modified)
        for name, value in route.headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if not send_body or not body:
            return
        if route.drip_interval is None:
            self.wfile.write(body)
            return
        step = max(1, route.drip_chunk)
        for start in range(0, len(body), step):
            self.wfile.write(body[start : start + step])
            self.wfile.flush()
            if owner._stopping.wait(route.drip_interval):
                self.close_connection = True
                return


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    owner: FeedServer

    def handle_error(self, request: Any, client_address: Any) -> None:
        # Disconnects and resets are normal in these tests; keep stderr quiet.
        pass


class FeedServer:
    """A threaded HTTP server on 127.0.0.1 (an ephemeral port unless one is given); see the
    module docstring."""

    def __init__(self, port: int = 0) -> None:
        self._port = port
        self._routes: dict[str, Route] = {}
        self._requests: list[RecordedRequest] = []
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._in_flight = 0
        self.max_in_flight = 0
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle ---------------------------------------------------------

    def start(self) -> FeedServer:
        server = _Server((HOST, self._port), _Handler)
        server.owner = self
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name="feedserver",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()  # wakes handlers that are waiting or dripping
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._server = None
        self._thread = None

    def __enter__(self) -> FeedServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- scripting ---------------------------------------------------------

    @property
    def port(self) -> int:
        assert self._server is not None, "server not started"
        return int(self._server.server_address[1])

    def url(self, path: str = "/") -> str:
        return f"http://{HOST}:{self.port}{path}"

    def add(
        self,
        path: str,
        body: bytes = b"",
        *,
        status: int = 200,
        content_type: str | None = "application/xml",
        headers: Mapping[str, str] | None = None,
        etag: str | None = None,
        last_modified: str | None = None,
        delay: float = 0.0,
        drip_interval: float | None = None,
        drip_chunk: int = 1,
        gzip: bool = False,
        redirect_to: str | None = None,
    ) -> Route:
        """Answer ``path`` (with its query string, if any) as described; replaces a prior route.

        ``gzip=True`` compresses ``body`` now and sends it with Content-Encoding: gzip.
        To serve bytes that are already compressed, pass them with
        ``headers={"Content-Encoding": "gzip"}`` instead.
        """
        route = Route(
            body=gzip_module.compress(body, mtime=0) if gzip else body,
            status=status,
            content_type=content_type,
            headers=dict(headers or {}),
            etag=etag,
            last_modified=last_modified,
            delay=delay,
            drip_interval=drip_interval,
            drip_chunk=drip_chunk,
            gzip=gzip,
            redirect_to=redirect_to,
        )
        with self._lock:
            self._routes[path] = route
        return route

    def add_file(self, path: str, file: str | Path, **kwargs: Any) -> Route:
        """Serve a file's bytes; the content type is guessed from its suffix unless given."""
        file = Path(file)
        kwargs.setdefault("content_type", _CONTENT_TYPES.get(file.suffix, "application/xml"))
        return self.add(path, file.read_bytes(), **kwargs)

    def _route(self, path: str) -> Route | None:
        with self._lock:
            return self._routes.get(path) or self._routes.get(path.split("?", 1)[0])

    # -- observation -------------------------------------------------------

    @property
    def requests(self) -> list[RecordedRequest]:
        """The requests received so far, oldest first (a copy)."""
        with self._lock:
            return list(self._requests)

    def requests_for(self, path: str) -> list[RecordedRequest]:
        return [r for r in self.requests if r.path == path]

    def _record(self, request: RecordedRequest) -> None:
        with self._lock:
            self._requests.append(request)

    def _enter(self) -> None:
        with self._lock:
            self._in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self._in_flight)

    def _leave(self) -> None:
        with self._lock:
            self._in_flight -= 1


def closed_port_url(path: str = "/") -> str:
    """A URL on 127.0.0.1 where nothing listens (connection refused)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((HOST, 0))
        port = s.getsockname()[1]
    return f"http://{HOST}:{port}{path}"


def wait_until(predicate: Any, timeout: float = 5.0) -> bool:
    """Poll ``predicate`` until true or ``timeout`` seconds pass; returns its last value."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(0.01)
    return bool(predicate())


@pytest.fixture
def feed_server() -> Iterator[FeedServer]:
    """A started ``FeedServer``, stopped after the test."""
    with FeedServer() as srv:
        yield srv
