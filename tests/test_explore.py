"""Explore in headless Chromium: text over reasons and summaries, facets, state in the
address (restored on load, back button), and a phone-sized screen."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from browser import by, serve, visit, wait
from cases import CASES, FOLDS, MINIMA, TYPED
from once import made_once
from site_helpers import build_site, make_project, small_project

from generator import pages
from generator.config import load_config
from generator.models import DayPage, Pay, Pick

DAY = dt.date(2026, 11, 20)


def fact_picks() -> tuple[Pick, ...]:
    def pick(n: int, **facts: Any) -> Pick:
        return Pick(
            id=f"facts-{n}",
            title=f"Facts Engineer {n}",
            company=facts.pop("company", f"Factual {n}"),
            url=f"https://facts.example.com/{n}",
            score=50 + n,
            reason=facts.pop("reason", "Good match."),
            summary=facts.pop("summary", "A job."),
            **facts,
        )

    eur = Pay(min=60000, max=80000, currency="EUR", period="year")
    return (
        pick(1, work_mode="remote", level="senior", visa="offered", pay=eur, posted=DAY),
        pick(
            2,
            work_mode="remote",
            level="senior",
            closed=dt.date(2026, 11, 22),
            first_seen=dt.date(2026, 10, 2),
            reposts=3,
        ),
        pick(
            3,
            work_mode="onsite",
            level="junior",
            posted=DAY - dt.timedelta(days=20),
            reason="Lacks Quokkascript, the one skill asked.",
        ),
        pick(
            4,
            work_mode="hybrid",
            pay=Pay(min=40000, max=50000, currency="EUR", period="year"),
            summary="Quokkascript services for a bank.",
        ),
        pick(5, company="Müller Zeppelinwerke", summary="Builds airships with zeppelinglass."),
    )


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    def make(folder: Path) -> None:
        config_path = make_project(folder)
        pages.write(DayPage(date=DAY, picks=fact_picks()), load_config(config_path).picks_dir)
        build_site(config_path)

    return made_once(tmp_path_factory, "explore-site", make) / "site"


@pytest.fixture(scope="module")
def site_url(project: Path) -> Iterator[str]:
    with serve(project) as url:
        yield url


def _status(driver: Any) -> str:
    return str(driver.find_element(*by("#jp-status")).text)


def _column(driver: Any, n: int) -> list[str]:
    """The text of every shown row's `n`th cell, as the reader sees it (one round trip),
    without the row's Applied / Not for me / Save (marks.js)."""
    return list(
        driver.execute_script(
            "return Array.from(document.querySelectorAll('#jp-table tbody tr'), (row) => {"
            " const cell = row.cells[arguments[0]].cloneNode(true);"
            " cell.querySelectorAll('[data-pick]').forEach((e) => e.remove());"
            " return cell.textContent.trim(); });",
            n,
        )
    )


def _titles(driver: Any) -> list[str]:
    return _column(driver, 2)


def _fact_titles(driver: Any) -> list[str]:
    """The fact picks' rows, in table order: the sample day's picks state work mode and level
    read from their text, so broad facets match them too."""
    return [title for title in _titles(driver) if title.startswith("Facts Engineer")]


def _open(driver: Any, url: str) -> None:
    visit(driver, url)
    wait(driver, lambda d: re.match(r"\d+ picks?\b", _status(d)))


def test_explore_data_keeps_reasons_and_summaries_out_of_the_table(project: Path) -> None:
    table = json.loads((project / "explore/data/2026.json").read_text())
    text = json.loads((project / "explore/data/text-2026.json").read_text())
    assert len(table["rows"]) == len(text["summary"]) == len(text["reason"]) == 105
    assert table["columns"][:5] == ["date", "company", "title", "location", "score"]
    assert not any("zeppelinglass" in json.dumps(r) for r in table["rows"])
    row = next(r for r in table["rows"] if r[2] == "Facts Engineer 1")
    assert row[7:] == [
        "remote",
        [60000.0, 80000.0, "EUR", "year"],
        "offered",
        "senior",
        "2026-11-20",
        "",
        "",
        0,
        "facts-1",
    ]
    repost = next(r for r in table["rows"] if r[2] == "Facts Engineer 2")
    assert repost[-3:-1] == ["2026-10-02", 3]


