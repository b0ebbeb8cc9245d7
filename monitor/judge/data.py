"""The judge's knowledge, read from data files: language cues, entities, kinds.  Pure after load.

Nothing about a conflict or a kind of commitment lives in Python.  The package ships

- ``data/language/<lang>.yaml``: named cue lists (negation, denial, hedges, time, clauses ...);
- ``data/entities/*.yaml``: ``entities`` (id, name, aliases, ``armed_group``) and named
  place/group lists;
- ``data/kinds/<kind>.yaml``: per kind ``topics``, ``breach``, ``met``, ``weak`` phrases and
  two-cue ``pairs``, and named lists of its own.

Every file may hold ``lists:`` (name -> phrases), one namespace for all files; a pair's cue
may be ``"$name"`` (that list) and a phrase list may include ``"$name"`` (spliced in).  A
watchlist's ``kinds:`` section or ``kinds_dir`` adds kinds or extends the shipped ones (see
``extend``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from monitor.models import Entity

#: The keys of a kind file that hold phrases.
PHRASE_KEYS = ("topics", "breach", "met", "weak")
_PAIR_KEYS = frozenset(
    {"label", "name", "first", "second", "window", "ordered", "subject_first", "weak"}
    | {"barrier", "participle", "weak_if_statement", "counterpart_is_party", "names_the_parties"}
    | {"bare"}
)


class KindDataError(ValueError):
    """A kind or entity file that cannot be read; the message names the file and key."""


@dataclass(frozen=True)
class Pair:
    """A signal made of two cues in one clause, at most ``window`` words apart.

    ``first`` and ``second`` are phrases; ``@id`` stands for a mention of an entity.
    When ``ordered``, ``first`` comes before ``second``; otherwise either order.
    A ``weak`` pair adds to a sentence's score but never counts on its own.
    When ``subject_first``, ``first`` names the thing and ``second`` says what happened to
    it, so cues before ``second`` govern the signal too ("the talks appeared close to
    collapse").  ``barrier``: words that may not stand between the cues.  ``participle``:
    ``second`` is a bare participle that, after a definite noun phrase with no auxiliary,
    names a known thing, not an event ("*the* mechanism agreed in Eastport has not met").
    ``weak_if_statement``: phrases that make the pair weak for a commitment whose statement
    names one ("talks on *the mechanism* will take place": held alone is not the outcome).
    ``counterpart_is_party``: the event is with those named after "with" or "between" in its
    clause ("talks with the Front"): it does not count when they are another commitment's
    party, not this one's.  ``names_the_parties``: it counts only in a sentence that names
    two of the commitment's parties and no other commitment's party ("rules out talks with
    Southland", not "rules out talks with the Front").  ``bare``: more verb cues (first,
    or second for a ``subject_first`` pair), bare verbs (a headline's present: "Northland,
    Southland hold talks", "negotiations resume"); after "to", a modal or a determiner one
    is a plan or a noun ("will visit to hold talks", "talks to resume"), not the event.
    """

    label: str  # "breach" or "met"
    name: str  # shown as the signal that fired
    first: tuple[str, ...]
    second: tuple[str, ...]
    window: int
    ordered: bool = True
    subject_first: bool = False
    weak: bool = False
    barrier: tuple[str, ...] = ()
    participle: bool = False
    weak_if_statement: tuple[str, ...] = ()
    counterpart_is_party: bool = False
    names_the_parties: bool = False
    bare: tuple[str, ...] = ()


#: The values of ``behaviour.about``: what a sentence must name to be about a commitment.
ABOUT = ("any", "parties", "topic", "talks-with-group", "group-on-territory", "first-party")
#: The labels a role check may apply to.
LABELS = ("breach", "met")


@dataclass(frozen=True)
class Behaviour:
    """How a kind is judged, beyond its words: each key switches on one rule of the engine.

    The defaults are the plainest judging (kind ``other``); README "Kinds" documents each key.
    """

    about: str = "any"
    breach_outranks_met: bool = True
    met_wins_in_sentence: bool = False
    militant_attack_not_breach: bool = False
    breach_needs_group: bool = False
    actor_must_be_first_party: tuple[str, ...] = ()
    group_reported_is_not_actor: bool = False
    objects_are_not_actors: bool = False
    group_is_target: bool = False
    meeting_is_not_breach: bool = False
    generic_breach_discounted: bool = False
    accusation_discounted: bool = False
    linked_breach_bonus: bool = False
    early_breach_needs_link: bool = False
    after_is_background: bool = False
    calm_pair: str = ""
    cessation_blocks_breach: bool = False
    resumption_blocks_breach: bool = False
    affirmed_future_is_met: bool = False
    met_is_refusal: bool = False
    met_waits_for_window: bool = False
    venue_matters: bool = False
    exclude_in_clause_only: bool = False
    met_ignores_denial: bool = False
    period_dates_block_breach: bool = True
    before_truce_blocks_breach: bool = False
    negated_met_is_breach: bool = False
    met_grace_hours: int = 48
    discovery_is_not_breach: bool = False
    takeover_by_other_is_met: bool = False
    other_kinds_mask_breach: bool = True
    own_territory_not_breach: bool = False
    deadline_ends_it: bool = False
    other_violations_not_breach: bool = False
    presence_before_deadline: str = ""
    breach_grace_hours: int = 0
    met_names_the_told: bool = False
    own_place_only: bool = False
    topic_held_up_is_breach: bool = False
    headline_sibling_rules: bool = True


def _behaviour(base: Behaviour, raw: Any, where: str) -> Behaviour:
    """``base`` with the keys of a kind file's ``behaviour:`` mapping switched."""
    if raw is None:
        return base
    if not isinstance(raw, dict):
        raise KindDataError(f"{where}: 'behaviour' must be a mapping")
    fields = {f.name: f for f in Behaviour.__dataclass_fields__.values()}
    changes: dict[str, Any] = {}
    for key, value in raw.items():
        default = getattr(Behaviour(), str(key), None) if key in fields else None
        if key not in fields:
            raise KindDataError(
                f"{where}: unknown behaviour {key!r} (known: {', '.join(sorted(fields))})"
            )
        if key == "about" and value not in ABOUT:
            raise KindDataError(f"{where}: about: {value!r} is not one of {', '.join(ABOUT)}")
        if isinstance(default, bool) and not isinstance(value, bool):
            raise KindDataError(f"{where}: behaviour {key!r} is true or false")
        if isinstance(default, int) and not isinstance(default, bool):
            if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                raise KindDataError(f"{where}: behaviour {key!r} is a whole number of hours")
        if isinstance(default, str) and not isinstance(value, str):
            raise KindDataError(f"{where}: behaviour {key!r} is a name")
        if isinstance(default, tuple):
            if not isinstance(value, list) or not set(value) <= set(LABELS):
                raise KindDataError(f"{where}: behaviour {key!r} is a list of breach|met")
            value = tuple(value)
        changes[str(key)] = value
    return replace(base, **changes)


@dataclass(frozen=True)
class KindData:
    """One kind: its vocabulary and its behaviour.

    ``like``: the kind its behaviour started from (itself for a shipped kind).
    """

    name: str
    like: str
    topics: tuple[str, ...] = ()
    breach: tuple[str, ...] = ()
    met: tuple[str, ...] = ()
    weak: tuple[str, ...] = ()
    pairs: tuple[Pair, ...] = ()
    behaviour: Behaviour = field(default_factory=Behaviour)


@dataclass
class Knowledge:
    """Everything the judge reads from data: named lists, entities and kinds."""

    lists: dict[str, tuple[str, ...]] = field(default_factory=dict)
    entities: dict[str, Entity] = field(default_factory=dict)
    kinds: dict[str, KindData] = field(default_factory=dict)
    #: Irregular word forms (language file ``irregular``): each word -> all forms of its group.
    forms: dict[str, tuple[str, ...]] = field(default_factory=dict)
    #: Endings that make a people or an adjective of a place name (``demonym_endings``).
    demonym_endings: tuple[str, ...] = ()
    #: Verbs that report the same event (language file ``synonyms``): each base form -> its
    #: group.
    synonyms: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def cue(self, name: str) -> tuple[str, ...]:
        """A named list ("negation"); a missing list is empty (a language may lack one)."""
        return self.lists.get(name, ())


def _phrases(value: Any, lists: Mapping[str, tuple[str, ...]], where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str) and value.startswith("$"):
        value = [value]
    if not isinstance(value, list):
        raise KindDataError(f"{where}: expected a list of phrases")
    out: list[str] = []
    for item in value:
        if not isinstance(item, str | int | float) or isinstance(item, bool):
            raise KindDataError(f"{where}: {item!r} is not a phrase")
        text = str(item)
        if text.startswith("$"):
            if text[1:] not in lists:
                raise KindDataError(f"{where}: no list named {text[1:]!r}")
            out.extend(lists[text[1:]])
        else:
            out.append(text)
    return tuple(out)


def _pair(raw: Any, lists: Mapping[str, tuple[str, ...]], where: str) -> Pair:
    if not isinstance(raw, dict) or not _PAIR_KEYS.issuperset(raw):
        raise KindDataError(f"{where}: a pair is a mapping of {', '.join(sorted(_PAIR_KEYS))}")
    if raw.get("label") not in ("breach", "met") or not isinstance(raw.get("window"), int):
        raise KindDataError(f"{where}: a pair needs label breach|met and an integer window")
    bare = _phrases(raw.get("bare"), lists, f"{where}.bare")
    subject_first = bool(raw.get("subject_first", False))
    return Pair(
        label=raw["label"],
        name=str(raw.get("name") or f"{raw['label']} pair"),
        first=_phrases(raw.get("first"), lists, f"{where}.first") + (() if subject_first else bare),
        second=_phrases(raw.get("second"), lists, f"{where}.second")
        + (bare if subject_first else ()),
        window=raw["window"],
        ordered=bool(raw.get("ordered", True)),
        subject_first=subject_first,
        weak=bool(raw.get("weak", False)),
        barrier=_phrases(raw.get("barrier"), lists, f"{where}.barrier"),
        participle=bool(raw.get("participle", False)),
        weak_if_statement=_phrases(
            raw.get("weak_if_statement"), lists, f"{where}.weak_if_statement"
        ),
        counterpart_is_party=bool(raw.get("counterpart_is_party", False)),
        names_the_parties=bool(raw.get("names_the_parties", False)),
        bare=bare,
    )


def _read_yaml(text: str, where: str) -> dict[str, Any]:
    try:
        doc = yaml.safe_load(text) or {}
    except yaml.YAMLError as e:
        raise KindDataError(f"{where}: not YAML: {e}") from e
    if not isinstance(doc, dict):
        raise KindDataError(f"{where}: expected a mapping")
    return doc


def _add_lists(k: Knowledge, doc: Mapping[str, Any], where: str) -> None:
    raw = doc.get("lists") or {}
    if not isinstance(raw, dict):
        raise KindDataError(f"{where}: 'lists' must be a mapping")
    for name, phrases in raw.items():
        k.lists[str(name)] = k.lists.get(str(name), ()) + _phrases(
            phrases, k.lists, f"{where}: lists.{name}"
        )


def _add_language(k: Knowledge, doc: Mapping[str, Any], where: str) -> None:
    for i, group in enumerate(doc.get("irregular") or ()):
        forms = _phrases(group, k.lists, f"{where}: irregular[{i}]")
        for w in forms:
            k.forms[w.lower()] = tuple(f.lower() for f in forms)
    k.demonym_endings = _phrases(doc.get("demonym_endings"), k.lists, f"{where}: demonym_endings")
    for i, group in enumerate(doc.get("synonyms") or ()):
        verbs = tuple(v.lower() for v in _phrases(group, k.lists, f"{where}: synonyms[{i}]"))
        if any(" " in v for v in verbs):
            raise KindDataError(f"{where}: synonyms[{i}]: one word per verb")
        for v in verbs:
            k.synonyms[v] = verbs


def _add_entities(k: Knowledge, doc: Mapping[str, Any], where: str) -> None:
    for i, raw in enumerate(doc.get("entities") or ()):
        if not isinstance(raw, dict) or not isinstance(raw.get("id"), str):
            raise KindDataError(f"{where}: entities[{i}] needs an 'id'")
        eid = raw["id"]
        aliases = _phrases(raw.get("aliases"), k.lists, f"{where}: entities[{i}].aliases")
        old = k.entities.get(eid)
        name = str(raw.get("name") or (old.name if old else eid))
        group = raw.get("armed_group", old.armed_group if old else None)
        if group is not None and not isinstance(group, bool):
            raise KindDataError(f"{where}: entities[{i}].armed_group must be true or false")
        k.entities[eid] = Entity(eid, name, (old.aliases if old else ()) + aliases, group)


def _base(k: Knowledge, name: str, doc: Mapping[str, Any], where: str) -> KindData:
    """What kind ``name`` starts from: itself, the kind it ``extends`` (all of it, renamed),
    or the behaviour of the kind it is judged ``like`` (default ``other``).  A kind judged
    like another that is named again with another ``extends``/``like`` starts afresh."""
    old = k.kinds.get(name)
    parent, like = doc.get("extends"), doc.get("like")
    if parent is not None and like is not None:
        raise KindDataError(f"{where}: 'extends' and 'like' cannot both be given")
    if old is not None and (parent is not None or like not in (None, old.like)):
        if old.like == name:  # (a root kind: ceasefire, talks ...)
            raise KindDataError(f"{where}: kind {name!r} exists; it cannot change what it extends")
        # (a kind judged like another, perhaps shipped after the watchlist was written: the
        # watchlist's own kind of that name replaces it)
        old = None
    if old is not None:
        return old
    if parent is not None:
        if str(parent) not in k.kinds:
            raise KindDataError(f"{where}: 'extends: {parent}' is not a known kind")
        return replace(k.kinds[str(parent)], name=name)
    like = str(like or "other")
    if like not in k.kinds:
        raise KindDataError(f"{where}: 'like: {like}' is not a known kind")
    return KindData(name, like, behaviour=k.kinds[like].behaviour)


def extend(k: Knowledge, name: str, doc: Mapping[str, Any], where: str) -> None:
    """Add kind ``name`` from ``doc``, or extend it: phrases and pairs are appended.

    A new kind may ``extends: <kind>`` (its words, pairs and behaviour, then these added) or
    be judged ``like: <kind>`` (that kind's behaviour only; default ``other``); its own
    ``behaviour:`` keys switch rules on or off.
    """
    _add_lists(k, doc, where)
    extra = set(doc) - {"lists", "like", "extends", "behaviour", "pairs", *PHRASE_KEYS}
    if extra:
        raise KindDataError(f"{where}: unknown key(s) {', '.join(sorted(extra))}")
    base = _base(k, name, doc, where)
    raw_pairs = doc.get("pairs") or []
    if not isinstance(raw_pairs, list):
        raise KindDataError(f"{where}: 'pairs' must be a list")
    added = tuple(_pair(p, k.lists, f"{where}: pairs[{i}]") for i, p in enumerate(raw_pairs))
    k.kinds[name] = replace(
        base,
        pairs=base.pairs + added,
        behaviour=_behaviour(base.behaviour, doc.get("behaviour"), f"{where}: behaviour"),
        **{
            key: getattr(base, key) + _phrases(doc.get(key), k.lists, f"{where}: {key}")
            for key in PHRASE_KEYS
        },
    )


def _package_files(folder: str) -> list[tuple[str, str]]:
    base = resources.files("monitor") / "data" / folder
    return sorted(
        (f"monitor/data/{folder}/{p.name}", p.read_text(encoding="utf-8"))
        for p in base.iterdir()
        if p.name.endswith(".yaml")
    )


def _load_shipped(language: str = "en") -> Knowledge:
    k = Knowledge()
    for where, text in _package_files("language"):
        if Path(where).stem == language:
            doc = _read_yaml(text, where)
            _add_lists(k, doc, where)
            _add_language(k, doc, where)
    for where, text in _package_files("entities"):
        doc = _read_yaml(text, where)
        _add_lists(k, doc, where)
        _add_entities(k, doc, where)
    for where, text in _package_files("kinds"):
        name = Path(where).stem
        doc = _read_yaml(text, where)
        k.kinds[name] = KindData(name, str(doc.get("like") or name))
        extend(k, name, doc, where)
    return k


def load(kinds_dirs: Iterable[Path] = ()) -> Knowledge:
    """A copy of the shipped knowledge plus the kind files of ``kinds_dirs`` (``<kind>.yaml``)."""
    k = replace(
        SHIPPED,
        lists=dict(SHIPPED.lists),
        entities=dict(SHIPPED.entities),
        kinds=dict(SHIPPED.kinds),
    )
    for d in kinds_dirs:
        for p in sorted(d.glob("*.yaml")):
            try:
                text = p.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as e:
                raise KindDataError(f"{p}: cannot read: {e}") from e
            extend(k, p.stem, _read_yaml(text, str(p)), str(p))
    return k


#: The shipped knowledge, read once.
SHIPPED = _load_shipped()
#: The entities outlets name (a watchlist's ``entities:`` section adds to or extends them).
DEFAULT_ENTITIES: dict[str, Entity] = SHIPPED.entities
