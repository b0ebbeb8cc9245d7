"""Feed health: is a feed ok, failing, silent or gone?  Pure.

Silence must mean "no evidence", not "a dead feed".  A feed is

- ``gone`` when the server said so (HTTP 410), and polling stopped;
- ``failing`` after ``failures`` fetch errors in a row;
- ``silent`` when it has brought nothing new for ``silent_after`` (or never
  brought anything, that long after it was added);
- ``ok`` otherwise.

A change from ``ok`` to anything else raises one health alert; the way back to
``ok`` raises one "recovered" alert.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum

from monitor.models import Feed


class Health(StrEnum):
    OK = "ok"
    FAILING = "failing"
    SILENT = "silent"
    GONE = "gone"


def feed_health(feed: Feed, now: datetime, *, failures: int, silent_after: timedelta) -> Health:
    if feed.gone:
        return Health.GONE
    if feed.error_count >= failures:
        return Health.FAILING
    last = feed.last_new_at or feed.created_at
    if last is not None and now - last > silent_after:
        return Health.SILENT
    return Health.OK


def health_detail(feed: Feed, health: Health, now: datetime) -> str:
    """One line saying what is wrong (or that it recovered), for alerts and status."""
    if health is Health.GONE:
        status = f"HTTP {feed.last_status}" if feed.last_status else "the server says so"
        return (
            f"gone ({status}): polling stopped until its URL is changed; "
            f"last error: {feed.last_error}"
        )
    if health is Health.FAILING:
        return f"{feed.error_count} failed polls in a row; last error: {feed.last_error}"
    if health is Health.SILENT:
        last = feed.last_new_at or feed.created_at
        since = f"since {last:%Y-%m-%d %H:%M} UTC" if last else "ever"
        return f"nothing new {since}"
    ok = f"{feed.last_ok_at:%Y-%m-%d %H:%M} UTC" if feed.last_ok_at else "now"
    return f"polled successfully at {ok}"
