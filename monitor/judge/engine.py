"""Judge an article against commitments, sentence by sentence.  Pure.

A sentence is evidence for a commitment when it is *about* it (its parties, places or
topic, by the rule its kind's ``behaviour.about`` names) and carries a breach or met
signal (the watchlist's own phrases and their inflections, and its kind's phrases and
two-cue pairs, read from data by ``monitor.judge.data``). Guards, switched on per kind by
its ``behaviour``, stop a signal from counting (negation, denial, conditionals, intent or
threats, other conflicts, dates before the commitment, recaps of the pledge) or lower its
score (hedges, background narrative, generic accusations). The
article's verdict is its best counted sentence; every sentence that fired a signal is
kept as a ``SentenceFinding`` with the reasons, for ``explain``.

Speed: each article is analysed once (sentences, tokens, every phrase of every
commitment in one pass, entities, clauses, two-cue signals); commitments that
differ only in words absent from the article share one judgement.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from itertools import accumulate, pairwise

from monitor.judge.data import SHIPPED, Behaviour, KindData
from monitor.judge.inflect import (
    AUXILIARIES,
    auxiliary_forms,
    bare_forms,
    demonyms,
    determiner_forms,
    modifier_forms,
    object_first_forms,
    participle,
    phrase_forms,
    synonym_phrases,
)
from monitor.judge.language import DETECTOR
from monitor.judge.text import (
    PUNCTUATION,
    DateRef,
    PhraseHit,
    PhraseIndex,
    article_sentences,
    find_dates,
    phrase_words,
    tokenize,
)
from monitor.judge.weights import Judging
from monitor.judge.weights import shipped as shipped_weights
from monitor.models import Commitment, Entity, Label, SentenceFinding, Verdict

#: A sentence counts as evidence at or above this score.
COUNT_SCORE = 0.5
#: Score of a watchlist signal, and of a shared-vocabulary signal.
OWN_SIGNAL = 0.8
VOCAB_SIGNAL = 0.7
#: Talks between the same parties held at another venue than the commitment names.
VENUE_FACTOR = 0.85
#: Hostilities reported this soon after a ceasefire need an explicit link to it.
BREACH_GRACE = timedelta(days=1)
#: A breach sentence whose every date is this much older than the article is a recap (three
#: weeks: outlets report a clash within days; one named weeks later is the backstory of other
#: news).
STALE_BREACH = timedelta(days=21)
#: ... and a met event whose own clause dates it this much older (it was news then).
STALE_MET = timedelta(days=14)

# Token windows before a signal (same clause) in which a cue applies.
NEGATION_WINDOW = 5
CESSATION_WINDOW = 6
#: How far after a hostilities signal a decline ("have fallen to almost none") may stand.
DECLINE_WINDOW = 8
DENIAL_WINDOW = 12
MODAL_WINDOW = 3
IRREALIS_WINDOW = 8
BACKGROUND_WINDOW = 5
CONTACT_WINDOW = 6
DISCOVERY_WINDOW = 12
#: Words just before a ceasefire's name that tie hostilities to it ("hours after ceasefire").
_LINK_WORDS = frozenset({"after", "since", "despite"})
LINK_WINDOW = 6
#: Words before a signal in which an ``ongoing`` cue ("still") makes it a current state.
ONGOING_WINDOW = 3
#: Words before a signal in which a date names the event ("in *July* clashes").
DATED_SIGNAL_WINDOW = 2
#: Shared 4-word sequences with the commitment's statement that make a sentence a recap.
RECAP_GRAMS = 2

_L = SHIPPED.cue
#: The measured weights shipped with the package (``monitor train`` writes them).
SHIPPED_WEIGHTS = shipped_weights()

_GUARDS: dict[str, tuple[str, ...]] = {
    "neg": _L("negation"),
    "stop": _L("cessation"),
    "deny": _L("denial"),
    "counter": _L("counter_denial"),
    "hedge": _L("hedge"),
    "cond": _L("conditional"),
    "modal": _L("modal"),
    "irrealis": _L("irrealis"),
    "bg": _L("background"),
    "generic": _L("generic"),
    "accuse": _L("accusation"),
    "specific": _L("specific"),
    "mil": _L("militant"),
    "link": _L("ceasefire_link"),
    "gov": _L("government"),
    "clause": _L("clause_words"),
    "threat": _L("threat"),
    "bgall": _L("background_anywhere"),
    "compare": _L("comparison"),
    "mask": _L("mask"),
    "claim": _L("claim_nouns"),
    "bgwar": _L("background_hostilities"),
    "current": _L("current"),
    "ahead": _L("upcoming"),
    "venue": _L("venues"),
    "contact": _L("contact_verbs"),
    "resume": _L("resumption"),
    "others": _L("other_parties"),
    "prior": _L("prior_to"),
    "truce": _L("ceasefire_nouns"),
    "react": _L("reaction_verbs"),
    "proxy": _L("proxy"),
    "attempt": _L("attempt"),
    "sport": _L("sport"),
    "bmask": _L("breach_mask"),
    "mmask": _L("met_mask"),
    "taken": _L("taken_adjectives"),
    "found": _L("discovery"),
    "takeover": _L("takeover"),
    "expected": _L("future_after"),
    "people": _L("people_nouns"),
    "concession": _L("concession"),
    "inside": _L("place_marks"),
    "ownsoil": _L("own_ground"),
    "both": _L("both_parties"),
    "ongoing": _L("ongoing"),
    "expiry": _L("expiry"),
    "decline": _L("decline"),
    "contrast": _L("contrast"),
    "othervow": _L("other_obligations"),
    "calmseen": _L("calm_observed"),
    "holdseen": _L("holding_observed"),
    "doubt": _L("doubt"),
    "nature": _L("natural_causes"),
    "accident": _L("accidents"),
    "told": tuple(p for p in _L("mediators") if not p.startswith("@")),
    "noclause": _L("not_clause"),
}
_G = {name: f"G:{name}" for name in _GUARDS}

_DIGIT = re.compile(r"\d")
_DATE_WORDS = frozenset(
    """january february march april may june july august september october november december
    jan feb mar apr jun jul aug sep sept oct nov dec monday tuesday wednesday thursday friday
    saturday sunday last past yesterday ago spring summer autumn fall winter""".split()
)
_CARRIED_BY = frozenset(_L("carried_by"))
#: "The first contingent ... to arrive" names who did it; "the first step to ..." is a plan.
_ORDINALS = frozenset(_L("ordinals"))
_PLAN_NOUNS = frozenset(_L("plan_nouns"))
ORDINAL_WINDOW = 8
#: A decision carries out the breach its infinitive names ("decided to suspend").
_DECIDED = frozenset(_L("decided"))
_GERUND_TOPIC = frozenset(_L("gerund_topic"))
_CONTENTS = frozenset(_L("contents"))
#: Before any signal's -ing form, what a meeting or talk is about: "a meeting about
#: repatriating the remains" (``gerund_topic`` holds more, for a user's own phrases).
_TOPIC_PREPOSITIONS = frozenset(_L("topic_prepositions"))
_HELD_UP = tuple(_L("held_up"))
_HALT_WORDS = frozenset(w for w in _L("halt_words") if not w.endswith("*"))
_HALT_STEMS = tuple(w[:-1] for w in _L("halt_words") if w.endswith("*"))
_POLAR = frozenset(w for w in _L("polar_verbs") if not w.endswith("*"))
_POLAR_STEMS = tuple(w[:-1] for w in _L("polar_verbs") if w.endswith("*"))
_EXAMPLES = frozenset(_L("examples"))
_DRILLS = frozenset(_L("drills"))
#: The month (not the verb): "in May", "early May", "May 12".
_MONTH_MAY = re.compile(r"\b(?:in|of|the|early|mid|late|last|this|since)[\s-]+May\b|\bMay\s+\d")


def _line_start(phrases: Sequence[str], end: str) -> re.Pattern[str]:
    """A line that opens with one of ``phrases`` (any spacing, any case), then ``end``."""
    alternatives = "|".join(r"\s+".join(map(re.escape, p.split())) for p in phrases)
    return re.compile(rf"\W*(?:{alternatives}){end}", re.IGNORECASE)


_LINK_LINE = _line_start(_L("link_lines"), r"\b")
_FILE_CAPTION = _line_start(_L("file_captions"), r"\s*[-:\u2013\u2014]")
#: "NORTHPORT:", "EASTVALE, Dec 3 -", "GENEVA (Agency) -": where the story was filed.
_DATELINE = re.compile(r"[A-Z][A-Z .'-]{2,}(?::|,| \(| -)")
_BEFORE = "about events before"
_CONTEXT = "about it only through the article's context"
#: Vetoes that tell whose event a sentence reports (another party's, another conflict's).
_ACTING = " is named as the one acting, not "
_OTHER_CONFLICT = "other conflict: "
_OTHER_PARTIES = "about other parties: "
_WHOSE = (_ACTING, _OTHER_CONFLICT, _OTHER_PARTIES)
_SPEECH = frozenset(_L("speech_verbs"))
#: Clause words that start what a speaker says next ("..., reaffirming that ...").
_SAYING = frozenset(
    {"and said", "saying", "adding", "reaffirming", "reiterating", "insisting", "stressing"}
)
_NONCOMMITTAL = frozenset(_L("noncommittal"))
#: Verbs whose object is told or asked, not the one acting ("tells the US it needs ...").
_ADDRESSING = frozenset(_L("addressing_verbs"))
#: Word starts before a modal that make a ceasefire's future a reported reaffirmation ("we
#: agreed that the ceasefire will continue"), and the nouns among them that do so before "will"
#: only ("the agreement under which ...", not "agreements that would allow an extension").
_AFFIRM = tuple(_L("affirming"))
_AFFIRM_NOUNS = tuple(_L("affirming_nouns"))
#: Words after a party's name that make it a group's base or backer ("Westland-based"), as
#: one-word lists (a token slice).
_GROUP_MODIFIERS = [[w] for w in _L("group_modifiers")]
#: Words before those one holds talks with ("talks *with* the Front", "*between* ...").
_COUNTERPART_MARKS = frozenset(_L("counterpart_marks"))
#: Words just before a group's name that exclude it ("not with the Front", "never the Front").
_NOT_WITH = frozenset({"not", "never", "nor", "excluding"})
#: Words before the group's name within which such a word excludes it ("will *not*
#: negotiate with the banned Front").
NOT_WITH_WINDOW = 5
#: Words that call a claim false when said of it ("claims of X are *disinformation*").
_CALLED_FALSE = frozenset(_L("called_false"))
#: Casualty words before "after": the hostilities after it caused them ("wounded after ...").
_CASUALTY = frozenset(_L("casualty"))
#: Words before a one-word -s form that make it a noun ("prisoner releases").
_NOUN_LEADS = frozenset(_L("noun_leads"))
#: Modals of will: before a negated signal they state a position ("will never be restored").
_WILL = frozenset({"will", "would", "shall"})
#: Words after a comma that go on with the clause before it (", including ...").
_GOES_ON = frozenset(_L("clause_goes_on"))
#: Words before a mention that make it an object ("talks *with* the Front").
_OBJECT_MARKS = frozenset({"with", "to", "against", "on", "from", "in", "at", "near", "inside"})
#: Determiners that make a noun phrase name a known thing ("*the* mechanism agreed in
#: Eastport"), and auxiliaries that make a participle after it a predicate ("was agreed").
_DEFINITE = frozenset({"the", "this", "that", "its", "their", "his", "her"})
_AUXILIARY = frozenset({"was", "were", "is", "are", "been", "be", "being", "has", "have", "had"})
#: Words next to a date that make it the date of the pledge itself ("the *March 10 agreement*",
#: "*signed* in March", "the *deadline* of December 2026", "*by* the end of 2025"), not of an
#: event reported.
_PLEDGE_STEMS = ("agree", "sign", "deal", "accord", "pact", "treat", "deadline", "declar", "due")
PLEDGE_DATE_WINDOW = 3
#: Words before a noun that make it a subject's head ("*the* plan to", "the Front*'s*
#: commitment to"): an intent cue after one names what stalled, not a wish.
_SUBJECT_LEADS = frozenset({"the", "a", "an", "its", "their", "his", "her", "this", "that", "s"})
#: Words that end a noun-phrase signal ("graduation *of*", "handover *to*").
_PREPOSITIONS = frozenset({"of", "from", "to", "for", "on", "with", "by", "in"})
_COMPOUND_HEADS = frozenset(_L("compound_heads"))
_VENUE_MARKS = frozenset(_L("venue_marks"))
#: How far after such a signal its noun phrase's predicate may stand.
SIGNAL_PHRASE_WINDOW = 10
#: Words that open a relative clause ("Northland, *which* has threatened ..., said ...").
_RELATIVE_OPENERS = frozenset({"which", "who", "whose", "whom"})
#: Auxiliaries that make the signal after them its clause's own verb ("... *has* stalled").
_FINITE = frozenset({"has", "have", "had", "is", "are", "was", "were", "been"})
_HAVE = frozenset({"has", "have", "had"})
#: Words that join names ("government *of* Northland"): no part of the name itself.
_FUNCTION_WORDS = frozenset({"the", "of", "a", "an", "and", "in", "on", "for", "to", "s", "-"})
#: Hostilities before a ceasefire noun this close after a ``PRIOR_TO`` cue happened before it.
PRIOR_WINDOW = 2
#: ... or this close when the words between say it was agreed ("before the two sides agreed
#: to a ceasefire").
PRIOR_AGREED_WINDOW = 7
_AGREED = ("agree", "sign", "reach", "declar", "announc", "brokered", "struck")
#: A ceasefire noun this close before a cessation cue ("the truce ... ended a week of fighting")
#: places the hostilities after the cue before the truce.
TRUCE_ENDED_WINDOW = 4
#: ... when the cue takes a span of time as its object ("ended *a week* of fighting").
_SPAN_OPENERS = frozenset(
    "a an the weeks days months years more nearly almost over several two three four".split()
)
#: ``PRIOR_TO`` cues that can open a sentence ("Before the truce, ..."), and the words after a
#: ceasefire noun that make it the truce's end, not its start ("before the truce expired").
_LEADING_PRIOR = frozenset({"before", "prior to", "ahead of", "until", "till"})
_ENDED = frozenset({"expired", "expires", "ended", "ends", "lapsed", "lapses", "ran", "collapsed"})
#: Background time cues that apply to their clause only, and only when they date the event
#: before the commitment ("last month" in December is after an October pledge).
_DATED_BACKGROUND = frozenset(_L("dated_background"))
#: An event's own time: relative clauses, the past perfect and its reported-speech exception,
#: rounds named by ordinal, agreements named by their date, backstory clauses (``en.yaml``).
_RELATIVE = frozenset(_L("relative_words"))
_RELATIVE_THAT = _RELATIVE | {"that"}
#: What sets off an aside, and what ends one ("the Front - which ... in 2008 - said").
_ASIDE_OPENERS = frozenset({",", "-", "\u2013", "\u2014", "("})
_ASIDE_CLOSERS = frozenset({",", "-", "\u2013", "\u2014", ")", ";"})
#: Two capitalised names joined by a hyphen ("the Northern-Eastern border").
_HYPHEN_PAIR = re.compile(r"\b([A-Z][\w']+)[-\u2013]([A-Z][\w']+)\b")
_HYPHEN_PREFIXES = frozenset(_L("hyphen_prefixes"))
_OPPOSING = frozenset(_L("opposing_prefixes"))
_PAST_PERFECT = frozenset(_L("past_perfect"))
_PERFECT_GOING_ON = frozenset(_L("perfect_going_on"))
_SUPERLATIVE = frozenset(_L("superlative"))
_REPORTING = frozenset(p.split()[0] for p in _L("reporting"))
_ORDINAL = {w: i + 1 for i, w in enumerate(_L("ordinals"))} | {
    w: i + 1 for i, w in enumerate(_L("ordinal_numbers"))
}
_ROUNDS = frozenset(_L("round_nouns"))
_EARLIER_ROUNDS = frozenset(_L("earlier_rounds"))
_ROUND_COUNTS = frozenset(_L("round_counts"))
_STANDING = frozenset(p.split()[0] for p in _L("standing_nouns"))  # "cease fire": "cease"
_BACKSTORY = frozenset(_L("backstory"))
_KNOWN = frozenset(_L("known_determiners"))
_DETERMINERS = frozenset(_L("determiners"))
_PREPOSITIONAL_MODALS = frozenset(_L("prepositional_modals"))
#: The one-word modals: before a negation they make it a refusal or a forecast ("would not
#: hold talks"), not a report that what was due did not happen.
_INTENT = frozenset(w for w in _L("modal") if w.isalpha())
_MODAL_AFTER = frozenset(_L("modal_after"))
_EPITHET_HEADS = frozenset(_L("epithet_heads"))
_PLAN_OF = frozenset(_L("plan_of_nouns"))
_LEADING_CONDITIONS = tuple(tuple(tokenize(p)) for p in _L("leading_conditional"))
_LEADING_FIRST = frozenset(words[0] for words in _LEADING_CONDITIONS)
_SENTENCE_OPENERS = frozenset(_L("sentence_openers"))
_LEADING_OPEN = _LEADING_FIRST | _SENTENCE_OPENERS  # (a sentence's first word, checked first)
#: After a negation word, an idiom's second word ("not only", "no doubt").
_NOT_NEGATING = frozenset(_L("not_negating"))
#: After a negated intent, a precondition makes it a refusal: "will not hold talks until ...".
_PRECONDITION = frozenset(_L("precondition"))
#: Before a kind's bare verb ("to hold talks", "will hold talks"): a plan, not the event.
_BEFORE_BARE = _INTENT | {"to"} | _DETERMINERS  # ("the launch of": a noun)
#: What joins a list of names ("Eastland, Northland and Westland").
_LIST_MARKS = frozenset({",", "and"})
_OBJECT_DETERMINERS = tuple(_L("object_determiners"))
#: Words after a verb that do not start its object (a preposition, a particle, a determiner
#: already there): "pulled out of", "triggered the snapback".
_OBJECT_NOT = frozenset((*_L("phrase_ends"), *_L("particles"), *_L("determiners")))
_PHRASE_ENDS = frozenset(_L("phrase_ends"))
#: Words that do not stand between a user's verb and its object's noun as a modifier
#: ("triggered the UN snapback", not "released no prisoners" or "released them to").
_GAP_NOT = _OBJECT_NOT | frozenset(
    w
    for w in (
        *_L("negation"),
        *_L("relative_words"),
        *_L("past_markers"),
        *AUXILIARIES,
        *_L("not_modifiers"),
    )
    if " " not in w
)
#: Words a determiner may stand before its noun ("the US-Israeli air strikes").
NOUN_PHRASE_WINDOW = 3
#: The reasons that date a breach too early (before the commitment, weeks back).
_TIME_BLOCKS = (_BEFORE, "dated only to a period", "a recap", "the hostilities are dated before")
_TIME_RELATIVE = frozenset(_L("time_relative"))
_ONSET = frozenset(_L("onset"))
#: Word stems that name a violation ("violated", "breaches", "flouted"): hostilities in a
#: sentence with one of them and a truce word are tied to the truce.
_VIOLATION_STEMS = tuple(_L("violation_stems"))
_TIME_SPANS = frozenset(_L("time_spans"))
#: Words after "clashes with" or "between" that name whom the clash is with.
FOE_WINDOW = 8
#: Words after "clashes with" that name the sides themselves ("with each other", "with them").
_EACH_OTHER = frozenset(_L("each_other"))
#: Words between a backstory word and "<span> of" ("after enduring over 50 days of shelling").
SPAN_WINDOW = 5
_PAST_MARKERS = frozenset(_L("past_markers"))
_TIME_CLAUSE = frozenset(_L("time_clause"))
_SUBJECT_PRONOUNS = frozenset(_L("subject_pronouns"))
_TOLL = tuple(tuple(p.split()) for p in _L("toll"))
_PARTICIPLE_HEADS = frozenset(_L("participle_heads"))
_STATIVE = frozenset(_L("stative_participles"))
_RECENT_GAP = frozenset(_L("recent_gap"))
#: A span of time just before "after" or "since" ("a day after", "weeks since").
_GAP_WORDS = _TIME_SPANS | _RECENT_GAP
#: Words after another obligation's cue that may still name the truce as its object.
OBJECT_WINDOW = 4
#: Words before a met signal within which such an anchor is looked for.
ANCHOR_WINDOW = 10
#: Words an ordinal may stand before its round noun ("the third and final round").
ROUND_GAP = 3
#: A sentence's opening phrase of at most this many words, then a comma, dates the clauses
#: that name no time of their own ("On October 27-28, ..."; "Last month, ...").
OPENER_WORDS = 6
#: Tokens written without a space before them.
_GLUED = frozenset({",", ";", ":", ")", "!", "?"})
#: Words between "since" and a date that it still governs ("since the truce of October 19").
SINCE_WINDOW = 4
#: Verbs of agreeing before an agreement's date (not "struck": hostilities strike too).
_AGREEING = tuple(a for a in _AGREED if a != "struck")
#: Words before a date in which a verb of agreeing makes it an agreement's date ("a truce
#: brokered in Eastport on October 19").
AGREED_DATE_WINDOW = 5
#: A background cue's factor on the score (the same for every kind of background).
BACKGROUND_FACTOR = 0.45
#: The lead is the first body sentence of at least this many words (not a dateline or byline).
LEAD_WORDS = 8
#: A body sentence dated this close to publication is as new as the headline's event.
CURRENT_DAYS = 2


@dataclass(frozen=True, slots=True)
class _PairSpec:
    """A ``data.Pair`` compiled to index keys."""

    key: str  # the K:<kind>:B or K:<kind>:M key its hits are filed under
    name: str
    first: tuple[str, ...]  # keys (phrase keys or entity ids prefixed "E:")
    second: tuple[str, ...]
    window: int
    ordered: bool
    subject_first: bool
    keys: tuple[str, ...]  # the keys its hits carry
    barrier: frozenset[str]  # tokens that may not stand between the cues
    participle: bool  # see ``vocab.Pair.participle``
    weak_if_statement: tuple[str, ...]  # see ``data.Pair.weak_if_statement``


@dataclass(frozen=True, slots=True)
class _Rule:
    """One commitment, compiled."""

    commitment: Commitment
    topic: str
    breach: tuple[str, str]
    met: tuple[str, str]
    weak: str
    exclude: str
    kind_topic: str
    statement_grams: frozenset[tuple[str, ...]]
    statement_words: frozenset[str]
    gram_words: frozenset[str]  # the words of ``statement_grams``
    names: tuple[str, ...]  # parties and subjects
    near: frozenset[str]  # keys a sentence needs one of to be looked at
    profile: int  # rules with equal profiles judge alike when their own words are absent
    #: Its topic, breach, met and exclude phrases (canonical), each marked with its part:
    #: "T:<phrase>", "B:...", "M:...", "X:...".
    own_marks: frozenset[str]
    venues: frozenset[tuple[tuple[str, bool], ...]]  # the places it names (_L("venues"))
    b: Behaviour  # how its kind is judged
    mutual: bool = False  # its statement binds every party ("both sides will pull back")
    #: Two-cue signals that are weak for it: its statement names an outcome they do not show.
    weak_pairs: frozenset[str] = frozenset()
    #: Its kind's two-cue signals that must be with its parties, or name them (by name).
    counterpart_pairs: frozenset[str] = frozenset()
    named_pairs: frozenset[str] = frozenset()
    #: Its breach and met keys (a sentence with none of them has nothing to weigh).
    signal_keys: frozenset[str] = frozenset()
    #: The days the pledge names: said, effective, deadline, window, renewals' deadlines.
    pledge_days: tuple[date, ...] = ()
    #: Its topics of one word written in lower case ("road"), not a name ("Jeddah").
    common_topics: frozenset[str] = frozenset()
    #: The participles of its passive signals ("released" for "were released"), which count
    #: bare only as a headline's verb.
    bare_participles: frozenset[str] = frozenset()


@dataclass(slots=True)
class _Sentence:
    text: str
    tokens: list[str]
    hits: dict[str, list[PhraseHit]]
    phrases: set[str]  # every phrase found (kept only when rules can share a judgement)
    present: set[str]  # the keys of ``hits`` and "E:<id>" for each entity named
    entities: dict[str, list[PhraseHit]]  # longest-match entity mentions
    clauses: Callable[[], list[int]]  # computes ``clause_start``
    #: Two-cue signals whose second cue is the predicate: the hit -> that cue.
    predicates: dict[PhraseHit, PhraseHit] = field(default_factory=dict)
    dates: list[DateRef] | None = None  # filled on first use
    events_dated: list[DateRef] | None = None  # ``dates`` less agreements' dates; on first use
    #: Its dates with the tokens they span (first, last); filled on first use.
    token_dates: list[tuple[DateRef, int, int]] | None = None
    grams: frozenset[tuple[str, ...]] | None = None
    #: Hyphened pairs of capitalised names ("Northern-Eastern"), lower-cased; on first use.
    name_pairs: list[tuple[str, str, str]] | None = None
    _clause_start: list[int] | None = None

    @property
    def clause_start(self) -> list[int]:
        """Per token: the index of the first token of its clause (computed on first use)."""
        if self._clause_start is None:
            self._clause_start = self.clauses()
        return self._clause_start


@dataclass(slots=True)
class _Weighing:
    """One sentence being weighed for one label: what the guards read and write."""

    rule: _Rule
    s: _Sentence
    art: _Article
    breach: bool
    sig: list[PhraseHit]
    live: list[PhraseHit]
    strong: bool
    signals: tuple[str, ...] = ()
    blocks: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    score: float = 0.0
    factor: float = 1.0
    first: int = 0
    linked: bool = False
    #: Its signals are all weak ("no statement had been released").
    weak_only: bool = False


@dataclass(slots=True)
class _Article:
    published_at: datetime | None
    sentences: list[_Sentence]
    headline: str | None = None  # the title's text, when the article has one
    entities: set[str] = field(default_factory=set)
    keys: set[str] = field(default_factory=set)
    #: The highest ordinal of a round the headline or lead names (0: none); computed on use.
    current_round: int | None = None

    def count(self, key: str) -> int:
        return sum(len(s.hits.get(key, ())) for s in self.sentences)


def _grams(
    tokens: Sequence[str], n: int = 4, skip: frozenset[int] = frozenset()
) -> frozenset[tuple[str, ...]]:
    """The sentence's ``n``-word sequences; none through the tokens at ``skip`` (names)."""
    words = [("" if i in skip else t) for i, t in enumerate(tokens) if t[:1].isalnum()]
    grams = zip(*(words[k:] for k in range(n)), strict=False)  # (each run of n words)
    return frozenset(g for g in grams if "" not in g) if skip else frozenset(grams)


