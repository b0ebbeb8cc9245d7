"""Kept for imports from other modules: the judge lives in ``monitor.judge``."""

from monitor.judge import COUNT_SCORE, Matcher

__all__ = ["COUNT_SCORE", "Matcher"]
