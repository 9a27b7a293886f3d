"""Marks in headless Chromium, on the session's shared site: a mark made on a day page shows
on the company page, in Explore and on My picks, and after a reload; Undo brings a card back;
without JavaScript no button shows; keyboard, names, axe; and "Send to jobpicks" opens the
very address `feedback_issues.new_issue_urls` builds."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from browser import by, serious_violations, serve, visit, wait
from site_helpers import APPLIED

from generator import pages
from generator.config import load_config
from generator.feedback import Mark
from generator.feedback_issues import new_issue_url, new_issue_urls
from generator.models import Pick
from generator.site.derive import collect

DAY = "picks/2026/2026-11-23/"
TODAY = "2026-12-02"
"""The browser's clock, as marks.js reads it (`window.jobpicksToday`, set on every page)."""


@pytest.fixture(scope="module")
def site_url(shared_site: Path) -> Iterator[str]:
    with serve(shared_site / "site") as url:
        yield url


@pytest.fixture(scope="module")
def day_picks(shared_site: Path) -> tuple[Pick, ...]:
    config = load_config(shared_site / "jobpicks.yml")
    return pages.read(pages.page_path(config.picks_dir, dt.date(2026, 11, 23))).picks


@pytest.fixture
def marks_driver(driver: Any, site_url: str) -> Iterator[Any]:
    """The module's Chromium with the clock at TODAY and no marks yet."""
    script = driver.execute_cdp_cmd(
        "Page.addScriptToEvaluateOnNewDocument",
        {"source": f"window.jobpicksToday = {json.dumps(TODAY)};"},
    )
    visit(driver, site_url + "404.html")
    driver.execute_script("localStorage.clear()")
    try:
        yield driver
    finally:
        driver.execute_script("localStorage.clear()")
        driver.execute_cdp_cmd("Page.removeScriptToEvaluateOnNewDocument", script)


def _open(driver: Any, url: str) -> None:
    visit(driver, url)
    wait(driver, lambda d: d.execute_script("return !!document.querySelector('.jp-marks-ready')"))


def _actions(driver: Any, pick_id: str) -> Any:
    return wait(
        driver,
        lambda d: d.find_element(*by(f'[data-pick="{pick_id}"]:not(:empty)')),
    )


def _press(driver: Any, pick_id: str, act: str) -> None:
    _actions(driver, pick_id).find_element(*by(f'button[data-act="{act}"]')).click()


def _button(driver: Any, pick_id: str, act: str) -> Any:
    return _actions(driver, pick_id).find_element(*by(f'button[data-act="{act}"]'))


def _card_shown(driver: Any, n: int) -> bool:
    return bool(driver.find_element(*by(f"#pick-{n}")).is_displayed())