def test_text_finds_what_a_job_was_and_reasons_only_when_asked(driver: Any, site_url: str) -> None:
    """Issue 25: "python" matched 163 of 220 picks, most through "Lacks Python"."""
    _open(driver, site_url + "explore/?text=quokkascript")
    wait(driver, lambda d: _status(d) == "1 pick")
    assert _titles(driver) == ["Facts Engineer 4"]
    driver.find_element(*by("#jp-reasons")).click()
    wait(driver, lambda d: _status(d) == "2 picks")
    assert sorted(_titles(driver)) == ["Facts Engineer 3", "Facts Engineer 4"]
    wait(driver, lambda d: "reasons=1" in d.current_url)


def test_reposted_filter_and_label(driver: Any, site_url: str) -> None:
    _open(driver, site_url + "explore/?reposted=1")
    assert driver.find_element(*by("#jp-reposted")).is_selected()
    assert _titles(driver) == [
        "Facts Engineer 2 (closed 22 Nov 2026) first seen 2 Oct, reposted 3 times"
    ]


def test_text_matches_the_summary_and_ignores_accents(driver: Any, site_url: str) -> None:
    _open(driver, site_url + "explore/")
    driver.find_element(*by("#jp-text")).send_keys("zeppelinglass")
    wait(driver, lambda d: _status(d) == "1 pick")
    assert _titles(driver) == ["Facts Engineer 5"]
    box = driver.find_element(*by("#jp-text"))
    box.clear()
    box.send_keys("muller zeppelin")
    wait(driver, lambda d: _status(d) == "1 pick")
    # Every word must match, each anywhere: the company's name and the summary's words.
    box.clear()
    box.send_keys("airships  zeppelinwerke")
    wait(driver, lambda d: _status(d) == "1 pick")
    box.send_keys(" nowhere")
    wait(driver, lambda d: _status(d) == "0 picks")


def test_state_is_restored_from_the_address(driver: Any, site_url: str) -> None:
    _open(driver, site_url + "explore/?mode=remote&level=senior&sort=4&dir=asc")
    assert driver.find_element(*by("#jp-mode")).get_attribute("value") == "remote"
    assert driver.find_element(*by("#jp-level")).get_attribute("value") == "senior"
    assert _fact_titles(driver) == [
        "Facts Engineer 1",
        "Facts Engineer 2 (closed 22 Nov 2026) first seen 2 Oct, reposted 3 times",
    ]
    sort = driver.find_element(*by('#jp-table th button[data-key="4"]'))
    parent = driver.execute_script("return arguments[0].parentNode.getAttribute('aria-sort')", sort)
    assert parent == "ascending"
    _open(driver, site_url + "explore/?mode=remote&level=senior&open=1")
    assert driver.find_element(*by("#jp-open")).is_selected()
    assert _fact_titles(driver) == ["Facts Engineer 1"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("pay=70000&currency=EUR&period=year", ["Facts Engineer 1"]),
        ("pay=45000&period=year", ["Facts Engineer 1", "Facts Engineer 4"]),
        ("pay=45000&period=month", []),
        ("visa=offered", ["Facts Engineer 1"]),
        ("fresh=3", ["Facts Engineer 1"]),
        ("fresh=30&mode=onsite", ["Facts Engineer 3"]),
        ("mode=hybrid&level=senior", []),
    ],
)
def test_facets_combine(driver: Any, site_url: str, query: str, expected: list[str]) -> None:
    _open(driver, f"{site_url}explore/?{query}&company=factual&sort=2&dir=asc")
    assert _titles(driver) == expected


def test_choices_go_into_the_address_and_back_undoes_them(driver: Any, site_url: str) -> None:
    from selenium.webdriver.support.ui import Select

    _open(driver, site_url + "explore/")
    everything = _status(driver)
    Select(driver.find_element(*by("#jp-mode"))).select_by_value("hybrid")
    wait(driver, lambda d: _status(d) == "1 pick")
    assert parse_qs(urlsplit(driver.current_url).query)["mode"] == ["hybrid"]
    driver.find_element(*by("#jp-company")).send_keys("factual")
    wait(driver, lambda d: "company=factual" in d.current_url)
    driver.back()
    wait(driver, lambda d: "company" not in d.current_url)
    assert driver.find_element(*by("#jp-company")).get_attribute("value") == ""
    driver.back()
    wait(driver, lambda d: _status(d) == everything)
    assert driver.find_element(*by("#jp-mode")).get_attribute("value") == ""


