"""Measure the status page's load time on a large database.

    python -m monitor.webbench --articles 100000 --commitments 200 [--database URL]

Generates a watchlist of N commitments and a database of M stored articles (a share of
them evidence, some reviewed), serves the page with waitress on 127.0.0.1, and prints
the median and slowest time of each page and API call over several requests.  Figures
are wall-clock on this machine: noisy on a shared one.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import yaml
from sqlalchemy import insert, update

from monitor import cyclelog, pipeline, web
from monitor.clock import FakeClock
from monitor.config import parse_config
from monitor.coverage import CycleRecord
from monitor.db import ArticleRow, EvidenceRow, FeedRow, VerdictRow, make_engine, upgrade
from monitor.store import Store

NOW = datetime(2025, 11, 1, 12, 0, tzinfo=UTC)


def watchlist(n_commitments: int, database_url: str, feeds: int = 40) -> str:
    commitments = [
        {
            "id": f"c-{i:04d}",
            "title": f"Generated commitment {i}: the border stays calm",
            "statement": "No cross-border violations will be tolerated.",
            "kind": "ceasefire",
            "said_by": "A minister",
            "parties": ["northland", "southland"],
        }
        for i in range(n_commitments)
    ]
    raw = {
        "database": {"url": database_url},
        "feeds": [
            {"name": f"Feed {i}", "url": f"https://feed{i}.example/rss"} for i in range(feeds)
        ],
        "entities": {
            "northland": {"name": "Northland", "aliases": ["Northland", "Northern"]},
            "southland": {"name": "Southland", "aliases": ["Southland", "Southern"]},
        },
        "commitments": commitments,
        "alerts": {"outbox": {"enabled": False}},
        "web": {"token": "bench-token"},
    }
    return yaml.safe_dump(raw, sort_keys=False)


def populate(store: Store, commitments: list[str], n_articles: int, seed: int = 7) -> int:
    """Bulk-insert articles, evidence (about one article in ten, per one commitment) and a
    few verdicts.  Returns how many evidence rows."""
    rnd = random.Random(seed)
    feed_ids = [f.id for f in store.feeds()]
    evidence = 0
    batch = 5000
    with store.engine.begin() as conn:
        for start in range(0, n_articles, batch):
            rows = []
            for i in range(start, min(n_articles, start + batch)):
                at = NOW - timedelta(minutes=i)
                rows.append(
                    {
                        "id": i + 1,
                        "feed_id": rnd.choice(feed_ids),
                        "url": f"https://news{i % 97}.example/{i}",
                        "guid": f"g{i}",
                        "title": f"Article {i} about the border",
                        "text": "Forces exchanged fire at the border crossing, officials said. "
                        * 4,
                        "source": f"news{i % 97}.example",
                        "published_at": at,
                        "fetched_at": at,
                        "fingerprint": rnd.getrandbits(63),
                        "judged_at": at,
                    }
                )
            conn.execute(insert(ArticleRow), rows)
            ev = []
            for r in rows:
                if rnd.random() < 0.1:
                    ev.append(
                        {
                            "article_id": r["id"],
                            "commitment_id": rnd.choice(commitments),
                            "label": rnd.choice(["breach", "met"]),
                            "score": round(rnd.uniform(0.3, 1.0), 4),
                            "quote": "Forces exchanged fire at the border crossing.",
                            "signals": ["exchanged fire"],
                            "created_at": r["fetched_at"],
                            "assessed_at": r["fetched_at"],
                        }
                    )
            if ev:
                conn.execute(insert(EvidenceRow), ev)
                evidence += len(ev)
                conn.execute(
                    insert(VerdictRow),
                    [
                        {
                            "article_id": e["article_id"],
                            "commitment_id": e["commitment_id"],
                            "label": "none",
                            "note": "bench",
                            "by": "bench",
                            "at": NOW,
                            "judge_label": e["label"],
                            "judge_score": e["score"],
                        }
                        for e in ev[:: max(1, len(ev) // 20)]
                    ],
                )
        conn.execute(update(FeedRow).values(last_polled_at=NOW, last_ok_at=NOW))
    return evidence


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--commitments", type=int, default=200)
    parser.add_argument("--requests", type=int, default=15, help="per page")
    parser.add_argument("--database", default=None, help="default: an SQLite file in a temp dir")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = args.database or f"sqlite:///{Path(tmp) / 'bench.db'}"
        config = parse_config(
            watchlist(args.commitments, url), path="webbench", env={"MONITOR_DATABASE_URL": url}
        )
        upgrade(url)
        store = Store(make_engine(url))
        m = pipeline.Monitor(config, store, FakeClock(NOW))
        pipeline.sync(m)
        t0 = time.perf_counter()
        evidence = populate(store, [c.id for c in config.commitments], args.articles)
        feeds = len(config.feeds)  # one finished cycle that read every feed: the heartbeat
        cyclelog.record_cycle(store, CycleRecord(NOW, NOW, feeds, feeds, 0, args.articles))
        print(  # noqa: T201 - a bench prints its figures
            f"generated {args.articles} articles, {evidence} evidence rows, "
            f"{args.commitments} commitments in {time.perf_counter() - t0:.1f} s "
            f"({make_engine(url).dialect.name})"
        )
        server = web.make_server(m, "127.0.0.1", 0)
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        base = f"http://127.0.0.1:{server.effective_port}"
        paths = [
            "/",
            "/commitments/c-0000",
            "/feeds",
            "/outbox",
            "/api/commitments",
            "/api/commitments/c-0000",
            "/healthz",
            "/metrics",
        ]
        try:
            with httpx.Client(base_url=base, timeout=120) as client:
                for path in paths:
                    times = []
                    size = 0
                    for _ in range(args.requests):
                        start = time.perf_counter()
                        r = client.get(path)
                        times.append(time.perf_counter() - start)
                        size = len(r.content)
                        if r.status_code != 200:
                            raise SystemExit(f"{path}: HTTP {r.status_code}")
                    print(  # noqa: T201
                        f"{path:<28} median {statistics.median(times) * 1000:7.1f} ms  "
                        f"slowest {max(times) * 1000:7.1f} ms  ({size / 1024:.0f} KiB)"
                    )
        finally:
            server.stop()
            thread.join(timeout=10)
            store.close()


if __name__ == "__main__":
    main()
