"""The status page in a real browser: Debian's Chromium, headless, through chromedriver.

Reads the overview, opens a commitment, signs in with the watchlist's token, rejects a
piece of evidence, and sees the status revert and the retracted alert in the outbox.  A
screenshot test fails on an empty or broken page.  Skips (with a message) where Chromium
is not installed; `.ci/run` installs it.
"""

from __future__ import annotations

import os
import shutil
import struct
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from monitor import pipeline
from monitor.clock import FakeClock
from monitor.models import Status
from tests.feedserver import FeedServer
from tests.helpers import BREACH_ITEM, QUIET_ITEM, rss, write_watchlist
from tests.webserver import TOKEN, serving

CHROMIUM = os.environ.get("MONITOR_CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("MONITOR_CHROMEDRIVER", "/usr/bin/chromedriver")


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[Any]:
    if not (Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()):
        if os.environ.get("CI"):
            pytest.fail(f"CI must have {CHROMIUM} and {CHROMEDRIVER} (.ci/run installs them)")
        pytest.skip(
            f"needs {CHROMIUM} and {CHROMEDRIVER}: apt-get install chromium chromium-driver"
        )
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    profile = tmp_path / "chromium-profile"
    for flag in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        "--window-size=1280,900",
        f"--user-data-dir={profile}",
    ):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(60)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture
def monitor_with_breach(
    tmp_path: Path,
    feed_server: FeedServer,
    sqlite_url: str,
    open_monitor: Callable[..., pipeline.Monitor],
    clock: FakeClock,
) -> pipeline.Monitor:
    feed_server.add("/pk.xml", rss([BREACH_ITEM, QUIET_ITEM]), content_type="application/rss+xml")
    path = write_watchlist(
        tmp_path,
        {"PK News": feed_server.url("/pk.xml")},
        database_url=sqlite_url,
        web={"token": TOKEN},
    )
    m = open_monitor(path, clock)
    pipeline.run_cycle(m)
    assert m.store.commitment_states()["ceasefire"].status is not Status.PENDING
    return m


def test_an_analyst_rejects_evidence_in_the_browser(
    browser: Any, monitor_with_breach: pipeline.Monitor
) -> None:
    from selenium.webdriver.common.by import By

    m = monitor_with_breach
    before = m.store.commitment_states()["ceasefire"].status
    with serving(m) as base:
        browser.get(base + "/")
        rows = browser.find_elements(By.CSS_SELECTOR, "#commitments tr[data-commitment]")
        assert [r.get_attribute("data-commitment") for r in rows] == [
            c.id for c in m.config.commitments
        ]
        row = browser.find_element(By.CSS_SELECTOR, 'tr[data-commitment="ceasefire"]')
        assert before.value.upper() in row.text
        row.find_element(By.LINK_TEXT, m.commitments["ceasefire"].title).click()
        _wait(browser, lambda d: d.find_element(By.ID, "evidence"))
        assert browser.current_url.endswith("/commitments/ceasefire")
        assert "Chaman" in browser.find_element(By.ID, "evidence").text
        # not signed in: no review buttons; sign in with the token
        assert not browser.find_elements(By.CSS_SELECTOR, "button[data-verdict]")
        browser.find_element(By.LINK_TEXT, "Sign in").click()
        _wait(browser, lambda d: d.find_element(By.ID, "name"))
        browser.find_element(By.ID, "name").send_keys("Dana Analyst")
        browser.find_element(By.ID, "token").send_keys(TOKEN)
        browser.find_element(By.ID, "signin").click()
        _wait(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "button[data-verdict]"))
        assert browser.current_url.endswith("/commitments/ceasefire")
        shots = os.environ.get("MONITOR_SCREENSHOTS")
        if shots:  # `MONITOR_SCREENSHOTS=docs pytest tests/test_browser.py` refreshes the README's
            Path(shots, "commitment-page.png").write_bytes(browser.get_screenshot_as_png())
        # reject the evidence: one click on "none" (the note is optional)
        evidence = browser.find_element(By.CSS_SELECTOR, "#evidence tr[data-article]")
        evidence.find_element(By.NAME, "note").send_keys("a clash before the Doha ceasefire")
        evidence.find_element(By.CSS_SELECTOR, 'button[data-verdict="none"]').click()
        _wait(browser, lambda d: d.find_element(By.ID, "flash"))
        assert "PENDING" in browser.find_element(By.ID, "status").text
        assert "marked none" in browser.find_element(By.ID, "flash").text
        assert "none by Dana Analyst" in browser.find_element(By.ID, "evidence").text
        history = browser.find_element(By.ID, "events").text
        assert "retracted by Dana Analyst" in history
        browser.find_element(By.LINK_TEXT, "Outbox").click()
        _wait(browser, lambda d: d.find_element(By.ID, "outbox"))
        subjects = [e.text for e in browser.find_elements(By.CSS_SELECTOR, "#outbox td.subject")]
        assert any(s.startswith("[monitor] RETRACTED") and "Dana Analyst" in s for s in subjects)
    assert m.store.commitment_states()["ceasefire"].status is Status.PENDING


