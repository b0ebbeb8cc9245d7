"""Parse feeds in worker processes, each parse under a CPU-time, memory and wall budget.

``ParsePool.submit(job)`` returns a ``concurrent.futures.Future`` that resolves to a
``ParseResult`` or fails with ``ParseError`` (the bytes are not a feed, or the parse went
over its budget, or the worker died).  One worker parses one feed at a time; a worker
that goes over a budget is killed and replaced, so the other feeds' parses go on
on the other workers.  ``close(kill=True)`` kills every worker at once: a daemon told
to stop does not wait for a parse.

Budgets, per parse: CPU seconds (``RLIMIT_CPU`` set in the worker to its usage so far
plus the budget: the kernel kills a worker that runs over), address space
(``RLIMIT_AS``: an allocation past it raises ``MemoryError`` in the worker) and wall
time (checked by the pool; a worker still busy after it is killed).

A parse still running after ``slow_seconds`` (a hostile or huge feed) is made the
machine's last priority (``nice`` 19) and no longer counts toward the pool's size: another
worker starts beside it, so the other feeds' parses keep every core and the slow one gets
what they leave, until it ends or its budget does.  A worker once slowed is retired when its
parse ends (a process cannot raise its own priority back).

Workers start from a fork server that has already imported the parser, so starting
or replacing one costs a fork, not an interpreter start.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import multiprocessing.connection
import os
import sys
import threading
import time
from collections import deque
from collections.abc import Mapping
from concurrent.futures import Future
from dataclasses import dataclass, field, replace
from datetime import datetime
from multiprocessing.connection import Connection
from typing import Any

from monitor.entryrows import prepare
from monitor.errors import ParseError
from monitor.models import ParseResult
from monitor.parse import parse_feed


class _Log:
    """This module's logger (``monitor.logs``), made at its first use: only the pool logs,
    never a worker, so the fork server the workers start from does not import structlog."""

    def __getattr__(self, name: str) -> Any:
        from monitor.logs import get_logger

        return getattr(get_logger(), name)


log = _Log()

DEFAULT_CPU_SECONDS = 15.0
DEFAULT_MEMORY_BYTES = 512 * 1024 * 1024
#: A parse running longer than this (wall seconds) gives way to the others (see above).
DEFAULT_SLOW_SECONDS = 0.5


@dataclass(frozen=True)
class ParseJob:
    """One feed's bytes to parse (the arguments of ``parse.parse_feed``)."""

    content: bytes
    url: str
    headers: Mapping[str, str] = field(default_factory=dict)
    now: datetime | None = None
    max_entries: int = 500
    # The feed the entries are for: given, each entry comes back made ready to store
    # (``entryrows.PreparedEntry``: keys, row values, fingerprint), so the poll's process
    # does not spend its time on them.
    feed_id: int | None = None
    feed_name: str = ""


def machine_workers() -> int:
    """How many parse workers this machine (this process's CPU set) can run at once."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def run_job(job: ParseJob) -> ParseResult:
    """Parse one job in this process (the worker's body; also the in-process path)."""
    result = parse_feed(
        job.content, url=job.url, headers=job.headers, now=job.now, max_entries=job.max_entries
    )
    if job.feed_id is None:
        return result
    feed_id, name = job.feed_id, job.feed_name
    return replace(result, entries=tuple(prepare(feed_id, name, e) for e in result.entries))


# ---------------------------------------------------------------------------
# The worker process
# ---------------------------------------------------------------------------


def _limit_memory(budget: int) -> None:
    import resource

    base = 0
    with contextlib.suppress(OSError, ValueError, IndexError):
        with open("/proc/self/statm", encoding="ascii") as f:  # Linux: pages of address space
            base = int(f.read().split()[0]) * resource.getpagesize()
    limit = base + budget
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def _limit_cpu(budget: float) -> None:
    """The kernel stops this process once it has used ``budget`` more CPU seconds."""
    import resource

    usage = resource.getrusage(resource.RUSAGE_SELF)
    used = usage.ru_utime + usage.ru_stime
    _soft, hard = resource.getrlimit(resource.RLIMIT_CPU)
    soft = int(used + budget) + 1
    if hard != resource.RLIM_INFINITY:
        soft = min(soft, hard)
    resource.setrlimit(resource.RLIMIT_CPU, (soft, hard))


def _usage() -> tuple[float, int]:
    """This process's CPU seconds so far and its peak resident set (KiB)."""
    try:
        import resource

        u = resource.getrusage(resource.RUSAGE_SELF)
    except (ImportError, OSError):
        return 0.0, 0
    return u.ru_utime + u.ru_stime, int(u.ru_maxrss)


def _worker(conn: Connection, cpu_seconds: float, memory_bytes: int) -> None:
    import signal

    # The parent decides when to stop; a ^C in the terminal is for the parent.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # Past the soft CPU limit the kernel sends SIGXCPU: its default action ends the process.
    signal.signal(signal.SIGXCPU, signal.SIG_DFL)
    with contextlib.suppress(ImportError, OSError, ValueError):
        _limit_memory(memory_bytes)
    with contextlib.suppress(ImportError, OSError, ValueError):
        import resource

        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))  # a worker killed leaves no core file
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        if job is None:
            return
        with contextlib.suppress(ImportError, OSError, ValueError):
            _limit_cpu(cpu_seconds)
        try:
            reply: tuple[str, Any] = ("ok", run_job(job))
        except ParseError as e:
            reply = ("parse-error", e.cause)
        except MemoryError:
            reply = ("memory", None)
        except RecursionError:
            reply = ("crash", "RecursionError: too deeply nested")
        except Exception as e:  # any failure is this feed's, sent back as data
            reply = ("crash", f"{type(e).__name__}: {str(e)[:300]}")
        usage = _usage()
        try:
            conn.send((*reply, *usage))
        except MemoryError:
            conn.send(("memory", None, *usage))
        except (BrokenPipeError, EOFError, ConnectionError):
            return  # the daemon is gone (killed): nobody to answer, nothing to report
        if reply[0] == "memory":
            return  # a worker that ran out of memory is not trusted with another feed


