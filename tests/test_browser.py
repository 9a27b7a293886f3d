"""The built site in headless Chromium: search, company pages, explore, safety, a11y."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest
from browser import chromium, serve
from site_helpers import HOSTILE_TITLE, build_site, make_project


@pytest.fixture(scope="module")
def site_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("browser-site")
    build_site(make_project(folder))
    with serve(folder / "site") as url:
        yield url


@pytest.fixture(scope="module")
def driver() -> Iterator[Any]:
    with chromium() as browser:
        yield browser


def _wait(driver: Any, condition: Any, timeout: float = 10) -> Any:
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, timeout, poll_frequency=0.05).until(condition)


def _by(css: str) -> tuple[str, str]:
    from selenium.webdriver.common.by import By

    return (By.CSS_SELECTOR, css)


def test_searching_a_company_reaches_its_page_listing_every_date(
    driver: Any, site_url: str
) -> None:
    driver.get(site_url)
    box = _wait(driver, lambda d: d.find_element(*_by("input.md-search__input")))
    box.click()
    box.send_keys("TikTok")
    first = _wait(driver, lambda d: d.find_elements(*_by(".md-search-result__item a")))
    hrefs = [a.get_attribute("href") for a in first]
    paths = [
        urlsplit(h).path + (f"#{urlsplit(h).fragment}" if urlsplit(h).fragment else "")
        for h in hrefs
    ]
    assert paths[0] == "/companies/tiktok/", paths[:5]
    driver.get(hrefs[0])
    text = _wait(driver, lambda d: d.find_element(*_by("article")).text)
    for day in ("2026-01-02", "2026-01-03", "2026-02-09"):
        assert day in text


def test_searching_a_job_title_finds_the_pick(driver: Any, site_url: str) -> None:
    driver.get(site_url)
    box = _wait(driver, lambda d: d.find_element(*_by("input.md-search__input")))
    box.click()
    box.send_keys("Inference Infrastructure")
    results = _wait(driver, lambda d: d.find_elements(*_by(".md-search-result__item a")))
    # The company page that lists the title, and from it every pick with its day.
    hrefs = [urlsplit(a.get_attribute("href")).path for a in results]
    (posted_by,) = [c for c in hrefs if c.startswith("/companies/")][:1]
    driver.get(site_url + posted_by.lstrip("/"))
    row = _wait(driver, lambda d: d.find_element(*_by("article")).text)
    assert "Inference Infrastructure" in row and "2026-02-09" in row


def test_explore_filters_and_sorts_rows(driver: Any, site_url: str) -> None:
    driver.get(site_url + "explore/")
    _wait(driver, lambda d: d.find_element(*_by("#jp-status")).text.startswith("100 picks"))
    assert len(driver.find_elements(*_by("#jp-table tbody tr"))) == 100
    driver.find_element(*_by("#jp-company")).send_keys("tiktok")
    _wait(driver, lambda d: d.find_element(*_by("#jp-status")).text != "100 picks")
    rows = driver.find_elements(*_by("#jp-table tbody tr"))
    assert 0 < len(rows) < 100
    assert all("tiktok" in r.find_elements(*_by("td"))[1].text.lower() for r in rows)
    driver.find_element(*_by('#jp-table th button[data-key="4"]')).click()
    scores = [
        int(r.find_elements(*_by("td"))[4].text)
        for r in driver.find_elements(*_by("#jp-table tbody tr"))
    ]
    assert scores == sorted(scores, reverse=True)
    driver.find_element(*_by('#jp-table th button[data-key="4"]')).click()
    scores = [
        int(r.find_elements(*_by("td"))[4].text)
        for r in driver.find_elements(*_by("#jp-table tbody tr"))
    ]
    assert scores == sorted(scores)


@pytest.mark.parametrize("path", ["picks/2026/2026-11-21/", "explore/", ""])
def test_hostile_title_shows_as_text_and_runs_nothing(
    driver: Any, site_url: str, path: str
) -> None:
    driver.get(site_url + path)
    if path == "explore/":
        _wait(driver, lambda d: "picks" in d.find_element(*_by("#jp-status")).text)
        driver.find_element(*_by("#jp-text")).send_keys("pwned")
        _wait(driver, lambda d: d.find_element(*_by("#jp-status")).text.startswith("1 pick"))
    body = driver.find_element(*_by("body")).text
    if path != "":
        assert "<script>window.__pwned=1</script>" in body
    assert driver.execute_script("return window.__pwned === undefined")
    assert HOSTILE_TITLE.startswith("<script>")


def test_hostile_names_in_search_results_are_text(driver: Any, site_url: str) -> None:
    """The generator writes search entries itself; results render them as HTML, so a
    company or title made of markup must arrive escaped."""
    driver.get(site_url)
    box = _wait(driver, lambda d: d.find_element(*_by("input.md-search__input")))
    box.click()
    box.send_keys("Evil")
    items = _wait(driver, lambda d: d.find_elements(*_by(".md-search-result__item")))
    text = " ".join(item.text for item in items)
    assert "Evil & Co <b>" in text and "window.__pwned=1" in text
    assert not driver.find_elements(*_by(".md-search-result__item img, .md-search-result b"))
    assert driver.execute_script("return window.__pwned === undefined")


@pytest.mark.parametrize("path", ["", "picks/2026/2026-01-02/", "companies/tiktok/", "explore/"])
def test_no_serious_accessibility_violations(driver: Any, site_url: str, path: str) -> None:
    from axe_selenium_python import Axe

    driver.get(site_url + path)
    if path == "explore/":
        _wait(driver, lambda d: "picks" in d.find_element(*_by("#jp-status")).text)
    axe = Axe(driver)
    axe.inject()
    results = axe.run()
    serious = [
        (v["id"], v["impact"], len(v["nodes"]))
        for v in results["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == [], serious
