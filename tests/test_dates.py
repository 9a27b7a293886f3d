"""One date style across pages, feeds and Explore (issue 25)."""

from __future__ import annotations

import datetime as dt

from generator.site.dates import date_text, day_text, span_text


def test_a_date_drops_its_year_only_beside_one_of_the_same_year() -> None:
    day = dt.date(2026, 11, 23)
    assert date_text(day) == "23 Nov 2026"
    assert date_text(day, today=dt.date(2026, 12, 2)) == "23 Nov"
    assert date_text(day, today=dt.date(2027, 1, 2)) == "23 Nov 2026"


def test_a_day_a_page_is_about_adds_its_weekday() -> None:
    assert day_text(dt.date(2026, 11, 23)) == "Mon 23 Nov 2026"


def test_a_span_writes_the_year_once_when_it_can() -> None:
    assert span_text(dt.date(2026, 1, 2), dt.date(2026, 11, 23)) == "2 Jan to 23 Nov 2026"
    assert span_text(dt.date(2025, 12, 30), dt.date(2026, 1, 2)) == "30 Dec 2025 to 2 Jan 2026"
    assert span_text(dt.date(2026, 5, 1), dt.date(2026, 5, 1)) == "1 May 2026"