def _attributive(tokens: Sequence[str], cue: PhraseHit) -> bool:
    """A one-word past participle after a determiner (and an adverb), or in a compound
    adjective: it describes the noun after it ("the recently *signed* declaration",
    "long-*delayed* peace talks"), a known thing, not an event told."""
    if cue.end - cue.start != 1 or not participle(tokens[cue.start], SHIPPED.forms):
        return False
    i = cue.start - 1
    if i >= 0 and tokens[i] in _PARTICIPLE_HEADS:
        return True
    if i > 0 and tokens[i].endswith("ly"):
        i -= 1
    return i >= 0 and tokens[i] in _DETERMINERS


def _compound_adjective(tokens: Sequence[str], hit: PhraseHit) -> bool:
    """A signal that opens with a past participle after a compound's head, and no auxiliary
    before that, describes the noun after it ("Southland's much-delayed treaty", "the
    long-postponed talks"), a known thing, not an event told ("talks were long delayed" is)."""
    i = hit.start - 1
    return (
        i >= 0
        and tokens[i] in _PARTICIPLE_HEADS
        and (i == 0 or tokens[i - 1] not in _AUXILIARY)
        and hit.start + 1 < len(tokens)
        and tokens[hit.start + 1].isalpha()  # (the noun, inside the signal or after it)
        and participle(tokens[hit.start], SHIPPED.forms)
    )


def _plural_noun(tokens: Sequence[str], cue: PhraseHit) -> bool:
    """A one-word -s verb cue after a determiner (a compound's "co-" aside): a plural noun,
    not a headline's present ("informed *the co-chairs* of the talks", "its hosts")."""
    if cue.end - cue.start != 1 or not tokens[cue.start].endswith("s"):
        return False
    i = cue.start - 1
    if i >= 1 and tokens[i] in _COMPOUND_HEADS:  # ("co-chairs": "co", "chairs")
        i -= 1
    return i >= 0 and tokens[i] in _DETERMINERS


def _toll_follows(tokens: Sequence[str], at: int) -> bool:
    """Whether a war's toll (``toll``: "that has left", "which has killed") starts at ``at``."""
    return any(tuple(tokens[at : at + len(t)]) == t for t in _TOLL)


def _truce_mates(rules: Sequence[_Rule]) -> dict[str, frozenset[str]]:
    """Each party of a truce (a kind where militant attacks are no breach), who fights -> the
    parties of the truces it is a party of."""
    mates: dict[str, set[str]] = {}
    for r in rules:
        if r.b.militant_attack_not_breach:
            for p in r.commitment.parties:
                mates.setdefault(p, set()).update(r.commitment.parties)
    return {p: frozenset(ps) for p, ps in mates.items()}


def _common_topics_only(rule: _Rule, art: _Article) -> bool:
    """Whether the article has topic words of the commitment's own and every one is a common
    word the user wrote in lower case ("road", "traffic"), no name."""
    common = rule.common_topics
    hits = [h for s in art.sentences for h in s.hits.get(rule.topic, ())]
    return bool(hits) and all(h.phrase in common for h in hits)


def _pledge_days(c: Commitment) -> tuple[date, ...]:
    """The days a commitment names: said, effective, deadline, window, renewals' deadlines."""
    times = (
        c.said_at,
        c.effective_at,
        c.deadline_at,
        c.window_start_at,
        c.window_end_at,
        *(r.deadline for r in c.renewals),
    )
    return tuple(t.date() for t in times if t is not None)


def _may_share_grams(tokens: Sequence[str], gram_words: frozenset[str], n: int = 4) -> bool:
    """Whether ``tokens`` can share ``RECAP_GRAMS`` of the statement's ``n``-word sequences
    (``_grams``): those cover at least ``n + RECAP_GRAMS - 1`` of its words, each a word of
    the statement's sequences (a cheap test before the sequences are built)."""
    need = n + RECAP_GRAMS - 1
    return len([t for t in tokens if t in gram_words]) >= need


_MONTH_LEAD = frozenset(_L("month_lead"))
_WILL_NOUN_LEAD = frozenset(_L("will_noun_lead"))


def _epithet(tokens: Sequence[str], hit: PhraseHit) -> bool:
    """A one-word "-ing" signal right after a group's noun, with a word after it, describes
    the group ("the coalition fighting the rebels announced ...")."""
    i = hit.start
    return (
        hit.end == i + 1
        and i > 0
        and tokens[i].endswith("ing")
        and tokens[i - 1] in _EPITHET_HEADS
        and i + 1 < len(tokens)
        and tokens[i + 1].isalpha()
    )


def _leading_condition(tokens: Sequence[str]) -> tuple[int, int] | None:
    """The span of a conditional word that opens the sentence ("If ...", "But should ..."),
    after which every clause is hypothetical; or None."""
    i = 0
    while i < len(tokens) and tokens[i] in _SENTENCE_OPENERS:
        i += 1
    if i >= len(tokens) or tokens[i] not in _LEADING_FIRST:
        return None
    for words in _LEADING_CONDITIONS:
        if tuple(tokens[i : i + len(words)]) == words:
            return i, i + len(words)
    return None


def _not_modal(tokens: Sequence[str], hit: PhraseHit) -> bool:
    """Whether a modal cue is a noun here: "may" the month, after a month lead ("late May",
    "in May") or before a day or year ("May 5", "May 2024"); "will" after a word that makes
    it a noun ("the political will", "lack of will", "goodwill"); "due to" before a determiner,
    a cause ("due to the breakdown of the talks"), not a schedule ("due to meet")."""
    if hit.end - hit.start != 1:
        return (
            hit.phrase in _PREPOSITIONAL_MODALS
            and hit.end < len(tokens)
            and tokens[hit.end] in _DETERMINERS
        )
    before = tokens[hit.start - 1] if hit.start else ""
    if tokens[hit.start] == "will":
        return before in _WILL_NOUN_LEAD
    if tokens[hit.start] != "may":
        return False
    after = tokens[hit.end] if hit.end < len(tokens) else ""
    return before in _MONTH_LEAD or after.isdigit()


def _overlaps(hits: Sequence[PhraseHit], cues: Sequence[PhraseHit]) -> bool:
    """Whether any signal overlaps any cue."""
    return any(h.start < c.end and c.start < h.end for h in hits for c in cues)


def _venues(c: Commitment) -> frozenset[tuple[tuple[str, bool], ...]]:
    """The venues (``_L("venues")``) that a commitment's statement, title or topics name."""
    text = " ".join((c.statement, c.title, " ; ".join(c.topics)))
    found = PhraseIndex((v, "v") for v in _L("venues")).find(tokenize(text))
    return frozenset(phrase_words(h.phrase) for h in found)


def _aside_dates(w: _Weighing) -> set[int]:
    """The ids of the sentence's dates inside an aside when a signal weighed stands outside it:
    a relative clause set off by a comma, a dash or a bracket ("the Front - which launched an
    assault on the capital in 2008 - said it attacked the town"): they date the aside only."""
    s = w.s
    tokens = s.tokens
    if not s.token_dates or _RELATIVE.isdisjoint(tokens):
        return set()
    hits = w.live or w.sig
    out: set[int] = set()
    for i, t in enumerate(tokens):
        if t not in _RELATIVE or not i or tokens[i - 1] not in _ASIDE_OPENERS:
            continue
        end = next(
            (j for j in range(i + 1, len(tokens)) if tokens[j] in _ASIDE_CLOSERS), len(tokens)
        )
        if all(i <= h.start < end for h in hits):
            continue  # (it tells every signal: its dates are theirs)
        out.update(id(d) for d, first, _ in s.token_dates if i < first < end)
    return out


def _another_relative(tokens: Sequence[str], start: int, end: int) -> bool:
    """A relative word in ``start``..``end`` that is not right after the noun before
    ``start`` ("the meeting builds on a rapprochement *that* began": another noun's verb;
    not "the meeting that began", "the talks, which began")."""
    return any(
        tokens[i] in _RELATIVE_THAT and i != start and not (i == start + 1 and tokens[start] == ",")
        for i in range(start, end)
    )


def _noun_form(c: Commitment, tokens: Sequence[str], h: PhraseHit) -> bool:
    """ "Prisoner releases", "the exchanges": a one-word -s form of the watchlist's verb signal
    ("released") after a determiner or a noun is the noun, not the event."""
    if h.end - h.start != 1 or not tokens[h.start].endswith("s") or not h.start:
        return False
    word = tokens[h.start]
    if any(word == p.lower() for p in (*c.breach_signals, *c.met_signals)):
        return False  # the user's own word
    if not any(k.startswith("C:") for k in h.keys):
        return False  # a kind's phrase, not a form of the user's
    return tokens[h.start - 1] in _NOUN_LEADS


#: The auxiliaries of a user's passive phrase ("were released") that a headline leaves out.
_PASSIVE_AUX = frozenset(_L("passive_aux"))
#: Forms of "be" before a participle: the passive itself, not a bare participle.
_BE_FORMS = frozenset(_L("be_forms"))
#: After a headline's bare participle, the words that show it is the verb ("girls released
#: by", "Council Dissolved, ..."), not an adjective ("kidnapped merchants").
_BARE_PARTICIPLE_NEXT = frozenset(_L("bare_participle_next"))


def _headline_participles(phrases: Sequence[str]) -> frozenset[str]:
    """The participles of a user's passive phrases ("released" for "were released", "has been
    freed"), which a headline writes bare ("82 girls released by ...")."""
    return frozenset(
        words[-1]
        for words in (p.lower().split() for p in phrases)
        if len(words) >= 2 and _PASSIVE_AUX.issuperset(words[:-1]) and _past_form(words[-1])
    )


def _bare_participle(
    c: Commitment, bare: frozenset[str], s: _Sentence, h: PhraseHit, headline: bool
) -> bool:
    """Whether a hit is the bare participle of a user's passive phrase ("released" for "were
    released") that is not the verb of a headline: it counts only in the headline, after a
    word that is not a determiner, before "by", "in", "from", a comma or the end."""
    tokens = s.tokens
    if h.end - h.start != 1 or tokens[h.start] not in bare:
        return False
    if any(k.startswith("K:") and k.endswith((":B", ":M", ":W")) for k in h.keys):
        return False  # a kind's own signal
    if any(tokens[h.start] == p.lower() for p in (*c.breach_signals, *c.met_signals)):
        return False  # the user's own word
    if h.start and tokens[h.start - 1] in _BE_FORMS:
        return False  # (the passive itself)
    if not headline or not h.start or tokens[h.start - 1] in _DETERMINERS:
        return True
    after = tokens[h.end : h.end + 1]
    return bool(after) and after[0] not in _BARE_PARTICIPLE_NEXT


def _past_form(token: str) -> bool:
    """A regular past form ("freed", "released")."""
    return len(token) > 4 and token.endswith("ed")


def _auxiliary_have(tokens: Sequence[str], cue: PhraseHit) -> bool:
    """A cue ending in "has", "have" or "had" with a past participle after it is the
    auxiliary of that verb, not possession ("had blocked the army" keeps no army)."""
    if tokens[cue.end - 1] not in _HAVE or cue.end >= len(tokens):
        return False
    return participle(tokens[cue.end], SHIPPED.forms)


def _masks(m: PhraseHit, h: PhraseHit, inside_ok: bool, subject: bool = False) -> bool:
    """Whether mask ``m`` hides signal ``h``: they overlap, unless they cover the same words,
    or (``inside_ok``) the signal holds the mask and more, or (``subject``) the signal's
    subject is the mask's last word and what happened to it comes after the mask ("ceasefire
    *talks collapsed*": the talks did)."""
    if not (m.start < h.end and h.start < m.end):
        return False
    if (m.start, m.end) == (h.start, h.end) or (subject and h.start == m.end - 1 < h.end - 1):
        return False
    return not (inside_ok and h.start <= m.start and m.end <= h.end)


def _spans(hits: Sequence[PhraseHit]) -> int:
    """How many separate stretches of text the hits cover (overlapping ones are one)."""
    n = 0
    end = -1
    for h in sorted(hits):
        if h.start >= end:
            n += 1
        end = max(end, h.end)
    return n


def _is_link_line(sentence: str) -> bool:
    """ "Also read: ..." and similar lines point to other stories; "FILE - ..." captions an
    archive photo."""
    return _LINK_LINE.match(sentence) is not None or _FILE_CAPTION.match(sentence) is not None


#: A pair cue that stands for the parties of the kind's commitments after the first (the ones
#: told, met or acted on: "informed @others" is "informed" and any of them).
OTHER_PARTIES = "@others"
#: A pair cue that stands for one of the commitment's own topics ("freed @topics": "freed"
#: and the captive the user names): such a pair is compiled once per commitment.
OWN_TOPICS = "@topics"
_SPECIAL_CUES = frozenset((OTHER_PARTIES, OWN_TOPICS))


def _side(
    kind: str,
    label: str,
    i: int,
    side: str,
    cues: Sequence[str],
    entries: list[tuple[str, str]],
    others: Sequence[str] = (),
) -> tuple[str, ...]:
    key = f"P:{kind}:{label}:{i}:{side}"
    keys = [f"E:{c[1:]}" for c in cues if c.startswith("@") and c not in _SPECIAL_CUES]
    if OTHER_PARTIES in cues:
        keys.extend(f"E:{p}" for p in others)
    phrases = [c for c in cues if not c.startswith("@")]
    if phrases:
        entries.extend((p, key) for p in phrases)
        keys.append(key)
    return tuple(keys)


def _vocabulary(c: Commitment) -> KindData:
    """The commitment's kind vocabulary (the watchlist's, else the shipped one)."""
    return c.vocabulary if c.vocabulary is not None else SHIPPED.kinds[c.kind]


def _own_entries(c: Commitment, forms: dict[str, list[str]]) -> list[tuple[str, str]]:
    """Index entries for a commitment's own phrases, with their other forms.

    ``forms`` collects phrase -> its forms (inflections; demonyms for ``exclude``).
    """
    pre = f"C:{c.id}:"
    out: list[tuple[str, str]] = []
    topics = _own_topics(c)
    for suffix, phrases in (
        ("T", c.topics),
        ("B", _with_other_topics(topics, _breach_phrases(c))),
        ("M", _with_other_topics(topics, c.met_signals)),
    ):
        for p in phrases:
            forms[p] = forms.get(p) or signal_forms(p)
            out.extend((f, pre + suffix) for f in forms[p])
        if suffix != "T":
            out.extend((bare, pre + suffix) for bare in _headline_participles(phrases))
    for p in c.exclude:
        forms[p] = forms.get(p) or demonyms(p, SHIPPED.demonym_endings)
        out.extend((f, pre + "X") for f in forms[p])
    for i, (signal, unless) in enumerate(c.exceptions):
        out.extend((f, f"{pre}S{i}") for f in phrase_forms(signal, SHIPPED.forms))
        out.extend((f, f"{pre}U{i}") for p in unless for f in phrase_forms(p, SHIPPED.forms))
    return out


def _own_topics(c: Commitment) -> list[str]:
    """The commitment's topics and its own kind's (not a shipped kind's)."""
    kind = _vocabulary(c)
    return [*c.topics, *(() if kind.name in SHIPPED.kinds else kind.topics)]


def _with_other_topics(topics: Sequence[str], phrases: Sequence[str]) -> tuple[str, ...]:
    """``phrases`` and, for each that is a verb, a determiner and one of ``topics`` ("extended
    the state of emergency"), the verb with each other topic ("extended emergency rule",
    "extended the emergency decree"): a user's topics name one thing in several ways.  (Not
    after a preposition: "went to the polls" is an idiom, not a verb and its object; nor a
    verb whose object decides what it means, ``polar_verbs``: ending a truce breaks it,
    ending the violence keeps it.)"""
    named = {tuple(tokenize(t)): t for t in topics if not t.endswith("*") and t.strip()}
    out = list(phrases)
    for p in phrases:
        words = tokenize(p)
        for n in range(2, len(words)):
            if tuple(words[n:]) in named:
                head = words[: n - 1]
                if (
                    words[n - 1] in _OBJECT_DETERMINERS
                    and head[-1] not in _OBJECT_NOT
                    and not any(w in _POLAR or w.startswith(_POLAR_STEMS) for w in head)
                ):
                    lead = " ".join(head)
                    out.extend(f"{lead} {t}" for key, t in named.items() if key != tuple(words[n:]))
                break
    return tuple(dict.fromkeys(out))


def _breach_phrases(c: Commitment) -> tuple[str, ...]:
    """The commitment's breach signals, and for a kind whose behaviour has
    ``topic_held_up_is_breach`` each of its topics held up ("postponed the elections",
    "referendum delayed"; ``held_up`` in the language file), unless its title or statement
    is itself a halt or a removal ("suspends the joint exercises", "lifts the ban";
    ``halt_words``): then a halt is what was promised."""
    kind = _vocabulary(c)
    b = kind.behaviour
    if not b.topic_held_up_is_breach:
        return c.breach_signals
    said = tokenize(f"{c.title} {c.statement}")
    if not _HALT_WORDS.isdisjoint(said) or any(w.startswith(_HALT_STEMS) for w in said):
        return c.breach_signals
    root = kind.name in SHIPPED.kinds and kind.like == kind.name  # (its own held-up words)
    users = () if root else kind.topics
    topics = [t for t in dict.fromkeys((*c.topics, *users)) if not t.endswith("*")]
    held = tuple(f"{h} {t}" for t in topics for h in _HELD_UP)
    return (*c.breach_signals, *held)


def with_synonyms(phrase: str) -> list[str]:
    """A user's phrase, then the same with its verb's synonyms ("resumed oil exports",
    "restarted oil exports"; the language file's ``synonyms``)."""
    return [phrase, *synonym_phrases(phrase, SHIPPED.synonyms, SHIPPED.forms)]


def signal_forms(phrase: str) -> list[str]:
    """Every form of a user's phrase and of its synonyms (``with_synonyms``) that the judge
    looks for, each in the forms of ``_phrase_forms``."""
    return list(dict.fromkeys(f for p in with_synonyms(phrase) for f in _phrase_forms(p)))


def _phrase_forms(phrase: str) -> list[str]:
    """A user's phrase, its inflections, the same with an auxiliary before its past form
    ("elections postponed" ~ "elections were postponed"), and with a determiner before its
    object ("triggered snapback" ~ "triggered the snapback")."""
    forms = phrase_forms(phrase, SHIPPED.forms)
    with_det = determiner_forms(phrase, forms, SHIPPED.forms, _OBJECT_DETERMINERS, _OBJECT_NOT)
    modified = modifier_forms(phrase, forms, SHIPPED.forms, _OBJECT_DETERMINERS, _OBJECT_NOT)
    reordered = object_first_forms(phrase, SHIPPED.forms, _OBJECT_DETERMINERS, _OBJECT_NOT)
    return [*forms, *auxiliary_forms(phrase, SHIPPED.forms), *with_det, *modified, *reordered]


def _title_elsewhere(rule: _Rule, art: _Article) -> bool:
    """The headline names an excluded word and none of the commitment's parties or subjects:
    the article is about something else (another conflict)."""
    if not art.sentences:
        return False
    title = art.sentences[0]
    if rule.exclude not in title.hits:
        return False
    if not any(n in title.entities for n in rule.names):
        return True
    # "Northern missiles strike bases in Eastvale": the headline's event is at an excluded place
    return any(
        h.start and title.tokens[h.start - 1] in _VENUE_MARKS for h in title.hits[rule.exclude]
    )


def _excepted(c: Commitment, hit: PhraseHit, hits: Mapping[str, list[PhraseHit]]) -> bool:
    """Whether ``hit`` is a signal with exceptions and the sentence names one of them."""
    pre = f"C:{c.id}:"
    return any(f"{pre}S{i}" in hit.keys and f"{pre}U{i}" in hits for i in range(len(c.exceptions)))


#: Every phrase of the shipped root kinds (they list their forms); a kind's phrase that is not
#: one of them is a user's (a kind the watchlist adds or extends) and gets a user phrase's
#: forms, as do the phrases of a shipped kind judged like `other` (written as a user's are: a
#: user's same phrase in a kind of their own must keep its forms).
_SHIPPED_KIND_PHRASES = frozenset(
    p
    for kd in SHIPPED.kinds.values()
    if kd.like == kd.name
    for p in (*kd.topics, *kd.breach, *kd.met, *kd.weak)
)


def _users_kind_phrases(kd: KindData) -> list[str]:
    """The signals a user wrote into a kind (not the shipped kinds' own)."""
    return [p for p in (*kd.breach, *kd.met, *kd.weak) if p not in _SHIPPED_KIND_PHRASES]


def _kind_entries(kd: KindData) -> list[tuple[str, str]]:
    """Index entries for a kind's one-phrase signals and topics (a user's with its forms)."""
    pre = f"K:{kd.name}:"
    topics = [t for t in kd.topics if t not in _SHIPPED_KIND_PHRASES]
    return [
        (f, pre + suffix)
        for suffix, phrases in (("T", kd.topics), ("B", kd.breach), ("M", kd.met), ("W", kd.weak))
        for p in (phrases if suffix == "T" else _with_other_topics(topics, phrases))
        for f in ([p] if p in _SHIPPED_KIND_PHRASES else signal_forms(p))
    ]


