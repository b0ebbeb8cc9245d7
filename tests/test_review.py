"""People in the loop: a person's verdict, retractions, re-judging, acknowledgements,
silences and reminders, through the real pipeline (a local feed server, the outbox folder,
SQLite and PostgreSQL)."""

from __future__ import annotations

import email
import email.policy
import json
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from monitor import evaluate, oversight, pipeline
from monitor.cli import main
from monitor.clock import FakeClock
from monitor.models import Label, SilenceScope, Status
from tests.feedserver import FeedServer
from tests.helpers import BREACH_ITEM, QUIET_ITEM, rss, write_watchlist


@pytest.fixture
def watchlist(tmp_path: Path, feed_server: FeedServer, database_url: str) -> Path:
    feed_server.add("/pk.xml", rss([BREACH_ITEM, QUIET_ITEM]), content_type="application/rss+xml")
    return write_watchlist(
        tmp_path, {"PK News": feed_server.url("/pk.xml")}, database_url=database_url
    )


def _article_id(m: pipeline.Monitor, url: str) -> int:
    found = m.store.article_by_url(url)
    assert found is not None
    return found.id


def _outbox_subjects(tmp_path: Path) -> list[str]:
    out = []
    for eml in sorted((tmp_path / "outbox").glob("*.eml")):
        msg = email.message_from_bytes(eml.read_bytes(), policy=email.policy.default)
        out.append(str(msg["Subject"]))
    return out


def _retracted_bodies(tmp_path: Path) -> list[str]:
    out = []
    for eml in sorted((tmp_path / "outbox").glob("*.eml")):
        msg = email.message_from_bytes(eml.read_bytes(), policy=email.policy.default)
        if "RETRACTED" in str(msg["Subject"]):
            body = msg.get_body(("plain",))
            assert body is not None
            out.append(body.get_content())
    return out


def test_a_person_reverts_a_wrong_breach_and_every_channel_hears_once(
    watchlist: Path,
    open_monitor: Callable[..., pipeline.Monitor],
    clock: FakeClock,
    tmp_path: Path,
) -> None:
    m = open_monitor(watchlist, clock)
    pipeline.run_cycle(m)
    before = m.store.commitment_states()["ceasefire"].status
    assert before in (Status.AT_RISK, Status.BREACHED)
    assert len(_outbox_subjects(tmp_path)) == 1
    article = _article_id(m, BREACH_ITEM["link"])

    clock.advance(600)
    out = oversight.record_verdict(
        m, article, "ceasefire", Label.NONE, by="Dana Analyst", note="a clash before Doha"
    )
    assert out.retracted and out.change is not None
    assert (out.change.from_status, out.change.to_status) == (before, Status.PENDING)
    assert m.store.commitment_states()["ceasefire"].status is Status.PENDING
    pipeline.run_cycle(m)  # the retraction is already queued: delivered, nothing else new
    [body] = _retracted_bodies(tmp_path)
    assert "Dana Analyst" in body and "as none" in body and "a clash before Doha" in body
    assert f"{before.value.upper()} -> PENDING" in body

    # the same verdict again changes nothing and sends nothing
    again = oversight.record_verdict(m, article, "ceasefire", Label.NONE, by="Dana Analyst")
    assert again.change is None
    pipeline.run_cycle(m)
    assert len(_retracted_bodies(tmp_path)) == 1
    [verdict] = m.store.verdicts("ceasefire")
    assert verdict.by == "Dana Analyst" and verdict.label is Label.NONE
    assert verdict.judge_label is Label.BREACH  # the judge's call is kept beside it


