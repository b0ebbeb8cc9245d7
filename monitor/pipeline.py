"""One function per stage, one transaction per unit of work (DESIGN.md "Data flow").

    sync → poll → judge → assess → alert → deliver_pending;  digest on its schedule

Each stage reads its input from the database and writes its output there, so
any stage can crash and be re-run without losing or duplicating anything.
"""

from __future__ import annotations

import hashlib
import queue
import ssl
import threading
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.message import EmailMessage
from functools import cached_property
from typing import Any

import httpx
from sqlalchemy.exc import SQLAlchemyError

from monitor import fetch, health, parsepool, render
from monitor.assess import Thresholds, assess_commitment
from monitor.clock import Clock
from monitor.config import Config
from monitor.deliver import Channel, FolderChannel, SmtpChannel, WebhookChannel, retry_delay
from monitor.errors import DeliveryError, FeedGoneError, FetchError, MonitorError, ParseError
from monitor.logs import get_logger
from monitor.match import Matcher
from monitor.models import (
    ALERTING_STATUSES,
    Commitment,
    Feed,
    FetchResult,
    ParseResult,
    Status,
)
from monitor.store import FeedSpec, NewOutboxItem, Store

log = get_logger()

JUDGE_BATCH = 200
# The most entries kept from one feed body (the newest by date, when it has more).
MAX_ENTRIES = 500
# The most fetched bodies a poll holds waiting for their parse and store.
PARSE_BACKLOG = 32


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

    @cached_property
    def matcher(self) -> Matcher:
        return Matcher(self.config.commitments, self.config.entities)

    @cached_property
    def commitments(self) -> dict[str, Commitment]:
        return {c.id: c for c in self.config.commitments}

    @cached_property
    def channels(self) -> dict[str, tuple[Channel, Recipients]]:
        alerts = self.config.file.alerts
        out: dict[str, tuple[Channel, Recipients]] = {}
        if self.config.outbox_dir is not None:
            out["outbox"] = (
                FolderChannel(self.config.outbox_dir, name="outbox"),
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
                ),
                Recipients(smtp.sender, tuple(smtp.recipients)),
            )
        if alerts.webhook is not None:
            out["webhook"] = (
                WebhookChannel(
                    alerts.webhook.url.get_secret_value(), timeout=alerts.webhook.timeout_seconds
                ),
                Recipients(alerts.sender, tuple(alerts.recipients)),
            )
        return out

    @property
    def delivery_lease(self) -> timedelta:
        """How long a message being sent stays claimed: after a crash mid-send, it is sent
        again once this runs out (the receiver sees the same Message-ID)."""
        alerts = self.config.file.alerts
        timeouts = [c.timeout_seconds for c in (alerts.smtp, alerts.webhook) if c is not None]
        return timedelta(seconds=2 * max(timeouts, default=30) + 10)

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


