"""An article in a language the judge does not read is marked so, not silently ``none``."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from monitor.config import load_config
from monitor.evaluate import CorpusItem, format_report, predict, prediction_json, score
from monitor.explain import format_explanation
from monitor.judge import Matcher
from monitor.judge.language import DETECTOR
from monitor.models import Label

AT = datetime(2025, 11, 12, 9, tzinfo=UTC)
WATCHLIST = Path(__file__).resolve().parent.parent / "config" / "watchlist.yaml"
FRENCH = (
    "Les forces pakistanaises ont bombardé la province de Khost dans la nuit, selon les "
    "autorités afghanes, qui dénoncent une violation du cessez-le-feu conclu à Doha."
)
ENGLISH = (
    "Pakistani forces shelled Khost province overnight, Afghan officials said, calling it a "
    "violation of the ceasefire agreed in Doha."
)


def test_languages_are_told_apart() -> None:
    assert DETECTOR.language(ENGLISH) == "en"
    assert DETECTOR.language(FRENCH) == "fr"
    russian = "Пакистан и Афганистан договорились о прекращении огня"  # noqa: RUF001
    assert DETECTOR.language(russian) == "ru"
    assert (
        DETECTOR.language("پاکستان اور افغانستان کے درمیان جنگ بندی میں توسیع کر دی گئی ہے") == "ur"
    )
    assert DETECTOR.language("Ceasefire holds") is None  # too little to tell: judged
    assert DETECTOR.unreadable(ENGLISH) is None


def _matcher() -> tuple[Matcher, dict[str, object]]:
    cfg = load_config(str(WATCHLIST), env={})
    return Matcher(cfg.commitments, cfg.entities), {c.id: c for c in cfg.commitments}


def test_a_french_article_is_not_judged_and_says_so() -> None:
    m, commitments = _matcher()
    english = {v.commitment_id: v for v in m.judge("Shelling in Khost", ENGLISH, AT)}
    assert english["ceasefire"].label is Label.BREACH
    assert english["ceasefire"].language is None
    verdicts = m.judge("Bombardements à Khost, selon Kaboul", FRENCH, AT)
    assert all(v.label is Label.NONE and v.language == "fr" for v in verdicts)
    text = format_explanation(verdicts, commitments)  # type: ignore[arg-type]
    assert "text not judged: language fr" in text


def test_a_readable_headline_over_other_text_is_judged_alone() -> None:
    m, _ = _matcher()
    verdicts = {
        v.commitment_id: v for v in m.judge("Pakistan shells Khost, Kabul says", FRENCH, AT)
    }
    assert verdicts["ceasefire"].language == "fr"
    assert verdicts["ceasefire"].label is Label.BREACH


def test_eval_reports_articles_not_judged() -> None:
    m, commitments = _matcher()
    items = [
        CorpusItem(
            "a", "Bombardements à Khost", FRENCH, None, None, AT, {"ceasefire": Label.BREACH}
        ),
        CorpusItem("b", "Shelling in Khost", ENGLISH, None, None, AT, {"ceasefire": Label.BREACH}),
    ]
    preds = predict(m, items)
    report = score(items, preds, list(commitments))
    assert report.not_judged == {"fr": 1}
    assert "not judged" in format_report(report, report) and "fr 1" in format_report(report, report)
    lines = [prediction_json(p) for p in preds if p.id == "a"]
    assert all(line["not_judged"] == "language fr" and line["label"] == "none" for line in lines)
    assert all("not_judged" not in prediction_json(p) for p in preds if p.id == "b")
