"""The judging engine: one generic engine (``engine``) reading its knowledge from data files
(``data``: language cues, entities, kinds) and the watchlist."""

from monitor.judge.engine import COUNT_SCORE, Matcher

__all__ = ["COUNT_SCORE", "Matcher"]
