"""Every command-line argument and corpus line error is exit 2 with a message, never a
traceback: named hostile inputs, then a Hypothesis property over arguments."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner, Result
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from monitor.cli import main

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def config(tmp_path_factory: pytest.TempPathFactory) -> str:
    d = tmp_path_factory.mktemp("args")
    raw = yaml.safe_load((ROOT / "config" / "watchlist.yaml").read_text("utf-8"))
    raw["database"] = {"url": f"sqlite:///{d / 'm.db'}"}
    raw["feeds"] = []
    raw["alerts"] = {"outbox": {"dir": str(d / "out")}}
    path = d / "w.yaml"
    path.write_text(yaml.safe_dump(raw, sort_keys=False), encoding="utf-8")
    return str(path)


def invoke(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def assert_clean(result: Result, codes: tuple[int, ...] = (2,)) -> None:
    """Exited on purpose (no exception escaped) with one of ``codes``."""
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    assert result.exit_code in codes, (result.exit_code, result.output)
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    "article",
    [
        "²",
        "١٢٣",  # Arabic-Indic digits
        str(10**25),
        "9" * 5000,
        "http://example.com:99999/x",
        "http://[::1",
        "http://",
        "ftp://example.com/x",
        "\x1b]0;title\x07",
    ],
)
def test_explain_bad_article_is_exit_2(config: str, article: str) -> None:
    result = invoke("explain", article, "--config", config)
    assert_clean(result)
    assert "bad input" in result.stderr
    assert "\x1b" not in result.stderr and len(result.stderr) < 500


@pytest.mark.parametrize("when", ["9999-12-31T23:00:00-14:00", "0001-01-01", "yesterday"])
def test_explain_bad_published_is_exit_2(config: str, when: str) -> None:
    result = invoke("explain", "--text", "x", "--published", when, "--config", config)
    assert_clean(result)


def _line(**fields: object) -> str:
    item = {"id": "a", "title": "t", "text": "Pakistan ceasefire", "labels": {}}
    item.update(fields)
    return json.dumps(item)


@pytest.mark.parametrize(
    ("line", "says"),
    [
        ('{"id": "a", "deep": ' + "[" * 100_000 + "]" * 100_000 + "}", "nested too deeply"),
        ('{"id": ' + "9" * 5000 + ', "title": "t", "labels": {}}', "too many digits"),
        (_line(published="9999-12-31T23:59:59Z"), "not between"),
        (_line(published="0001-01-01T00:00:00+14:00"), "line 1"),
        (_line(published="2025-13-45"), "line 1"),
    ],
)
def test_eval_bad_corpus_is_exit_2(tmp_path: Path, config: str, line: str, says: str) -> None:
    corpus = tmp_path / "c.jsonl"
    corpus.write_text(line + "\n", encoding="utf-8")
    result = invoke("eval", str(corpus), "--config", config)
    assert_clean(result)
    assert says in result.stderr


@pytest.mark.parametrize("tick", ["-5", "0", "0.05", "inf", "-inf", "nan", "1e9", "ten"])
def test_run_refuses_a_bad_tick(config: str, tick: str) -> None:
    result = invoke("run", "--tick", tick, "--config", config)
    assert_clean(result)
    assert "--tick" in result.stderr


def test_bench_refuses_huge_counts(config: str) -> None:
    assert_clean(invoke("bench", "--articles", str(10**12), "--config", config))


_TEXT = st.text(st.characters(codec="utf-8"), max_size=30)
_NUMBERS = st.one_of(
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    _TEXT,
)
_URLS = st.builds(
    lambda host, port, path: f"http://{host}{port}/{path}",
    st.sampled_from(["127.0.0.1", "[::1", "[::1]", "localhost", "", "0.0.0.0", "[fe80::1]"]),
    st.one_of(st.just(""), st.integers(-10, 10**6).map(lambda p: f":{p}"), _TEXT.map(":{}".format)),
    _TEXT,
)
_ARGS = st.one_of(
    st.tuples(st.just("explain"), st.one_of(_NUMBERS, _URLS)),
    st.tuples(st.just("explain"), st.just("--text"), _TEXT, st.just("--published"), _NUMBERS),
    # --once: a valid tick runs one cycle (no feeds) rather than the daemon
    st.tuples(st.just("run"), st.just("--once"), st.just("--tick"), _NUMBERS),
    st.tuples(st.sampled_from(["status", "check", "digest"]), _TEXT),
)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(_ARGS)
@example(("check", "\x00"))
@example(("run", "--once", "--tick", "nan"))
def test_any_arguments_exit_0_1_or_2_without_traceback(config: str, args: tuple[str, ...]) -> None:
    result = invoke(*args, "--config", config)
    assert_clean(result, (0, 1, 2))


_JSON_VALUES = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(min_value=-(10**40), max_value=10**40),
        st.floats(),
        _TEXT,
        st.sampled_from(["9999-12-31T23:59:59Z", "0001-01-01T00:00:00+14:00", "2025-10-24"]),
    ),
    lambda kids: st.lists(kids, max_size=3) | st.dictionaries(_TEXT, kids, max_size=3),
    max_leaves=8,
)
_CORPUS_LINES = st.one_of(
    _TEXT,
    st.fixed_dictionaries(
        {},
        optional={
            "id": _JSON_VALUES,
            "title": _JSON_VALUES,
            "text": _JSON_VALUES,
            "published": _JSON_VALUES,
            "labels": _JSON_VALUES,
        },
    ).map(lambda d: json.dumps(d, default=str)),
)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(st.lists(_CORPUS_LINES, min_size=1, max_size=3))
def test_any_corpus_exits_0_or_2_without_traceback(
    tmp_path: Path, config: str, lines: list[str]
) -> None:
    corpus = tmp_path / "c.jsonl"
    corpus.write_text("\n".join(line.replace("\n", " ") for line in lines) + "\n", "utf-8")
    assert_clean(invoke("eval", str(corpus), "--config", config), (0, 2))