# ---------------------------------------------------------------------------
# The pool (in the parent)
# ---------------------------------------------------------------------------


def _context() -> Any:
    methods = multiprocessing.get_all_start_methods()
    if "forkserver" in methods:
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(["monitor.parsepool"])
        return ctx
    return multiprocessing.get_context("spawn")


_MAIN_LOCK = threading.Lock()


@contextlib.contextmanager
def _main_script_hidden() -> Any:
    """While a worker starts: hide the main script's path from ``multiprocessing``.

    A worker started from a fork server (or spawned) first runs the parent's main script
    again when ``__main__`` was run from a file (the ``monitor`` console script imports
    the whole CLI: about 1 s of CPU and 80 MB per worker, each poll).  The worker needs
    only this module, which the fork server has imported already.  ``python -m`` (a
    ``__spec__``) is left alone: multiprocessing skips a ``__main__`` module by itself."""
    main = sys.modules.get("__main__")
    path = getattr(main, "__file__", None)
    if main is None or path is None or getattr(main, "__spec__", None) is not None:
        yield
        return
    with _MAIN_LOCK:
        del main.__file__
        try:
            yield
        finally:
            main.__file__ = path


def warm() -> None:
    """Start the fork server the parse workers come from, now: its imports (about 0.1-0.3 s
    of one core) then overlap the caller's start-up (reading the watchlist, upgrading the
    database) instead of delaying the first poll's first parse.  Once per process; a
    no-op where workers are spawned."""
    if _context().get_start_method() != "forkserver":
        return
    from multiprocessing import forkserver

    forkserver.ensure_running()  # it imports only the preloaded module, not __main__


class _Worker:
    def __init__(self, ctx: Any, cpu_seconds: float, memory_bytes: int) -> None:
        self.conn, child = ctx.Pipe(duplex=True)
        self.process = ctx.Process(
            target=_worker, args=(child, cpu_seconds, memory_bytes), daemon=True, name="parse"
        )
        with _main_script_hidden():
            self.process.start()
        child.close()
        self.job: tuple[ParseJob, Future[ParseResult]] | None = None
        self.started = 0.0
        self.cpu_seen = 0.0
        self.slowed = False  # its parse ran past slow_seconds: lowest priority, not counted

    def slow_down(self) -> None:
        """Give this worker's parse the machine's last priority."""
        self.slowed = True
        with contextlib.suppress(OSError, ValueError, AttributeError, TypeError):
            os.setpriority(os.PRIO_PROCESS, self.process.pid, 19)

    def kill(self) -> None:
        with contextlib.suppress(OSError, ValueError, AttributeError):
            self.process.kill()
        with contextlib.suppress(OSError, ValueError):
            self.process.join(2)
        with contextlib.suppress(OSError, ValueError):
            self.process.close()  # its sentinel's file descriptor
        with contextlib.suppress(OSError):
            self.conn.close()


