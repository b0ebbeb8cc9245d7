"""Every sample of the shared peer-feeds folder through the real fetch-and-store path.

The folder (feedparser's own sample corpus, defusedxml's XML attacks, hostile RSS
samples with a manifest, real captures of news feeds) is served by the local feed
server as its README describes, and polled by ``pipeline.poll`` in batches into real
SQLite files.  Nothing may crash or hang the poll, no request may reach the
``/xxe-probe/`` URLs, and no entry that plain feedparser finds in a well-formed sample
may be lost, apart from what the project drops by documented policy (entries with no
title, text, link or id; repeats of an identity within a feed; beyond 500 entries).

The folder is outside test material that users do not have: the test runs when
``$MONITOR_PEER_FEEDS`` names it (``.ci/run`` sets it when the folder is on the machine)
and is skipped with a message otherwise.
"""

from __future__ import annotations

import codecs
import html
import io
import json
import os
import re
import sys
import time
import tracemalloc
import zlib
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import feedparser  # type: ignore[import-untyped, unused-ignore]
import pytest
from sqlalchemy import select

from monitor import pipeline
from monitor.clock import FakeClock
from monitor.config import load_config
from monitor.db import ArticleKeyRow, FeedRow, make_engine, upgrade
from monitor.errors import ParseError
from monitor.parse import parse_feed
from monitor.store import Store, entry_keys
from tests.feedserver import FeedServer
from tests.helpers import write_watchlist

PEER = Path(os.environ.get("MONITOR_PEER_FEEDS") or "/nonexistent/peer-feeds")
BATCH = 300
HANG_SECONDS = 30.0  # one feed's parse and store, traced by tracemalloc (about 5x slower)
POLLING = {
    "max_concurrency": 8,
    "per_host": 16,
    "connect_timeout_seconds": 5,
    "read_timeout_seconds": 10,
    "deadline_seconds": 20,
    "max_bytes": 5_000_000,
}
PROBE = "/xxe-probe/"
SKIP = re.compile(r"^(LICENSE.*|NOTICE.*|COPYING.*|.*\.md|manifest\.json)$", re.IGNORECASE)
HEADER = re.compile(rb"^Header:\s+([^:]+):(.+)$", re.MULTILINE)
# The attack samples that must be rejected with a recorded error (bodies no client can use).
REJECTED = {"gzip_bomb_256MiB.xml.gz", "gzip_truncated.xml.gz", "gzip_claimed_not_gzip.xml"}
MAX_ENTRIES = 500


@dataclass
class Sample:
    rel: str  # path under the peer-feeds folder
    path: str  # URL path on the server
    body: bytes  # as served
    status: int = 200
    content_type: str | None = "text/xml"
    headers: dict[str, str] = field(default_factory=dict)
    redirect_to: str | None = None
    decoded: bytes | None = None  # the body after Content-Encoding, as the client sees it

    @property
    def wellformed(self) -> bool:
        return self.rel.startswith(("feedparser/tests/wellformed/", "real-world/"))

    @property
    def attack(self) -> bool:
        return self.rel.startswith("attacks/")


def _comment_text(raw: bytes) -> bytes:
    """The sample's leading comment is only readable after decoding UTF-16/32 files."""
    for bom, enc in (
        (codecs.BOM_UTF32_BE, "utf-32be"),
        (codecs.BOM_UTF32_LE, "utf-32le"),
        (codecs.BOM_UTF16_BE, "utf-16be"),
        (codecs.BOM_UTF16_LE, "utf-16le"),
    ):
        if raw.startswith(bom):
            return raw[len(bom) :].decode(enc, "replace").encode()
    for sig, enc in (
        (b"\x00\x00\x00<", "utf-32be"),
        (b"<\x00\x00\x00", "utf-32le"),
        (b"\x00<\x00?", "utf-16be"),
        (b"<\x00?\x00", "utf-16le"),
    ):
        if raw.startswith(sig):
            return raw.decode(enc, "replace").encode()
    return raw


def _decode(raw: bytes, coding: str) -> bytes | None:
    """What a client makes of a compressed body; None if it cannot be used."""
    for wbits in (31,) if coding == "gzip" else (15, -15):
        d = zlib.decompressobj(wbits)
        try:
            out = d.decompress(raw, 5_000_001)
        except zlib.error:
            continue
        return out if d.eof and len(out) <= 5_000_000 else None
    return None


