"""Why the judge missed what a labelled corpus reports, and which phrases would catch it.

Behind ``monitor replay --misses``.  Pure: it judges with the judge itself (``Matcher``),
never with a second set of rules.  For each article labelled breach or met for a commitment
that the judge, reading the article on its own as ``monitor eval`` does, did not call so:

- the cause, in the judge's terms: no signal of that label matched; nothing in the article
  is about the commitment for its kind; a signal matched but did not count (the judge's own
  reasons: negated, denied, hedged, background, before ``effective`` ...); or it counted but
  the article reads as the other label;
- the sentences most likely to carry the report: the judge's findings where it has some,
  else the sentences naming the commitment's parties, subjects or topic words;
- when no signal matched: phrases from those sentences, in the watchlist's signal syntax,
  each tried by judging again with it added as a signal: kept only if the article then
  counts, with how many other labelled reports it would catch and how many items labelled
  otherwise it would turn into false reports.

Trying a phrase is a judgement of the articles that contain it (or one of its forms; an
article without any of them is judged exactly as before), so phrases that never share an
article are tried together, in one matcher.

Alerts a replay got wrong are explained from the same judgements: the sentence that
counted, its signals (the watchlist's own or the kind's) and the judge's notes.
"""

from __future__ import annotations

import calendar
import re
import textwrap
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime

from monitor.evaluate import SCORED, CorpusItem
from monitor.judge import Matcher
from monitor.judge.data import SHIPPED, KindData
from monitor.judge.engine import signal_forms, with_synonyms
from monitor.judge.inflect import bare_forms
from monitor.judge.text import PhraseIndex, article_sentences, phrase_words, tokenize
from monitor.models import Commitment, Entity, Label, SentenceFinding, Verdict

#: Why a labelled report was missed.
NOT_READ = "not read"
NOT_ABOUT = "nothing about it"
NO_SIGNAL = "no signal matched"
NOT_COUNTED = "matched but not counted"
OUTRANKED = "read as the other label"

#: Candidate phrases are at most this many words long.
MAX_WORDS = 4
#: Sentences of a missed article from which phrases are drawn.
SENTENCES = 3
#: Phrases tried together on one missed article (the first pass), at most.
MAX_CANDIDATES = 160
#: Phrases that made it count in the first pass, tried alone, at most (per missed article).
MAX_TRIALS = 10
#: Phrases shown per missed article, and per commitment in its summary.
SHOWN = 3

_WORDS = frozenset(
    """a an the and or but nor so yet of to in on at by for from with without into onto over
    under about after before since during between among against across through within along
    toward towards upon as than that this these those it its they them their there here he
    him his she her we our us you your i me my who whom whose which what when where why how
    is are was were be been being am has have had having do does did will would shall should
    can could may might must also just only very more most such some any all each every other
    another both either own same too s t ll ve re d according one two three four five six
    seven eight nine ten eleven twelve hundred hundreds thousand thousands dozen dozens several
    many few much first second third last next no not never""".split()
)
#: Words of letters, as written (capitals kept).
_LETTERS = re.compile(r"[^\W\d_]+")
#: Words that only report or date what is said: never the event itself.
_NOT_EVENTS = (
    frozenset(SHIPPED.cue("speech_verbs"))
    | frozenset(p for p in SHIPPED.cue("reporting") if " " not in p)
    | frozenset(m.lower() for m in (*calendar.month_name, *calendar.day_name) if m)
    | frozenset(p for p in SHIPPED.cue("government") if " " not in p)
    | frozenset(
        """mr mrs ms dr today yesterday tomorrow week month media press reporters news agency
        statement spokesman spokeswoman spokesperson""".split()
    )
)
#: Words a signal may start with although they are not content words ("not withdrawn").
_NEGATIONS = frozenset({"no", "not", "never"})
#: A met signal the judge read as "what was due did not happen" (``negated_met_is_breach``):
#: the finding becomes a breach whose first reason says so.
_NOT_DONE = "what was due did not happen"