def test_usable_on_a_390_px_phone(driver: Any, site_url: str) -> None:
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": 390, "height": 844, "deviceScaleFactor": 1, "mobile": True},
    )
    try:
        _open(driver, site_url + "explore/")
        width = driver.execute_script("return document.documentElement.clientWidth")
        assert width == 390
        # The facets fold away, so the table starts on the first screen.
        facets = driver.find_element(*by("#jp-facets"))
        assert facets.get_property("open") is False
        assert driver.find_element(*by("#jp-table")).rect["y"] < 700
        facets.find_element(*by("summary")).click()
        wait(driver, lambda d: d.find_element(*by("#jp-mode")).is_displayed())
        assert driver.execute_script("return document.documentElement.scrollWidth") <= width
        # Nor does the table's own box (Material's table wrapper once made it 16 px wider).
        box = driver.find_element(*by(".jp-scroll"))
        assert box.get_property("scrollWidth") <= box.get_property("clientWidth")
        score = driver.find_element(*by('#jp-table th button[data-key="4"]'))
        assert 0 < score.rect["x"] + score.rect["width"] <= width
        for label in driver.find_elements(*by(".jp-field label")):
            target = driver.find_element(*by("#" + label.get_attribute("for")))
            # Each label stays beside or right above its own input.
            assert abs(target.rect["y"] - (label.rect["y"] + label.rect["height"])) < 12 or (
                abs(target.rect["y"] - label.rect["y"]) < 12
            ), label.text
            assert target.rect["x"] >= 0 and target.rect["x"] + target.rect["width"] <= width
        # An address that sets a facet shows them; the year alone (as search's link to
        # Explore sets it) does not.
        _open(driver, site_url + "explore/?text=engineer&year=all")
        assert driver.find_element(*by("#jp-facets")).get_property("open") is False
        assert driver.find_element(*by("#jp-table")).rect["y"] < 700
        _open(driver, site_url + "explore/?mode=remote")
        assert driver.find_element(*by("#jp-facets")).get_property("open") is True
    finally:
        driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


def test_scores_wear_the_sites_colour_bands(driver: Any, site_url: str) -> None:
    """The bands come from the generator (render.BANDS), as on the day cards."""
    _open(driver, site_url + "explore/?year=all&sort=4&dir=asc")
    badges = driver.find_elements(*by("#jp-table tbody td .jp-score"))
    bands = {b.text: b.get_attribute("class").split("--")[-1] for b in badges}
    assert bands["51"] == "low" and bands["55"] == "mid"


def test_rows_come_a_page_at_a_time(driver: Any, site_url: str) -> None:
    """A hundred rows at first, then "Show more" draws the rest; a new filter starts over."""
    _open(driver, site_url + "explore/?year=all")
    assert _status(driver) == "105 picks, showing the first 100"
    assert len(_titles(driver)) == 100
    more = driver.find_element(*by("#jp-more"))
    assert more.is_displayed() and more.text == "Show 5 more"
    first = _titles(driver)
    more.click()
    wait(driver, lambda d: _status(d) == "105 picks")
    assert len(_titles(driver)) == 105 and _titles(driver)[:100] == first
    assert not more.is_displayed()
    driver.find_element(*by("#jp-text")).send_keys("zeppelinglass")
    wait(driver, lambda d: _status(d) == "1 pick")
    assert not more.is_displayed()


def test_a_rows_date_opens_its_card_on_the_day(driver: Any, site_url: str) -> None:
    """Each row's date links to the pick's own card on its day page, not the page's top."""
    _open(driver, site_url + "explore/?year=all")
    rows = driver.find_elements(*by("#jp-table tbody tr"))[:25]
    dates = [r.find_elements(*by("td"))[0] for r in rows]
    links = list(zip(dates, _titles(driver)[:25], strict=True))
    targets = [(cell.find_element(*by("a")).get_attribute("href"), title) for cell, title in links]
    for href, title in targets[::6]:
        assert "#pick-" in href, href
        visit(driver, href)
        anchor = urlsplit(href).fragment
        assert title in driver.find_element(*by(f"#{anchor}")).text, (href, title)


