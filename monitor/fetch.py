"""The edge to the network: httpx client, conditional GET, limits, backoff.

``fetch_feed`` returns a ``FetchResult`` (bytes or "not modified" plus
validators) or raises ``FetchError``/``FeedGoneError``; every httpx error is
wrapped here.  ``next_poll_after`` is the pure backoff rule.
"""

from __future__ import annotations

import functools
import queue
import re
import ssl
import threading
import time
import zlib
from collections import Counter, deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urlsplit

import httpx

from monitor import netguard
from monitor.clock import SystemClock
from monitor.errors import FeedGoneError, FetchError
from monitor.models import FetchResult

USER_AGENT = "monitor/0.1 (+https://github.com/monitor-project/monitor; claim-tracking monitor)"
ACCEPT = (
    "application/rss+xml, application/atom+xml, application/rdf+xml;q=0.9, "
    "application/xml;q=0.8, text/xml;q=0.8, */*;q=0.1"
)
MAX_REDIRECTS = 5
MAX_BACKOFF_SECONDS = 24 * 3600
_PIECE = 64 * 1024  # the most decoded bytes produced per decompression step
# Validators longer than their columns (``feeds.etag`` String(500), ``feeds.last_modified``
# String(100)) are not kept: a cut one would never match, and would not fit.
MAX_ETAG_CHARS = 500
MAX_LAST_MODIFIED_CHARS = 100
# Sent back as request headers, which httpx encodes as ASCII: printable ASCII only.
_VALIDATOR_OK = re.compile(r"[\x20-\x7e]*")


@dataclass(frozen=True)
class FetchRequest:
    """One feed to fetch, with the validators from its last successful fetch."""

    feed_id: int
    url: str
    etag: str | None = None
    last_modified: str | None = None


@functools.cache
def _tls_context() -> ssl.SSLContext:
    """The TLS context of every feed client (httpx's default: certificates verified
    against certifi's bundle); an ``SSLContext`` is safe to share between threads."""
    return httpx.create_ssl_context()


def make_client(
    *,
    connect_timeout: float = 10.0,
    read_timeout: float = 20.0,
    allow_private: bool = False,
    max_connections: int = 100,
) -> httpx.Client:
    """An httpx client for feeds: redirects (at most 5), timeouts, User-Agent, Accept, and
    the address policy of ``monitor.netguard`` on every connection (redirects included).
    Every client shares one TLS context (loading the CA bundle costs ~20 ms of CPU)."""
    client = netguard.guarded_client(
        allow_private=allow_private,
        verify=_tls_context(),
        limits=httpx.Limits(
            max_connections=max_connections, max_keepalive_connections=max_connections
        ),
        follow_redirects=True,
        max_redirects=MAX_REDIRECTS,
        timeout=httpx.Timeout(read_timeout, connect=connect_timeout),
        headers={
            "User-Agent": USER_AGENT,
            "Accept": ACCEPT,
            # Only codings this module decodes itself, with a bound on the output.
            "Accept-Encoding": "gzip, deflate",
        },
    )
    if isinstance(getattr(client, "_cookies", None), httpx.Cookies):
        client._cookies = _Cookies(client.cookies.jar)
    return client


class _Cookies(httpx.Cookies):
    """httpx's cookie jar, which reads a response's cookies only when it sets any: httpx
    otherwise builds urllib's request and response for every answer (a tenth of a
    fetch's CPU) to find none."""

    def extract_cookies(self, response: httpx.Response) -> None:
        if "set-cookie" in response.headers:
            super().extract_cookies(response)


# ---------------------------------------------------------------------------
# Bounded decoding
# ---------------------------------------------------------------------------


