"""``monitor replay``: a corpus through the whole pipeline, in publication order, on a
simulated clock.

Each article is stored as if its feed (one per ``source``) had been polled at its
publication time; then the judge, assess and alert stages run as the daemon would.  Alerts
are queued to an outbox folder channel in a temporary folder and never sent.  With labels,
each alert is checked against the labels of its evidence, and timed against the first
article labelled with what it reports.  The database and outbox are temporary.
"""

from __future__ import annotations

import dataclasses
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from monitor import pipeline
from monitor.clock import FakeClock
from monitor.config import Config
from monitor.db import make_engine, upgrade
from monitor.errors import InputError
from monitor.evaluate import CorpusItem
from monitor.misses import AlertRef
from monitor.models import Entry, Label, Status, StatusChange
from monitor.store import FeedSpec, Store

#: The label an alert's status reports.
_REPORTS = {Status.BREACHED: Label.BREACH, Status.AT_RISK: Label.BREACH, Status.MET: Label.MET}
#: After the last article, the clock runs on this long (deadlines may pass).
TAIL = timedelta(days=1)


@dataclass(frozen=True)
class ReplayAlert:
    at: datetime
    change: StatusChange
    subject: str
    #: "right", "wrong" or "unlabelled"; "right" when its evidence is labelled as it reports.
    verdict: str
    #: Time since the first article labelled with what it reports (None: no such article).
    delay: timedelta | None
    evidence_titles: tuple[str, ...] = ()
    #: The corpus ids of its evidence ("" where an evidence article is not the corpus's).
    evidence_ids: tuple[str, ...] = ()


@dataclass
class ReplayResult:
    articles: int
    changes: list[StatusChange] = field(default_factory=list)
    alerts: list[ReplayAlert] = field(default_factory=list)
    #: Commitment -> label whose first labelled article came with no alert reporting it.
    missed: list[tuple[str, Label, datetime]] = field(default_factory=list)
    labelled: bool = False


def _ordered(items: Sequence[CorpusItem]) -> list[CorpusItem]:
    undated = [i.id for i in items if i.published_at is None]
    if undated:
        raise InputError(
            undated[0], f"replay needs a 'published' time on every article ({len(undated)} lack it)"
        )
    return sorted(items, key=lambda i: (i.published_at, i.id))


def _first_reports(items: Sequence[CorpusItem]) -> dict[tuple[str, Label], datetime]:
    """(commitment, label) -> publication time of the first article labelled so."""
    first: dict[tuple[str, Label], datetime] = {}
    for item in items:
        assert item.published_at is not None
        for cid, label in item.labels.items():
            if label in (Label.BREACH, Label.MET):
                first.setdefault((cid, label), item.published_at)
    return first


def _entry(item: CorpusItem) -> Entry:
    return Entry(
        identity=item.id,
        guid=item.id,
        url=item.url,
        title=item.title,
        text=item.text,
        published_at=item.published_at,
        publisher=item.source,
    )


def _replay_config(config: Config, folder: Path) -> Config:
    """The watchlist with a temporary database and outbox, and no mail or webhook."""
    alerts = config.file.alerts.model_copy(update={"smtp": None, "webhook": None})
    file = config.file.model_copy(update={"alerts": alerts, "feeds": []})
    return dataclasses.replace(
        config,
        file=file,
        database_url=f"sqlite:///{folder / 'replay.db'}",
        outbox_dir=folder / "outbox",
    )


def _step(m: pipeline.Monitor) -> list[tuple[StatusChange, str]]:
    """Judge, assess and queue alerts; the alerting changes queued now, with their subjects."""
    pipeline.judge(m)
    pipeline.assess(m)
    events = {ev.id: ev.change for ev in m.store.unalerted_events()}
    before = {o.key for o in m.store.outbox(limit=10_000)}
    pipeline.alert(m)
    out = []
    for o in m.store.outbox(limit=10_000):
        if o.key in before or not o.key.startswith("alert:"):
            continue
        event_id = int(o.key.split(":")[1])
        if event_id in events:
            out.append((events[event_id], o.subject))
    return out


def _score_alert(
    change: StatusChange,
    evidence: Sequence[tuple[str, str]],
    labels: dict[str, CorpusItem],
    first: dict[tuple[str, Label], datetime],
    at: datetime,
) -> tuple[str, timedelta | None]:
    wanted = _REPORTS.get(change.to_status)
    if wanted is None:  # overdue: right when no article reported it met before now
        met_at = first.get((change.commitment_id, Label.MET))
        return ("right" if met_at is None or met_at > at else "wrong"), None
    truths = [labels[aid].label(change.commitment_id) for aid, _ in evidence if aid in labels]
    verdict = "right" if wanted in truths else "wrong"
    since = first.get((change.commitment_id, wanted))
    return verdict, (at - since if since is not None and since <= at else None)


