"""A learned second stage: a hashed bag of role-abstracted words decides the label.

The engine judges; for each article x commitment where it found something (a sentence with a
finding), this module turns what it read into generic features that name no conflict:

- the title and the sentences with a finding, lemmatised, with every entity mention replaced
  by its *role* for this commitment (``<bound>``: who made the promise, ``<counter>``: the
  other parties, ``<topic>``: its subjects and topic words, ``<third>``: an actor another
  commitment of the watchlist names, ``<other>``: anyone else), numbers, months and weekdays
  by placeholders; unigrams and bigrams of that text, each once as it is and once prefixed
  by the kind's family (the root of its ``extends`` chain);
- the engine's own cues: its label and score, the labels of its findings, whether they
  counted, the guards that fired (the first words of each reason: "negated", "hedged" ...),
  and the features of ``monitor.judge.weights``.

Feature names are hashed (CRC-32) into ``2**bits`` buckets; a multinomial logistic
regression (none/related/breach/met) over them is fitted by ``monitor train``
(``monitor.train``; numpy) and ships as ``monitor/data/model.json``.  Inference is a
sparse dot product in pure Python.  The engine's label stands unless the model prefers
another label by a margin (per target label, chosen leave-one-conflict-out), and the model
can only raise a label the engine has a sentence for.
"""

from __future__ import annotations

import calendar
import itertools
import json
import math
import re
import zlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Protocol

from monitor.errors import InputError
from monitor.judge import weights as old_weights
from monitor.judge.data import SHIPPED
from monitor.judge.text import phrase_words, tokenize
from monitor.models import Commitment, Label, SentenceFinding, Verdict

#: The labels, in the order of the model's rows.
LABELS = (Label.NONE, Label.RELATED, Label.BREACH, Label.MET)
FORMAT = "monitor-learned-judge/1"
DEFAULT_BITS = 18
#: At most this many findings (the best-scored) are read per verdict.
MAX_FINDINGS = 8

_MONTHS = {m.lower() for m in (*calendar.month_name, *calendar.month_abbr) if m}
_DAYS = {d.lower() for d in calendar.day_name}
_NUMBER = re.compile(r"^\d")


class ModelError(InputError):
    """A model file that cannot be used (missing, corrupt, or of another format)."""

    def __init__(self, message: str) -> None:
        where, _, cause = message.partition(": ")
        super().__init__(where, cause)


class _Span(Protocol):
    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...


class Analysed(Protocol):
    """What the engine analysed of one sentence: its text, tokens and entity mentions."""

    text: str
    tokens: list[str]
    entities: dict[str, list[Any]]  # entity id -> mentions (``start``/``end`` token spans)


# -- roles ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Roles:
    """What each entity and word is to one commitment."""

    family: str  # the root kind of its ``extends`` chain
    of_entity: Mapping[str, str]  # entity id -> role token
    topic: frozenset[str]  # lemmas of its topic words
    #: Equal for commitments whose features are equal where they name the same topic words.
    key: tuple[object, ...] = ()

    def role(self, eid: str) -> str:
        return self.of_entity.get(eid, "<other>")


def family(c: Commitment) -> str:
    """The kind a commitment's kind descends from (``extends``/``like`` keep its root)."""
    return c.vocabulary.like if c.vocabulary is not None else c.kind


def roles_for(commitments: Sequence[Commitment]) -> dict[str, Roles]:
    """Per commitment id, its roles (the others' parties are third parties to it)."""
    named = {e for c in commitments for e in (*c.parties, *c.subjects)}
    out: dict[str, Roles] = {}
    for c in commitments:
        of: dict[str, str] = dict.fromkeys(named, "<third>")
        for e in c.parties[1:]:
            of[e] = "<counter>"
        for e in c.subjects:
            of[e] = "<topic>"
        if c.parties:
            of[c.parties[0]] = "<bound>"
        kind = c.vocabulary if c.vocabulary is not None else SHIPPED.kinds.get(c.kind)
        words = [*c.topics, *(kind.topics if kind is not None else ())]
        topic = {lemma(w) for p in words for w, _ in phrase_words(p) if len(w) > 2}
        key = (family(c), tuple(sorted(of.items())))
        out[c.id] = Roles(family(c), of, frozenset(topic), key)
    return out


