"""``monitor replay``: a corpus through the whole pipeline in publication order."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from monitor.cli import main
from monitor.config import load_config
from monitor.errors import InputError
from monitor.evaluate import CorpusItem
from monitor.models import Label, Status
from monitor.replay import format_replay, replay

WATCHLIST = Path(__file__).resolve().parent.parent / "config" / "watchlist.yaml"
T0 = datetime(2025, 11, 1, 8, tzinfo=UTC)  # before the talks deadline (no overdue)

SHELLING = (
    "Pakistani forces shelled border villages in Khost province overnight, Afghan officials "
    "said, calling it a violation of the ceasefire agreed in Doha."
)
CRICKET = "Pakistan beat Sri Lanka by six wickets in the second one-day international."
MISREAD = (
    "Afghan forces opened fire on Pakistani border posts in Kurram on Monday, officials said, "
    "in the first exchange of fire since the ceasefire."
)


def _item(n: int, title: str, text: str, hours: float, source: str, **labels: Label) -> CorpusItem:
    return CorpusItem(
        f"a{n}",
        title,
        text,
        f"https://example.org/{n}",
        source,
        T0 + timedelta(hours=hours),
        labels,
    )


def test_alerts_come_in_publication_order_and_are_scored() -> None:
    config = load_config(str(WATCHLIST), env={})
    items = [  # given out of order
        _item(3, "Shelling in Khost", SHELLING, 5, "Kabul Courier", ceasefire=Label.BREACH),
        _item(1, "Cricket", CRICKET, 0, "Sports Daily"),
        # labelled related on purpose: the judge will call it a breach, so the alert is wrong
        _item(2, "Firing in Kurram", MISREAD, 2, "Frontier Post", ceasefire=Label.RELATED),
    ]
    r = replay(config, items)
    assert r.articles == 3 and r.labelled
    assert [a.change.to_status for a in r.alerts][:1] == [Status.BREACHED]
    first = r.alerts[0]
    assert first.at == T0 + timedelta(hours=2)  # the Kurram report came first
    assert first.verdict == "wrong"
    assert first.delay is None  # no true report before it
    assert [c.at for c in r.changes] == sorted(c.at for c in r.changes)
    text = format_replay(r)
    assert "status timeline:" in text and "ceasefire" in text
    assert "alerts right: 0 of 1" in text
    # The true report came after the status was already breached: no new alert for it.
    assert ("ceasefire", Label.BREACH) not in {(m[0], m[1]) for m in r.missed}


def test_a_right_alert_is_timed_from_the_first_true_report() -> None:
    config = load_config(str(WATCHLIST), env={})
    items = [
        _item(1, "Shelling in Khost", SHELLING, 0, "Kabul Courier", ceasefire=Label.BREACH),
        _item(2, "Cricket", CRICKET, 1, "Sports Daily"),
    ]
    r = replay(config, items)
    assert [(a.change.commitment_id, a.verdict) for a in r.alerts] == [("ceasefire", "right")]
    assert r.alerts[0].delay == timedelta(0)
    assert "alerts right: 1 of 1" in format_replay(r)


def test_a_labelled_report_with_no_alert_is_listed_as_missed() -> None:
    config = load_config(str(WATCHLIST), env={})
    items = [_item(1, "Cricket", CRICKET, 0, "Sports Daily", ceasefire=Label.BREACH)]
    r = replay(config, items)
    assert not r.alerts
    assert r.missed == [("ceasefire", Label.BREACH, T0)]
    assert "missed: ceasefire breach" in format_replay(r)


def test_an_unlabelled_corpus_replays_without_scores() -> None:
    config = load_config(str(WATCHLIST), env={})
    r = replay(config, [_item(1, "Shelling in Khost", SHELLING, 0, "Kabul Courier")])
    assert not r.labelled
    assert [a.verdict for a in r.alerts] == ["unlabelled"]
    assert "alerts right" not in format_replay(r)


def test_articles_need_a_publication_time() -> None:
    config = load_config(str(WATCHLIST), env={})
    undated = CorpusItem("x", "Title", "Text", None, None, None, {})
    with pytest.raises(InputError, match="published"):
        replay(config, [undated])


def test_the_command(tmp_path: Path) -> None:
    corpus = tmp_path / "c.jsonl"
    line = {
        "id": "a1",
        "title": "Shelling in Khost",
        "text": SHELLING,
        "source": "Kabul Courier",
        "published": "2025-11-01T08:00:00Z",
        "labels": {"ceasefire": "breach"},
    }
    corpus.write_text(json.dumps(line) + "\n", encoding="utf-8")
    runner = CliRunner()
    out = runner.invoke(main, ["replay", str(corpus), "--config", str(WATCHLIST)])
    assert out.exit_code == 0, out.output
    assert "BREACHED" in out.output and "alerts right: 1 of 1" in out.output
    corpus.write_text('{"id": "a1", "title": "x", "text": "y"}\n', encoding="utf-8")
    bad = runner.invoke(main, ["replay", str(corpus), "--config", str(WATCHLIST)])
    assert bad.exit_code == 2 and "published" in bad.output
    assert "Traceback" not in bad.output
