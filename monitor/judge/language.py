"""Which language an article is in (the judge reads only some).  Pure after load.

Latin-script text: the language whose common function words it uses most; other scripts:
the language of the script (letters that single out one language of a shared script first).
The word lists and scripts are data (``monitor/data/language/detect.yaml``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources
from typing import Any

import yaml

#: Fewer letters (or function words) than this: too little to tell; taken as readable.
MIN_LETTERS = 20
MIN_WORDS = 3
#: Only the start of a text is looked at.
SAMPLE = 600
#: Share of letters in a non-Latin script that makes the text that script's language.
SCRIPT_SHARE = 0.3
_WORD = re.compile(r"[^\W\d_]+")
#: ``_WORD`` for ASCII text (letters are a-z there once lower-cased).
_ASCII_WORD = re.compile(r"[a-z]+")
#: A letter outside the Latin script (and its accented forms).
_NON_LATIN = re.compile(r"[^\W\d_A-Za-z\u00c0-\u024f]")


@dataclass(frozen=True)
class _Script:
    language: str
    letters: frozenset[str]
    lo: str
    hi: str

    def has(self, ch: str) -> bool:
        return ch in self.letters or (bool(self.lo) and self.lo <= ch <= self.hi)


@dataclass(frozen=True)
class Detector:
    judged: frozenset[str]
    index: dict[str, tuple[str, ...]]  # function word -> the languages that use it
    scripts: tuple[_Script, ...]

    def language(self, text: str) -> str | None:
        """The language code of ``text``, or None when there is too little to tell."""
        text = text[:SAMPLE]
        if not text.isascii() and len(_NON_LATIN.findall(text)) >= MIN_LETTERS:
            letters = [ch for ch in text if ch.isalpha()]
            latin = sum(1 for ch in letters if ch < "\u0250")
            if len(letters) >= MIN_LETTERS and latin < len(letters) * (1 - SCRIPT_SHARE):
                return self._script(letters)
        counts: dict[str, int] = {}
        low = text.lower()
        for w in _ASCII_WORD.findall(low) if low.isascii() else _WORD.findall(low):
            for lang in self.index.get(w, ()):
                counts[lang] = counts.get(lang, 0) + 1
        if sum(counts.values()) < MIN_WORDS:
            return None
        return max(counts, key=lambda k: counts[k])

    def _script(self, letters: list[str]) -> str | None:
        for script in self.scripts:
            if sum(1 for ch in letters if script.has(ch)) >= max(3, len(letters) // 50):
                return script.language
        return None

    def unreadable(self, text: str) -> str | None:
        """The language of ``text`` when the judge does not read it, else None."""
        lang = self.language(text)
        return lang if lang is not None and lang not in self.judged else None


def _load(doc: dict[str, Any]) -> Detector:
    scripts = tuple(
        _Script(
            str(s["language"]),
            frozenset(s.get("letters", "")),
            str(s.get("from", "")),
            str(s.get("to", "")),
        )
        for s in doc.get("scripts") or ()
    )
    index: dict[str, tuple[str, ...]] = {}
    for lang, ws in (doc.get("function_words") or {}).items():
        for w in ws:
            index[str(w).lower()] = (*index.get(str(w).lower(), ()), str(lang))
    return Detector(frozenset(doc.get("judged") or ("en",)), index, scripts)


DETECTOR = _load(
    yaml.safe_load(
        (resources.files("monitor") / "data" / "language" / "detect.yaml").read_text("utf-8")
    )
)
