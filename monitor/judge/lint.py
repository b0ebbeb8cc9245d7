"""Dead configuration in a watchlist's commitments: signals that can never count, and the
like.  Pure; ``monitor check`` prints what it finds as warnings."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from monitor.judge.data import SHIPPED
from monitor.judge.inflect import demonyms
from monitor.judge.text import PhraseIndex, phrase_words, tokenize
from monitor.models import Commitment, Entity

_Words = tuple[tuple[str, bool], ...]


def _inside(part: _Words, whole: _Words) -> bool:
    """Whether ``part`` occurs as a run of words in ``whole`` (prefixes match longer words)."""
    n = len(part)

    def same(p: tuple[str, bool], w: tuple[str, bool]) -> bool:
        return w[0].startswith(p[0]) if p[1] else p[0] == w[0] and not w[1]

    return any(
        all(same(p, w) for p, w in zip(part, whole[i : i + n], strict=True))
        for i in range(len(whole) - n + 1)
    )


def _excluded(c: Commitment) -> list[tuple[str, _Words]]:
    return [
        (x, phrase_words(form))
        for x in c.exclude
        for form in demonyms(x, SHIPPED.demonym_endings)
        if phrase_words(form)
    ]


def _signal_warnings(c: Commitment) -> Iterable[str]:
    excluded = _excluded(c)
    common = set(SHIPPED.cue("negation")) | {"the", "a", "an", "of", "and", "to", "in", "on"}
    for which, phrases in (("breach", c.breach_signals), ("met", c.met_signals)):
        for p in phrases:
            words = phrase_words(p)
            for x, xw in excluded:
                if _inside(xw, words):
                    yield f"{which} signal {p!r} names the excluded {x!r}: it can never count"
                    break
            if words and all(w in common for w, _ in words):
                yield f"{which} signal {p!r} is only common words: it matches almost anything"
            if words and len(words) == 1 and words[0][1] and len(words[0][0]) < 3:
                yield f"{which} signal {p!r} is a very short prefix: it matches almost anything"
            if p.split()[:1] == ["*"] or p.split()[-1:] == ["*"]:
                yield (
                    f"{which} signal {p!r} starts or ends with a lone *: there it stands for "
                    "nothing (a lone * between words is any one word)"
                )
    both = {phrase_words(p) for p in c.breach_signals} & {phrase_words(p) for p in c.met_signals}
    for words in sorted(both):
        yield f"{' '.join(w for w, _ in words)!r} is both a breach and a met signal"
    for signal, unless in c.exceptions:
        for u in unless:
            if _inside(phrase_words(u), phrase_words(signal)):
                yield f"signal {signal!r} has the exception {u!r}, which it contains: never counts"


def _scope_warnings(c: Commitment, entities: Mapping[str, Entity]) -> Iterable[str]:
    excluded = _excluded(c)
    for eid in (*c.parties, *c.subjects):
        ent = entities.get(eid)
        if ent is None or not ent.aliases:
            continue
        if all(any(_inside(xw, phrase_words(a)) for _, xw in excluded) for a in ent.aliases):
            yield f"every name of {eid!r} is excluded: articles about it are ruled out"
    if c.topics_required:
        alive = [t for t in c.topics if not any(_inside(xw, phrase_words(t)) for _, xw in excluded)]
        if not alive:
            yield "topics_required, but every topic is excluded: nothing can be about it"
    if c.vocabulary is not None and c.vocabulary.like == "other":
        if not (c.breach_signals or c.met_signals or c.vocabulary.breach or c.vocabulary.met):
            yield f"kind {c.vocabulary.name!r} has no breach or met signals: nothing can count"


def _own_name_warnings(c: Commitment, entities: Mapping[str, Entity]) -> Iterable[str]:
    """An ``exclude`` that is part of a longer name of the commitment's own parties or
    subjects ("Sudan's" in "South Sudan government"): usually that name, not another conflict."""
    for x in c.exclude:
        words = phrase_words(x)
        if len(words) > 1 and words[-1] == ("s", False):
            words = words[:-1]  # "Sudan's": the name without its possessive
        if not words:
            continue
        found = next(
            (
                (eid, a)
                for eid in (*c.parties, *c.subjects)
                for a in (entities[eid].aliases if eid in entities else ())
                if phrase_words(a) != words and _inside(words, phrase_words(a))
            ),
            None,
        )
        if found is not None:
            yield (
                f"exclude {x!r} is part of {found[1]!r}, a name of {found[0]!r}: next to the "
                "rest of that name it is not applied; elsewhere it rules out sentences, so "
                "check it names only another conflict"
            )


_OTHER_CONFLICT = (
    "which the judge reads as another conflict's party (entities/world.yaml, other_parties): "
    "a sentence with it counts only where it also names a party; if it is one of yours, add "
    "it to that party's aliases"
)


def _other_conflict_warnings(
    commitments: Sequence[Commitment], entities: Mapping[str, Entity]
) -> Iterable[tuple[str, str]]:
    """A signal or topic that names another conflict's party (the shipped ``other_parties``
    of ``entities/world.yaml``) that is not a name of one of the watchlist's own parties or
    subjects: the judge reads a sentence with it as that other conflict."""
    index = PhraseIndex((p, "o") for p in SHIPPED.cue("other_parties"))
    named = {eid for c in commitments for eid in (*c.parties, *c.subjects)}
    own = {
        h.phrase
        for source in (SHIPPED.entities, entities)
        for eid in named
        for alias in (source[eid].aliases if eid in source else ())
        for h in index.find(tokenize(alias))
    }
    for c in commitments:
        for which, phrases in (
            ("breach signal", c.breach_signals),
            ("met signal", c.met_signals),
            ("topic", c.topics),
        ):
            for p in phrases:
                found = sorted({h.phrase for h in index.find(tokenize(p))} - own)
                if found:
                    yield c.id, f"{which} {p!r} names {found[0]!r}, {_OTHER_CONFLICT}"


def _group_warnings(
    commitments: Sequence[Commitment], entities: Mapping[str, Entity]
) -> Iterable[tuple[str, str]]:
    """A truce's party named like an armed group ("ELN rebels": ``armed_group_names``) that
    the watchlist does not say is one or is not: its attacks on the other side would be read
    as others', unless the sentence names both parties."""
    index = PhraseIndex((p, "g") for p in SHIPPED.cue("armed_group_names"))
    asked: set[str] = set()
    for c in commitments:
        kind = c.vocabulary or SHIPPED.kinds.get(c.kind)
        if kind is None or not kind.behaviour.militant_attack_not_breach:
            continue
        for eid in c.parties:
            ent = entities.get(eid) or SHIPPED.entities.get(eid)
            if ent is None or ent.armed_group is not None or eid in asked:
                continue
            named = next((a for a in ent.aliases if index.find(tokenize(a))), None)
            if named is not None:
                asked.add(eid)
                yield (
                    c.id,
                    (
                        f"party {eid!r} is named like an armed group ({named!r}) but not marked: "
                        "with `armed_group: true` its attacks break the truce it is bound by; "
                        "`armed_group: false` says it is none"
                    ),
                )


def dead_configuration(
    commitments: Sequence[Commitment], entities: Mapping[str, Entity]
) -> list[str]:
    """Warnings, one a line, each naming its commitment ("ceasefire: ...")."""
    return [
        f"{c.id}: {w}"
        for c in commitments
        for w in (
            *_signal_warnings(c),
            *_scope_warnings(c, entities),
            *_own_name_warnings(c, entities),
        )
    ] + [
        f"{cid}: {w}"
        for cid, w in (
            *_other_conflict_warnings(commitments, entities),
            *_group_warnings(commitments, entities),
        )
    ]