class _Decoder:
    """Content-Encoding decoder that never produces more than ``_PIECE`` bytes per step."""

    def __init__(self, coding: str) -> None:
        self.coding = coding
        self._z: Any = None
        self._started = False  # any compressed input seen (an empty body is just empty)
        if coding in ("gzip", "x-gzip"):
            self._z = zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif coding == "deflate":
            self._z = zlib.decompressobj()
            self._first = True
        elif coding not in ("", "identity"):
            raise ValueError(f"unsupported content-encoding {coding!r}")

    def decode(self, data: bytes) -> Iterator[bytes]:
        if self._z is None:
            yield data
            return
        if not data:
            return
        self._started = True
        try:
            while data:  # one pass per gzip member (a loop: members may be many and empty)
                if self.coding == "deflate" and self._first:
                    self._first = False
                    try:  # zlib-wrapped, as the RFC says...
                        probe = zlib.decompressobj()
                        first = probe.decompress(data, _PIECE)
                        self._z = probe
                    except zlib.error:  # ...or raw deflate, as many servers send
                        self._z = zlib.decompressobj(-zlib.MAX_WBITS)
                        first = self._z.decompress(data, _PIECE)
                    yield first
                else:
                    yield self._z.decompress(data, _PIECE)
                while self._z.unconsumed_tail:
                    yield self._z.decompress(self._z.unconsumed_tail, _PIECE)
                data = self._z.unused_data if self._z.eof else b""
                if self.coding == "deflate" or not data.startswith(b"\x1f\x8b"):
                    break  # anything but another gzip member after the end is ignored
                self._z = zlib.decompressobj(16 + zlib.MAX_WBITS)
        except zlib.error as e:
            raise ValueError(f"bad {self.coding} data: {e}") from e

    def flush(self) -> bytes:
        """The rest of the output; ``ValueError`` if the compressed stream was cut short."""
        if self._z is None:
            return b""
        try:
            rest = bytes(self._z.flush(_PIECE))
        except zlib.error as e:
            raise ValueError(f"bad {self.coding} data: {e}") from e
        if self._started and not self._z.eof:
            raise ValueError(f"truncated {self.coding} data: no end-of-stream marker")
        return rest


# ---------------------------------------------------------------------------
# One feed
# ---------------------------------------------------------------------------


def parse_retry_after(value: str | None, now: datetime) -> float | None:
    """Seconds to wait from a Retry-After value (delta-seconds or an HTTP date), or None."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(min(int(value), 10 * MAX_BACKOFF_SECONDS))
    try:
        at = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if at.tzinfo is None:
        at = at.replace(tzinfo=UTC)
    return min(max(0.0, (at - now).total_seconds()), 10.0 * MAX_BACKOFF_SECONDS)


def _cause(e: Exception) -> str:
    if isinstance(e, httpx.TooManyRedirects):
        return "too many redirects"
    if isinstance(e, httpx.ConnectTimeout):
        return "timed out connecting"
    if isinstance(e, httpx.TimeoutException):
        return "timed out"
    text = (str(e).splitlines() or [""])[0].strip()[:160]
    label = {
        httpx.ConnectError: "cannot connect",
        httpx.RemoteProtocolError: "protocol error",
        httpx.LocalProtocolError: "protocol error",
        httpx.UnsupportedProtocol: "unsupported URL",
        httpx.InvalidURL: "invalid URL",
        httpx.ReadError: "read error",
        httpx.WriteError: "write error",
    }.get(type(e), type(e).__name__)
    return f"{label}: {text}" if text else label


def bounded_validator(value: str | None, limit: int) -> str | None:
    """A validator (ETag, Last-Modified) as it may be stored and sent back, or None when it
    is longer than ``limit`` or holds anything but printable ASCII."""
    if not value or len(value) > limit or not _VALIDATOR_OK.fullmatch(value):
        return None
    return value


def _now_from(response: httpx.Response) -> datetime:
    """The server's Date (for Retry-After dates), else the system clock."""
    try:
        at = parsedate_to_datetime(response.headers.get("date", ""))
    except (TypeError, ValueError, IndexError):
        return SystemClock().now()
    return at if at.tzinfo else at.replace(tzinfo=UTC)


