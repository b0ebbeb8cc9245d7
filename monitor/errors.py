"""The exception tree.  ``str(e)`` reads "message: subject: cause".

MonitorError
├── ConfigError(path, problems)      the watchlist or settings are invalid
├── FetchError(url, status)          a feed could not be fetched
│   └── FeedGoneError                HTTP 410 / permanent 404: stop polling
├── ParseError(url)                  bytes that are not a feed at all
├── StoreError                       the database refused (wrapped SQLAlchemy error)
│   └── DatabaseLostError(path)      the SQLite file was removed or replaced: stop
├── DeliveryError(channel, transient) a channel did not accept a message
└── InputError(what)                 bad command-line input (a corpus line, a URL)
"""

from __future__ import annotations

from dataclasses import dataclass


class MonitorError(Exception):
    """The root of every error monitor raises on purpose."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a config file: where, and what."""

    where: str  # YAML path such as "commitments[2].window.start"
    message: str
    line: int | None = None

    def __str__(self) -> str:
        at = f" (line {self.line})" if self.line else ""
        return f"{self.where}{at}: {self.message}"


class ConfigError(MonitorError):
    def __init__(self, path: str, problems: list[Problem]) -> None:
        self.path = path
        self.problems = problems
        super().__init__(path, problems)

    def __str__(self) -> str:
        lines = "\n".join(f"  {p}" for p in self.problems)
        n = len(self.problems)
        return f"invalid config: {self.path}: {n} problem{'s' if n != 1 else ''}\n{lines}"


class FetchError(MonitorError):
    def __init__(
        self, url: str, status: int | None, cause: str, retry_after_seconds: float | None = None
    ) -> None:
        self.url = url
        self.status = status
        self.cause = cause
        self.retry_after_seconds = retry_after_seconds
        super().__init__(url, status, cause)

    def __str__(self) -> str:
        status = f" (HTTP {self.status})" if self.status else ""
        return f"fetch failed: {self.url}{status}: {self.cause}"


class FeedGoneError(FetchError):
    """The server says the feed is gone for good (410); polling stops."""


class ParseError(MonitorError):
    def __init__(self, url: str, cause: str) -> None:
        self.url = url
        self.cause = cause
        super().__init__(url, cause)

    def __str__(self) -> str:
        return f"not a feed: {self.url}: {self.cause}"


class StoreError(MonitorError):
    def __str__(self) -> str:
        return f"database error: {super().__str__()}"


class DatabaseLostError(StoreError):
    """The SQLite file the monitor opened is no longer at its path (removed, or replaced by
    another file): whatever it wrote now would be lost, so the daemon stops."""

    def __init__(self, path: str, cause: str) -> None:
        self.path = path
        self.cause = cause
        super().__init__(path, cause)

    def __str__(self) -> str:
        return f"database file lost: {self.path}: {self.cause}"


class DeliveryError(MonitorError):
    def __init__(self, channel: str, transient: bool, cause: str) -> None:
        self.channel = channel
        self.transient = transient
        self.cause = cause
        super().__init__(channel, transient, cause)

    def __str__(self) -> str:
        kind = "temporary" if self.transient else "permanent"
        return f"delivery failed ({kind}): {self.channel}: {self.cause}"


class InputError(MonitorError):
    def __init__(self, what: str, cause: str) -> None:
        self.what = what
        self.cause = cause
        super().__init__(what, cause)

    def __str__(self) -> str:
        return f"bad input: {self.what}: {self.cause}"
