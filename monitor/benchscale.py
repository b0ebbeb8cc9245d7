"""``monitor bench --scale N``: the cost of a cycle and of ``status`` once the database holds
N articles (issue 11).

The database is filled with N synthetic articles (text of realistic length, three keys
each) over 200 feeds and 200 commitments with evidence, status history and sent messages,
in batches (the peak RSS below includes the filling).  Then, with
the 200 feeds served by a local HTTP server (every answer 200, no validators, as many real
servers do), it measures through the real pipeline:

- a cycle in which 100 of the feeds carry one new article (wall time);
- a re-poll of the 200 unchanged feeds (CPU time);
- what ``monitor status`` does (upgrade, sync, the status queries), in-process;
- the peak RSS of the measuring process.

CPU is the monitor process's and its parse workers'; the feed server runs apart (and
answers without Nagle's delay, as a real server's would).
"""

from __future__ import annotations

import hashlib
import random
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from html import escape
from pathlib import Path
from typing import Any

from monitor import pipeline
from monitor.bench import BenchArticle, generated_commitments, sample_articles
from monitor.clock import FakeClock
from monitor.config import AlertsConfig, Config, FeedConfig, OutboxConfig
from monitor.errors import InputError
from monitor.models import Status
from monitor.parse import parse_feed

FEEDS = 200
COMMITMENTS = 200
NEW_ARTICLES = 100
ENTRIES_PER_FEED = 17  # per served feed, as in the captures of issue 11 (stored before)
EVIDENCE_EVERY = 20  # one article in 20 is evidence for some commitment
FILL_BATCH = 2000


@dataclass(frozen=True)
class ScaleReport:
    backend: str
    articles: int
    feeds: int
    commitments: int
    fill_seconds: float
    new_cycle_seconds: float
    new_cycle_cpu: float
    new_articles: int
    new_cycle_changes: int
    new_cycle_queued: int
    repoll_seconds: float
    repoll_cpu: float
    repoll_new: int
    status_seconds: float
    page_seconds: float
    commitment_page_seconds: float
    peak_rss_mb: float

    def lines(self) -> list[str]:
        return [
            f"database: {self.backend}, {self.articles} articles over {self.feeds} feeds, "
            f"{self.commitments} commitments (filled in {self.fill_seconds:.1f} s)",
            f"cycle with {self.new_articles} new articles   wall {self.new_cycle_seconds:6.2f} s"
            f"   cpu {self.new_cycle_cpu:6.2f} s   (target < 2 s wall; "
            f"{self.new_cycle_changes} status changes, {self.new_cycle_queued} alerts queued)",
            f"re-poll of {self.feeds} unchanged feeds   wall {self.repoll_seconds:6.2f} s"
            f"   cpu {self.repoll_cpu:6.2f} s   (target < 1 s cpu; {self.repoll_new} new)",
            f"status (upgrade, sync, queries)   wall {self.status_seconds:6.2f} s"
            f"   (target < 0.5 s)",
            f"status page: '/' wall {self.page_seconds:6.2f} s, a commitment's page wall "
            f"{self.commitment_page_seconds:6.2f} s",
            f"peak RSS of the measuring process   {self.peak_rss_mb:6.1f} MB   (target < 150 MB)",
        ]


def _page_seconds(m: pipeline.Monitor, path: str) -> float:
    """Wall seconds to render one page of the status site (in process, no server)."""
    from werkzeug.test import Client

    from monitor import web

    client = Client(web.WebApp(m))
    wall = time.perf_counter()
    response = client.get(path)
    seconds = time.perf_counter() - wall
    if response.status_code != 200:
        raise RuntimeError(f"status page {path}: HTTP {response.status_code}")
    return seconds


# --- the feeds, served locally ------------------------------------------------------------


# The server runs in its own process, so that its CPU is not counted as the monitor's.  It
# answers every GET with the file's bytes and no validators (no ETag, no Last-Modified).
_SERVER = """
import http.server, pathlib, sys
root = pathlib.Path(sys.argv[1])
class H(http.server.BaseHTTPRequestHandler):
    disable_nagle_algorithm = True  # else headers and body wait on a delayed ACK (~40 ms)
    def log_message(self, *a):
        pass
    def do_GET(self):
        f = root / self.path.lstrip("/")
        if not f.is_file() or f.parent != root:
            self.send_error(404)
            return
        body = f.read_bytes()
        self.send_response(200)
        self.send_header("Content-Type", "application/rss+xml; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
class S(http.server.ThreadingHTTPServer):
    request_queue_size = 128  # the default 5 drops connections past it: a 1 s SYN retry
s = S(("127.0.0.1", 0), H)
s.daemon_threads = True
print(s.server_address[1], flush=True)
s.serve_forever()
"""


