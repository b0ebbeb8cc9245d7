"""One function per stage, one transaction per unit of work (DESIGN.md "Data flow").

    sync → poll → judge → assess → alert → deliver_pending;  digest on its schedule

Each stage reads its input from the database and writes its output there, so
any stage can crash and be re-run without losing or duplicating anything.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import queue
import socket
import ssl
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from email.message import EmailMessage
from functools import cached_property, partial
from typing import Any

import httpx
from sqlalchemy.exc import SQLAlchemyError

from monitor import cyclelog, fetch, health, parsepool, render, review
from monitor.assess import Thresholds, assess_commitment
from monitor.clock import Clock
from monitor.config import Config
from monitor.coverage import (
    Coverage,
    CoverageSummary,
    CycleRecord,
    covered_intervals,
    summarize,
)
from monitor.deliver import (
    AppriseChannel,
    Channel,
    FolderChannel,
    SmtpChannel,
    WebhookChannel,
    retry_delay,
)
from monitor.errors import (
    DeliveryError,
    FeedGoneError,
    FetchError,
    MonitorError,
    ParseError,
    StoreError,
)
from monitor.judge import Matcher
from monitor.logs import get_logger
from monitor.models import (
    ALERTING_STATUSES,
    Commitment,
    Feed,
    FetchResult,
    OutboxItem,
    ParseResult,
    SilenceScope,
    Status,
)
from monitor.store import FeedPoll, FeedSpec, NewOutboxItem, Store

log = get_logger()

JUDGE_BATCH = 200
# The most entries kept from one feed body (the newest by date, when it has more).
MAX_ENTRIES = 500
# The most fetched bodies a poll holds waiting for their parse and store, and the most
# bytes (one body is always let through, however large): a slow parse cannot make a
# cycle's memory grow with its size, and fetching is not held back by a few slow parses.
PARSE_BACKLOG = 256
PARSE_BACKLOG_BYTES = 32 * 1024 * 1024
# The most feeds' outcomes stored in one transaction (those ready at about the same time).
STORE_BATCH = 32
# How long the poll waits for more outcomes to store with one that is ready.
STORE_GATHER_SECONDS = 0.05
# A poll that has stored new articles and then waits this long for anything more (a
# feed slow to answer, a huge or hostile parse) acts on what it has meanwhile: the other
# feeds' articles are judged and alerted without waiting for the slow one.
MEANWHILE_AFTER_SECONDS = 0.5


@dataclass(frozen=True)
class Recipients:
    sender: str
    recipients: tuple[str, ...]


@dataclass
class Monitor:
    """The wiring every stage needs: config, store, clock, channels and a stop flag."""

    config: Config
    store: Store
    clock: Clock
    stop: threading.Event = field(default_factory=threading.Event)
    progress: Callable[[str], None] | None = None
    #: the daemon's tick, recorded with each cycle (None for a single `run --once`)
    tick_seconds: float | None = None

    @cached_property
    def matcher(self) -> Matcher:
        return Matcher(self.config.commitments, self.config.entities)

    @cached_property
    def commitments(self) -> dict[str, Commitment]:
        return {c.id: c for c in self.config.commitments}

    @cached_property
    def install_id(self) -> str:
        """This database's random id: in every Message-ID and outbox file name, so a
        second install (or a reset database) never reuses one."""
        return self.store.install_id()

    @cached_property
    def channels(self) -> dict[str, tuple[Channel, Recipients]]:
        alerts = self.config.file.alerts
        out: dict[str, tuple[Channel, Recipients]] = {}
        if self.config.outbox_dir is not None:
            out["outbox"] = (
                FolderChannel(self.config.outbox_dir, name="outbox", install_id=self.install_id),
                Recipients(alerts.sender, tuple(alerts.recipients)),
            )
        if alerts.smtp is not None:
            smtp = alerts.smtp
            out["smtp"] = (
                SmtpChannel(
                    smtp.host,
                    smtp.port,
                    security=smtp.security,
                    username=smtp.username or None,
                    password=smtp.password.get_secret_value() if smtp.password else None,
                    sender=smtp.sender,
                    recipients=list(smtp.recipients),
                    timeout=smtp.timeout_seconds,
                    name="smtp",
                    ssl_context=(
                        ssl.create_default_context(cafile=smtp.ca_file) if smtp.ca_file else None
                    ),
                    redact=self.config.redact,
                    cancel=self.stop,
                ),
                Recipients(smtp.sender, tuple(smtp.recipients)),
            )
        if alerts.webhook is not None:
            out["webhook"] = (
                WebhookChannel(
                    alerts.webhook.url.get_secret_value(),
                    timeout=alerts.webhook.timeout_seconds,
                    cancel=self.stop,
                    allow_private=self.config.file.polling.allow_private_addresses,
                ),
                Recipients(alerts.sender, tuple(alerts.recipients)),
            )
        if alerts.apprise is not None:
            for n, url in enumerate(alerts.apprise.urls, start=1):
                name = "apprise" if n == 1 else f"apprise-{n}"  # one outbox row per URL
                out[name] = (
                    AppriseChannel(
                        url.get_secret_value(),
                        name=name,
                        timeout=alerts.apprise.timeout_seconds,
                        cancel=self.stop,
                    ),
                    Recipients(alerts.sender, tuple(alerts.recipients)),
                )
        return out

    @property
    def delivery_lease(self) -> timedelta:
        """How long a message being sent stays claimed, by the database's clock.  Every
        channel's send is cut off at its deadline, well inside the lease, so a slow
        server cannot make the lease run out mid-send; after a crash mid-send, the
        message goes out again once the lease has run out (with the same Message-ID)."""
        deadlines = [channel.deadline for channel, _ in self.channels.values()]
        return timedelta(seconds=2 * max(deadlines, default=30) + 30)

    @property
    def thresholds(self) -> Thresholds:
        j = self.config.file.judging
        return Thresholds(
            j.breach_strong_score,
            j.corroborating_sources,
            j.at_risk_score,
            j.met_score,
            j.duplicate_distance,
        )

    def say(self, message: str) -> None:
        if self.progress is not None:
            self.progress(message)


# --- sync --------------------------------------------------------------------


def sync(m: Monitor) -> None:
    """Make the database's feeds and commitments match the watchlist."""
    specs = [
        FeedSpec(f.name, m.config.redact(f.url), m.config.feed_interval_seconds(f))
        for f in m.config.feeds
    ]
    m.store.sync_watchlist(specs, m.config.commitments, m.clock.now())