def _kind_pairs(
    kd: KindData,
    entries: list[tuple[str, str]],
    others: Sequence[str] = (),
    ids: Sequence[str] = (),
) -> list[_PairSpec]:
    """A kind's two-cue signals compiled (their cues are added to ``entries``); ``others``: the
    parties after the first of the commitments of this kind (what ``@others`` stands for);
    ``ids``: those commitments, for whom a pair with ``@topics`` is compiled once each (its
    hits filed under the commitment's own key, carrying the kind's)."""
    out: list[_PairSpec] = []
    for i, pair in enumerate(kd.pairs):
        label = "B" if pair.label == "breach" else "M"
        key = f"K:{kd.name}:{label}"
        first = _side(kd.name, label, i, "a", pair.first, entries, others)
        second = _side(kd.name, label, i, "b", pair.second, entries, others)
        spec = _PairSpec(
            key,
            pair.name,
            first,
            second,
            pair.window,
            pair.ordered,
            pair.subject_first,
            (key, f"K:{kd.name}:W") if pair.weak else (key,),
            frozenset(pair.barrier),
            pair.participle,
            pair.weak_if_statement,
        )
        out.append(spec)
        for cid in ids if OWN_TOPICS in (*pair.first, *pair.second) else ():
            topic = (f"C:{cid}:T",)
            own = replace(spec, key=f"C:{cid}:{label}")
            if OWN_TOPICS in pair.first:
                out.append(replace(own, first=topic))
            if OWN_TOPICS in pair.second:
                out.append(replace(own, second=topic))
    return out


def _bare_cues(kinds: Iterable[KindData]) -> dict[str, frozenset[str]]:
    """Each pair's name -> the first words of its ``bare`` cues (after "to": a plan; for a
    ``subject_first`` pair, the verb of its predicate)."""
    out: dict[str, set[str]] = {}
    for kd in kinds:
        for pair in kd.pairs:
            for b in pair.bare:
                if words := phrase_words(b):
                    out.setdefault(pair.name, set()).add(words[0][0])
    return {name: frozenset(words) for name, words in out.items()}


def _base_entries(
    entities: Mapping[str, Entity], named: Sequence[str] = ()
) -> list[tuple[str, str]]:
    """Index entries for every entity's names (shipped and the watchlist's) and guard cue.

    ``named``: the entities the watchlist's commitments name; their names are never
    another conflict's (``other_parties``), whatever the shipped list says.
    """
    merged: dict[str, set[str]] = {}
    for source in (SHIPPED.entities, entities):
        for eid, ent in source.items():
            merged.setdefault(eid, set()).update(ent.aliases)
    entries: list[tuple[str, str]] = []
    for eid, aliases in merged.items():
        # (sorted: names that read alike, "CPN-UML" and "CPN (UML)", are one phrase, and which
        # spelling it keeps must not hang on a set's order)
        entries.extend((a, f"E:{eid}") for a in sorted(aliases))
    own = _own_names([a for eid in named for a in merged.get(eid, ())])
    for name, phrases in _GUARDS.items():
        if name == "others":
            phrases = tuple(p for p in phrases if p not in own)
        entries.extend((p, _G[name]) for p in phrases)
    return entries


def _names_pledge(tokens: Sequence[str], d: DateRef) -> bool:
    """Whether an agreement or deadline word stands within a few words of the date ``d``, or
    "by" just before it ("by December 2026", "by the end of 2025")."""
    want = [t for t in tokenize(d.text) if t not in PUNCTUATION]
    n = len(want)
    for i in range(len(tokens) - n + 1):
        if not n or tokens[i : i + n] != want:
            continue
        near = [
            *tokens[max(0, i - PLEDGE_DATE_WINDOW) : i],
            *tokens[i + n : i + n + PLEDGE_DATE_WINDOW],
        ]
        if any(t.startswith(_PLEDGE_STEMS) for t in near):
            return True
        if "by" in tokens[max(0, i - 4) : i] and not PUNCTUATION.intersection(tokens[i - 1 : i]):
            return True
    return False


def _overlapping_places(
    entities: Mapping[str, Entity], places: frozenset[str]
) -> dict[str, frozenset[str]]:
    """Each place -> the other places it shares a name with.  A watchlist that lists one name
    ("Goojacade") under two places says that they overlap: naming either is not "elsewhere"
    for the other."""
    names = {
        p: frozenset(tuple(tokenize(a)) for a in entities[p].aliases)
        for p in places
        if p in entities
    }
    return {p: frozenset(q for q in names if q != p and names[p] & names[q]) for p in names}


def _own_names_of(
    entities: Mapping[str, Entity], named: Sequence[str]
) -> tuple[frozenset[str], frozenset[tuple[str, str]]]:
    """The entities the watchlist's commitments name, and every pair of adjacent words in
    their names (shipped and the watchlist's): an ``exclude`` word next to the word before
    or after it in one of those names is part of that name."""
    pairs: set[tuple[str, str]] = set()
    for source in (SHIPPED.entities, entities):
        for eid in named:
            ent = source.get(eid)
            for alias in ent.aliases if ent is not None else ():
                toks = tokenize(alias)
                pairs.update(
                    (a, b)
                    for a, b in pairwise(toks)
                    if a not in _FUNCTION_WORDS and b not in _FUNCTION_WORDS
                )
    return frozenset(named), frozenset(pairs)


def _own_names(aliases: Sequence[str]) -> set[str]:
    """The ``other_parties`` phrases found in ``aliases`` ("Israeli*" in "Israeli forces")."""
    index = PhraseIndex((p, "o") for p in _GUARDS["others"])
    return {h.phrase for alias in aliases for h in index.find(tokenize(alias))}


def _form_bases(
    forms: Mapping[str, list[str]], canon: Mapping[tuple[tuple[str, bool], ...], str]
) -> dict[str, tuple[str, ...]]:
    """A found form -> the user phrases it is a form of (verdict sharing compares those)."""
    bases: dict[str, set[str]] = {}
    for phrase, phrase_forms_ in forms.items():
        if not phrase_words(phrase):
            continue
        base = canon[phrase_words(phrase)]
        for f in phrase_forms_:
            if phrase_words(f):
                bases.setdefault(canon[phrase_words(f)], set()).add(base)
    return {k: tuple(v) for k, v in bases.items() if v != {k}}


def _rule(
    c: Commitment,
    canon: Mapping[tuple[tuple[str, bool], ...], str],
    profiles: dict[tuple[object, ...], int],
) -> _Rule:
    """One commitment compiled; ``profiles`` numbers the ones that judge alike."""

    def own(phrases: Sequence[str]) -> frozenset[str]:
        return frozenset(canon[w] for w in map(phrase_words, phrases) if w)

    pre = f"C:{c.id}:"
    vocabulary = _vocabulary(c)
    kn = vocabulary.name
    grams = _grams(tokenize(c.statement))
    key: tuple[object, ...] = (kn, c.topics_required, c.exceptions, c.parties)
    key += (
        c.subjects,
        c.effective_at,
        c.effective_day,
        c.window_start_at,
        c.deadline_at,
        c.ended_at,
    )
    key += (c.ongoing, grams, c.statement)  # (the statement's case too: see _in_a_name)
    names = (*c.parties, *c.subjects)
    return _Rule(
        commitment=c,
        topic=pre + "T",
        breach=(pre + "B", f"K:{kn}:B"),
        met=(pre + "M", f"K:{kn}:M"),
        signal_keys=frozenset((pre + "B", f"K:{kn}:B", pre + "M", f"K:{kn}:M")),
        pledge_days=_pledge_days(c),
        common_topics=own([t for t in c.topics if " " not in t.strip() and t.islower()]),
        bare_participles=_headline_participles((*c.breach_signals, *c.met_signals)),
        weak=f"K:{kn}:W",
        exclude=pre + "X",
        kind_topic=f"K:{kn}:T",
        statement_grams=grams,
        statement_words=frozenset(tokenize(c.statement)),
        gram_words=frozenset(w for g in grams for w in g),
        names=names,
        near=frozenset({pre + "T", f"K:{kn}:T", _G["mil"], _G["both"], *(f"E:{n}" for n in names)}),
        profile=profiles.setdefault(key, len(profiles)),
        own_marks=frozenset(
            f"{part}:{p}"
            for part, phrases in zip(
                "TBMX", (c.topics, _breach_phrases(c), c.met_signals, c.exclude), strict=True
            )
            for p in own(phrases)
        ),
        venues=_venues(c),
        b=vocabulary.behaviour,
        counterpart_pairs=frozenset(p.name for p in vocabulary.pairs if p.counterpart_is_party),
        named_pairs=frozenset(p.name for p in vocabulary.pairs if p.names_the_parties),
        mutual=bool(PhraseIndex((p, "b") for p in _L("both_parties")).find(tokenize(c.statement))),
    )


def _family(c: Commitment) -> str:
    """The shipped kind a commitment's kind starts from (a kind that extends the ceasefire is
    of the ceasefire's family; one judged like `other`, of the other's)."""
    return _vocabulary(c).like


def _whose(reason: str) -> bool:
    """A veto that tells whose event the sentence reports."""
    return any(w in reason for w in _WHOSE)


def _sibling_topics(rules: Sequence[_Rule]) -> dict[str, tuple[str, ...]]:
    """Each rule's topic key -> the topic keys of the other commitments of its kind's family that
    share a party with it (two rounds of talks between the same sides, each named by its own
    topics: "the Geneva discussions", "the border mechanism")."""
    return {
        r.topic: tuple(
            o.topic
            for o in rules
            if o is not r
            and _family(o.commitment) == _family(r.commitment)
            and not set(o.commitment.parties).isdisjoint(r.commitment.parties)
        )
        for r in rules
    }


def _weak_pairs(rule: _Rule, pairs: Sequence[_PairSpec]) -> _Rule:
    """The rule with the names of its kind's pairs that its statement makes weak."""
    kind = f"K:{_vocabulary(rule.commitment).name}:"
    conditional = [p for p in pairs if p.weak_if_statement and p.keys[0].startswith(kind)]
    if not conditional:
        return rule
    statement = tokenize(rule.commitment.statement)
    cues = {
        name: PhraseIndex((w, name) for w in _L(name)).find(statement)
        for name in ("purpose", "vehicle_of", "by_consent")
    }
    weak = frozenset(
        p.name
        for p in conditional
        if any(
            _an_outcome(hit, cues, rule.commitment.statement)
            for hit in PhraseIndex((w, "w") for w in p.weak_if_statement).find(statement)
        )
    )
    return replace(rule, weak_pairs=weak)


def _for_commitment(v: Verdict, commitment_id: str) -> Verdict:
    """``v`` for another commitment that judges alike.  (Its fields copied as they are: a
    frozen dataclass's ``__init__`` is slow, and this runs for most of a long watchlist.)"""
    out = object.__new__(Verdict)
    out.__dict__.update(v.__dict__, commitment_id=commitment_id)
    return out


def _in_a_name(phrase: str, statement: str) -> bool:
    """Every time the statement writes ``phrase`` it is inside a capitalised name ("the
    Working Mechanism for Consultation"): the name of a body, not an outcome to produce."""
    found = list(re.finditer(rf"(\w+)\W+({re.escape(phrase)})\b", statement, re.IGNORECASE))
    return bool(found) and all(m[1][0].isupper() and m[2][0].isupper() for m in found)


def _an_outcome(hit: PhraseHit, cues: Mapping[str, list[PhraseHit]], statement: str) -> bool:
    """An outcome noun of the statement that the talks must produce; not one they seek (a
    purpose cue at most five words before it: "meet ... to seek a fair settlement"), the
    talks' own vehicle (a talk word up to three words after it: "establish a mechanism to
    continue discussions"), consent ("held in a third country upon agreement") or part of a
    name ("the Working Mechanism")."""
    return not (
        any(0 <= hit.start - p.end <= 5 for p in cues["purpose"])
        or any(0 <= v.start - hit.end <= 2 for v in cues["vehicle_of"])
        or any(c.end == hit.start for c in cues["by_consent"])
        or _in_a_name(hit.phrase, statement)
    )


def _decide(
    rule: _Rule, findings: list[SentenceFinding], related: str | None, headline: str | None = None
) -> Verdict:
    """The article's verdict: its best counted sentence, else related, else none.

    A report that the commitment was broken outweighs, in the same article, statements that
    it stands: those are the pledge being contradicted ("despite its 'no talks' vow ...") or
    reactions to the report.  Unless ``breach_outranks_met``, the stronger sentence decides.
    When the headline counts for one label only, it says what the article reports.
    """
    c = rule.commitment
    if not findings:  # (what the rest comes to with no findings)
        if related is not None:
            return Verdict(c.id, Label.RELATED, 0.0, related, (), ())
        return Verdict(c.id, Label.NONE, 0.0, None, (), ())
    mixed = not rule.b.breach_outranks_met
    # (not for a kind that watches for calm: "holds, but ..." headlines are often the breach)
    heads = (
        {f.label for f in findings if f.counted and f.sentence == headline}
        if not rule.b.calm_pair
        else set()
    )

    counted = [f for f in findings if f.counted]
    if len({f.label for f in counted}) < 2:
        heads = set()  # one label only: the strongest sentence speaks for it

    def rank(f: SentenceFinding) -> tuple[bool, bool, float, bool]:
        is_breach = f.label is Label.BREACH
        return (len(heads) == 1 and f.label in heads, is_breach and not mixed, f.score, is_breach)

    if counted:
        best = max(counted, key=rank)
        return Verdict(c.id, best.label, best.score, best.sentence, best.signals, tuple(findings))
    if related is not None:
        score = min(max((f.score for f in findings), default=0.0), COUNT_SCORE - 0.01)
        return Verdict(c.id, Label.RELATED, score, related, (), tuple(findings))
    return Verdict(c.id, Label.NONE, 0.0, None, (), tuple(findings))


