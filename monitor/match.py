"""Judge an article against commitments, sentence by sentence.  Pure.

A sentence is evidence for a commitment when it is *about* it (its parties,
places or topic, by a rule per ``Kind``) and carries a breach or met signal
(the watchlist's own phrases plus the shared vocabulary of ``monitor.vocab``).
Guards stop a signal from counting (negation, denial, conditionals, intent or
threats, other conflicts, dates before the commitment, recaps of the pledge) or
lower its score (hedges, background narrative, generic accusations).  The
article's verdict is its best counted sentence; every sentence that fired a
signal is kept as a ``SentenceFinding`` with the reasons, for ``explain``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from monitor import vocab
from monitor.models import Commitment, Entity, Kind, Label, SentenceFinding, Verdict
from monitor.text import (
    PUNCTUATION,
    DateRef,
    PhraseHit,
    PhraseIndex,
    article_sentences,
    find_dates,
    tokenize,
)

#: A sentence counts as evidence at or above this score.
COUNT_SCORE = 0.5
#: Score of a watchlist signal, and of a shared-vocabulary signal.
OWN_SIGNAL = 0.8
VOCAB_SIGNAL = 0.7
#: Met evidence for an ongoing commitment needs this long since it took effect.
MET_GRACE = timedelta(days=2)
#: Hostilities reported this soon after a ceasefire need an explicit link to it.
BREACH_GRACE = timedelta(days=1)

# Token windows before a signal (same clause) in which a cue applies.
NEGATION_WINDOW = 5
MODAL_WINDOW = 3
IRREALIS_WINDOW = 8
BACKGROUND_WINDOW = 5
FAIL_WINDOW = 10

_GUARDS: dict[str, tuple[str, ...]] = {
    "neg": vocab.NEGATION,
    "deny": vocab.DENIAL,
    "counter": vocab.COUNTER_DENIAL,
    "hedge": vocab.HEDGE,
    "cond": vocab.CONDITIONAL,
    "modal": vocab.MODAL,
    "irrealis": vocab.IRREALIS,
    "bg": vocab.BACKGROUND,
    "generic": vocab.GENERIC,
    "specific": vocab.SPECIFIC,
    "mil": vocab.MILITANT,
    "link": vocab.CEASEFIRE_LINK,
    "gov": vocab.GOVERNMENT,
    "clause": vocab.CLAUSE_WORDS,
    "threat": vocab.THREAT,
    "bgall": vocab.BACKGROUND_ANYWHERE,
    "fail": vocab.CEASEFIRE_FAIL,
    "mask": vocab.MASK,
}
_G = {name: f"G:{name}" for name in _GUARDS}


_DIGIT = re.compile(r"\d")
_DATE_WORDS = frozenset(
    """january february march april may june july august september october november december
    jan feb mar apr jun jul aug sep sept oct nov dec monday tuesday wednesday thursday friday
    saturday sunday last past yesterday""".split()
)


@dataclass(frozen=True)
class _Rule:
    """One commitment, compiled."""

    commitment: Commitment
    topic: str
    breach: tuple[str, str]
    met: tuple[str, str]
    weak: str
    exclude: str
    statement_grams: frozenset[tuple[str, ...]]
    names: tuple[str, ...]  # parties and subjects


@dataclass
class _Sentence:
    text: str
    tokens: list[str]
    hits: dict[str, list[PhraseHit]]
    entities: dict[str, list[PhraseHit]]  # longest-match entity mentions
    dates: list[DateRef] | None = None  # filled on first use
    grams: frozenset[tuple[str, ...]] | None = None
    _clauses: list[int] | None = None

    @property
    def clause_start(self) -> list[int]:
        """Per token: the index of the first token of its clause."""
        if self._clauses is None:
            starts: list[int] = []
            start = 0
            words = {h.start for h in self.hits.get(_G["clause"], ())}
            for i, tok in enumerate(self.tokens):
                if tok in PUNCTUATION:
                    start = i + 1
                elif i in words:
                    start = i
                starts.append(start)
            self._clauses = starts
        return self._clauses


@dataclass
class _Article:
    published_at: datetime | None
    entities: set[str] = field(default_factory=set)
    keys: dict[str, int] = field(default_factory=dict)


def _grams(tokens: Sequence[str], n: int = 4) -> frozenset[tuple[str, ...]]:
    words = [t for t in tokens if t[:1].isalnum()]
    return frozenset(tuple(words[i : i + n]) for i in range(len(words) - n + 1))


class Matcher:
    """Commitments and entities compiled once; ``judge`` is then cheap and pure."""

    def __init__(
        self, commitments: Sequence[Commitment], entities: Mapping[str, Entity]
    ) -> None:
        merged: dict[str, set[str]] = {}
        for source in (vocab.DEFAULT_ENTITIES, entities):
            for eid, ent in source.items():
                merged.setdefault(eid, set()).update(ent.aliases)
        entries: list[tuple[str, str]] = []
        for eid, aliases in merged.items():
            entries.extend((a, f"E:{eid}") for a in aliases)
        for name, phrases in _GUARDS.items():
            entries.extend((p, _G[name]) for p in phrases)
        for kind in Kind:
            entries.extend((p, f"K:{kind}:T") for p in vocab.KIND_TOPICS.get(kind, ()))
            entries.extend((p, f"K:{kind}:B") for p in vocab.KIND_BREACH.get(kind, ()))
            entries.extend((p, f"K:{kind}:M") for p in vocab.KIND_MET.get(kind, ()))
            entries.extend((p, f"K:{kind}:W") for p in vocab.KIND_WEAK.get(kind, ()))
        rules: list[_Rule] = []
        for c in commitments:
            pre = f"C:{c.id}:"
            entries.extend((p, pre + "T") for p in c.topics)
            entries.extend((p, pre + "B") for p in c.breach_signals)
            entries.extend((p, pre + "M") for p in c.met_signals)
            entries.extend((p, pre + "X") for p in c.exclude)
            rules.append(
                _Rule(
                    commitment=c,
                    topic=pre + "T",
                    breach=(pre + "B", f"K:{c.kind}:B"),
                    met=(pre + "M", f"K:{c.kind}:M"),
                    weak=f"K:{c.kind}:W",
                    exclude=pre + "X",
                    statement_grams=_grams(tokenize(c.statement)),
                    names=(*c.parties, *c.subjects),
                )
            )
        self._index = PhraseIndex(entries)
        self._rules = tuple(rules)

    # -- public -------------------------------------------------------------------------------

    def judge(self, title: str, text: str, published_at: datetime | None) -> list[Verdict]:
        """One ``Verdict`` per commitment, in the order the commitments were given."""
        sentences = [self._analyse(s) for s in article_sentences(title, text)]
        art = _Article(published_at)
        for s in sentences:
            art.entities.update(s.entities)
            for key, hits in s.hits.items():
                art.keys[key] = art.keys.get(key, 0) + len(hits)
        return [self._verdict(rule, sentences, art) for rule in self._rules]

    # -- sentences ----------------------------------------------------------------------------

    def _analyse(self, text: str) -> _Sentence:
        tokens = tokenize(text)
        hits: dict[str, list[PhraseHit]] = {}
        ent_hits: list[tuple[str, PhraseHit]] = []
        for hit in self._index.find(tokens):
            for key in hit.keys:
                hits.setdefault(key, []).append(hit)
                if key.startswith("E:"):
                    ent_hits.append((key[2:], hit))
        entities: dict[str, list[PhraseHit]] = {}
        for eid, hit in ent_hits:
            inside = any(
                other_id != eid
                and o.start <= hit.start
                and hit.end <= o.end
                and o.end - o.start > hit.end - hit.start
                for other_id, o in ent_hits
            )
            if not inside:
                entities.setdefault(eid, []).append(hit)
        return _Sentence(text, tokens, hits, entities)

    # -- aboutness ----------------------------------------------------------------------------

    @staticmethod
    def _about(rule: _Rule, ents: set[str] | dict[str, list[PhraseHit]], topic: bool,
               mil: bool, gov: bool) -> bool:
        c = rule.commitment
        parties = c.parties
        n = sum(1 for p in parties if p in ents)
        subj = any(s in ents for s in c.subjects)
        kind = c.kind
        if kind is Kind.CEASEFIRE:
            return n >= 2 or (n >= 1 and (subj or topic))
        if kind is Kind.TALKS:
            return topic and (n >= 1 or subj)
        if kind is Kind.NO_TALKS:
            group = parties[-1] in ents if parties else False
            return group and topic and (n >= 2 or gov)
        if kind is Kind.NO_SANCTUARY:
            land = (parties[0] in ents or subj) if parties else subj
            group = (parties[-1] in ents if len(parties) > 1 else False) or mil
            return land and group
        if kind is Kind.INFORM:
            actor = parties[0] in ents if parties else False
            told = any(p in ents for p in parties[1:])
            return actor and (told or topic)
        return n >= 1 or topic

    @staticmethod
    def _hook(rule: _Rule, s: _Sentence, topic: bool, mil: bool) -> bool:
        """Whether a sentence names enough to borrow the article's context."""
        c = rule.commitment
        kind = c.kind
        named = any(p in s.entities for p in c.parties) or any(x in s.entities for x in c.subjects)
        if kind is Kind.TALKS:
            return topic
        if kind is Kind.NO_TALKS:
            return topic and bool(c.parties) and c.parties[-1] in s.entities
        if kind is Kind.NO_SANCTUARY:
            return named or topic or mil
        return named or topic

    # -- judging ------------------------------------------------------------------------------

    def _verdict(self, rule: _Rule, sentences: list[_Sentence], art: _Article) -> Verdict:
        c = rule.commitment
        art_topic = art.keys.get(rule.topic, 0) + art.keys.get(f"K:{c.kind}:T", 0) > 0
        art_about = self._about(
            rule, art.entities, art_topic, art.keys.get(_G["mil"], 0) > 0,
            art.keys.get(_G["gov"], 0) > 0,
        )
        excluded = art.keys.get(rule.exclude, 0)
        if excluded and excluded >= sum(
            len(s.entities.get(n, ())) for s in sentences for n in rule.names
        ):
            return Verdict(c.id, Label.NONE, 0.0, None)
        findings: list[SentenceFinding] = []
        best: SentenceFinding | None = None
        related: str | None = None
        kind_topic = f"K:{c.kind}:T"
        for s in sentences:
            topic = rule.topic in s.hits or kind_topic in s.hits
            if not topic and _G["mil"] not in s.hits and not any(
                n in s.entities for n in rule.names
            ):
                continue
            mil = _G["mil"] in s.hits or (
                c.kind is Kind.NO_SANCTUARY and len(c.parties) > 1 and c.parties[-1] in s.entities
            )
            strong = self._about(rule, s.entities, topic, mil, _G["gov"] in s.hits)
            weak = not strong and art_about and self._hook(rule, s, topic, mil)
            if not (strong or weak):
                continue
            if related is None:
                related = s.text
            for label, keys in ((Label.BREACH, rule.breach), (Label.MET, rule.met)):
                sig = [h for k in keys for h in s.hits.get(k, ())]
                if label is Label.BREACH and c.kind is Kind.CEASEFIRE and rule.topic in s.hits:
                    sig.extend(self._ceasefire_failures(rule, s))
                masks = s.hits.get(_G["mask"])
                if masks:
                    sig = [h for h in sig
                           if not any(m.start < h.end and h.start < m.end for m in masks)]
                if not sig:
                    continue
                finding = self._weigh(rule, s, art, label, sig, strong)
                findings.append(finding)
                if finding.counted and (
                    best is None
                    or finding.score > best.score
                    or (finding.score == best.score and label is Label.BREACH
                        and best.label is not Label.BREACH)
                ):
                    best = finding
        if best is not None:
            return Verdict(c.id, best.label, best.score, best.sentence, best.signals,
                           tuple(findings))
        if related is not None:
            score = max((f.score for f in findings), default=0.0)
            return Verdict(c.id, Label.RELATED, min(score, COUNT_SCORE - 0.01), related, (),
                           tuple(findings))
        return Verdict(c.id, Label.NONE, 0.0, None, (), tuple(findings))

    @staticmethod
    def _ceasefire_failures(rule: _Rule, s: _Sentence) -> list[PhraseHit]:
        """Collapse words whose subject is the ceasefire ("the truce ... crumbled")."""
        out = []
        talks = [h.start for h in s.hits.get(f"K:{Kind.TALKS}:T", ())]
        for fail in s.hits.get(_G["fail"], ()):
            subject = [
                t.end for t in s.hits.get(rule.topic, ())
                if t.end <= fail.start and fail.start - t.end <= FAIL_WINDOW
            ]
            if subject and not any(max(subject) <= x < fail.start for x in talks):
                out.append(fail)
        return out

    def _weigh(
        self,
        rule: _Rule,
        s: _Sentence,
        art: _Article,
        label: Label,
        sig: list[PhraseHit],
        strong: bool,
    ) -> SentenceFinding:
        c = rule.commitment
        blocks: list[str] = []
        notes: list[str] = []
        # Per-signal guards: a signal survives when no cue governs it.
        live: list[PhraseHit] = []
        first_block: str | None = None
        for hit in sig:
            why = self._governed(s, hit, label)
            if why is None:
                live.append(hit)
            elif first_block is None:
                first_block = why
        signals = tuple(dict.fromkeys(h.phrase for h in (live or sig)))
        if not live:
            blocks.append(first_block or "guarded")
        weak_hits = [h for h in s.hits.get(rule.weak, ())]
        strong_live = [
            h for h in live
            if rule.weak not in h.keys
            and not any(h.start < w.start < h.end < w.end for w in weak_hits)
        ]
        if live and not strong_live:
            weak_only = dict.fromkeys(h.phrase for h in live)
            blocks.append("weak signal only: " + ", ".join(repr(p) for p in weak_only))
        own = any(k in h.keys for h in live for k in (rule.breach[0], rule.met[0]))
        score = OWN_SIGNAL if own else VOCAB_SIGNAL
        factor = 1.0
        distinct = len({h.phrase for h in live})
        score += 0.05 * min(max(distinct - 1, 0), 2)
        score += 0.1 if strong else -0.1
        if not strong:
            notes.append("about it only through the article's context")
        first = min((h.start for h in live), default=sig[0].start)
        # Sentence-level guards.
        published = art.published_at
        if c.effective_at is not None and published is not None:
            if published < c.effective_at:
                blocks.append("published before the commitment took effect")
            elif label is Label.MET and c.ongoing and published < c.effective_at + MET_GRACE:
                blocks.append("too soon after the commitment took effect (its announcement)")
            elif (label is Label.BREACH and c.kind is Kind.CEASEFIRE
                  and published < c.effective_at + BREACH_GRACE
                  and _G["link"] not in s.hits):
                factor *= 0.7
                notes.append("reported within a day of the ceasefire, with no link to it")
        excl = s.hits.get(rule.exclude, ())
        if c.kind is Kind.NO_SANCTUARY:
            excl = [h for h in excl if s.clause_start[h.start] == s.clause_start[first]]
        if excl:
            blocks.append(f"other conflict: {excl[0].phrase!r}")
        deny = [h for h in s.hits.get(_G["deny"], ()) if h.start < first]
        if deny and _G["counter"] not in s.hits:
            blocks.append(f"denied: {s.tokens[deny[0].start]!r}")
        if s.grams is None:
            s.grams = _grams(s.tokens)
        if rule.statement_grams and s.grams & rule.statement_grams:
            blocks.append("recap of the original statement")
        if published is not None and c.effective_at is not None:
            if s.dates is None:
                s.dates = (
                    [d for d in find_dates(s.text, published) if not d.since]
                    if _DATE_WORDS.intersection(s.tokens) or _DIGIT.search(s.text)
                    else []
                )
            dates = s.dates
            eff = c.effective_at.date()
            if dates and all(d.last < eff for d in dates):
                blocks.append(f"about events before {eff.isoformat()}: {dates[0].text!r}")
        linked = _G["link"] in s.hits or any(_G["fail"] in h.keys for h in live)
        if label is Label.BREACH and c.kind is Kind.CEASEFIRE and _G["mil"] in s.hits:
            if not linked and sum(1 for p in c.parties if p in s.entities) < 2:
                blocks.append("militant attack, not a clash between the parties")
        if label is Label.BREACH and c.kind is Kind.NO_TALKS:
            if not (len(c.parties) > 1 and c.parties[-1] in s.entities):
                blocks.append("the group is not named in the sentence")
        if label is Label.MET and c.kind in (Kind.INFORM, Kind.NO_SANCTUARY) and c.parties:
            if not any(h.start < first for h in s.entities.get(c.parties[0], ())):
                blocks.append(f"{c.parties[0]} is not named as the one acting")
        hedge = s.hits.get(_G["hedge"])
        if hedge:
            factor *= 0.85
            notes.append(f"hedged: {hedge[0].phrase!r}")
        bg = list(s.hits.get(_G["bgall"], ()))
        near = [self._cue_before(s, hit, "bg", BACKGROUND_WINDOW) for hit in live]
        if near and all(near):
            bg.append(next(h for h in near if h is not None))
        if label is Label.BREACH and bg:
            factor *= 0.45
            notes.append(f"background: {bg[0].phrase!r}")
        if label is Label.BREACH and c.kind in (Kind.NO_SANCTUARY, Kind.CEASEFIRE):
            generic = s.hits.get(_G["generic"])
            if generic:
                factor *= 0.5
                notes.append(f"generic: {generic[0].phrase!r}")
            if _G["specific"] in s.hits:
                score += 0.1
        if linked and label is Label.BREACH and c.kind is Kind.CEASEFIRE:
            score += 0.1
        score = round(max(0.0, min(1.0, score)) * factor, 3)
        counted = not blocks and score >= COUNT_SCORE
        if not blocks and not counted:
            blocks.append(f"score {score:.2f} below {COUNT_SCORE:.2f}")
        reasons = tuple(blocks + notes)
        return SentenceFinding(s.text, label, score, signals, counted, reasons)

    @staticmethod
    def _cue_before(
        s: _Sentence, hit: PhraseHit, name: str, window: int | None
    ) -> PhraseHit | None:
        """A cue of guard ``name`` in the signal's clause, ending before it (within ``window``)."""
        clause = s.clause_start[hit.start]
        for cue in s.hits.get(_G[name], ()):
            if (
                cue.end <= hit.start
                and cue.start >= clause
                and (window is None or hit.start - cue.end <= window)
            ):
                return cue
        return None

    def _governed(self, s: _Sentence, hit: PhraseHit, label: Label) -> str | None:
        """The cue (negation, condition, modal, intent, threat) that governs one signal."""
        neg = self._cue_before(s, hit, "neg", NEGATION_WINDOW)
        if neg is not None and s.tokens[neg.end : neg.end + 1] != ["only"]:
            return f"negated: {neg.phrase!r}"
        after = s.tokens[hit.end : hit.end + 3]
        if ("not" in after or "never" in after) and all(t not in PUNCTUATION for t in after):
            return "negated: 'not'"
        clause = s.clause_start[hit.start]
        for cue in s.hits.get(_G["cond"], ()):
            if s.clause_start[cue.start] != clause:
                continue
            if cue.phrase == "any" and not (cue.end <= hit.start <= cue.end + 1):
                continue
            return f"conditional: {cue.phrase!r}"
        modal = self._cue_before(s, hit, "modal", MODAL_WINDOW)
        if modal is not None:
            return f"not a fact (modal): {modal.phrase!r}"
        intent = self._cue_before(s, hit, "irrealis", IRREALIS_WINDOW)
        if intent is not None:
            return f"intent, demand or hope: {intent.phrase!r}"
        for cue in s.hits.get(_G["threat"], ()):
            if cue.end <= hit.start:
                return f"threat or pledge: {cue.phrase!r}"
        return None