# --- poll --------------------------------------------------------------------


@dataclass
class PollReport:
    polled: int = 0
    new_articles: int = 0
    not_modified: int = 0
    unchanged: int = 0  # answered 200 with the very body parsed last time: not parsed again
    errors: dict[str, str] = field(default_factory=dict)
    parse_cpu_seconds: float = 0.0  # CPU the parse workers spent (parses that finished)
    parse_peak_rss_kib: int = 0  # the largest parse worker's peak resident set


def feed_urls(m: Monitor) -> dict[str, str]:
    """The URL each feed is fetched from, by name: the watchlist's, secrets and all (the
    database keeps it redacted)."""
    return {f.name: f.url for f in m.config.feeds}


def poll(m: Monitor, *, meanwhile: Callable[[PollReport], None] | None = None) -> PollReport:
    """Fetch every due feed (concurrently, bounded) and store what is new.

    Bodies are parsed in worker processes (``monitor.parsepool``), each parse under a
    CPU, memory and time budget, while the other feeds are fetched.  Each feed's outcome
    is stored in its own transaction, as soon as it is known; any failure of one feed is
    recorded on that feed and the others go on.  ``m.stop`` ends the poll at once:
    parses are killed, fetches abandoned (their feeds are polled again after the lease).
    ``meanwhile(report so far)`` is called, in this thread, whenever the poll has stored
    new articles and then waited ``MEANWHILE_AFTER_SECONDS`` for anything more, or at once
    when all that is left is parses already slowed (``parsepool``).
    """
    p = m.config.file.polling
    # A claimed feed is not due again until its fetch (and parse) must have ended; after a
    # crash it is polled again once this lease runs out.
    lease = timedelta(seconds=2 * p.deadline_seconds + 2 * p.parse_cpu_seconds + 10)
    due = m.store.claim_due_feeds(m.clock.now(), lease)
    report = PollReport()
    if not due:
        return report
    by_id = {f.id: f for f in due}
    urls = feed_urls(m)
    requests = [
        fetch.FetchRequest(f.id, urls.get(f.name, f.url), f.etag, f.last_modified) for f in due
    ]

    def client() -> httpx.Client:
        return fetch.make_client(
            connect_timeout=p.connect_timeout_seconds,
            read_timeout=p.read_timeout_seconds,
            allow_private=p.allow_private_addresses,
            max_connections=p.max_concurrency,
        )

    events: queue.SimpleQueue[tuple[str, Any, Any]] = queue.SimpleQueue()
    # Bodies fetched but not yet parsed and stored are held in memory: at most
    # PARSE_BACKLOG of them and PARSE_BACKLOG_BYTES (fetching waits).
    backlog = _Backlog(PARSE_BACKLOG, PARSE_BACKLOG_BYTES)
    pools: list[parsepool.ParsePool] = []  # the parse pool, once started
    pool_lock = threading.Lock()
    over = threading.Event()  # the poll has ended: no pool starts after this

    def parse_pool() -> parsepool.ParsePool:
        with pool_lock:
            if over.is_set():
                raise RuntimeError("the poll is over")
            if not pools:
                pools.append(
                    parsepool.ParsePool(
                        cpu_seconds=p.parse_cpu_seconds,
                        memory_bytes=p.parse_memory_mb * 1024 * 1024,
                        prestart=True,
                    )
                )
            return pools[0]

    def fetching() -> None:
        try:
            for request, outcome in fetch.fetch_many(
                requests,
                client_factory=client,
                max_workers=p.max_concurrency,
                per_host=p.per_host,
                stop=m.stop,
                max_bytes=p.max_bytes,
                deadline_seconds=p.deadline_seconds,
            ):
                size = _body_size(outcome)
                # (a poll that has ended, stopped or not, releases nothing any more)
                if size is not None and not backlog.acquire(size, m.stop, over):
                    return
                feed = by_id[request.feed_id]
                job = _parse_job(m, feed, outcome)
                if job is None or not isinstance(outcome, FetchResult):
                    events.put(("fetched", feed, outcome))
                    continue
                # handed to the workers here, as soon as the body is in: the poll's thread
                # may be busy storing
                events.put(("parsing", None, None))  # counted before it can be parsed
                future = parse_pool().submit(job)
                future.add_done_callback(_on_parsed(events, feed, outcome))
        except BaseException as e:  # handed to the poll's thread, which raises it
            events.put(("crashed", e, None))
        finally:
            events.put(("done", None, None))

    parsing = 0
    fetching_done = False
    thread = threading.Thread(target=fetching, name="poll-fetch", daemon=True)
    try:
        # A feed never parsed before most likely needs a parse: the workers start while
        # the first fetches wait for their answers (else at the first body to parse).
        if any(f.body_hash is None for f in due):
            parse_pool()
        thread.start()
        # Outcomes are stored a few at a time: those that come within STORE_GATHER_SECONDS
        # of the first go in one transaction (fewer, larger transactions); parses are
        # handed to the workers as soon as their bodies come.
        ready: list[tuple[Feed, object]] = []  # outcomes to store, in arrival order
        until = 0.0
        quiet_since = time.monotonic()  # when the last outcome came
        acted_on = 0  # new articles stored when ``meanwhile`` last ran

        def flush() -> None:
            _store_outcomes(m, ready, report)
            for _, outcome in ready:
                backlog.release(_body_size(outcome))
                report.polled += 1
                m.say(f"polled {report.polled}/{len(due)} feeds, {report.new_articles} new")
            ready.clear()

        while not fetching_done or parsing or ready:
            if m.stop.is_set():
                if ready:
                    flush()  # in hand already: stored, not fetched again
                log.info("poll_interrupted", polled=report.polled, of=len(due))
                break
            now = time.monotonic()
            if ready and (
                len(ready) >= STORE_BATCH or now >= until or (fetching_done and not parsing)
            ):
                flush()
                continue
            if (
                meanwhile is not None
                and not ready
                and report.new_articles > acted_on
                and (
                    now - quiet_since >= MEANWHILE_AFTER_SECONDS
                    or (fetching_done and bool(pools) and pools[0].only_slow_left())
                )
            ):
                acted_on = report.new_articles
                meanwhile(report)
                continue
            try:
                kind, first, second = events.get(timeout=max(0.0, until - now) if ready else 0.2)
            except queue.Empty:
                continue
            outcome: object = None
            if kind == "done":
                fetching_done = True
            elif kind == "crashed":
                if ready:
                    flush()
                raise first
            elif kind == "fetched":
                feed, outcome = first, second
            elif kind == "parsing":
                parsing += 1
            elif kind == "parsed":
                parsing -= 1
                feed, got = first
                try:
                    outcome = ParsedBody(got, second.result(), _body_hash(got))
                except ParseError as e:
                    outcome = ParseFailure(got, e)
            if outcome is not None:
                quiet_since = time.monotonic()
                if not ready:
                    until = quiet_since + STORE_GATHER_SECONDS
                ready.append((feed, outcome))
    finally:
        with pool_lock:
            over.set()
        for pool in pools:
            pool.close(kill=True)  # nothing is left to parse, unless the poll was stopped
            report.parse_cpu_seconds = pool.cpu_seconds_used
            report.parse_peak_rss_kib = pool.peak_rss_kib
    return report