class ParsePool:
    """Worker processes that parse feeds, each parse under a budget (see the module doc)."""

    def __init__(
        self,
        workers: int | None = None,
        *,
        cpu_seconds: float = DEFAULT_CPU_SECONDS,
        memory_bytes: int = DEFAULT_MEMORY_BYTES,
        wall_seconds: float | None = None,
        slow_seconds: float = DEFAULT_SLOW_SECONDS,
        prestart: bool = False,
    ) -> None:
        """``prestart``: start the workers now (in the pool's thread), not at the first
        parses, so their start overlaps whatever comes before those (the fetches)."""
        self.size = max(1, workers or machine_workers())
        self._prestart = prestart
        self.cpu_seconds = float(cpu_seconds)
        self.memory_bytes = int(memory_bytes)
        # Wall time also covers waiting for a core while the other workers use it.
        self.wall_seconds = wall_seconds if wall_seconds is not None else 2 * cpu_seconds + 5
        self.slow_seconds = float(slow_seconds)
        self._ctx = _context()
        self._lock = threading.Lock()
        self._pending: deque[tuple[ParseJob, Future[ParseResult]]] = deque()
        self._workers: list[_Worker] = []
        self._idle: list[_Worker] = []
        self._closed = False
        # Measured: CPU seconds the workers spent on parses that finished, and their peak RSS.
        self.cpu_seconds_used = 0.0
        self.peak_rss_kib = 0
        self._wake_r, self._wake_w = os.pipe()
        self._thread = threading.Thread(target=self._run, name="parse-pool", daemon=True)
        self._thread.start()

    # -- public ---------------------------------------------------------------

    def submit(self, job: ParseJob) -> Future[ParseResult]:
        future: Future[ParseResult] = Future()
        with self._lock:
            if self._closed:
                raise RuntimeError("parse pool is closed")
            self._pending.append((job, future))
            # Every worker busy: the dispatcher hands this job out when one finishes (it
            # looks at the pending jobs each time it wakes, and a worker it makes idle or
            # retires is seen here), so it is not woken for nothing: a first poll submits
            # most of its feeds while both workers parse.
            wake = bool(self._idle) or self._can_start()
        if wake:
            self._wake()
        return future

    def only_slow_left(self) -> bool:
        """Every parse still to come is one already slowed (past ``slow_seconds``): none
        waits for a worker and none runs at full priority, so nothing quick is coming."""
        with self._lock:
            if self._pending:
                return False
        # Read without the dispatcher's lock: a job in hand between the queue and a worker
        # can be missed, which only makes the poll act a moment early, never lose anything.
        busy = [w for w in list(self._workers) if w.job is not None]
        return bool(busy) and all(w.slowed for w in busy)

    def close(self, *, kill: bool = False) -> None:
        """Stop the pool.  ``kill``: end the workers now and fail what has not finished;
        otherwise finish the parses already submitted first."""
        with self._lock:
            if self._closed and not kill:
                return
            self._closed = True
            self._kill = kill
        self._wake()
        self._thread.join()
        with self._lock:  # once: a number closed twice may be another object's by then
            fds, self._wake_r, self._wake_w = (self._wake_r, self._wake_w), -1, -1
        for fd in fds:
            if fd >= 0:
                with contextlib.suppress(OSError):
                    os.close(fd)

    def __enter__(self) -> ParsePool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close(kill=exc[0] is not None)

    # -- the dispatcher thread -----------------------------------------------

    _kill = False

    def _wake(self) -> None:
        with self._lock, contextlib.suppress(OSError):
            if self._wake_w >= 0:  # not after close: the number may be reused by then
                os.write(self._wake_w, b"x")

    def _can_start(self) -> bool:
        """Room for another worker: fewer than ``size`` parse at full priority (a slowed
        worker does not count), and fewer than twice ``size`` in all."""
        slowed = sum(w.slowed for w in self._workers)
        return len(self._workers) - slowed < self.size and len(self._workers) < 2 * self.size

    def _assign(self) -> None:
        while True:
            with self._lock:
                if not self._pending:
                    return
                if not self._idle and not self._can_start():
                    return
                job, future = self._pending.popleft()
            if not future.set_running_or_notify_cancel():
                continue
            worker = self._idle.pop() if self._idle else self._start()
            if worker is None:
                future.set_exception(ParseError(job.url, "cannot start a parse worker"))
                continue
            try:
                worker.conn.send(job)
            except (OSError, ValueError) as e:
                self._retire(worker)
                future.set_exception(ParseError(job.url, f"parse worker lost: {e}"))
                continue
            worker.job = (job, future)
            worker.started = time.monotonic()

    def _start(self) -> _Worker | None:
        try:
            worker = _Worker(self._ctx, self.cpu_seconds, self.memory_bytes)
        except Exception as e:  # no worker: each parse fails, the poll goes on
            log.error("parse_worker_failed", error=f"{type(e).__name__}: {e}"[:300])
            return None
        self._workers.append(worker)
        return worker

    def _retire(self, worker: _Worker) -> None:
        worker.kill()
        if worker in self._workers:
            self._workers.remove(worker)
        if worker in self._idle:
            self._idle.remove(worker)

    def _finish(self, worker: _Worker, error: str | None, result: ParseResult | None) -> None:
        assert worker.job is not None
        job, future = worker.job
        worker.job = None
        if error is not None:
            future.set_exception(ParseError(job.url, error))
        else:
            assert result is not None
            future.set_result(result)

    def _receive(self, worker: _Worker) -> None:
        try:
            kind, value, cpu, maxrss = worker.conn.recv()
        except (EOFError, OSError, ValueError):
            self._died(worker)
            return
        self.cpu_seconds_used += max(0.0, cpu - worker.cpu_seen)
        worker.cpu_seen = cpu
        self.peak_rss_kib = max(self.peak_rss_kib, maxrss)
        if kind == "ok":
            self._finish(worker, None, value)
            self._rest(worker)
            return
        if kind == "memory":
            mb = self.memory_bytes // (1024 * 1024)
            self._finish(worker, f"parse over its memory budget ({mb} MB)", None)
            self._retire(worker)
            return
        if kind == "crash":  # the pipeline records it on the feed (URLs may hold secrets)
            log.error("parse_crashed", error=str(value).split(":", 1)[0])
        self._finish(worker, str(value), None)
        self._rest(worker)

    def _rest(self, worker: _Worker) -> None:
        """A worker whose parse ended: idle again, or retired if it was slowed."""
        if worker.slowed:
            self._retire(worker)
        else:
            self._idle.append(worker)

    def _died(self, worker: _Worker) -> None:
        worker.process.join(1)
        code = worker.process.exitcode
        import signal

        if code is not None and code == -signal.SIGXCPU:
            reason = f"parse over its CPU budget ({self.cpu_seconds:g} s)"
        elif code is not None and code == -signal.SIGKILL:
            reason = "parse worker killed (out of memory?)"
        else:
            reason = f"parse worker died (exit code {code})"
        if worker.job is not None:
            self._finish(worker, reason, None)
        self._retire(worker)

    def _run(self) -> None:
        try:
            while self._prestart and len(self._workers) < self.size:
                with self._lock:
                    if self._kill:
                        return
                worker = self._start()
                if worker is None:
                    break
                self._idle.append(worker)
            self._loop()
        finally:
            for worker in list(self._workers):
                if worker.job is not None:
                    self._finish(worker, "parse cancelled: the monitor is stopping", None)
                self._retire(worker)
            with self._lock:
                pending = list(self._pending)
                self._pending.clear()
            for job, future in pending:
                if future.set_running_or_notify_cancel():
                    future.set_exception(ParseError(job.url, "parse cancelled: stopping"))

    def _loop(self) -> None:
        while True:
            with self._lock:
                closed, kill = self._closed, self._kill
                pending = bool(self._pending)
            busy = [w for w in self._workers if w.job is not None]
            if kill or (closed and not pending and not busy):
                if not kill:
                    for worker in self._idle:
                        with contextlib.suppress(OSError, ValueError):
                            worker.conn.send(None)
                return
            self._assign()
            busy = [w for w in self._workers if w.job is not None]
            now = time.monotonic()
            limits = [w.started + self.wall_seconds for w in busy]
            limits += [w.started + self.slow_seconds for w in busy if not w.slowed]
            timeout = min((t - now for t in limits), default=None)
            waitables: list[Any] = [self._wake_r]
            for w in busy:
                waitables += [w.conn, w.process.sentinel]
            ready = multiprocessing.connection.wait(
                waitables, timeout=None if timeout is None else max(0.0, timeout)
            )
            if self._wake_r in ready:
                with contextlib.suppress(OSError):
                    os.read(self._wake_r, 4096)
            for w in busy:
                if w.conn in ready:
                    self._receive(w)
                elif w.process.sentinel in ready:
                    self._died(w)
            now = time.monotonic()
            for w in busy:
                if w.job is not None and not w.slowed and now - w.started >= self.slow_seconds:
                    w.slow_down()  # the others' parses go first; another worker starts
                if w.job is not None and now - w.started > self.wall_seconds:
                    self._finish(w, f"parse over its time budget ({self.wall_seconds:g} s)", None)
                    self._retire(w)
