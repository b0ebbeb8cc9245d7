"""The command line, end to end: demo, status, explain, eval, digest, and its error codes."""

from __future__ import annotations

import email
import email.policy
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from monitor.cli import main
from tests.feedserver import FeedServer
from tests.helpers import BREACH_ITEM, QUIET_ITEM, rss, write_watchlist

ROOT = Path(__file__).resolve().parent.parent
DEFAULT = str(ROOT / "config" / "watchlist.yaml")


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def test_demo_writes_breach_and_met_alerts_that_parse_whole(tmp_path: Path) -> None:
    code, out, err = invoke("demo", "--dir", str(tmp_path / "d"), "--config", DEFAULT)
    assert code == 0, err
    files = sorted((tmp_path / "d" / "outbox").glob("*.eml"))
    subjects = []
    for f in files:
        msg = email.message_from_bytes(f.read_bytes(), policy=email.policy.default)
        assert msg["Message-ID"] and msg["Date"]
        assert msg.get_body(("plain",)) is not None and msg.get_body(("html",)) is not None
        assert not msg.defects
        subjects.append(str(msg["Subject"]))
    assert any("BREACHED" in s or "AT RISK" in s for s in subjects), subjects
    assert any("MET" in s for s in subjects), subjects
    assert str(files[0]) in out
    # the demo folder holds a working watchlist: status reads the demo's database
    code, out, _ = invoke("status", "--config", str(tmp_path / "d" / "watchlist.yaml"))
    assert code == 0 and "ceasefire" in out and "Feeds" in out
    # a second demo into the same folder is refused, clearly
    code, _, err = invoke("demo", "--dir", str(tmp_path / "d"), "--config", DEFAULT)
    assert code == 2 and "already holds a demo" in err


def test_run_once_status_and_explain(tmp_path: Path, feed_server: FeedServer) -> None:
    feed_server.add("/f.xml", rss([BREACH_ITEM, QUIET_ITEM]))
    config = str(write_watchlist(tmp_path, {"PK": feed_server.url("/f.xml")}))
    code, out, err = invoke("run", "--once", "--config", config)
    assert code == 0, err
    assert "2 new articles" in out
    code, out, _ = invoke("status", "--config", config)
    assert code == 0
    assert "Chaman" in out  # the latest evidence is quoted
    code, out, _ = invoke("explain", BREACH_ITEM["link"], "--config", config)
    assert code == 0 and "ceasefire" in out and "Chaman" in out
    code, out, _ = invoke("explain", "1", "--config", config)
    assert code == 0 and "ceasefire" in out
    code, _, err = invoke("explain", "12345", "--config", config)
    assert code == 2 and "no stored article" in err
    code, out, _ = invoke(
        "explain", "--text", "Pakistan beat Sri Lanka at cricket.", "--config", config
    )
    assert code == 0
    code, out, _ = invoke("digest", "--now", "--config", config)
    assert code == 0 and "digest queued" in out


def test_eval_contract(tmp_path: Path) -> None:
    corpus = tmp_path / "c.jsonl"
    items = [
        {
            "id": "a1",
            "title": BREACH_ITEM["title"],
            "text": BREACH_ITEM["description"],
            "url": BREACH_ITEM["link"],
            "source": "pk-news.example",
            "published": "2025-10-24T10:00:00Z",
            "labels": {"ceasefire": "breach"},
        },
        {
            "id": "a2",
            "title": QUIET_ITEM["title"],
            "text": QUIET_ITEM["description"],
            "url": QUIET_ITEM["link"],
            "source": "pk-news.example",
            "published": "2025-10-24T10:00:00Z",
            "labels": {},
        },
    ]
    corpus.write_text("".join(json.dumps(i) + "\n" for i in items), encoding="utf-8")
    out_file = tmp_path / "pred.jsonl"
    code, out, err = invoke(
        "eval", str(corpus), "--config", DEFAULT, "--predictions", str(out_file)
    )
    assert code == 0, err
    assert "breach" in out and "met" in out
    lines = [json.loads(x) for x in out_file.read_text(encoding="utf-8").splitlines()]
    assert len(lines) == 2 * 5  # article x commitment
    for p in lines:
        assert set(p) == {"id", "commitment", "label", "score", "evidence"}
        assert p["label"] in {"breach", "met", "related", "none"}
        assert 0.0 <= p["score"] <= 1.0
    [hit] = [p for p in lines if p["id"] == "a1" and p["commitment"] == "ceasefire"]
    assert hit["label"] == "breach" and "Chaman" in hit["evidence"]


@pytest.mark.parametrize("line", ["{not json", json.dumps({"id": "x"})])
def test_eval_bad_corpus_line_is_a_clear_error(tmp_path: Path, line: str) -> None:
    corpus = tmp_path / "bad.jsonl"
    corpus.write_text(line + "\n", encoding="utf-8")
    code, _, err = invoke("eval", str(corpus), "--config", DEFAULT)
    assert code == 2 and "line 1" in err


def test_bad_config_exit_code_2_without_traceback(tmp_path: Path) -> None:
    bad = tmp_path / "w.yaml"
    bad.write_text("feeds: {}\n", encoding="utf-8")
    for command in (["run", "--once"], ["status"], ["check"]):
        code, _, err = invoke(*command, "--config", str(bad))
        assert code == 2
        assert "feeds (line 1)" in err and "Traceback" not in err
    code, _, err = invoke("check", str(tmp_path / "missing.yaml"))
    assert code == 2 and "No such file" in err