class _Backlog:
    """The bodies a poll holds (fetched, not yet stored): at most ``count`` of them and
    ``size`` bytes; one body is always let in, however large."""

    def __init__(self, count: int, size: int) -> None:
        self._count, self._size = count, size
        self._held, self._bytes = 0, 0
        self._cond = threading.Condition()

    def acquire(self, size: int, *stops: threading.Event) -> bool:
        """Wait for room for a body of ``size`` bytes; False if one of ``stops`` is set
        meanwhile."""
        with self._cond:
            while self._held and (self._held >= self._count or self._bytes + size > self._size):
                if any(stop.is_set() for stop in stops):
                    return False
                self._cond.wait(0.2)
            self._held += 1
            self._bytes += size
            return True

    def release(self, size: int | None) -> None:
        if size is None:
            return
        with self._cond:
            self._held -= 1
            self._bytes -= size
            self._cond.notify_all()


def _body_size(outcome: object) -> int | None:
    """The bytes of the body an outcome holds in the backlog, or None (no body)."""
    if isinstance(outcome, ParsedBody | ParseFailure):
        outcome = outcome.fetched
    if isinstance(outcome, FetchResult) and outcome.content is not None:
        return len(outcome.content)
    return None


def _on_parsed(
    events: queue.SimpleQueue[tuple[str, Any, Any]], feed: Feed, got: FetchResult
) -> Callable[[Future[ParseResult]], None]:
    def done(future: Future[ParseResult]) -> None:
        events.put(("parsed", (feed, got), future))

    return done


@dataclass(frozen=True)
class ParsedBody:
    """A fetched body and what its parse gave."""

    fetched: FetchResult
    parsed: ParseResult
    body_hash: str


@dataclass(frozen=True)
class ParseFailure:
    """A fetched body that could not be parsed (not a feed, or over its budget)."""

    fetched: FetchResult
    error: ParseError


def _body_hash(result: FetchResult) -> str:
    return hashlib.sha256(result.content or b"").hexdigest()


def _parse_job(m: Monitor, feed: Feed, outcome: object) -> parsepool.ParseJob | None:
    """The parse a fetch outcome needs, or None (an error, 304, or the last body again)."""
    if not isinstance(outcome, FetchResult) or outcome.not_modified or outcome.content is None:
        return None
    if feed.body_hash is not None and feed.body_hash == _body_hash(outcome):
        return None
    return parsepool.ParseJob(
        outcome.content,
        outcome.url,
        outcome.headers,
        m.clock.now(),
        MAX_ENTRIES,
        feed_id=feed.id,
        feed_name=feed.name,
    )


