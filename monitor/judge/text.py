"""Text helpers for judging news: normalisation, sentences, tokens, phrases, dates, SimHash.

Pure: no I/O.  Phrases use the watchlist syntax: matched case-insensitively on
whole words, a trailing ``*`` on a word matches any ending ("violat*"), and a
space between words also matches a hyphen ("cross border" ~ "cross-border").
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import NamedTuple

# --- normalisation ---------------------------------------------------------------------------

_REPLACE: tuple[tuple[str, str], ...] = (
    ("\u2018", "'"),
    ("\u2019", "'"),
    ("\u201a", "'"),
    ("\u201b", "'"),
    ("\u2032", "'"),
    ("\u201c", '"'),
    ("\u201d", '"'),
    ("\u201e", '"'),
    ("\u201f", '"'),
    ("\u2033", '"'),
    ("\u00ab", '"'),
    ("\u00bb", '"'),
    ("\u2010", "-"),
    ("\u2011", "-"),
    ("\u2012", "-"),
    ("\u2013", "-"),
    ("\u2212", "-"),
    ("\u2014", " - "),
    ("\u2015", " - "),
    ("\u00a0", " "),
    ("\u2009", " "),
    ("\u202f", " "),
    ("\u2007", " "),
    ("\t", " "),
    ("\r", "\n"),
    ("\f", "\n"),
    ("\v", "\n"),
    ("\u2028", "\n"),
    ("\u2029", "\n"),
    ("\u200b", ""),
    ("\u200c", ""),
    ("\u200d", ""),
    ("\ufeff", ""),
    ("\u00ad", ""),
    ("\u2022", "\n"),
    ("\u25cf", "\n"),
    ("\u2026", "..."),
)
_ASCII_REPLACE = (("\t", " "), ("\r", "\n"), ("\f", "\n"), ("\v", "\n"))
_DOUBLE_DASH = re.compile(r"-{2,}")
_SPACES = re.compile(r" {2,}")


def normalize(text: str) -> str:
    """Unicode quotes to ASCII, dashes to hyphens (a spaced dash to " - "), tidy whitespace.

    Line breaks are kept (one per paragraph, blank lines dropped); runs of spaces become one.
    """
    if not text.isascii():
        text = unicodedata.normalize("NFC", text)
        for old, new in _REPLACE:
            if old in text:
                text = text.replace(old, new)
    else:
        for old, new in _ASCII_REPLACE:
            if old in text:
                text = text.replace(old, new)
    if "--" in text:
        text = _DOUBLE_DASH.sub(" - ", text)
    if "  " in text:
        text = _SPACES.sub(" ", text)
    return "\n".join(line for line in (raw.strip() for raw in text.split("\n")) if line)


# --- sentences -------------------------------------------------------------------------------

ABBREVIATIONS = frozenset(
    """mr mrs ms dr prof gen lt col maj capt sgt cpl pvt brig cdr adm gov sen rep st hon jan
    feb mar apr jun jul aug sep sept oct nov dec no nos vs inc ltd co corp jr sr approx est
    dept univ govt rs mt ft vol fig al e.g i.e cf""".split()
)
_BOUNDARY = re.compile(r"[.!?]+[\"')\]]?(?:\s+|(?=[\"(]?[A-Z][a-z]))")
_WORD_BEFORE = re.compile(r"([\w.]+)$")
_BULLET = re.compile(r"^(?:[-*>#]+|\d+[.)])\s+")


def _split_paragraph(para: str) -> list[str]:
    out: list[str] = []
    start = 0
    for m in _BOUNDARY.finditer(para):
        end = m.end()
        nxt = end  # the first character after the boundary, past opening quotes
        while nxt < len(para) and para[nxt] in "\"'(":
            nxt += 1
        first = para[nxt : nxt + 1]
        if not first or not (first.isupper() or first.isdigit()):
            continue
        glued = not m.group().endswith((" ", "\n"))
        if glued and first.isdigit():
            continue
        wm = _WORD_BEFORE.search(para[max(0, m.start() - 30) : m.start()])
        if glued and not wm:  # "?Aa": no word ends there, so no sentence either
            continue
        if wm:
            word = wm.group(1).lower().rstrip(".")
            last = word.rsplit(".", 1)[-1]
            if word in ABBREVIATIONS or last in ABBREVIATIONS:
                continue
            if len(last) == 1 and last.isalpha():  # an initial or "U.S."
                continue
            if glued and (len(last) < 2 or not wm.group(1)[-1].islower()):
                continue
        sentence = para[start:end].strip()
        if sentence:
            out.append(sentence)
        start = end
    tail = para[start:].strip()
    if tail:
        out.append(tail)
    return out


def split_sentences(text: str) -> list[str]:
    """Split news text into sentences; every line (paragraph, headline, bullet) ends one.

    Copes with abbreviations ("Oct.", "Mr.", "U.S."), initials, closing quotes and a
    missing space after a full stop ("retaliate.This").  Expects ``normalize``d text.
    """
    out: list[str] = []
    for line in text.split("\n"):
        line = line.strip()
        if line[:1] in "-*>#0123456789":
            line = _BULLET.sub("", line)
        if line:
            out.extend(_split_paragraph(line))
    return out


def article_sentences(title: str, text: str) -> list[str]:
    """The title (as the first sentence) and the sentences of the text, normalised.

    A text that repeats the title as its first line does not yield it twice.
    """
    title_n = normalize(title)
    sentences = split_sentences(normalize(text))
    if title_n:
        key = title_n.casefold().rstrip(".")
        if sentences and sentences[0].casefold().rstrip(".") == key:
            sentences = sentences[1:]
        return [title_n, *sentences]
    return sentences


# --- tokens ----------------------------------------------------------------------------------

#: (The look-ahead names every character a token can start with, so the search passes spaces
#: without trying each alternative: the same tokens, fewer tries.)
_TOKEN = re.compile(r"(?=[\w,;:()!?\"-])(?:\d+(?:[.,]\d+)+|\w+|[,;:()!?\"]|(?<=\s)-(?=\s))")
_NOT = re.compile(r"\b(\w+)n't\b")
_CANNOT = re.compile(r"\bcannot\b")
#: Tokens that end a clause.
PUNCTUATION = frozenset({",", ";", "(", ")", "!", "?", "-"})


def _expand_not(m: re.Match[str]) -> str:
    stem = m.group(1)
    return {"ca": "can", "wo": "will", "ai": "is", "sha": "shall"}.get(stem, stem) + " not"


def tokenize(text: str) -> list[str]:
    """Lower-case word tokens plus clause punctuation (, ; : ( ) ! ? " and a spaced dash).

    Hyphens and apostrophes inside words split them ("cross-border" -> cross, border);
    "n't" and "cannot" become "not".
    """
    low = text.lower().replace("\u2019", "'")
    if "n't" in low:
        low = _NOT.sub(_expand_not, low)
    if "cannot" in low:
        low = _CANNOT.sub("can not", low)
    return _TOKEN.findall(low)


# --- phrases ---------------------------------------------------------------------------------

_PHRASE_WORD = re.compile(r"\w+\*?|(?<!\S)\*(?!\S)")


def _contractions(low: str) -> str:
    """ "n't" and "cannot" as ``tokenize`` reads them ("can't" -> "can not")."""
    low = low.replace("\u2019", "'")
    if "n't" in low:
        low = _NOT.sub(_expand_not, low)
    if "cannot" in low:
        low = _CANNOT.sub("can not", low)
    return low


@lru_cache(maxsize=1 << 16)
def phrase_words(phrase: str) -> tuple[tuple[str, bool], ...]:
    """A phrase as (word, is_prefix) pairs: "violat* the truce" -> (violat, True), ...

    Contractions are read as in ``tokenize``: "cannot be held" matches "cannot be held" and
    "can't be held".  (Cached: a long watchlist names the same phrases many times.)
    """
    return _words(_contractions(phrase.lower()))


#: A phrase word that stands for any one word ("triggered * snapback" ~ "triggered UN
#: snapback"): a user may write it, and the other forms of a user's phrase use it; see
#: ``PhraseIndex``.
GAP = "*"
_ANY = ("", True)  # every token starts with ""


def _words(low: str) -> tuple[tuple[str, bool], ...]:
    words = []
    for w in _PHRASE_WORD.findall(low):
        if w == GAP:
            words.append(_ANY)
        elif w.endswith("*"):
            words.append((w[:-1], True))
        else:
            words.append((w, False))
    while words and words[-1] == _ANY:
        words.pop()  # a gap at either end stands for nothing
    while words and words[0] == _ANY:
        words.pop(0)
    return tuple(words)


def phrase_pattern(phrase: str) -> str:
    """The regex source for one phrase (no flags): whole words, ``*`` and hyphen variants.

    The phrase's words as written (the keyword baseline reads them so)."""
    words = _words(phrase.lower())
    if not words:
        raise ValueError(f"empty phrase: {phrase!r}")
    parts = [re.escape(w) + ((r"\w*" if w else r"\w+") if prefix else "") for w, prefix in words]
    return r"(?<!\w)" + r"(?:\s+|\s*-\s*|'s\s+)".join(parts) + r"(?!\w)"


def compile_phrases(phrases: Iterable[str]) -> re.Pattern[str]:
    """One case-insensitive regex matching any of ``phrases`` (longest first).

    A pattern that matches nothing is returned for an empty list.
    """
    unique = sorted({p.strip() for p in phrases if phrase_words(p)}, key=len, reverse=True)
    if not unique:
        return re.compile(r"(?!x)x")
    return re.compile("|".join(phrase_pattern(p) for p in unique), re.IGNORECASE)


class PhraseHit(NamedTuple):
    """A phrase found in a token list: tokens ``start``..``end`` (exclusive)."""

    start: int
    end: int
    phrase: str
    keys: tuple[str, ...]


#: ``PhraseHit(*fields)`` without the Python-level ``__new__`` a named tuple has (hot loop).
_hit = tuple.__new__


@dataclass(frozen=True, slots=True)
class _Pattern:
    words: tuple[tuple[str, bool], ...]
    phrase: str
    keys: tuple[str, ...]
    #: The positions of its ``GAP`` words.
    gaps: tuple[int, ...]


_Candidates = tuple[tuple[_Pattern, ...], dict[str, tuple[_Pattern, ...]], tuple[_Pattern, ...]]


class PhraseIndex:
    """Many phrases, each with keys, found in one pass over a token list.

    Every occurrence of every phrase is reported, overlapping ones included.
    Built once; ``find`` keeps a cache of the candidates for each first token.
    A ``GAP`` word matches one word token that is not in ``gap_not`` (never punctuation).
    """

    _CACHE_LIMIT = 200_000

    def __init__(
        self, entries: Iterable[tuple[str, str]], gap_not: frozenset[str] = frozenset()
    ) -> None:
        self._gap_not = gap_not
        grouped: dict[tuple[tuple[str, bool], ...], tuple[str, list[str]]] = {}
        for phrase, key in entries:
            words = phrase_words(phrase)
            if not words:
                continue
            text, keys = grouped.setdefault(words, (phrase, []))
            if key not in keys:
                keys.append(key)
        self._exact: dict[str, list[_Pattern]] = {}
        self._prefix: list[_Pattern] = []
        for words, (text, keys) in grouped.items():
            gaps = tuple(i for i, (w, prefix) in enumerate(words) if prefix and not w)
            pat = _Pattern(words, text, tuple(keys), gaps)
            first, is_prefix = words[0]
            if is_prefix:
                self._prefix.append(pat)
            else:
                self._exact.setdefault(first, []).append(pat)
        #: The prefix patterns by the first letter of their first word (in order).
        self._prefix_by_char: dict[str, list[_Pattern]] = {}
        for pat in self._prefix:
            self._prefix_by_char.setdefault(pat.words[0][0][:1], []).append(pat)
        self._cache: dict[str, _Candidates | None] = {}

    def _candidates(self, token: str) -> _Candidates | None:
        prefixed = self._prefix_by_char.get(token[:1], ())
        pats = tuple(self._exact.get(token, ())) + tuple(
            p for p in prefixed if token.startswith(p.words[0][0])
        )
        found: _Candidates | None = None
        if pats:
            by_second: dict[str, list[_Pattern]] = {}
            singles: list[_Pattern] = []
            others: list[_Pattern] = []
            for p in pats:
                if len(p.words) == 1:
                    singles.append(p)
                elif p.words[1][1]:
                    others.append(p)
                else:
                    by_second.setdefault(p.words[1][0], []).append(p)
            found = (
                tuple(singles),
                {k: tuple(v) for k, v in by_second.items()},
                tuple(others),
            )
        if len(self._cache) >= self._CACHE_LIMIT:
            self._cache.clear()
        self._cache[token] = found
        return found

    def keys_by_phrase(self) -> dict[str, tuple[str, ...]]:
        """Each phrase a hit can name -> the keys its hits carry."""
        pats = [*self._prefix, *(p for ps in self._exact.values() for p in ps)]
        return {p.phrase: p.keys for p in pats}

    def find(self, tokens: Sequence[str]) -> list[PhraseHit]:
        """Every phrase occurrence in ``tokens`` (from ``tokenize``), in token order."""
        hits: list[PhraseHit] = []
        n = len(tokens)
        cache = self._cache
        for i, tok in enumerate(tokens):
            try:
                cands = cache[tok]
            except KeyError:
                cands = self._candidates(tok)
            if cands is None:
                continue
            singles, by_second, others = cands
            for pat in singles:
                hits.append(_hit(PhraseHit, (i, i + 1, pat.phrase, pat.keys)))
            if i + 1 >= n:
                continue
            multi = by_second.get(tokens[i + 1], ())
            if others:
                multi = multi + others
            for pat in multi:
                words = pat.words
                k = len(words)
                if i + k > n:
                    continue
                for j in range(1, k):
                    w, is_prefix = words[j]
                    t = tokens[i + j]
                    if not (t.startswith(w) if is_prefix else t == w):
                        break
                else:
                    if pat.gaps and not self._gap_fits(tokens, i, pat.gaps):
                        continue
                    hits.append(_hit(PhraseHit, (i, i + k, pat.phrase, pat.keys)))
        return hits

    def _gap_fits(self, tokens: Sequence[str], start: int, gaps: tuple[int, ...]) -> bool:
        """The words standing in a pattern's gaps are words, and none of ``gap_not``."""
        return all(
            tokens[start + g][:1].isalnum() and tokens[start + g] not in self._gap_not for g in gaps
        )


# --- dates -----------------------------------------------------------------------------------

_MONTHS = (
    {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
    | {name.lower(): i for i, name in enumerate(calendar.month_abbr) if name}
    | {"sept": 9}
)
_MONTH_RE = (
    r"(january|february|march|april|may|june|july|august|september|october|november"
    r"|december|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)\b\.?"
)
_WEEKDAYS = {name.lower(): i for i, name in enumerate(calendar.day_name)}
#: (Every date starts a word; the leading look-around says so up front, so the search skips
#: the other positions without trying each alternative there: same matches, fewer tries.)
_DATE_RE = re.compile(
    r"(?<!\w)(?=\w)"
    r"(?:(?P<since>\bsince\s+(?:the\s+|early\s+|late\s+|mid-?\s*)?)?"
    r"(?:\b(?P<d1>\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?"
    + _MONTH_RE.replace("(", "(?P<m1>", 1)
    + r"(?:,?\s+(?P<y1>\d{4}))?"
    r"|\b" + _MONTH_RE.replace("(", "(?P<m2>", 1) + r"\s+(?P<d2>\d{1,2})(?:st|nd|rd|th)?\b"
    r"(?:\s*-\s*\d{1,2})?(?:,?\s+(?P<y2>\d{4}))?"
    r"|\b(?P<q>early|mid|late|last|this|in|of|since|the)[\s-]+"
    + _MONTH_RE.replace("(", "(?P<m3>", 1)
    + r"(?:\s+(?P<y3>\d{4})|\s+(?P<ly>last|this)\s+year)?\b(?!\.?\s*\d)"
    r"|\b" + _MONTH_RE.replace("(", "(?P<m4>", 1) + r"'s\b"
    r"|\b(?P<n>an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|\d{1,2}"
    r"|several|a\s+few|a\s+couple\s+of|many|some)"
    r"\s+(?P<ago>day|week|month|year)s?\s+ago\b"
    r"|\b(?P<lm>last|past)\s+(?P<unit>month|year|week)\b"
    r"|\b(?P<y4>(?:19|20)\d{2})\b"
    r"|\b(?P<rel>last|on|late|early|this|since|preceding|previous)\s+(?P<wd>monday|tuesday"
    r"|wednesday|thursday|friday|saturday|sunday)\b"
    r"|\b(?P<yday>yesterday)\b"
    r"|\b(?P<sq>(?:in|over|during|through)\s+the|last|this|since\s+the)\s+(?P<season>spring|summer|autumn|fall|winter)"
    r"(?:\s+(?:of\s+)?(?P<y5>\d{4}))?\b(?!\s+of\b)))",
    re.IGNORECASE,
)
#: ``_DATE_RE`` without case folding, for lower-case ASCII text (its words are lower-case);
#: there a date can only start with a digit or one of these letters (its alternatives' first
#: letters), which the look-ahead tests first.
_DATE_RE_LOWER = re.compile(
    _DATE_RE.pattern.replace(r"(?<!\w)(?=\w)", r"(?<!\w)(?=[\dadefijlmnopsty])", 1)
)
#: A weekday without a word before it that dates it ("said Monday that"): the latest such day,
#: unless the word before makes it another ("next Monday", "until Monday", "Good Friday").
_BARE_WEEKDAY = re.compile(
    r"\b(monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b", re.IGNORECASE
)
_NOT_BEFORE_WEEKDAY = frozenset({"next", "coming", "until", "by", "good", "black"})


@dataclass(frozen=True)
class DateRef:
    """A date mentioned in text, resolved to a range of days (inclusive)."""

    text: str
    first: date
    last: date
    since: bool  # "since 2021", "the worst since October": a comparison, not an event date
    start: int = 0  # where it starts in the text (a character offset)


def _month_range(year: int, month: int, part: str | None) -> tuple[date, date]:
    days = calendar.monthrange(year, month)[1]
    if part == "early":
        return date(year, month, 1), date(year, month, 10)
    if part == "mid":
        return date(year, month, 11), date(year, month, 20)
    if part == "late":
        return date(year, month, 21), date(year, month, days)
    return date(year, month, 1), date(year, month, days)


def _year_for(
    month: int,
    day: int,
    ref: date,
    explicit: str | None,
    ahead: bool = False,
    soon: timedelta = timedelta(days=7),
) -> int:
    """The year of a day named without one: the latest not more than ``soon`` after ``ref``
    (a week; ``SOON`` for a day named by its date); with ``ahead`` (the sentence speaks of
    what is to come), the next one when that is within ``AHEAD`` of ``ref``."""
    if explicit:
        return int(explicit)
    year = ref.year
    try:
        if ahead:
            for y in (year, year + 1):
                if timedelta(days=-7) <= date(y, month, min(day, 28)) - ref <= AHEAD:
                    return y
        if date(year + 1, month, min(day, 28)) <= ref + soon:
            year += 1  # "on January 5" in a report of December 28
        elif date(year, month, min(day, 28)) > ref + soon:
            year -= 1
    except ValueError:
        pass
    return year


AHEAD = timedelta(days=183)
#: A day named by its date without a year up to this long after publication is the coming one
#: ("tariffs snap back on August 12" in a July report); later, last year's.  (A month alone,
#: "in January", is the coming one only in a sentence about the future: ``AHEAD``.)
SOON = timedelta(days=31)


_NUMBERS = {
    w: i
    for i, w in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve".split()
    )
} | {"a": 1, "an": 1}


#: Counts that name no number ("several years ago"): the fewest and the most they may mean.
_VAGUE = {
    "several": (3, 9),
    "a few": (2, 5),
    "a couple of": (2, 3),
    "many": (5, 30),
    "some": (2, 9),
}


def _ago(ref: date, count: str, unit: str) -> tuple[date, date]:
    """The days meant by "<count> <unit>s ago" before ``ref``."""
    vague = _VAGUE.get(" ".join(count.split()))
    if vague is not None:  # "several years ago": from the most to the fewest
        return _ago(ref, str(vague[1]), unit)[0], _ago(ref, str(vague[0]), unit)[1]
    n = _NUMBERS[count] if count in _NUMBERS else int(count)
    if unit == "day":
        day = ref - timedelta(days=n)
        return day, day
    if unit == "week":
        day = ref - timedelta(weeks=n)
        return day - timedelta(days=3), day + timedelta(days=3)
    year, month = divmod(ref.year * 12 + ref.month - 1 - n * (12 if unit == "year" else 1), 12)
    return _month_range(year, month + 1, None)


_SEASONS = {"spring": 3, "summer": 6, "autumn": 9, "fall": 9, "winter": 12}


def _season(ref: date, name: str, cue: str, year: str | None) -> tuple[date, date]:
    """The three months of "the summer" ("last summer", "the summer of 2024"): the latest
    such season begun by ``ref``; "last": the latest one ended by then."""
    month = _SEASONS[name]
    y = int(year) if year else ref.year if date(ref.year, month, 1) <= ref else ref.year - 1
    first = date(y, month, 1)
    end_year, end_month = divmod(y * 12 + month + 1, 12)
    last = _month_range(end_year, end_month + 1, None)[1]
    if cue == "last" and not year and ref <= last:
        first, last = first.replace(year=y - 1), last.replace(year=last.year - 1)
    return first, last


def find_dates(
    text: str, published_at: datetime, *, ahead: bool = False, month_may: bool = False
) -> list[DateRef]:
    """Dates in ``text`` resolved against the publication time.

    Understands "October 11", "11 Oct 2025", "early October", "the October fighting",
    "October's", "last month", "a year ago", years, weekdays ("on Friday": the latest such
    day not after publication) and "yesterday".  ``ahead``: the text speaks of what is to
    come, so a month named without a year may be the coming one (``_year_for``).
    ``month_may``: the caller saw "May" written as the month ("in May"), so "in may" is one.
    """
    ref = published_at.date()
    # Lower-case ASCII text (the judge's tokens) has nothing to fold: the case-sensitive
    # pattern finds the same dates, about twice as fast.
    rx = _DATE_RE_LOWER if text.isascii() and text.lower() == text else _DATE_RE
    out: list[DateRef] = []
    for m in rx.finditer(text):
        g = m.groupdict()
        since = bool(g["since"]) or (g["q"] or g["rel"] or "").lower() == "since"
        try:
            if g["m1"] or g["m2"] or g["m3"] or g["m4"]:
                days = _named_days(g, ref, ahead, month_may)
            else:
                days = _relative_days(g, ref)
        except (ValueError, KeyError):
            continue
        if days is not None:
            out.append(DateRef(m.group().strip(), days[0], days[1], since, m.start()))
    if "day" in text or "DAY" in text:
        _bare_weekdays(text, ref, out)
    return out


def _latest_weekday(ref: date, name: str, *, last: bool) -> date:
    """The latest such weekday not after ``ref`` ("last": before it, if ``ref`` is one)."""
    back = (ref.weekday() - _WEEKDAYS[name.lower()]) % 7
    return ref - timedelta(days=7 if last and back == 0 else back)


def _bare_weekdays(text: str, ref: date, out: list[DateRef]) -> None:
    """Add the weekdays no other date covers ("said Monday that"), in text order."""
    taken = [(d.start, d.start + len(d.text)) for d in out]
    added = False
    for m in _BARE_WEEKDAY.finditer(text):
        before = text[max(0, m.start() - 8) : m.start()].split()[-1:]
        if before and before[0].lower() in _NOT_BEFORE_WEEKDAY:
            continue
        if not any(a <= m.start() < b for a, b in taken):
            day = _latest_weekday(ref, m.group(1), last=False)
            out.append(DateRef(m.group(), day, day, False, m.start()))
            added = True
    if added:
        out.sort(key=lambda d: d.start)


def _named_days(
    g: dict[str, str | None], ref: date, ahead: bool, month_may: bool
) -> tuple[date, date] | None:
    """The days of a match that names a day or a month ("October 11", "early October"),
    or None ("may" the verb)."""
    if g["m1"] or g["m2"]:
        month = _MONTHS[str(g["m1"] or g["m2"]).lower()]
        day = int(str(g["d1"] or g["d2"]))
        year = _year_for(month, day, ref, g["y1"] or g["y2"], ahead, SOON)
        return date(year, month, day), date(year, month, day)
    month = _MONTHS[str(g["m3"] or g["m4"]).lower()]
    q = (g["q"] or "").lower()
    may = (g["m3"] or "").lower() == "may"
    if may and not month_may and not g["y3"] and q in {"in", "of", "the"}:
        return None  # "may" the verb is too common to guess (``month_may``: told)
    year = _year_for(month, 1, ref, g["y3"], ahead and q != "last")
    if g["ly"]:  # "in July last year", "in March this year"
        year = ref.year - (g["ly"].lower() == "last")
    if q == "last" and not g["y3"] and date(year, month, 1) > ref.replace(day=1):
        year -= 1
    return _month_range(year, month, q if q in {"early", "mid", "late"} else None)


def _relative_days(g: dict[str, str | None], ref: date) -> tuple[date, date] | None:
    """The days of a match that names a span back from ``ref`` ("last month", "a year ago"),
    a year, a weekday, "yesterday" or a season."""
    if g["unit"]:
        unit = g["unit"].lower()
        if unit == "month":
            prev = ref.replace(day=1) - timedelta(days=1)
            return _month_range(prev.year, prev.month, None)
        if unit == "year":
            return date(ref.year - 1, 1, 1), date(ref.year - 1, 12, 31)
        if str(g["lm"]).lower() == "past":
            return ref - timedelta(days=7), ref
        return ref - timedelta(days=13), ref - timedelta(days=7)
    if g["ago"]:
        return _ago(ref, str(g["n"]).lower(), g["ago"].lower())
    if g["y4"]:
        year = int(g["y4"])
        return date(year, 1, 1), date(year, 12, 31)
    if g["wd"]:
        day = _latest_weekday(ref, g["wd"], last=str(g["rel"]).lower() == "last")
        return day, day
    if g["yday"]:
        return ref - timedelta(days=1), ref - timedelta(days=1)
    if g["season"]:
        return _season(ref, g["season"].lower(), str(g["sq"]).lower(), g["y5"])
    return None  # pragma: no cover - the regex has no other branch