#: What a sentence must name to be about a commitment, per ``behaviour.about`` (README,
#: "Behaviour keys").
_ABOUT = {
    "any": "a party or a topic word",
    "parties": "two parties, or a party or subject with a topic word",
    "topic": "a topic word and a party or subject",
    "talks-with-group": "the last party, a topic word, and another party or a government word",
    "group-on-territory": "the first party or a subject, and the last party or a militant word",
    "first-party": "the first party, and another party or a topic word",
}


@dataclass(frozen=True)
class Suggestion:
    """A phrase to add as a signal, tried by judging the corpus again with it."""

    commitment_id: str
    label: Label
    phrase: str
    #: Corpus ids it makes judged as labelled (they were not before).
    fixes: tuple[str, ...]
    #: Corpus ids it makes judged wrongly, with their label (false reports it would add).
    costs: tuple[tuple[str, Label], ...]

    @property
    def net(self) -> int:
        return len(self.fixes) - len(self.costs)


@dataclass(frozen=True)
class Miss:
    """One article labelled breach or met for a commitment that the judge did not call so."""

    item_id: str
    title: str
    published_at: datetime | None
    commitment_id: str
    wanted: Label
    judged: Label
    cause: str  # NOT_READ, NOT_ABOUT, NO_SIGNAL, NOT_COUNTED or OUTRANKED
    reasons: tuple[str, ...]  # the judge's own words where it has them
    sentences: tuple[str, ...]  # most likely to carry the report, best first
    suggestions: tuple[Suggestion, ...] = ()
    #: Phrases tried (0: none tried); with none kept, what the judge said with them added.
    tried: int = 0
    still: tuple[str, ...] = ()


@dataclass(frozen=True)
class AlertRef:
    """An alert a replay sent that its evidence's labels do not support."""

    at: datetime
    commitment_id: str
    subject: str
    item_ids: tuple[str, ...]


@dataclass(frozen=True)
class AlertEvidence:
    item_id: str
    title: str
    labelled: Label
    judged: Label
    sentence: str | None
    signals: tuple[str, ...]
    own: tuple[str, ...]  # those of ``signals`` that are the watchlist's own phrases
    notes: tuple[str, ...]


@dataclass(frozen=True)
class FalseAlert:
    at: datetime
    commitment_id: str
    subject: str
    evidence: tuple[AlertEvidence, ...]


@dataclass(frozen=True)
class Gaps:
    """One commitment: its missed reports, its false alerts, and the best phrases to add."""

    commitment_id: str
    labelled: Mapping[Label, int]  # reports labelled breach / met
    misses: tuple[Miss, ...] = ()
    false_alerts: tuple[FalseAlert, ...] = ()
    suggestions: tuple[Suggestion, ...] = ()


# --- the analysis ---------------------------------------------------------------------------


@dataclass
class _Corpus:
    """The corpus judged once, with what trying phrases needs."""

    commitments: tuple[Commitment, ...]
    entities: Mapping[str, Entity]
    items: dict[str, CorpusItem]
    verdicts: dict[str, dict[str, Verdict]]
    sentences: dict[str, list[tuple[str, list[str]]]] = field(default_factory=dict)

    def tokens(self, item_id: str) -> list[tuple[str, list[str]]]:
        """The item's sentences (as the judge splits them) with their tokens."""
        found = self.sentences.get(item_id)
        if found is None:
            item = self.items[item_id]
            found = [(s, tokenize(s)) for s in article_sentences(item.title, item.text)]
            self.sentences[item_id] = found
        return found