class _Feeds:
    """Feed files in a folder, served by a child process on 127.0.0.1."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.port = 0

    def put(self, path: str, body: bytes) -> None:
        tmp = self.folder / f".{path.lstrip('/')}.tmp"
        tmp.write_bytes(body)
        tmp.replace(self.folder / path.lstrip("/"))

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    @contextmanager
    def running(self) -> Iterator[_Feeds]:
        self.folder.mkdir(parents=True, exist_ok=True)
        proc = subprocess.Popen(
            [sys.executable, "-c", _SERVER, str(self.folder)],
            stdout=subprocess.PIPE,
            stdin=subprocess.DEVNULL,
        )
        try:
            line = proc.stdout.readline() if proc.stdout else b""
            if not line.strip().isdigit():
                raise InputError("--scale", "the local feed server did not start")
            self.port = int(line)
            yield self
        finally:
            proc.terminate()
            proc.wait(timeout=10)
            if proc.stdout:
                proc.stdout.close()


def _item(feed: int, n: int, article: BenchArticle, at: datetime) -> str:
    link = f"https://pub{feed % 50}.example/{feed}/{n}"
    return (
        f"<item><guid>{link}</guid><link>{link}</link>"
        f"<title>{escape(article.title)} ({feed}-{n})</title>"
        f"<description>{escape(article.text)}</description>"
        f"<pubDate>{format_datetime(at)}</pubDate></item>"
    )


def _rss(feed: int, items: Sequence[str]) -> bytes:
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>Feed {feed}</title><link>https://pub{feed % 50}.example/</link>"
        f"<description>bench</description>{''.join(items)}</channel></rss>"
    ).encode()


# --- filling the database (in a child process) -------------------------------------------


def _words(articles: Sequence[BenchArticle]) -> list[str]:
    words = sorted({w for a in articles for w in a.text.split() if w.isalpha()})
    return words or ["news"]


def fill(url: str, n: int, feed_ids: Sequence[int], commitment_ids: Sequence[str]) -> None:
    """Insert ``n`` judged synthetic articles with keys, and evidence, status history and
    sent messages, straight through SQLAlchemy Core (not the pipeline: this is the past)."""
    from sqlalchemy import func, insert, select, text

    from monitor.db import (
        ArticleKeyRow,
        ArticleRow,
        EvidenceRow,
        OutboxRow,
        StatusEventRow,
        make_engine,
    )

    rng = random.Random(11)
    words = _words(sample_articles())
    engine = make_engine(url)
    now = datetime.now(UTC)
    with engine.begin() as conn:
        first = int(conn.scalar(select(func.coalesce(func.max(ArticleRow.id), 0))) or 0) + 1
        first_ev = int(conn.scalar(select(func.coalesce(func.max(EvidenceRow.id), 0))) or 0) + 1
    article_id, evidence_id = first, first_ev
    done = 0
    while done < n:
        size = min(FILL_BATCH, n - done)
        articles, keys, evidence = [], [], []
        for _ in range(size):
            feed_id = feed_ids[article_id % len(feed_ids)]
            fetched = now - timedelta(seconds=rng.randrange(365 * 24 * 3600))
            body = " ".join(rng.choices(words, k=rng.randrange(150, 600)))  # ~1-4 KB
            link = f"https://filler{article_id % 97}.example/{article_id}"
            articles.append(
                {
                    "id": article_id,
                    "feed_id": feed_id,
                    "url": link,
                    "guid": link,
                    "title": " ".join(rng.choices(words, k=10)),
                    "text": body,
                    "source": f"filler{article_id % 97}.example",
                    "published_at": fetched,
                    "fetched_at": fetched,
                    "fingerprint": rng.randrange(-(1 << 63), 1 << 63),
                    "judged_at": fetched,
                }
            )
            for kind in ("entry", "url", "content"):
                digest = hashlib.sha256(f"{kind}{article_id}".encode()).hexdigest()[:40]
                keys.append({"key": f"{kind}:{digest}", "article_id": article_id})
            if article_id % EVIDENCE_EVERY == 0:
                evidence.append(
                    {
                        "id": evidence_id,
                        "article_id": article_id,
                        "commitment_id": commitment_ids[evidence_id % len(commitment_ids)],
                        "label": rng.choice(("breach", "met")),
                        "score": round(rng.random(), 4),
                        "quote": body[:200],
                        "signals": ["bench"],
                        "created_at": fetched,
                        "assessed_at": fetched,
                    }
                )
                evidence_id += 1
            article_id += 1
        with engine.begin() as conn:
            conn.execute(insert(ArticleRow), articles)
            conn.execute(insert(ArticleKeyRow), keys)
            if evidence:
                conn.execute(insert(EvidenceRow), evidence)
        done += size
    with engine.begin() as conn:
        history = [
            {
                "commitment_id": cid,
                "from_status": Status.PENDING.value,
                "to_status": Status.AT_RISK.value,
                "at": now - timedelta(days=30),
                "reason": "bench",
                "evidence_ids": [],
                "alerted_at": now - timedelta(days=30),
            }
            for cid in commitment_ids
        ]
        conn.execute(insert(StatusEventRow), history)
        conn.execute(
            insert(OutboxRow),
            [
                {
                    "key": f"bench:{i}",
                    "channel": "outbox",
                    "kind": "alert",
                    "subject": f"bench {i}",
                    "message_id": f"<bench-{i}@monitor>",
                    "payload": b"x" * 2000,
                    "created_at": now - timedelta(days=i % 60),
                    "attempts": 1,
                    "sent_at": now - timedelta(days=i % 60),
                }
                for i in range(len(commitment_ids) * 2)
            ],
        )
        if engine.dialect.name == "postgresql":  # explicit ids: move the sequences on
            for table in ("articles", "evidence"):
                conn.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                        f"(SELECT max(id) FROM {table}))"
                    )
                )
    engine.dispose()


# --- the bench ------------------------------------------------------------------------------


def _cpu() -> float:
    """CPU seconds of this process and its reaped children (not the parse workers: they
    are the fork server's children; the poll's report counts theirs)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def _refuse_a_used_database(url: str) -> None:
    from sqlalchemy import inspect

    from monitor.db import make_engine

    engine = make_engine(url)
    try:
        tables = set(inspect(engine).get_table_names())
    except Exception as e:
        raise InputError("--database-url", f"cannot open it: {e}") from e
    finally:
        engine.dispose()
    if tables - {"alembic_version"}:
        raise InputError(
            "--database-url", "must name an empty database: the bench fills it with articles"
        )