# -- text -------------------------------------------------------------------------------------


def _canonical_forms() -> dict[str, str]:
    return {w: group[0] for w, group in SHIPPED.forms.items() if group}


_IRREGULAR = _canonical_forms()


def lemma(word: str) -> str:
    """A crude, consistent base form ("refused", "refusing", "refuses" -> "refus")."""
    w = _IRREGULAR.get(word, word)
    n = len(w)
    if n > 4 and w.endswith("ies"):
        return w[:-3] + "y"
    if n > 4 and w.endswith("ied"):
        return w[:-3] + "y"
    if n > 5 and w.endswith("ing"):
        w = w[:-3]
    elif n > 4 and w.endswith("ed"):
        w = w[:-2]
    elif n > 4 and w.endswith("es") and w[-3] in "sxzh":
        w = w[:-2]
    elif n > 3 and w.endswith("s") and not w.endswith("ss"):
        w = w[:-1]
    if len(w) > 3 and w.endswith("e"):
        w = w[:-1]
    return w


def _lemma_of(tok: str) -> str | None:
    if not tok[:1].isalnum():
        return "|" if tok in {",", ";", ":"} else None
    if _NUMBER.match(tok):
        return "<num>"
    if tok in _MONTHS:
        return "<month>"
    if tok in _DAYS:
        return "<day>"
    return lemma(tok)


_SEEN: dict[str, str | None] = {}


def lemmas(tokens: Sequence[str]) -> list[str | None]:
    """Per token: its lemma or placeholder, "|" for a clause break, None for punctuation."""
    if len(_SEEN) > 200_000:
        _SEEN.clear()
    out = []
    for t in tokens:
        try:
            out.append(_SEEN[t])
        except KeyError:
            out.append(_SEEN.setdefault(t, _lemma_of(t)))
    return out


def abstract(
    tokens: Sequence[str],
    entities: Mapping[str, Sequence[_Span]],
    roles: Roles,
    lems: Sequence[str | None] | None = None,
) -> list[str]:
    """The sentence's tokens with entities as roles, topic words as ``<topic>``, numbers,
    months and weekdays as placeholders, the rest lemmatised (punctuation dropped).
    ``lems``: ``lemmas(tokens)``, when already known."""
    if lems is None:
        lems = lemmas(tokens)
    slots: dict[int, tuple[int, str]] = {}
    for eid, mentions in entities.items():
        r = roles.role(eid)
        for m in mentions:  # the longest mention at a token wins (ties: by role name)
            old = slots.get(m.start)
            if old is None or (m.end, r) > old:
                slots[m.start] = (m.end, r)
    topic = roles.topic
    out: list[str] = []
    i, n = 0, len(tokens)
    while i < n:
        span = slots.get(i)
        if span is not None and span[0] > i:
            if not out or out[-1] != span[1]:
                out.append(span[1])
            i = span[0]
            continue
        lem = lems[i]
        i += 1
        if lem is not None:
            out.append("<topic>" if lem in topic else lem)
    return out


def _grams(words: Sequence[str]) -> set[str]:
    grams = {w for w in words if w != "|"}
    grams.update(f"{a}_{b}" for a, b in itertools.pairwise(words) if "|" not in (a, b))
    return grams


# -- features ---------------------------------------------------------------------------------


def _reason_cue(reason: str) -> str:
    head = reason.split(":", 1)[0].split("(", 1)[0]
    return "_".join(head.lower().split()[:3])


class _Read:
    """One sentence as the model reads it: tokens, entity mentions, lemmas (role-free)."""

    __slots__ = ("entities", "lems", "tokens", "words")

    def __init__(self, tokens: list[str], entities: Mapping[str, Sequence[_Span]]) -> None:
        self.tokens = tokens
        self.entities = entities
        self.lems = lemmas(tokens)
        self.words = frozenset(w for w in self.lems if w is not None)