def find_gaps(
    commitments: Sequence[Commitment],
    entities: Mapping[str, Entity],
    items: Sequence[CorpusItem],
    alerts: Sequence[AlertRef] = (),
    suggest: bool = True,
) -> list[Gaps]:
    """Per commitment (in watchlist order): the labelled reports the judge missed, why, and
    (``suggest``) the phrases that would catch them; and the alerts in ``alerts`` explained."""
    matcher = Matcher(commitments, entities)
    ordered = sorted(items, key=lambda i: (i.published_at is None, i.published_at, i.id))
    corpus = _Corpus(
        tuple(commitments),
        entities,
        {i.id: i for i in ordered},
        {
            i.id: {v.commitment_id: v for v in matcher.judge(i.title, i.text, i.published_at)}
            for i in ordered
        },
    )
    names = {c.id: _Names(c, entities) for c in commitments}
    misses = [
        _miss(corpus, names[c.id], item, c, item.label(c.id))
        for item in ordered
        for c in commitments
        if item.label(c.id) in SCORED and corpus.verdicts[item.id][c.id].label != item.label(c.id)
    ]
    if suggest:
        misses = _suggest(corpus, names, misses)
    out = []
    for c in commitments:
        mine = tuple(m for m in misses if m.commitment_id == c.id)
        labelled = {label: sum(1 for i in ordered if i.label(c.id) is label) for label in SCORED}
        wrong = tuple(_false_alert(corpus, c, a) for a in alerts if a.commitment_id == c.id)
        out.append(Gaps(c.id, labelled, mine, wrong, _best(m.suggestions for m in mine)))
    return out


def _best(groups: Iterable[Sequence[Suggestion]]) -> tuple[Suggestion, ...]:
    """The best distinct suggestions (most reports caught for the fewest false ones)."""
    seen: dict[tuple[Label, str], Suggestion] = {}
    for group in groups:
        for s in group:
            seen.setdefault((s.label, s.phrase), s)
    return tuple(sorted(seen.values(), key=_rank)[:SHOWN])


def _rank(s: Suggestion) -> tuple[int, int, int, int, str]:
    """Most caught for fewest false first; then as ``_shape`` orders phrases."""
    return (-s.net, len(s.costs), *_shape(s.phrase), s.phrase)


class _Names:
    """A commitment's names: its parties, subjects and topic words, and every entity name."""

    def __init__(self, c: Commitment, entities: Mapping[str, Entity]) -> None:
        entries: list[tuple[str, str]] = []
        for eid in c.parties:
            entries.extend((a, f"P:{eid}") for a in _aliases(eid, entities))
        for eid in c.subjects:
            entries.extend((a, f"S:{eid}") for a in _aliases(eid, entities))
        kind = _kind(c)
        entries.extend((t, "T") for t in (*c.topics, *kind.topics))
        for eid in {*SHIPPED.entities, *entities}:
            entries.extend((a, "N") for a in _aliases(eid, entities))
        self.index = PhraseIndex(entries)
        self.commitment = c
        #: Phrases that are signals already (either label, the watchlist's or the kind's), and
        #: the excluded words: never proposed.
        known = (*c.breach_signals, *c.met_signals, *kind.breach, *kind.met, *kind.weak)
        self.known = frozenset(phrase_words(p) for p in known)
        self.excluded = frozenset(w for x in c.exclude for w, _ in phrase_words(x))

    def read(self, tokens: Sequence[str]) -> _Reading:
        """What of the commitment a sentence names, and where its names and topic words are."""
        keys: set[str] = set()
        named: set[int] = set()
        topical: set[int] = set()
        for h in self.index.find(tokens):
            keys.update(k for k in h.keys if k != "N")
            where = named if any(k != "T" for k in h.keys) else topical
            where.update(range(h.start, h.end))
        found = tuple(sorted(k[2:] for k in keys if k != "T"))
        return _Reading(len(found) + ("T" in keys), found, "T" in keys, named, topical)


@dataclass(frozen=True)
class _Reading:
    score: int  # each party and subject named, and a topic word
    names: tuple[str, ...]  # the parties and subjects it names
    topic: bool
    named: set[int]  # positions of entity names (any entity's)
    topical: set[int]  # positions of topic words


def _aliases(eid: str, entities: Mapping[str, Entity]) -> list[str]:
    out: list[str] = []
    for source in (SHIPPED.entities, entities):
        ent = source.get(eid)
        if ent is not None:
            out.extend(ent.aliases)
    return out


def _kind(c: Commitment) -> KindData:
    return c.vocabulary if c.vocabulary is not None else SHIPPED.kinds[c.kind]