def test_a_mark_shows_on_every_page_and_after_a_reload(
    marks_driver: Any, site_url: str, shared_site: Path, day_picks: tuple[Pick, ...]
) -> None:
    driver = marks_driver
    applied, saved, dismissed = day_picks[4], day_picks[5], day_picks[0]
    _open(driver, site_url + DAY)
    _press(driver, applied.id, "applied")
    _press(driver, saved.id, "saved")
    _press(driver, dismissed.id, "dismissed")

    def check_day() -> None:
        button = _button(driver, applied.id, "applied")
        assert button.text == "Applied 2 Dec" and button.get_attribute("aria-pressed") == "true"
        assert _button(driver, saved.id, "saved").text == "Saved"
        assert not _card_shown(driver, 1), "the dismissed card folds away"
        folded = _actions(driver, dismissed.id)
        assert folded.text.startswith(f"Not for me: {dismissed.title}") and "Undo" in folded.text
        assert _card_shown(driver, 2) and _card_shown(driver, 5)

    check_day()
    driver.refresh()
    _open(driver, driver.current_url)
    check_day()
    # What a mark keeps, read from the card around it (the page carries only id and day).
    stored = driver.execute_script("return JSON.parse(localStorage['jobpicks.marks'])")
    for pick in (applied, saved, dismissed):
        kept = stored[pick.id]
        assert (kept["url"], kept["title"], kept["company"], kept["day"]) == (
            pick.url,
            pick.display_title,
            pick.company,
            "2026-11-23",
        )

    data = collect(pages.read_all(load_config(shared_site / "jobpicks.yml").picks_dir))
    company = data.company(applied.company)
    _open(driver, site_url + f"companies/{company.slug}/")
    assert _button(driver, applied.id, "applied").text == "Applied 2 Dec"
    # A mark made in a company's row reads the row and the page's company.
    n = APPLIED[0]
    taken = {applied.id, day_picks[n].id, day_picks[n + 1].id}  # and feedback.yml's two
    other = next(item for item in company.picks if item.pick.id not in taken)
    _press(driver, other.pick.id, "saved")
    kept = driver.execute_script("return JSON.parse(localStorage['jobpicks.marks'])")
    assert kept.pop(other.pick.id) | {"date": ""} == {
        "id": other.pick.id,
        "url": other.pick.url,
        "title": other.pick.display_title,
        "company": company.name,
        "day": other.date.isoformat(),
        "verdict": "saved",
        "date": "",
    }
    _press(driver, other.pick.id, "saved")  # and pressed again, unsaved

    _open(driver, site_url + "explore/?year=2026")
    assert _button(driver, applied.id, "applied").text == "Applied 2 Dec"
    row = _actions(driver, dismissed.id).find_element("xpath", "./ancestor::tr")
    assert "jp-folded" in row.get_attribute("class") and row.is_displayed()

    _open(driver, site_url + "mine/")
    mine = driver.find_element(*by("#jp-mine"))
    sections = {
        h.text: h.find_element("xpath", "following-sibling::*[1]").text
        for h in mine.find_elements(*by("h2"))
    }
    # With feedback.yml's application and dismissal (site_helpers.add_applications), sent.
    assert set(sections) == {"Saved (1)", "Applied (2)", "Not for me (2)", "Not sent yet (3)"}
    assert saved.title in sections["Saved (1)"] and "saved 2 Dec" in sections["Saved (1)"]
    assert "picked Mon 23 Nov 2026" in sections["Applied (2)"]
    assert applied.title in sections["Applied (2)"]
    # No repository known on this site: the same marks as commands instead of a button.
    assert not driver.find_elements(*by("#jp-send"))
    commands = mine.find_element(*by("pre")).text.splitlines()
    assert f"jobpicks feedback applied {applied.id} --date {TODAY}" in commands
    assert len(commands) == 3


def test_undo_brings_the_card_back_and_a_reason_is_kept(
    marks_driver: Any, site_url: str, day_picks: tuple[Pick, ...]
) -> None:
    driver = marks_driver
    pick = day_picks[7]  # not one of feedback.yml's (site_helpers.add_applications)
    _open(driver, site_url + DAY)
    _press(driver, pick.id, "saved")
    _press(driver, pick.id, "dismissed")
    assert not _card_shown(driver, 8)
    assert driver.switch_to.active_element.get_attribute("data-act") == "undo"
    _press(driver, pick.id, "why")
    actions = _actions(driver, pick.id)
    actions.find_element(*by("option[value=company]")).click()
    actions.find_element(*by("input")).send_keys("never again")
    actions.find_element(*by('button[data-act="reason"]')).click()
    stored = driver.execute_script("return JSON.parse(localStorage['jobpicks.marks'])")
    assert stored[pick.id]["reason"] == "company" and stored[pick.id]["note"] == "never again"
    assert "Not for me (company)" in _actions(driver, pick.id).text

    _press(driver, pick.id, "undo")
    assert _card_shown(driver, 8)
    assert _button(driver, pick.id, "saved").get_attribute("aria-pressed") == "true", (
        "Undo restores the mark before, Saved"
    )
    assert driver.switch_to.active_element.get_attribute("data-act") == "dismissed"