class Reading:
    """The sentences of one article, each read once however many commitments ask."""

    def __init__(self, sentences: Sequence[Analysed], title: bool) -> None:
        self._by_text = {s.text: s for s in sentences}
        self._read: dict[str, _Read] = {}
        self.title = sentences[0].text if title and sentences else None

    def get(self, sentence: str) -> _Read:
        r = self._read.get(sentence)
        if r is None:
            s = self._by_text.get(sentence)
            r = _Read(s.tokens, s.entities) if s is not None else _Read(tokenize(sentence), {})
            self._read[sentence] = r
        return r

    def of(self, v: Verdict) -> list[_Read]:
        """The sentences the features of ``v`` read: its best findings', then the title."""
        out = [self.get(f.sentence) for f in _best(v)]
        if self.title is not None:
            out.append(self.get(self.title))
        return out


def _best(v: Verdict) -> list[SentenceFinding]:
    return sorted(v.findings, key=lambda f: -f.score)[:MAX_FINDINGS]


def feature_names(
    v: Verdict,
    roles: Roles,
    sentences: Sequence[Analysed],
    title: bool = True,
    reading: Reading | None = None,
) -> list[str]:
    """The features of one verdict (``sentences``: what the engine analysed, title first when
    ``title``; ``reading``: the same sentences already read, shared between commitments)."""
    if reading is None:
        reading = Reading(sentences, title)
    fam = roles.family
    names = [
        f"e:{v.label.value}",
        f"e:{v.label.value}:{fam}",
        f"es:{v.label.value}:{int(v.score * 5)}",
    ]
    for name, x in zip(old_weights.FEATURES, old_weights.features(v), strict=True):
        if x and name != "bias":
            names.append(f"w:{name}")
    words: set[str] = set()
    for f in _best(v):
        tag = f"{f.label.value}:{'c' if f.counted else 'u'}"
        names.append(f"f:{tag}")
        names.extend(f"r:{tag}:{_reason_cue(r)}" for r in f.reasons)
        r = reading.get(f.sentence)
        for g in _grams(abstract(r.tokens, r.entities, roles, r.lems)):
            words.add(g)
            words.add(f"{f.label.value}>{g}")
    if reading.title is not None:
        r = reading.get(reading.title)
        words.update(f"t>{g}" for g in _grams(abstract(r.tokens, r.entities, roles, r.lems)))
    names.extend(words)
    names.extend([f"{fam}|{w}" for w in words])
    names.append("bias")
    return names


def hashed(names: Iterable[str], bits: int) -> list[int]:
    """Distinct bucket numbers of the feature names."""
    mask = (1 << bits) - 1
    crc = zlib.crc32
    return sorted({crc(n.encode()) & mask for n in names})


# -- the model --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Model:
    """Hashed multinomial logistic regression plus the margins that let it overrule."""

    bits: int
    weights: Mapping[int, tuple[float, ...]]  # bucket -> one weight per label of LABELS
    #: The probability margin over the engine's label the model needs to choose a label.
    margins: Mapping[Label, float]
    groups: tuple[str, ...] = ()  # what it was fitted on (watchlist paths or names)

    def probabilities(self, buckets: Iterable[int]) -> list[float]:
        z0 = z1 = z2 = z3 = 0.0
        get = self.weights.get
        for b in buckets:
            w = get(b)
            if w is not None:
                z0 += w[0]
                z1 += w[1]
                z2 += w[2]
                z3 += w[3]
        top = max(z0, z1, z2, z3)
        e = [math.exp(z0 - top), math.exp(z1 - top), math.exp(z2 - top), math.exp(z3 - top)]
        total = sum(e)
        return [x / total for x in e]

    def may_change(self, v: Verdict) -> bool:
        """Whether any label the model may choose could replace the engine's."""
        for label, m in self.margins.items():
            if m == math.inf or label is v.label:
                continue
            if label in (Label.BREACH, Label.MET) and not any(f.label is label for f in v.findings):
                continue
            return True
        return False

    def decide(self, v: Verdict, probs: Sequence[float]) -> Verdict:
        """The verdict with the label the model chooses, if it is sure enough."""
        engine = LABELS.index(v.label)
        best = max(range(len(LABELS)), key=lambda k: probs[k])
        label = LABELS[best]
        if best == engine or probs[best] - probs[engine] < self.margins.get(label, math.inf):
            return v
        if label in (Label.BREACH, Label.MET):
            found = [f for f in v.findings if f.label is label]
            if not found:
                return v  # it may only raise a label the engine has a sentence for
            f = max(found, key=lambda f: f.score)
            return replace(
                v, label=label, score=max(probs[best], 0.5), quote=f.sentence, signals=f.signals
            )
        if label is Label.RELATED:
            quote = v.quote or max(v.findings, key=lambda f: f.score).sentence
            return replace(v, label=label, score=min(v.score, 0.49), quote=quote, signals=())
        return replace(v, label=label, score=0.0, quote=None, signals=())

    def bind(self, commitments: Sequence[Commitment]) -> BoundModel:
        return BoundModel(self, roles_for(commitments))

    def to_json(self) -> dict[str, object]:
        return {
            "format": FORMAT,
            "bits": self.bits,
            "labels": [label.value for label in LABELS],
            "margins": {k.value: (None if math.isinf(m) else m) for k, m in self.margins.items()},
            "groups": list(self.groups),
            "weights": {str(b): [round(x, 4) for x in w] for b, w in sorted(self.weights.items())},
        }