def _miss(corpus: _Corpus, names: _Names, item: CorpusItem, c: Commitment, wanted: Label) -> Miss:
    """Why the judge did not call ``item`` ``wanted`` for ``c``, in its own terms."""
    v = corpus.verdicts[item.id][c.id]
    base = Miss(item.id, item.title, item.published_at, c.id, wanted, v.label, "", (), ())
    mine = [f for f in v.findings if _reads_as(f, wanted)]
    counted = [f for f in mine if f.counted]
    if counted:
        why = f"counted as {wanted.value}, but the article reads as {v.label.value}"
        if v.signals:
            why += f" ({', '.join(v.signals)})"
        quotes = (*(f.sentence for f in counted), *((v.quote,) if v.quote else ()))
        return replace(
            base, cause=OUTRANKED, reasons=(why,), sentences=tuple(dict.fromkeys(quotes))
        )
    if mine:
        mine.sort(key=lambda f: -f.score)
        reasons = tuple(dict.fromkeys(r for f in mine for r in f.reasons))
        sentences = tuple(dict.fromkeys(f.sentence for f in mine))
        return replace(base, cause=NOT_COUNTED, reasons=reasons, sentences=sentences)
    # else the headline and the lead, where the article names what it is about
    sentences = _naming(corpus, names, item.id) or tuple(s for s, _ in corpus.tokens(item.id)[:2])
    if v.language is not None:
        why = f"text not judged: language {v.language}"
        return replace(base, cause=NOT_READ, reasons=(why,), sentences=sentences)
    if v.label is Label.NONE and not v.findings:
        return replace(
            base, cause=NOT_ABOUT, reasons=_not_about(corpus, names, item), sentences=sentences
        )
    why = f"no {wanted.value} signal matched"
    others = [f for f in v.findings if f.counted]
    if others:
        why += f"; it reads as {v.label.value} ({', '.join(others[0].signals)})"
    return replace(base, cause=NO_SIGNAL, reasons=(why,), sentences=sentences)


def _reads_as(f: SentenceFinding, wanted: Label) -> bool:
    """Whether a finding weighed a ``wanted`` signal (a met signal the judge turned into
    "what was due did not happen" was a met signal)."""
    if f.label is wanted:
        return True
    return wanted is Label.MET and bool(f.reasons) and f.reasons[0].startswith(_NOT_DONE)


def _naming(corpus: _Corpus, names: _Names, item_id: str) -> tuple[str, ...]:
    """The sentences that name most of the commitment (parties, subjects, a topic word)."""
    return tuple(s for s, _ in _best_sentences(corpus, names, item_id))


def _best_sentences(corpus: _Corpus, names: _Names, item_id: str) -> list[tuple[str, _Reading]]:
    """The sentences naming most of the commitment, best first (at most ``SENTENCES``)."""
    read = [(n, s, names.read(t)) for n, (s, t) in enumerate(corpus.tokens(item_id))]
    best = sorted((x for x in read if x[2].score > 0), key=lambda x: (-x[2].score, x[0]))
    return [(s, r) for _, s, r in best[:SENTENCES]]


def _not_about(corpus: _Corpus, names: _Names, item: CorpusItem) -> tuple[str, ...]:
    c = names.commitment
    tokens = [t for _, ts in corpus.tokens(item.id) for t in ts]
    if c.ended_at is not None and item.published_at is not None and item.published_at >= c.ended_at:
        return (f"published after it was superseded by {c.superseded_by}",)
    if not _naming(corpus, names, item.id):
        return (
            "no sentence names its parties, subjects or topic words (the article's names for "
            "them may be missing from the entities' aliases or the topics)",
        )
    if c.topics_required and not PhraseIndex((t, "t") for t in c.topics).find(tokens):
        return ("topics_required, and the article names none of its topics",)
    found = PhraseIndex((x, "x") for x in c.exclude).find(tokens)
    if found:
        return (f"its exclude words rule the article out: {found[0].phrase!r}",)
    about = _kind(c).behaviour.about
    best = _best_sentences(corpus, names, item.id)[0][1]
    named = ", ".join(best.names) or "no party or subject"
    return (
        f"no sentence is about it as its kind reads it: it needs {_ABOUT.get(about, about)}; "
        f"the closest names {named}" + (" and a topic word" if best.topic else ", no topic word"),
    )


