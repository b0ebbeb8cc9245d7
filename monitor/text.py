"""Kept for imports from other modules: text handling lives in ``monitor.judge.text``."""

from monitor.judge.text import simhash64

__all__ = ["simhash64"]
