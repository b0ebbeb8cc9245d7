"""The whole pipeline against real local servers: feeds over HTTP, mail over SMTP."""

from __future__ import annotations

import email
import email.policy
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from monitor import pipeline
from monitor.cli import main
from monitor.clock import FakeClock
from monitor.models import Status
from tests.feedserver import FeedServer, closed_port_url
from tests.helpers import BREACH_ITEM, QUIET_ITEM, rss, write_watchlist
from tests.smtpserver import SmtpServer


def smtp_settings(server: SmtpServer) -> dict[str, object]:
    return {
        "host": server.host,
        "port": server.port,
        "security": "none",
        "sender": "monitor@example.org",
        "recipients": ["desk@example.org"],
    }


@pytest.fixture
def setup(
    tmp_path: Path, feed_server: FeedServer, smtp_server: SmtpServer, database_url: str
) -> tuple[Path, FeedServer, SmtpServer]:
    feed_server.add(
        "/pk.xml", rss([BREACH_ITEM, QUIET_ITEM]), etag='"v1"', content_type="application/rss+xml"
    )
    feed_server.add("/down.xml", status=500)
    path = write_watchlist(
        tmp_path,
        {
            "PK News": feed_server.url("/pk.xml"),
            "Broken": feed_server.url("/down.xml"),
            "Refused": closed_port_url("/x.xml"),
        },
        database_url=database_url,
        smtp=smtp_settings(smtp_server),
    )
    return path, feed_server, smtp_server


def test_breach_report_becomes_one_alert_per_channel(
    setup: tuple[Path, FeedServer, SmtpServer],
    open_monitor: Callable[..., pipeline.Monitor],
    clock: FakeClock,
    tmp_path: Path,
) -> None:
    config_file, feeds, smtp = setup
    m = open_monitor(config_file, clock)
    report = pipeline.run_cycle(m)
    assert report.poll.polled == 3
    assert report.poll.new_articles == 2
    assert set(report.poll.errors) == {"Broken", "Refused"}  # they did not stop the others
    assert m.store.commitment_states()["ceasefire"].status in (Status.AT_RISK, Status.BREACHED)
    [mail] = smtp.messages
    msg = email.message_from_bytes(mail.data, policy=email.policy.default)
    assert "ceasefire" in str(msg["Subject"]).lower()
    body = msg.get_body(("plain",))
    assert body is not None and "Chaman" in body.get_content()
    assert BREACH_ITEM["link"] in body.get_content()
    [eml] = list((tmp_path / "outbox").glob("*.eml"))
    saved = email.message_from_bytes(eml.read_bytes(), policy=email.policy.default)
    assert saved["Subject"] == msg["Subject"]
    assert saved["Message-ID"] != msg["Message-ID"]  # one Message-ID per alert and channel

    # Later cycles: the feed answers 304; nothing new, nothing sent again, even after a restart.
    clock.advance(3600)
    again = pipeline.run_cycle(open_monitor(config_file, clock))
    assert again.poll.not_modified == 1 and again.queued == 0 and again.delivery.sent == 0
    assert feeds.requests_for("/pk.xml")[-1].headers.get("if-none-match") == '"v1"'
    assert len(smtp.messages) == 1
    assert len(list((tmp_path / "outbox").glob("*.eml"))) == 1


def test_failing_feeds_back_off_and_show_their_error(
    setup: tuple[Path, FeedServer, SmtpServer],
    open_monitor: Callable[..., pipeline.Monitor],
    clock: FakeClock,
) -> None:
    config_file, feeds, _ = setup
    m = open_monitor(config_file, clock)
    pipeline.run_cycle(m)
    broken = {f.name: f for f in m.store.feeds()}["Broken"]
    assert broken.error_count == 1 and "HTTP 500" in (broken.last_error or "")
    first_wait = broken.next_poll_at - clock.now()  # type: ignore[operator]
    clock.set(broken.next_poll_at)  # type: ignore[arg-type]
    pipeline.poll(m)
    broken = {f.name: f for f in m.store.feeds()}["Broken"]
    assert broken.error_count == 2
    assert broken.next_poll_at - clock.now() > first_wait  # type: ignore[operator]
    health = {h.name: h for h in pipeline.feed_health(m)}
    assert not health["Broken"].healthy and health["PK News"].healthy
    feeds.add("/down.xml", rss([QUIET_ITEM]))  # it comes back
    clock.set(broken.next_poll_at)  # type: ignore[arg-type]
    pipeline.poll(m)
    assert {f.name: f for f in m.store.feeds()}["Broken"].error_count == 0


def test_dead_mail_server_alert_waits_and_goes_out_once(
    setup: tuple[Path, FeedServer, SmtpServer],
    open_monitor: Callable[..., pipeline.Monitor],
    clock: FakeClock,
    tmp_path: Path,
) -> None:
    config_file, _, smtp = setup
    smtp.stop()
    m = open_monitor(config_file, clock)
    report = pipeline.run_cycle(m)
    assert report.delivery.sent == 1 and report.delivery.retrying == 1  # folder ok, smtp later
    assert pipeline.deliver_pending(m).sent == 0  # not due yet: backoff
    smtp.start()
    clock.advance(31)
    assert pipeline.deliver_pending(m).sent == 1
    clock.advance(3600)
    assert pipeline.deliver_pending(m).sent == 0
    assert len(smtp.messages) == 1
    assert m.store.outbox_counts() == {"pending": 0, "sent": 2, "failed": 0}