def test_writing_is_refused_in_the_browser_without_the_token(
    browser: Any, monitor_with_breach: pipeline.Monitor
) -> None:
    from selenium.webdriver.common.by import By

    m = monitor_with_breach
    with serving(m) as base:
        browser.get(base + "/login")
        browser.find_element(By.ID, "name").send_keys("Eve")
        browser.find_element(By.ID, "token").send_keys("not-the-token")
        browser.find_element(By.ID, "signin").click()
        _wait(browser, lambda d: d.find_element(By.ID, "error"))
        assert "Wrong token" in browser.find_element(By.ID, "error").text
        browser.get(base + "/commitments/ceasefire")
        assert not browser.find_elements(By.CSS_SELECTOR, "button[data-verdict]")
    assert m.store.verdicts() == []


def _wait(browser: Any, condition: Callable[[Any], Any]) -> Any:
    """Wait for a page the last click loads (a click returns before the next page is in)."""
    from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(
        browser, 30, ignored_exceptions=(NoSuchElementException, StaleElementReferenceException)
    ).until(condition)


def _png_size_and_colours(png: bytes) -> tuple[int, int, int]:
    """Width, height and how many distinct colours the first rows hold (a blank page has
    one).  Decodes the 8-bit RGB(A) PNGs Chromium writes."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, chunks, idat = 8, {}, b""
    while pos < len(png):
        (length,) = struct.unpack(">I", png[pos : pos + 4])
        kind = png[pos + 4 : pos + 8]
        data = png[pos + 8 : pos + 8 + length]
        if kind == b"IDAT":
            idat += data
        else:
            chunks[kind] = data
        pos += 12 + length
    width, height, depth, colour_type = struct.unpack(">IIBB", chunks[b"IHDR"][:10])
    assert depth == 8 and colour_type in (2, 6)
    channels = 3 if colour_type == 2 else 4
    raw = zlib.decompress(idat)
    stride = width * channels
    colours: set[bytes] = set()
    prev = bytearray(stride)
    rows = min(height, 400)
    for y in range(rows):
        f = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)])
        for x in range(stride):
            a = line[x - channels] if x >= channels else 0
            b = prev[x]
            c = prev[x - channels] if x >= channels else 0
            if f == 1:
                line[x] = (line[x] + a) & 0xFF
            elif f == 2:
                line[x] = (line[x] + b) & 0xFF
            elif f == 3:
                line[x] = (line[x] + (a + b) // 2) & 0xFF
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pred = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
                line[x] = (line[x] + pred) & 0xFF
        for x in range(0, stride, channels * 7):
            colours.add(bytes(line[x : x + 3]))
        prev = line
    return width, height, len(colours)


def test_screenshot_of_the_overview_is_not_blank(
    browser: Any, monitor_with_breach: pipeline.Monitor, tmp_path: Path
) -> None:
    from selenium.webdriver.common.by import By

    m = monitor_with_breach
    browser.get("about:blank")
    assert _png_size_and_colours(browser.get_screenshot_as_png())[2] < 8  # the check can fail
    with serving(m) as base:
        browser.get(base + "/")
        titles = browser.find_element(By.ID, "commitments").text
        png = browser.get_screenshot_as_png()
    for c in m.config.commitments:
        assert c.title in titles
    width, height, colours = _png_size_and_colours(png)
    assert width >= 800 and height >= 600
    assert colours >= 8, "the page rendered blank (or nearly)"
    (tmp_path / "overview.png").write_bytes(png)
    shots = os.environ.get("MONITOR_SCREENSHOTS")
    if shots:
        Path(shots, "status-page.png").write_bytes(png)