@dataclass(frozen=True)
class BoundModel:
    """A model bound to one watchlist's commitments (``Matcher`` holds one)."""

    model: Model
    roles: Mapping[str, Roles]

    def apply(
        self, verdicts: Sequence[Verdict], sentences: Sequence[Analysed], title: bool
    ) -> list[Verdict]:
        """The verdicts relabelled; only those with findings the model could relabel are
        read, and commitments that read alike share one computation."""
        model = self.model
        reading: Reading | None = None
        memo: dict[tuple[object, ...], list[float]] = {}
        out = []
        for v in verdicts:
            roles = self.roles.get(v.commitment_id)
            if roles is None or not v.findings or v.language is not None:
                out.append(v)
                continue
            if not model.may_change(v):
                out.append(v)
                continue
            if reading is None:
                reading = Reading(sentences, title)
            seen = frozenset().union(*(r.words for r in reading.of(v)))
            key = (v.label, v.score, v.findings, roles.key, roles.topic & seen)
            probs = memo.get(key)
            if probs is None:
                names = feature_names(v, roles, sentences, title, reading)
                probs = memo[key] = model.probabilities(hashed(names, model.bits))
            out.append(model.decide(v, probs))
        return out


def from_json(doc: object, where: str = "model") -> Model:
    """A model from its JSON document; a clear ``ModelError`` for anything else."""
    try:
        if not isinstance(doc, dict) or doc.get("format") != FORMAT:
            raise ModelError(f"{where}: not a model written by `monitor train` ({FORMAT})")
        if doc.get("labels") != [label.value for label in LABELS]:
            raise ModelError(f"{where}: fitted on other labels; run `monitor train` again")
        bits = int(doc["bits"])
        weights = {int(b): tuple(float(x) for x in w) for b, w in doc["weights"].items()}
        if any(len(w) != len(LABELS) or not 0 <= b < (1 << bits) for b, w in weights.items()):
            raise ModelError(f"{where}: a weight row does not fit the model's shape")
        margins = {
            Label(k): (math.inf if m is None else float(m)) for k, m in doc["margins"].items()
        }
        groups = tuple(str(g) for g in doc.get("groups", ()))
    except ModelError:
        raise
    except (KeyError, TypeError, ValueError, AttributeError) as e:
        raise ModelError(f"{where}: corrupt model file ({type(e).__name__}: {e})") from None
    return Model(bits, weights, margins, groups)


def load(path: str | Path) -> Model:
    """The model in a JSON file written by ``monitor train --out``."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except OSError as e:
        raise ModelError(f"{p}: cannot read the model file ({e.strerror or e})") from None
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as e:
        raise ModelError(f"{p}: corrupt model file (not JSON: {e})") from None
    return from_json(doc, str(p))