# --- phrases to add ---------------------------------------------------------------------------


def _candidates(corpus: _Corpus, names: _Names, item_id: str) -> list[str]:
    """Phrases from the sentences naming most of the commitment, in the order to try them."""
    proper = _proper_words(corpus, item_id)
    gaps: dict[str, int] = {}
    for sentence, reading in _best_sentences(corpus, names, item_id):
        tokens = tokenize(sentence)
        for start, end in _runs(tokens, reading.named):
            for i in range(start, end):
                for j in range(i + 1, min(i + MAX_WORDS, end) + 1):
                    if not _phrase_ok(tokens, i, j, names, reading.topical, proper):
                        continue
                    gap = min((abs(i - p) for p in reading.named), default=len(tokens))
                    phrase = " ".join(tokens[i:j])
                    gaps[phrase] = min(gaps.get(phrase, gap), gap)
    ordered = sorted(gaps, key=lambda p: (*_shape(p), gaps[p], p))
    return ordered[:MAX_CANDIDATES]


def _shape(phrase: str) -> tuple[int, int]:
    """Phrases with a verb form first ("intercepted", "broke"), then two or three words before
    one, and four last."""
    words = [w for w, _ in phrase_words(phrase)]
    verb = any(
        (w in SHIPPED.forms and w not in _WORDS) or (len(w) > 4 and w.endswith(("ed", "ing")))
        for w in words
    )
    n = len(words)
    return (0 if verb else 1, 0 if 2 <= n <= 3 else 1 if n == 1 else 2)


def _proper_words(corpus: _Corpus, item_id: str) -> set[str]:
    """Words the article's text writes only with a capital, never first in a sentence: names
    (of people, places, units) that no entity lists, never a signal."""
    item = corpus.items[item_id]
    sentences = [s for s, _ in corpus.tokens(item_id)]
    if item.title.strip() and _title_case(sentences[0]):
        sentences = sentences[1:]  # "Navy Intercepts Ships": every word has a capital
    upper: set[str] = set()
    lower: set[str] = set()
    for sentence in sentences:
        for word in _LETTERS.findall(sentence)[1:]:
            (upper if word[0].isupper() else lower).add(word.lower())
    return upper - lower


def _title_case(title: str) -> bool:
    """Whether a headline capitalises its words ("Navy Intercepts Ships"), so that its
    capitals say nothing of names."""
    words = [w for w in _LETTERS.findall(title)[1:] if len(w) > 3]
    return not any(w[0].islower() for w in words)


def _runs(tokens: Sequence[str], named: set[int]) -> list[tuple[int, int]]:
    """Stretches of plain words: no punctuation, number, entity name or the piece of a word
    an apostrophe cuts off ("side's" is "side", "s") inside."""
    runs: list[tuple[int, int]] = []
    start = None
    for i, t in enumerate([*tokens, ","]):
        ok = i < len(tokens) and t.isalpha() and (len(t) > 1 or t == "a") and i not in named
        if ok and start is None:
            start = i
        elif not ok and start is not None:
            runs.append((start, i))
            start = None
    return runs


def _content(word: str) -> bool:
    return len(word) >= 3 and word not in _WORDS and word not in _NOT_EVENTS


def _phrase_ok(
    tokens: Sequence[str], i: int, j: int, names: _Names, topical: set[int], proper: set[str]
) -> bool:
    """A phrase a user could add (tokens ``i``..``j``): it starts (or starts with a negation)
    and ends with a word of content, has one that is not a topic word, names no one
    (``proper``: words written only as names) and no excluded word, and is not a signal
    already."""
    words = tokens[i:j]
    first, last = words[0], words[-1]
    if not (_content(first) or (first in _NEGATIONS and j - i > 1)) or not _content(last):
        return False
    if proper.intersection(words):
        return False
    if not any(_content(tokens[k]) and k not in topical for k in range(i, j)):
        return False
    if names.excluded.intersection(words):
        return False
    return phrase_words(" ".join(words)) not in names.known