def _stored(driver: Any) -> dict[str, Any]:
    return dict(driver.execute_script("return JSON.parse(localStorage['jobpicks.marks'] || '{}')"))


def test_the_repositorys_marks_show_on_every_device_and_can_be_taken_back(
    marks_driver: Any, site_url: str, day_picks: tuple[Pick, ...]
) -> None:
    """feedback.yml's marks (an application, a dismissal) show in a browser that never made
    them; taking one back is a "cleared" mark to send, and a sent mark the build has since
    replaced gives way to it."""
    driver = marks_driver
    n, _, date = APPLIED
    applied, dismissed = day_picks[n], day_picks[n + 1]
    _open(driver, site_url + DAY)
    said = f"Applied {date.day} {date:%b}"  # the day applied, not the later status's
    wait(driver, lambda d: _button(d, applied.id, "applied").text == said)
    assert _button(driver, applied.id, "applied").get_attribute("aria-pressed") == "true"
    assert not _card_shown(driver, n + 2), "the recorded dismissal folds its card"
    assert "Not for me (pay)" in _actions(driver, dismissed.id).text
    assert _stored(driver) == {}, "the repository's marks are not this browser's to send"

    _open(driver, site_url + "mine/")
    mine = wait(driver, lambda d: d.find_element(*by("#jp-mine")))
    wait(driver, lambda d: "Applied (1)" in mine.text and "Not for me (1)" in mine.text)
    assert "Not sent yet (0)" in mine.text
    assert _button(driver, applied.id, "applied").text == said

    # Undo on the recorded dismissal, Applied pressed again on the recorded application.
    _open(driver, site_url + DAY)
    wait(driver, lambda d: not _card_shown(d, n + 2))
    _press(driver, dismissed.id, "undo")
    assert _card_shown(driver, n + 2)
    _press(driver, applied.id, "applied")
    assert _button(driver, applied.id, "applied").text == "Applied"
    stored = _stored(driver)
    assert {stored[p.id]["verdict"] for p in (applied, dismissed)} == {"cleared"}
    assert stored[dismissed.id]["date"] == TODAY and stored[dismissed.id]["url"] == dismissed.url
    for taken_back in (applied, dismissed):  # what feedback.yml takes from the issue
        sent = {
            k: v for k, v in stored[taken_back.id].items() if k not in ("day", "sent", "before")
        }
        assert Mark.model_validate(sent).verdict == "cleared"
    _open(driver, site_url + "mine/")
    mine = wait(driver, lambda d: d.find_element(*by("#jp-mine")))
    wait(driver, lambda d: "Not sent yet (2)" in mine.text)
    assert f"Taken back: {dismissed.title} at {dismissed.company}" in mine.text
    assert "Applied (0)" in mine.text and "Not for me (0)" in mine.text

    # Applied again: the repository's application stands as it was (its date, and its
    # status on Applications), with nothing of this browser's to send.
    _open(driver, site_url + DAY)
    _press(driver, applied.id, "applied")
    assert _button(driver, applied.id, "applied").text == said
    assert applied.id not in _stored(driver)

    # Why? and Done on the recorded dismissal (restored by deleting the cleared mark), then
    # one Undo: the card unfolds, the repository's dismissal taken back.
    driver.execute_script("localStorage.clear()")
    _open(driver, site_url + DAY)
    wait(driver, lambda d: not _card_shown(d, n + 2))
    _press(driver, dismissed.id, "why")
    actions = _actions(driver, dismissed.id)
    actions.find_element(*by("option[value=company]")).click()
    actions.find_element(*by('button[data-act="reason"]')).click()
    assert "Not for me (company)" in _actions(driver, dismissed.id).text
    _press(driver, dismissed.id, "undo")
    assert _card_shown(driver, n + 2)
    assert _stored(driver)[dismissed.id]["verdict"] == "cleared"

    # A mark this browser sent before the build recorded a later one: the build's counts,
    # and the stale copy is dropped.
    old = {"id": applied.id, "url": applied.url, "verdict": "saved", "date": "2026-11-01"}
    old["sent"] = True
    driver.execute_script(
        "localStorage['jobpicks.marks'] = JSON.stringify({[arguments[0]]: arguments[1]})",
        applied.id,
        old,
    )
    _open(driver, site_url + DAY)
    wait(driver, lambda d: _button(d, applied.id, "applied").text == said)
    wait(driver, lambda d: _stored(d) == {})