def fetch_feed(
    client: httpx.Client,
    url: str,
    *,
    etag: str | None = None,
    last_modified: str | None = None,
    max_bytes: int = 5_000_000,
    deadline_seconds: float = 60.0,
    stop: threading.Event | None = None,
) -> FetchResult:
    """GET ``url`` conditionally; at most ``max_bytes`` decoded bytes, within the deadline.

    The deadline is checked between reads, and no single read may wait longer
    than the deadline itself, so a stalled or dripping server is cut off.
    Raises ``FeedGoneError`` on 410 and ``FetchError`` on any other failure.
    """
    started = time.monotonic()
    headers: dict[str, str] = {}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    base = client.timeout
    cap = max(0.001, deadline_seconds)
    timeout = httpx.Timeout(
        connect=min(base.connect or cap, cap),
        read=min(base.read or cap, cap),
        write=min(base.write or cap, cap),
        pool=min(base.pool or cap, cap),
    )
    try:
        with client.stream("GET", url, headers=headers, timeout=timeout) as response:
            status = response.status_code
            final_url = str(response.url)
            got = {k.lower(): v for k, v in response.headers.items()}
            if status == 304:
                # A 304 has no body: reading its end returns the connection to the pool
                # (else it is closed, and the host's next feed connects again).
                for _ in response.iter_raw():
                    break
                return FetchResult(
                    url=final_url,
                    status=304,
                    content=None,
                    headers=got,
                    etag=bounded_validator(got.get("etag"), MAX_ETAG_CHARS) or etag,
                    last_modified=bounded_validator(
                        got.get("last-modified"), MAX_LAST_MODIFIED_CHARS
                    )
                    or last_modified,
                )
            if status == 410:
                raise FeedGoneError(url, status, "gone")
            if not 200 <= status < 300:
                retry = None
                if status in (429, 503):
                    retry = parse_retry_after(got.get("retry-after"), _now_from(response))
                reason = response.reason_phrase or "error"
                raise FetchError(url, status, f"HTTP {status} {reason}", retry)
            try:
                decoder = _Decoder(got.get("content-encoding", "").strip().lower())
            except ValueError as e:
                raise FetchError(url, status, str(e)) from e
            body = _read_body(
                response, decoder, url, status, max_bytes, started, deadline_seconds, stop
            )
            return FetchResult(
                url=final_url,
                status=status,
                content=body,
                headers=got,
                etag=bounded_validator(got.get("etag"), MAX_ETAG_CHARS),
                last_modified=bounded_validator(got.get("last-modified"), MAX_LAST_MODIFIED_CHARS),
            )
    except (httpx.HTTPError, httpx.InvalidURL) as e:
        raise FetchError(url, None, _cause(e)) from e
    except UnicodeError as e:  # a header or URL httpx cannot encode
        raise FetchError(url, None, f"cannot encode the request: {e}") from e


def _read_body(
    response: httpx.Response,
    decoder: _Decoder,
    url: str,
    status: int,
    max_bytes: int,
    started: float,
    deadline_seconds: float,
    stop: threading.Event | None = None,
) -> bytes:
    parts: list[bytes] = []
    size = 0

    def add(piece: bytes) -> None:
        nonlocal size
        size += len(piece)
        if size > max_bytes:
            raise FetchError(url, status, f"body larger than {max_bytes} bytes")
        parts.append(piece)

    try:
        for raw in response.iter_raw():  # as received (a chunk_size would buffer)
            if time.monotonic() - started > deadline_seconds:
                raise FetchError(url, status, f"deadline of {deadline_seconds:g}s exceeded")
            if stop is not None and stop.is_set():
                raise FetchError(url, status, "stopped: the monitor is shutting down")
            for piece in decoder.decode(raw):
                add(piece)
        add(decoder.flush())
    except ValueError as e:
        raise FetchError(url, status, str(e)) from e
    if time.monotonic() - started > deadline_seconds:
        raise FetchError(url, status, f"deadline of {deadline_seconds:g}s exceeded")
    return b"".join(parts)


# ---------------------------------------------------------------------------
# Many feeds
# ---------------------------------------------------------------------------


def _host(url: str) -> str:
    try:
        return (urlsplit(url).hostname or "").lower()
    except ValueError:
        return ""


class _DaemonThreads:
    """A small executor of daemon threads: a fetch stuck in a read never holds up the
    process's exit (``ThreadPoolExecutor`` joins its threads when the interpreter exits).

    A thread starts when a job finds none idle (at most ``workers``), not all at once: a
    thread's start waits for it to run, and sixty-four of them in a row would delay the
    first request of a poll by tens of milliseconds on a busy machine."""

    def __init__(self, workers: int, name: str) -> None:
        self._jobs: queue.SimpleQueue[tuple[Future[Any], Callable[[], Any]] | None] = (
            queue.SimpleQueue()
        )
        self._workers = max(1, workers)
        self._name = name
        self._threads: list[threading.Thread] = []
        self._idle = 0  # threads waiting for a job
        self._lock = threading.Lock()

    def _run(self) -> None:
        while True:
            item = self._jobs.get()
            if item is None:
                return
            future, fn = item
            if not future.set_running_or_notify_cancel():
                self._done()
                continue
            try:
                future.set_result(fn())
            except BaseException as e:  # handed to the caller through the future
                future.set_exception(e)
            self._done()

    def _done(self) -> None:
        with self._lock:
            self._idle += 1

    def submit(self, fn: Callable[[], Any]) -> Future[Any]:
        future: Future[Any] = Future()
        with self._lock:
            if self._idle:
                self._idle -= 1  # an idle thread takes it
                start = False
            else:
                start = len(self._threads) < self._workers
        self._jobs.put((future, fn))
        if start:
            thread = threading.Thread(
                target=self._run, name=f"{self._name}-{len(self._threads)}", daemon=True
            )
            self._threads.append(thread)
            thread.start()
        return future

    def shutdown(self, *, wait_for_threads: bool) -> None:
        for _ in self._threads:
            self._jobs.put(None)
        if wait_for_threads:
            for t in self._threads:
                t.join()


