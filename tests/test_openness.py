"""Open counts say what the site knows (issue 25): a pick counts as open only while the
checker's last clear answer is as recent as its schedule promises, as of the site's newest
day; otherwise it is "not checked since" a date, never open. Dates are explicit: no clock."""

from __future__ import annotations

import datetime as dt

import pytest

from generator.config import LivenessConfig
from generator.models import DayPage, Pick
from generator.site.derive import collect, company_pages
from generator.site.openness import Knowledge, knowledge

NEWEST = dt.date(2026, 11, 30)
KNOWN = Knowledge(NEWEST, LivenessConfig(), any_answer=True)


def _pick(n: int = 1, *, checked: dt.date | None = None, closed: dt.date | None = None) -> Pick:
    return Pick(
        id=f"p{n}",
        title="Engineer",
        company="Acme",
        url=f"https://acme.example/{n}",
        score=70,
        checked=checked,
        closed=closed,
    )


def _ago(days: int) -> dt.date:
    return NEWEST - dt.timedelta(days=days)


@pytest.mark.parametrize(
    ("age", "checked_ago", "state"),
    [
        (0, None, "open"),  # the newest day's picks were in its feeds a moment ago
        (1, 0, "open"),  # checked this morning
        (1, None, "unchecked"),  # not checked yet
        (20, 1, "open"),  # daily window: yesterday's answer is as recent as promised
        (20, 2, "unchecked"),  # a day missed (deadline, request cap, unknown answer)
        (60, 7, "open"),  # weekly window
        (60, 8, "unchecked"),
        (100, 71, "unchecked"),  # last seen open at 29 days old, never again: issue 25's drift
        (200, 30, "open"),  # monthly window
        (200, 31, "unchecked"),
        (400, 30, "open"),  # past the checked window, its last answer still fresh
        (400, 100, "unchecked"),
    ],
)
def test_state_from_the_schedule(age: int, checked_ago: int | None, state: str) -> None:
    checked = None if checked_ago is None else _ago(checked_ago)
    assert KNOWN.state(_ago(age), _pick(checked=checked)) == state


def test_a_closed_pick_is_closed_whatever_its_age_or_last_check() -> None:
    assert KNOWN.state(NEWEST, _pick(closed=NEWEST)) == "closed"
    assert KNOWN.state(_ago(500), _pick(checked=_ago(600), closed=_ago(550))) == "closed"


def test_the_schedule_is_the_configured_one() -> None:
    weekly_from_5 = Knowledge(NEWEST, LivenessConfig(days=5), any_answer=True)
    assert KNOWN.state(_ago(10), _pick(checked=_ago(3))) == "unchecked"
    assert weekly_from_5.state(_ago(10), _pick(checked=_ago(3))) == "open"


def test_note_says_what_is_known() -> None:
    open_, closed = (_ago(3), _pick(1, checked=_ago(0))), (_ago(3), _pick(2, closed=_ago(1)))
    stale = (_ago(40), _pick(3, checked=_ago(28)))  # last seen open 2 Nov
    never = (_ago(35), _pick(4))  # picked 26 Oct, never answered
    assert KNOWN.note([open_]) == ""
    assert KNOWN.note([open_, closed]) == ", 1 still open"
    assert KNOWN.note([closed]) == ", none still open"
    assert KNOWN.note([open_, closed, stale, never]) == (
        ": 1 still open, 1 closed, 2 not checked since 2 Nov"
    )
    assert KNOWN.note([stale, never]) == ", not checked since 2 Nov"
    assert KNOWN.note([closed, never]) == ": 1 closed, 1 not checked since 26 Oct"
    # Until the checker has answered once, the site says nothing of openness.
    assert Knowledge(NEWEST, LivenessConfig(), any_answer=False).note([closed, never]) == ""
    # Another year than the newest day's is written with its year.
    old = (dt.date(2025, 6, 1), _pick(5, checked=dt.date(2025, 6, 2)))
    assert KNOWN.note([old]) == ", not checked since 2 Jun 2025"


def test_knowledge_from_the_days() -> None:
    days = [(_ago(2), [_pick(1)]), (NEWEST, [_pick(2)]), (_ago(9), [_pick(3)])]
    assert knowledge(days) == Knowledge(NEWEST, LivenessConfig(), any_answer=False)
    days.append((_ago(20), [_pick(4, checked=_ago(1))]))
    assert knowledge(days, LivenessConfig(days=7)).any_answer
    assert knowledge([]) == Knowledge(None, LivenessConfig(), any_answer=False)


def test_a_company_page_never_counts_an_unchecked_pick_as_open() -> None:
    """Issue 25: "329 picks, 155 still open" where far fewer were."""
    days = [
        DayPage(date=NEWEST, picks=(_pick(1),)),
        DayPage(date=_ago(3), picks=(_pick(2, checked=_ago(0)), _pick(3, closed=_ago(1)))),
        DayPage(date=_ago(90), picks=(_pick(4, checked=_ago(62)),)),
    ]
    (page,) = company_pages(collect(days))
    assert page.summary == (
        "4 picks, 1 Sep to 30 Nov 2026: 2 still open, 1 closed, 1 not checked since 29 Sep."
    )