def test_a_breached_ongoing_pledge_moves_back_when_its_evidence_goes(
    watchlist: Path,
    open_monitor: Callable[..., pipeline.Monitor],
    clock: FakeClock,
    tmp_path: Path,
) -> None:
    m = open_monitor(watchlist, clock)
    pipeline.run_cycle(m)
    article = _article_id(m, BREACH_ITEM["link"])
    # a person confirms the breach: it counts as strong, and the status escalates
    confirmed = oversight.record_verdict(m, article, "ceasefire", Label.BREACH, by="Lee")
    assert m.store.commitment_states()["ceasefire"].status is Status.BREACHED
    assert confirmed.change is None or not confirmed.retracted
    pipeline.run_cycle(m)
    assert any("BREACHED" in s for s in _outbox_subjects(tmp_path))
    # ... and on second thought takes it back: breached is not final against a person
    clock.advance(60)
    out = oversight.record_verdict(m, article, "ceasefire", Label.RELATED, by="Lee")
    assert out.retracted
    assert m.store.commitment_states()["ceasefire"].status is Status.PENDING
    pipeline.run_cycle(m)
    [body] = _retracted_bodies(tmp_path)
    assert "BREACHED -> PENDING" in body and "Lee" in body


def test_a_person_can_add_evidence_the_judge_missed_and_export_a_corpus(
    watchlist: Path,
    open_monitor: Callable[..., pipeline.Monitor],
    clock: FakeClock,
    tmp_path: Path,
) -> None:
    m = open_monitor(watchlist, clock)
    pipeline.run_cycle(m)
    quiet = _article_id(m, QUIET_ITEM["link"])
    breach = _article_id(m, BREACH_ITEM["link"])
    assert not [e for e in m.store.evidence_for("istanbul-talks") if e.article_id == quiet]
    oversight.record_verdict(m, quiet, "istanbul-talks", Label.MET, by="Ana", note="talks held")
    assert m.store.commitment_states()["istanbul-talks"].status is Status.MET
    [added] = [e for e in m.store.evidence_for("istanbul-talks") if e.article_id == quiet]
    assert added.label is Label.MET and added.score == 1.0
    oversight.record_verdict(m, breach, "ceasefire", Label.BREACH, by="Ana")

    path = tmp_path / "verdicts.jsonl"
    assert oversight.export_corpus(m, path) == 2
    items = evaluate.load_corpus(str(path))  # the corpus format `monitor eval` reads
    by_url = {i.url: i for i in items}
    assert by_url[QUIET_ITEM["link"]].labels == {"istanbul-talks": Label.MET}
    assert by_url[BREACH_ITEM["link"]].labels == {"ceasefire": Label.BREACH}
    raw = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert {"id", "title", "text", "url", "source", "published", "labels"} <= set(raw[0])


def test_rejudge_after_a_watchlist_edit_alerts_only_on_changed_outcomes(
    watchlist: Path,
    open_monitor: Callable[..., pipeline.Monitor],
    clock: FakeClock,
    tmp_path: Path,
) -> None:
    m = open_monitor(watchlist, clock)
    pipeline.run_cycle(m)
    assert m.store.commitment_states()["ceasefire"].status is not Status.PENDING
    sent = len(_outbox_subjects(tmp_path))

    # nothing changed: re-judging changes no evidence, no status, sends nothing
    same = oversight.rejudge(m)
    assert same.articles == 2 and not same.commitments and not same.changes
    pipeline.run_cycle(m)
    assert len(_outbox_subjects(tmp_path)) == sent

    # the analyst learns the ceasefire took effect later: the clash no longer counts
    raw = yaml.safe_load(watchlist.read_text(encoding="utf-8"))
    for c in raw["commitments"]:
        if c["id"] == "ceasefire":
            c["effective"] = "2025-10-25"
    watchlist.write_text(yaml.safe_dump(raw, sort_keys=False), encoding="utf-8")
    clock.advance(60)
    m = open_monitor(watchlist, clock)
    report = oversight.rejudge(m, by="rejudge by ops")
    assert report.commitments == {"ceasefire"}
    [change] = report.changes
    assert change.to_status is Status.PENDING
    pipeline.run_cycle(m)
    [body] = _retracted_bodies(tmp_path)
    assert "rejudge by ops" in body
    # once more: nothing changes, nothing is sent twice
    assert not oversight.rejudge(m).changes
    pipeline.run_cycle(m)
    assert len(_retracted_bodies(tmp_path)) == 1


