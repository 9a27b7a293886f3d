"""Search over the generated entries: accent-insensitive, in Material's search box in
headless Chromium, words split at punctuation, and one entry per company page."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from browser import serve
from site_helpers import build_site, make_project

from generator import pages
from generator.config import load_config
from generator.models import DayPage, Pick
from generator.site.derive import collect
from generator.site.search import company_entries, fold, folded_words


@pytest.fixture(scope="module")
def site_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("search-site")
    config_path = make_project(folder)
    # Its own accented companies, so the test does not hang on what the samples pick.
    picks = (
        _pick(1, "Ørsted Wind", "Platform Engineer (Grid/Kubernetes), Remote"),
        _pick(2, "Müller Systems", "Site Reliability Engineer"),
        _pick(3, "Škoda Auto Digilab", "Backend Engineer"),
    )
    day = DayPage(date=dt.date(2026, 11, 20), picks=picks)
    pages.write(day, load_config(config_path).picks_dir)
    build_site(config_path)
    with serve(folder / "site") as url:
        yield url


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
        ("Orsted", "/companies/orsted-wind/"),
        # Words are split at brackets, slashes and commas too, not only at spaces.
        ("Kubernetes", "/companies/orsted-wind/"),
        ("Grid", "/companies/orsted-wind/"),
    ],
)
def test_search_finds_the_company_page(driver: Any, site_url: str, query: str, page: str) -> None:
    """The company is found; by a word of a title, other companies with it may rank first
    ("Grid" is also in the sample company Juniper Grid's name)."""
    paths = _search(driver, site_url, query)
    if query in ("Kubernetes", "Grid"):
        assert page in paths, paths[:5]
    else:
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


def _pick(n: int, company: str, title: str) -> Pick:
    return Pick(
        id=f"p{n}",
        title=title,
        company=company,
        location="Berlin",
        url=f"https://jobs.example.com/{n}",
        score=80,
        reason="Fits.",
        summary="A job.",
        source="test",
    )


def test_company_entry_lists_each_title_once_then_the_folded_words() -> None:
    """Each title once, then only the words folding changes: repeating the whole text in
    folded form doubled what the browser indexes on every page load (issue 14)."""
    picks = (
        _pick(1, "Müller Systems", "Backend Engineer, Straße"),
        _pick(2, "Müller Systems", "Data Scientist"),
        _pick(3, "Plain Co", "QA Engineer"),
        _pick(4, "Plain Co", "Data Engineer"),
    )
    muller, plain = company_entries(collect([DayPage(date=dt.date(2026, 11, 2), picks=picks)]))
    assert muller.text == "Backend Engineer, Straße · Data Scientist Muller Strasse"
    assert plain.text == "QA Engineer · Data Engineer"


def test_folded_words() -> None:
    assert folded_words("Škoda", "iOS Engineer · Ørsted") == ["Skoda", "Orsted"]
    assert folded_words("Plain Co", "A · B") == []