def _store_outcome(m: Monitor, feed: Feed, outcome: object, report: PollReport) -> None:
    """Store one feed's outcome.  Whatever goes wrong is recorded on that feed: the poll
    goes on with the others."""
    try:
        _store_one(m, feed, outcome, report)
    except MonitorError as e:
        _record_error(m, feed, report, m.config.redact(str(e)), None, "feed_failed")
    except (SQLAlchemyError, ValueError, TypeError, UnicodeError, OverflowError) as e:
        # Logged without the traceback: its text may quote the feed's URL or values.
        error = m.config.redact(f"cannot store: {type(e).__name__}: {e}")[:500]
        log.error("feed_store_failed", feed=feed.name, error=error)
        try:
            _record_error(m, feed, report, error, None, None)
        except SQLAlchemyError:
            log.error("feed_error_not_recorded", feed=feed.name)
            report.errors[feed.name] = error


def _record_error(
    m: Monitor,
    feed: Feed,
    report: PollReport,
    error: str,
    status: int | None,
    event: str | None,
    *,
    retry_after: float | None = None,
    gone: bool = False,
) -> None:
    now = m.clock.now()
    next_at = fetch.next_poll_after(now, feed.interval_seconds, feed.error_count + 1, retry_after)
    m.store.record_feed_error(
        feed.id, now=now, error=error, status=status, next_poll_at=next_at, gone=gone
    )
    report.errors[feed.name] = error
    if event is not None:
        log.warning(event, feed=feed.name, error=error)


def _store_one(m: Monitor, feed: Feed, outcome: object, report: PollReport) -> None:
    now = m.clock.now()
    if isinstance(outcome, FetchError):
        # 410 says the feed is gone; a 404 says so too once it has repeated enough
        not_found = (
            outcome.status == 404
            and feed.last_status == 404
            and feed.error_count + 1 >= m.config.file.polling.failures_before_alert
        )
        gone = isinstance(outcome, FeedGoneError) or not_found
        _record_error(
            m,
            feed,
            report,
            m.config.redact(str(outcome)),
            outcome.status,
            "feed_failed",
            retry_after=outcome.retry_after_seconds,
            gone=gone,
        )
        return
    if isinstance(outcome, ParseFailure):
        _record_error(
            m,
            feed,
            report,
            m.config.redact(str(outcome.error)),
            outcome.fetched.status,
            "feed_unparseable",
        )
        return
    if (
        isinstance(outcome, FetchResult)
        and not outcome.not_modified
        and outcome.content is not None
        and (feed.body_hash is None or feed.body_hash != _body_hash(outcome))
    ):
        # Parse here (tests and tools that call this directly; poll uses the pool).
        try:
            parsed = parsepool.run_job(
                parsepool.ParseJob(outcome.content, outcome.url, outcome.headers, now)
            )
        except ParseError as e:
            _store_one(m, feed, ParseFailure(outcome, e), report)
            return
        _store_one(m, feed, ParsedBody(outcome, parsed, _body_hash(outcome)), report)
        return
    save = _success(m, feed, outcome, now)
    assert save is not None, type(outcome)
    (new,) = m.store.save_polls([save], now=now)
    _account(report, save, outcome, new)


def _success(m: Monitor, feed: Feed, outcome: object, now: datetime) -> FeedPoll | None:
    """What a successful fetch stores (a 304, the last body again, or a parsed body), or
    None for any other outcome (an error, or a body still to parse)."""
    next_at = fetch.next_poll_after(now, feed.interval_seconds, 0, None)
    if isinstance(outcome, FetchResult):
        if outcome.not_modified or outcome.content is None:
            warning = None
        elif feed.body_hash is not None and feed.body_hash == _body_hash(outcome):
            warning = feed.last_error if feed.error_count == 0 else None  # same body, same note
        else:
            return None
        return FeedPoll(
            feed, [], outcome.status, outcome.etag, outcome.last_modified, next_at, warning
        )
    if not isinstance(outcome, ParsedBody):
        return None
    got, parsed = outcome.fetched, outcome.parsed
    notes = []
    if parsed.bozo:
        notes.append(f"feed is malformed but readable: {parsed.bozo_message}")
    if parsed.dropped:
        notes.append(
            f"{parsed.dropped} older entries left out: the feed has more than {MAX_ENTRIES}"
        )
    warning = m.config.redact("; ".join(notes))[:2000] if notes else None
    return FeedPoll(
        feed,
        parsed.entries,
        got.status,
        got.etag,
        got.last_modified,
        next_at,
        warning,
        body=(outcome.body_hash, parsed.dropped),
    )


def _account(report: PollReport, save: FeedPoll, outcome: object, new: int) -> None:
    """Count a stored success in the poll's report."""
    if isinstance(outcome, ParsedBody):
        report.new_articles += new
        log.info(
            "feed_polled",
            feed=save.feed.name,
            entries=len(save.entries),
            new=new,
            dropped=outcome.parsed.dropped,
        )
    elif isinstance(outcome, FetchResult) and (outcome.not_modified or outcome.content is None):
        report.not_modified += 1
    else:
        report.unchanged += 1


