"""One function per stage, one transaction per unit of work (DESIGN.md "Data flow").

    sync → poll → judge → assess → alert → deliver_pending;  digest on its schedule

Each stage reads its input from the database and writes its output there, so
any stage can crash and be re-run without losing or duplicating anything.
"""

from __future__ import annotations

import ssl
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.message import EmailMessage
from functools import cached_property

import httpx

from monitor import fetch, health, render
from monitor.assess import Thresholds, assess_commitment
from monitor.clock import Clock
from monitor.config import Config
from monitor.deliver import Channel, FolderChannel, SmtpChannel, WebhookChannel, retry_delay
from monitor.errors import DeliveryError, FeedGoneError, FetchError, ParseError
from monitor.logs import get_logger
from monitor.match import Matcher
from monitor.models import ALERTING_STATUSES, Commitment, Feed, FetchResult, Status
from monitor.parse import parse_feed
from monitor.store import FeedSpec, NewOutboxItem, Store

log = get_logger()

JUDGE_BATCH = 200


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
    specs = [FeedSpec(f.name, f.url, m.config.feed_interval_seconds(f)) for f in m.config.feeds]
    m.store.sync_watchlist(specs, m.config.commitments, m.clock.now())


# --- poll --------------------------------------------------------------------


@dataclass
class PollReport:
    polled: int = 0
    new_articles: int = 0
    not_modified: int = 0
    errors: dict[str, str] = field(default_factory=dict)


def poll(m: Monitor) -> PollReport:
    """Fetch every due feed (concurrently, bounded) and store what is new.  Each feed's
    outcome is stored in its own transaction, as soon as it arrives."""
    p = m.config.file.polling
    # A claimed feed is not due again until its fetch must have ended; after a crash it is
    # polled again once this lease runs out.
    lease = timedelta(seconds=2 * p.deadline_seconds + 10)
    due = m.store.claim_due_feeds(m.clock.now(), lease)
    report = PollReport()
    if not due:
        return report
    by_id = {f.id: f for f in due}
    requests = [fetch.FetchRequest(f.id, f.url, f.etag, f.last_modified) for f in due]

    def client() -> httpx.Client:
        return fetch.make_client(
            connect_timeout=p.connect_timeout_seconds, read_timeout=p.read_timeout_seconds
        )

    results = fetch.fetch_many(
        requests,
        client_factory=client,
        max_workers=p.max_concurrency,
        per_host=p.per_host,
        max_bytes=p.max_bytes,
        deadline_seconds=p.deadline_seconds,
    )
    try:
        for request, outcome in results:
            feed = by_id[request.feed_id]
            report.polled += 1
            _store_outcome(m, feed, outcome, report)
            m.say(f"polled {report.polled}/{len(due)} feeds, {report.new_articles} new articles")
            if m.stop.is_set():
                log.info("poll_interrupted", polled=report.polled, of=len(due))
                break
    finally:
        close = getattr(results, "close", None)
        if close is not None:
            close()
    return report


def _store_outcome(m: Monitor, feed: Feed, outcome: object, report: PollReport) -> None:
    now = m.clock.now()
    if isinstance(outcome, FetchError):
        # 410 says the feed is gone; a 404 says so too once it has repeated enough
        not_found = (
            outcome.status == 404
            and feed.last_status == 404
            and feed.error_count + 1 >= m.config.file.polling.failures_before_alert
        )
        gone = isinstance(outcome, FeedGoneError) or not_found
        next_at = fetch.next_poll_after(
            now, feed.interval_seconds, feed.error_count + 1, outcome.retry_after_seconds
        )
        m.store.record_feed_error(
            feed.id,
            now=now,
            error=str(outcome),
            status=outcome.status,
            next_poll_at=next_at,
            gone=gone,
        )
        report.errors[feed.name] = str(outcome)
        log.warning("feed_failed", feed=feed.name, error=str(outcome))
        return
    assert isinstance(outcome, FetchResult)
    next_at = fetch.next_poll_after(now, feed.interval_seconds, 0, None)
    if outcome.not_modified or outcome.content is None:
        m.store.save_entries(
            feed,
            [],
            now=now,
            status=outcome.status,
            etag=outcome.etag,
            last_modified=outcome.last_modified,
            next_poll_at=next_at,
        )
        report.not_modified += 1
        return
    try:
        parsed = parse_feed(outcome.content, url=outcome.url, headers=outcome.headers, now=now)
    except ParseError as e:
        next_at = fetch.next_poll_after(now, feed.interval_seconds, feed.error_count + 1, None)
        m.store.record_feed_error(
            feed.id, now=now, error=str(e), status=outcome.status, next_poll_at=next_at
        )
        report.errors[feed.name] = str(e)
        log.warning("feed_unparseable", feed=feed.name, error=str(e))
        return
    warning = f"feed is malformed but readable: {parsed.bozo_message}" if parsed.bozo else None
    new = m.store.save_entries(
        feed,
        parsed.entries,
        now=now,
        status=outcome.status,
        etag=outcome.etag,
        last_modified=outcome.last_modified,
        next_poll_at=next_at,
        warning=warning,
    )
    report.new_articles += new
    log.info("feed_polled", feed=feed.name, entries=len(parsed.entries), new=new)


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


# --- retention -------------------------------------------------------------------


@dataclass
class PruneReport:
    articles_blanked: int
    outbox_deleted: int


def prune(m: Monitor) -> PruneReport:
    """Apply the watchlist's ``retention``: old article text and old sent messages go;
    evidence and status history stay."""
    r = m.config.file.retention
    now = m.clock.now()
    blanked, deleted = m.store.prune(
        text_before=now - timedelta(days=r.article_text_days) if r.article_text_days else None,
        outbox_before=now - timedelta(days=r.outbox_days) if r.outbox_days else None,
    )
    if blanked or deleted:
        log.info("pruned", articles_blanked=blanked, outbox_deleted=deleted)
    return PruneReport(blanked, deleted)
