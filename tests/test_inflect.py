"""A user's phrase matches its other forms; a user's own signal is never silently weak."""

from __future__ import annotations

from datetime import UTC, datetime

from monitor.config import parse_config
from monitor.judge import Matcher
from monitor.judge.data import SHIPPED
from monitor.judge.inflect import demonyms, phrase_forms
from monitor.models import Label

AT = datetime(2025, 11, 12, 9, tzinfo=UTC)


def test_forms_of_a_phrase() -> None:
    assert "refusing to" in phrase_forms("refused to", SHIPPED.forms)
    assert "refuses to" in phrase_forms("refused to", SHIPPED.forms)
    assert "do not belong" in phrase_forms("does not belong", SHIPPED.forms)
    assert "breaks the ceasefire" in phrase_forms("broke the ceasefire", SHIPPED.forms)
    assert phrase_forms("violat*", SHIPPED.forms) == ["violat*"]
    # Words that only look like plurals stay as they are.
    assert phrase_forms("process", SHIPPED.forms) == ["process"]


def test_demonyms_of_an_excluded_name() -> None:
    assert {"russian", "russians"} <= set(demonyms("Russia", SHIPPED.demonym_endings))
    assert {"israeli", "israelis"} <= set(demonyms("Israel", SHIPPED.demonym_endings))
    assert "ukrainian" in demonyms("Ukraine", SHIPPED.demonym_endings)
    assert demonyms("Line of Control", SHIPPED.demonym_endings) == ["Line of Control"]


WATCHLIST = """
commitments:
  - id: pledge
    title: Pakistan does not negotiate
    statement: There will be no negotiation with anyone.
    kind: other
    said_by: A minister
    parties: [pakistan]
    topics: [talks]
    signals:
      met: ["refused to negotiate"]
      breach: ["does not belong", violat*]
    exclude: [Russia]
  - id: truce
    title: The ceasefire holds
    statement: The ceasefire between Pakistan and Afghanistan holds.
    kind: ceasefire
    said_by: A minister
    parties: [pakistan, afghanistan]
    topics: [ceasefire]
    signals:
      breach: [violat*]
"""


def _labels(title: str) -> dict[str, Label]:
    cfg = parse_config(WATCHLIST, env={})
    return {
        v.commitment_id: v.label
        for v in Matcher(cfg.commitments, cfg.entities).judge(title, "", AT)
    }


def test_a_user_phrase_matches_its_inflections() -> None:
    assert _labels("Pakistan keeps refusing to negotiate over the talks")["pledge"] is Label.MET
    assert _labels("Pakistan says the talks do not belong to anyone")["pledge"] is Label.BREACH


def test_an_excluded_name_excludes_its_people() -> None:
    assert (
        _labels("Russian and Pakistan officials: the talks do not belong to anyone")["pledge"]
        is not Label.BREACH
    )


def test_a_users_violat_signal_counts() -> None:
    """The ceasefire kind lists violat* as weak on its own; the user's violat* counts."""
    title = "Afghanistan says Pakistan violated the ceasefire on the border in Kurram"
    assert _labels(title)["truce"] is Label.BREACH