def _store_outcomes(m: Monitor, items: list[tuple[Feed, object]], report: PollReport) -> None:
    """Store the outcomes of several feeds: the successes in one transaction, then each
    error in its own.  If that transaction fails, every outcome is stored again on its own
    (``_store_outcome``), so a feed that cannot be stored costs only that feed."""
    now = m.clock.now()
    saves: list[tuple[FeedPoll, object]] = []
    rest: list[tuple[Feed, object]] = []
    for feed, outcome in items:
        save = _success(m, feed, outcome, now)
        if save is None:
            rest.append((feed, outcome))
        else:
            saves.append((save, outcome))
    if saves:
        try:
            news = m.store.save_polls([save for save, _ in saves], now=now)
        except (MonitorError, SQLAlchemyError, ValueError, TypeError, UnicodeError, OverflowError):
            rest = items  # each on its own: the error is recorded on the feed it belongs to
        else:
            for (save, outcome), new in zip(saves, news, strict=True):
                _account(report, save, outcome, new)
    for feed, outcome in rest:
        _store_outcome(m, feed, outcome, report)


# --- judge and assess ----------------------------------------------------------


def judge(m: Monitor) -> int:
    """Judge every unjudged article against every commitment; store breach/met evidence."""
    judged = 0
    while not m.stop.is_set():
        articles = m.store.unjudged_articles(JUDGE_BATCH)
        if not articles:
            break
        batch = [(a, m.matcher.judge(a.title, a.text, a.published_at)) for a in articles]
        m.store.save_verdicts(batch, m.clock.now())
        judged += len(articles)
        m.say(f"judged {judged} articles")
    return judged


def assess(m: Monitor) -> int:
    """Turn new evidence (and the passing of deadlines) into status changes."""
    changed = 0
    states = m.store.commitment_states()
    covered = coverage(m)
    unassessed = m.store.unassessed_evidence([cid for cid in states if cid in m.commitments])
    for cid, state in states.items():
        commitment = m.commitments.get(cid)
        if commitment is None:
            continue
        new_ids = unassessed.get(cid, set())
        # with no new evidence only the passing of a deadline can change anything
        evidence = m.store.evidence_for(cid) if new_ids else []
        history = [e for e in evidence if e.id not in new_ids]
        new = [e for e in evidence if e.id in new_ids]
        now = m.clock.now()
        changes = assess_commitment(
            commitment, state.status, history, new, now, m.thresholds, coverage=covered
        )
        if not changes and not new:
            continue
        if m.store.apply_assessment(cid, state.status, changes, sorted(new_ids), now):
            changed += len(changes)
            for c in changes:
                log.info(
                    "status_changed",
                    commitment=cid,
                    from_=str(c.from_status),
                    to=str(c.to_status),
                    reason=c.reason,
                )
    return changed


def coverage(m: Monitor) -> Coverage:
    """What time the feeds were read, from the recorded cycles (``coverage.py``), since
    just before the earliest deadline that has passed."""
    now = m.clock.now()
    p, j = m.config.file.polling, m.config.file.judging
    max_gap = timedelta(hours=p.coverage_gap_hours)
    grace = timedelta(hours=j.overdue_grace_hours)
    # only a commitment that may still become overdue needs its deadline's coverage
    open_ = {Status.PENDING, Status.AT_RISK}
    states = m.store.commitment_states()
    deadlines = [
        c.deadline_at
        for c in m.config.commitments
        if c.deadline_at
        and c.deadline_at <= now
        and (states[c.id].status if c.id in states else Status.PENDING) in open_
    ]
    if not deadlines:
        return Coverage((), grace)
    reads = cyclelog.read_times_since(m.store, min(deadlines) - max_gap)
    return Coverage(tuple(covered_intervals(reads, max_gap)), grace)


def coverage_summary(m: Monitor, start: datetime | None = None) -> CoverageSummary:
    """What was read from ``start`` (default: 24 hours ago) to now, for alerts and digests."""
    now = m.clock.now()
    start = start if start is not None and start < now else now - timedelta(hours=24)
    last_read = cyclelog.last_cycle(m.store, read=True)
    return summarize(
        cyclelog.cycles_since(m.store, start),
        start=start,
        end=now,
        max_gap=timedelta(hours=m.config.file.polling.coverage_gap_hours),
        feeds_total=len(m.config.feeds),
        last_read_at=last_read.started_at if last_read else None,
    )


# --- alert and deliver ---------------------------------------------------------