def _forms(phrase: str) -> list[str]:
    """Every form under which the judge could find ``phrase`` as a signal (the judge's own
    ``signal_forms``: inflections, object first, synonyms ...), and the bare forms it reads
    after "to": an article without any of them is judged as if it were not there."""
    bare = {b for p in with_synonyms(phrase) for b in bare_forms(p, SHIPPED.forms)}
    return [*signal_forms(phrase), *sorted(bare)]


def _with_signals(
    commitments: Sequence[Commitment], added: Iterable[tuple[str, Label, str]]
) -> list[Commitment]:
    """The commitments with phrases added: (commitment id, label, phrase)."""
    extra: dict[tuple[str, Label], list[str]] = {}
    for cid, label, phrase in added:
        extra.setdefault((cid, label), []).append(phrase)
    out = []
    for c in commitments:
        breach = extra.get((c.id, Label.BREACH), [])
        met = extra.get((c.id, Label.MET), [])
        if breach or met:
            c = replace(
                c,
                breach_signals=(*c.breach_signals, *breach),
                met_signals=(*c.met_signals, *met),
            )
        out.append(c)
    return out


def _suggest(corpus: _Corpus, names: Mapping[str, _Names], misses: list[Miss]) -> list[Miss]:
    """Phrases for the misses no signal matched, each tried alone.  (Where nothing is about
    the commitment, no signal can help: the judge looks for signals only in sentences about
    it.)"""
    wanted: dict[int, list[str]] = {}
    stills: dict[int, tuple[str, ...]] = {}
    tried: dict[int, int] = {}
    for n, m in enumerate(misses):
        if m.cause != NO_SIGNAL:
            continue
        phrases = _candidates(corpus, names[m.commitment_id], m.item_id)
        tried[n] = len(phrases)
        if phrases:
            wanted[n], stills[n] = _screen(corpus, m, phrases)
    trials = {
        (misses[n].commitment_id, misses[n].wanted, p) for n, ps in wanted.items() for p in ps
    }
    found = _try_alone(corpus, sorted(trials, key=str))
    out = []
    for n, m in enumerate(misses):
        order = wanted.get(n, [])
        kept = [
            found[(m.commitment_id, m.wanted, p)]
            for p in order
            if m.item_id in found[(m.commitment_id, m.wanted, p)].fixes
        ]
        if n in tried:  # the most caught for the fewest false, then in the order tried
            kept.sort(key=lambda s: (-s.net, len(s.costs), order.index(s.phrase)))
            still = () if kept else stills.get(n, ())
            m = replace(m, suggestions=tuple(kept[:SHOWN]), tried=tried[n], still=still)
        out.append(m)
    return out


def _screen(corpus: _Corpus, m: Miss, phrases: Sequence[str]) -> tuple[list[str], tuple[str, ...]]:
    """The first pass: every phrase added at once; those among the signals of a sentence that
    then counts, in the order given, one per group of forms (at most ``MAX_TRIALS``); with
    none, the judge's reasons for the sentences that then had a signal."""
    added = _with_signals(corpus.commitments, ((m.commitment_id, m.wanted, p) for p in phrases))
    item = corpus.items[m.item_id]
    matcher = Matcher(added, corpus.entities)
    v = next(
        v
        for v in matcher.judge(item.title, item.text, item.published_at)
        if v.commitment_id == m.commitment_id
    )
    fired = {
        phrase_words(s) for f in v.findings if f.counted and f.label is m.wanted for s in f.signals
    }
    hits: list[str] = []
    covered: set[tuple[tuple[str, bool], ...]] = set()
    for p in phrases:  # in the order to try them; one of the forms of a phrase is enough
        forms = set(map(phrase_words, _forms(p)))
        if fired.intersection(forms) and phrase_words(p) not in covered:
            hits.append(p)
            covered.update(forms)
    still = tuple(
        dict.fromkeys(
            r for f in v.findings if f.label is m.wanted and not f.counted for r in f.reasons
        )
    )
    return hits[:MAX_TRIALS], still


