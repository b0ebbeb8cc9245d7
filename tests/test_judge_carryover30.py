"""Reading that carries over to a watchlist a user writes (session 30; made-up places)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from monitor.config import parse_config
from monitor.judge.engine import Matcher
from monitor.models import Label

#: The commitments below took effect on 2025-11-01; this report came two months later.
AT = datetime(2026, 1, 15, 9, tzinfo=UTC)

#: A truce between a state and the group the shipped entity data marks as armed (``ttp``);
#: ``{flag}`` is the watchlist's own say, or nothing.
SHIPPED_GROUP_TRUCE = """
entities:
  ttp: {{aliases: [Eastvale Front]{flag}}}
commitments:
  - id: it
    title: The group's truce with Pakistan holds
    statement: The TTP stops its attacks in Pakistan.
    kind: ceasefire
    said_by: The TTP
    parties: [pakistan, ttp]
    effective: 2025-11-01
    ongoing: true
"""


@pytest.mark.parametrize(
    ("flag", "how"),
    [
        # the entity data marks the group armed: its attack breaks its own truce
        ("", "is"),
        ("armed_group: true", "is"),
        # the watchlist has the last word: unmarked, its militants are others, not a party
        ("armed_group: false", "not"),
    ],
)
def test_the_watchlist_can_unmark_a_shipped_armed_group(flag: str, how: str) -> None:
    cfg = parse_config(SHIPPED_GROUP_TRUCE.format(flag=flag and ", " + flag), env={})
    assert cfg.entities["ttp"].armed_group is (how == "is")
    verdict = Matcher(cfg.commitments, cfg.entities).judge(
        "Six Pakistani police officers killed in ambush",
        "Eastvale Front militants opened fire on a police post, killing six.",
        AT,
    )[0]
    assert (verdict.label is Label.BREACH) == (how == "is"), verdict