# -- a minimum pay: the same table of cases as run filters and saved searches ---------------


@pytest.fixture(scope="module")
def table_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A site whose picks are the cases of `tests/cases.py`: the pay table's (one pick each,
    at "Paytable") and the folding table's (a company each)."""
    pays = [
        Pick(
            id=f"pay-{n}",
            title=f"Pay case {n}",
            company="Paytable",
            url=f"https://pay.example.com/{n}",
            score=60,
            pay=pay,
        )
        for n, (_, pay, _) in enumerate(CASES)
    ]
    names = [
        Pick(
            id=f"fold-{n}", title="Fold case", company=name, url=f"https://f.example/{n}", score=50
        )
        for n, (name, _) in enumerate(FOLDS)
    ]
    folder = made_once(
        tmp_path_factory,
        "table-site",
        lambda f: build_site(small_project(f, DayPage(date=DAY, picks=(*pays, *names)))),
    )
    with serve(folder / "site") as url:
        yield url


@pytest.mark.parametrize("minimum", sorted(MINIMA))
def test_a_minimum_pay_means_what_it_means_in_the_config(
    driver: Any, table_site: str, minimum: str
) -> None:
    floor = MINIMA[minimum]
    query = f"pay={floor.amount:g}&currency={floor.currency}&period={floor.period}"
    _open(driver, f"{table_site}explore/?{query}&sort=2&dir=asc")
    expected = [f"Pay case {n}" for n, (_, _, want) in enumerate(CASES) if want[minimum] is True]
    assert _titles(driver) == expected


def test_a_minimum_pay_typed_by_hand_into_the_address_still_means_it(
    driver: Any, table_site: str
) -> None:
    """A currency in lower case is the ISO code it names, as `MinPay` reads it; a period
    Explore does not know ("week") is a year, never a filter that hides every row."""
    floor = MINIMA["yearly"]
    expected = [f"Pay case {n}" for n, (_, _, want) in enumerate(CASES) if want["yearly"] is True]
    query = f"pay={floor.amount:g}&currency={floor.currency.lower()}&period=week"
    _open(driver, f"{table_site}explore/?{query}&sort=2&dir=asc")
    assert _titles(driver) == expected
    assert driver.execute_script("return document.getElementById('jp-period').value") == "year"


def test_accents_fold_as_python_folds_them(driver: Any, table_site: str) -> None:
    """The folding table of `tests/cases.py`, as `test_vocabulary.py` checks it in Python:
    each name is found by what it folds to, and by itself."""
    _open(driver, f"{table_site}explore/?sort=1")
    box = driver.find_element(*by("#jp-company"))
    for name, folded in FOLDS:
        for query in (folded, folded.upper(), name):
            # The whole query at once (typing is tested above): one input event.
            driver.execute_script(
                "arguments[0].value = arguments[1];"
                " arguments[0].dispatchEvent(new Event('input'));",
                box,
                query,
            )
            wait(driver, lambda d, n=name: _status(d) == "1 pick" and _column(d, 1) == [n])
    # Full-width letters and ligatures no pick holds: folded by the table's blocks.
    for typed, name in TYPED:
        driver.execute_script(
            "arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('input'));",
            box,
            typed,
        )
        wait(driver, lambda d, n=name: _status(d) == "1 pick" and _column(d, 1) == [n])


def test_text_shows_title_matches_first(driver: Any, site_url: str) -> None:
    """What a job was first: rows whose title has the words, then those matching only by
    company, place or summary, each group in the chosen order (date, newest first)."""
    _open(driver, site_url + "explore/?text=python&year=all")
    titles = [t.casefold() for t in _titles(driver)]
    in_title = ["python" in t for t in titles]
    assert any(in_title) and not all(in_title), titles
    first_other = in_title.index(False)
    assert not any(in_title[first_other:]), titles