def _try_alone(
    corpus: _Corpus, trials: Sequence[tuple[str, Label, str]]
) -> dict[tuple[str, Label, str], Suggestion]:
    """Each phrase added alone: the articles it changes for its commitment.  Phrases that
    never share an article are tried in one matcher."""
    index = PhraseIndex((f, str(n)) for n, (_, _, p) in enumerate(trials) for f in _forms(p))
    where: list[set[str]] = [set() for _ in trials]
    for item_id in corpus.items:
        tokens = [t for _, ts in corpus.tokens(item_id) for t in (*ts, ".")]
        for h in index.find(tokens):
            for k in h.keys:
                where[int(k)].add(item_id)
    groups: list[tuple[list[int], set[str]]] = []
    for n in range(len(trials)):
        group = next((g for g in groups if g[1].isdisjoint(where[n])), None)
        if group is None:
            groups.append(([n], set(where[n])))
        else:
            group[0].append(n)
            group[1].update(where[n])
    out: dict[tuple[str, Label, str], Suggestion] = {}
    for members, _ in groups:
        out.update(_try_group(corpus, [trials[n] for n in members], [where[n] for n in members]))
    return out


def _try_group(
    corpus: _Corpus, trials: Sequence[tuple[str, Label, str]], where: Sequence[set[str]]
) -> dict[tuple[str, Label, str], Suggestion]:
    matcher = Matcher(_with_signals(corpus.commitments, trials), corpus.entities)
    out = {}
    for (cid, label, phrase), ids in zip(trials, where, strict=True):
        fixes: list[str] = []
        costs: list[tuple[str, Label]] = []
        for item_id in sorted(ids):
            item = corpus.items[item_id]
            new = next(
                v.label
                for v in matcher.judge(item.title, item.text, item.published_at)
                if v.commitment_id == cid
            )
            old, truth = corpus.verdicts[item_id][cid].label, item.label(cid)
            if new is old:
                continue
            if new is truth and truth in SCORED:
                fixes.append(item_id)
            elif new is not truth and (new in SCORED or old is truth):
                costs.append((item_id, truth))
        out[(cid, label, phrase)] = Suggestion(cid, label, phrase, tuple(fixes), tuple(costs))
    return out


# --- false alerts -----------------------------------------------------------------------------


def _false_alert(corpus: _Corpus, c: Commitment, a: AlertRef) -> FalseAlert:
    own = _own_forms(c)
    evidence = []
    for item_id in a.item_ids:
        item = corpus.items.get(item_id)
        if item is None:
            continue
        v = corpus.verdicts[item_id][c.id]
        finding = next(
            (f for f in v.findings if f.counted and f.sentence == v.quote and f.label is v.label),
            None,
        )
        mine = tuple(s for s in v.signals if phrase_words(s) in own)
        notes = finding.reasons if finding is not None else ()
        evidence.append(
            AlertEvidence(
                item_id, item.title, item.label(c.id), v.label, v.quote, v.signals, mine, notes
            )
        )
    return FalseAlert(a.at, c.id, a.subject, tuple(evidence))


def _own_forms(c: Commitment) -> frozenset[tuple[tuple[str, bool], ...]]:
    return frozenset(
        phrase_words(f) for p in (*c.breach_signals, *c.met_signals) for f in _forms(p)
    )


# --- rendering --------------------------------------------------------------------------------

_WIDTH = 100


def _quote(sentence: str, indent: str, limit: int = 300) -> str:
    text = " ".join(sentence.split())
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return textwrap.fill(
        f'"{text}"', width=_WIDTH, initial_indent=indent, subsequent_indent=indent + " "
    )


