"""``monitor bench``: how many articles per second the judge stage handles.

Articles are the demo's sample news (shipped with the package), repeated; the
commitments are the watchlist's, and then 200 generated ones (the watchlist's
commitments varied with their own topic and signal words, so that nothing is
shared between them for free).  One process, one core.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from importlib import resources

from monitor.models import Commitment, Entity
from monitor.parse import parse_feed

_WORDS = (
    "dam",
    "corridor",
    "prisoner",
    "grain",
    "airspace",
    "pipeline",
    "visa",
    "refugee",
    "transit",
    "mining",
    "trade",
    "water",
    "fishing",
    "customs",
    "railway",
    "power",
)


@dataclass(frozen=True)
class BenchArticle:
    title: str
    text: str
    published_at: datetime | None


@dataclass(frozen=True)
class BenchResult:
    label: str
    commitments: int
    articles: int
    seconds: float

    @property
    def per_second(self) -> float:
        return self.articles / self.seconds if self.seconds else float("inf")

    def line(self) -> str:
        return (
            f"{self.label:<32} {self.commitments:>4} commitments  {self.articles:>6} articles"
            f"  {self.seconds:6.2f} s  {self.per_second:8.0f} articles/s"
        )


def sample_articles() -> list[BenchArticle]:
    """The demo's sample news items (40 articles of 1-3 paragraphs)."""
    folder = resources.files("monitor") / "data" / "demo"
    out: list[BenchArticle] = []
    for name in sorted(p.name for p in folder.iterdir() if p.name.endswith(".xml")):
        parsed = parse_feed(
            (folder / name).read_bytes(),
            url=f"http://bench/{name}",
            headers={"content-type": "application/xml; charset=utf-8"},
        )
        out.extend(BenchArticle(e.title, e.text, e.published_at) for e in parsed.entries)
    return out


def generated_commitments(base: Sequence[Commitment], n: int) -> list[Commitment]:
    """``n`` commitments varied from ``base``: each with its own id, topic and signal words."""
    out = []
    for i in range(n):
        c = base[i % len(base)]
        word = f"{_WORDS[i % len(_WORDS)]}{i}"
        out.append(
            replace(
                c,
                id=f"{c.id}-{i}",
                topics=(*c.topics, f"{word} accord"),
                breach_signals=(*c.breach_signals, f"{word} violation*"),
                met_signals=(*c.met_signals, f"{word} agreed"),
            )
        )
    return out


def run_bench(
    label: str,
    commitments: Sequence[Commitment],
    entities: dict[str, Entity],
    articles: Sequence[BenchArticle],
    n: int,
) -> BenchResult:
    from monitor.judge import Matcher

    matcher = Matcher(commitments, entities)
    for a in articles[:10]:  # warm up caches
        matcher.judge(a.title, a.text, a.published_at)
    start = time.perf_counter()
    for i in range(n):
        a = articles[i % len(articles)]
        matcher.judge(a.title, a.text, a.published_at)
    return BenchResult(label, len(commitments), n, time.perf_counter() - start)