def test_permanent_refusal_is_recorded_not_retried(
    setup: tuple[Path, FeedServer, SmtpServer],
    open_monitor: Callable[..., pipeline.Monitor],
    clock: FakeClock,
) -> None:
    config_file, _, smtp = setup
    smtp.reply_next("554 5.7.1 rejected", times=10)
    m = open_monitor(config_file, clock)
    report = pipeline.run_cycle(m)
    assert report.delivery.failed == 1
    clock.advance(86400)
    assert pipeline.deliver_pending(m).sent == 0
    [failed] = [o for o in m.store.outbox() if o.failed_at is not None]
    assert "554" in (failed.last_error or "")
    shown = CliRunner().invoke(main, ["status", "--config", str(config_file)])
    assert "FAILED (not retried)" in shown.output and "554" in shown.output


def test_digest_once_per_key_with_changes_and_feed_health(
    setup: tuple[Path, FeedServer, SmtpServer],
    open_monitor: Callable[..., pipeline.Monitor],
    clock: FakeClock,
) -> None:
    config_file, _, smtp = setup
    m = open_monitor(config_file, clock)
    pipeline.run_cycle(m)
    before = len(smtp.messages)
    assert pipeline.digest(m, key="digest:2025-10-28T09:00Z")
    assert not pipeline.digest(m, key="digest:2025-10-28T09:00Z")
    pipeline.deliver_pending(m)
    assert len(smtp.messages) == before + 1
    msg = email.message_from_bytes(smtp.messages[-1].data, policy=email.policy.default)
    text = msg.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert "Broken" in text and "ceasefire" in text.lower()
    clock.advance(timedelta(days=1).total_seconds())
    assert pipeline.digest(m, key="digest:2025-10-29T09:00Z")
    assert m.store.last_digest_end() == clock.now()


def test_two_daemons_share_one_database(
    setup: tuple[Path, FeedServer, SmtpServer],
    open_monitor: Callable[..., pipeline.Monitor],
    clock: FakeClock,
) -> None:
    """Two monitors on one database, cycling at the same moment: each feed is fetched once,
    each article stored once, each alert sent once."""
    import threading

    config_file, feeds, smtp = setup
    monitors = [open_monitor(config_file, clock) for _ in range(2)]
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def cycle(m: pipeline.Monitor) -> None:
        try:
            barrier.wait()
            pipeline.run_cycle(m)
        except BaseException as e:  # reported below
            errors.append(e)

    threads = [threading.Thread(target=cycle, args=(m,)) for m in monitors]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(feeds.requests_for("/pk.xml")) == 1
    assert monitors[0].store.counts()["articles"] == 2
    for m in monitors:  # whatever one left for the other, a second round finishes
        pipeline.run_cycle(m)
    assert len(smtp.messages) == 1
    assert len(feeds.requests_for("/pk.xml")) == 1


def test_a_feed_that_cannot_be_stored_costs_only_that_feed_of_its_batch(
    setup: tuple[Path, FeedServer, SmtpServer],
    open_monitor: Callable[..., pipeline.Monitor],
    clock: FakeClock,
) -> None:
    """Outcomes ready at one moment are stored in one transaction; when it fails, each is
    stored again on its own: the others are stored once, the bad one's error recorded."""
    from dataclasses import replace

    from monitor.models import FetchResult
    from monitor.parse import parse_feed

    config_file, feeds, _ = setup
    m = open_monitor(config_file, clock)
    pipeline.sync(m)
    by_name = {f.name: f for f in m.store.feeds()}
    body = rss([BREACH_ITEM, QUIET_ITEM])
    got = FetchResult(url=feeds.url("/pk.xml"), status=200, content=body, headers={}, etag='"v"')
    parsed = parse_feed(body, url=got.url)
    ok = pipeline.ParsedBody(got, parsed, "h1")
    not_modified = FetchResult(url=got.url, status=304, content=None, headers={})
    vanished = replace(by_name["Broken"], id=999_999, name="Vanished")  # no such feed row
    report = pipeline.PollReport()
    pipeline._store_outcomes(
        m,
        [(by_name["PK News"], ok), (vanished, ok), (by_name["Refused"], not_modified)],
        report,
    )
    assert report.new_articles == 2  # counted once, though stored on the second try
    assert report.not_modified == 1
    assert set(report.errors) == {"Vanished"}
    assert m.store.counts()["articles"] == 2
    after = {f.name: f for f in m.store.feeds()}
    assert after["PK News"].body_hash == "h1" and after["PK News"].error_count == 0
    assert after["Refused"].last_status == 304
