"""``monitor demo``: one full cycle on sample feeds served from a local HTTP server.

The sample feeds (``monitor/data/demo/``, written for the project) are served on
127.0.0.1; the default commitments judge them into a fresh database and outbox
under the demo folder.  No network is needed.
"""

from __future__ import annotations

import email
import email.policy
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from monitor import pipeline
from monitor.clock import SystemClock
from monitor.config import load_config, parse_config
from monitor.db import make_engine, upgrade
from monitor.errors import InputError
from monitor.store import Store
from monitor.termsafe import command_line


def _manifest() -> dict[str, Any]:
    data = resources.files("monitor") / "data" / "demo" / "manifest.json"
    loaded: dict[str, Any] = json.loads(data.read_text(encoding="utf-8"))
    return loaded


@contextmanager
def serve_demo_feeds() -> Iterator[tuple[str, list[dict[str, Any]]]]:
    """Serve the sample feeds on 127.0.0.1 (a free port); yields the base URL and feeds."""
    manifest = _manifest()
    folder = resources.files("monitor") / "data" / "demo"
    routes = {
        f["path"]: ((folder / f["file"]).read_bytes(), f["content_type"]) for f in manifest["feeds"]
    }

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            route = routes.get(self.path)
            if route is None:
                self.send_error(404)
                return
            body, content_type = route
            self.send_response(200)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", manifest["feeds"]
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@dataclass
class DemoResult:
    directory: Path
    config_file: Path
    report: pipeline.CycleReport
    statuses: dict[str, str]
    alerts: list[tuple[Path, str]] = field(default_factory=list)  # (file, subject)

    def summary(self) -> str:
        r = self.report
        lines = [
            f"Demo in {self.directory}",
            f"  served {r.poll.polled} sample feeds locally; stored {r.poll.new_articles} "
            f"articles; judged {r.judged}",
            f"  {r.changes} status changes; {len(self.alerts)} alerts written",
            "",
            "Commitments:",
        ]
        lines += [f"  {cid:<18} {status}" for cid, status in self.statuses.items()]
        lines += ["", "Alert files (RFC 5322 .eml, open them in a mail client):"]
        lines += [f"  {path}\n      {subject}" for path, subject in self.alerts]
        lines += [
            "",
            f"Look closer:  {command_line('status', '--config', str(self.config_file))}",
            "              "
            + command_line("explain", "ARTICLE_ID", "--config", str(self.config_file)),
        ]
        return "\n".join(lines)


def run_demo(directory: Path, watchlist: str) -> DemoResult:
    """Run the demo into ``directory``: its own database, outbox and watchlist copy."""
    if not Path(watchlist).exists():
        raise InputError(
            watchlist,
            "the demo needs the default watchlist; run it from the "
            "project folder or pass --config FILE",
        )
    base = load_config(watchlist)
    directory = directory.resolve()
    if (directory / "monitor.db").exists():
        raise InputError(str(directory), "already holds a demo; give an empty or new folder")
    directory.mkdir(parents=True, exist_ok=True)
    with serve_demo_feeds() as (url, feeds):
        raw = base.file.model_dump(mode="json", exclude_none=True)
        raw["database"] = {"url": f"sqlite:///{directory / 'monitor.db'}"}
        raw["feeds"] = [{"name": f["name"], "url": url + f["path"]} for f in feeds]
        raw.setdefault("polling", {})["allow_private_addresses"] = True  # served on 127.0.0.1
        alerts = raw["alerts"]
        alerts.pop("smtp", None)
        alerts["outbox"] = {"enabled": True, "dir": str(directory / "outbox")}
        config_file = directory / "watchlist.yaml"
        text = yaml.safe_dump(raw, sort_keys=False, allow_unicode=True)
        config_file.write_text(
            "# Written by `monitor demo`: the default watchlist, pointed at the demo's\n"
            "# sample feeds (served only while the demo ran), database and outbox.\n" + text,
            encoding="utf-8",
        )
        config = parse_config(text, path=str(config_file), env={})
        upgrade(config.database_url)
        store = Store(make_engine(config.database_url))
        try:
            m = pipeline.Monitor(config, store, SystemClock())
            pipeline.sync(m)
            report = pipeline.run_cycle(m)
            states = m.store.commitment_states()
        finally:
            store.close()

    statuses = {cid: str(s.status) for cid, s in states.items()}
    result = DemoResult(directory, config_file, report, statuses)
    assert config.outbox_dir is not None
    for path in sorted(config.outbox_dir.glob("*.eml")):
        msg = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        result.alerts.append((path, str(msg["Subject"])))
    return result
