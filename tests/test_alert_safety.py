"""What an alert shows is safe to read, paste and post: secrets echoed by a mail relay are
masked everywhere, chat markup from feeds is escaped in webhook text, host names are
shown as ASCII, and the suggested command line uses the article id, shell-quoted."""

from __future__ import annotations

import base64
import email
import email.policy
import json
import logging
import shlex
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from monitor import pipeline
from monitor.cli import main
from monitor.clock import FakeClock
from monitor.config import load_config
from monitor.db import make_engine, upgrade
from monitor.models import Evidence, Label, Status, StatusChange
from monitor.render import (
    AlertContext,
    alert_fields,
    ascii_host,
    ascii_url,
    chat_escape,
    explain_command,
    render_alert,
)
from monitor.store import Store
from tests.feedserver import FeedServer
from tests.helpers import BREACH_ITEM, rss, write_watchlist
from tests.slowservers import EchoAuthSmtpServer
from tests.test_webhook import Hook

SECRET = "pa55-Zq9-never-shown"
AT = datetime(2025, 10, 24, 12, 0, tzinfo=UTC)


def test_a_relay_echoing_the_auth_line_leaks_nothing(
    tmp_path: Path,
    feed_server: FeedServer,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    feed_server.add("/f.xml", rss([BREACH_ITEM]))
    with EchoAuthSmtpServer().running() as relay:
        config = str(
            write_watchlist(
                tmp_path,
                {"F": feed_server.url("/f.xml")},
                smtp={
                    "host": "127.0.0.1",
                    "port": relay.port,
                    "security": "none",
                    "username": "monitor",
                    "password": "${TEST_SMTP_PASSWORD}",
                    "sender": "monitor@example.org",
                    "recipients": ["desk@example.org"],
                    "timeout_seconds": 5,
                },
            )
        )
        monkeypatch.setenv("TEST_SMTP_PASSWORD", SECRET)
        runner = CliRunner()
        outputs = []
        with caplog.at_level(logging.DEBUG):
            for args in (["run", "--once"], ["status"], ["digest", "--now"]):
                result = runner.invoke(main, [*args, "--config", config])
                assert result.exit_code == 0, result.output
                outputs.append(result.output)
    plain = base64.b64encode(f"\0monitor\0{SECRET}".encode()).decode()
    assert plain.encode() in relay.received  # the relay did get (and echo) the credentials
    seen = "\n".join(outputs) + caplog.text
    assert "535 5.7.8" in seen  # the refusal itself is shown
    for f in (tmp_path / "outbox").glob("*.eml"):
        seen += f.read_text(encoding="utf-8", errors="replace")
    for db_file in tmp_path.glob("monitor.db*"):
        seen += db_file.read_bytes().decode("utf-8", "replace")
    assert SECRET not in seen
    assert plain not in seen and plain.rstrip("=") not in seen


def test_chat_markup_is_escaped() -> None:
    text = chat_escape("<!channel> see <https://evil.example|Reuters> & @here, a<b>c")
    assert "<" not in text and ">" not in text
    assert "&lt;!channel&gt;" in text
    assert "&lt;https://evil.example|Reuters&gt;" in text
    assert "&amp; " in text
    assert "@here" not in text and "here" in text


def test_webhook_text_from_a_hostile_feed_is_escaped_with_structured_fields(
    tmp_path: Path, feed_server: FeedServer, clock: FakeClock
) -> None:
    item = {
        **BREACH_ITEM,
        "title": BREACH_ITEM["title"]
        + " &amp;lt;!channel&amp;gt; &amp;lt;https://evil.example|Reuters&amp;gt;",
    }
    feed_server.add("/f.xml", rss([item]))
    hook = Hook()
    config_file = write_watchlist(tmp_path, {"F": feed_server.url("/f.xml")}, outbox=False)
    text = config_file.read_text(encoding="utf-8").replace(
        "alerts:\n", f"alerts:\n  webhook:\n    url: {hook.url}\n", 1
    )
    config_file.write_text(text, encoding="utf-8")
    config = load_config(str(config_file), env={})
    upgrade(config.database_url)
    store = Store(make_engine(config.database_url))
    try:
        m = pipeline.Monitor(config, store, clock)
        pipeline.sync(m)
        assert pipeline.run_cycle(m).delivery.sent == 1
        [body] = hook.received
        doc = json.loads(body)
        assert "<!channel>" not in doc["text"] and "|Reuters>" not in doc["text"]
        assert "&lt;!channel&gt;" in doc["text"]
        fields = doc["fields"]
        assert fields["type"] == "status_change"
        assert fields["commitment_id"] == "ceasefire"
        assert fields["to_status"] in ("at risk", "breached")
        assert fields["from_status"] == "pending"
        [evidence] = fields["evidence"]
        assert fields["urls"] == [BREACH_ITEM["link"]] == [evidence["url"]]
        assert fields["article_ids"] == [evidence["article_id"]]
        assert store.article(evidence["article_id"]) is not None
        assert fields["quotes"] == [evidence["quote"]] and "Chaman" in evidence["quote"]
        assert 0 < fields["score"] <= 1
        assert "<!channel>" in evidence["title"]  # the fields carry the data as it is
    finally:
        store.close()
        hook.close()


def evidence(url: str, article_id: int = 42, source: str = "wire.example") -> Evidence:
    return Evidence(
        id=1,
        article_id=article_id,
        commitment_id="ceasefire",
        label=Label.BREACH,
        score=0.9,
        quote="They clashed.",
        signals=("clash",),
        source=source,
        url=url,
        title="Clash",
        published_at=AT,
        created_at=AT,
    )


def test_host_names_are_shown_as_ascii() -> None:
    rlo = "https://evil\u202emoc.example/a b?q=\u00e9"
    assert ascii_url(rlo) == "https://evil%E2%80%AEmoc.example/a%20b?q=%C3%A9"
    assert ascii_url("https://b\u00fccher.example:8443/x") == "https://xn--bcher-kva.example:8443/x"
    assert ascii_url("https://wire.example/news/1") == "https://wire.example/news/1"
    assert ascii_host("b\u00fccher.example") == "xn--bcher-kva.example"
    assert ascii_host("evil\u202emoc.example") == "evil%E2%80%AEmoc.example"
    assert ascii_host("PK News") == "PK News"


def test_alert_shows_ascii_hosts_and_an_explain_line_by_article_id(
    default_commitment: object,
) -> None:
    from monitor.models import Commitment

    assert isinstance(default_commitment, Commitment)
    hostile = evidence(
        "https://evil\u202emoc.example/$(touch pwned)", source="evil\u202emoc.example"
    )
    change = StatusChange("ceasefire", Status.PENDING, Status.BREACHED, AT, "strong", (1,))
    ctx = AlertContext(default_commitment, change, (hostile,))
    msg = render_alert(ctx, key="k", sender="m@example.org", recipients=[], sent_at=AT)
    for part in ("plain", "html"):
        body = msg.get_body((part,))
        assert body is not None
        text = body.get_content()
        assert "\u202e" not in text
        assert "evil%E2%80%AEmoc.example" in text
        assert "$(touch pwned)" not in text.split("explain")[-1]
        assert "monitor explain 42" in text
    assert alert_fields(ctx)["article_ids"] == [42]


def test_explain_command_is_shell_quoted() -> None:
    assert explain_command([evidence("https://x.example/$(id)", article_id=7)]) == (
        "monitor explain 7"
    )
    assert shlex.split(explain_command([evidence("u", article_id=123)])) == [
        "monitor",
        "explain",
        "123",
    ]
    assert explain_command([]) == "monitor explain ARTICLE_ID"


@pytest.fixture
def default_commitment() -> object:
    config = load_config(
        str(Path(__file__).resolve().parent.parent / "config" / "watchlist.yaml"), env={}
    )
    [c] = [c for c in config.commitments if c.id == "ceasefire"]
    return replace(c)


def test_a_refused_recipient_is_logged_recorded_and_counted_as_failed(
    tmp_path: Path,
    feed_server: FeedServer,
    caplog: pytest.LogCaptureFixture,
) -> None:
    from tests.smtpserver import SmtpServer

    feed_server.add("/f.xml", rss([BREACH_ITEM]))
    with SmtpServer() as smtp:
        smtp.refuse_recipient("gone@example.org", "550 5.1.1 <gone@example.org> no such user")
        config = str(
            write_watchlist(
                tmp_path,
                {"F": feed_server.url("/f.xml")},
                outbox=False,
                smtp={
                    "host": smtp.host,
                    "port": smtp.port,
                    "security": "none",
                    "sender": "monitor@example.org",
                    "recipients": ["desk@example.org", "gone@example.org"],
                },
            )
        )
        runner = CliRunner()
        with caplog.at_level(logging.INFO):
            result = runner.invoke(main, ["run", "--once", "--config", config])
        assert result.exit_code == 0, result.output
        assert smtp.messages
        assert all(m.rcpt_tos == ("desk@example.org",) for m in smtp.messages)
    lines = [r.getMessage() for r in caplog.records if "delivered_partly" in r.getMessage()]
    assert len(lines) == len(smtp.messages)
    for line in lines:
        assert "gone@example.org" in line and "alert:" in line and "550 5.1.1" in line
    store = Store(make_engine(load_config(config, env={}).database_url))
    try:
        rows = store.outbox()
        messages = [o for o in rows if o.group_key is None]
        assert len(messages) == len(smtp.messages)
        for row in rows:  # each message, and each alert grouped into one, records it
            assert row.sent_at is not None
            assert row.refused is not None and "gone@example.org: 550 5.1.1" in row.refused
        assert store.outbox_partly_failed() == len(messages)
    finally:
        store.close()
    status = runner.invoke(main, ["status", "--config", config])
    assert status.exit_code == 0, status.output
    n = len(messages)
    assert f"{n} failed ({n} partly" in status.output
    assert "gone@example.org" in status.output
    assert "0 failed" not in status.output


def test_a_right_to_left_override_in_a_host_is_never_shown_raw(
    tmp_path: Path, feed_server: FeedServer
) -> None:
    item = {**BREACH_ITEM, "link": "https://evil\u202emoc.example/2025/10/24/clash"}
    feed_server.add("/f.xml", rss([item]))
    config = str(write_watchlist(tmp_path, {"F": feed_server.url("/f.xml")}))
    runner = CliRunner()
    shown = []
    for args in (["run", "--once"], ["status"], ["explain", "1"]):
        result = runner.invoke(main, [*args, "--config", config])
        assert result.exit_code == 0, result.output
        shown.append(result.output)
    files = list((tmp_path / "outbox").glob("*.eml"))
    assert files
    for f in files:
        msg = email.message_from_bytes(f.read_bytes(), policy=email.policy.default)
        for part in ("plain", "html"):
            body = msg.get_body((part,))
            assert body is not None
            shown.append(body.get_content())
    for text in shown[1:]:
        assert "\u202e" not in text
        assert "evil%E2%80%AEmoc.example" in text
