"""Search over the generated entries: accent-insensitive, in Material's search box in
headless Chromium, and few entries (one per company page, one per day page)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from browser import chromium, serve
from site_helpers import build_site, make_project

from generator.site.search import fold


@pytest.fixture(scope="module")
def site_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("search-site")
    build_site(make_project(folder))
    with serve(folder / "site") as url:
        yield url


@pytest.fixture(scope="module")
def driver() -> Iterator[Any]:
    with chromium() as browser:
        yield browser


def _search(driver: Any, site_url: str, query: str) -> list[str]:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    driver.get(site_url)
    wait = WebDriverWait(driver, 10, poll_frequency=0.05)
    box = wait.until(lambda d: d.find_element(By.CSS_SELECTOR, "input.md-search__input"))
    box.click()
    box.send_keys(query)
    links = wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, ".md-search-result__item a"))
    return [urlsplit(a.get_attribute("href")).path for a in links]


@pytest.mark.parametrize(
    ("query", "page"),
    [
        ("Muller", "/companies/muller-systems/"),
        ("Müller", "/companies/muller-systems/"),
        ("Skoda", "/companies/skoda-auto-digilab/"),
        ("Škoda", "/companies/skoda-auto-digilab/"),
    ],
)
def test_search_ignores_accents(driver: Any, site_url: str, query: str, page: str) -> None:
    paths = _search(driver, site_url, query)
    assert paths[0] == page, paths[:5]


def test_fold() -> None:
    assert fold("Škoda Müller Ørsted Straße") == "Skoda Muller Orsted Strasse"


def test_few_entries(tmp_path: Path) -> None:
    """The sample project: one entry per company page, not one per pick."""
    import json

    result = build_site(make_project(tmp_path, hostile=False))
    docs = json.loads((result.site_dir / "search/search_index.json").read_text())["docs"]
    generated = [d for d in docs if d["location"].startswith(("picks/", "companies/"))]
    assert len(generated) == result.companies
