"""Values that would only fail at run time (an infinite duration, a missing CA file, a
deadline whose end overflows) are refused by `monitor check` and at start: exit 2, a
message naming the place, never a traceback."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from monitor.cli import main
from monitor.config import parse_config
from monitor.errors import ConfigError

ROOT = Path(__file__).resolve().parent.parent
RAW: dict[str, Any] = yaml.safe_load((ROOT / "config" / "watchlist.yaml").read_text("utf-8"))


def _with(tmp_path: Path, edit: str) -> str:
    """The default watchlist with a local database, then ``edit`` applied (YAML merged
    into a section)."""
    raw = yaml.safe_load(yaml.safe_dump(RAW))
    raw["database"] = {"url": f"sqlite:///{tmp_path / 'm.db'}"}
    raw["feeds"] = []
    raw["alerts"] = {"outbox": {"dir": str(tmp_path / "out")}}
    text = yaml.safe_dump(raw, sort_keys=False, allow_unicode=True)
    return text + edit


BAD = {
    "silent_after_hours .inf": ("polling:\n  silent_after_hours: .inf\n", "polling"),
    "silent_after_hours .nan": ("polling:\n  silent_after_hours: .nan\n", "polling"),
    "silent_after_hours huge": ("polling:\n  silent_after_hours: 1.0e+300\n", "polling"),
    "interval .inf": ("polling:\n  interval_minutes: .inf\n", "polling"),
    "judging nan": ("judging:\n  met_score: .nan\n", "judging"),
}


@pytest.mark.parametrize("name", sorted(BAD))
def test_infinite_or_huge_numbers_are_refused(tmp_path: Path, name: str) -> None:
    edit, section = BAD[name]
    raw = yaml.safe_load(_with(tmp_path, ""))
    raw.pop(section, None)
    text = yaml.safe_dump(raw, sort_keys=False) + edit
    with pytest.raises(ConfigError) as e:
        parse_config(text, env={})
    assert any(p.where.startswith(section) for p in e.value.problems), str(e.value)


def _commitment_edit(tmp_path: Path, **fields: Any) -> str:
    raw = yaml.safe_load(_with(tmp_path, ""))
    raw["commitments"][1].pop("window", None)
    raw["commitments"][1].update(fields)
    return yaml.safe_dump(raw, sort_keys=False)


@pytest.mark.parametrize(
    "fields",
    [
        {"deadline": "9999-12-31"},
        {"deadline": "0001-01-01"},
        {"effective": "9999-12-31"},
        {"said_at": "0001-01-01"},
        {"window": {"start": "2025-10-25", "end": "9999-12-31"}},
    ],
)
def test_dates_that_overflow_are_refused(tmp_path: Path, fields: dict[str, Any]) -> None:
    text = _commitment_edit(tmp_path, **fields)
    with pytest.raises(ConfigError) as e:
        parse_config(text, env={})
    assert "between 1900-01-01 and 2999-12-31" in str(e.value)
    assert any(p.where.startswith("commitments[1].") for p in e.value.problems)


def test_a_far_but_valid_deadline_is_accepted(tmp_path: Path) -> None:
    config = parse_config(_commitment_edit(tmp_path, deadline="2999-12-31"), env={})
    assert config.commitments[1].deadline_at is not None


def test_missing_or_broken_ca_file_is_refused(tmp_path: Path) -> None:
    smtp = (
        "  smtp:\n    host: localhost\n    sender: a@b.example\n"
        "    recipients: [c@d.example]\n    ca_file: {ca}\n"
    )
    raw = yaml.safe_load(_with(tmp_path, ""))
    base = yaml.safe_dump(raw, sort_keys=False).replace("alerts:\n", "alerts:\n" + smtp, 1)
    with pytest.raises(ConfigError) as e:
        parse_config(base.format(ca=tmp_path / "nope.pem"), env={})
    assert "does not exist" in str(e.value) and "alerts.smtp.ca_file" in str(e.value)
    junk = tmp_path / "junk.pem"
    junk.write_text("not a certificate\n", encoding="utf-8")
    with pytest.raises(ConfigError) as e:
        parse_config(base.format(ca=junk), env={})
    assert "not a PEM certificate bundle" in str(e.value)


@pytest.mark.parametrize("url", ["nonsense", "mysql://u@h/db", "postgresql://u@h:99999/db"])
def test_unusable_database_url_is_refused(tmp_path: Path, url: str) -> None:
    raw = yaml.safe_load(_with(tmp_path, ""))
    raw["database"] = {"url": url}
    text = yaml.safe_dump(raw, sort_keys=False)
    with pytest.raises(ConfigError) as e:
        parse_config(text, env={})
    assert "database.url" in str(e.value)
    good = _with(tmp_path, "")
    with pytest.raises(ConfigError) as e:
        parse_config(good, env={"MONITOR_DATABASE_URL": url})
    assert "$MONITOR_DATABASE_URL" in str(e.value)


def test_check_and_run_refuse_with_exit_2(tmp_path: Path) -> None:
    raw = yaml.safe_load(_with(tmp_path, ""))
    raw["polling"] = {"silent_after_hours": float("inf")}
    raw["commitments"][1]["deadline"] = "9999-12-31"
    raw["commitments"][1].pop("window", None)
    path = tmp_path / "w.yaml"
    path.write_text(yaml.safe_dump(raw, sort_keys=False), encoding="utf-8")
    for command in (["check"], ["run", "--once"], ["status"], ["digest", "--now"]):
        result = CliRunner().invoke(main, [*command, "--config", str(path)])
        assert result.exit_code == 2, (command, result.output, result.exception)
        assert "silent_after_hours" in result.stderr and "deadline" in result.stderr
        assert "Traceback" not in result.stderr
    assert not (tmp_path / "m.db").exists()  # refused before the database was touched


def test_outbox_dir_that_is_a_file_is_refused(tmp_path: Path) -> None:
    (tmp_path / "out").write_text("not a folder", encoding="utf-8")
    with pytest.raises(ConfigError) as e:
        parse_config(_with(tmp_path, ""), env={})
    assert "alerts.outbox.dir" in str(e.value) and "is a file" in str(e.value)