def alert(m: Monitor) -> int:
    """Queue one message per alerting status change and channel.  Several changes of one
    commitment in one go make one alert (the latest); a repeat of the same status within
    ``repeat_interval_hours`` is suppressed.  Several alerts go to each channel as one
    grouped message (unless ``alerts.group`` is off)."""
    events = m.store.unalerted_events()
    if not events:
        return 0
    now = m.clock.now()
    repeat = timedelta(hours=m.config.file.alerts.repeat_interval_hours)
    latest: dict[str, int] = {}
    for ev in events:
        latest[ev.change.commitment_id] = ev.id
    items: list[NewOutboxItem] = []
    contexts: list[tuple[int, render.AlertContext]] = []
    alerted: list[int] = []
    suppressed: dict[int, str] = {}
    silences = m.store.silences(now)  # people in the loop (monitor/review.py)
    covered = coverage_summary(m)
    for ev in events:
        change = ev.change
        commitment = m.commitments.get(change.commitment_id)
        if commitment is None:
            suppressed[ev.id] = "commitment no longer in the watchlist"
            continue
        muted = review.silence_for(silences, SilenceScope.COMMITMENT, commitment.id, now)
        if muted is not None:
            suppressed[ev.id] = review.silence_reason(muted)
            continue
        if change.to_status not in ALERTING_STATUSES:
            suppressed[ev.id] = f"no alert for {change.to_status}"
            continue
        if latest[change.commitment_id] != ev.id:
            suppressed[ev.id] = "superseded by a later change"
            continue
        last = m.store.last_alert_at(change.commitment_id, change.to_status)
        if last is not None and m.store.retracted_since(change.commitment_id, last):
            last = None  # people were told it no longer stands: tell them it does again
        if last is not None and repeat and now - last < repeat:
            suppressed[ev.id] = f"already alerted {change.to_status} at {last:%Y-%m-%d %H:%M}"
            continue
        evidence = tuple(m.store.evidence_by_ids(change.evidence_ids)[:5])
        contexts.append(
            (ev.id, render.AlertContext(commitment, change, evidence, coverage=covered))
        )
        alerted.append(ev.id)
    if len(contexts) > 1 and m.config.file.alerts.group:
        items = _grouped_for_each_channel(m, contexts, now)
    else:
        for event_id, ctx in contexts:
            items += _for_each_channel(
                m, f"alert:{event_id}", "alert", render.render_alert, ctx, now
            )
    muted_channels = review.silenced_channels(silences, now)
    items = [i for i in items if i.channel not in muted_channels]
    return m.store.enqueue_alerts(items, alerted=alerted, suppressed=suppressed, now=now)


def _for_each_channel(
    m: Monitor,
    key: str,
    kind: str,
    render_one: Callable[..., EmailMessage],
    ctx: object,
    now: datetime,
) -> list[NewOutboxItem]:
    """One rendered message per channel, keyed ``<key>:<channel>`` (so it is sent once)."""
    items = []
    for name, (channel, who) in m.channels.items():
        item_key = f"{key}:{name}"
        msg = render_one(
            ctx,
            key=item_key,
            sender=who.sender,
            recipients=list(who.recipients),
            sent_at=now,
            install_id=m.install_id,
        )
        if isinstance(channel, WebhookChannel):
            document = render.webhook_document(msg, render.fields_for(ctx))
            payload = json.dumps(document, ensure_ascii=False).encode("utf-8")
        else:
            payload = render.as_bytes(msg)
        items.append(
            NewOutboxItem(
                item_key, name, kind, str(msg["Subject"]), str(msg["Message-ID"]), payload
            )
        )
    return items


def _grouped_for_each_channel(
    m: Monitor, contexts: list[tuple[int, render.AlertContext]], now: datetime
) -> list[NewOutboxItem]:
    """Several alerts of one cycle: one message per channel holding them all (one
    Message-ID), and a row per alert and channel (``alert:<id>:<channel>``, as when sent
    alone) that is marked sent with the group, so no alert is ever sent twice."""
    group = render.AlertGroupContext(tuple(ctx for _, ctx in contexts))
    return _grouped(
        m, "alert", contexts, group, render.render_alert_group, render.render_alert, now
    )


def _grouped(
    m: Monitor,
    kind: str,
    contexts: Sequence[tuple[int, object]],
    group_ctx: object,
    render_group: Callable[..., EmailMessage],
    render_one: Callable[..., EmailMessage],
    now: datetime,
) -> list[NewOutboxItem]:
    """One message per channel for several events of ``kind`` ("alert" or "health"),
    keyed ``<kind>s:...``, and a member row per event and channel (``<kind>:<id>:<channel>``,
    the key it has when sent alone) marked sent with the group."""
    ids = [event_id for event_id, _ in contexts]
    digest = hashlib.sha256(",".join(map(str, ids)).encode()).hexdigest()[:12]
    group = f"{kind}s:{ids[0]}-{ids[-1]}:{digest}"
    items = _for_each_channel(m, group, f"{kind}s", render_group, group_ctx, now)
    for event_id, ctx in contexts:
        for member in _for_each_channel(m, f"{kind}:{event_id}", kind, render_one, ctx, now):
            items.append(replace(member, group_key=f"{group}:{member.channel}"))
    return items


@dataclass
class DeliveryReport:
    sent: int = 0
    retrying: int = 0
    failed: int = 0
    partly: int = 0  # sent, but some recipients refused it

    def add(self, other: DeliveryReport) -> None:
        self.sent += other.sent
        self.retrying += other.retrying
        self.failed += other.failed
        self.partly += other.partly


def deliver_pending(m: Monitor) -> DeliveryReport:
    """Send every due outbox message through its channel.  A message is marked sent only
    after the channel accepted it; temporary failures retry with growing backoff.

    Each send is claimed with a fencing token for ``m.delivery_lease`` (by the
    database's clock), and its outcome is recorded only while that claim holds."""
    report = DeliveryReport()
    for item in m.store.due_outbox(m.clock.now()):
        if m.stop.is_set():
            break
        wired = m.channels.get(item.channel)
        now = m.clock.now()
        if wired is None:
            m.store.mark_failed(item.id, now, f"channel {item.channel!r} is not configured")
            report.failed += 1
            continue
        token = m.store.claim_outbox(item.id, now, m.delivery_lease)
        if token is None:
            continue
        max_age = timedelta(hours=m.config.file.alerts.max_retry_hours)
        if item.created_at is not None and now - item.created_at > max_age:
            reason = (
                f"given up: not sent within {max_age.total_seconds() / 3600:g} hours "
                f"(alerts.max_retry_hours); last error: {item.last_error or 'none'}"
            )
            if _record(m, item.key, partial(m.store.mark_failed, item.id, now, reason, token)):
                report.failed += 1
            log.error("delivery_given_up", key=item.key, channel=item.channel, error=reason)
            continue
        channel = wired[0]
        with contextlib.closing(m.store.sent_recorder(item.id, item.key, token)) as record_sent:
            _send(m, report, item, channel, token, record_sent)
    return report


