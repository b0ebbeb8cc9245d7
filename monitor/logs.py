"""Structured logs: an event name plus fields, ``log.info("feed_polled", feed=name, new=3)``.

structlog renders through the standard library's ``logging``, so anything that logs
there (alembic, httpx) comes out in the same format.  On a terminal the lines are
human-readable; otherwise one JSON object a line, for shipping; ``logfmt`` is
``key=value`` with values that hold spaces quoted.
"""

from __future__ import annotations

import logging
import sys
from typing import Any, Literal, TextIO

import structlog

LogFormat = Literal["auto", "console", "json", "logfmt"]

_SHARED: list[Any] = [
    structlog.contextvars.merge_contextvars,
    structlog.stdlib.add_log_level,
    structlog.processors.TimeStamper(fmt="iso", utc=True),
]

structlog.configure(
    processors=[
        *_SHARED,
        structlog.processors.StackInfoRenderer(),
        structlog.stdlib.ProcessorFormatter.wrap_for_formatter,
    ],
    logger_factory=structlog.stdlib.LoggerFactory(),
    wrapper_class=structlog.stdlib.BoundLogger,
    cache_logger_on_first_use=False,
)


def get_logger(name: str = "monitor") -> Any:
    """A structlog logger writing through ``logging.getLogger(name)``."""
    return structlog.stdlib.get_logger(name)


#: Libraries whose INFO lines are noise for someone running monitor.
QUIET = ("alembic", "httpx", "httpcore", "apscheduler", "aiosmtpd", "mail.log")


class _MonitorHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """The handler ``configure`` installs (and replaces when called again)."""


def _term_safe_values(_logger: Any, _name: str, event: dict[str, Any]) -> dict[str, Any]:
    """Escape control and bidi characters (from feeds) in every string field, so a log
    line cannot drive the terminal it is read on or break into two lines."""
    from monitor.termsafe import term_safe

    for key, value in event.items():
        if isinstance(value, str):
            event[key] = term_safe(value, multiline=key == "exception")
    return event


def configure(
    fmt: LogFormat = "auto", *, verbose: bool = False, stream: TextIO | None = None
) -> None:
    """Send every log line to ``stream`` (stderr) in ``fmt``; ``auto`` is ``console`` on a
    terminal and ``json`` otherwise."""
    stream = stream or sys.stderr
    if fmt == "auto":
        fmt = "console" if stream.isatty() else "json"
    renderer: Any
    if fmt == "json":
        renderer = structlog.processors.JSONRenderer()
    elif fmt == "logfmt":
        renderer = structlog.processors.LogfmtRenderer(key_order=["timestamp", "level", "event"])
    else:
        renderer = structlog.dev.ConsoleRenderer(colors=stream.isatty())
    # JSON escapes control characters itself; the text formats show them as escapes
    safe: list[Any] = [] if fmt == "json" else [_term_safe_values]
    handler = _MonitorHandler(stream)
    handler.setFormatter(
        structlog.stdlib.ProcessorFormatter(
            foreign_pre_chain=[*_SHARED, structlog.stdlib.ExtraAdder()],
            processors=[
                structlog.stdlib.ProcessorFormatter.remove_processors_meta,
                structlog.processors.format_exc_info,
                *safe,
                renderer,
            ],
        )
    )
    root = logging.getLogger()
    for old in [h for h in root.handlers if isinstance(h, _MonitorHandler)]:
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(logging.DEBUG if verbose else logging.INFO)
    for name in QUIET:
        logging.getLogger(name).setLevel(logging.DEBUG if verbose else logging.WARNING)