class Matcher:
    """Commitments and entities compiled once; ``judge`` is then cheap and pure."""

    def __init__(
        self,
        commitments: Sequence[Commitment],
        entities: Mapping[str, Entity],
        weights: Judging | None = SHIPPED_WEIGHTS,
    ) -> None:
        """``weights``: the measured weights that choose the label (None: the engine's own)."""
        self._weights = None if weights is None else weights.bind(commitments)
        named = [e for c in commitments for e in (*c.parties, *c.subjects)]
        entries = _base_entries(entities, named)
        # Only the kinds the commitments use are looked for.
        vocabularies = {v.name: v for v in map(_vocabulary, commitments)}
        pairs: list[_PairSpec] = []
        for kd in vocabularies.values():
            mine = [c for c in commitments if _vocabulary(c).name == kd.name]
            others = dict.fromkeys(p for c in mine for p in c.parties[1:])
            entries.extend(_kind_entries(kd))
            pairs.extend(_kind_pairs(kd, entries, tuple(others), [c.id for c in mine]))
        forms: dict[str, list[str]] = {}
        for c in commitments:
            entries.extend(_own_entries(c, forms))
        in_kinds = [p for kd in vocabularies.values() for p in _users_kind_phrases(kd)]
        users = [*(p for c in commitments for p in (*c.breach_signals, *c.met_signals)), *in_kinds]
        #: The forms of the signals a user wrote into a kind.
        self._users_kind_forms = frozenset(
            phrase_words(f) for p in in_kinds for f in signal_forms(p)
        )
        # (with their verbs' synonyms: "to restart talks" is a plan for "resumed talks" too)
        said = [o for p in users for o in with_synonyms(p)]
        #: Bare forms of the watchlist's past-tense signals ("to lift its measures").
        self._bare = frozenset(f for p in said for f in bare_forms(p, SHIPPED.forms))
        #: The watchlist's signals written with a bare first word ("resume cooperation"): the
        #: user says that infinitive is the event.
        self._written_bare = frozenset(
            phrase_words(p) for p in said if phrase_words(p) and not bare_forms(p, SHIPPED.forms)
        )
        self._written = frozenset(map(phrase_words, users))  #: the signals as the user wrote them
        self._kind_bare = _bare_cues(vocabularies.values())
        canon: dict[tuple[tuple[str, bool], ...], str] = {}
        for phrase, _ in entries:  # the index names a phrase by its first spelling
            canon.setdefault(phrase_words(phrase), phrase)
        self._bases = _form_bases(forms, canon)
        profiles: dict[tuple[object, ...], int] = {}
        rules = [_weak_pairs(_rule(c, canon, profiles), pairs) for c in commitments]
        self._index = PhraseIndex(entries, _GAP_NOT)
        self._rules = tuple(rules)
        self._pairs = tuple(pairs)
        self._lookups()
        #: The kinds' met keys: a breach word inside another kind's met event does not count.
        self._met_keys = tuple(f"K:{name}:M" for name in vocabularies)
        #: Two-cue signals end where their second cue ends, not where a phrase would.
        self._pair_names = frozenset(p.name for p in pairs)
        self._cond_multi = frozenset(p for p in _L("conditional") if " " in p)
        #: Every party the watchlist binds (who may act in someone else's commitment).
        self._actors = frozenset(p for c in commitments for p in c.parties)
        self._truce_mates = _truce_mates(rules)
        self._sibling_topics = _sibling_topics(rules)
        # (the same as sets, looked up on the hot path; the tuples keep the order reported)
        self._sibling_sets = {k: frozenset(v) for k, v in self._sibling_topics.items()}
        #: The subjects no commitment binds: places and things, which never act.
        self._places = frozenset(x for c in commitments for x in c.subjects) - self._actors
        overlaps = _overlapping_places(entities, self._places)
        #: Each commitment's id -> the places of other commitments that are not its own.
        self._other_places = {
            c.id: self._places.difference(c.subjects, *(overlaps.get(x, ()) for x in c.subjects))
            for c in commitments
        }
        self._exclude_keys = frozenset(f"C:{c.id}:X" for c in commitments if c.exclude)
        self._own = _own_names_of(entities, named)
        #: The armed groups: entities marked ``armed_group`` (the watchlist's say over the data's).
        self._groups = frozenset(
            e.id for e in {**SHIPPED.entities, **entities}.values() if e.armed_group
        )

    def _lookups(self) -> None:
        """What the hot paths look up, computed once from the index, rules and pairs."""
        #: The index's phrases that name entities -> those entities ("E:<id>" keys -> ids).
        self._entity_ids = {
            phrase: ids
            for phrase, keys in self._index.keys_by_phrase().items()
            if (ids := tuple(k[2:] for k in keys if k[:2] == "E:"))
        }
        self._own_phrases = frozenset(m[2:] for r in self._rules for m in r.own_marks)
        #: The same, by lower-case spelling (for names read from a sentence's raw text).
        self._alias_ids = {phrase.lower(): ids for phrase, ids in self._entity_ids.items()}
        #: The first word of a name of more than one word -> the entities it begins a name of
        #: ("chechen" for "Chechen separatists").
        firsts: dict[str, set[str]] = {}
        for phrase, ids in self._alias_ids.items():
            head, _, rest = phrase.partition(" ")
            if rest:
                firsts.setdefault(head, set()).update(ids)
        self._first_word_ids = {w: frozenset(ids) for w, ids in firsts.items()}
        #: The profiles more than one rule has (only those rules can share a judgement).
        self._shared_profiles = frozenset(
            p for p, n in Counter(r.profile for r in self._rules).items() if n > 1
        )
        #: Each rule's own phrases (``own_marks``) less those every rule of its profile has.
        common: dict[int, frozenset[str]] = {}
        for r in self._rules:
            common[r.profile] = common.get(r.profile, r.own_marks) & r.own_marks
        self._own_marks = tuple(r.own_marks - common[r.profile] for r in self._rules)
        #: A first cue's key -> the pairs (their places in ``_pairs``) it opens.
        self._pairs_by_first: dict[str, list[int]] = {}
        for i, spec in enumerate(self._pairs):
            for k in dict.fromkeys(spec.first):
                self._pairs_by_first.setdefault(k, []).append(i)
        self._pair_first_keys = frozenset(self._pairs_by_first)

    # -- public -------------------------------------------------------------------------------

    def judge(self, title: str, text: str, published_at: datetime | None) -> list[Verdict]:
        """One ``Verdict`` per commitment, in the order the commitments were given."""
        lang = DETECTOR.unreadable(f"{title}\n{text}")
        if lang is not None:
            return self._unread(title, lang, published_at)
        sentences = [
            self._analyse(s) for s in article_sentences(title, text) if not _is_link_line(s)
        ]
        headline = sentences[0].text if title.strip() and sentences else None
        art = _Article(published_at, sentences, headline)
        for s in sentences:
            art.entities.update(s.entities)
            art.keys.update(s.hits)
        marks = self._found_marks(sentences) if self._shared_profiles else set()
        done: dict[object, Verdict] = {}
        out: list[Verdict] = []
        for rule, own in zip(self._rules, self._own_marks, strict=True):
            if rule.profile not in self._shared_profiles:
                out.append(self._verdict(rule, art))  # no other rule can judge alike
                continue
            # Rules of one profile whose own phrases found are the same judge alike; the
            # phrases all of them have are the same for all, so the others decide.
            mine = own & marks
            sig: object = (rule.profile, mine) if mine else rule.profile
            v = done.get(sig)
            if v is None:
                v = done[sig] = self._verdict(rule, art)
            elif v.commitment_id != rule.commitment.id:
                v = _for_commitment(v, rule.commitment.id)
            out.append(v)
        if self._weights is not None:
            return self._weights.apply(out, sentences, bool(title))
        return out

    def _found_marks(self, sentences: Sequence[_Sentence]) -> set[str]:
        """The rules' own phrases the article has (or a form of), marked with each part of
        a rule they could be in (``_Rule.own_marks``): rules that differ only in phrases
        absent from it judge alike."""
        found: set[str] = set()
        for s in sentences:
            found |= s.phrases
        for p in [p for p in found if p in self._bases]:
            found.update(self._bases[p])
        return {f"{part}:{p}" for p in found & self._own_phrases for part in "TBMX"}

    def _unread(self, title: str, lang: str, published_at: datetime | None) -> list[Verdict]:
        """An article in a language the judge does not read: its headline alone is judged
        when that is readable (feeds often carry an English headline over other text)."""
        if title and DETECTOR.unreadable(title) is None:
            verdicts = self.judge(title, "", published_at)
        else:
            verdicts = [Verdict(r.commitment.id, Label.NONE, 0.0, None) for r in self._rules]
        return [replace(v, language=lang) for v in verdicts]

    # -- sentences ----------------------------------------------------------------------------

    def _analyse(self, text: str) -> _Sentence:
        tokens = tokenize(text)
        hits: dict[str, list[PhraseHit]] = {}
        ent_hits: list[tuple[str, PhraseHit]] = []
        entity_ids = self._entity_ids
        found = self._index.find(tokens)
        # (only rules that can share a judgement read a sentence's phrases)
        phrases = {hit.phrase for hit in found} if self._shared_profiles else set()
        for hit in found:
            for key in hit.keys:
                filed = hits.get(key)
                if filed is None:
                    hits[key] = [hit]
                else:
                    filed.append(hit)
            eids = entity_ids.get(hit.phrase)
            if eids:
                ent_hits.extend((eid, hit) for eid in eids)
        entities: dict[str, list[PhraseHit]] = {}
        for eid, hit in ent_hits:
            if hit.start and tokens[hit.start - 1] in _OPPOSING:
                continue  # "anti-government protesters": not the government
            inside = len(ent_hits) > 1 and any(
                other_id != eid
                and o.start <= hit.start
                and hit.end <= o.end
                and o.end - o.start > hit.end - hit.start
                for other_id, o in ent_hits
            )
            if not inside:
                entities.setdefault(eid, []).append(hit)
        if _G["hedge"] in hits and any(h.phrase in _NONCOMMITTAL for h in hits[_G["hedge"]]):
            nc = [h for h in hits[_G["hedge"]] if h.phrase in _NONCOMMITTAL]
            for g in (_G["neg"], _G["deny"]):  # "neither confirmed nor denied" hedges only
                if g in hits:
                    kept = [h for h in hits[g] if not any(n.start <= h.start < n.end for n in nc)]
                    if kept:
                        hits[g] = kept
                    else:
                        del hits[g]
        if _G["modal"] in hits:  # "late May", "political will": a noun, not the modal verb
            kept = [h for h in hits[_G["modal"]] if not _not_modal(tokens, h)]
            if kept:
                hits[_G["modal"]] = kept
            else:
                del hits[_G["modal"]]
        if not hits.keys().isdisjoint(self._exclude_keys):
            self._own_name_exclusions(tokens, hits, entities)
        present = set(hits)
        if entities:
            present.update(f"E:{e}" for e in entities)
        s = _Sentence(
            text, tokens, hits, phrases, present, entities, lambda: self._clauses(tokens, hits)
        )
        if self._pairs:
            self._pair_hits(s)
        return s

    def _own_name_exclusions(
        self,
        tokens: Sequence[str],
        hits: dict[str, list[PhraseHit]],
        entities: Mapping[str, list[PhraseHit]],
    ) -> None:
        """Drop ``exclude`` hits that are part of a name of the watchlist's own parties or
        subjects: an excluded "Marland's" inside "North Marland's" (its party "North Marland
        government") or inside a mention of a named entity is that entity, not another
        conflict."""
        named, pairs = self._own
        inside = [m for eid, ms in entities.items() if eid in named for m in ms]
        # One hit is filed under the key of every rule that excludes its phrase: each is read
        # once (by identity: the same hit object is in each of those lists).
        dropped: dict[int, bool] = {}
        for key in self._exclude_keys.intersection(hits):
            kept = []
            for h in hits[key]:
                drop = dropped.get(id(h))
                if drop is None:
                    drop = dropped[id(h)] = (
                        any(m.start <= h.start and h.end <= m.end for m in inside)
                        or bool(h.start and (tokens[h.start - 1], tokens[h.start]) in pairs)
                        or (h.end < len(tokens) and (tokens[h.end - 1], tokens[h.end]) in pairs)
                    )
                if not drop:
                    kept.append(h)
            if kept:
                hits[key] = kept
            else:
                del hits[key]

    def _clauses(self, tokens: list[str], hits: dict[str, list[PhraseHit]]) -> list[int]:
        conds = [h for h in hits.get(_G["cond"], ()) if h.phrase in self._cond_multi]
        conds += hits.get(_G["noclause"], ())  # "a gesture such as freeing": not a new clause
        words = {
            h.start
            for h in hits.get(_G["clause"], ())
            if not any(c.start <= h.start < c.end for c in conds)
            and not (tokens[h.start] == "yet" and h.start and tokens[h.start - 1] in _AUXILIARY)
        }  # "has yet to convene": not the conjunction
        starts: list[int] = []
        start = 0
        for i, tok in enumerate(tokens):
            if tok in PUNCTUATION:
                start = i + 1
            elif i in words:
                start = i
            starts.append(start)
        return starts

    def _pair_hits(self, s: _Sentence) -> None:
        """File two-cue signals under their kind's breach or met key."""

        def side(keys: tuple[str, ...]) -> list[PhraseHit]:
            out: list[PhraseHit] = []
            for k in keys:
                out.extend(s.entities.get(k[2:], ()) if k[:2] == "E:" else s.hits.get(k, ()))
            return out

        present = s.present
        # only the pairs whose first cue the sentence has, in their order
        first_keys = present & self._pair_first_keys
        if not first_keys:
            return
        opened: set[int] = set()
        for k in first_keys:
            opened.update(self._pairs_by_first[k])
        for i in sorted(opened):
            spec = self._pairs[i]
            if present.isdisjoint(spec.second):
                continue
            firsts = side(spec.first)
            seconds = side(spec.second)
            found: PhraseHit | None = None
            for a in firsts:
                for b in seconds:
                    if a.end <= b.start:
                        gap, x, y = b.start - a.end, a, b
                    elif not spec.ordered and b.end <= a.start:
                        gap, x, y = a.start - b.end, b, a
                    else:
                        continue
                    if (
                        gap <= spec.window
                        and self._one_clause(s, x.start, y.start)
                        and not (x is a and _attributive(s.tokens, a))
                        and not (not spec.subject_first and _plural_noun(s.tokens, a))
                        and not (spec.barrier and self._barred(s, spec.barrier, x.end, y.start))
                        and not (spec.participle and self._names_known(s, x, y))
                        and not _auxiliary_have(s.tokens, a)
                        and not (spec.subject_first and _another_relative(s.tokens, x.end, y.start))
                    ):
                        found = PhraseHit(x.start, y.end, spec.name, spec.keys)
                        if spec.subject_first:
                            s.predicates[found] = b
                        break
                if found is not None:
                    break
            if found is not None:
                s.hits.setdefault(spec.key, []).append(found)

    @staticmethod
    def _one_clause(s: _Sentence, a: int, b: int) -> bool:
        """Whether tokens ``a`` < ``b`` share a clause, or only a list goes on between them
        ("shared it with envoys, *including* those of Northland")."""
        cs = s.clause_start
        if cs[a] == cs[b]:
            return True
        return all(
            0 < cs[j] < len(s.tokens) and s.tokens[cs[j] - 1] == "," and s.tokens[cs[j]] in _GOES_ON
            for j in range(a + 1, b + 1)
            if cs[j] != cs[j - 1]
        )

    @staticmethod
    def _barred(s: _Sentence, barrier: frozenset[str], start: int, end: int) -> bool:
        """Whether a barrier word stands in tokens ``start``..``end``, outside proxy phrases.

        "Met elders *linked to* the Front": the proxy phrase does not end the object.
        """
        proxies = s.hits.get(_G["proxy"], ())
        return any(
            s.tokens[i] in barrier and not any(p.start <= i < p.end for p in proxies)
            for i in range(start, end)
        )

    @staticmethod
    def _names_known(s: _Sentence, noun: PhraseHit, participle: PhraseHit) -> bool:
        """ "The mechanism agreed in Eastport": a definite noun phrase and a bare participle."""
        if not _AUXILIARY.isdisjoint(s.tokens[noun.end : participle.end]):
            return False
        clause = s.clause_start[noun.start]
        before = s.tokens[max(clause, noun.start - 4) : noun.start]
        return not _DEFINITE.isdisjoint(before) and not PUNCTUATION.intersection(before)

    # -- aboutness ----------------------------------------------------------------------------

    @staticmethod
    def _about(
        rule: _Rule,
        ents: set[str] | Mapping[str, object],
        topic: bool,
        mil: bool,
        gov: bool,
        venue: bool = False,
    ) -> bool:
        """``venue``: the text names the place the commitment's talks are held (a subject)."""
        c = rule.commitment
        parties = c.parties
        # (plain loops: on Python 3.11 a comprehension costs a frame; this runs per sentence
        # and rule)
        n = 0
        for p in parties:
            if p in ents:
                n += 1
        subj = venue
        for x in () if venue else c.subjects:
            if x in ents:
                subj = True
                break
        about = rule.b.about
        if about == "parties":
            return n >= 2 or (n >= 1 and (subj or topic)) or (subj and topic)
        if about == "topic":
            return topic and (n >= 1 or subj)
        if about == "talks-with-group":
            group = parties[-1] in ents if parties else False
            return group and topic and (n >= 2 or gov)
        if about == "group-on-territory":
            land = (parties[0] in ents or subj) if parties else subj
            group = (parties[-1] in ents if len(parties) > 1 else False) or mil
            return land and group
        if about == "first-party":
            actor = parties[0] in ents if parties else False
            told = any(p in ents for p in parties[1:])
            return actor and (told or topic)
        return n >= 1 or topic

    @staticmethod
    def _own_venue(rule: _Rule, s: _Sentence) -> bool:
        """Whether the sentence names a venue of the commitment's own (its talks' place), for a
        kind where the venue matters, and no other parties ("Eastport talks: two other countries
        agree ...")."""
        return (
            rule.b.venue_matters
            and bool(rule.venues)
            and _G["others"] not in s.hits
            and any(phrase_words(h.phrase) in rule.venues for h in s.hits.get(_G["venue"], ()))
        )

    @staticmethod
    def _hook(rule: _Rule, s: _Sentence, topic: bool, mil: bool) -> bool:
        """Whether a sentence names enough to borrow the article's context."""
        c = rule.commitment
        about = rule.b.about
        named = not s.entities.keys().isdisjoint(rule.names)  # (its parties and subjects)
        if about == "topic":
            return topic
        if about == "talks-with-group":
            return topic and bool(c.parties) and c.parties[-1] in s.entities
        if about == "group-on-territory":
            return named or topic or mil
        return named or topic

    # -- judging ------------------------------------------------------------------------------

    def _verdict(self, rule: _Rule, art: _Article) -> Verdict:
        c = rule.commitment
        keys = art.keys
        if self._ruled_out(rule, art):
            return Verdict(c.id, Label.NONE, 0.0, None)
        art_topic = rule.topic in keys or rule.kind_topic in keys
        venues = rule.b.venue_matters and bool(rule.venues)  # else no sentence names its venue
        art_venue = venues and any(self._own_venue(rule, s) for s in art.sentences)
        art_about = self._about(
            rule, art.entities, art_topic, _G["mil"] in keys, _G["gov"] in keys, art_venue
        )
        if art_about and rule.b.about == "topic" and len(c.parties) > 1:
            art_about = self._own_context(rule, art, art_venue)
        findings: list[SentenceFinding] = []
        dated: list[tuple[SentenceFinding, _Sentence]] = []
        related: str | None = None
        sanctuary = rule.b.group_is_target
        # "Both sides ..." names the two parties of an article that names them both.
        both = (
            rule.b.about == "parties"
            and len(c.parties) == 2
            and all(p in art.entities for p in c.parties)
        )
        group = c.parties[-1] if len(c.parties) > 1 else None
        # A headline about other parties ("Northland, Eastland agree ...") lends no context.
        other_story = bool(art.sentences) and _G["others"] in art.sentences[0].hits
        # (a headline with one of the commitment's signals borrows the article's context)
        first = art.sentences[0] if art.headline is not None and art.sentences else None
        for s in art.sentences:
            head = s is first and not rule.signal_keys.isdisjoint(s.present)
            if not head and rule.near.isdisjoint(s.present):
                continue
            topic = rule.topic in s.hits or rule.kind_topic in s.hits
            mil = _G["mil"] in s.hits or (sanctuary and group is not None and group in s.entities)
            ents: Mapping[str, object] = s.entities
            if both and _G["both"] in s.hits:  # "both sides accused each other of ..."
                ents = dict.fromkeys((*s.entities, *c.parties))
            venue = venues and self._own_venue(rule, s)
            strong = self._about(rule, ents, topic, mil, _G["gov"] in s.hits, venue)
            hook = head or self._hook(rule, s, topic, mil)
            weak = not strong and art_about and not other_story and hook
            if not (strong or weak):
                continue
            if related is None:
                related = s.text
            for f in self._sentence_findings(rule, s, art, strong):
                findings.append(f)
                if f.label is Label.BREACH:
                    dated.append((f, s))
        if dated:  # (each of these looks at the breach findings only)
            self._old_events(rule, dated, findings)
            self._known_events(rule, art, dated, findings)
            self._against_headline(rule, art, dated, findings)
        if findings:
            self._borrowed_vetoes(findings, art.headline)
        return _decide(rule, findings, related, art.headline)

    @staticmethod
    def _own_context(rule: _Rule, art: _Article, venue: bool) -> bool:
        """An article lends a ``topic`` commitment its context only when it names both sides,
        or one of the commitment's own words (its topics, subjects or venue): talks and one
        side ("the two largest parties cancelled talks", in an article naming one government)
        are any talks of that side."""
        c = rule.commitment
        if venue or rule.topic in art.keys:
            return True
        return all(p in art.entities for p in c.parties) or any(
            x in art.entities for x in c.subjects
        )

    def _ruled_out(self, rule: _Rule, art: _Article) -> bool:
        """Whether the article cannot be about the commitment at all."""
        c, keys, names = rule.commitment, art.keys, rule.names
        if (
            c.ended_at is not None
            and art.published_at is not None
            and art.published_at >= c.ended_at
        ):
            return True  # superseded: reports from then on belong to its successor
        if c.topics_required and rule.topic not in keys:
            return True
        art_topic = rule.topic in keys or rule.kind_topic in keys
        if not any(n in art.entities for n in names) and _G["mil"] not in keys:
            if not art_topic or _common_topics_only(rule, art):
                return True
        if not art_topic and self._at_another_place(c, art):
            return True
        excluded = art.count(rule.exclude) if rule.exclude in keys else 0
        if excluded and _title_elsewhere(rule, art):
            return True
        return bool(excluded) and excluded >= sum(
            len(s.entities.get(n, ())) for s in art.sentences for n in names
        )

    def _at_another_place(self, c: Commitment, art: _Article) -> bool:
        """An article that names none of the commitment's topic words, none of its subjects and
        a place of another commitment is about that place ("water cannon off Gull Isle" is not
        the Coral Reef resupply blocked)."""
        if not c.subjects or any(x in art.entities for x in c.subjects):
            return False
        return any(x in art.entities for x in self._other_places[c.id])

    def _sentence_findings(
        self, rule: _Rule, s: _Sentence, art: _Article, strong: bool
    ) -> list[SentenceFinding]:
        """The sentence weighed for breach and for met (where it has signals of each)."""
        c, hits = rule.commitment, s.hits
        here: list[SentenceFinding] = []
        if hits.keys().isdisjoint(rule.signal_keys):
            return here  # no signal of either label: nothing to weigh
        firsts: dict[Label, int] = {}
        sigs: dict[Label, list[PhraseHit]] = {}
        for label, lkeys in ((Label.BREACH, rule.breach), (Label.MET, rule.met)):
            sig = [h for k in lkeys for h in hits.get(k, ())]
            if not sig:
                continue
            if c.exceptions:
                sig = [h for h in sig if not _excepted(c, h, hits)]
            sig = [h for h in sig if not _noun_form(c, s.tokens, h)]
            if rule.bare_participles:
                headline = art.headline is not None and s is art.sentences[0]
                sig = [
                    h for h in sig if not _bare_participle(c, rule.bare_participles, s, h, headline)
                ]
            if label is Label.BREACH and sig:
                sig = self._outside_met(rule, hits, sig)
            words = hits.get(_G["mask"], [])
            if label is Label.BREACH and sig:
                kinds = self._breach_masks(s, rule)
            else:  # (an idiom, not a met event: "returned fire", "left dozens dead")
                kinds = list(hits.get(_G["mmask"], ())) if sig else []
            if (words or kinds) and sig:
                # a signal on exactly a masked phrase's words is that phrase's own reading ("pulled
                # out of the talks"); one that holds another kind's event and more is the more
                # specific reading ("pulled out of the talks" is not a withdrawal of troops)
                sig = [
                    h
                    for h in sig
                    if not any(_masks(m, h, False, h in s.predicates) for m in words)
                    and not any(_masks(m, h, inside_ok=True) for m in kinds)
                ]
            if sig:
                here.append(self._weigh(rule, s, art, label, sig, strong))
                firsts[label] = min(h.start for h in sig)
                sigs[label] = sig
        self._conceded(s, here, firsts)
        self._backstory(rule, s, here, sigs, art.published_at)
        if rule.b.met_wins_in_sentence and len(here) == 2 and all(f.counted for f in here):
            # "Southland police detain Front commanders in Eastvale": the action, not the presence.
            here[0] = replace(
                here[0],
                counted=False,
                reasons=("the sentence reports action against it (met)", *here[0].reasons),
            )
        return here

    def _outside_met(
        self, rule: _Rule, hits: Mapping[str, list[PhraseHit]], sig: list[PhraseHit]
    ) -> list[PhraseHit]:
        """Breach signals not inside a longer met phrase of the same commitment: "suspended
        its expanded export controls" is the lifting of the controls its breach signal names.
        (A two-cue signal is no phrase: "no ... reported" leaves what is between it to the
        other guards.)"""
        pairs = self._pair_names
        met = [h for k in rule.met for h in hits.get(k, ()) if h.phrase not in pairs]
        return [
            h
            for h in sig
            if not any(
                m.start <= h.start and h.end <= m.end and m.end - m.start > h.end - h.start
                for m in met
            )
        ]

    def _breach_masks(self, s: _Sentence, rule: _Rule) -> list[PhraseHit]:
        """Spans where a breach word names people held ("captured Northern soldiers"), or lies
        inside another kind's met event ("handed over 14 captured soldiers" is a release)."""
        masks = (
            [h for k in self._met_keys if k != rule.met[1] for h in s.hits.get(k, ())]
            if rule.b.other_kinds_mask_breach
            else []
        )
        masks.extend(s.hits.get(_G["bmask"], ()))
        for adj in s.hits.get(_G["taken"], ()):
            for noun in s.hits.get(_G["people"], ()):
                if adj.end <= noun.start <= adj.end + 2:
                    masks.append(PhraseHit(adj.start, noun.end, "people held", ()))
        return masks

    @staticmethod
    def _conceded(s: _Sentence, here: list[SentenceFinding], firsts: Mapping[Label, int]) -> None:
        """ "The truce is largely holding, despite strikes": the met claim, then a concession.

        Breach signals after a concession cue that follows a counted met signal do not count.
        """
        met = next((f for f in here if f.label is Label.MET and f.counted), None)
        if met is None or Label.BREACH not in firsts or Label.MET not in firsts:
            return
        for cue in s.hits.get(_G["contrast"], ()):
            # "Violence has fallen, but clashes continue": the met claim, then a breach against it.
            if firsts[Label.MET] < cue.start < firsts[Label.BREACH]:
                for i, f in enumerate(here):
                    if f.label is Label.MET:
                        why = f"contradicted after {cue.phrase!r}"
                        here[i] = replace(f, counted=False, reasons=(why, *f.reasons))
                return
        for cue in s.hits.get(_G["concession"], ()):
            if firsts[Label.MET] < cue.start < firsts[Label.BREACH]:
                for i, f in enumerate(here):
                    if f.label is Label.BREACH and f.counted:
                        why = f"conceded by a met claim: {cue.phrase!r}"
                        here[i] = replace(f, counted=False, reasons=(why, *f.reasons))
                return

    @staticmethod
    def _old_events(
        rule: _Rule, dated: list[tuple[SentenceFinding, _Sentence]], findings: list[SentenceFinding]
    ) -> None:
        """Undated, context-only breach sentences in an article that dates its events too early.

        "A month on, families remember the shelling" above "the October 12 clashes": the
        headline is about the dated events, not new ones.
        """
        eff = rule.commitment.effective_at
        if eff is None or not dated:
            return
        day = eff.date()
        old = any(_BEFORE in r for f, _ in dated for r in f.reasons)
        if not old or any(d.last >= day for _, s in dated for d in (s.dates or ())):
            return
        for i, f in enumerate(findings):
            if f.counted and f.label is Label.BREACH and _CONTEXT in f.reasons:
                findings[i] = replace(
                    f,
                    counted=False,
                    reasons=(
                        f"the article dates these events before {day.isoformat()}",
                        *f.reasons,
                    ),
                )

    def _known_events(
        self,
        rule: _Rule,
        art: _Article,
        dated: Sequence[tuple[SentenceFinding, _Sentence]],
        findings: list[SentenceFinding],
    ) -> None:
        """An article that dates its hostilities too early (before the commitment, weeks back)
        and reports none on a day since: an undated sentence that names them as known ("the
        Israeli strikes", "those strikes") refers back to them, not to new ones."""
        eff, published = rule.commitment.effective_at, art.published_at
        if eff is None or published is None:
            return
        day = eff.date()
        if not any(t in r for f, _ in dated for r in f.reasons for t in _TIME_BLOCKS):
            return
        for f, s in dated:
            if f.counted and any(d.first == d.last >= day for d in self._dates(s, published)):
                return  # a breach on a day since: the article reports new events too
        for f, s in dated:
            if not f.counted or self._dates(s, published):
                continue
            hits = [h for k in rule.breach for h in s.hits.get(k, ())]
            if not hits or not all(self._known(s, h) for h in hits):
                continue
            i = next((i for i, g in enumerate(findings) if g is f), None)
            if i is not None:
                why = "names the article's earlier hostilities as known ('the', 'those' ...)"
                findings[i] = replace(f, counted=False, reasons=(why, *f.reasons))

    @staticmethod
    def _known(s: _Sentence, hit: PhraseHit) -> bool:
        """A known-thing determiner opens the signal's noun phrase ("*those* strikes"), not one
        called new ("fresh strikes"); a signal in -ed ("bombed") or followed by its object
        ("bombards the bases") is a verb, not a noun."""
        if s.tokens[hit.start].endswith("ed"):
            return False
        if hit.end < len(s.tokens) and s.tokens[hit.end] in _OBJECT_DETERMINERS:
            return False  # "the military bombards the bases": a verb taking its object
        if any(0 <= hit.start - c.end <= 2 for c in s.hits.get(_G["current"], ())):
            return False  # "fresh strikes", "the renewed fighting": new ones
        clause = s.clause_start[hit.start]
        for i in range(hit.start - 1, max(clause, hit.start - NOUN_PHRASE_WINDOW - 1) - 1, -1):
            t = s.tokens[i]
            if t in _KNOWN:
                return True
            if t in _PHRASE_ENDS or t in PUNCTUATION:
                return False
        return False

    def _against_headline(
        self,
        rule: _Rule,
        art: _Article,
        dated: Sequence[tuple[SentenceFinding, _Sentence]],
        findings: list[SentenceFinding],
    ) -> None:
        """The headline, or else the lead, reports the current event: when it reports the
        commitment kept (a met signal that nothing governs, and no breach signal), a later
        sentence reporting it broken is the story's background ("Talks agree to extend the
        truce" above "the talks had reached an impasse"), unless that sentence is itself dated
        as new (a day within ``CURRENT_DAYS`` of publication, or a ``current`` cue: "fresh",
        "renewed" ...)."""
        if art.published_at is None or not dated:
            return
        current = self._current_event(rule, art, findings)
        if current is None:
            return
        recent = art.published_at.date() - timedelta(days=CURRENT_DAYS)
        later = {id(t) for t in art.sentences[art.sentences.index(current) + 1 :]}
        for f, s in dated:
            if id(s) not in later or _G["current"] in s.hits:
                continue
            if any(d.last >= recent for d in self._dates(s, art.published_at)):
                continue
            i = next((i for i, g in enumerate(findings) if g is f and g.counted), None)
            if i is not None:
                why = "background to the current event (the commitment kept), not dated as new"
                findings[i] = replace(f, counted=False, reasons=(why, *f.reasons))

    def _current_event(
        self, rule: _Rule, art: _Article, findings: Sequence[SentenceFinding]
    ) -> _Sentence | None:
        """The headline, or the lead when the headline has no breach signal (a lead whose met
        finding counts), if it reports the commitment kept: a met finding whose signals nothing
        governs, and no breach signal."""
        if not art.headline:
            return None  # (with no headline, the strongest sentence speaks for the article)
        lead = next((t for t in art.sentences[1:] if len(t.tokens) >= LEAD_WORDS), None)
        for i, s in enumerate((art.sentences[0], lead) if lead else art.sentences[:1]):
            if any(s.hits.get(k) for k in rule.breach):
                return None
            met = [f for f in findings if f.sentence == s.text and f.label is Label.MET]
            if not met or (i and not any(f.counted for f in met)):
                continue  # (the lead must count: it is not the headline's news)
            sig = [h for k in rule.met for h in s.hits.get(k, ())]
            if sig and self._live(rule, s, Label.MET, sig)[0]:
                return s
        return None

    def _backstory(
        self,
        rule: _Rule,
        s: _Sentence,
        here: list[SentenceFinding],
        sigs: Mapping[Label, list[PhraseHit]],
        published: datetime | None,
    ) -> None:
        """ "Talks resumed in Eastport on Monday, *after* the last round collapsed": a breach in
        a clause opened by a backstory word (``backstory``), after a clause that reports the
        commitment kept (a live met signal), or one dated no later than the commitment's first
        day ("a truce was declared on July 19 *following* airstrikes"), is what came before;
        not when a short gap says it just happened ("hours after", "a day after";
        ``recent_gap``)."""
        if Label.BREACH not in sigs:
            return
        i = next((i for i, f in enumerate(here) if f.label is Label.BREACH and f.counted), None)
        if i is None:
            return
        starts = set()
        for h in sigs[Label.BREACH]:
            clause = s.clause_start[h.start]
            opener = next((j for j in range(clause, h.start) if s.tokens[j] in _BACKSTORY), None)
            if opener is None or not _RECENT_GAP.isdisjoint(s.tokens[max(0, opener - 2) : opener]):
                return  # "a day after the talks ended without a deal": just before, still news
            starts.add(clause)
        first = min(starts)
        main = [h for h in sigs.get(Label.MET, ()) if h.end <= first]
        if main and self._live(rule, s, Label.MET, main)[0]:
            why = "what came before the sentence's own event (the commitment kept)"
            here[i] = replace(here[i], counted=False, reasons=(why, *here[i].reasons))
            return
        eff = rule.commitment.effective_date
        if eff is None or published is None:
            return
        found = self._token_dates(s, published)
        dates = [d for d, _, last in found if last < first and not d.since]
        if dates and all(d.last <= eff for d in dates):
            why = f"{_BEFORE} {eff.isoformat()}: what came before {dates[0].text!r}"
            here[i] = replace(here[i], counted=False, reasons=(why, *here[i].reasons))

    @staticmethod
    def _attributed(s: _Sentence, start: int, claim: PhraseHit) -> bool:
        """Whether a claim names who makes it ("the Southland government's claims", "claims by
        Southland")."""
        by = s.tokens[claim.end : claim.end + 1] == ["by"]
        for mentions in s.entities.values():
            for m in mentions:
                if start <= m.start and m.end <= claim.start:
                    return True
                if by and m.start in (claim.end + 1, claim.end + 2):
                    return True
        return False

    @staticmethod
    def _borrowed_vetoes(findings: list[SentenceFinding], headline: str | None) -> None:
        """A sentence about it only through the article's context borrows the article's vetoes.

        "Arrests in Westford" above "Northland forces arrested ...": when the sentence that
        names the parties with the same signal did not count, the headline does not either.
        A headline that reports another party's or another conflict's event vetoes with any
        signal of its label: "Eastland withdraws troops from Westria" (not the party bound)
        tells whose withdrawal "was completed on Tuesday".
        """
        vetoes = [
            f
            for f in findings
            if not f.counted
            and f.reasons
            and not f.reasons[0].startswith("score ")
            and (_CONTEXT not in f.reasons or f.sentence == headline)
        ]
        if not vetoes:
            return
        for i, f in enumerate(findings):
            if not (f.counted and _CONTEXT in f.reasons):
                continue
            for v in vetoes:
                if v.label is not f.label:
                    continue
                if _CONTEXT not in v.reasons and set(v.signals) & set(f.signals):
                    why = f"the sentence naming the parties did not count: {v.reasons[0]}"
                elif v.sentence == headline and f.sentence != headline and _whose(v.reasons[0]):
                    why = f"the headline did not count: {v.reasons[0]}"
                else:
                    continue
                findings[i] = replace(f, counted=False, reasons=(why, *f.reasons))
                break

    def _weigh(
        self,
        rule: _Rule,
        s: _Sentence,
        art: _Article,
        label: Label,
        sig: list[PhraseHit],
        strong: bool,
    ) -> SentenceFinding:
        """One sentence's signals for one label: guards that block it or lower its score."""
        w = self._start_weighing(rule, s, art, label, sig, strong)
        self._time_guards(w)
        self._place_guards(w)
        self._denial_guard(w)
        self._recap_and_date_guards(w)
        self._event_time_guards(w)
        self._role_guards(w)
        self._discovery_guard(w)
        self._background_guards(w)
        score = round(max(0.0, min(1.0, w.score)) * w.factor, 3)
        counted = not w.blocks and score >= COUNT_SCORE
        if not w.blocks and not counted:
            w.blocks.append(f"score {score:.2f} below {COUNT_SCORE:.2f}")
        if self._not_done(w, score):
            # "No prisoners were released": what was due did not happen.
            why = f"what was due did not happen ({w.blocks[0]})"
            return SentenceFinding(s.text, Label.BREACH, score, w.signals, True, (why, *w.notes))
        reasons = tuple(w.blocks + w.notes)
        return SentenceFinding(s.text, label, score, w.signals, counted, reasons)

    @staticmethod
    def _not_done(w: _Weighing, score: float) -> bool:
        """A met signal that only negation stops, for a kind where that is a breach."""
        return (
            not w.breach
            and w.strong  # about it in its own words, not only through the article's context
            and (not w.weak_only or Matcher._topic_beside(w))
            and w.rule.b.negated_met_is_breach
            and score >= COUNT_SCORE
            and bool(w.blocks)
            and all(b.startswith("negated:") for b in w.blocks)
        )

    @staticmethod
    def _topic_beside(w: _Weighing) -> bool:
        """A topic word outside the signals: a weak signal negated says that what was due did
        not happen only beside a word of what was due ("no new round of consultations"; not
        "no statement had been released")."""
        rule, s = w.rule, w.s
        hits = [*s.hits.get(rule.topic, ()), *s.hits.get(rule.kind_topic, ())]
        return any(not any(h.start <= t.start < h.end for h in w.sig) for t in hits)

    def _live(
        self, rule: _Rule, s: _Sentence, label: Label, sig: list[PhraseHit]
    ) -> tuple[list[PhraseHit], str | None]:
        """Per-signal guards: the signals no cue governs, and the first reason one was."""
        live: list[PhraseHit] = []
        first_block: str | None = None
        for hit in sig:
            why = self._governed(rule, s, hit, label)
            if why is None:
                live.append(hit)
            elif first_block is None:
                first_block = why
        calm = rule.b.calm_pair
        if calm and label is not Label.BREACH and any(h.phrase == calm for h in live):
            calm_ok = rule.topic in s.hits or rule.kind_topic in s.hits or "since" in s.tokens
            if not calm_ok:
                live = [h for h in live if h.phrase != calm]
                if not live and first_block is None:
                    first_block = "no hostilities, but no ceasefire, border or time span named"
        return live, first_block

    def _start_weighing(
        self,
        rule: _Rule,
        s: _Sentence,
        art: _Article,
        label: Label,
        sig: list[PhraseHit],
        strong: bool,
    ) -> _Weighing:
        """The live signals, the weak-only block and the base score."""
        breach = label is Label.BREACH
        live, first_block = self._live(rule, s, label, sig)
        w = _Weighing(rule, s, art, breach, sig, live, strong)
        w.signals = tuple(dict.fromkeys([h.phrase for h in live or sig]))
        if not live:
            w.blocks.append(first_block or "guarded")
        label_keys = rule.breach if breach else rule.met
        weak_hits = (
            [h for h in s.hits[rule.weak] if not set(label_keys).isdisjoint(h.keys)]
            if rule.weak in s.hits
            else []
        )
        own_key = label_keys[0]
        strong_live = [
            h
            for h in live or sig
            if (rule.weak not in h.keys or own_key in h.keys)
            and h.phrase not in rule.weak_pairs
            and (
                h in s.predicates
                or h.phrase in self._pair_names
                or not any(h.start < x.start < h.end < x.end for x in weak_hits)
            )
        ]
        w.weak_only = not strong_live
        if live and not strong_live:
            weak_only = dict.fromkeys(h.phrase for h in live)
            w.blocks.append("weak signal only: " + ", ".join(repr(p) for p in weak_only))
        own = False  # (a live signal of the watchlist's own words)
        for h in live:
            if rule.breach[0] in h.keys or rule.met[0] in h.keys:
                own = True
                break
        w.score = OWN_SIGNAL if own else VOCAB_SIGNAL
        if len(live) > 1:  # (one signal or none: one stretch at most, no bonus)
            w.score += 0.05 * min(max(_spans(live) - 1, 0), 2)
        w.score += 0.1 if strong else -0.1
        if not strong:
            w.notes.append(_CONTEXT)
        w.first = min([h.start for h in live]) if live else sig[0].start
        return w

    def _time_guards(self, w: _Weighing) -> None:
        """Published before the commitment took effect, too soon after, before the talks."""
        c, published, breach = w.rule.commitment, w.art.published_at, w.breach
        self._deadline_guards(w)
        if breach and published is not None:
            dates = self._pledge_free(w, self._events_dated(w, published))
            if dates and all(d.last < published.date() - STALE_BREACH for d in dates):
                w.blocks.append("a recap: every date it names is weeks before publication")
        if c.effective_at is not None and published is not None:
            if published < c.effective_at:
                w.blocks.append("published before the commitment took effect")
            elif breach and published < c.effective_at + timedelta(
                hours=w.rule.b.breach_grace_hours
            ):
                w.blocks.append("said as the commitment was made: why it was made, not a breach")
            elif (
                not breach
                and c.ongoing
                and published < c.effective_at + timedelta(hours=w.rule.b.met_grace_hours)
                and not _overlaps(w.live, w.s.hits.get(_G["calmseen"], ()))
                and not (w.rule.b.calm_pair and _overlaps(w.live, w.s.hits.get(_G["holdseen"], ())))
            ):
                w.blocks.append("too soon after the commitment took effect (its announcement)")
            elif (
                breach
                and w.rule.b.early_breach_needs_link
                and published < c.effective_at + BREACH_GRACE
                and not self._linked(w)
            ):
                w.blocks.append("reported within a day of the ceasefire, with no link to it")
        if (
            not breach
            and w.rule.b.met_waits_for_window
            and c.window_start_at is not None
            and published is not None
            and published < c.window_start_at
        ):
            w.blocks.append("published before the talks were due")

    def _deadline_guards(self, w: _Weighing) -> None:
        """After the deadline: hostilities and an expiry named are the end, not a breach or a
        met; before it, forces still there are not yet a breach."""
        c, published, breach = w.rule.commitment, w.art.published_at, w.breach
        if c.deadline_at is None or published is None:
            return
        late = published > c.deadline_at and w.rule.b.deadline_ends_it
        if late and breach:
            end = c.deadline_at.date()
            dates = self._dates(w.s, published)
            if not dates or any(d.last > end for d in dates):
                w.blocks.append("published after the commitment expired (its deadline)")
        if late and not breach and _G["expiry"] in w.s.hits:
            w.blocks.append("names its expiry, published after its deadline")
        presence = w.rule.b.presence_before_deadline
        if (
            breach
            and presence
            and published < c.deadline_at
            and w.live
            and all(h.phrase in _L(presence) for h in w.live)
        ):
            w.blocks.append("still there before its deadline: not yet a breach")

    @staticmethod
    def _linked(w: _Weighing) -> bool:
        """Whether the sentence ties its hostilities to the ceasefire: a link phrase ("since
        the truce"), a violation of it ("violations of the understanding"), or the truce named
        just after "after", "since" or "despite" ("hours after ceasefire")."""
        s, rule = w.s, w.rule
        if _G["link"] in s.hits:
            return True
        truces = [*s.hits.get(_G["truce"], ()), *s.hits.get(rule.topic, ())]
        if not truces:
            return False
        if any(t.startswith(_VIOLATION_STEMS) for t in s.tokens):
            return True
        return any(
            not _LINK_WORDS.isdisjoint(s.tokens[max(0, t.start - LINK_WINDOW) : t.start])
            for t in truces
        )

    def _place_guards(self, w: _Weighing) -> None:
        """Talks at another venue, other parties, another conflict's words."""
        rule, s = w.rule, w.s
        if rule.b.venue_matters and rule.venues:
            elsewhere = self._elsewhere(rule, s, w.first, w.art)
            if elsewhere:
                # The same parties' next round elsewhere is the same process (outlets and the
                # real-news labels treat it so), but weaker evidence about this commitment.
                w.factor *= VENUE_FACTOR
                w.notes.append(elsewhere)
        others = s.hits.get(_G["others"])
        if others and not w.strong:
            w.blocks.append(f"{_OTHER_PARTIES}{others[0].phrase!r}")
        actors = [h for h in others or () if s.tokens[h.start - 1 : h.start] != ["in"]]
        if w.strong and actors and w.breach and self._one_side_and_another(w):
            # "Dushanbe condemns raids from Westland": one side and another conflict's party (not
            # a place named "in" it: "positions in Westland" may be the side's own)
            w.blocks.append(f"one side against another conflict's party: {actors[0].phrase!r}")
        if w.breach and _G["sport"] in s.hits:
            w.blocks.append(f"about sport: {s.hits[_G['sport']][0].phrase!r}")
        if w.breach and _G["accident"] in s.hits:
            w.blocks.append(f"an accident, not a party: {s.hits[_G['accident']][0].phrase!r}")
        if w.breach and _G["nature"] in s.hits:
            first = min(h.start for h in (w.live or w.sig))
            nature = next((h for h in s.hits[_G["nature"]] if h.end <= first), None)
            if nature is not None:  # "Heavy snowfall closed the road, stranding ..."
                w.blocks.append(f"weather or nature, not a party: {nature.phrase!r}")
        sibling = self._sibling_topic(w)
        if sibling is not None:
            w.blocks.append(f"about another commitment of its kind: {sibling!r}")
        elif (sibling := self._headline_sibling(w)) is not None:
            w.blocks.append(f"the headline is about another commitment of its kind: {sibling!r}")
        excl = s.hits.get(rule.exclude, ())
        if rule.b.exclude_in_clause_only:
            excl = [h for h in excl if s.clause_start[h.start] == s.clause_start[w.first]]
        if excl:
            w.blocks.append(f"{_OTHER_CONFLICT}{excl[0].phrase!r}")

    def _sibling_topic(self, w: _Weighing) -> str | None:
        """A topic only another commitment of the same kind's family and sides names, in a
        sentence that names none that only this one names: "the 104th mechanism meeting was
        held" is that mechanism's meeting, not a round of the other talks.  The topic, or
        None."""
        rule, s = w.rule, w.s
        present = [k for k in self._sibling_topics[rule.topic] if k in s.hits]
        if not present:
            return None
        siblings = self._sibling_sets[rule.topic]
        # (its own topic words that a sibling lists too, a truce word in both, name neither)
        if any(siblings.isdisjoint(h.keys) for h in s.hits.get(rule.topic, ())):
            return None
        # (after the signal and a backstory word, a topic names the cause: "suspends the
        # ceasefire after the killing of civilians")
        cause = next((j for j in range(w.first, len(s.tokens)) if s.tokens[j] in _BACKSTORY), None)
        seen: set[int] = set()  # (a topic many siblings list is one hit for all)
        for key in present:
            for h in s.hits[key]:
                if id(h) in seen or (cause is not None and h.start > cause):
                    continue
                seen.add(id(h))
                if rule.kind_topic not in h.keys and rule.topic not in h.keys:
                    return h.phrase  # (not the kind's own word: "round of talks")
        return None

    def _headline_sibling(self, w: _Weighing) -> str | None:
        """A sentence that names no topic or subject of either, in an article whose headline
        names only another commitment of the same kind's family and sides ("terrorists release
        7 more train passengers", then "the seven were released"): it tells that one's news.
        The headline's topic, or None."""
        rule, s, art = w.rule, w.s, w.art
        if not rule.b.headline_sibling_rules or not art.headline or s is art.sentences[0]:
            return None
        if not self._sibling_topics[rule.topic]:
            return None
        head = art.sentences[0]
        siblings = self._sibling_sets[rule.topic]
        subjects = rule.commitment.subjects
        for t in (s, head):
            if any(siblings.isdisjoint(h.keys) for h in t.hits.get(rule.topic, ())):
                return None  # (its own topic)
            if any(x in t.entities for x in subjects):
                return None
        if any(k in s.hits for k in siblings):
            return None  # (the sentence's own topics were weighed above)
        for key in self._sibling_topics[rule.topic]:
            for h in head.hits.get(key, ()):
                if rule.kind_topic not in h.keys and rule.topic not in h.keys:
                    return h.phrase
        return None

    @staticmethod
    def _one_side_and_another(w: _Weighing) -> bool:
        """Hostilities in a sentence that names one of two or more sides bound and a party of
        another conflict (the shipped ``other_parties``), not a second side."""
        c, s = w.rule.commitment, w.s
        if len(c.parties) < 2:
            return False
        return sum(1 for p in c.parties if p in s.entities) == 1

    def _denial_guard(self, w: _Weighing) -> None:
        """A denial blocks the signal; a denied claim that is reported lowers it."""
        s = w.s
        if w.rule.b.met_ignores_denial and not w.breach:
            return
        target = min(w.live or w.sig, key=lambda h: h.start)
        deny = self._cue_before(s, target, "deny", DENIAL_WINDOW) or self._denied_report(s, target)
        if deny is None:
            false = self._called_false(s, target)
            if false is not None:
                w.blocks.append(f"denied: the claim is called {false!r}")
            return
        claim = any(
            deny.end <= h.start <= deny.end + 3
            and h.end <= target.start
            and self._attributed(s, deny.end, h)
            for h in s.hits.get(_G["claim"], ())
        )
        if claim:
            w.factor *= 0.85
            w.notes.append(f"a contested claim ({deny.phrase!r}), reported")
        elif _G["counter"] not in s.hits:
            w.blocks.append(f"denied: {deny.phrase!r}")

    @staticmethod
    def _called_false(s: _Sentence, target: PhraseHit) -> str | None:
        """ "Claims of a blockade are disinformation": a claim noun just before the signal, and
        after it, in its clause, a word that calls the claim false."""
        claims = s.hits.get(_G["claim"])
        if not claims:
            return None
        clause = s.clause_start[target.start]
        if not any(
            c.end <= target.start and target.start - c.end <= 2 and c.start >= clause
            for c in claims
        ):
            return None
        end = next(
            (i for i in range(target.end, len(s.tokens)) if s.clause_start[i] != clause),
            len(s.tokens),
        )
        return next((t for t in s.tokens[target.end : end] if t in _CALLED_FALSE), None)

    def _recap_and_date_guards(self, w: _Weighing) -> None:
        """A recap of the statement; dates before the commitment; hostilities before it."""
        rule, s, breach = w.rule, w.s, w.breach
        c, published = rule.commitment, w.art.published_at
        if (
            rule.statement_grams
            and not (rule.b.met_is_refusal and not breach)
            and _may_share_grams(s.tokens, rule.gram_words)
        ):
            if s.grams is None:
                # "Northland and Southland agreed to extend ...": names shared with the
                # statement do not make a recap of it.
                names = frozenset(
                    i for ms in s.entities.values() for m in ms for i in range(m.start, m.end)
                )
                s.grams = _grams(s.tokens, skip=names)
            if len(s.grams & rule.statement_grams) >= RECAP_GRAMS and self._quoted(w):
                w.blocks.append("recap of the original statement")
        eff = c.effective_date
        if published is not None and eff is not None:
            # (an agreement's date does not date a breach: "violated the truce of October 19")
            dated = self._events_dated(w, published) if breach else self._dates(s, published)
            dates = self._pledge_free(w, dated)
            if dates and all(d.last < eff for d in dates):
                w.blocks.append(f"{_BEFORE} {eff.isoformat()}: {dates[0].text!r}")
            elif (
                breach
                and rule.b.period_dates_block_breach
                and dates
                and all(d.first < eff for d in dates)
            ):
                # "The October fighting", "in 2025": a period that began before the commitment
                # does not show the event came after it.
                w.blocks.append(
                    f"dated only to a period that began before {eff.isoformat()}: {dates[0].text!r}"
                )
        if breach and rule.b.before_truce_blocks_breach and published is not None and eff:
            since = self._going_on_since(s, published)
            if since is not None and since.last < eff and not w.blocks:
                w.blocks.append(f"going on since before {eff.isoformat()}: {since.text!r}")
        if breach and rule.b.period_dates_block_breach and w.live and not w.blocks:
            early = self._dated_signal(w)
            if early is not None:
                w.blocks.append(f"the hostilities are dated before the commitment: {early!r}")
        if breach and rule.b.before_truce_blocks_breach and w.live:
            prior = self._prior(s, w.live)
            if prior is not None:
                w.blocks.append(f"hostilities before the ceasefire: {prior!r}")

    @staticmethod
    def _pledge_free(w: _Weighing, dates: list[DateRef]) -> list[DateRef]:
        """``dates`` less those that name the pledge itself: a date that covers the
        commitment's own day (said, effective, a deadline) and stands by an agreement word
        ("integration under *the March 10 agreement* has stalled", "missed the deadline of the
        end of 2025") says which pledge, not when the event reported happened; and less
        those in an aside that a signal weighed stands outside of (``_aside_dates``)."""
        if not dates:
            return dates
        days = w.rule.pledge_days
        aside = _aside_dates(w)
        return [
            d
            for d in dates
            if id(d) not in aside
            and not (any(d.first <= x <= d.last for x in days) and _names_pledge(w.s.tokens, d))
        ]

    @staticmethod
    def _quoted(w: _Weighing) -> bool:
        """Whether a signal starts with a word of the statement ("agreed to *withdraw* its troops
        from the zone"), not only stands among its words ("*withdrew* its troops from the zone":
        the event, in the words of the pledge)."""
        words, s = w.rule.statement_words, w.s
        # a two-cue signal's event is its predicate ("talks ... *produced no* ceasefire")
        return all(s.tokens[s.predicates.get(h, h).start] in words for h in (w.live or w.sig))

    @staticmethod
    def _dated_signal(w: _Weighing) -> str | None:
        """ "Soldiers captured in July clashes": every live signal is named with a period that
        began before the commitment, whatever else the sentence dates."""
        c, s, published = w.rule.commitment, w.s, w.art.published_at
        eff = c.effective_date
        if published is None or eff is None:
            return None
        found: str | None = None
        for hit in w.live:
            before = " ".join(s.tokens[max(0, hit.start - DATED_SIGNAL_WINDOW) : hit.start])
            dates = [d for d in find_dates(before, published) if not d.since]
            if not dates or not all(d.first < eff for d in dates):
                return None
            found = dates[0].text
        return found

    # -- an event's own time ------------------------------------------------------------------

    def _event_time_guards(self, w: _Weighing) -> None:
        """When the signal's own event happened: its clause's dates, an earlier round than the
        article's, the past perfect of backstory."""
        s = w.s
        if not w.live:
            return
        dated = w.art.published_at is not None and bool(self._token_dates(s, w.art.published_at))
        if dated or not _ROUNDS.isdisjoint(s.tokens):
            spans = [self._event_span(s, s.predicates.get(h, h).start) for h in w.live]
            old = self._old_span_dates(w, spans) if dated else None
            if old is not None:
                w.blocks.append(old)
            earlier = self._earlier_round(w.art, s, spans)
            if earlier is not None:
                w.blocks.append(f"about an earlier round than the article's: {earlier!r}")
        if not w.breach and all(self._anchor(s, h) for h in w.live):
            anchor = self._anchor(s, w.live[0])
            w.blocks.append(f"named only to date another event: {anchor!r}")
        perfect = not w.blocks and not _PAST_PERFECT.isdisjoint(s.tokens)
        if perfect and self._backstory_perfect(w):
            w.factor *= BACKGROUND_FACTOR
            w.notes.append("background: the past perfect ('had'), not reported speech")

    @staticmethod
    def _anchor(s: _Sentence, hit: PhraseHit) -> str | None:
        """ "A day after the truce took hold, lawmakers voted ...": a span of time, then
        "after" (or "since") before the signal in its stretch of the sentence, or a comparison
        ("as occurred when ..."): the event only dates or likens the sentence's news, it is not
        reported.  The words, or None."""
        tokens = s.tokens
        for cue in s.hits.get(_G["compare"], ()):
            between = tokens[cue.end : hit.start]
            if len(between) <= ANCHOR_WINDOW and PUNCTUATION.isdisjoint(between):
                return cue.phrase  # "as occurred when the Front handed over the town"
        for i in range(hit.start - 1, max(0, hit.start - ANCHOR_WINDOW) - 1, -1):
            if tokens[i] in PUNCTUATION:
                return None
            if tokens[i] in _BACKSTORY and i and tokens[i - 1] in _GAP_WORDS:
                return f"{tokens[i - 1]} {tokens[i]}"
        return None

    @staticmethod
    def _event_span(s: _Sentence, pos: int) -> tuple[int, int]:
        """The words that tell of the event at token ``pos``: its clause, cut at the relative
        words around it ("the strike, *which* killed dozens last week")."""
        cs, tokens = s.clause_start, s.tokens
        start = cs[pos]
        while start >= 2 and tokens[start - 1] == ")":  # "the Front (NLF) fighters": one clause
            opening = next(
                (i for i in range(start - 2, start - 7, -1) if i >= 0 and tokens[i] == "("), -1
            )
            if opening < 1:
                break
            start = cs[opening - 1]
        if tokens[start] in _TIME_RELATIVE and start >= 2 and tokens[start - 1] == ",":
            start = cs[start - 2]  # "since June, when the strikes hit": the time named before
        end = pos + 1
        while end < len(tokens) and cs[end] == cs[pos] and tokens[end] not in _RELATIVE:
            end += 1
        for i in range(pos, start, -1):
            if tokens[i] in _RELATIVE:
                return i, end
        return start, end

    def _old_span_dates(self, w: _Weighing, spans: Sequence[tuple[int, int]]) -> str | None:
        """Every signal's own clause dates its event before the commitment (or, for a breach,
        weeks before publication), whatever other clauses date ("Talks opened on Monday; the
        first round, in October, ended without agreement")."""
        c, published = w.rule.commitment, w.art.published_at
        if published is None or any(_BEFORE in b or "recap" in b for b in w.blocks):
            return None
        eff = c.effective_date
        stale = published.date() - (STALE_BREACH if w.breach else STALE_MET)
        found: str | None = None
        opener = self._opener(w.s)
        for start, end in spans:
            dates = self._event_dates(w, start, end, published)
            if not dates and opener:
                dates = self._event_dates(w, 0, opener, published)  # "On May 2, X did A and B"
            if not dates:
                return None
            if eff is not None and all(d.last < eff for d in dates):
                found = found or f"{_BEFORE} {eff.isoformat()} (its own clause): {dates[0].text!r}"
            elif all(d.last < stale for d in dates):
                found = found or f"a recap: its own clause dates it weeks before: {dates[0].text!r}"
            else:
                return None
        return found

    @staticmethod
    def _opener(s: _Sentence) -> int:
        """The length of the sentence's opening phrase ("On October 27-28," "Last month,"): a
        first clause of at most ``OPENER_WORDS`` words ending in a comma; 0 when none."""
        cs = s.clause_start
        end = next((i for i in range(len(cs)) if cs[i] != 0), 0)  # (its comma starts the next)
        return end if 0 < end <= OPENER_WORDS and s.tokens[end] == "," else 0

    def _events_dated(self, w: _Weighing, published: datetime) -> list[DateRef]:
        """The sentence's dates that date an event, not an agreement (``_event_dates``)."""
        s = w.s
        if not self._dates(s, published):
            return []
        if s.events_dated is None:
            s.events_dated = self._event_dates(w, 0, len(s.tokens), published)
        return s.events_dated

    def _event_dates(
        self, w: _Weighing, start: int, end: int, published: datetime
    ) -> list[DateRef]:
        """The dates in tokens ``start``..``end`` that date an event, not an agreement ("the
        truce of October 19", "the November 2020 statement", "agreed on October 19")."""
        tokens = w.s.tokens
        out: list[DateRef] = []
        for d, first, last in self._token_dates(w.s, published):
            if not start <= first < end:
                continue
            since = d.since or self._since_clause(tokens, first, w.breach)
            if since and not (
                tokens[last + 1 : last + 2] == [","]
                and not _TIME_RELATIVE.isdisjoint(tokens[last + 2 : last + 3])
            ):
                continue  # ("since June, when ...": June is when it happened)
            before = tokens[max(0, first - AGREED_DATE_WINDOW) : first]
            named = not _STANDING.isdisjoint(tokens[last + 1 : last + 3]) or (
                first >= 2 and tokens[first - 2] in _STANDING and tokens[first - 1] == "of"
            )  # "the November 2020 statement", "the truce of October 19"
            if not w.breach or (not named and not any(t.startswith(_AGREEING) for t in before)):
                out.append(d)  # (for met, an agreement's date is the event's: "signed on ...")
        return out

    def _going_on_since(self, s: _Sentence, published: datetime) -> DateRef | None:
        """A "since" date after a perfect in its clause: what "has been" going on since then
        ("have been fighting since 1976"), not a comparison ("the worst clashes since 2021")."""
        for d, first, _last in self._token_dates(s, published):
            if not d.since or first < 2:
                continue
            before = s.tokens[s.clause_start[first - 1] : first]
            if _PERFECT_GOING_ON.isdisjoint(before):
                continue
            if any(t in _SUPERLATIVE or (t.endswith("est") and len(t) > 5) for t in before):
                continue
            return d
        return None

    @staticmethod
    def _since_clause(tokens: Sequence[str], first: int, breach: bool) -> bool:
        """Whether the date at token ``first`` ends a short "since ..." phrase: a met span
        ("quiet since the truce of October 19"), or for either label the start of what goes on
        ("fighting since the war erupted nine days ago")."""
        window = tokens[max(0, first - SINCE_WINDOW) : first]
        if "since" not in window:
            return False
        return not breach or not _ONSET.isdisjoint(window[window.index("since") :])

    def _token_dates(self, s: _Sentence, published: datetime) -> list[tuple[DateRef, int, int]]:
        """The sentence's dates with the tokens they span (first, last), found once."""
        if s.token_dates is None:
            s.token_dates = []
            if not _DATE_WORDS.isdisjoint(s.tokens) or _DIGIT.search(s.text):
                tokens = s.tokens
                # "October's" was split at its apostrophe; "October 17, 2025" keeps its comma
                pieces = [
                    t if not i else "'" + t if t == "s" else t if t in _GLUED else " " + t
                    for i, t in enumerate(tokens)
                ]
                # where each token starts: where its piece ends, less the token
                ends = accumulate(map(len, pieces))
                offsets = [end - len(t) for end, t in zip(ends, tokens, strict=True)]
                # (the tokens lost the capital that tells the month "in May" from the verb)
                may = "may" in s.tokens and bool(_MONTH_MAY.search(s.text))
                ahead = _G["ahead"] in s.hits
                for d in find_dates("".join(pieces), published, ahead=ahead, month_may=may):
                    first = bisect_right(offsets, d.start) - 1
                    last = bisect_right(offsets, d.start + len(d.text) - 1) - 1
                    s.token_dates.append((d, first, last))
        return s.token_dates

    @staticmethod
    def _rounds(tokens: Sequence[str], start: int, end: int) -> tuple[int, str | None]:
        """The highest ordinal of a round named in ``tokens[start:end]`` ("the *third* round"),
        and an earlier round named there ("the previous round"), if any."""
        best = 0
        earlier: str | None = None
        for i in range(start, end):
            t = tokens[i]
            rank = _ORDINAL.get(t, 0)
            if rank and any(
                tokens[j] in _ROUNDS for j in range(i + 1, min(end, i + 1 + ROUND_GAP))
            ):
                best = max(best, rank)
            elif t in _EARLIER_ROUNDS and earlier is None:
                nxt = tokens[i + 1 : min(end, i + 3)]
                if nxt[:1] and (
                    nxt[0] in _ROUNDS
                    or (nxt[0] in _ROUND_COUNTS and nxt[1:2] and nxt[1] in _ROUNDS)
                ):
                    earlier = " ".join(tokens[i : i + 1 + (nxt[0] not in _ROUNDS) + 1])
        return best, earlier

    def _earlier_round(
        self, art: _Article, s: _Sentence, spans: Sequence[tuple[int, int]]
    ) -> str | None:
        """Every signal's clause names an earlier round: a lower ordinal than the headline's or
        lead's ("the second round ended without agreement" in a story of the third), or one
        called earlier ("the previous round"); not in a headline, whose "last round" is the
        latest (the news's own)."""
        if _ROUNDS.isdisjoint(s.tokens) or (art.headline and s is art.sentences[0]):
            return None
        if art.current_round is None:
            lead = art.sentences[:2]
            art.current_round = max(
                (self._rounds(t.tokens, 0, len(t.tokens))[0] for t in lead), default=0
            )
        found: str | None = None
        for start, end in spans:
            rank, earlier = self._rounds(s.tokens, start, end)
            if earlier is None and not 0 < rank < art.current_round:
                return None
            found = found or earlier or f"round {rank} of {art.current_round}"
        return found

    def _backstory_perfect(self, w: _Weighing) -> bool:
        """Every signal's clause is in the past perfect ("troops *had clashed*", "*had*
        retaliated with strikes"), the sentence has no verb of reporting (which would make it
        reported speech) and names no day since the commitment took effect."""
        s = w.s
        if not _REPORTING.isdisjoint(s.tokens):
            return False
        for h in w.live:
            pos = s.predicates.get(h, h).start
            start, _ = self._event_span(s, pos)
            if not any(
                s.tokens[j] in _PAST_PERFECT and s.tokens[j + 1 : j + 2] != ["to"]
                for j in range(start, pos)
            ):
                return False
        return not self._dated_after(w.rule.commitment, s, w.art.published_at)

    def _role_guards(self, w: _Weighing) -> None:
        """Who acts: the bound party, not a militant group, a third party or the group."""
        rule, s, breach = w.rule, w.s, w.breach
        c, b = rule.commitment, rule.b
        w.linked = _G["link"] in s.hits or any(h.phrase.startswith("ceasefire ") for h in w.live)
        if (
            breach
            and b.militant_attack_not_breach
            and self._groups.isdisjoint(c.parties)  # (a truce with a group: its attacks break it)
            and (self._militant_clause(w) or not self._groups.isdisjoint(s.entities))
        ):
            if not w.linked and self._acting_parties(s, c) < 2:
                w.blocks.append("militant attack, not a clash between the parties")
            elif not w.linked and w.live and self._militant_foe(w):
                w.blocks.append("fighting militants, not a clash between the parties")
        if breach and b.militant_attack_not_breach and w.live:
            third = self._third_party_subject(w)
            if third is not None:
                w.blocks.append(f"{third} acts, not a party to it")
            elif not w.linked:
                # (with both parties named elsewhere, only a side named beside it counts)
                foe = self._unnamed_foe(w, named=self._acting_parties(s, c) >= 2)
                if foe is not None:
                    w.blocks.append(f"fighting with someone it does not name: {foe!r}")
        if b.militant_attack_not_breach and w.live and not w.blocks:
            other = self._others_fighting(w)
            if other is not None:
                what = "fighting" if breach else "calm"
                w.blocks.append(f"{what} with {other}, a party of another truce")
        if breach and b.breach_needs_group and len(c.parties) > 1:
            if c.parties[-1] not in s.entities:
                w.blocks.append("the group is not named in the sentence")
            elif all(
                not _NOT_WITH.isdisjoint(s.tokens[max(0, o.start - NOT_WITH_WINDOW) : o.start])
                for o in self._outer(s.entities[c.parties[-1]])
                if s.tokens[o.start - 1 : o.start] != ["("]  # "(NLF)": the name again
            ):
                # "talks only with Northland, not with the Front": the group is ruled out
                w.blocks.append("the group is named only as the one it is not")
        if breach and b.meeting_is_not_breach:
            met_them = self._contact(s, w.live or w.sig)
            if met_them is not None:
                # "Emissaries met Front leaders in Eastvale": a report of contacts, not of a haven.
                w.blocks.append(f"about a meeting with the group: {met_them.phrase!r}")
        if breach and b.own_territory_not_breach and w.live:
            ground = self._own_ground(w)
            if ground is not None:
                w.blocks.append(f"one side's operation on its own ground: {ground!r}")
        self._counterpart_guards(w)
        pair = self._outsider_pair(w)
        if pair is not None:
            w.blocks.append(f"about another pair: {pair!r}")
        if b.own_place_only and c.subjects:
            place = self._other_place(c, s, w.art)
            if place is not None:
                w.blocks.append(f"at another commitment's place: {place}")
        if not breach and b.met_names_the_told and not self._names_the_told(w):
            w.blocks.append("names no one it must tell (its other parties or the mediators)")
        label = "breach" if breach else "met"
        if label in b.actor_must_be_first_party and c.parties:
            self._actor_guard(w)

    def _counterpart_guards(self, w: _Weighing) -> None:
        """Pairs that must be with the commitment's parties (``counterpart_is_party``) or name
        them (``names_the_parties``): talks with someone else are not these talks."""
        rule, s, c = w.rule, w.s, w.rule.commitment
        if not w.live or len(c.parties) < 2:
            return
        talks = sum(1 for h in w.live if h.phrase in rule.counterpart_pairs)
        if talks:
            # (what such talks agree is theirs too, "talks between Eastland and Northland ...
            # reached a ceasefire"; but "which hosted the talks with Eastland" may name a host)
            other = self._other_counterpart(w, between_only=talks < len(w.live))
            if other is not None:
                w.blocks.append(f"talks with someone else: {other!r}")
            elif (pair := self._outsider_subjects(w)) is not None:
                w.blocks.append(f"talks of another pair: {pair!r}")
            elif (venue := self._party_as_venue(w)) is not None:
                w.blocks.append(f"a party named only as the venue: {venue!r}")
        if all(h.phrase in rule.named_pairs for h in w.live):
            known = {*c.parties, *c.subjects}
            named = sum(1 for p in c.parties if p in s.entities)
            if named < 2 or any(e not in known and e in self._actors for e in s.entities):
                w.blocks.append("not named as between its parties")

    @staticmethod
    def _party_as_venue(w: _Weighing) -> str | None:
        """The one party the sentence names is named only where the talks are ("Eastern
        peace talks resume in Northcity"): the host, not a side.  Its words, or None."""
        s, c = w.s, w.rule.commitment
        named = [p for p in c.parties if p in s.entities]
        if len(named) != 1:
            return None
        ms = s.entities[named[0]]
        if all(m.start and s.tokens[m.start - 1] in _VENUE_MARKS for m in ms):
            return " ".join(s.tokens[ms[0].start - 1 : ms[0].end])
        return None

    @staticmethod
    def _outsider_subjects(w: _Weighing) -> str | None:
        """ "Eastland, Northland hold first meeting": names listed right before the signal (by
        commas or "and"), one of them a party and one none of the commitment's own (an entity
        or another conflict's party), in a sentence that names fewer than two of its parties:
        the talks of that other pair."""
        s, c = w.s, w.rule.commitment
        if sum(1 for p in c.parties if p in s.entities) > 1:
            return None
        ends = {m.end: (eid, m) for eid, ms in s.entities.items() for m in ms}
        for m in s.hits.get(_G["others"], ()):  # another conflict's party ("other_parties")
            ends.setdefault(m.end, ("", m))
        own = {*c.parties, *c.subjects}
        for hit in w.live:
            names: list[str] = []
            at = first = hit.start
            while at in ends:
                eid, m = ends[at]
                names.append(eid)
                first = m.start
                if not m.start or s.tokens[m.start - 1] not in _LIST_MARKS:
                    break
                at = m.start - 1
            if any(n in c.parties for n in names) and any(n not in own for n in names):
                return " ".join(s.tokens[first : hit.start])
        return None

    def _outsider_pair(self, w: _Weighing) -> str | None:
        """ "The situation at the Northern-Eastern border is stable": a hyphened pair of names,
        one of the commitment's parties and one that is none of its own, in a sentence that
        names fewer than two of its parties, is about that other pair (a word that is no name
        but begins one of its own, "Russian-Chechen" for "Chechen separatists", is not another's).
        The pair, or None."""
        s, c = w.s, w.rule.commitment
        if "-" not in s.text or sum(1 for p in c.parties if p in s.entities) > 1:
            return None
        if s.name_pairs is None:
            s.name_pairs = [
                (m.group(1).lower(), m.group(2).lower(), m.group())
                for m in _HYPHEN_PAIR.finditer(s.text)
                if m.group(1).lower() not in _HYPHEN_PREFIXES
            ]
        own = {*c.parties, *c.subjects}
        for a, b, pair in s.name_pairs:
            sides = [set(self._alias_ids.get(x, ())) for x in (a, b)]
            loose = [
                set(self._alias_ids.get(x, ()) or self._first_word_ids.get(x, ())) for x in (a, b)
            ]
            if any(ids & set(c.parties) for ids in sides) and any(not ids & own for ids in loose):
                return pair
        return None

    def _other_place(self, c: Commitment, s: _Sentence, art: _Article) -> str | None:
        """A place of another of the watchlist's commitments that the sentence is at: one it
        names, with none of the commitment's own; or, when it names no place, one the article
        names, when the article names none of the commitment's own."""
        if not s.entities.keys().isdisjoint(c.subjects):
            return None
        others = self._other_places[c.id]
        place = next((e for e in s.entities if e in others), None)
        if place is not None or any(x in art.entities for x in c.subjects):
            return place
        return next((e for e in art.entities if e in others), None)

    @staticmethod
    def _unnamed_foe(w: _Weighing, named: bool = False) -> str | None:
        """ "Federal forces clashed with soldiers from the Jubaland state", "clashes between
        federal forces and Jubaland soldiers": a clash with (or between) those the sentence
        names right after it (a verb may stand between: "fighting continues between"), none
        of them the commitment's, is someone else's fight.  ``named``: only a "between" that
        names someone else beside one party counts ("between the Front and Eastern forces";
        "Westland-allied forces" are the forces)."""
        s, c = w.s, w.rule.commitment
        known = {*c.parties, *c.subjects}
        for hit in w.live:
            at = hit.end  # the mark, or a verb and then the mark ("fighting continues between")
            word = s.tokens[at : at + 1]
            if word and word[0].isalpha() and word not in (["with"], ["between"]):
                at += 1
            mark = s.tokens[at : at + 1]
            if mark != ["with"] and mark != ["between"]:
                return None
            end = at + 1
            while end < len(s.tokens) and end - at <= FOE_WINDOW:
                if s.tokens[end] in PUNCTUATION:
                    break
                end += 1
            span = range(at + 1, end)
            names = {  # not "U.S.-allied forces": the forces are the side
                e
                for e, ms in s.entities.items()
                for m in ms
                if m.start in span and s.tokens[m.end : m.end + 1] not in _GROUP_MODIFIERS
            }
            if end == at + 1 or s.tokens[at + 1] in _EACH_OTHER:
                return None  # "clashed with each other", "with them"
            if mark == ["with"] and not names.isdisjoint(known):
                return None
            if mark == ["between"] and (
                "and" not in s.tokens[at + 1 : end] or len(names & known) != 1
            ):
                return None  # "between the two sides", "between Northern and Southern troops"
            if named and (mark != ["between"] or not names - known):
                return None  # ``named``: "between Northern troops and Eastern forces" only
        return " ".join(s.tokens[w.live[0].end : w.live[0].end + 4])

    def _militant_foe(self, w: _Weighing) -> bool:
        """ "The role Eastern forces play in fighting terrorist organizations", "clashes with
        militants": the militants are what every hostilities word is aimed at, named right
        after it, before any of the commitment's parties."""
        s, known = w.s, w.rule.commitment.parties
        mil = [m.start for m in s.hits.get(_G["mil"], ())]
        mil += [m.start for e in self._groups.intersection(s.entities) for m in s.entities[e]]
        for hit in w.live:
            end = hit.end
            while end < len(s.tokens) and end - hit.end < FOE_WINDOW:
                if s.tokens[end] in PUNCTUATION:
                    break
                end += 1
            foe = min((m for m in mil if hit.end <= m < end), default=None)
            if foe is None or any(
                hit.end <= m.start < foe for p in known for m in s.entities.get(p, ())
            ):
                return False
        return True

    @staticmethod
    def _acting_parties(s: _Sentence, c: Commitment) -> int:
        """The parties a sentence names other than as where a group is based or who backs it
        ("Westland-based militants", "Westland-backed fighters": the militants act)."""
        tokens = s.tokens
        return sum(
            1
            for p in c.parties
            if any(tokens[m.end : m.end + 1] not in _GROUP_MODIFIERS for m in s.entities.get(p, ()))
        )

    def _other_counterpart(self, w: _Weighing, between_only: bool = False) -> str | None:
        """ "Talks with the Front", "the Eastern minister held a meeting with Northern
        officials": talks in a clause with "with" or "between" are between those it names.
        The first of them that is none of the commitment's own and no place (a party of another
        of the watchlist's commitments, or an entity none binds), when the first named after
        the word is not the commitment's, or when the sentence names fewer than two of its
        parties.  ``between_only``: only "between" names them (beside an outcome the talks
        agreed, "with" may name a co-host: "Turkey, which hosted the talks with Qatar")."""
        s, c = w.s, w.rule.commitment
        known = {*c.parties, *c.subjects}
        start = min(s.clause_start[h.start] for h in w.live)
        marks = [i for i in range(start, len(s.tokens)) if s.tokens[i] in _COUNTERPART_MARKS]
        if not marks:
            return self._met_by_others(w, known)
        if between_only and s.tokens[marks[0]] != "between":
            return None
        clause = s.clause_start[marks[0]]
        named = sorted(
            (m.start, eid)
            for eid, ms in s.entities.items()
            for m in ms
            if s.clause_start[m.start] == clause
        )
        # (anyone but a place: a party of another commitment, or a shipped entity none binds)
        others = [eid for _, eid in named if eid not in known and eid not in self._places]
        after = [e for i, e in named if i > marks[0] and e not in self._places]
        if not others or not after:
            return None
        parties = sum(1 for p in c.parties if p in s.entities)
        if parties < 2 or after[0] not in known:
            return others[0]
        return None

    def _met_by_others(self, w: _Weighing, known: set[str]) -> str | None:
        """ "Eastern and Western envoys held talks": who met, named before the signal in its
        clause, are one of the commitment's parties and a party of another of the watchlist's
        commitments (or another conflict's party, ``other_parties``), and the sentence names
        fewer than two of its parties: the first of those others."""
        s, c = w.s, w.rule.commitment
        if sum(1 for p in c.parties if p in s.entities) >= 2:
            return None
        first = min(h.start for h in w.live)
        clause = s.clause_start[first]
        before = [
            eid
            for eid, ms in s.entities.items()
            for m in ms
            if m.end <= first and s.clause_start[m.start] == clause
        ]
        if not any(e in c.parties for e in before):
            return None
        other = next((e for e in before if e not in known and e in self._actors), None)
        if other is None:  # another conflict's party ("Eastern President Ivo and Northland's")
            other = next(
                (
                    h.phrase
                    for h in s.hits.get(_G["others"], ())
                    if h.end <= first and s.clause_start[h.start] == clause
                ),
                None,
            )
        return other

    @staticmethod
    def _names_the_told(w: _Weighing) -> bool:
        """Whether the sentence names one of those the commitment must tell: its parties after
        the first, the mediators by role, or by name (the kind's ``@id`` cues)."""
        s, c = w.s, w.rule.commitment
        if _G["told"] in s.hits or any(p in s.entities for p in c.parties[1:]):
            return True
        return any(p[1:] in s.entities for p in _L("mediators") if p.startswith("@"))

    @staticmethod
    def _outer(mentions: Sequence[PhraseHit]) -> list[PhraseHit]:
        """The mentions not inside a longer one ("Front" in "Liberation Front")."""
        return [
            m
            for m in mentions
            if not any(o is not m and o.start <= m.start and m.end <= o.end for o in mentions)
        ]

    def _third_party_subject(self, w: _Weighing) -> str | None:
        """ "Westland soldiers killed civilians": hostilities whose every signal has, just
        before it, a party of another of the watchlist's commitments that is neither a party
        nor a subject of this one."""
        s, c = w.s, w.rule.commitment
        known = {*c.parties, *c.subjects}
        found: str | None = None
        for h in w.live:
            subject = next(
                (
                    eid
                    for eid, ms in s.entities.items()
                    for m in ms
                    if 0 <= h.start - m.end <= 1
                    and s.clause_start[m.start] == s.clause_start[h.start]
                ),
                None,
            )
            if subject is None or subject in known or subject not in self._actors:
                return None
            found = subject
        return found

    def _others_fighting(self, w: _Weighing) -> str | None:
        """ "Clashes between government forces and Eastern tribes", for a truce between
        Westland and the government: hostilities in a sentence that names fewer than two of
        this one's parties and a party of another of the watchlist's truces (neither a party
        nor a subject of this one), or in an article that names such parties more often than
        this one's own parties (not the other truce's too) that the sentence leaves out.  That
        other truce's fighting."""
        s, c = w.s, w.rule.commitment
        if len(c.parties) < 2 or self._acting_parties(s, c) >= 2:
            return None
        known = {*c.parties, *c.subjects}
        mates = self._truce_mates
        other = next((e for e in s.entities if e not in known and e in mates), None)
        if other is not None and _G["both"] not in s.hits:
            return other
        # naming no one else ("both sides" included): the article's other fighters, when it
        # names them more often than this one's parties the sentence leaves out ("Clashes
        # erupted in Eastvale" in a story of the tribes' truce)
        others = [e for e in w.art.entities if e not in known and e in mates]
        if not others:
            return None
        shared = {p for e in others for p in mates[e]}
        absent = [p for p in c.parties if p not in s.entities and p not in shared]
        mentions = Counter(e for t in w.art.sentences for e, ms in t.entities.items() for _ in ms)
        if sum(mentions[e] for e in others) > sum(mentions[p] for p in absent):
            return max(others, key=lambda e: mentions[e])
        return None

    @staticmethod
    def _militant_clause(w: _Weighing) -> bool:
        """A militant word before a hostilities signal or in its clause ("militants attacked a
        post"), not only in a later clause ("..., saying terrorist activity never ceased")."""
        s = w.s
        hits = w.live or w.sig
        first = min(h.start for h in hits)
        clauses = {s.clause_start[h.start] for h in hits}
        return any(
            m.start < first or s.clause_start[m.start] in clauses for m in s.hits.get(_G["mil"], ())
        )

    def _own_ground(self, w: _Weighing) -> str | None:
        """ "Northern jets struck hideouts inside Northland": the actor's own territory, with
        no other party named after the hostilities; not a clash between the parties."""
        s, parties = w.s, w.rule.commitment.parties
        first = min(h.start for h in w.live)
        clause = s.clause_start[first]
        for h in s.hits.get(_G["ownsoil"], ()):
            if s.clause_start[h.start] == clause and h.start > first:
                return h.phrase
        actor = self._actor(w.rule, s, first)
        if actor is None or actor not in parties or self._claims(s, actor, first):
            return None
        after = [
            (eid, m)
            for eid in parties
            for m in s.entities.get(eid, ())
            if m.start > first and s.clause_start[m.start] == clause
        ]
        if not after or any(eid != actor for eid, _ in after):
            return None
        marks = {h.end for h in s.hits.get(_G["inside"], ())}
        return next((f"in {eid}" for eid, m in after if m.start in marks), None)

    @staticmethod
    def _claims(s: _Sentence, eid: str, first: int) -> bool:
        """Whether ``eid`` is named before ``first`` as the one who says or claims it."""
        words = _SPEECH | {"claim", "claims", "accused", "accuses", "blamed", "blames"}
        return any(
            m.end <= first and not words.isdisjoint(s.tokens[m.end : m.end + 2])
            for m in s.entities.get(eid, ())
        )

    def _discovery_guard(self, w: _Weighing) -> None:
        """ "The army found the launch pads used in the rocket fire": weapons found, not attacks."""
        if not (w.breach and w.rule.b.discovery_is_not_breach) or not w.live:
            return
        found = self._cue_before(w.s, min(w.live), "found", DISCOVERY_WINDOW)
        if found is not None:
            w.blocks.append(f"weapons or sites found, not an attack: {found.phrase!r}")

    def _actor_guard(self, w: _Weighing) -> None:
        """The one acting must be the first party (the one bound)."""
        rule, s, breach = w.rule, w.s, w.breach
        c = rule.commitment
        if rule.b.group_reported_is_not_actor and len(c.parties) < 2:
            return  # a refusal of talks with nobody named: no role to check
        actor = self._actor(rule, s, w.first)
        if rule.mutual and actor in c.parties:
            return  # "both sides will pull back": either side acting is the one bound
        if (
            rule.b.group_reported_is_not_actor
            and actor == c.parties[-1]
            and not breach
            and not self._speaks(s, actor, w.first)
        ):
            actor = None  # "reports that the Front could ...": not who refuses
        if actor is not None and actor != c.parties[0] and self._taken_over(w, actor):
            return  # "the Southland army entered the district": Northland has left it
        if not breach and self._only_takeover(w):
            # "Troops entered the town": the bound side entering, or nobody named, is no withdrawal
            w.blocks.append("the area is not taken over by another party")
            return
        if actor is not None and actor != c.parties[0] and self._bound_subject(w):
            return  # "X said ... where Northern troops are still present": Northland's own troops
        if actor is not None and actor != c.parties[0] and not self._joint(s, c.parties[0], actor):
            # "Southland officials met Front leaders" is not Northland talking; "the Front said it
            # received no offer" is not Northland refusing.
            w.blocks.append(f"{actor}{_ACTING}{c.parties[0]}")

    @staticmethod
    def _bound_subject(w: _Weighing) -> bool:
        """The bound party names a signal's own subject ("Northern troops remain")."""
        s = w.s
        return any(
            0 <= h.start - m.end <= 2 and s.clause_start[h.start] == s.clause_start[m.start]
            for m in s.entities.get(w.rule.commitment.parties[0], ())
            for h in w.live
        )

    @staticmethod
    def _only_takeover(w: _Weighing) -> bool:
        """Every met signal is a taking-over verb ("the army took over positions")."""
        if not w.rule.b.takeover_by_other_is_met:
            return False
        cues = w.s.hits.get(_G["takeover"], ())
        spans = [w.s.predicates.get(h, h) for h in w.live]
        return bool(spans) and all(
            any(t.start >= h.start and t.end <= h.end for t in cues) for h in spans
        )

    @staticmethod
    def _taken_over(w: _Weighing, actor: str) -> bool:
        """Met: another party takes over the area in the signal's clause (the bound one left)."""
        s, c = w.s, w.rule.commitment
        if w.breach or not w.rule.b.takeover_by_other_is_met or actor not in c.parties[1:]:
            return False
        named = w.rule.topic in s.hits or any(x in s.entities for x in c.subjects)
        if (c.subjects or c.topics) and not named:
            return False  # "troops entered another town": the area it names must be named
        clause = s.clause_start[w.first]
        cues = [h for h in s.hits.get(_G["takeover"], ()) if s.clause_start[h.start] == clause]
        if not cues:
            return False
        # "took over the group's positions": taken from a third party, not from the bound one
        # (a name that is also one of the commitment's own, as another entity's alias, is its own)
        known = set(c.parties) | set(c.subjects)
        own = {(m.start, m.end) for eid in known for m in s.entities.get(eid, ())}
        return not any(
            m.start >= cues[0].end
            and s.clause_start[m.start] == clause
            and (m.start, m.end) not in own
            for eid, mentions in s.entities.items()
            if eid not in known
            for m in mentions
        )

    @staticmethod
    def _joint(s: _Sentence, bound: str, actor: str) -> bool:
        """ "Northland and Southland began withdrawing", a headline's "Northland, Southland
        withdraw": the bound party acts with the other."""
        ands = {
            m.end
            for m in s.entities.get(bound, ())
            if s.tokens[m.end : m.end + 1] in (["and"], [","])
        }
        # "and" just before the actor, or one word before it ("and neighbouring Southland")
        return any(m.start - 1 in ands or m.start - 2 in ands for m in s.entities.get(actor, ()))

    def _background_guards(self, w: _Weighing) -> None:
        """Hedges, background and recaps, generic accusations; specific or linked reports."""
        s, breach, b = w.s, w.breach, w.rule.b
        hedge = s.hits.get(_G["hedge"])
        if hedge:
            w.factor *= 0.85
            w.notes.append(f"hedged: {hedge[0].phrase!r}")
        bg = self._background(w)
        if breach and bg:
            w.factor *= BACKGROUND_FACTOR
            w.notes.append(f"background: {bg[0].phrase!r}")
        elif breach and w.live and all(self._after_span(s, h) for h in w.live):
            w.factor *= BACKGROUND_FACTOR
            w.notes.append("background: after a span of it ('after weeks of ...')")
        elif breach and w.live and all(_toll_follows(s.tokens, h.end) for h in w.live):
            w.factor *= BACKGROUND_FACTOR
            w.notes.append("background: a war's toll ('fighting that has left ... dead')")
        elif (
            breach
            and w.live
            and all(self._since_onset(s, h) for h in w.live)
            and not self._dated_after(w.rule.commitment, s, w.art.published_at)
        ):
            w.factor *= BACKGROUND_FACTOR
            w.notes.append("background: where what goes on began ('since the clashes erupted')")
        elif (
            breach
            and b.after_is_background
            and w.live
            and all(self._conceded_known(s, h) for h in w.live)
        ):
            w.factor *= BACKGROUND_FACTOR
            w.notes.append("background: named as known after a concession ('despite the ...')")
        if breach and b.generic_breach_discounted:
            generic = s.hits.get(_G["generic"])
            if b.accusation_discounted and not generic:
                generic = s.hits.get(_G["accuse"])
            since = any(h.phrase.startswith("since ") for h in s.hits.get(_G["link"], ()))
            if generic and not since:  # "since the truce, ... repeatedly": the truce's own time
                w.factor *= 0.5
                w.notes.append(f"generic: {generic[0].phrase!r}")
            elif b.accusation_discounted and not since and self._standing_state(w):
                w.factor *= 0.5
                w.notes.append("generic: a state in the present, with no event, date or finding")
            if _G["specific"] in s.hits:
                w.score += 0.1
        if w.linked and breach and b.linked_breach_bonus:
            w.score += 0.1

    @staticmethod
    def _conceded_known(s: _Sentence, hit: PhraseHit) -> bool:
        """ "Signed a deal despite the bombings": hostilities named as known ("the", "those")
        just after a concession word are the backdrop of another event, not a report."""
        if not Matcher._known(s, hit):
            return False
        for cue in s.hits.get(_G["concession"], ()):
            between = s.tokens[cue.end : hit.start]
            if len(between) <= NOUN_PHRASE_WINDOW and any(t in _KNOWN for t in between):
                return all(t.isalpha() or t == "-" for t in between)
        return False

    @staticmethod
    def _since_onset(s: _Sentence, hit: PhraseHit) -> bool:
        """ "The first visit since border clashes between the two erupted": "since" up to three
        words before the signal and an onset verb (``onset``) up to six after it, with no
        punctuation between: the start of what goes on, not an event now."""
        tokens = s.tokens
        before = tokens[max(0, hit.start - 3) : hit.start]
        if "since" not in before or not PUNCTUATION.isdisjoint(before[before.index("since") :]):
            return False
        for t in tokens[hit.end : hit.end + 6]:
            if t in PUNCTUATION:
                return False
            if t in _ONSET:
                return True
        return False

    @staticmethod
    def _after_span(s: _Sentence, hit: PhraseHit) -> bool:
        """ "After enduring over 50 days of bombardment": a backstory word, then a span of time
        and "of" before the signal, in its clause: what came before, not an event now."""
        clause = s.clause_start[hit.start]
        tokens = s.tokens
        for i in range(clause, hit.start):
            if tokens[i] not in _BACKSTORY:
                continue
            return any(
                tokens[j] in _TIME_SPANS and tokens[j + 1] == "of"
                for j in range(i + 1, min(hit.start - 1, i + SPAN_WINDOW + 1))
            )
        return False

    def _standing_state(self, w: _Weighing) -> bool:
        """A standing claim: every signal's clause tells a state in the present
        ("groups it says are orchestrating attacks from there", "militants operating from its
        soil"), with no past event in the clause ("was planned", "crossed", "were continuing"),
        no ``specific`` cue and no day since the commitment took effect; not in a headline."""
        s, art = w.s, w.art
        if not w.live or _G["specific"] in s.hits or (art.headline and s is art.sentences[0]):
            return False  # (a headline's present is the news's: "Northland hands over a dossier")
        if self._dated_after(w.rule.commitment, s, art.published_at):
            return False
        for h in w.live:
            start, end = self._event_span(s, s.predicates.get(h, h).start)
            for i in range(start, end):
                t = s.tokens[i]
                if t in _PAST_MARKERS:
                    return False
                if (
                    len(t) > 4
                    and t.endswith("ed")
                    and t not in _STATIVE
                    and i
                    and (
                        s.tokens[i - 1] not in {"be", "to"}  # "needs to be addressed": not an event
                    )
                ):
                    return False
        return True

    @staticmethod
    def _anchors(s: _Sentence, cue: PhraseHit, last: int) -> bool:
        """ "The offensive is launched two months *after* the soldiers' deaths": a span cue
        ("months after", "years before") that follows every signal in its clause dates them
        from another event; they are the news, that event the backstory."""
        return (
            last >= 0
            and cue.start > last
            and s.tokens[cue.start] in _TIME_SPANS
            and s.clause_start[cue.start] == s.clause_start[last]
        )

    def _background(self, w: _Weighing) -> list[PhraseHit]:
        """The background cues that apply to the signals (dated ones only when before)."""
        s, c, published, live = w.s, w.rule.commitment, w.art.published_at, w.live
        earlier = w.breach and w.rule.b.after_is_background
        if (
            _G["bgall"] not in s.hits
            and _G["bg"] not in s.hits
            and not (earlier and _G["bgwar"] in s.hits)
        ):
            return []  # no cue of either kind (what follows would find none)
        clause = s.clause_start[w.first]
        last = max((h.start for h in live), default=-1)
        bg = [
            h
            for h in s.hits.get(_G["bgall"], ())
            if not self._anchors(s, h, last)
            and (
                h.phrase not in _DATED_BACKGROUND
                or (
                    s.clause_start[h.start] == clause and not self._after_effective(c, h, published)
                )
            )
        ]
        if bg and any(
            self._cue_before(s, s.predicates.get(h, h), "ongoing", ONGOING_WINDOW)
            or any(h.start <= o.start < h.end for o in s.hits.get(_G["ongoing"], ()))
            for h in live
        ):
            # "The withdrawal is still stalled three months after the deal": a current state
            bg = [h for h in bg if h.phrase in _DATED_BACKGROUND]
        if bg and self._dated_after(c, s, published):
            # "Skirmishes, ... allies in the past, ... on Friday": a dated event is current; a
            # background cue counts only in the clause of a signal, or when every signal's
            # clause ends one ("..., months after he was killed in a strike").
            clauses = {s.clause_start[h.start] for h in live}
            cued = {s.clause_start[h.end - 1] for h in bg}
            if not (live and clauses <= cued):
                bg = [h for h in bg if s.clause_start[h.start] in clauses]
        heads = list(live)
        if not self._dated_after(c, s, published):  # (a dated example is news of its own)
            heads = [h for h in live if not self._example(s, h, live)]
        near = [self._cue_before(s, hit, "bg", BACKGROUND_WINDOW) for hit in heads]
        near = [
            n
            if n is None
            or n.phrase not in _DATED_BACKGROUND
            or not self._after_effective(c, n, published)
            else None
            for n in near
        ]
        if earlier:
            near = [n or self._earlier(s, hit) for n, hit in zip(near, heads, strict=True)]
        if near and all(near):
            bg.append(next(h for h in near if h is not None))
        return bg

    @staticmethod
    def _example(s: _Sentence, hit: PhraseHit, live: Sequence[PhraseHit]) -> bool:
        """Whether ``hit`` is an example of another signal before it ("met with aggressive
        actions, *including* harassment and water cannon"): it is told as that one is."""
        for other in live:
            if other.end <= hit.start:
                between = s.tokens[other.end : hit.start]
                if not _EXAMPLES.isdisjoint(between):
                    return True
        return False

    @staticmethod
    def _after_effective(c: Commitment, cue: PhraseHit, published: datetime | None) -> bool:
        """Whether a relative time cue ("last month") dates wholly after the commitment began."""
        eff = c.effective_date
        if published is None or eff is None:
            return False
        day = published.date()
        if cue.phrase.endswith("this month"):
            return day.replace(day=1) >= eff
        if cue.phrase.endswith("this year"):
            return day.replace(month=1, day=1) >= eff
        dates = find_dates(cue.phrase, published)
        return bool(dates) and all(d.first >= eff for d in dates)

    def _dated_after(self, c: Commitment, s: _Sentence, published: datetime | None) -> bool:
        """Whether the sentence names a day on or after the commitment took effect."""
        eff = c.effective_date
        if published is None or eff is None:
            return False
        return any(d.first >= eff and d.first == d.last for d in self._dates(s, published))

    def _dates(self, s: _Sentence, published: datetime) -> list[DateRef]:
        """The sentence's dates of events (not "since ..." comparisons)."""
        if s.dates is None:
            s.dates = [d for d, _, _ in self._token_dates(s, published) if not d.since]
        return s.dates

    def _earlier(self, s: _Sentence, hit: PhraseHit) -> PhraseHit | None:
        """ "After"/"following" before hostilities: a prior event, unless marked as new."""
        cue = self._cue_before(s, hit, "bgwar", BACKGROUND_WINDOW)
        if cue is None:
            return None
        if any(  # "a second truce on Sunday after fresh strikes": before that truce, however new
            t.end <= cue.start
            and cue.start - t.end <= PRIOR_AGREED_WINDOW
            and PUNCTUATION.isdisjoint(s.tokens[t.end : cue.start])
            for t in s.hits.get(_G["truce"], ())
        ):
            return cue
        if any(cue.end <= c.start < hit.end for c in s.hits.get(_G["current"], ())):
            return None
        if not _CASUALTY.isdisjoint(
            s.tokens[s.clause_start[cue.start - 1] if cue.start else 0 : cue.start]
        ):
            return None  # "two soldiers were wounded after shelling hit ...": its toll, now
        return cue

    @staticmethod
    def _other_venues(rule: _Rule, s: _Sentence) -> tuple[list[PhraseHit], list[PhraseHit]]:
        """The sentence's venue mentions: the commitment's own, and others."""
        own: list[PhraseHit] = []
        other: list[PhraseHit] = []
        tokens = s.tokens
        named = {i for ms in s.entities.values() for m in ms for i in range(m.start, m.end)}
        for h in s.hits.get(_G["venue"], ()):
            before = tokens[max(0, h.start - 4) : h.start]
            if before[-1:] == ["between"] or (before[-1:] == ["and"] and "between" in before):
                continue  # "the gap between Eastport and Westport": governments, not a venue
            if h.start in named and not _VENUE_MARKS.intersection(before[-1:]):
                continue  # "Eastport said the talks failed": an entity's capital, its government
            (own if phrase_words(h.phrase) in rule.venues else other).append(h)
        return own, other

    def _elsewhere(self, rule: _Rule, s: _Sentence, first: int, art: _Article) -> str | None:
        """Why a talks signal is about talks held somewhere else, if it is.

        "Talks in Westport ended without agreement" is not the Eastport round; a sentence that
        names no venue takes the venue of the article's first sentence that names one.
        """
        own, other = self._other_venues(rule, s)
        if other:
            if not own:
                return f"talks elsewhere: {other[0].phrase!r}"
            clause = s.clause_start[first]
            here = [h for h in other if s.clause_start[h.start] == clause]
            if here and not any(s.clause_start[h.start] == clause for h in own):
                return f"talks elsewhere: {here[0].phrase!r}"
            return None
        if own:
            return None
        for t in art.sentences:
            if _G["venue"] not in t.hits:
                continue
            own, other = self._other_venues(rule, t)
            if other and not own:
                return f"the article's talks are elsewhere: {other[0].phrase!r}"
            return None
        return None

    @staticmethod
    def _contact(s: _Sentence, hits: Sequence[PhraseHit]) -> PhraseHit | None:
        """A contact verb in the clause of a signal, before it or inside its span."""
        for hit in hits:
            clause = s.clause_start[hit.start]
            for cue in s.hits.get(_G["contact"], ()):
                if (
                    cue.start >= clause
                    and cue.end <= hit.end
                    and hit.start - cue.end <= CONTACT_WINDOW
                ):
                    return cue
        return None

    @staticmethod
    def _prior(s: _Sentence, live: Sequence[PhraseHit]) -> str | None:
        """A cue after the hostilities that places them before a ceasefire ("before a truce")."""
        first = min(h.start for h in live)
        truces = s.hits.get(_G["truce"], ())
        for cue in s.hits.get(_G["prior"], ()):
            if cue.start <= first:
                continue
            for t in truces:
                if t.start < cue.end:
                    continue
                between = s.tokens[cue.end : t.start]
                if len(between) <= PRIOR_WINDOW or (
                    len(between) <= PRIOR_AGREED_WINDOW
                    and not PUNCTUATION.intersection(between)
                    and any(w.startswith(_AGREED) for w in between)
                ):
                    return " ".join(s.tokens[cue.start : t.end])
        return Matcher._prior_lead(s, first, truces)

    @staticmethod
    def _prior_lead(s: _Sentence, first: int, truces: Sequence[PhraseHit]) -> str | None:
        """ "Before the truce of October 19, troops clashed for a week": an opening phrase that
        places the sentence's hostilities before a ceasefire (not "before the truce expired")."""
        for cue in s.hits.get(_G["prior"], ()):
            if cue.phrase not in _LEADING_PRIOR or cue.end > first:
                continue
            for t in truces:
                if not (cue.end <= t.start <= cue.end + PRIOR_WINDOW and t.end <= first):
                    continue
                if not _ENDED.isdisjoint(s.tokens[t.end : t.end + 3]):
                    continue  # "before the truce expired": during it
                if "," in s.tokens[t.end : first]:
                    return " ".join(s.tokens[cue.start : t.end])
        for t in truces:  # "The truce of October 19 ended a week of fighting in which ..."
            for stop in s.hits.get(_G["stop"], ()):
                if (
                    t.end <= stop.start <= t.end + TRUCE_ENDED_WINDOW
                    and stop.end <= first
                    and s.tokens[stop.end : stop.end + 1] != []
                    and (s.tokens[stop.end] in _SPAN_OPENERS or s.tokens[stop.end].isdigit())
                ):
                    return " ".join(s.tokens[t.start : stop.end])
        return None

    @staticmethod
    def _denied_report(s: _Sentence, target: PhraseHit) -> PhraseHit | None:
        """A denial of a report that carries the signal, however long the report's wording.

        "The ministry rejected as baseless a newspaper report claiming that emissaries had met
        Front leaders": the denial governs everything in the report it names.
        """
        claims = s.hits.get(_G["claim"])
        if not claims:
            return None
        words = [h.start for h in s.hits.get(_G["clause"], ()) if h.phrase in _SAYING]
        for deny in s.hits.get(_G["deny"], ()):
            if deny.end > target.start:
                break
            if any(deny.end <= w <= target.start for w in words):
                continue  # "denied the report, reaffirming that ...": a new clause
            if any(deny.end <= c.start <= deny.end + 8 and c.end <= target.start for c in claims):
                return deny
        return None

    @staticmethod
    def _speaks(s: _Sentence, eid: str, first: int) -> bool:
        """Whether entity ``eid`` is named before ``first`` as the one speaking ("X said")."""
        return any(
            m.end <= first and not _SPEECH.isdisjoint(s.tokens[m.end : m.end + 3])
            for m in s.entities.get(eid, ())
        )

    def _actor(self, rule: _Rule, s: _Sentence, first: int) -> str | None:
        """The entity named last before ``first`` (the likely subject), ignoring the object.

        The group a party acts against and the places where it happens do not act; nor does
        any commitment's subject that no commitment binds (a place, a river, a region).
        """
        c = rule.commitment
        passive = set(c.subjects) | {"border"} | self._places
        if rule.b.group_is_target and len(c.parties) > 1:
            passive.add(c.parties[-1])
        best: tuple[int, str] | None = None
        reactions = [h for h in s.hits.get(_G["react"], ()) if h.end <= first]
        dateline = _DATELINE.match(s.text) is not None
        for eid, mentions in s.entities.items():
            if eid in passive:
                continue
            for m in mentions:
                if rule.b.objects_are_not_actors and not _OBJECT_MARKS.isdisjoint(
                    s.tokens[max(0, m.start - 3) : m.start]
                ):
                    continue  # "a back channel with the Front": the object, not the actor
                if m.start == 0 and dateline:
                    continue  # "NORTHPORT: ...": where it was filed
                if m.start and s.tokens[m.start - 1] in _ADDRESSING:
                    continue  # "Northland tells the mediators it needs ...": who is told
                if any(m.end <= r.start <= m.end + 3 for r in reactions):
                    continue  # "Northland welcomed the arrest": who reacts, not who acted
                # (a signal that opens with a name, "Southern army entered", names its actor)
                if (m.end <= first or m.start == first) and (best is None or m.start > best[0]):
                    best = (m.start, eid)
        return None if best is None else best[1]

    @staticmethod
    def _cue_before(
        s: _Sentence, hit: PhraseHit, name: str, window: int | None
    ) -> PhraseHit | None:
        """A cue of guard ``name`` in the signal's clause, ending before it (within ``window``)."""
        cues = s.hits.get(_G[name])
        if not cues:
            return None
        clause = s.clause_start[hit.start]
        for cue in cues:
            if (
                cue.end <= hit.start
                and cue.start >= clause
                and (window is None or hit.start - cue.end <= window)
            ):
                return cue
        return None

    def _violated_other(self, s: _Sentence, hit: PhraseHit) -> str | None:
        """ "A violation of the parties' humanitarian commitments": a violation whose object is
        another obligation (the ``other_obligations`` list), with no ceasefire word before it."""
        if not s.tokens[hit.start].startswith(("violat", "breach")):
            return None
        obj = self._cue_after(s, hit, "othervow", CESSATION_WINDOW)
        if obj is None:
            return None
        truce = s.hits.get(_G["truce"], ())
        if any(hit.end <= t.start < obj.end + OBJECT_WINDOW for t in truce):
            return None  # "violated the agreement on the ceasefire": the truce itself
        return obj.phrase

    @staticmethod
    def _intent(s: _Sentence, hit: PhraseHit) -> PhraseHit | None:
        """An intent, demand or hope cue that governs the signal (see ``_cue_before``), unless
        it stands in the subject of the signal's own verb: "*efforts to* integrate the Front
        *have stalled*", "*the plan to* merge them *has been* delayed" report the stall (the
        cue opens its clause or follows a determiner, and an auxiliary stands just before the
        signal)."""
        cues = s.hits.get(_G["irrealis"], ())
        clause = s.clause_start[hit.start] if cues else 0  # (clauses read only when needed)
        for cue in cues:
            if not (cue.end <= hit.start and cue.start >= clause):
                continue
            if hit.start - cue.end > IRREALIS_WINDOW:
                continue
            subject = cue.start == clause or s.tokens[cue.start - 1] in _SUBJECT_LEADS
            if subject and s.tokens[hit.start - 1] in _FINITE and hit.start - 1 > cue.end:
                continue
            if "that" in s.tokens[cue.end : hit.start] and _past_form(s.tokens[hit.start]):
                continue  # "assured that its units freed all those held": told as done
            return cue
        return None

    @staticmethod
    def _noun_subject(s: _Sentence, hit: PhraseHit, cue: PhraseHit) -> bool:
        """ "The *graduation of* the second batch of forces *is expected* next month": a signal
        that ends in a preposition names a thing, and the plan cue after its noun phrase, in its
        clause and with no verb between, is that thing's predicate."""
        if s.tokens[hit.end - 1] not in _PREPOSITIONS or cue.start < hit.end:
            return False
        if cue.start - hit.end > SIGNAL_PHRASE_WINDOW:
            return False
        between = range(hit.end, cue.start)
        return s.clause_start[cue.start] == s.clause_start[hit.start] and not any(
            s.tokens[i] in _FINITE for i in between
        )

    @staticmethod
    def _in_aside(s: _Sentence, hit: PhraseHit) -> bool:
        """The signal stands in a relative clause set off by commas on both sides, which
        tells about someone or something the sentence names ("Radoičić, *who took
        responsibility for the attack*, ..."): background to the sentence's news."""
        start = s.clause_start[hit.start]
        if not 1 < start < len(s.tokens) or s.tokens[start] not in _RELATIVE_OPENERS:
            return False
        return s.tokens[start - 1] == "," and "," in s.tokens[hit.end :]

    @staticmethod
    def _aside(s: _Sentence, cue: PhraseHit, hit: PhraseHit) -> bool:
        """Whether ``cue`` stands in a relative clause set off by commas that closes before the
        signal ("Northland, *which has threatened* to use force, said the merger stalled")."""
        cs = s.clause_start
        start = cs[cue.start]
        if start == cs[hit.start] or not 0 < start < len(s.tokens):
            return False
        opens = s.tokens[start] in _RELATIVE_OPENERS
        closed = "," in s.tokens[cue.end : hit.start]
        return opens and closed

    @staticmethod
    def _stance(s: _Sentence, modal: PhraseHit, hit: PhraseHit) -> bool:
        """ "The treaty will never be restored": a modal of will just before a signal that is
        itself negated states a position (a refusal), not what may happen."""
        return (
            modal.phrase in _WILL
            and hit.start == modal.end
            and s.tokens[hit.start : hit.start + 1] in (["not"], ["never"])
        )

    @staticmethod
    def _denied_negation(s: _Sentence, neg: PhraseHit) -> bool:
        """ "The report dismissed Northland's claims that militants are *not* operating
        there": a negation inside a claim that is denied or doubted is itself denied."""
        claims = [
            c
            for c in s.hits.get(_G["claim"], ())
            if c.end <= neg.start and "that" in s.tokens[c.end : min(neg.start, c.end + 2)]
        ]
        if not claims:
            return False
        cues = [*s.hits.get(_G["deny"], ()), *s.hits.get(_G["doubt"], ())]
        return any(
            d.end <= c.start and c.start - d.end <= DENIAL_WINDOW for d in cues for c in claims
        )

    @staticmethod
    def _cue_after(s: _Sentence, hit: PhraseHit, name: str, window: int) -> PhraseHit | None:
        """A cue of guard ``name`` in the signal's clause, starting after it (within ``window``)."""
        cues = s.hits.get(_G[name])
        if not cues:
            return None
        clause = s.clause_start[hit.start]
        for cue in cues:
            if (
                cue.start >= hit.end
                and s.clause_start[cue.start] == clause
                and cue.start - hit.end <= window
            ):
                return cue
        return None

    def _governed(self, rule: _Rule, s: _Sentence, hit: PhraseHit, label: Label) -> str | None:
        """The cue (negation, condition, modal, intent, threat) that governs one signal.

        For a two-cue signal whose second cue is the predicate, cues before either count.
        """
        if (
            label is Label.BREACH
            and not _DRILLS.isdisjoint(s.tokens[hit.end : hit.end + 1])
            # (not the exercises of a process it is about: "suspends disarmament exercises")
            and not any(
                t.end == hit.end for k in (rule.topic, rule.kind_topic) for t in s.hits.get(k, ())
            )
        ):
            return f"an exercise, not an act: {s.tokens[hit.end]!r}"  # "water cannon drills"
        why = self._governs(rule, s, hit, label)
        pred = s.predicates.get(hit)
        if why is None and pred is not None:
            why = self._governs(rule, s, pred, label, hit.phrase)
        return why

    def _negated_or_planned(
        self, rule: _Rule, s: _Sentence, hit: PhraseHit, label: Label, pair: str | None = None
    ) -> str | None:
        """Negation before or just after the signal; a plan ("to be exchanged", "are
        expected", an infinitive of a past-tense signal, unless a decision carries a breach:
        "the Front's decision to suspend the handover").  ``pair``: the two-cue signal whose
        predicate ``hit`` is."""
        before = s.tokens[hit.start - 1 : hit.start]
        if s.tokens[hit.start] in self._kind_bare.get(pair or hit.phrase, ()):
            # (a kind's bare verb: a plan is no event, so its negation is no breach either)
            plan = self._bare_plan(s, hit.start)
            if plan is not None:
                return f"not a fact: {plan} {s.tokens[hit.start]!r}"  # "visit to hold talks"
        if hit in s.predicates and self._time_clause(s, hit):
            return "not a fact: a time clause's present"  # "before negotiations begin"
        if hit not in s.predicates and self._time_clause_verb(s, hit):
            return "not a fact: a time clause's present"  # "before they hand over their arms"
        if label is Label.MET and "your" in s.tokens[hit.start : hit.end]:
            return "a call on someone, not an event: 'your'"  # "surrender your arms now"
        neg = self._cue_before(s, hit, "neg", NEGATION_WINDOW)
        if (
            neg is not None
            and _NOT_NEGATING.isdisjoint(s.tokens[neg.end : neg.end + 1])
            and not self._denied_negation(s, neg)
        ):
            if (
                s.tokens[neg.start - 1 : neg.start]
                and s.tokens[neg.start - 1] in _INTENT
                and _PRECONDITION.isdisjoint(s.tokens[hit.end :])
            ):
                return f"negated intent: {s.tokens[neg.start - 1]} {neg.phrase!r}"  # "would not"
            return f"negated: {neg.phrase!r}"  # ("will not hold talks until ...": a refusal)
        first = s.tokens[hit.start]
        if s.tokens[max(0, hit.start - 2) : hit.start] == ["to", "be"] and (
            first.endswith("ed") or participle(first, SHIPPED.forms)
        ):
            return "not a fact: 'to be'"  # "detainees to be exchanged", "talks to be held"
        to = hit.start - 1 if before[:1] == ["to"] else self._coordinated_to(s, hit.start)
        if (
            before
            and s.tokens[hit.start] in self._bare
            and (to is not None or before[0] in _DETERMINERS)
            and self._users(rule, hit)
            and phrase_words(hit.phrase) not in self._written_bare
        ):
            if to is None:  # "faces a lower tariff rate", not "the close of"
                if s.tokens[hit.start + 1 : hit.start + 2] != ["of"]:
                    return f"describes its noun: {before[0]} {s.tokens[hit.start]!r}"
            elif not self._carried_by_past_act(s, to) and not (
                label is Label.BREACH and self._decided(s, to)
            ):
                return "not a fact: an infinitive"  # "for Northland to lift its measures"
        if before and before[0] in _GERUND_TOPIC and self._gerund_of_users(rule, s, hit):
            return f"a topic, not an event: {before[0]} {s.tokens[hit.start]!r}"
        if before and before[0] in _TOPIC_PREPOSITIONS and s.tokens[hit.start].endswith("ing"):
            return f"a topic, not an event: {before[0]} {s.tokens[hit.start]!r}"  # "about ..."
        if label is Label.MET and self._listed_contents(s, hit.start):
            return "what a deal or proposal holds, not an event: a list after 'included'"
        for cue in s.hits.get(_G["expected"], ()):
            if hit.end <= cue.start <= hit.end + 2 or self._noun_subject(s, hit, cue):
                return f"not a fact: {cue.phrase!r}"  # "the first exchanges are expected"
        after = s.tokens[hit.end : hit.end + 3]
        if ("not" in after or "never" in after) and all(t not in PUNCTUATION for t in after):
            return "followed by a negation: 'not'"
        return None

    @staticmethod
    def _time_clause(s: _Sentence, hit: PhraseHit) -> bool:
        """A subject-first signal whose verb is in the present, in a clause that a time word
        opens up to three words before its subject ("before negotiations begin", "until the
        talks resume"): what is to come.  ("After the talks began" is a fact.)"""
        verb = s.tokens[s.predicates[hit].start]
        if verb.endswith("ed") or participle(verb, SHIPPED.forms):
            return False
        before = s.tokens[max(0, hit.start - 3) : hit.start]
        return not _TIME_CLAUSE.isdisjoint(before) and PUNCTUATION.isdisjoint(before)

    def _time_clause_verb(self, s: _Sentence, hit: PhraseHit) -> bool:
        """A signal that opens with a bare verb right after a subject pronoun, after a time word
        up to three words before it ("before they hand over their weapons"): what is to come.
        (A pronoun: a headline's "after lawmakers extend emergency rule" tells the past.)"""
        if not hit.start or s.tokens[hit.start - 1] not in _SUBJECT_PRONOUNS:
            return False  # (the cheap test first: this runs for every signal)
        before = s.tokens[max(0, hit.start - 3) : hit.start]
        if _TIME_CLAUSE.isdisjoint(before) or not PUNCTUATION.isdisjoint(before):
            return False
        return s.tokens[hit.start] in self._bare or phrase_words(hit.phrase) in self._written_bare

    @staticmethod
    def _bare_plan(s: _Sentence, at: int) -> str | None:
        """What makes the bare verb at ``at`` a plan or a noun: "to", a modal or a determiner
        right before it ("to hold talks", "will hold talks", "the launch of"; an adverb may
        stand between: "to unilaterally redeploy"), or "to" and a verb before its "and" ("to
        travel there and hold talks"); None for an event."""
        before = s.tokens[at - 1] if at else ""
        if before.endswith("ly") and at > 1:  # "to unilaterally redeploy": the adverb aside
            at -= 1
            before = s.tokens[at - 1]
        if before == "and":
            words = s.tokens[max(0, at - 5) : at - 1]
            to = len(words) - 1 - words[::-1].index("to") if "to" in words else -1
            if to < 0 or not PUNCTUATION.isdisjoint(words[to:]):
                return None
            at, before = at - len(words) + to + 1, "to"
        if before in _BEFORE_BARE and not Matcher._carried_by_past_act(s, at - 1):
            return before
        return None

    @staticmethod
    def _listed_contents(s: _Sentence, start: int) -> bool:
        """An -ing form in a list that a contents word opens with an -ing form ("the truce
        included allowing 18 fuel ships into the port", "the proposal included paying salaries,
        opening routes and allowing fuel ships"): what a deal holds, not an event.  (Met only:
        "violations included shelling" reports them.)"""
        tokens = s.tokens
        if not tokens[start].endswith("ing"):
            return False
        for i in range(start - 1, -1, -1):
            if tokens[i] not in _CONTENTS:
                continue
            j = i + 1
            while j < start and tokens[j] in ('"', "'"):  # (an opening quote)
                j += 1
            return tokens[j].endswith("ing")
        return False

    def _gerund_of_users(self, rule: _Rule, s: _Sentence, hit: PhraseHit) -> bool:
        """The signal starts with an -ing form of a phrase the user wrote in another form
        ("opening" of "opened a new crossing")."""
        return (
            s.tokens[hit.start].endswith("ing")
            and self._users(rule, hit)
            and phrase_words(hit.phrase) not in self._written
        )

    def _users(self, rule: _Rule, hit: PhraseHit) -> bool:
        """A hit of a phrase the user wrote: the commitment's own signal, or a signal of a kind
        the user added or extended."""
        return (
            not set(hit.keys).isdisjoint((rule.breach[0], rule.met[0]))
            or phrase_words(hit.phrase) in self._users_kind_forms
        )

    @staticmethod
    def _infinitive_object(s: _Sentence, hit: PhraseHit) -> bool:
        """The signal is what an infinitive aims at: "to" and a verb (not a name), then up
        to three words (a determiner, modifiers), then the signal ("will visit on Monday to
        hold the 24th round of talks", "to chair high-level council meeting in Ankara"): a
        purpose or a plan, unless a past act carries it ("managed to").  Read for
        met signals only: an attempt at a breach is often the breach ("opened fire to
        facilitate the infiltration")."""
        i = hit.start - 1  # the verb, then a determiner or modifiers before the signal
        modifiers = 0
        for _ in range(4):  # "to chair high-level council meeting in Ankara"
            if i < 1 or s.tokens[i - 1] == "to":
                break
            t = s.tokens[i]
            if not t.isalnum() or (t in _GAP_NOT and t not in _DETERMINERS):
                return False
            modifiers += t not in _DETERMINERS
            i -= 1
        if i < 1 or s.tokens[i - 1] != "to" or s.tokens[i] in _GAP_NOT:
            return False
        first = s.tokens[hit.start]
        if modifiers and (
            first.endswith("ed") or participle(first, SHIPPED.forms) or Matcher._decided(s, i - 1)
        ):
            return False  # modifiers stand before a noun ("to welcome relatives freed")
        named = (h for hits in s.entities.values() for h in hits)
        if not s.tokens[i].isalpha() or any(h.start <= i < h.end for h in named):
            return False
        if s.tokens[i] in _AUXILIARY:
            return False  # "appears to be holding": the signal is the verb itself
        return not Matcher._carried_by_past_act(s, i - 1)

    @staticmethod
    def _decided(s: _Sentence, to: int) -> bool:
        """Whether a decision stands up to five words before the "to" at ``to`` ("the
        Front's decision to suspend", "its move to stop"; ``decided``), or up to eight with
        no punctuation between ("an order on Saturday from the President to shut")."""
        if not _DECIDED.isdisjoint(s.tokens[max(0, to - 5) : to]):
            return True
        before = s.tokens[max(0, to - 8) : to]
        return not _DECIDED.isdisjoint(before) and PUNCTUATION.isdisjoint(
            before[max(i for i, t in enumerate(before) if t in _DECIDED) :]
        )

    @staticmethod
    def _coordinated_to(s: _Sentence, start: int) -> int | None:
        """The "to" of an infinitive that the bare verb at ``start`` is joined to by "and" or
        "or", up to five words back ("asked the cadres to surrender and join the
        mainstream"), with no punctuation between; None if there is none."""
        if s.tokens[start - 1 : start] not in (["and"], ["or"]):
            return None
        for j in range(start - 2, max(-1, start - 8), -1):
            t = s.tokens[j]
            if t in PUNCTUATION or t in ("and", "or"):
                return None
            if t == "to":
                verb = s.tokens[j + 1]
                ok = j + 1 < start - 1 and verb.isalpha() and verb not in _DETERMINERS
                return j if ok else None
        return None

    @staticmethod
    def _carried_by_past_act(s: _Sentence, to: int) -> bool:
        """Whether the "to" at ``to`` follows a past act that carries it out, up to four words
        before it ("voted overwhelmingly to approve", "managed to hold"; ``carried_by``), or an
        ordinal's noun ("the first contingent of officers to arrive"; not "the first step to"):
        the infinitive is then the act done."""
        before = s.tokens[max(0, to - 5) : to]
        act = next((i for i in range(len(before) - 1, -1, -1) if before[i] in _CARRIED_BY), None)
        if act is not None and PUNCTUATION.isdisjoint(before[act:]):  # (from the act on)
            return True
        # "the first contingent of police officers to arrive": who did it, by their order
        before = s.tokens[max(0, to - ORDINAL_WINDOW) : to]
        for i in range(len(before) - 1, -1, -1):
            t = before[i]
            if t in PUNCTUATION or t in _PLAN_NOUNS:
                return False
            if t in _ORDINALS:
                return i < len(before) - 1  # (a word between: "first to" alone is no subject)
        return False

    def _governs(
        self, rule: _Rule, s: _Sentence, hit: PhraseHit, label: Label, pair: str | None = None
    ) -> str | None:
        b = rule.b
        refusal = b.met_is_refusal and label is Label.MET
        lead = _leading_condition(s.tokens) if s.tokens[0] in _LEADING_OPEN else None
        if lead is not None and lead[1] <= hit.start:  # (before negation: "If ..., no talks")
            return f"conditional: {' '.join(s.tokens[lead[0] : lead[1]])!r} opens the sentence"
        why = self._negated_or_planned(rule, s, hit, label, pair)
        if why is not None:
            return why
        if _compound_adjective(s.tokens, hit):
            return f"describes the noun after it: {s.tokens[hit.start - 1]}-{s.tokens[hit.start]}"
        if self._in_aside(s, hit):
            return "an aside: a relative clause set off by commas"
        if _epithet(s.tokens, hit):
            return f"describes the group: {s.tokens[hit.start - 1]} {s.tokens[hit.start]}"
        if b.cessation_blocks_breach and label is Label.BREACH:
            stop = self._cue_before(s, hit, "stop", CESSATION_WINDOW)
            if stop is not None:
                return f"the end of hostilities: {stop.phrase!r}"
            fell = self._cue_after(s, hit, "decline", DECLINE_WINDOW)
            if fell is not None:
                return f"hostilities declined: {fell.phrase!r}"
        if b.other_violations_not_breach and label is Label.BREACH:
            what = self._violated_other(s, hit)
            if what is not None:
                return f"a violation of something else: {what!r}"
        if b.resumption_blocks_breach and label is Label.BREACH:
            again = self._cue_before(s, hit, "resume", CESSATION_WINDOW)
            if again is not None:
                return f"talks taken up again: {again.phrase!r}"
        conds = s.hits.get(_G["cond"], ())
        clause = s.clause_start[hit.start] if conds else 0  # (clauses read only when needed)
        for cue in conds:
            if s.clause_start[cue.start] != clause:
                continue
            if cue.phrase == "any" and not (cue.end <= hit.start <= cue.end + 2):
                continue
            if refusal and cue.start >= hit.end:
                continue  # "will not negotiate unless ...": the refusal stands until then
            return f"conditional: {cue.phrase!r}"
        if not refusal:
            after = next((m for m in s.hits.get(_G["modal"], ()) if m.start == hit.end), None)
            if (
                after is not None
                and after.phrase in _MODAL_AFTER
                and s.tokens[after.end : after.end + 1] != ["be"]  # "may be a war crime"
            ):
                return f"not a fact (the subject of {after.phrase!r})"
            modal = self._cue_before(s, hit, "modal", MODAL_WINDOW)
            stems = _AFFIRM if b.affirmed_future_is_met else _AFFIRM[:1]
            if (
                modal is not None
                and not (
                    label is Label.MET
                    and any(
                        t.startswith(stems)
                        and not (t.startswith(_AFFIRM_NOUNS) and modal.phrase != "will")
                        for t in s.tokens[: modal.start]
                    )
                )
                and not Matcher._stance(s, modal, hit)
            ):
                return f"not a fact (modal): {modal.phrase!r}"
        intent = self._intent(s, hit)
        if intent is not None:
            return f"intent, demand or hope: {intent.phrase!r}"
        if label is Label.MET:
            attempt = self._cue_before(s, hit, "attempt", IRREALIS_WINDOW)
            if attempt is not None:
                return f"an attempt, not a result: {attempt.phrase!r}"
            if self._infinitive_object(s, hit):
                return "not a fact: what an infinitive aims at"  # "to hold the 24th round"
            at = hit.start  # "the difficult task of forming a cabinet"
            if (
                at > 1
                and s.tokens[at - 1] == "of"
                and s.tokens[at - 2] in _PLAN_OF
                and s.tokens[at].endswith("ing")
            ):
                return f"a plan, not a result: {s.tokens[at - 2]} of"
        if not refusal:
            for cue in s.hits.get(_G["threat"], ()):
                if cue.end <= hit.start and not Matcher._aside(s, cue, hit):
                    return f"threat or pledge: {cue.phrase!r}"
        return None