def _samples(server: FeedServer) -> list[Sample]:
    here = f"127.0.0.1:{server.port}"

    def local(value: str) -> str:
        return value.replace("localhost:8097", here).replace("127.0.0.1:8097", here)

    manifest = {m["file"]: m for m in json.loads((PEER / "attacks" / "manifest.json").read_text())}
    out: list[Sample] = []
    for file in sorted(PEER.rglob("*")):
        rel = file.relative_to(PEER).as_posix()
        if not file.is_file() or SKIP.match(file.name) or rel.startswith("tools/"):
            continue
        raw = file.read_bytes()
        if rel.startswith("feedparser/"):
            s = Sample(rel, "/" + rel.removeprefix("feedparser/"), raw)
            if rel.startswith("feedparser/tests/compression/"):
                coding = "gzip" if rel.endswith("gz") else "deflate"
                s.headers["Content-Encoding"] = coding
                s.content_type = "application/xml"
                s.decoded = _decode(raw, coding)
            else:
                for name_b, value_b in HEADER.findall(_comment_text(raw)):
                    name, value = name_b.decode().strip(), local(value_b.decode().strip())
                    if name.lower() == "content-type":
                        s.content_type = value
                    elif name.lower() == "status":
                        s.status = int(value)
                    elif name.lower() == "location":
                        s.redirect_to = value
                    else:
                        s.headers[name] = value
                if s.status == 304:
                    s.body = b""
        elif rel.startswith("attacks/"):
            body = local(raw.decode("latin-1")).encode("latin-1") if b"8097" in raw else raw
            s = Sample(rel, "/" + rel, body)
            for name, value in manifest[file.name]["serve_headers"].items():
                if name.lower() == "content-type":
                    s.content_type = value
                else:
                    s.headers[name] = value
            if "Content-Encoding" in s.headers:
                s.decoded = _decode(body, s.headers["Content-Encoding"])
        elif rel.startswith("defusedxml/"):
            body = raw.replace(b"/PATH/TO/xmltestdata/", str(file.parent).encode() + b"/")
            s = Sample(rel, "/" + rel, body, content_type="application/rss+xml")
        else:
            s = Sample(rel, "/" + rel, raw, content_type="application/rss+xml")
        if s.decoded is None and "Content-Encoding" not in s.headers:
            s.decoded = s.body
        out.append(s)
    return out


def _serve(server: FeedServer, s: Sample) -> None:
    server.add(
        s.path,
        s.body,
        status=s.status,
        content_type=s.content_type,
        headers=s.headers,
        redirect_to=s.redirect_to,
    )


# --- the oracle: plain feedparser, and the project's documented policy -------------------

_TAGS = re.compile(r"<[^>]*>")


def _plain(value: Any) -> str:
    return html.unescape(_TAGS.sub(" ", value)).strip() if isinstance(value, str) else ""


def _expected(body: bytes, headers: dict[str, str]) -> tuple[int, int]:
    """(entries feedparser finds, entries the project drops by policy)."""
    d = feedparser.parse(io.BytesIO(body), response_headers=headers)
    entries = d.get("entries") or []
    seen: set[object] = set()
    dropped = 0
    kept = 0
    for e in entries:
        content = " ".join(_plain(c.get("value")) for c in e.get("content") or ())
        texts = (_plain(e.get("title")), _plain(e.get("summary")), content.strip())
        link = e.get("link") if isinstance(e.get("link"), str) else ""
        guid = _plain(e.get("id"))
        identity: object = guid or link or texts
        if not (any(texts) or link or guid) or identity in seen or kept >= MAX_ENTRIES:
            dropped += 1
            continue
        seen.add(identity)
        kept += 1
    return len(entries), dropped


# --- running a batch -------------------------------------------------------------------


@dataclass
class Totals:
    served: int = 0
    crashes: list[str] = field(default_factory=list)
    hangs: list[str] = field(default_factory=list)
    lost: dict[str, int] = field(default_factory=dict)
    policy_dropped: int = 0
    fp_entries: int = 0
    stored_entries: int = 0
    errors: Counter[str] = field(default_factory=Counter)
    worst_peak: tuple[int, str] = (0, "")
    slowest: tuple[float, str] = (0.0, "")
    attacks_checked: int = 0
    attack_failures: list[str] = field(default_factory=list)


def _run_batch(
    batch: list[Sample],
    n: int,
    server: FeedServer,
    tmp_path: Path,
    totals: Totals,
    clock: FakeClock,
) -> None:
    folder = tmp_path / f"batch{n}"
    folder.mkdir()
    names = {f"s{i:04d}": s for i, s in enumerate(batch)}
    path = write_watchlist(
        folder,
        {name: server.url(s.path) for name, s in names.items()},
        outbox=False,
        polling=POLLING,
    )
    config = load_config(str(path), env={})
    upgrade(config.database_url)
    store = Store(make_engine(config.database_url))
    try:
        start_at = clock.now()
        gaps: list[tuple[float, int]] = []
        last = [time.monotonic()]

        def progress(_: str) -> None:
            now = time.monotonic()
            gaps.append((now - last[0], tracemalloc.get_traced_memory()[1]))
            tracemalloc.reset_peak()
            last[0] = now
            clock.advance(1)  # feed k is stored at start_at + k - 1 seconds

        m = pipeline.Monitor(config, store, clock, progress=progress)
        pipeline.sync(m)
        tracemalloc.start()
        try:
            report = pipeline.poll(m)
        except Exception as e:  # a crash of the whole poll: the samples of this batch
            totals.crashes.append(f"batch {n}: {type(e).__name__}: {e}")
            return
        finally:
            tracemalloc.stop()
        totals.served += report.polled
        if report.polled != len(batch):
            totals.hangs.append(f"batch {n}: polled {report.polled} of {len(batch)}")

        with store.transaction() as s:
            rows = {r.name: r for r in s.scalars(select(FeedRow))}
            keys = set(s.scalars(select(ArticleKeyRow.key)))
        for name, sample in names.items():
            row = rows[name]
            if row.last_polled_at is None:
                totals.hangs.append(f"{sample.rel}: never polled")
                continue
            k = round((row.last_polled_at - start_at).total_seconds())
            took, peak = gaps[k] if k < len(gaps) else (0.0, 0)
            if took > HANG_SECONDS:
                totals.hangs.append(f"{sample.rel}: {took:.1f}s")
            totals.slowest = max(totals.slowest, (took, sample.rel))
            totals.worst_peak = max(totals.worst_peak, (peak, sample.rel))
            if row.error_count:
                totals.errors[sample.rel.split("/")[0]] += 1
            _check_sample(sample, row, keys, totals)
    finally:
        store.close()
    for db_file in folder.glob("monitor.db*"):
        if b"root:x:0:0" in db_file.read_bytes():
            totals.attack_failures.append(f"batch {n}: /etc/passwd contents stored")


