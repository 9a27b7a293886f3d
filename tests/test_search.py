"""Search over the generated entries: accent-insensitive, in Material's search box in
headless Chromium, words split at punctuation, one entry per company page, and a link under
the results that searches every pick's text in Explore."""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from browser import serve, visit
from once import made_once
from site_helpers import build_site, make_project

from generator import pages
from generator.config import load_config
from generator.models import DayPage, Pick
from generator.site.derive import collect
from generator.site.search import company_entries, fold, folded_words, title_entries


@pytest.fixture(scope="module")
def site_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    def make(folder: Path) -> None:
        config_path = make_project(folder)
        # Its own accented companies, so the test does not hang on what the samples pick.
        picks = (
            _pick(1, "Ørsted Wind", "Platform Engineer (Grid), Remote", "Grid work in Quarkwave."),
            _pick(2, "Müller Systems", "Krakenscript Developer"),
            _pick(3, "Škoda Auto Digilab", "Backend Engineer"),
            _pick(4, "Zebrafin (Nordics), Ltd", "Data Engineer"),
        )
        day = DayPage(date=dt.date(2026, 11, 20), picks=picks)
        pages.write(day, load_config(config_path).picks_dir)
        build_site(config_path)

    folder = made_once(tmp_path_factory, "search-site", make)
    with serve(folder / "site") as url:
        yield url


def _type(driver: Any, site_url: str, query: str) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    visit(driver, site_url)
    wait = WebDriverWait(driver, 10, poll_frequency=0.05)
    box = wait.until(lambda d: d.find_element(By.CSS_SELECTOR, "input.md-search__input"))
    box.click()
    box.send_keys(query)


def _top_result(driver: Any, site_url: str, query: str, expected: str) -> str:
    """The top result's path once it is `expected`, or the last seen after 10 s. Results
    show as the query is typed, letter by letter, so the first ones can be for "Sk"."""
    from selenium.common.exceptions import StaleElementReferenceException, TimeoutException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    _type(driver, site_url, query)
    seen = [""]

    def top(d: Any) -> bool:
        try:
            links = d.find_elements(By.CSS_SELECTOR, ".md-search-result__item a")
            seen[0] = urlsplit(links[0].get_attribute("href")).path if links else ""
        except StaleElementReferenceException:
            return False
        return seen[0] == expected

    with contextlib.suppress(TimeoutException):
        WebDriverWait(driver, 10, poll_frequency=0.05).until(top)
    return seen[0]


@pytest.mark.parametrize(
    ("query", "page"),
    [
        ("Muller", "/companies/muller-systems/"),
        ("Müller", "/companies/muller-systems/"),
        ("Skoda", "/companies/skoda-auto-digilab/"),
        ("Škoda", "/companies/skoda-auto-digilab/"),
        ("Orsted", "/companies/orsted-wind/"),
        # Words are split at brackets and commas too, not only at spaces.
        ("Nordics", "/companies/zebrafin-nordics-ltd/"),
        ("Ltd", "/companies/zebrafin-nordics-ltd/"),
    ],
)
def test_search_finds_the_company_page(driver: Any, site_url: str, query: str, page: str) -> None:
    assert _top_result(driver, site_url, query, page) == page


def test_a_job_title_is_found_in_the_box_and_opens_explore(driver: Any, site_url: str) -> None:
    """Issue 25: "Python Developer" answered "No matching documents". A title's words find
    its entry, which opens Explore on the picks with them."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    path = "/explore/"
    assert _top_result(driver, site_url, "krakenscript", path) == path
    item = driver.find_element(By.CSS_SELECTOR, ".md-search-result__item a")
    assert "Krakenscript Developer" in item.text and "1 pick, last 20 Nov 2026" in item.text
    query = parse_qs(urlsplit(item.get_attribute("href")).query)
    assert (query["text"], query["year"]) == (["Krakenscript Developer"], ["all"])
    item.click()
    rows = WebDriverWait(driver, 10, poll_frequency=0.05).until(
        lambda d: (
            [r.text for r in d.find_elements(By.CSS_SELECTOR, "#jp-table tbody tr") if r.text]
            or None
        )
    )
    assert len(rows) == 1 and "Müller Systems" in rows[0], rows


def test_a_summary_word_is_found_through_the_link_to_explore(driver: Any, site_url: str) -> None:
    """The postings' summaries are searched in Explore: under the box's results a link
    searches every pick's title and summary there, across all years, and finds the pick."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    _type(driver, site_url, "Quarkwave")
    wait = WebDriverWait(driver, 10, poll_frequency=0.05)
    link = wait.until(lambda d: d.find_element(By.CSS_SELECTOR, ".jp-search-explore a"))
    wait.until(lambda d: link.is_displayed())
    assert "\u201cQuarkwave\u201d" in link.text
    href = urlsplit(link.get_attribute("href"))
    assert (href.path, href.query) == ("/explore/", "text=Quarkwave&year=all")
    link.click()
    wait.until(lambda d: d.find_element(By.ID, "jp-text").get_attribute("value") == "Quarkwave")
    rows = wait.until(
        lambda d: (
            [r.text for r in d.find_elements(By.CSS_SELECTOR, "#jp-table tbody tr") if r.text]
            or None
        )
    )
    assert len(rows) == 1 and "Ørsted Wind" in rows[0], rows