def _price(s: Suggestion) -> str:
    caught = f"+{len(s.fixes)} labelled {'report' if len(s.fixes) == 1 else 'reports'}"
    if not s.costs:
        return f"{caught}, no false ones"
    by: dict[str, int] = {}
    for _, truth in s.costs:
        by[truth.value] = by.get(truth.value, 0) + 1
    parts = ", ".join(f"{k} {n}" for k, n in sorted(by.items()))
    return f"{caught}, {len(s.costs)} false (labelled {parts})"


def _summary(g: Gaps) -> str:
    total = sum(g.labelled.values())
    lines = [f"{g.commitment_id}: {len(g.misses)} of {total} labelled reports missed"]
    if g.misses:
        per = ", ".join(
            f"{label.value} {sum(m.wanted is label for m in g.misses)} of {g.labelled[label]}"
            for label in SCORED
            if g.labelled.get(label)
        )
        causes: dict[str, int] = {}
        for m in g.misses:
            causes[m.cause] = causes.get(m.cause, 0) + 1
        counts = sorted(causes.items(), key=lambda kv: -kv[1])  # the commonest first
        lines[0] += f" ({per}): " + ", ".join(f"{n} {cause}" for cause, n in counts)
    if g.false_alerts:
        lines[0] += f"; {len(g.false_alerts)} false alert{'s' if len(g.false_alerts) > 1 else ''}"
    for s in g.suggestions:
        lines.append(f"  add to signals.{s.label.value}: {s.phrase!r}: {_price(s)}")
    return "\n".join(lines)


def _format_miss(m: Miss) -> list[str]:
    when = f"{m.published_at:%Y-%m-%d}, " if m.published_at else ""
    lines = [
        f"  missed {m.wanted.value}: {m.item_id} ({when}judged {m.judged.value}) "
        f"{m.title}".rstrip(),
        f"    why: {m.cause}: " + "; ".join(m.reasons),
    ]
    lines += [_quote(s, "      ") for s in m.sentences]
    if m.suggestions:
        head = f"    add to signals.{m.wanted.value}:"
        for n, s in enumerate(m.suggestions):
            lines.append(
                f"{head if n == 0 else ' ' * len(head)} {s.phrase!r}: counts here; {_price(s)}"
            )
    elif m.tried:
        lines.append(f"    no phrase of these sentences makes it count alone ({m.tried} tried)")
        if m.still:
            lines.append("      with one added, the judge says: " + "; ".join(m.still))
    return lines


def _format_alert(a: FalseAlert) -> list[str]:
    lines = [f"  false alert {a.at:%Y-%m-%d %H:%M}: {a.subject}"]
    if not a.evidence:
        lines.append(
            "    no evidence from the corpus (an overdue alert is false when a report labelled "
            "met came before it)"
        )
    for e in a.evidence:
        lines.append(
            f"    {e.item_id} (labelled {e.labelled.value}, judged {e.judged.value}) "
            f"{e.title}".rstrip()
        )
        if e.sentence:
            lines.append(_quote(e.sentence, "      "))
        kinds = [f"{s!r}" + (" (yours)" if s in e.own else " (the kind's)") for s in e.signals]
        if kinds:
            lines.append("      signals: " + ", ".join(kinds))
        if e.notes:
            lines.append("      notes: " + "; ".join(e.notes))
    return lines


def format_gaps(gaps: Sequence[Gaps]) -> str:
    """Per commitment: a summary line with the best phrases to add, then each miss and each
    false alert."""
    missed = sum(len(g.misses) for g in gaps)
    total = sum(sum(g.labelled.values()) for g in gaps)
    lines = [
        "why labelled reports were missed (each article judged on its own, as `monitor eval` "
        f"does): {missed} of {total}"
    ]
    for g in gaps:
        if not (g.misses or g.false_alerts or sum(g.labelled.values())):
            continue
        lines += ["", _summary(g)]
        for m in g.misses:
            lines += _format_miss(m)
        for a in g.false_alerts:
            lines += _format_alert(a)
    return "\n".join(lines)


__all__ = [
    "AlertEvidence",
    "AlertRef",
    "FalseAlert",
    "Gaps",
    "Miss",
    "Suggestion",
    "find_gaps",
    "format_gaps",
]