def test_a_persons_verdict_survives_a_rejudge(
    watchlist: Path, open_monitor: Callable[..., pipeline.Monitor], clock: FakeClock
) -> None:
    m = open_monitor(watchlist, clock)
    pipeline.run_cycle(m)
    article = _article_id(m, BREACH_ITEM["link"])
    oversight.record_verdict(m, article, "ceasefire", Label.NONE, by="Dana")
    report = oversight.rejudge(m)
    assert "ceasefire" not in report.commitments
    assert m.store.commitment_states()["ceasefire"].status is Status.PENDING
    [e] = [e for e in m.store.evidence_for("ceasefire") if e.article_id == article]
    assert e.label is Label.NONE


def test_silences_stop_alerts_and_expire(
    watchlist: Path,
    open_monitor: Callable[..., pipeline.Monitor],
    clock: FakeClock,
    tmp_path: Path,
) -> None:
    m = open_monitor(watchlist, clock)
    s = oversight.add_silence(
        m,
        SilenceScope.COMMITMENT,
        "ceasefire",
        duration=timedelta(hours=2),
        reason="known clash, under review",
        by="Dana",
    )
    pipeline.run_cycle(m)
    assert m.store.commitment_states()["ceasefire"].status is not Status.PENDING
    assert _outbox_subjects(tmp_path) == []  # the status moved, nobody was mailed
    assert [x.id for x in m.store.silences(clock.now())] == [s.id]
    clock.advance(3 * 3600)
    assert m.store.silences(clock.now()) == []  # expired

    with pytest.raises(Exception, match="no such channel"):
        oversight.add_silence(
            m, SilenceScope.CHANNEL, "pager", duration=timedelta(hours=1), reason="x", by="y"
        )


def test_a_silenced_channel_gets_no_alert(
    watchlist: Path,
    open_monitor: Callable[..., pipeline.Monitor],
    clock: FakeClock,
    tmp_path: Path,
) -> None:
    m = open_monitor(watchlist, clock)
    oversight.add_silence(
        m, SilenceScope.CHANNEL, "outbox", duration=timedelta(days=1), reason="moving", by="ops"
    )
    report = pipeline.run_cycle(m)
    assert report.changes >= 1 and report.queued == 0
    assert _outbox_subjects(tmp_path) == []


def test_unacknowledged_breach_is_reminded_once_per_interval(
    watchlist: Path,
    open_monitor: Callable[..., pipeline.Monitor],
    clock: FakeClock,
    tmp_path: Path,
) -> None:
    m = open_monitor(watchlist, clock)
    pipeline.run_cycle(m)
    article = _article_id(m, BREACH_ITEM["link"])
    oversight.record_verdict(m, article, "ceasefire", Label.BREACH, by="Lee")
    pipeline.run_cycle(m)

    def breached() -> int:
        return sum("BREACHED" in s for s in _outbox_subjects(tmp_path))

    assert breached() == 1
    clock.advance(23 * 3600)
    pipeline.run_cycle(m)
    assert breached() == 1  # not yet
    clock.advance(2 * 3600)
    pipeline.run_cycle(m)
    pipeline.run_cycle(m)
    assert breached() == 2  # one reminder, once
    oversight.acknowledge(m, "ceasefire", by="Lee", note="on it")
    clock.advance(25 * 3600)
    pipeline.run_cycle(m)
    assert breached() == 2  # acknowledged: no more reminders