def test_enter_opens_the_company_found(driver: Any, site_url: str) -> None:
    """Material's own Enter still opens its first result: the link to Explore sits outside
    the results it reads (inside, it broke Material's keyboard handling)."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import WebDriverWait

    path = "/companies/skoda-auto-digilab/"
    assert _top_result(driver, site_url, "Skoda", path) == path
    driver.find_element(By.CSS_SELECTOR, "input.md-search__input").send_keys(Keys.ENTER)
    WebDriverWait(driver, 10, poll_frequency=0.05).until(
        lambda d: urlsplit(d.current_url).path == path
    )


def test_enter_with_no_company_found_searches_every_pick(driver: Any, site_url: str) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import WebDriverWait

    _type(driver, site_url, "Quarkwave")
    box = driver.find_element(By.CSS_SELECTOR, "input.md-search__input")
    assert box.get_attribute("placeholder") == "Search jobs and companies"
    wait = WebDriverWait(driver, 10, poll_frequency=0.05)
    link = wait.until(lambda d: d.find_element(By.CSS_SELECTOR, ".jp-search-explore--alone a"))
    assert link.text.startswith("Press Enter to search \u201cQuarkwave\u201d")
    box.send_keys(Keys.ENTER)
    wait.until(lambda d: urlsplit(d.current_url).path == "/explore/")
    assert urlsplit(driver.current_url).query == "text=Quarkwave&year=all"


def test_the_link_to_explore_hides_with_an_empty_query(driver: Any, site_url: str) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import WebDriverWait

    _type(driver, site_url, "ab")
    box = driver.find_element(By.CSS_SELECTOR, "input.md-search__input")
    wait = WebDriverWait(driver, 10, poll_frequency=0.05)
    para = driver.find_element(By.CSS_SELECTOR, ".jp-search-explore")
    wait.until(lambda d: para.is_displayed())
    box.send_keys(Keys.BACKSPACE, Keys.BACKSPACE)
    wait.until(lambda d: not para.is_displayed())


def test_fold() -> None:
    assert fold("Škoda Müller Ørsted Straße") == "Skoda Muller Orsted Strasse"


def test_few_entries(tmp_path: Path) -> None:
    """The sample project: one entry per company page and per distinct title, not one per
    pick."""
    import json

    result = build_site(make_project(tmp_path, hostile=False))
    docs = json.loads((result.site_dir / "search/search_index.json").read_text())["docs"]
    companies = [d for d in docs if d["location"].startswith(("picks/", "companies/"))]
    assert len(companies) == result.companies
    titles = [d for d in docs if d["location"].startswith("explore/?")]
    picks = pages.read_all(load_config(tmp_path / "jobpicks.yml").picks_dir)
    distinct = {fold(p.display_title).casefold() for d in picks for p in d.picks}
    assert len(titles) == len(distinct) < sum(len(d.picks) for d in picks)


def _pick(n: int, company: str, title: str, summary: str = "A job.") -> Pick:
    return Pick(
        id=f"p{n}",
        title=title,
        company=company,
        location="Berlin",
        url=f"https://jobs.example.com/{n}",
        score=80,
        reason="Fits.",
        summary=summary,
        source="test",
    )


def test_company_entry_is_the_name_then_its_folded_words() -> None:
    """The name alone, plus the words folding changes: each word in the index delays the
    first result on every page load (issue 14); titles are searched in Explore."""
    picks = (
        _pick(1, "Müller Straße Systems", "Backend Engineer, Köln"),
        _pick(2, "Müller Straße Systems", "Data Scientist"),
        _pick(3, "Plain Co", "QA Engineer"),
    )
    muller, plain = company_entries(collect([DayPage(date=dt.date(2026, 11, 2), picks=picks)]))
    assert (muller.title, muller.text) == ("Müller Straße Systems", "Muller Strasse")
    assert (plain.title, plain.text) == ("Plain Co", "")
    assert muller.location == "companies/muller-strasse-systems/"


def test_folded_words() -> None:
    assert folded_words("Škoda", "iOS Engineer · Ørsted") == ["Skoda", "Orsted"]
    assert folded_words("Plain Co", "A · B") == []


def test_title_entries_one_per_distinct_title_newest_first_and_capped() -> None:
    days = [
        DayPage(
            date=dt.date(2026, 11, 3),
            picks=(_pick(1, "Acme", "Python Developer"), _pick(2, "Globex", "Data Scientist")),
        ),
        DayPage(
            date=dt.date(2026, 11, 2),
            picks=(_pick(3, "Initech", "python developer"), _pick(4, "Acme", "QA Engineer")),
        ),
    ]
    entries = title_entries(collect(days))
    assert [(e.title, e.text) for e in entries] == [
        ("Python Developer", "2 picks, last 3 Nov 2026"),
        ("Data Scientist", "1 pick, last 3 Nov 2026"),
        ("QA Engineer", "1 pick, last 2 Nov 2026"),
    ]
    assert entries[0].location == "explore/?text=Python+Developer&year=all"
    assert [e.title for e in title_entries(collect(days), limit=2)] == [
        "Python Developer",
        "Data Scientist",
    ]