def fetch_many(
    requests: Sequence[FetchRequest],
    *,
    client_factory: Callable[[], httpx.Client] = make_client,
    max_workers: int = 8,
    per_host: int = 2,
    stop: threading.Event | None = None,
    **fetch_kwargs: Any,
) -> Iterator[tuple[FetchRequest, FetchResult | FetchError]]:
    """Fetch feeds concurrently; yield each (request, result or error) as it completes.

    At most ``max_workers`` fetches run at once and at most ``per_host`` per host;
    a waiting feed never occupies a worker.  ``FetchError``s are yielded, not
    raised; any other exception propagates.  Once ``stop`` is set no fetch starts,
    fetches in flight end at their next read, and the generator returns without
    waiting for them.
    """
    queues: dict[str, deque[FetchRequest]] = {}
    for req in requests:
        queues.setdefault(_host(req.url), deque()).append(req)
    active: Counter[str] = Counter()
    running: dict[Future[FetchResult | FetchError], tuple[FetchRequest, str]] = {}  # and host
    workers = max(1, min(max_workers, len(requests)))
    limit = max(1, per_host)
    stopped = stop or threading.Event()

    # One client per host, made when its first fetch starts and closed after its last:
    # httpx's pool scans every connection of a client for every request (quadratic in
    # the hosts of a cycle: most of a wide cycle's CPU), and a host's pool never holds
    # more than ``per_host`` connections.
    clients: dict[str, httpx.Client] = {}
    pool = _DaemonThreads(workers, "fetch")
    completed: queue.SimpleQueue[Future[FetchResult | FetchError]] = queue.SimpleQueue()

    def one(client: httpx.Client, req: FetchRequest) -> FetchResult | FetchError:
        try:
            return fetch_feed(
                client,
                req.url,
                etag=req.etag,
                last_modified=req.last_modified,
                stop=stopped,
                **fetch_kwargs,
            )
        except FetchError as e:
            return e

    def fill() -> None:
        progress = True
        while progress and len(running) < workers and not stopped.is_set():
            progress = False
            for host, queue_ in queues.items():  # round-robin across hosts
                if queue_ and active[host] < limit and len(running) < workers:
                    req = queue_.popleft()
                    active[host] += 1
                    client = clients.get(host)
                    if client is None:
                        client = clients[host] = client_factory()
                    future = pool.submit(functools.partial(one, client, req))
                    running[future] = req, host
                    future.add_done_callback(completed.put)
                    progress = True

    finished = False
    try:
        fill()
        while running and not stopped.is_set():
            # each fetch puts its future here as it ends (``concurrent.futures.wait``
            # would install a waiter on every running fetch at each turn)
            try:
                future = completed.get(timeout=0.25)
            except queue.Empty:
                continue
            req, host = running.pop(future)
            active[host] -= 1
            if not active[host] and not queues[host] and host in clients:
                clients.pop(host).close()  # the host's last fetch: its connections go
            outcome = future.result()  # a non-FetchError is a bug: let it out
            fill()
            yield req, outcome
        finished = not running
    finally:
        pool.shutdown(wait_for_threads=finished)
        if finished:
            for client in clients.values():
                client.close()


# ---------------------------------------------------------------------------
# Backoff (pure)
# ---------------------------------------------------------------------------


def next_poll_after(
    now: datetime,
    interval_seconds: float,
    error_count: int,
    retry_after_seconds: float | None = None,
) -> datetime:
    """When to poll next.

    Success (``error_count == 0``): ``now + interval``.  After the n-th error in
    a row: ``interval * 2**n``, at least Retry-After, at most 24 hours (or the
    interval itself, if that is longer).
    """
    interval = max(1.0, float(interval_seconds))
    if error_count <= 0:
        delay = interval
    else:
        cap = max(float(MAX_BACKOFF_SECONDS), interval)
        delay = min(cap, interval * 2.0 ** min(error_count, 40))
    if retry_after_seconds is not None and retry_after_seconds > 0:
        cap = max(float(MAX_BACKOFF_SECONDS), interval)
        delay = max(delay, min(float(retry_after_seconds), cap))
    return now + timedelta(seconds=delay)
