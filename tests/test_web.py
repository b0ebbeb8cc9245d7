"""`monitor serve` over real HTTP: the page, the JSON API, /healthz, /metrics, and the
token and CSRF checks on writing."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner

from monitor import pipeline
from monitor.cli import main
from monitor.clock import FakeClock
from monitor.models import Status
from tests.feedserver import FeedServer
from tests.helpers import BREACH_ITEM, QUIET_ITEM, rss, write_watchlist
from tests.webserver import TOKEN, serving


@pytest.fixture
def site(
    tmp_path: Path,
    feed_server: FeedServer,
    database_url: str,
    open_monitor: Callable[..., pipeline.Monitor],
    clock: FakeClock,
) -> Iterator[tuple[httpx.Client, pipeline.Monitor]]:
    feed_server.add("/pk.xml", rss([BREACH_ITEM, QUIET_ITEM]), content_type="application/rss+xml")
    path = write_watchlist(
        tmp_path,
        {"PK News": feed_server.url("/pk.xml")},
        database_url=database_url,
        web={"token": TOKEN},
    )
    m = open_monitor(path, clock)
    pipeline.run_cycle(m)
    with serving(m) as base, httpx.Client(base_url=base, follow_redirects=False) as client:
        yield client, m


def _article(m: pipeline.Monitor) -> int:
    a = m.store.article_by_url(BREACH_ITEM["link"])
    assert a is not None
    return a.id


def _sign_in(client: httpx.Client) -> str:
    r = client.post("/login", data={"name": "Dana", "token": TOKEN})
    assert r.status_code == 303
    page = client.get("/commitments/ceasefire")
    found = re.search(r'name="csrf" value="([0-9a-f]+)"', page.text)
    assert found, "the signed-in page carries a CSRF token"
    return found.group(1)


def test_overview_and_commitment_page_show_status_and_evidence(
    site: tuple[httpx.Client, pipeline.Monitor],
) -> None:
    client, m = site
    r = client.get("/")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    for c in m.config.commitments:
        assert c.id in r.text
    assert "PK News" in r.text and "1 of 1 feeds healthy" in r.text
    status = m.store.commitment_states()["ceasefire"].status
    assert status.value.upper() in r.text
    page = client.get("/commitments/ceasefire")
    assert page.status_code == 200
    assert "Chaman" in page.text and BREACH_ITEM["link"] in page.text
    assert "csrf" not in page.text  # not signed in: no review forms
    assert client.get("/commitments/nope").status_code == 404
    assert client.get("/feeds").status_code == 200
    assert "ceasefire" in client.get("/outbox").text.lower()


def test_api_shapes_follow_the_contract(site: tuple[httpx.Client, pipeline.Monitor]) -> None:
    client, m = site
    listing = client.get("/api/commitments").json()
    assert [c["id"] for c in listing] == [c.id for c in m.config.commitments]
    assert {"id", "title", "status", "since"} <= set(listing[0])
    one = client.get("/api/commitments/ceasefire").json()
    assert one["status"] == m.store.commitment_states()["ceasefire"].status.value
    [e] = one["evidence"]
    assert {"article_id", "label", "score", "quote", "url", "source", "published"} <= set(e)
    assert e["verdict_by"] is None and e["url"] == BREACH_ITEM["link"]
    assert client.get("/api/commitments/nope").status_code == 404
    assert client.get("/api/feeds").json()[0]["name"] == "PK News"


def test_writing_is_refused_without_the_token_and_csrf(
    site: tuple[httpx.Client, pipeline.Monitor],
) -> None:
    client, m = site
    before = m.store.commitment_states()["ceasefire"].status
    form = {"article_id": str(_article(m)), "verdict": "none"}
    assert client.post("/commitments/ceasefire/review", data=form).status_code == 403
    assert client.post("/login", data={"name": "Eve", "token": "guess"}).status_code == 403
    csrf = _sign_in(client)
    # signed in, but a form without the page's CSRF token (another site's form) is refused
    assert client.post("/commitments/ceasefire/review", data=form).status_code == 403
    bad = {**form, "csrf": "0" * 64}
    assert client.post("/commitments/ceasefire/review", data=bad).status_code == 403
    # a forged session cookie is refused too
    forged = httpx.Client(base_url=str(client.base_url))
    forged.cookies.set("monitor_session", "9999999999:Eve:" + "0" * 64)
    assert (
        forged.post("/commitments/ceasefire/review", data={**form, "csrf": csrf}).status_code == 403
    )
    forged.close()
    api = client.post(
        "/api/commitments/ceasefire/verdicts", json={"article_id": _article(m), "verdict": "none"}
    )
    assert api.status_code == 403
    assert m.store.commitment_states()["ceasefire"].status is before
    assert m.store.verdicts() == []


def test_a_signed_in_person_reverts_a_status_from_the_page(
    site: tuple[httpx.Client, pipeline.Monitor],
) -> None:
    client, m = site
    csrf = _sign_in(client)
    r = client.post(
        "/commitments/ceasefire/review",
        data={"article_id": str(_article(m)), "verdict": "none", "csrf": csrf, "note": "old"},
    )
    assert r.status_code == 303
    assert m.store.commitment_states()["ceasefire"].status is Status.PENDING
    page = client.get(r.headers["location"])
    assert "PENDING" in page.text and "by Dana" in page.text
    outbox = client.get("/outbox").text
    assert "RETRACTED" in outbox
    api = client.get("/api/commitments/ceasefire").json()
    assert api["status"] == "pending" and api["evidence"][0]["verdict_by"] == "Dana"


def test_the_api_takes_a_bearer_token(site: tuple[httpx.Client, pipeline.Monitor]) -> None:
    client, m = site
    r = client.post(
        "/api/commitments/ceasefire/verdicts",
        json={"article_id": _article(m), "verdict": "none", "by": "bot"},
        headers={"Authorization": f"Bearer {TOKEN}"},
    )
    assert r.status_code == 200, r.text
    assert r.json()["retracted"] is True
    bad = client.post(
        "/api/commitments/ceasefire/verdicts",
        json={"article_id": "x", "verdict": "none"},
        headers={"Authorization": f"Bearer {TOKEN}"},
    )
    assert bad.status_code == 400


def test_healthz_needs_a_recent_cycle(
    site: tuple[httpx.Client, pipeline.Monitor], clock: FakeClock
) -> None:
    client, _m = site
    r = client.get("/healthz")
    assert r.status_code == 200 and r.json()["ok"] is True
    clock.advance(31 * 60)  # web.stale_after_minutes is 30
    r = client.get("/healthz")
    assert r.status_code == 503 and "no cycle since" in r.json()["problem"]


def test_healthz_fails_before_any_cycle(
    tmp_path: Path, open_monitor: Callable[..., pipeline.Monitor], clock: FakeClock
) -> None:
    path = write_watchlist(tmp_path, {"X": "http://127.0.0.1:9/x.xml"})
    with serving(open_monitor(path, clock)) as base:
        r = httpx.get(f"{base}/healthz")
    assert r.status_code == 503 and "no poll" in r.json()["problem"]


def test_metrics_are_prometheus_text(site: tuple[httpx.Client, pipeline.Monitor]) -> None:
    from prometheus_client.parser import text_string_to_metric_families

    client, m = site
    r = client.get("/metrics")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/plain")
    families = {f.name: f for f in text_string_to_metric_families(r.text)}
    samples = {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for f in families.values()
        for s in f.samples
    }
    assert samples[("monitor_articles", ())] == 2
    assert samples[("monitor_feeds", (("health", "ok"),))] == 1
    status = m.store.commitment_states()["ceasefire"].status.value
    assert samples[("monitor_commitments", (("status", status),))] >= 1
    queued = [v for (name, labels), v in samples.items() if name == "monitor_outbox_messages"]
    assert sum(queued) == m.store.counts()["outbox"] >= 1
    assert samples[("monitor_last_poll_age_seconds", ())] == 0
    assert samples[("monitor_cycles_total", ())] == 1
    assert samples[("monitor_last_cycle_duration_seconds", ())] >= 0


def test_serve_refuses_a_public_address_unless_configured(tmp_path: Path) -> None:
    path = write_watchlist(tmp_path, {"X": "http://127.0.0.1:9/x.xml"})
    r = CliRunner().invoke(main, ["serve", "--listen", "0.0.0.0:0", "--config", str(path)])
    assert r.exit_code == 2 and "web.listen" in r.output
    r = CliRunner().invoke(main, ["serve", "--listen", "nonsense", "--config", str(path)])
    assert r.exit_code == 2 and "HOST:PORT" in r.output


def test_the_page_load_bench_runs(tmp_path: Path) -> None:
    import subprocess
    import sys

    out = subprocess.run(
        [sys.executable, "-m", "monitor.webbench", "--articles", "600", "--commitments", "5",
         "--requests", "1", "--database", f"sqlite:///{tmp_path / 'b.db'}"],
        capture_output=True, text=True, timeout=300, check=True,
    )  # fmt: skip
    assert "generated 600 articles" in out.stdout
    assert out.stdout.count("median") == 8


def test_monitor_serve_serves_until_stopped(
    tmp_path: Path, open_monitor: Callable[..., pipeline.Monitor], clock: FakeClock
) -> None:
    import signal
    import socket
    import subprocess
    import sys
    import time

    path = write_watchlist(tmp_path, {"X": "http://127.0.0.1:9/x.xml"})
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen(
        [sys.executable, "-m", "monitor.cli", "serve", "--listen", f"127.0.0.1:{port}",
         "--config", str(path)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                r = httpx.get(f"http://127.0.0.1:{port}/api/commitments", timeout=5)
                break
            except httpx.TransportError:
                assert proc.poll() is None, proc.communicate()
                assert time.monotonic() < deadline, "monitor serve did not answer"
                time.sleep(0.2)
        assert r.status_code == 200 and r.json()[0]["id"] == "ceasefire"
    finally:
        proc.send_signal(signal.SIGINT)
        out, _err = proc.communicate(timeout=60)
    assert f"serving on http://127.0.0.1:{port}/" in out


def test_acknowledge_from_the_page_needs_the_session_and_csrf(
    site: tuple[httpx.Client, pipeline.Monitor],
) -> None:
    client, m = site
    assert client.post("/commitments/ceasefire/ack", data={}).status_code == 403
    csrf = _sign_in(client)
    assert client.post("/commitments/ceasefire/ack", data={"csrf": "f" * 64}).status_code == 403
    assert m.store.acknowledgements() == {}
    r = client.post("/commitments/ceasefire/ack", data={"csrf": csrf})
    assert r.status_code == 303
    ack = m.store.acknowledgements()["ceasefire"]
    assert ack.by == "Dana" and ack.status is m.store.commitment_states()["ceasefire"].status
    assert "acknowledged by Dana" in client.get("/").text
    assert client.get("/api/commitments").json()[0]["acknowledged_by"] == "Dana"


def test_overview_counts_articles_the_judge_could_not_read(
    tmp_path: Path,
    feed_server: FeedServer,
    open_monitor: Callable[..., pipeline.Monitor],
    clock: FakeClock,
) -> None:
    french = {
        "guid": "fr-1",
        "link": "https://journal.example/khost",
        "title": "Frappes pakistanaises dans la province de Khost",
        "description": (
            "Les forces pakistanaises ont bombardé la province de Khost dans la nuit, selon "
            "les autorités afghanes, qui dénoncent une violation du cessez-le-feu."
        ),
    }
    feed_server.add("/pk.xml", rss([BREACH_ITEM, french]), content_type="application/rss+xml")
    m = open_monitor(write_watchlist(tmp_path, {"PK": feed_server.url("/pk.xml")}), clock)
    pipeline.run_cycle(m)
    with serving(m) as base, httpx.Client(base_url=base) as client:
        page = client.get("/").text
    assert 'id="not-judged"' in page and "fr 1" in page


def test_the_server_stops_once_whenever_stop_is_called(
    tmp_path: Path, open_monitor: Callable[..., pipeline.Monitor], clock: FakeClock
) -> None:
    import threading

    from monitor import web

    m = open_monitor(write_watchlist(tmp_path, {"X": "http://127.0.0.1:9/x.xml"}), clock)
    early = web.make_server(m, "127.0.0.1", 0)
    early.stop()  # before it runs: run() then returns at once, closing what it opened
    early.run()
    server = web.make_server(m, "127.0.0.1", 0)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.effective_port}"
    with httpx.Client(base_url=base) as client:  # a kept-alive connection is open at stop
        assert client.get("/api/commitments").status_code == 200
        server.stop()
        thread.join(timeout=10)
        assert not thread.is_alive()
    server.stop()  # again, after the pipe is closed: nothing is written anywhere
    for port in (early.effective_port, server.effective_port):
        with pytest.raises(httpx.ConnectError):
            httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=5)
