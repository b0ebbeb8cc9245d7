"""Watchlist power: date-times with a time zone, required topics, per-signal exceptions,
and an excluded word in the headline."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from monitor.config import parse_config
from monitor.errors import ConfigError
from monitor.judge import Matcher
from monitor.models import Label

BASE = """
commitments:
  - id: truce
    title: India and Pakistan stop firing
    statement: Both sides will stop all firing from 17:00 hours.
    kind: ceasefire
    said_by: A foreign secretary
    parties: [pakistan, afghanistan]
    topics: [ceasefire]
{extra}
"""


def _matcher(extra: str) -> Matcher:
    cfg = parse_config(BASE.format(extra=extra), env={})
    return Matcher(cfg.commitments, cfg.entities)


def _label(extra: str, title: str, text: str = "", at: datetime | None = None) -> Label:
    at = at or datetime(2025, 11, 12, 9, tzinfo=UTC)
    return _matcher(extra).judge(title, text, at)[0].label


def test_effective_is_a_date_time_with_a_time_zone() -> None:
    cfg = parse_config(BASE.format(extra="    effective: 2025-05-10T17:00:00+05:30"), env={})
    assert cfg.commitments[0].effective_at == datetime(2025, 5, 10, 11, 30, tzinfo=UTC)
    day = parse_config(BASE.format(extra="    effective: 2025-05-10"), env={})
    assert day.commitments[0].effective_at == datetime(2025, 5, 10, tzinfo=UTC)
    # Strikes reported in the morning, before a 17:00 IST start, are not a breach (with a date
    # alone, the day's first hours count, when the report ties them to the ceasefire).
    title = "Pakistani forces shelled Afghan border posts despite the ceasefire, officials said"
    morning = datetime(2025, 5, 10, 6, tzinfo=UTC)
    extra = "    effective: 2025-05-10T17:00:00+05:30"
    assert _label(extra, title, at=morning) is not Label.BREACH
    assert _label("    effective: 2025-05-10", title, at=morning) is Label.BREACH


def test_a_date_time_without_a_time_zone_is_an_error() -> None:
    with pytest.raises(ConfigError, match="no time zone"):
        parse_config(BASE.format(extra="    effective: 2025-05-10T17:00:00"), env={})
    with pytest.raises(ConfigError, match="deadline is before"):
        parse_config(
            BASE.format(
                extra="    effective: 2025-05-10T17:00:00+05:30\n"
                "    deadline: 2025-05-10T10:00:00+00:00"
            ),
            env={},
        )


def test_required_topics() -> None:
    title = "Pakistani forces shelled Afghan border posts in Kurram, officials said"
    assert _label("", title) is Label.BREACH
    assert _label("    topics_required: true", title) is Label.NONE
    assert _label("    topics_required: true", title + " despite the ceasefire") is Label.BREACH
    with pytest.raises(ConfigError, match="topics_required needs topics"):
        parse_config(
            BASE.format(extra="    topics_required: true").replace("    topics: [ceasefire]\n", ""),
            env={},
        )


def test_a_signal_with_exceptions() -> None:
    extra = """    signals:
      breach: [{phrase: "opened fire", unless: [celebrat*, wedding]}]"""
    cfg = parse_config(BASE.format(extra=extra), env={})
    assert cfg.commitments[0].breach_signals == ("opened fire",)
    fight = "Pakistani troops opened fire on Afghan border posts in Kurram despite the ceasefire"
    party = "Pakistani guests opened fire in celebration at a wedding near the Afghan border"
    assert _label(extra, fight) is Label.BREACH
    assert _label(extra, party) is not Label.BREACH
    assert _label("", party) is Label.BREACH  # without the exception it would count


def test_an_excluded_word_in_the_headline_rules_the_article_out() -> None:
    text = "Pakistani troops opened fire on Afghan border posts in Kurram despite the ceasefire."
    extra = "    exclude: [Gaza]"
    assert _label(extra, "Weekly roundup", text) is Label.BREACH
    assert _label(extra, "Gaza ceasefire: what the world is watching", text) is Label.NONE
    # A headline naming the parties too is still about them.
    assert _label(extra, "Pakistan, Afghanistan truce tested as Gaza talks stall", text) is (
        Label.BREACH
    )
