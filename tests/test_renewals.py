"""Renewed and superseded agreements: ``renewed:`` moves a deadline later, ``supersedes:``
ends an older commitment where a newer one takes over (README "Renewed and superseded
agreements")."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner

from monitor import pipeline
from monitor.assess import Thresholds, assess_commitment
from monitor.cli import main
from monitor.clock import FakeClock
from monitor.config import parse_config
from monitor.errors import ConfigError
from monitor.judge import Matcher
from monitor.models import Commitment, Evidence, Label, Status
from tests.webserver import serving

TRUCE = """
commitments:
  - id: truce
    title: Northland and Southland stop firing for sixty days
    statement: All firing stops for sixty days.
    kind: ceasefire
    said_by: A mediator
    parties: [pakistan, afghanistan]
    topics: [ceasefire, truce]
    effective: 2025-01-01
    deadline: 2025-03-01
{truce}
{more}
"""

SECOND = """
  - id: truce-2
    title: The second truce
    statement: A new truce replaces the first.
    kind: ceasefire
    said_by: A mediator
    parties: [pakistan, afghanistan]
    topics: [ceasefire, truce]
    effective: 2025-02-01T12:00:00+00:00
    supersedes: truce
"""

RENEWED = """    renewed:
      - {at: 2025-02-28, deadline: 2025-04-15, source: "the mediator's statement"}
      - {at: 2025-04-14, deadline: 2025-05-31}"""

SHELLING = (
    "Pakistani forces shelled Afghan border posts overnight despite the truce, officials said"
)


def _config(truce: str = "", more: str = "") -> list[Commitment]:
    return list(parse_config(TRUCE.format(truce=truce, more=more), env={}).commitments)


def _label(commitments: list[Commitment], at: datetime, which: int = 0) -> Label:
    cfg = parse_config(TRUCE.format(truce="", more=""), env={})
    return Matcher(commitments, cfg.entities).judge(SHELLING, "", at)[which].label


def test_a_renewal_moves_the_deadline_and_keeps_the_history() -> None:
    (c,) = _config(RENEWED)
    assert c.deadline_at == datetime(2025, 6, 1, tzinfo=UTC)  # the end of 31 May
    assert c.renewals == (
        (
            datetime(2025, 2, 28, tzinfo=UTC),
            datetime(2025, 4, 16, tzinfo=UTC),
            "the mediator's statement",
        ),
        (datetime(2025, 4, 14, tzinfo=UTC), datetime(2025, 6, 1, tzinfo=UTC), None),
    )
    (plain,) = _config()
    assert plain.deadline_at == datetime(2025, 3, 2, tzinfo=UTC) and plain.renewals == ()


def test_a_breach_after_the_first_deadline_counts_once_renewed() -> None:
    # A ceasefire ends at its deadline; renewed, it runs on, so firing in April breaks it.
    april = datetime(2025, 4, 2, 9, tzinfo=UTC)
    assert _label(_config(), april) is not Label.BREACH
    assert _label(_config(RENEWED), april) is Label.BREACH


@pytest.mark.parametrize(
    ("truce", "more", "message"),
    [
        (RENEWED.replace("2025-04-15", "2025-02-15"), "", "must move the deadline later"),
        (RENEWED.replace("2025-05-31", "2025-04-01"), "", "must move the deadline later"),
        (
            "    renewed:\n      - {at: 2025-02-28, deadline: '2025-04-15T10:00:00'}",
            "",
            "no time zone",
        ),
        ("    supersedes: truce", "", "cannot supersede itself"),
        ("", SECOND.replace("supersedes: truce", "supersedes: nothing"), "unknown commitment"),
        ("", SECOND.replace("    effective: 2025-02-01T12:00:00+00:00\n", ""), "needs effective"),
        ("", SECOND + SECOND.replace("truce-2", "truce-3"), "already superseded by 'truce-2'"),
        ("    supersedes: truce-2", SECOND, "forms a cycle"),
    ],
)
def test_bad_renewals_and_supersedes_are_clear_errors(truce: str, more: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        parse_config(TRUCE.format(truce=truce, more=more), env={})


def test_renewed_without_a_deadline_is_an_error() -> None:
    text = TRUCE.format(truce=RENEWED, more="").replace("    deadline: 2025-03-01\n", "")
    with pytest.raises(ConfigError, match="renewed needs a deadline"):
        parse_config(text, env={})


def test_a_superseded_commitment_is_not_judged_after_its_successor_takes_over() -> None:
    old, new = _config(more=SECOND)
    assert (old.superseded_by, old.ended_at) == ("truce-2", datetime(2025, 2, 1, 12, tzinfo=UTC))
    assert new.superseded_by is None and new.ended_at is None
    before = datetime(2025, 1, 20, 9, tzinfo=UTC)
    after = datetime(2025, 2, 1, 13, tzinfo=UTC)
    assert _label([old, new], before, 0) is Label.BREACH  # the first truce's own time
    assert _label([old, new], before, 1) is not Label.BREACH  # before the second took effect
    assert _label([old, new], after, 0) is Label.NONE  # the first one is over
    assert _label([old, new], after, 1) is Label.BREACH
    # The verdict is not shared with an identical commitment that was never superseded.
    twin = replace(old, id="twin", superseded_by=None, ended_at=None)
    assert _label([old, twin], after, 1) is Label.BREACH


TH = Thresholds()


def _breach(score: float, at: datetime) -> Evidence:
    return Evidence(
        id=1,
        article_id=1,
        commitment_id="truce",
        label=Label.BREACH,
        score=score,
        quote="q",
        signals=("s",),
        source="wire.example",
        url=None,
        title="t",
        published_at=at,
        created_at=at,
    )


def test_an_overdue_commitment_opens_again_when_its_deadline_is_renewed() -> None:
    (plain,) = _config()
    (renewed,) = _config(RENEWED)
    march = datetime(2025, 3, 10, tzinfo=UTC)
    (change,) = assess_commitment(plain, Status.PENDING, [], [], march, TH)
    assert change.to_status is Status.OVERDUE
    # the user adds the renewal: the next assessment reopens it, naming the new deadline
    (change,) = assess_commitment(renewed, Status.OVERDUE, [], [], march, TH)
    assert (change.from_status, change.to_status) == (Status.OVERDUE, Status.PENDING)
    assert "2025-06-01 00:00" in change.reason
    # with breach reports on record it reopens at risk, not pending
    weak = _breach(0.5, datetime(2025, 2, 20, tzinfo=UTC))
    (change,) = assess_commitment(renewed, Status.OVERDUE, [weak], [], march, TH)
    assert change.to_status is Status.AT_RISK
    # once the renewed deadline passes too, it is overdue again
    june = datetime(2025, 6, 5, tzinfo=UTC)
    (change,) = assess_commitment(renewed, Status.PENDING, [], [], june, TH)
    assert change.to_status is Status.OVERDUE


def test_a_commitment_superseded_before_its_deadline_never_becomes_overdue() -> None:
    old, _new = _config(more=SECOND)
    late = datetime(2025, 3, 10, tzinfo=UTC)
    assert assess_commitment(old, Status.PENDING, [], [], late, TH) == []
    after_deadline = replace(old, ended_at=datetime(2025, 3, 5, tzinfo=UTC))
    (change,) = assess_commitment(after_deadline, Status.PENDING, [], [], late, TH)
    assert change.to_status is Status.OVERDUE  # it ran out before it was replaced


def test_status_shows_renewals_and_supersession(tmp_path: Path) -> None:
    text = TRUCE.format(truce=RENEWED, more=SECOND)
    text = f"database:\n  url: sqlite:///{tmp_path / 'm.db'}\n" + text
    config = tmp_path / "watchlist.yaml"
    config.write_text(text)
    result = CliRunner().invoke(main, ["status", "--json", "--config", str(config)])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    by_id = {c["id"]: c for c in report["commitments"]}
    assert by_id["truce"]["renewed"] == [
        {
            "at": "2025-02-28T00:00:00Z",
            "deadline": "2025-04-16T00:00:00Z",
            "source": "the mediator's statement",
        },
        {"at": "2025-04-14T00:00:00Z", "deadline": "2025-06-01T00:00:00Z", "source": None},
    ]
    assert by_id["truce"]["superseded_by"] == "truce-2"
    assert by_id["truce"]["ended_at"] == "2025-02-01T12:00:00Z"
    assert "superseded_by" not in by_id["truce-2"] and "renewed" not in by_id["truce-2"]
    text_out = CliRunner().invoke(main, ["status", "--config", str(config)]).output
    assert "renewed 2025-04-14: runs until 2025-06-01 00:00 UTC" in text_out
    assert "superseded by truce-2 from 2025-02-01 12:00 UTC" in text_out


def test_the_commitment_page_shows_renewals_and_supersession(
    tmp_path: Path, open_monitor: Callable[..., pipeline.Monitor], clock: FakeClock
) -> None:
    text = TRUCE.format(truce=RENEWED, more=SECOND)
    config = tmp_path / "watchlist.yaml"
    config.write_text(f"database:\n  url: sqlite:///{tmp_path / 'm.db'}\n" + text)
    m = open_monitor(config, clock)
    with serving(m) as base, httpx.Client(base_url=base) as client:
        old = client.get("/commitments/truce")
        new = client.get("/commitments/truce-2")
    assert old.status_code == 200 and new.status_code == 200
    assert "Renewed 2025-04-14: runs until 2025-06-01 00:00 UTC." in old.text
    assert "Renewed 2025-02-28 (the mediator&#39;s statement): runs until" in old.text
    assert 'Superseded by <a href="/commitments/truce-2">truce-2</a>' in old.text
    assert "Superseded by" not in new.text and "Renewed" not in new.text
