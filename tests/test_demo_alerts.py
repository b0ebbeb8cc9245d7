"""The demo sends no wrong alert: every alert's evidence agrees with the demo's own labels."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import Any

from monitor.config import load_config
from monitor.db import make_engine
from monitor.demo import run_demo
from monitor.store import Store

WATCHLIST = Path(__file__).resolve().parent.parent / "config" / "watchlist.yaml"
MANIFEST: dict[str, Any] = json.loads(
    (resources.files("monitor") / "data" / "demo" / "manifest.json").read_text(encoding="utf-8")
)


def _labels() -> dict[str, dict[str, str]]:
    """Article title -> commitment -> label (a missing commitment means none).

    Syndicated copies share a title and carry the same labels.
    """
    out: dict[str, dict[str, str]] = {}
    for feed in MANIFEST["feeds"]:
        for item in feed["items"]:
            labels = item.get("labels", {})
            assert out.setdefault(item["title"], labels) == labels, item["title"]
    return out


def test_every_demo_alert_is_right(tmp_path: Path) -> None:
    result = run_demo(tmp_path / "demo", str(WATCHLIST))
    assert result.alerts, "the demo sends alerts"
    config = load_config(str(result.config_file), env={})
    store = Store(make_engine(config.database_url))
    try:
        changes = store.events_between(None, datetime(2100, 1, 1, tzinfo=UTC))
        labels = _labels()
        wrong = []
        checked = 0
        for change in changes:
            for ev in store.evidence_by_ids(change.evidence_ids):
                truth = labels[ev.title].get(ev.commitment_id, "none")
                checked += 1
                if truth != ev.label.value:
                    wrong.append(f"{change.to_status} {ev.commitment_id}: {ev.title} ({truth})")
    finally:
        store.close()
    assert checked, "the alerts carry evidence"
    assert not wrong, "\n".join(wrong)