def replay(config: Config, items: Sequence[CorpusItem]) -> ReplayResult:
    """Run ``items`` through the pipeline in publication order (see the module docstring)."""
    ordered = _ordered(items)
    result = ReplayResult(len(ordered), labelled=any(i.labels for i in ordered))
    if not ordered:
        return result
    first = _first_reports(ordered)
    by_id = {i.id: i for i in ordered}
    with tempfile.TemporaryDirectory(prefix="monitor-replay-") as tmp:
        cfg = _replay_config(config, Path(tmp))
        upgrade(cfg.database_url)
        store = Store(make_engine(cfg.database_url))
        try:
            _run(cfg, store, ordered, by_id, first, result)
        finally:
            store.close()
    reported = {(a.change.commitment_id, _REPORTS.get(a.change.to_status)) for a in result.alerts}
    for (cid, label), at in sorted(first.items(), key=lambda kv: kv[1]):
        if cid in {c.id for c in config.commitments} and (cid, label) not in reported:
            result.missed.append((cid, label, at))
    return result


def _run(
    cfg: Config,
    store: Store,
    ordered: Sequence[CorpusItem],
    by_id: dict[str, CorpusItem],
    first: dict[tuple[str, Label], datetime],
    result: ReplayResult,
) -> None:
    start = ordered[0].published_at
    assert start is not None
    clock = FakeClock(start)
    m = pipeline.Monitor(cfg, store, clock)
    sources = sorted({i.source or "corpus" for i in ordered})
    specs = [FeedSpec(s, f"replay://{n}", 3600) for n, s in enumerate(sources)]
    store.sync_watchlist(specs, cfg.commitments, clock.now())
    feeds = {f.name: f for f in store.feeds()}
    articles: dict[str, str] = {}  # stored article title -> corpus id (for scoring)
    times = [i.published_at for i in ordered if i.published_at is not None]
    times.append(times[-1] + TAIL)
    for n, at in enumerate(times):
        clock.set(at)
        if n < len(ordered):
            item = ordered[n]
            feed = feeds[item.source or "corpus"]
            store.save_entries(
                feed,
                [_entry(item)],
                now=at,
                status=200,
                etag=None,
                last_modified=None,
                next_poll_at=at + timedelta(hours=1),
            )
            articles[item.title] = item.id
        for change, subject in _step(m):
            found = store.evidence_by_ids(change.evidence_ids)
            evidence = [(articles.get(e.title, ""), e.title) for e in found]
            verdict, delay = "unlabelled", None
            if result.labelled:
                verdict, delay = _score_alert(change, evidence, by_id, first, at)
            result.alerts.append(
                ReplayAlert(
                    at,
                    change,
                    subject,
                    verdict,
                    delay,
                    tuple(t for _, t in evidence),
                    tuple(i for i, _ in evidence),
                )
            )
    result.changes = store.events_between(None, times[-1])


def _hours(d: timedelta) -> str:
    h = d.total_seconds() / 3600
    return f"{h:.1f} h" if h < 48 else f"{h / 24:.1f} days"


def format_replay(r: ReplayResult) -> str:
    """The status timeline, the alerts it would have sent and, with labels, how they scored."""
    lines = [f"replayed {r.articles} articles in publication order", "", "status timeline:"]
    for c in r.changes:
        lines.append(
            f"  {c.at:%Y-%m-%d %H:%M}  {c.commitment_id:<22} {c.from_status} -> {c.to_status}"
            f"  ({c.reason})"
        )
    if not r.changes:
        lines.append("  (no status changes)")
    lines += ["", "alerts it would have sent:"]
    for a in r.alerts:
        mark = "" if a.verdict == "unlabelled" else f" [{a.verdict}"
        if a.delay is not None:
            mark += f", {_hours(a.delay)} after the first true report"
        mark += "]" if mark else ""
        lines.append(f"  {a.at:%Y-%m-%d %H:%M}  {a.subject}{mark}")
        lines += [f"      evidence: {t}" for t in a.evidence_titles[:3]]
    if not r.alerts:
        lines.append("  (none)")
    if r.labelled:
        right = sum(a.verdict == "right" for a in r.alerts)
        delays = sorted(a.delay for a in r.alerts if a.delay is not None and a.verdict == "right")
        lines += ["", f"alerts right: {right} of {len(r.alerts)}"]
        if delays:
            median = _hours(delays[len(delays) // 2])
            lines.append(f"median delay after the first true report: {median}")
        for cid, label, at in r.missed:
            lines.append(f"missed: {cid} {label.value} (first reported {at:%Y-%m-%d %H:%M})")
    return "\n".join(lines)


def wrong_alerts(r: ReplayResult) -> list[AlertRef]:
    """The alerts whose evidence is not labelled as they report, for ``monitor.misses``."""
    return [
        AlertRef(a.at, a.change.commitment_id, a.subject, tuple(i for i in a.evidence_ids if i))
        for a in r.alerts
        if a.verdict == "wrong"
    ]


__all__ = ["ReplayAlert", "ReplayResult", "format_replay", "replay", "wrong_alerts"]