def test_a_mark_is_dated_in_the_projects_time_zone_not_the_browsers(
    driver: Any, site_url: str, shared_site: Path, day_picks: tuple[Pick, ...]
) -> None:
    """As a run dates its day (`Config.today`): a reader whose clock is a day ahead of the
    configured zone (or behind it) still sends marks that take effect in the right order."""
    zone = ZoneInfo(load_config(shared_site / "jobpicks.yml").timezone)
    now = dt.datetime.now(dt.UTC)
    # A browser zone whose date differs from the project's right now, whatever the hour.
    browser = next(
        name
        for name in ("Pacific/Kiritimati", "Pacific/Pago_Pago")
        if now.astimezone(ZoneInfo(name)).date() != now.astimezone(zone).date()
    )
    visit(driver, site_url + "404.html")
    driver.execute_script("localStorage.clear()")
    driver.execute_cdp_cmd("Emulation.setTimezoneOverride", {"timezoneId": browser})
    try:
        expected = {dt.datetime.now(zone).date().isoformat()}
        _open(driver, site_url + DAY)
        n = APPLIED[0]
        wait(driver, lambda d: _button(d, day_picks[n].id, "applied").text.startswith("Applied "))
        _press(driver, day_picks[3].id, "saved")
        expected.add(dt.datetime.now(zone).date().isoformat())  # midnight in between
        assert _stored(driver)[day_picks[3].id]["date"] in expected
    finally:
        driver.execute_script("localStorage.clear()")
        driver.execute_cdp_cmd("Emulation.setTimezoneOverride", {"timezoneId": ""})


def test_without_javascript_no_action_shows(driver: Any, site_url: str) -> None:
    driver.execute_cdp_cmd("Emulation.setScriptExecutionDisabled", {"value": True})
    try:
        for path in (DAY, "companies/tiktok/"):
            visit(driver, site_url + path)
            places = driver.find_elements(*by("[data-pick]"))
            assert places and all(p.size["height"] == 0 for p in places), path
            assert not driver.find_elements(*by(".md-content button, .md-content select"))
        visit(driver, site_url + "mine/")
        assert "needs JavaScript" in driver.find_element(*by("#jp-mine")).text
    finally:
        driver.execute_cdp_cmd("Emulation.setScriptExecutionDisabled", {"value": False})


def test_actions_are_reached_by_keyboard_and_named_for_their_job(
    marks_driver: Any, site_url: str, day_picks: tuple[Pick, ...]
) -> None:
    from selenium.webdriver.common.keys import Keys

    driver = marks_driver
    _open(driver, site_url + DAY)
    pick = day_picks[3]  # not one of feedback.yml's (site_helpers.add_applications)
    card = driver.find_element(*by("#pick-4 + .jp-pick"))
    card.find_element(*by("a.jp-company")).send_keys(Keys.TAB)
    focused = driver.switch_to.active_element
    assert focused.get_attribute("aria-label") == f"Applied: {pick.title} at {pick.company}"
    focused.send_keys(Keys.ENTER)
    assert _button(driver, pick.id, "applied").get_attribute("aria-pressed") == "true"
    names = driver.execute_script(
        "return Array.from(document.querySelectorAll('.jp-marks button'),"
        " (b) => [b.textContent, b.getAttribute('aria-label') || '']);"
    )
    # Three a card, but two on the card feedback.yml dismissed (Why? and Undo).
    assert len(names) == 19 * 3 + 2
    # Each name starts with the words shown, then says which job (WCAG's label in name).
    assert all(label.startswith(text + ": ") for text, label in names), names[:3]


