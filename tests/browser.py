"""Headless Chromium (Debian's chromium + chromium-driver) driven by Selenium, offline."""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from local_server import LocalServer

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"


def require_browser() -> None:
    """Skip without a browser on a developer machine; CI sets JOBPICKS_REQUIRE_BROWSER=1."""
    if Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists():
        return
    message = "needs Debian's chromium and chromium-driver (apt-get install them)"
    if os.environ.get("JOBPICKS_REQUIRE_BROWSER") == "1":
        pytest.fail(message)
    pytest.skip(message)


@contextmanager
def serve(folder: Path) -> Iterator[str]:
    """Serve `folder` on 127.0.0.1 in a thread; yields the base URL."""

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass

    server = LocalServer(functools.partial(Quiet, directory=str(folder)))
    server.start()
    try:
        yield f"{server.origin}/"
    finally:
        server.stop()


@contextmanager
def chromium() -> Iterator[object]:
    require_browser()
    os.environ.setdefault("SE_OFFLINE", "true")  # never let Selenium Manager download
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="jobpicks-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-dev-shm-usage",
        f"--user-data-dir={profile}",
        "--window-size=1280,1000",
    ):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def by(css: str) -> tuple[str, str]:
    """A CSS selector for Selenium's find_element(s)."""
    from selenium.webdriver.common.by import By

    return (By.CSS_SELECTOR, css)


def wait(driver: Any, condition: Any, timeout: float = 10) -> Any:
    """Poll `condition(driver)` every 50 ms until it is truthy: no sleeps in the tests."""
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, timeout, poll_frequency=0.05).until(condition)


def visit(driver: Any, url: str) -> None:
    """Open `url` and return once its own document has loaded. On a loaded machine
    chromedriver's `get` twice returned with the previous page still there (0 cards found
    on a day page): the old document is marked first, and the wait is for a document
    without the mark. A URL that only changes the fragment keeps its document."""
    if urlsplit(driver.current_url)._replace(fragment="") == urlsplit(url)._replace(fragment=""):
        driver.get(url)
        return
    driver.execute_script("window.__jpLeaving = true;")
    driver.get(url)
    wait(
        driver,
        lambda d: d.execute_script(
            "return !window.__jpLeaving && document.readyState === 'complete';"
        ),
    )


def serious_violations(driver: Any) -> list[tuple[str, str, int]]:
    """axe-core's serious and critical findings on the page as it is now: (rule, impact,
    how many elements). Only the violations cross back: axe's passes list every node it
    checked, and serialising them to Python took half of each check."""
    from axe_selenium_python import Axe

    Axe(driver).inject()
    found = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {resultTypes: ['violations']}).then((r) => done("
        "r.violations.map((v) => [v.id, v.impact, v.nodes.length])));"
    )
    return [(rule, impact, count) for rule, impact, count in found if impact in _SERIOUS]


_SERIOUS = ("serious", "critical")
