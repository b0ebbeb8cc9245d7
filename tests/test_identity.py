"""Identity: an install id (random, kept in the database) makes every Message-ID unique
per install and stable for one alert across retries; outbox files carry it too, so a
second database writing to the same folder never collides with, or skips, a new alert."""

from __future__ import annotations

import email
import email.policy
from pathlib import Path

import pytest
import yaml

from monitor import pipeline
from monitor.clock import FakeClock
from monitor.config import load_config
from monitor.db import make_engine, upgrade
from monitor.deliver import FolderChannel
from monitor.render import message_id_for
from monitor.store import Store
from tests.feedserver import FeedServer
from tests.helpers import BREACH_ITEM, QUIET_ITEM, rss, write_watchlist
from tests.smtpserver import SmtpServer


def test_install_id_is_made_once_and_kept(database_url: str) -> None:
    upgrade(database_url)
    first = Store(make_engine(database_url))
    second = Store(make_engine(database_url))
    try:
        made = first.install_id()
        assert len(made) == 16 and int(made, 16) >= 0
        assert second.install_id() == made == first.install_id()
    finally:
        first.close()
        second.close()


def test_message_id_depends_on_the_install() -> None:
    assert message_id_for("alert:1:smtp", install_id="aa") == message_id_for(
        "alert:1:smtp", install_id="aa"
    )
    assert message_id_for("alert:1:smtp", install_id="aa") != message_id_for(
        "alert:1:smtp", install_id="bb"
    )
    assert message_id_for("k", install_id="aa").endswith(".aa@monitor.invalid>")
    with pytest.raises(ValueError, match="install id"):
        message_id_for("k", install_id="x>\r\nBcc: y")
    with pytest.raises(ValueError, match="install id"):
        FolderChannel(Path("."), install_id="../x")


def install(
    directory: Path, feeds: FeedServer, smtp: SmtpServer, outbox: Path, clock: FakeClock
) -> pipeline.Monitor:
    directory.mkdir()
    path = write_watchlist(
        directory,
        {"F": feeds.url("/f.xml")},
        smtp={
            "host": smtp.host,
            "port": smtp.port,
            "security": "none",
            "timeout_seconds": 5,
            "sender": "monitor@example.org",
            "recipients": ["desk@example.org"],
        },
    )
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    raw["alerts"]["outbox"]["dir"] = str(outbox)
    path.write_text(yaml.safe_dump(raw, sort_keys=False), encoding="utf-8")
    config = load_config(str(path), env={})
    upgrade(config.database_url)
    m = pipeline.Monitor(config, Store(make_engine(config.database_url)), clock)
    pipeline.sync(m)
    return m


def test_two_databases_never_share_a_message_id_or_an_outbox_file(
    tmp_path: Path, feed_server: FeedServer, smtp_server: SmtpServer, clock: FakeClock
) -> None:
    feed_server.add("/f.xml", rss([BREACH_ITEM, QUIET_ITEM]))
    outbox = tmp_path / "shared-outbox"
    # the first install alerts, then the database is reset (a new one, same folder)
    first = install(tmp_path / "one", feed_server, smtp_server, outbox, clock)
    second = install(tmp_path / "two", feed_server, smtp_server, outbox, clock)
    try:
        assert first.install_id != second.install_id
        for m in (first, second):
            report = pipeline.run_cycle(m)
            assert report.delivery.sent == 2 and report.delivery.failed == 0
        keys = {o.key for o in first.store.outbox()}
        assert keys == {o.key for o in second.store.outbox()}  # both number from 1
        ids = [
            email.message_from_bytes(msg.data, policy=email.policy.default)["Message-ID"]
            for msg in smtp_server.messages
        ]
        assert len(ids) == 2 and len(set(ids)) == 2
        files = sorted(outbox.glob("*.eml"))
        assert len(files) == 2
        file_ids = {
            email.message_from_bytes(f.read_bytes(), policy=email.policy.default)["Message-ID"]
            for f in files
        }
        assert file_ids == {
            o.message_id for m in (first, second) for o in m.store.outbox() if o.channel == "outbox"
        }
    finally:
        first.store.close()
        second.store.close()


def test_message_id_is_stable_across_retries(
    tmp_path: Path, feed_server: FeedServer, smtp_server: SmtpServer, clock: FakeClock
) -> None:
    feed_server.add("/f.xml", rss([BREACH_ITEM, QUIET_ITEM]))
    m = install(tmp_path / "one", feed_server, smtp_server, tmp_path / "outbox", clock)
    try:
        smtp_server.reply_next("451 4.3.0 try later", times=1)
        assert pipeline.run_cycle(m).delivery.retrying == 1
        clock.advance(3600)
        assert pipeline.deliver_pending(m).sent == 1
        [row] = [o for o in m.store.outbox() if o.channel == "smtp"]
        assert row.attempts == 2
        [received] = smtp_server.messages
        parsed = email.message_from_bytes(received.data, policy=email.policy.default)
        assert parsed["Message-ID"] == row.message_id
        assert row.message_id.endswith(f".{m.install_id}@monitor.invalid>")
    finally:
        m.store.close()