def test_no_serious_accessibility_violations_with_marks(
    marks_driver: Any, site_url: str, day_picks: tuple[Pick, ...]
) -> None:
    driver = marks_driver
    _open(driver, site_url + DAY)
    _press(driver, day_picks[0].id, "dismissed")
    _press(driver, day_picks[0].id, "why")
    _press(driver, day_picks[3].id, "applied")
    _press(driver, day_picks[4].id, "saved")
    assert serious_violations(driver) == []
    for path in ("mine/", "applications/", "explore/?year=2026"):
        _open(driver, site_url + path)
        if path.startswith("explore"):
            _actions(driver, day_picks[3].id)
        assert serious_violations(driver) == [], path


_LAYOUT = """
const root = document.documentElement;
const places = [...document.querySelectorAll('.md-content [data-pick]:not(:empty)')];
return {
  height: root.scrollHeight,
  overflow: root.scrollWidth - root.clientWidth,
  places: places.length,
  tallest: Math.max(0, ...places.filter((p) => !p.matches('.jp-marks--dismissed'))
    .map((p) => p.getBoundingClientRect().height)),
  folded: Math.max(0, ...[...document.querySelectorAll('.jp-pick.jp-folded')]
    .map((p) => p.getBoundingClientRect().height)),
};
"""


@pytest.mark.parametrize(("width", "height"), [(1280, 900), (390, 844)])
def test_actions_stay_one_quiet_line(
    marks_driver: Any, site_url: str, day_picks: tuple[Pick, ...], width: int, height: int
) -> None:
    """Measured on the 20-pick day: at 1280 the actions float right of a card's facts or
    reason, 2,466 px without them and 2,550 with; on a phone they take a 27 px line of
    24 px tall targets at each card's end (3,462 to 4,046 px). A folded card is 28 px,
    63 px on a phone. Nothing scrolls sideways, with a card applied, one saved and one
    folded."""
    driver = marks_driver
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600},
    )
    try:
        _open(driver, site_url + DAY)
        _press(driver, day_picks[0].id, "dismissed")
        _press(driver, day_picks[3].id, "applied")
        _press(driver, day_picks[4].id, "saved")
        layout = driver.execute_script(_LAYOUT)
        assert layout["places"] == 20 and layout["overflow"] <= 0, layout
        # One line of buttons; a folded card is a line or two (its words, Why? and Undo).
        assert layout["tallest"] <= 30 and 0 < layout["folded"] <= 66, layout
        if width > 600:
            assert layout["height"] <= 2700, layout  # test_browser's bound for the day
        for path in ("mine/", "explore/?year=2026", "applications/"):
            _open(driver, site_url + path)
            assert driver.execute_script(_LAYOUT)["overflow"] <= 0, path
    finally:
        driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


def _marks(count: int) -> list[Mark]:
    """Marks with every key and text JSON must escape: quotes, backslashes, accents, emoji."""
    out = []
    for n in range(count):
        fields: dict[str, object] = {
            "id": f"url:{n:016x}",
            "url": f"https://jobs.example.com/{n}?a=1&b=2#x",
            "title": f'Ingénieur "{n}" \\ <b>',
            "company": "Zürich & Co 🚀",
            "verdict": ("applied", "dismissed", "saved")[n % 3],
            "date": dt.date(2026, 12, 1 + n % 2),
        }
        if n % 3 == 1:
            fields |= {"reason": "company", "note": "pay was 100% too low; ' \" % # + " * 8}
        if n % 6 == 3:  # an application whose status was set later
            fields |= {"status": "offer", "applied": dt.date(2026, 11, 30)}
        out.append(Mark.model_validate(fields))
    return out


