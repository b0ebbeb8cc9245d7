"""The watchlist loader: valid files, every problem reported with its place, env vars."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from monitor.config import load_config, parse_config
from monitor.errors import ConfigError
from monitor.models import Kind

ROOT = Path(__file__).resolve().parent.parent
DEFAULT = ROOT / "config" / "watchlist.yaml"

MINIMAL = """\
feeds:
  - name: Local
    url: http://127.0.0.1:8000/feed.xml
commitments:
  - id: truce
    title: Truce holds
    statement: No shooting.
    said_by: A minister
    kind: ceasefire
    parties: [pakistan, afghanistan]
"""


def problems_of(text: str, env: dict[str, str] | None = None) -> list[str]:
    with pytest.raises(ConfigError) as info:
        parse_config(text, path="w.yaml", env=env or {})
    return [str(p) for p in info.value.problems]


def test_default_watchlist_holds_the_five_seed_commitments() -> None:
    config = load_config(str(DEFAULT), env={})
    ids = [c.id for c in config.commitments]
    assert ids == [
        "ceasefire",
        "istanbul-talks",
        "no-ttp-talks",
        "no-sanctuary",
        "inform-mediators",
    ]
    assert len(config.feeds) >= 8
    talks = config.commitments[1]
    assert talks.kind == Kind.TALKS
    assert talks.window_start_at == datetime(2025, 10, 25, tzinfo=UTC)
    assert talks.window_end_at == datetime(2025, 10, 28, tzinfo=UTC)  # end of the 27th
    ceasefire = config.commitments[0]
    assert ceasefire.effective_at == datetime(2025, 10, 19, tzinfo=UTC)
    assert all(c.said_by.startswith("Khawaja Muhammad Asif") for c in config.commitments)
    assert config.database_url == "sqlite:///var/monitor.db"
    assert config.outbox_dir == Path("var/outbox")


def test_environment_overrides_database_and_outbox() -> None:
    env = {"MONITOR_DATABASE_URL": "sqlite:////tmp/x.db", "MONITOR_OUTBOX_DIR": "/tmp/out"}
    config = parse_config(MINIMAL, env=env)
    assert config.database_url == "sqlite:////tmp/x.db"
    assert config.outbox_dir == Path("/tmp/out")


def test_env_var_expansion_and_missing_var() -> None:
    text = MINIMAL + textwrap.dedent("""\
        alerts:
          smtp:
            host: mail.example.org
            username: ${SMTP_USER}
            password: ${SMTP_PASSWORD}
            sender: monitor@example.org
            recipients: [desk@example.org]
        """)
    config = parse_config(text, env={"SMTP_USER": "u", "SMTP_PASSWORD": "s3cret"})
    smtp = config.file.alerts.smtp
    assert smtp is not None and smtp.username == "u"
    assert smtp.password is not None and smtp.password.get_secret_value() == "s3cret"
    assert "s3cret" not in repr(config.file)
    found = problems_of(text, env={"SMTP_USER": "u"})
    assert found == [
        "alerts.smtp.password (line 15): environment variable SMTP_PASSWORD is not set"
    ]


def test_every_problem_is_reported_at_once_with_path_and_line() -> None:
    text = textwrap.dedent("""\
        feeds:
          - name: A
            url: ftp://example.org/feed
          - name: A
            url: http://example.org/feed
            colour: blue
        commitments:
          - id: Not A Slug
            title: t
            statement: s
            said_by: me
            parties: [atlantis]
            window: {start: 2025-10-27, end: 2025-10-25}
            signals: {breach: [x]}
        digest:
          schedule: "61 7 * * *"
        """)
    found = problems_of(text)
    assert found == [
        "feeds[0].url (line 3): must be an http:// or https:// URL",
        "feeds[1].name (line 4): duplicate feed name 'A'",
        "feeds[1].colour (line 6): unknown key",
        "commitments[0].id (line 8): must be a lower-case id: letters, digits, '-' and '_', "
        "at most 64 characters",
        "commitments[0].parties[0] (line 12): unknown entity 'atlantis' (known: afghanistan, "
        "border, pakistan, qatar, ttp, turkey; define it under 'entities:')",
        "commitments[0].window (line 13): window end is before its start",
        found[6],
    ]
    assert found[6].startswith("digest (line 16): schedule '61 7 * * *' is not a 5-field cron")


def test_duplicate_keys_and_ids() -> None:
    text = MINIMAL + (
        "  - id: truce\n"
        "    title: Again\n"
        "    title: Twice\n"
        "    statement: s\n"
        "    said_by: me\n"
        "    kind: talks\n"
        "    parties: [pakistan]\n"
    )
    found = problems_of(text)
    assert "commitments[1].title (line 13): duplicate key" in found
    assert "commitments[1].id (line 11): duplicate commitment id 'truce'" in found


def test_a_feed_name_longer_than_its_column_is_refused() -> None:
    """feeds.name is 200 characters in the database: a longer one is a config problem, not
    a failure at the first sync (PostgreSQL would refuse it, SQLite would keep it)."""
    found = problems_of(MINIMAL.replace("name: Local", "name: " + "L" * 201))
    assert any(p.startswith("feeds[0].name (line 2)") and "200" in p for p in found), found
    config = parse_config(MINIMAL.replace("name: Local", "name: " + "L" * 200), env={})
    assert config.feeds[0].name == "L" * 200


def test_yaml_syntax_error_names_the_line() -> None:
    assert problems_of("feeds:\n  - name: [unclosed\n")[0].startswith("(YAML syntax) (line 3)")


def test_new_entity_with_aliases_is_usable() -> None:
    text = MINIMAL.replace("[pakistan, afghanistan]", "[pakistan, iran]") + textwrap.dedent("""\
        entities:
          iran: {name: Iran, aliases: [Iran, Iranian, Tehran]}
          ttp: {aliases: [TTP-affiliated]}
        """)
    config = parse_config(text, env={})
    assert config.entities["iran"].aliases == ("Iran", "Iranian", "Tehran")
    assert "TTP-affiliated" in config.entities["ttp"].aliases
    assert "Fitna al-Khawarij" in config.entities["ttp"].aliases


def test_check_command_exit_code_and_message(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("feeds:\n  - name: x\n    url: nope\n", encoding="utf-8")
    run = subprocess.run(
        [sys.executable, "-m", "monitor", "check", str(bad)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 2
    assert "feeds[0].url (line 3): must be an http:// or https:// URL" in run.stderr
    assert "Traceback" not in run.stderr
    good = subprocess.run(
        [sys.executable, "-m", "monitor", "check", str(DEFAULT)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert good.returncode == 0, good.stderr
    assert "5 commitments" in good.stdout


yaml_scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.text(max_size=20), st.floats(allow_nan=False)
)
yaml_values = st.recursive(
    yaml_scalars,
    lambda kids: (
        st.lists(kids, max_size=3) | st.dictionaries(st.text(max_size=8), kids, max_size=3)
    ),
    max_leaves=10,
)


@settings(max_examples=150, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from(
            [
                "feeds",
                "commitments",
                "alerts",
                "digest",
                "polling",
                "judging",
                "entities",
                "database",
                "bogus",
            ]
        ),
        yaml_values,
        max_size=4,
    )
)
def test_any_structure_gives_config_or_config_error(data: dict[str, object]) -> None:
    import yaml

    text = yaml.safe_dump(data)
    try:
        parse_config(text, env={})
    except ConfigError as e:
        assert e.problems
        assert all(p.where and p.message for p in e.problems)


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=200))
def test_any_text_gives_config_or_config_error(text: str) -> None:
    try:
        parse_config(text, env={})
    except ConfigError as e:
        assert e.problems
