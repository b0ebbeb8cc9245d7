"""Property-based: a broken watchlist always gives ConfigError naming the place, never a crash.

Each example takes the default watchlist and breaks one thing: a wrong type, an unknown
key, a duplicate id, an impossible date, a bad URL, or broken YAML syntax.
"""

from __future__ import annotations

import copy
from datetime import date
from pathlib import Path
from typing import Any

import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from monitor.cli import main
from monitor.config import _path_str, parse_config
from monitor.errors import ConfigError

DEFAULT = Path(__file__).resolve().parent.parent / "config" / "watchlist.yaml"
RAW: dict[str, Any] = yaml.safe_load(DEFAULT.read_text(encoding="utf-8"))


def leaves(data: Any, parts: tuple[str | int, ...] = ()) -> list[tuple[tuple[str | int, ...], Any]]:
    if isinstance(data, dict):
        return [leaf for k, v in data.items() for leaf in leaves(v, (*parts, k))]
    if isinstance(data, list) and data and not all(isinstance(x, str) for x in data):
        return [leaf for i, v in enumerate(data) for leaf in leaves(v, (*parts, i))]
    return [(parts, data)]


LEAVES = [leaf for leaf in leaves(RAW) if leaf[0][-1] not in ("exclude",)]
MAPPINGS = [p for p, _ in leaves(RAW)]


def wrong_value(value: Any) -> Any:
    if isinstance(value, bool):
        return "perhaps"
    if isinstance(value, int | float):
        return "not a number"
    if isinstance(value, date):
        return "the day after tomorrow"
    if isinstance(value, list):
        return {"not": "a list"}
    return {"not": ["a", "string"]}


def put(data: dict[str, Any], parts: tuple[str | int, ...], value: Any) -> None:
    target: Any = data
    for p in parts[:-1]:
        target = target[p]
    target[parts[-1]] = value


def problems_for(text: str) -> list[Any]:
    try:
        parse_config(text, path="w.yaml", env={})
    except ConfigError as e:
        assert e.problems
        return e.problems
    raise AssertionError("a broken watchlist was accepted")


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(LEAVES))
def test_wrong_type_is_reported_at_its_path(leaf: tuple[tuple[str | int, ...], Any]) -> None:
    parts, value = leaf
    data = copy.deepcopy(RAW)
    put(data, parts, wrong_value(value))
    problems = problems_for(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))
    where = _path_str(parts)
    assert any(p.where.startswith(where) or where.startswith(p.where) for p in problems), (
        where,
        problems,
    )
    assert all(p.line for p in problems if p.where != "(top level)")


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(MAPPINGS), st.from_regex(r"[a-z]{3,10}", fullmatch=True))
def test_unknown_key_is_reported(parts: tuple[str | int, ...], key: str) -> None:
    data = copy.deepcopy(RAW)
    target: Any = data
    for p in parts[:-1]:
        target = target[p]
    if not isinstance(target, dict) or key in target:
        return
    target[key] = 1
    problems = problems_for(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))
    assert any(
        p.where == _path_str((*parts[:-1], key)) and p.message == "unknown key" for p in problems
    ), problems


@settings(max_examples=40, deadline=None)
@given(
    st.integers(0, 4),
    st.sampled_from(["2025-02-30", "2025-13-01", "2025-00-10"]),
    st.sampled_from(["effective", "said_at", "deadline"]),
)
def test_impossible_dates(index: int, bad: str, key: str) -> None:
    text = yaml.safe_dump(RAW, sort_keys=False, allow_unicode=True)
    data = copy.deepcopy(RAW)
    data["commitments"][index][key] = "PLACEHOLDER"
    text = (
        yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
        .replace("'PLACEHOLDER'", bad)
        .replace("PLACEHOLDER", bad)
    )
    problems = problems_for(text)
    assert any(p.where == f"commitments[{index}].{key}" for p in problems), problems


@settings(max_examples=40, deadline=None)
@given(
    st.integers(0, 4),
    st.text(min_size=1, max_size=30).filter(
        lambda s: not s.strip().startswith(("http://", "https://"))
    ),
)
def test_bad_feed_urls(index: int, url: str) -> None:
    data = copy.deepcopy(RAW)
    data["feeds"][index]["url"] = url
    problems = problems_for(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))
    assert any(p.where == f"feeds[{index}].url" for p in problems), problems


@given(st.integers(1, 4))
@settings(max_examples=10, deadline=None)
def test_duplicate_commitment_ids(index: int) -> None:
    data = copy.deepcopy(RAW)
    data["commitments"][index]["id"] = data["commitments"][0]["id"]
    problems = problems_for(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))
    assert any(
        p.where == f"commitments[{index}].id" and "duplicate" in p.message for p in problems
    ), problems


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 2000), st.sampled_from([":", "- ", "[", "{", "'", '"', "\t", "&", "*x"]))
def test_broken_yaml_syntax_never_crashes(position: int, junk: str) -> None:
    text = DEFAULT.read_text(encoding="utf-8")
    position = min(position, len(text))
    broken = text[:position] + junk + text[position:]
    try:
        parse_config(broken, path="w.yaml", env={})
    except ConfigError as e:
        assert e.problems


def test_cli_gives_exit_2_and_no_traceback(tmp_path: Path) -> None:
    data = copy.deepcopy(RAW)
    data["feeds"][0]["url"] = "not a url"
    data["commitments"][1]["id"] = "ceasefire"
    data["digest"]["timezone"] = "Mars/Olympus"
    bad = tmp_path / "w.yaml"
    bad.write_text(
        yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
        + "polling: {max_concurrency: lots}\n",
        encoding="utf-8",
    )
    for args in (["check", str(bad)], ["run", "--once", "--config", str(bad)]):
        result = CliRunner().invoke(main, args)
        assert result.exit_code == 2
        assert "Traceback" not in result.output
        for where in ("feeds[0].url", "commitments[1].id", "digest.timezone"):
            assert where in result.output, result.output