def test_the_browser_builds_the_issue_address_python_builds(driver: Any, site_url: str) -> None:
    _open(driver, site_url)
    marks = _marks(40)
    data = [m.model_dump(mode="json", exclude_none=True) for m in marks]
    got = driver.execute_script(
        "return window.jobpicksMarks.issueUrls('https://github.com', 'reader/picks', arguments[0])"
        ".map((b) => b.url);",
        data,
    )
    expected = new_issue_urls("reader/picks", marks)
    assert len(expected) > 1, "enough marks for several issues"
    assert "%20%20applied%3A%202026-11-30%0A" in expected[0], "a day applied, as a date"
    assert got == expected


def test_send_to_jobpicks_opens_the_issue_and_counts_the_marks_sent(
    marks_driver: Any, site_url: str, day_picks: tuple[Pick, ...]
) -> None:
    """With a repository (here set on the page, as a build in Actions sets it), Send opens
    the pre-filled issue (on a local stand-in for github.com) and the marks leave the list."""
    driver = marks_driver
    _open(driver, site_url + DAY)
    _press(driver, day_picks[3].id, "saved")
    _press(driver, day_picks[6].id, "dismissed")
    _open(driver, site_url + "mine/")
    server = site_url + "github"
    driver.execute_script(
        "const box = document.getElementById('jp-mine');"
        "box.setAttribute('data-repository', 'reader/picks');"
        "box.setAttribute('data-server', arguments[0]);"
        "window.dispatchEvent(new StorageEvent('storage', {key: 'jobpicks.marks'}));",
        server,
    )
    send = wait(driver, lambda d: d.find_element(*by("#jp-send")))
    assert send.text == "Send to jobpicks" and send.get_attribute("target") == "_blank"
    stored = driver.execute_script("return JSON.parse(localStorage['jobpicks.marks'])")
    kept = ("day", "sent", "before")  # this browser's bookkeeping, never sent
    expected = [
        Mark.model_validate({k: v for k, v in stored[p.id].items() if k not in kept})
        for p in (day_picks[3], day_picks[6])
    ]
    expected.sort(key=lambda m: m.id)
    assert send.get_attribute("href") == new_issue_url("reader/picks", expected, server=server)
    first = driver.current_window_handle
    send.click()
    wait(driver, lambda d: len(d.window_handles) == 2)
    for handle in driver.window_handles:
        if handle != first:
            driver.switch_to.window(handle)
            driver.close()
    driver.switch_to.window(first)
    wait(driver, lambda d: "Not sent yet (0)" in d.find_element(*by("#jp-mine")).text)
    assert "Saved (1)" in driver.find_element(*by("#jp-mine")).text


def test_a_mark_reaches_a_page_open_in_another_tab(
    marks_driver: Any, site_url: str, day_picks: tuple[Pick, ...]
) -> None:
    driver = marks_driver
    pick = day_picks[7]
    _open(driver, site_url + "mine/")
    mine = driver.current_window_handle
    driver.switch_to.new_window("tab")
    try:
        _open(driver, site_url + DAY)
        _press(driver, pick.id, "saved")
    finally:
        driver.close()
        driver.switch_to.window(mine)
    wait(driver, lambda d: pick.title in d.find_element(*by("#jp-mine ul")).text)


def test_a_mark_made_on_a_saved_search_keeps_the_rows_company(
    marks_driver: Any, site_url: str, shared_site: Path
) -> None:
    """Saved-search rows carry only the pick's id and day; the rest is read from the row."""
    from site_helpers import SAVED_SEARCH

    driver = marks_driver
    _open(driver, site_url + f"saved/{next(iter(SAVED_SEARCH))}/")
    place = wait(driver, lambda d: d.find_element(*by("tbody [data-pick]:not(:empty)")))
    pick_id = place.get_attribute("data-pick")
    _press(driver, pick_id, "applied")
    kept = driver.execute_script("return JSON.parse(localStorage['jobpicks.marks'])")[pick_id]
    row = place.find_element("xpath", "./ancestor::tr")
    assert kept["company"] == row.find_element(*by(".jp-company")).text
    assert kept["title"] == row.find_element(*by("td:nth-child(3) a")).text
    assert kept["url"].startswith("http") and kept["day"] == "2026-11-23"