def run_scale(
    base: Config,
    n: int,
    *,
    database_url: str | None = None,
    progress: Callable[[str], None] | None = None,
) -> ScaleReport:
    """Fill a database with ``n`` articles and measure (see the module's docstring)."""
    from monitor.db import make_engine, upgrade
    from monitor.store import Store

    say = progress or (lambda _m: None)
    if n < FEEDS:
        raise InputError("--scale", f"needs at least {FEEDS} articles")
    if database_url is not None:
        _refuse_a_used_database(database_url)
    per_feed = min(ENTRIES_PER_FEED, n // FEEDS)
    samples = sample_articles()
    with (
        tempfile.TemporaryDirectory(prefix="monitor-scale-") as tmp,
        _Feeds(Path(tmp) / "feeds").running() as srv,
    ):
        workdir = Path(tmp)
        url = database_url or f"sqlite:///{workdir / 'scale.db'}"
        file = base.file.model_copy(
            update={
                "feeds": [
                    FeedConfig(name=f"feed-{i:03d}", url=srv.url(f"/f{i}.xml"))
                    for i in range(FEEDS)
                ],
                "polling": base.file.polling.model_copy(
                    update={"allow_private_addresses": True, "max_concurrency": 16, "per_host": 16}
                ),
                "alerts": AlertsConfig(outbox=OutboxConfig(dir=str(workdir / "outbox"))),
            }
        )
        config = replace(
            base,
            file=file,
            database_url=url,
            outbox_dir=workdir / "outbox",
            commitments=tuple(generated_commitments(base.commitments, COMMITMENTS)),
        )
        upgrade(url)
        store = Store(make_engine(url))
        clock = FakeClock(datetime.now(UTC).replace(microsecond=0))
        m = pipeline.Monitor(config, store, clock)
        try:
            pipeline.sync(m)
            feed_ids = [f.id for f in store.feeds()]
            say(f"filling {n} articles ...")
            started = time.perf_counter()
            fill(url, n - per_feed * FEEDS, feed_ids, [c.id for c in config.commitments])
            # what the feeds serve is stored (and judged) already, through the real store
            items: dict[int, list[str]] = {}
            by_name = {f.name: f for f in store.feeds()}
            for i in range(FEEDS):
                items[i] = [
                    _item(i, j, samples[(i + j) % len(samples)], clock.now())
                    for j in range(per_feed)
                ]
                body = _rss(i, items[i])
                srv.put(f"/f{i}.xml", body)
                feed = by_name[f"feed-{i:03d}"]
                parsed = parse_feed(body, url=feed.url, headers={"content-type": "text/xml"})
                store.save_entries(
                    feed,
                    parsed.entries,
                    now=clock.now(),
                    status=200,
                    etag=None,
                    last_modified=None,
                    next_poll_at=clock.now(),
                    # as a poll records it: this very body is not parsed again
                    body=(hashlib.sha256(body).hexdigest(), parsed.dropped),
                )
            _mark_judged(store, clock.now())  # like the filler: judged in the past
            m.matcher.judge(samples[0].title, samples[0].text, None)  # built, as in a daemon
            _start_parse_server(body, srv.url("/f0.xml"))  # started, as in a daemon
            # what time alone changes (deadlines passed) is assessed and sent before measuring
            pipeline.assess(m)
            pipeline.alert(m)
            while pipeline.deliver_pending(m).sent:
                pass
            fill_seconds = time.perf_counter() - started

            # 1. a cycle with 100 new articles over 100 feeds
            # ordinary news: words of the samples that the judge finds about none of the
            # commitments (the generated commitments are variants of the watchlist's, so a
            # text that reads as one report of a clash moves 40 of them at once: a bag of
            # the samples' words often does, and the cycle then timed 160 alerts)
            for i, article in enumerate(_quiet_articles(m, samples, NEW_ARTICLES)):
                new = _item(i, per_feed, article, clock.now())
                items[i].insert(0, new)
                srv.put(f"/f{i}.xml", _rss(i, items[i]))
            clock.advance(1)
            say("cycle with new articles ...")
            wall, cpu = time.perf_counter(), _cpu()
            first = pipeline.run_cycle(m)
            # the parse workers are the fork server's children, not this process's: their
            # CPU is counted by the pool
            new_wall = time.perf_counter() - wall
            new_cpu = _cpu() - cpu + first.poll.parse_cpu_seconds

            # 2. a re-poll of the same, unchanged bodies
            clock.advance(config.file.polling.interval_minutes * 60 + 1)
            say("re-poll of unchanged feeds ...")
            wall, cpu = time.perf_counter(), _cpu()
            second = pipeline.run_cycle(m)
            repoll_wall = time.perf_counter() - wall
            repoll_cpu = _cpu() - cpu + second.poll.parse_cpu_seconds
        finally:
            store.close()

        # 3. what `monitor status` does: open (upgrade), sync, read
        say("status ...")
        wall = time.perf_counter()
        upgrade(url)
        status_store = Store(make_engine(url))
        try:
            sm = pipeline.Monitor(config, status_store, clock)
            pipeline.sync(sm)
            status_store.commitment_states()
            status_store.latest_evidence()
            pipeline.feed_health(sm)
            status_store.outbox_counts()
            status_store.outbox(limit=200)
            status_seconds = time.perf_counter() - wall
            say("status page ...")
            page_seconds = _page_seconds(sm, "/")
            commitment_page_seconds = _page_seconds(sm, f"/commitments/{config.commitments[0].id}")
        finally:
            status_store.close()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KB on Linux
    return ScaleReport(
        backend=make_engine_name(url),
        articles=n,
        feeds=FEEDS,
        commitments=COMMITMENTS,
        fill_seconds=fill_seconds,
        new_cycle_seconds=new_wall,
        new_cycle_cpu=new_cpu,
        new_articles=first.poll.new_articles,
        new_cycle_changes=first.changes,
        new_cycle_queued=first.queued,
        repoll_seconds=repoll_wall,
        repoll_cpu=repoll_cpu,
        repoll_new=second.poll.new_articles,
        status_seconds=status_seconds,
        page_seconds=page_seconds,
        commitment_page_seconds=commitment_page_seconds,
        peak_rss_mb=peak,
    )


def _quiet_articles(m: Any, samples: Sequence[BenchArticle], n: int) -> list[BenchArticle]:
    """``n`` texts of the samples' words (of realistic length) in which the judge finds no
    breach and no report of a commitment met: ordinary news, judged in full but moving no
    status.  Drawn at random; a draw the judge reads as a report is drawn again."""
    from monitor.models import Label

    rng = random.Random(5)
    words = _words(samples)
    quiet: list[BenchArticle] = []
    for _ in range(200 * n):
        if len(quiet) == n:
            break
        article = BenchArticle(
            " ".join(rng.choices(words, k=10)),
            " ".join(rng.choices(words, k=rng.randrange(150, 600))),
            None,
        )
        verdicts = m.matcher.judge(article.title, article.text, None)
        if all(v.label not in (Label.BREACH, Label.MET) for v in verdicts):
            quiet.append(article)
    if len(quiet) < n:
        raise InputError("--scale", "cannot draw ordinary news the judge finds nothing in")
    return quiet


def _start_parse_server(body: bytes, url: str) -> None:
    """Start the parse workers' fork server (once per process: a daemon's first poll
    starts it, its later cycles fork from it) by parsing one body in a worker."""
    from monitor import parsepool

    with parsepool.ParsePool(1) as pool:
        pool.submit(parsepool.ParseJob(body, url)).result(timeout=60)


def _mark_judged(store: Any, now: datetime) -> None:
    from sqlalchemy import update

    from monitor.db import ArticleRow

    with store.engine.begin() as conn:
        conn.execute(update(ArticleRow).where(ArticleRow.judged_at.is_(None)).values(judged_at=now))


def make_engine_name(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).get_backend_name()
