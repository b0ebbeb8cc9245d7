"""Kinds are data: the shipped kind files load, and a watchlist adds or extends a kind."""

from __future__ import annotations

import ast
from datetime import UTC, datetime
from pathlib import Path

import pytest

from monitor.config import parse_config
from monitor.errors import ConfigError
from monitor.judge import Matcher
from monitor.judge.data import SHIPPED, KindDataError, extend, load
from monitor.models import Kind, Label

AT = datetime(2025, 11, 12, 9, tzinfo=UTC)
JUDGE = Path(__file__).resolve().parent.parent / "monitor" / "judge"

ELECTION = """
commitments:
  - id: vote
    title: The vote takes place on 9 November
    statement: The referendum will be held on 9 November.
    kind: {kind}
    said_by: The electoral commission
    parties: [pakistan]
    topics: [referendum]
{extra}
"""


def _verdict(cfg_text: str, title: str, text: str = "") -> Label:
    cfg = parse_config(cfg_text, env={})
    matcher = Matcher(cfg.commitments, cfg.entities)
    return matcher.judge(title, text, AT)[0].label


def test_every_built_in_kind_has_a_data_file() -> None:
    for kind in Kind:
        assert kind.value in SHIPPED.kinds
        assert SHIPPED.kinds[kind.value].like == kind.value
    # A pair's "$name" cue was spliced in from the named list.
    ceasefire = SHIPPED.kinds["ceasefire"]
    assert any(set(SHIPPED.lists["ceasefire_nouns"]) <= set(p.first) for p in ceasefire.pairs)


def test_no_conflict_words_in_the_judge_code() -> None:
    """Names of conflicts live in data files, never in the engine's string literals.

    Docstrings may use them as examples.
    """
    words = {"pakistan", "afghan", "taliban", "ttp", "istanbul", "doha", "kabul", "gaza"}
    for path in JUDGE.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docs = {
            id(n.body[0].value)
            for n in ast.walk(tree)
            if isinstance(n, ast.Module | ast.ClassDef | ast.FunctionDef)
            and n.body
            and isinstance(n.body[0], ast.Expr)
        }
        for node in ast.walk(tree):
            if id(node) in docs:
                continue
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                found = {w for w in words if w in node.value.lower().split()}
                assert not found, f"{path.name}: {node.value!r}"


def test_a_new_kind_written_in_the_watchlist_judges_without_code() -> None:
    extra = """kinds:
  vote:
    topics: [referendum, polls]
    breach: [postponed the referendum, "vote was postponed"]
    met: ["polls opened", "voting began"]
"""
    cfg = ELECTION.format(kind="vote", extra=extra)
    assert _verdict(cfg, "Polls opened across Pakistan for the referendum") is Label.MET
    assert _verdict(cfg, "Pakistan postponed the referendum until spring") is Label.BREACH
    # Without the kind's words the same sentence is not evidence.
    plain = ELECTION.format(kind="other", extra="") + "    signals: {breach: [cancelled]}\n"
    assert _verdict(plain, "Polls opened across Pakistan for the referendum") is not Label.MET


def test_the_watchlist_extends_a_shipped_kind() -> None:
    base = ELECTION.format(kind="talks", extra="")
    title = "Pakistan talks on the referendum were shelved indefinitely"
    assert _verdict(base, title) is not Label.BREACH
    extended = base + "kinds:\n  talks:\n    breach: [shelved indefinitely]\n"
    assert _verdict(extended, title) is Label.BREACH
    # The shipped vocabulary is not changed for other watchlists.
    assert "shelved indefinitely" not in SHIPPED.kinds["talks"].breach


def test_kinds_dir_is_read_relative_to_the_watchlist(tmp_path: Path) -> None:
    (tmp_path / "kinds").mkdir()
    (tmp_path / "kinds" / "vote.yaml").write_text(
        "topics: [referendum]\nmet: [polls opened]\n", encoding="utf-8"
    )
    text = ELECTION.format(kind="vote", extra="kinds_dir: kinds")
    watchlist = tmp_path / "watchlist.yaml"
    watchlist.write_text(text, encoding="utf-8")
    from monitor.config import load_config

    cfg = load_config(str(watchlist), env={})
    v = Matcher(cfg.commitments, cfg.entities).judge("Polls opened in Pakistan", "", AT)[0]
    assert v.label is Label.MET
    assert cfg.commitments[0].kind is Kind.OTHER


@pytest.mark.parametrize(
    ("kind", "extra", "message"),
    [
        ("vote", "", "unknown kind 'vote'"),
        ("vote", "kinds:\n  vote: {like: nonsense}", "'like: nonsense' is not a known kind"),
        ("vote", "kinds:\n  vote: {breach: [$nolist]}", "no list named 'nolist'"),
        ("vote", "kinds:\n  vote: {signals: [x]}", "unknown key(s) signals"),
        ("ceasefire", "kinds:\n  ceasefire: {like: talks}", "cannot change"),
        ("vote", "kinds_dir: no-such-folder", "no folder"),
    ],
)
def test_bad_kinds_are_clear_config_errors(kind: str, extra: str, message: str) -> None:
    with pytest.raises(ConfigError) as e:
        parse_config(ELECTION.format(kind=kind, extra=extra), env={})
    assert message in str(e.value)


def test_extend_does_not_touch_the_shipped_knowledge() -> None:
    k = load()
    extend(k, "ceasefire", {"met": ["rifles were laid down"]}, "test")
    assert "rifles were laid down" in k.kinds["ceasefire"].met
    assert "rifles were laid down" not in SHIPPED.kinds["ceasefire"].met
    with pytest.raises(KindDataError):
        extend(k, "x", {"pairs": [{"label": "maybe", "window": 2}]}, "test")