def _served_headers(sample: Sample) -> dict[str, str]:
    out = {k.lower(): v for k, v in sample.headers.items()}
    if sample.content_type:
        out["content-type"] = sample.content_type
    out.pop("content-encoding", None)
    return out


def _check_sample(sample: Sample, row: FeedRow, keys: set[str], totals: Totals) -> None:
    if sample.attack and sample.rel.removeprefix("attacks/") in REJECTED:
        totals.attacks_checked += 1
        if not row.error_count or not row.last_error:
            totals.attack_failures.append(f"{sample.rel}: not rejected with an error")
        return
    if not (sample.wellformed or sample.attack) or sample.decoded is None:
        return
    headers = _served_headers(sample)
    try:
        parsed = parse_feed(sample.decoded, url=row.url, headers=headers).entries
    except ParseError:
        parsed = ()
    missing = [e for e in parsed if entry_keys(row.id, e)[0] not in keys]
    if sample.attack:
        totals.attacks_checked += 1
        got = {e.guid for e in parsed if entry_keys(row.id, e)[0] in keys}
        if not {"control-1", "control-2"} <= got:
            totals.attack_failures.append(f"{sample.rel}: control items lost ({row.last_error})")
        return
    found, dropped = _expected(sample.decoded, headers)
    totals.fp_entries += found
    totals.policy_dropped += dropped
    totals.stored_entries += len(parsed) - len(missing)
    lost = max(0, found - dropped - len(parsed)) + len(missing)
    if lost:
        totals.lost[sample.rel] = lost


@pytest.fixture
def peer_server() -> Iterator[FeedServer]:
    with FeedServer() as srv:
        srv.add("/-/return-304.xml", status=304)
        yield srv


@pytest.mark.skipif(
    not PEER.is_dir(),
    reason="the peer-feeds folder is not here: set MONITOR_PEER_FEEDS to its path to run this test",
)
def test_every_peer_sample_through_poll(
    peer_server: FeedServer,
    tmp_path: Path,
    clock: FakeClock,
    capsys: pytest.CaptureFixture[str],
) -> None:
    started = time.monotonic()
    samples = _samples(peer_server)
    for s in samples:
        _serve(peer_server, s)
    totals = Totals()
    for n, i in enumerate(range(0, len(samples), BATCH)):
        _run_batch(samples[i : i + BATCH], n, peer_server, tmp_path, totals, clock)
    probes = [r.path for r in peer_server.requests if r.path.startswith(PROBE)]

    lost = sum(totals.lost.values())
    summary = (
        f"peer-feeds: {totals.served} of {len(samples)} samples served, "
        f"{len(totals.crashes)} crashes, {len(totals.hangs)} hangs, {lost} entries lost "
        f"({totals.fp_entries} found by feedparser in well-formed samples, "
        f"{totals.policy_dropped} dropped by policy, {totals.stored_entries} stored), "
        f"{len(probes)} probe requests, {totals.attacks_checked} attack samples checked, "
        f"feeds with errors {dict(totals.errors)}, "
        f"worst peak memory {totals.worst_peak[0] / 1e6:.1f} MB ({totals.worst_peak[1]}), "
        f"slowest {totals.slowest[0]:.2f}s ({totals.slowest[1]}), "
        f"{time.monotonic() - started:.0f}s in all"
    )
    lines = [
        summary,
        *(f"  lost {n}: {rel}" for rel, n in sorted(totals.lost.items())),
        *(f"  {x}" for x in totals.crashes + totals.hangs + totals.attack_failures),
    ]
    with capsys.disabled():
        sys.stdout.write("\n" + "\n".join(lines) + "\n")
    assert totals.served == len(samples)
    assert totals.crashes == [] and totals.hangs == []
    assert probes == []
    assert totals.attack_failures == []
    assert totals.lost == {}
