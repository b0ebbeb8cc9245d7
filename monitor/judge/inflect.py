"""Other forms of a user's phrase: inflections of its verbs and nouns, demonyms of names.  Pure.

"refused to" also matches "refusing to" and "refuses to"; "does not belong" also "do not
belong"; an excluded "Russia" also "Russian".  Irregular forms and demonym endings come
from the language file (``monitor.judge.data``); regular English endings are rules.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from itertools import product

from monitor.judge.text import GAP, phrase_words

#: At most this many forms of one phrase (the phrase itself first).
MAX_FORMS = 12
_VOWELS = frozenset("aeiou")


def _stems(word: str) -> list[str]:
    """Candidate base forms of an inflected word ("refused" -> refus, refuse)."""
    stems: list[str] = []
    if word.endswith(("ss", "us", "is")):
        return stems
    for end in ("ing", "ed", "es", "s"):
        if word.endswith(end) and len(word) - len(end) >= 3:
            base = word[: -len(end)]
            stems.append(base)
            if end in ("ing", "ed"):
                stems.append(base + "e")
                if len(base) > 3 and base[-1] == base[-2] and base[-1] not in _VOWELS:
                    stems.append(base[:-1])  # stopped -> stop
            if end == "ed" and base.endswith("i"):
                stems.append(base[:-1] + "y")  # denied -> deny
            break
    return stems


def _regular(stem: str) -> list[str]:
    """Regular forms of a base form: -s, -ed, -ing."""
    if stem.endswith("y") and len(stem) > 2 and stem[-2] not in _VOWELS:
        return [stem, stem[:-1] + "ies", stem[:-1] + "ied", stem + "ing"]
    if stem.endswith("e"):
        return [stem, stem + "s", stem + "d", stem[:-1] + "ing"]
    plural = stem + ("es" if stem.endswith(("s", "sh", "ch", "x")) else "s")
    return [stem, plural, stem + "ed", stem + "ing"]


def _one_word_first(choices: Sequence[Sequence[str]]) -> list[str]:
    """Forms that change one word of the phrase first (each word in turn), then those that
    change several: "ruled out talks" gives "rules out talks" before "ruls out talking"."""
    written = [c[0] for c in choices]
    out: list[str] = [" ".join(written)]
    for i, forms in enumerate(choices):
        out.extend(" ".join([*written[:i], f, *written[i + 1 :]]) for f in forms[1:])
    out.extend(" ".join(combo) for combo in product(*choices))
    return list(dict.fromkeys(out))[:MAX_FORMS]


def bare_forms(phrase: str, irregular: Mapping[str, tuple[str, ...]] | None = None) -> set[str]:
    """The bare forms of a phrase's first word when it is a past form ("lifted its ..." ->
    "lift", "withdrew from ..." -> "withdraw"): after "to" they make an infinitive, not a
    report."""
    words = phrase_words(phrase)
    if not words or words[0][1]:
        return set()
    first = words[0][0]
    if irregular and first in irregular and participle(first, irregular):
        return {irregular[first][0]}
    if not first.endswith("ed"):
        return set()
    return set(_stems(first))


def _bare_verb(word: str) -> bool:
    """A first word with no ending that may be a bare verb ("resume", "halt"): it varies too
    (a noun's forms that never occur cost nothing)."""
    return len(word) >= 4 and word.isalpha() and not word.endswith(("s", "ed", "ing"))


def word_forms(word: str, irregular: Mapping[str, tuple[str, ...]]) -> list[str]:
    """The forms of one word of a phrase (itself first); only inflected words vary."""
    if word in irregular:
        return [word, *(f for f in irregular[word] if f != word)]
    stems = _stems(word)
    if not stems:
        return [word]
    out = [word]
    for stem in stems:
        out.extend(f for f in _regular(stem) if f not in out and len(f) >= 3)
    return out


def phrase_forms(phrase: str, irregular: Mapping[str, tuple[str, ...]]) -> list[str]:
    """A phrase and its inflected forms (words ending in ``*`` are kept as they are).

    A one-word past form ("released", "exchanged") reports a done event: its bare form is
    mostly a noun or an infinitive ("the release of", "to exchange") and is left out.
    """
    words = phrase_words(phrase)
    if not words:
        return [phrase]
    choices = [[w + "*"] if prefix else word_forms(w, irregular) for w, prefix in words]
    first, prefix = words[0]
    if len(words) > 1 and not prefix and len(choices[0]) == 1 and _bare_verb(first):
        choices[0] = _regular(first)  # "resume strikes" ~ "resumed strikes", "resumes ..."
    if len(words) == 1 and not words[0][1] and words[0][0].endswith("ed"):
        bare = set(_stems(words[0][0]))
        choices = [[f for f in choices[0] if f not in bare]]
    out = _one_word_first(choices)
    if out[0] != " ".join(w + ("*" if p else "") for w, p in words):
        out.insert(0, phrase)
    return out


#: Auxiliaries that may stand before a participle of a user's phrase: "elections postponed"
#: also matches "elections were postponed", "integration stalled" "integration has stalled".
AUXILIARIES = (
    "was",
    "were",
    "is",
    "are",
    "has",
    "have",
    "had",
    "has been",
    "have been",
    "had been",
    "been",
)


def participle(word: str, irregular: Mapping[str, tuple[str, ...]]) -> bool:
    """A past form: a regular -ed word, or an irregular form other than the base, -s, -ing;
    or a base that is its own past ("shut", "cut": no other past form in its group)."""
    if word in irregular:
        group = irregular[word]
        if word == group[0]:
            return all(f.endswith(("s", "ing")) for f in group[1:])
        return not word.endswith(("s", "ing"))
    return word.endswith("ed") and len(word) > 4


def auxiliary_forms(phrase: str, irregular: Mapping[str, tuple[str, ...]]) -> list[str]:
    """A phrase whose verb is a past form after its subject ("elections postponed"), with an
    auxiliary before the verb ("elections were postponed", "have been postponed"); [] for any
    other phrase."""
    words = phrase_words(phrase)
    spelled = [w + ("*" if p else "") for w, p in words]
    for i in range(1, len(words)):
        w, prefix = words[i]
        before = words[i - 1][0]
        if prefix or before in irregular.get("be", ()) or before in irregular.get("have", ()):
            return []
        if participle(w, irregular):
            return [" ".join([*spelled[:i], aux, *spelled[i:]]) for aux in AUXILIARIES]
    return []


def _verb_and_object(
    phrase: str, irregular: Mapping[str, tuple[str, ...]]
) -> tuple[tuple[str, bool], ...]:
    """The words of a phrase that starts with a past form and goes on; () for any other."""
    words = phrase_words(phrase)
    if len(words) < 2 or words[0][1] or not participle(words[0][0], irregular):
        return ()
    return words


def determiner_forms(
    phrase: str,
    forms: Sequence[str],
    irregular: Mapping[str, tuple[str, ...]],
    determiners: Sequence[str],
    function_words: frozenset[str],
) -> list[str]:
    """A user's phrase that starts with a past form and its object ("triggered snapback"):
    its ``forms`` with a determiner before the object too ("triggered the snapback", "triggers
    its snapback"), or, when one of ``determiners`` is there, without it or with another
    ("extended the truce" ~ "extends truce", as headlines write it, "extended its truce");
    [] for any other phrase, or when its second word is one of ``function_words`` (a
    preposition, a particle)."""
    words = _verb_and_object(phrase, irregular)
    if not words:
        return []
    out: list[str] = []
    if words[1][0] in determiners:  # headlines drop it ("extend trade truce"), or say "its"
        if len(words) > 2:
            for form in forms:
                first, _, rest = form.partition(" ")
                noun = rest.partition(" ")[2]
                out.extend(f"{first} {d} {noun}" for d in ("", *determiners) if d != words[1][0])
        return [" ".join(f.split()) for f in out]
    if words[1][0] in function_words:
        return []
    for form in forms:
        first, _, rest = form.partition(" ")
        out.extend(f"{first} {d} {rest}" for d in determiners if rest)
    return out


def modifier_forms(
    phrase: str,
    forms: Sequence[str],
    irregular: Mapping[str, tuple[str, ...]],
    determiners: Sequence[str],
    function_words: frozenset[str],
) -> list[str]:
    """A user's phrase that starts with a past form and its object ("triggered snapback",
    "released the prisoners"): the forms of its verb with one or two more words before the
    object's noun, after any of ``determiners`` or none, whichever the user wrote ("triggered
    the UN snapback", "releases 50 prisoners", "inaugurates Grand Renaissance Dam").
    The object as written; [] for any other phrase, one whose second word is one of
    ``function_words`` other than a determiner ("pulled out of"), or whose object is a name
    ("met Dermer")."""
    words = _verb_and_object(phrase, irregular)
    if not words:
        return []
    second = words[1][0]
    has_det = second in determiners
    if (second in function_words and not has_det) or len(words) < 2 + has_det:
        return []
    written = phrase.split()
    if len(written) == len(words) and written[1 + has_det][:1].isupper():
        return []  # a name takes no modifier
    rest = [w + ("*" if p else "") for w, p in words[1 + has_det :]]
    fronts = [[], *([d] for d in determiners)]
    verbs = dict.fromkeys(f.partition(" ")[0] for f in forms)
    return [
        " ".join([v, *front, *gaps, *rest])
        for v in verbs
        for front in fronts
        for gaps in ([GAP], [GAP, GAP])
    ]


def object_first_forms(
    phrase: str,
    irregular: Mapping[str, tuple[str, ...]],
    determiners: Sequence[str],
    function_words: frozenset[str],
) -> list[str]:
    """A user's phrase that starts with a past form and its object ("released the
    prisoners", "resumed oil exports"): the object first, then the past participle, as
    headlines and passives write it ("prisoners released", "oil exports were resumed",
    "ceasefire broken"); [] for any other phrase, one whose object holds a function word or
    a gap ("pulled out of", "handed over * barrels"), or names someone ("met Dermer")."""
    words = _verb_and_object(phrase, irregular)
    if not words:
        return []
    obj = list(words[1:])
    if obj[0][0] in determiners:
        obj = obj[1:]
    if not obj or len(obj) > 3 or any(p or w in function_words or not w for w, p in obj):
        return []
    written = phrase.split()
    if any(w[:1].isupper() for w in written[len(written) - len(obj) :]):
        return []  # a name does not go first ("met Dermer")
    verb = words[0][0]
    group = irregular.get(verb, (verb,))
    pasts = [f for f in group if participle(f, irregular)] or [verb]
    noun = " ".join(w for w, _ in obj)
    passive = [a for a in AUXILIARIES if a not in ("has", "have", "had")]  # not "they have freed"
    return [" ".join(filter(None, (noun, aux, v))) for v in pasts for aux in ("", *passive)]


def synonym_phrases(
    phrase: str,
    synonyms: Mapping[str, tuple[str, ...]],
    irregular: Mapping[str, tuple[str, ...]],
) -> list[str]:
    """A user's phrase with its first verb swapped for each verb that reports the same event,
    in the same tense ("resumed oil exports" -> "restarted oil exports"; "halt exports" ->
    "stop exports", "suspend exports"); [] when its first word is no such verb, or stands
    alone (a one-word signal reads too widely already: "halted")."""
    written = phrase.split()
    words = phrase_words(phrase)
    if len(words) < 2 or words[0][1] or written[0].lower() != words[0][0]:
        return []
    first = words[0][0]
    base = irregular[first][0] if first in irregular else None
    if base not in synonyms:
        base = next((b for b in (first, *_stems(first)) if b in synonyms), None)
    if base is None or first not in (base, *_past_forms(base, irregular)):
        return []  # only the base or the past ("halts", "halting" vary from those)
    past = participle(first, irregular)
    out = []
    for other in synonyms[base]:
        if other != base:
            for form in _past_forms(other, irregular)[:1] if past else [other]:
                out.append(" ".join([form, *written[1:]]))
    return out


def _past_forms(base: str, irregular: Mapping[str, tuple[str, ...]]) -> list[str]:
    """A verb's past forms ("stop" -> stopped; "shut" -> shut; "begin" -> began, begun)."""
    if base in irregular:
        return [f for f in irregular[base] if participle(f, irregular)]
    return [_regular(base)[2]] if len(base) > 2 else []


def demonyms(name: str, endings: Sequence[str]) -> list[str]:
    """A one-word name and the people or adjective forms of it ("Russia" -> "Russian" ...)."""
    words = phrase_words(name)
    if len(words) != 1 or words[0][1] or len(words[0][0]) < 4:
        return [name]
    w = words[0][0]
    bases = [w] + ([w[:-1]] if w[-1] in _VOWELS else [])
    return [name, *dict.fromkeys(b + e for b in bases for e in endings if b + e != w)]
