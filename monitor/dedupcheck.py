"""How many SimHash bits a syndication edit changes, against how close unrelated articles
come: the measurement behind ``judging.duplicate_distance``.  Pure.

A syndicated copy of a wire story is one source (DESIGN.md).  Each article of a corpus
is edited the way outlets edit wire copy, one edit at a time: retitled, trimmed (last
paragraph or last third dropped), a paragraph added, the wire credit changed.  For each
edit we count the bits between the fingerprints (``simhash64`` of title and text, as
``store`` computes them); for every pair of different articles likewise.  A threshold
catches an edit when its distance is at most the threshold.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import combinations

from monitor.assess import hamming64 as hamming
from monitor.fingerprint import simhash64

ADDED = (
    "Additional reporting by our correspondents in Peshawar and Kandahar; editing by the "
    "regional desk. Follow our live coverage for updates as the story develops."
)


@dataclass(frozen=True)
class Story:
    title: str
    text: str

    def fingerprint(self) -> int:
        return simhash64(f"{self.title}\n{self.text}")


def _paragraphs(text: str) -> list[str]:
    return [p for p in re.split(r"\n\s*\n", text) if p.strip()]


def retitled(s: Story) -> Story:
    words = s.title.split()
    half = words[len(words) // 2 :]
    return Story(f"UPDATE: {' '.join(half)}, officials say", s.text)


def trimmed(s: Story) -> Story:
    paras = _paragraphs(s.text)
    if len(paras) > 2:
        return Story(s.title, "\n\n".join(paras[:-1]))
    words = s.text.split()
    return Story(s.title, " ".join(words[: max(1, len(words) * 2 // 3)]))


def paragraph_added(s: Story) -> Story:
    return Story(s.title, f"{s.text}\n\n{ADDED}")


def credit_changed(s: Story) -> Story:
    text, n = re.subn(r"\(([A-Z][\w .&-]{1,40})\)", "(Reuters)", s.text, count=1)
    if not n:
        text = f"(Reuters) - {s.text}"
    return Story(s.title, f"{text}\n\nReporting by Reuters; writing by the wire desk.")


EDITS: dict[str, Callable[[Story], Story]] = {
    "retitled": retitled,
    "trimmed": trimmed,
    "paragraph added": paragraph_added,
    "wire credit changed": credit_changed,
}


@dataclass(frozen=True)
class DedupMeasurement:
    edits: dict[str, list[int]]  # edit name -> distances, one per article
    unrelated: list[int]  # distances of every pair of different articles

    def catch_rate(self, edit: str, threshold: int) -> float:
        d = self.edits[edit]
        return sum(x <= threshold for x in d) / len(d) if d else 0.0

    def unrelated_within(self, threshold: int) -> int:
        return sum(x <= threshold for x in self.unrelated)

    def lines(self, thresholds: Sequence[int] = (6, 8, 10, 12, 14, 16)) -> list[str]:
        n = len(next(iter(self.edits.values()), []))
        out = [f"SimHash bits changed by one syndication edit ({n} articles):"]
        out.append(
            "  threshold  " + "  ".join(f"{e:>20}" for e in self.edits) + "  unrelated pairs"
        )
        for t in thresholds:
            rates = "  ".join(f"{self.catch_rate(e, t):>19.0%} " for e in self.edits)
            out.append(
                f"  <= {t:>2} bits  {rates}  {self.unrelated_within(t)} of {len(self.unrelated)}"
            )
        if self.unrelated:
            ordered = sorted(self.unrelated)
            out.append(
                f"  unrelated pairs: closest {ordered[0]} bits, 0.1st percentile "
                f"{ordered[len(ordered) // 1000]}, median {ordered[len(ordered) // 2]}"
            )
        return out


def measure(stories: Sequence[Story]) -> DedupMeasurement:
    prints = [s.fingerprint() for s in stories]
    edits = {
        name: [hamming(p, edit(s).fingerprint()) for s, p in zip(stories, prints, strict=True)]
        for name, edit in EDITS.items()
    }
    unrelated = [
        hamming(prints[i], prints[j])
        for i, j in combinations(range(len(stories)), 2)
        if stories[i].title != stories[j].title
    ]
    return DedupMeasurement(edits, unrelated)