def _send(
    m: Monitor,
    report: DeliveryReport,
    item: OutboxItem,
    channel: Channel,
    token: str,
    record_sent: Callable[[datetime, str | None], bool],
) -> None:
    """Send one claimed message and record the outcome (``record_sent`` is ready before
    the send, so that an acceptance is committed as soon as possible after it)."""
    try:
        refused = channel.send(
            item.payload.encode("utf-8"), key=item.key, message_id=item.message_id
        )
    except DeliveryError as e:
        error = m.config.redact(str(e))
        now = m.clock.now()
        if e.transient:
            next_at = now + retry_delay(item.attempts + 1)
            if _record(
                m, item.key, partial(m.store.mark_retry, item.id, now, error, next_at, token)
            ):
                report.retrying += 1
            log.warning(
                "delivery_retry",
                key=item.key,
                channel=item.channel,
                error=error,
                alerts=_alert_keys(m, item),
            )
        else:
            if _record(m, item.key, partial(m.store.mark_failed, item.id, now, error, token)):
                report.failed += 1
            log.error(
                "delivery_failed",
                key=item.key,
                channel=item.channel,
                error=error,
                alerts=_alert_keys(m, item),
            )
        return
    refused_text = (
        m.config.redact("; ".join(f"{a}: {r}" for a, r in sorted(refused.items())))
        if refused
        else None
    )
    sent_at = m.clock.now()
    if _record(m, item.key, partial(record_sent, sent_at, refused_text)):
        report.sent += 1
        if refused_text:
            report.partly += 1
            log.warning(
                "delivered_partly",
                key=item.key,
                channel=item.channel,
                refused=refused_text,
                alerts=_alert_keys(m, item),
            )
        else:
            log.info("delivered", key=item.key, channel=item.channel)


def _alert_keys(m: Monitor, item: OutboxItem) -> list[str]:
    """The alerts a message carries: itself, or those grouped into it."""
    return m.store.grouped_keys(item.key) if item.kind in ("alerts", "healths") else [item.key]


RECORD_PATIENCE_SECONDS = 600.0


def _record(m: Monitor, key: str, write: Callable[[], bool]) -> bool:
    """Record a delivery outcome; a database that is locked or away is waited for, not
    given up on (giving up would let the lease run out and the message go out again).
    False when the claim was lost: another sender holds the message now."""
    started = time.monotonic()
    delay = 0.2
    while True:
        try:
            done = write()
        except StoreError as e:
            waited = time.monotonic() - started
            if waited > RECORD_PATIENCE_SECONDS:
                raise
            log.warning("delivery_record_retry", key=key, error=m.config.redact(str(e)))
            # after a stop, keep trying briefly: the message went out
            if m.stop.is_set() and waited > 5:
                raise
            time.sleep(delay)
            delay = min(delay * 2, 2.0)
            continue
        if not done:
            log.error("delivery_lease_lost", key=key)
        return done


# --- feed health ----------------------------------------------------------------


def check_health(m: Monitor) -> int:
    """Record each feed's change of health (failing, silent, gone, or recovered) as an event;
    each raises one alert."""
    now = m.clock.now()
    p = m.config.file.polling
    changed = 0
    feeds = m.store.feeds()
    # until some feed has been read once, one failure is enough: a first cycle in which
    # no feed answers is reported at once, not after `failures_before_alert` polls
    never_read = all(f.last_ok_at is None for f in feeds)
    for feed in feeds:
        state = health.feed_health(
            feed,
            now,
            failures=1 if never_read else p.failures_before_alert,
            silent_after=timedelta(hours=p.silent_after_hours),
        )
        if state.value != feed.health and m.store.record_health(
            feed.id, feed.health, state.value, health.health_detail(feed, state, now), now
        ):
            changed += 1
            log.warning("feed_health", feed=feed.name, from_=feed.health, to=str(state))
    return changed


def alert_health(m: Monitor) -> int:
    """Queue the feed-health events: one message per event and channel, or, with
    ``alerts.group`` and several events in a cycle, one message per channel for them all
    (a first start with every feed down sends one alert, not one per feed)."""
    events = m.store.unalerted_health_events()
    if not events:
        return 0
    now = m.clock.now()
    items: list[NewOutboxItem] = []
    silences = m.store.silences(now)  # a silenced feed or channel gets no health alert
    contexts = [
        (
            ev.id,
            render.HealthContext(
                ev.feed_name, ev.feed_url, ev.previous, ev.state, ev.detail, ev.at
            ),
        )
        for ev in events
        if review.silence_for(silences, SilenceScope.FEED, ev.feed_name, now) is None
    ]
    if len(contexts) > 1 and m.config.file.alerts.group:
        group = render.HealthGroupContext(tuple(ctx for _, ctx in contexts))
        items = _grouped(
            m,
            "health",
            contexts,
            group,
            render.render_health_group,
            render.render_health_alert,
            now,
        )
    else:
        for event_id, ctx in contexts:
            items += _for_each_channel(
                m, f"health:{event_id}", "health", render.render_health_alert, ctx, now
            )
    muted_channels = review.silenced_channels(silences, now)
    items = [i for i in items if i.channel not in muted_channels]
    return m.store.enqueue_alerts(
        items, alerted=[], suppressed={}, now=now, health_alerted=[ev.id for ev in events]
    )