def test_cli_review_and_its_errors(
    watchlist: Path, open_monitor: Callable[..., pipeline.Monitor], clock: FakeClock
) -> None:
    m = open_monitor(watchlist, clock)
    pipeline.run_cycle(m)
    article = _article_id(m, BREACH_ITEM["link"])
    runner = CliRunner()
    cfg = ["--config", str(watchlist)]
    bad = runner.invoke(main, ["review", str(article), "nope", "--verdict", "none", *cfg])
    assert bad.exit_code == 2 and "no such commitment" in bad.output
    assert "Traceback" not in bad.output
    bad = runner.invoke(main, ["review", "999999", "ceasefire", "--verdict", "none", *cfg])
    assert bad.exit_code == 2 and "no stored article" in bad.output
    bad = runner.invoke(main, ["review", str(article), "ceasefire", "--verdict", "maybe", *cfg])
    assert bad.exit_code == 2
    ok = runner.invoke(
        main,
        ["review", str(article), "ceasefire", "--verdict", "none", "--by", "Dana", *cfg],
    )
    assert ok.exit_code == 0, ok.output
    assert "retracted" in ok.output and "-> pending" in ok.output
    out = runner.invoke(main, ["silence", "add", "feed", "PK News", "--for", "3d",
                               "--reason", "outage", *cfg])  # fmt: skip
    assert out.exit_code == 0, out.output
    listed = runner.invoke(main, ["silence", "list", *cfg])
    assert "PK News" in listed.output and "outage" in listed.output
    shown = runner.invoke(main, ["status", *cfg])
    assert "Silences" in shown.output and "feed PK News until" in shown.output
    bad = runner.invoke(main, ["silence", "add", "feed", "PK News", "--for", "soon",
                               "--reason", "x", *cfg])  # fmt: skip
    assert bad.exit_code == 2 and "duration" in bad.output
    assert runner.invoke(main, ["ack", "ceasefire", "--by", "Dana", *cfg]).exit_code == 0
    assert runner.invoke(main, ["rejudge", "--since", "2025-10-01", *cfg]).exit_code == 0
    assert runner.invoke(main, ["rejudge", "--since", "yesterday", *cfg]).exit_code == 2


def test_a_breach_after_a_retraction_is_alerted_again(
    watchlist: Path,
    open_monitor: Callable[..., pipeline.Monitor],
    clock: FakeClock,
    tmp_path: Path,
) -> None:
    m = open_monitor(watchlist, clock)
    pipeline.run_cycle(m)
    article = _article_id(m, BREACH_ITEM["link"])
    oversight.record_verdict(m, article, "ceasefire", Label.BREACH, by="Lee")
    pipeline.run_cycle(m)
    clock.advance(600)
    assert oversight.record_verdict(m, article, "ceasefire", Label.NONE, by="Lee").retracted
    pipeline.run_cycle(m)
    clock.advance(600)  # well within repeat_interval_hours, but people were told "no breach"
    oversight.record_verdict(m, article, "ceasefire", Label.BREACH, by="Kim")
    pipeline.run_cycle(m)
    subjects = _outbox_subjects(tmp_path)
    assert sum(s.startswith("[monitor] BREACHED") for s in subjects) == 2, subjects
    assert sum("RETRACTED" in s for s in subjects) == 1


def test_the_digest_lists_the_silences_in_force(
    watchlist: Path,
    open_monitor: Callable[..., pipeline.Monitor],
    clock: FakeClock,
    tmp_path: Path,
) -> None:
    m = open_monitor(watchlist, clock)
    oversight.add_silence(
        m, SilenceScope.FEED, "PK News", duration=timedelta(days=2), reason="site move", by="ops"
    )
    assert pipeline.digest(m)
    pipeline.deliver_pending(m)
    [eml] = [p for p in (tmp_path / "outbox").glob("*.eml") if "digest" in p.name]
    msg = email.message_from_bytes(eml.read_bytes(), policy=email.policy.default)
    for part in ("plain", "html"):
        body = msg.get_body((part,))
        assert body is not None
        text = body.get_content()
        assert "PK News" in text and "site move" in text and "silenced" in text.lower()