def poll(m: Monitor) -> PollReport:
    """Fetch every due feed (concurrently, bounded) and store what is new.

    Bodies are parsed in worker processes (``monitor.parsepool``), each parse under a
    CPU, memory and time budget, while the other feeds are fetched.  Each feed's outcome
    is stored in its own transaction, as soon as it is known; any failure of one feed is
    recorded on that feed and the others go on.  ``m.stop`` ends the poll at once:
    parses are killed, fetches abandoned (their feeds are polled again after the lease).
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
    # Bodies fetched but not yet parsed and stored are held in memory: at most this many
    # (fetching waits), so a slow parse cannot make a cycle's memory grow with its size.
    backlog = threading.Semaphore(PARSE_BACKLOG)

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
                if _has_body(outcome):
                    while not backlog.acquire(timeout=0.2):
                        if m.stop.is_set():
                            return
                events.put(("fetched", request, outcome))
        except BaseException as e:  # handed to the poll's thread, which raises it
            events.put(("crashed", e, None))
        finally:
            events.put(("done", None, None))

    pool: parsepool.ParsePool | None = None
    parsing = 0
    fetching_done = False
    thread = threading.Thread(target=fetching, name="poll-fetch", daemon=True)
    thread.start()
    try:
        while not fetching_done or parsing:
            if m.stop.is_set():
                log.info("poll_interrupted", polled=report.polled, of=len(due))
                break
            try:
                kind, first, second = events.get(timeout=0.2)
            except queue.Empty:
                continue
            if kind == "done":
                fetching_done = True
            elif kind == "crashed":
                raise first
            elif kind == "fetched":
                feed = by_id[first.feed_id]
                job = _parse_job(m, feed, second)
                if job is None:
                    report.polled += 1
                    _store_outcome(m, feed, second, report)
                    if _has_body(second):
                        backlog.release()
                    m.say(f"polled {report.polled}/{len(due)} feeds, {report.new_articles} new")
                    continue
                if pool is None:
                    pool = parsepool.ParsePool(
                        cpu_seconds=p.parse_cpu_seconds,
                        memory_bytes=p.parse_memory_mb * 1024 * 1024,
                    )
                parsing += 1
                future = pool.submit(job)
                future.add_done_callback(_on_parsed(events, feed, second))
            elif kind == "parsed":
                parsing -= 1
                feed, got = first
                report.polled += 1
                try:
                    outcome: object = ParsedBody(got, second.result(), _body_hash(got))
                except ParseError as e:
                    outcome = ParseFailure(got, e)
                _store_outcome(m, feed, outcome, report)
                backlog.release()
                m.say(f"polled {report.polled}/{len(due)} feeds, {report.new_articles} new")
    finally:
        if pool is not None:
            pool.close(kill=True)  # nothing is left to parse, unless the poll was stopped
            report.parse_cpu_seconds = pool.cpu_seconds_used
            report.parse_peak_rss_kib = pool.peak_rss_kib
    return report


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


def _has_body(outcome: object) -> bool:
    return isinstance(outcome, FetchResult) and outcome.content is not None


def _body_hash(result: FetchResult) -> str:
    return hashlib.sha256(result.content or b"").hexdigest()


def _parse_job(m: Monitor, feed: Feed, outcome: object) -> parsepool.ParseJob | None:
    """The parse a fetch outcome needs, or None (an error, 304, or the last body again)."""
    if not isinstance(outcome, FetchResult) or outcome.not_modified or outcome.content is None:
        return None
    if feed.body_hash is not None and feed.body_hash == _body_hash(outcome):
        return None
    return parsepool.ParseJob(
        outcome.content, outcome.url, outcome.headers, m.clock.now(), MAX_ENTRIES
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
    next_at = fetch.next_poll_after(now, feed.interval_seconds, 0, None)
    if isinstance(outcome, FetchResult):
        if not outcome.not_modified and outcome.content is not None:
            if feed.body_hash is None or feed.body_hash != _body_hash(outcome):
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
            report.unchanged += 1
            warning = feed.last_error if feed.error_count == 0 else None  # same body, same note
        else:
            report.not_modified += 1
            warning = None
        m.store.save_entries(
            feed,
            [],
            now=now,
            status=outcome.status,
            etag=outcome.etag,
            last_modified=outcome.last_modified,
            next_poll_at=next_at,
            warning=warning,
        )
        return
    assert isinstance(outcome, ParsedBody), type(outcome)
    got, parsed = outcome.fetched, outcome.parsed
    notes = []
    if parsed.bozo:
        notes.append(f"feed is malformed but readable: {parsed.bozo_message}")
    if parsed.dropped:
        notes.append(
            f"{parsed.dropped} older entries left out: the feed has more than {MAX_ENTRIES}"
        )
    warning = m.config.redact("; ".join(notes))[:2000] if notes else None
    new = m.store.save_entries(
        feed,
        parsed.entries,
        now=now,
        status=got.status,
        etag=got.etag,
        last_modified=got.last_modified,
        next_poll_at=next_at,
        warning=warning,
    )
    m.store.record_feed_body(feed.id, body_hash=outcome.body_hash, dropped=parsed.dropped)
    report.new_articles += new
    log.info(
        "feed_polled", feed=feed.name, entries=len(parsed.entries), new=new, dropped=parsed.dropped
    )


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
    for cid, state in states.items():
        commitment = m.commitments.get(cid)
        if commitment is None:
            continue
        new_ids = m.store.unassessed_evidence_ids(cid)
        # with no new evidence only the passing of a deadline can change anything
        evidence = m.store.evidence_for(cid) if new_ids else []
        history = [e for e in evidence if e.id not in new_ids]
        new = [e for e in evidence if e.id in new_ids]
        now = m.clock.now()
        changes = assess_commitment(commitment, state.status, history, new, now, m.thresholds)
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


# --- alert and deliver ---------------------------------------------------------


def alert(m: Monitor) -> int:
    """Queue one message per alerting status change and channel.  Several changes of one
    commitment in one go make one alert (the latest); a repeat of the same status within
    ``repeat_interval_hours`` is suppressed."""
    events = m.store.unalerted_events()
    if not events:
        return 0
    now = m.clock.now()
    repeat = timedelta(hours=m.config.file.alerts.repeat_interval_hours)
    latest: dict[str, int] = {}
    for ev in events:
        latest[ev.change.commitment_id] = ev.id
    items: list[NewOutboxItem] = []
    alerted: list[int] = []
    suppressed: dict[int, str] = {}
    for ev in events:
        change = ev.change
        commitment = m.commitments.get(change.commitment_id)
        if commitment is None:
            suppressed[ev.id] = "commitment no longer in the watchlist"
            continue
        if change.to_status not in ALERTING_STATUSES:
            suppressed[ev.id] = f"no alert for {change.to_status}"
            continue
        if latest[change.commitment_id] != ev.id:
            suppressed[ev.id] = "superseded by a later change"
            continue
        last = m.store.last_alert_at(change.commitment_id, change.to_status)
        if last is not None and repeat and now - last < repeat:
            suppressed[ev.id] = f"already alerted {change.to_status} at {last:%Y-%m-%d %H:%M}"
            continue
        evidence = tuple(m.store.evidence_by_ids(change.evidence_ids)[:5])
        items += _for_each_channel(
            m,
            f"alert:{ev.id}",
            "alert",
            render.render_alert,
            render.AlertContext(commitment, change, evidence),
            now,
        )
        alerted.append(ev.id)
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
    for name, (_channel, who) in m.channels.items():
        item_key = f"{key}:{name}"
        msg = render_one(
            ctx, key=item_key, sender=who.sender, recipients=list(who.recipients), sent_at=now
        )
        items.append(
            NewOutboxItem(
                item_key,
                name,
                kind,
                str(msg["Subject"]),
                str(msg["Message-ID"]),
                render.as_bytes(msg),
            )
        )
    return items


@dataclass
class DeliveryReport:
    sent: int = 0
    retrying: int = 0
    failed: int = 0


def deliver_pending(m: Monitor) -> DeliveryReport:
    """Send every due outbox message through its channel.  A message is marked sent only
    after the channel accepted it; temporary failures retry with growing backoff."""
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
        if not m.store.claim_outbox(item.id, now, m.delivery_lease):
            continue
        channel = wired[0]
        try:
            channel.send(item.payload.encode("utf-8"), key=item.key, message_id=item.message_id)
        except DeliveryError as e:
            now = m.clock.now()
            if e.transient:
                m.store.mark_retry(item.id, now, str(e), now + retry_delay(item.attempts + 1))
                report.retrying += 1
                log.warning("delivery_retry", key=item.key, error=str(e))
            else:
                m.store.mark_failed(item.id, now, str(e))
                report.failed += 1
                log.error("delivery_failed", key=item.key, error=str(e))
            continue
        m.store.mark_sent(item.id, m.clock.now())
        report.sent += 1
        log.info("delivered", key=item.key, channel=item.channel)
    return report


# --- feed health ----------------------------------------------------------------


def check_health(m: Monitor) -> int:
    """Record each feed's change of health (failing, silent, gone, or recovered) as an event;
    each raises one alert."""
    now = m.clock.now()
    p = m.config.file.polling
    changed = 0
    for feed in m.store.feeds():
        state = health.feed_health(
            feed,
            now,
            failures=p.failures_before_alert,
            silent_after=timedelta(hours=p.silent_after_hours),
        )
        if state.value != feed.health and m.store.record_health(
            feed.id, feed.health, state.value, health.health_detail(feed, state, now), now
        ):
            changed += 1
            log.warning("feed_health", feed=feed.name, from_=feed.health, to=str(state))
    return changed


def alert_health(m: Monitor) -> int:
    """Queue one message per feed-health event and channel."""
    events = m.store.unalerted_health_events()
    if not events:
        return 0
    now = m.clock.now()
    items: list[NewOutboxItem] = []
    for ev in events:
        ctx = render.HealthContext(
            ev.feed_name, ev.feed_url, ev.previous, ev.state, ev.detail, ev.at
        )
        items += _for_each_channel(
            m, f"health:{ev.id}", "health", render.render_health_alert, ctx, now
        )
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
    ctx = render.DigestContext(start, now, changes, evidence, statuses, tuple(feed_health(m)))
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


def run_cycle(m: Monitor) -> CycleReport:
    """Poll what is due, judge, assess, alert, deliver."""
    polled = poll(m)
    check_health(m)
    judged = judge(m)
    changes = assess(m)
    queued = alert(m) + alert_health(m)
    delivered = deliver_pending(m)
    return CycleReport(polled, judged, changes, queued, delivered)