# --- digest --------------------------------------------------------------------


def feed_health(m: Monitor) -> list[render.FeedHealth]:
    """Every feed's health now, for `monitor status` and the digest."""
    now = m.clock.now()
    p = m.config.file.polling
    out = []
    for f in m.store.feeds():
        state = health.feed_health(
            f,
            now,
            failures=p.failures_before_alert,
            silent_after=timedelta(hours=p.silent_after_hours),
        )
        healthy = state is health.Health.OK and f.error_count == 0
        error = f.last_error
        if state is not health.Health.OK:
            error = health.health_detail(f, state, now)
        out.append(
            render.FeedHealth(
                f.name, f.url, healthy, f.last_ok_at, error, f.error_count, f.last_new_at
            )
        )
    return out


def digest(m: Monitor, *, key: str | None = None) -> bool:
    """Queue a digest of status changes and new evidence since the last one.  ``key``
    names the digest (the scheduled fire time), so it is sent once."""
    now = m.clock.now()
    key = key or f"digest:{now:%Y-%m-%dT%H:%M:%SZ}"
    start = m.store.last_digest_end()
    states = m.store.commitment_states()
    latest = m.store.latest_evidence()
    changes = tuple(
        (m.commitments[c.commitment_id], c)
        for c in m.store.events_between(start, now)
        if c.commitment_id in m.commitments
    )
    evidence = tuple(
        (m.commitments[e.commitment_id], e)
        for e in m.store.evidence_between(start, now)
        if e.commitment_id in m.commitments
    )
    statuses = tuple(
        (c, states[c.id].status if c.id in states else Status.PENDING, latest.get(c.id))
        for c in m.config.commitments
    )
    ctx = render.DigestContext(
        start,
        now,
        changes,
        evidence,
        statuses,
        tuple(feed_health(m)),
        silences=tuple(m.store.silences(now)),
        coverage=coverage_summary(m, start),
    )
    items = _for_each_channel(m, key, "digest", render.render_digest, ctx, now)
    return m.store.record_digest(key, start, now, items, now)


# --- a whole cycle -------------------------------------------------------------


@dataclass
class CycleReport:
    poll: PollReport
    judged: int
    changes: int
    queued: int
    delivery: DeliveryReport


def run_cycle(
    m: Monitor,
    *,
    deliver: bool = True,
    observe: Callable[[PollReport], None] | None = None,
) -> CycleReport:
    """Poll what is due, record the cycle (coverage, heartbeat), judge, assess, alert, and
    (unless ``deliver`` is False: the daemon delivers in a job of its own, so a stuck channel
    never holds up polling) deliver.  While the poll waits on a slow feed, what it has
    stored is judged, assessed and alerted already (the cycle recorded so far).
    ``observe(poll report)`` is called after each of those passes (``monitor bench``)."""
    started_at = m.clock.now()
    cycle_ids: list[int] = []
    done = CycleReport(PollReport(), 0, 0, 0, DeliveryReport())

    def record(polled: PollReport) -> None:
        failed = len(polled.errors)
        cycle = CycleRecord(
            started_at=started_at,
            ended_at=None,
            feeds_due=polled.polled,
            feeds_ok=polled.polled - failed,
            feeds_failed=failed,
            new_articles=polled.new_articles,
            host=socket.gethostname(),
            pid=os.getpid(),
            tick_seconds=m.tick_seconds,
        )
        if cycle_ids:
            cyclelog.update_cycle(m.store, cycle_ids[0], cycle)
        else:
            cycle_ids.append(cyclelog.record_cycle(m.store, cycle))

    def act(polled: PollReport, *, last: bool) -> None:
        """Judge, assess and alert what is stored (and deliver)."""
        record(polled)
        if last:
            check_health(m)
        done.judged += judge(m)
        done.changes += assess(m)
        done.queued += alert(m)
        if last:
            from monitor import oversight  # reminders of unacknowledged breaches

            done.queued += alert_health(m) + oversight.remind(m)
        if deliver:
            done.delivery.add(deliver_pending(m))
        if observe is not None:
            observe(polled)

    done.poll = poll(m, meanwhile=lambda polled: act(polled, last=False))
    act(done.poll, last=True)
    cyclelog.end_cycle(m.store, cycle_ids[0], m.clock.now())
    return done


# --- retention -------------------------------------------------------------------


@dataclass
class PruneReport:
    articles_blanked: int
    outbox_deleted: int
    cycles_deleted: int = 0


def prune(m: Monitor) -> PruneReport:
    """Apply the watchlist's ``retention``: old article text and old sent messages go;
    evidence and status history stay."""
    r = m.config.file.retention
    now = m.clock.now()
    blanked, deleted = m.store.prune(
        text_before=now - timedelta(days=r.article_text_days) if r.article_text_days else None,
        outbox_before=now - timedelta(days=r.outbox_days) if r.outbox_days else None,
        now=now,
    )
    cycles = (
        cyclelog.prune_cycles(m.store, now - timedelta(days=r.cycles_days)) if r.cycles_days else 0
    )
    if blanked or deleted or cycles:
        log.info("pruned", articles_blanked=blanked, outbox_deleted=deleted, cycles_deleted=cycles)
    return PruneReport(blanked, deleted, cycles)
