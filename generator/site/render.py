"""One pick, as the site shows it: day pages, the home page, company pages and feed items.

Python decides what a pick says (its facts as short labels, its score band, its dates in
words) and puts it in a `Card`; the layout is the templates' in `generator/theme/jobpicks/`
(`pick.html` for cards, `pick-row.html` for a company page's table rows, sharing the macros
in `parts.html`; `saved-row.html` for a saved search's rows; `feed-item.html` for feed items,
the same card without the site's classes), so a change to how a pick looks is made in one
place. Every view draws from the `Pick` as it was validated when it was made (plain text, an
http(s) URL or none) and cleans nothing again; every string is escaped by Jinja2's autoescape.

    pick_html(pick, day=..., company_href=...)        # one card, all HTML
    pick_title_text(pick)                             # "Company - Title", plain text
    feed_html([card(pick, day=...), ...], day=True)   # a feed item: a day's picks
    cards_markdown([card(pick, day=..., company_href=..., n=1), ...])  # for the engine
    rows_html([card(pick, day=..., day_href=...), ...])                # a company's rows
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Literal

from jinja2 import Template
from markupsafe import Markup

from generator import pages
from generator.models import EMPLOYMENTS, LEVELS, PAY_PERIODS, VISAS, WORK_MODES, Pay, Pick
from generator.site.dates import date_text
from generator.site.fills import EnginePage
from generator.site.templating import environment
from generator.text import plural


@cache
def _template(name: str) -> Template:
    return environment().get_template(name)


# -- what a pick says, in words -------------------------------------------------------------

_CURRENCY = {"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥", "INR": "₹"}

Band = Literal["top", "high", "mid", "low"]


BANDS: tuple[tuple[int, Band], ...] = ((85, "top"), (70, "high"), (55, "mid"), (0, "low"))
"""A score's colour band is the first whose floor it reaches; Explore reads them too."""


def pick_anchor(n: int) -> str:
    """The id of a day's `n`th card (from 1), which company pages and Explore link to."""
    return f"pick-{n}"


def band(score: int) -> Band:
    """The score's colour band: top (85+), high (70-84), mid (55-69), low (below 55)."""
    return next((name for floor, name in BANDS if score >= floor), "low")


def _amount(value: float, symbol: str, code: str, short: bool) -> str:
    if short and value >= 1000:
        number = f"{value / 1000:.1f}".removesuffix(".0") + "k"
    else:
        number = f"{value:,.2f}".removesuffix(".00")
    return f"{symbol}{number}" if symbol else f"{code} {number}"


def pay_text(pay: Pay) -> str:
    """ "$150k-$180k a year", "€60k-€75k a year", "$50 an hour", "CHF 9.5k a month"."""
    symbol = _CURRENCY.get(pay.currency, "")
    short = pay.period != "hour"
    low = _amount(pay.min, symbol, pay.currency, short)
    high = _amount(pay.max, symbol, pay.currency, short)
    span = low if low == high else f"{low}-{high}" if symbol else f"{low}-{high.split(' ')[-1]}"
    return f"{span} {PAY_PERIODS[pay.period]}"


def posted_text(posted: dt.date, day: dt.date) -> str:
    """How fresh the posting was when it was picked."""
    days = (day - posted).days
    if days <= 0:
        return "posted the day of the pick"
    return f"posted {plural(days, 'day')} before the pick"


def repost_text(pick: Pick, day: dt.date | None) -> str:
    """A repost's history in words, "first seen 2 Oct, reposted 3 times": a job open for
    months and posted again and again is worth knowing about (issue 25). "" for others."""
    seen = f"first seen {date_text(pick.first_seen, today=day)}" if pick.first_seen else ""
    times = {1: "once", 2: "twice"}.get(pick.reposts, f"{pick.reposts} times")
    again = f"reposted {times}" if pick.reposts else ""
    return ", ".join(part for part in (seen, again) if part)


@dataclass(frozen=True)
class Fact:
    kind: str
    """A CSS modifier: mode, pay, visa, level, employment."""
    text: str


def facts(pick: Pick) -> list[Fact]:
    """The decision facts that are known, in the order a job seeker weighs them."""
    out = []
    if pick.work_mode:
        out.append(Fact("mode", WORK_MODES[pick.work_mode]))
    if pick.pay:
        out.append(Fact("pay", pay_text(pick.pay)))
    if pick.visa:
        out.append(Fact("visa", VISAS[pick.visa]))
    if pick.level:
        out.append(Fact("level", LEVELS[pick.level]))
    if pick.employment:
        out.append(Fact("employment", EMPLOYMENTS[pick.employment]))
    return out


def pick_title_text(pick: Pick) -> str:
    """The pick as one line of plain text: "Company - Title" (a table of contents entry)."""
    return f"{pick.company} - {pick.display_title}" if pick.company else pick.display_title


# -- markup ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Card:
    """What the templates show of one pick, every value ready to print (the templates only
    lay it out: a three-year build renders 20,000 cards, and template logic is slow)."""

    score: int
    band: Band
    title: str
    url: str
    company: str
    company_href: str
    poster: str
    location: str
    posted_iso: str
    posted_short: str
    age: str
    """ "3 days before the pick"."""
    labels: list[Fact]
    """Closed first, then the decision facts."""
    reason: str
    summary: str
    closed: bool
    toc_label: Markup
    """ "Company - Title" for the heading's `data-toc-label`."""
    anchor: str = ""
    day_iso: str = ""
    day_text: str = ""
    """The day it was picked, "23 Nov 2026" (`dates.py`)."""
    day_href: str = ""
    repost: str = ""
    """ "first seen 2 Oct, reposted 3 times" (`repost_text`), or ""."""
    pick_id: str = ""
    """The pick's stable id, which the reader's marks are kept by (`actions.html`)."""


def _md_attr(text: str) -> Markup:
    """Text for a double-quoted attr_list value: markdown-escaped, no double quote."""
    return Markup(pages.escape_markdown(text).replace('"', "&quot;"))


def card(
    pick: Pick,
    *,
    day: dt.date | None,
    company_href: str | None = "",
    n: int = 0,
    day_href: str = "",
) -> Card:
    closed = [Fact("closed", f"Closed {date_text(pick.closed, today=day)}")] if pick.closed else []
    age = posted_text(pick.posted, day).removeprefix("posted ") if pick.posted and day else ""
    return Card(
        score=pick.score,
        band=band(pick.score),
        title=pick.display_title,
        url=pick.url,
        company=pick.company,
        company_href=company_href or "",
        poster=pick.poster,
        location=pick.location,
        posted_iso=pick.posted.isoformat() if pick.posted else "",
        posted_short=date_text(pick.posted, today=day) if pick.posted else "",
        age=age,
        labels=closed + facts(pick),
        reason=pick.reason,
        summary=pick.summary,
        closed=pick.closed is not None,
        anchor=pick_anchor(n) if n else "",
        toc_label=_md_attr(pick_title_text(pick)),
        day_iso=day.isoformat() if day else "",
        day_text=date_text(day) if day else "",
        day_href=day_href,
        repost=repost_text(pick, day) if pick.reposts or pick.first_seen else "",
        pick_id=pick.id,
    )


def cards_html(cards: Sequence[Card], *, level: int = 3) -> str:
    """Cards as HTML, each heading an `<hN>`."""
    return _template("pick.html").render(cards=cards, markdown=False, level=level, hashes="")


def cards_markdown(cards: Sequence[Card], *, level: int = 2) -> EnginePage:
    """Cards for a page the engine renders: each a markdown heading (so the table of contents
    lists it, as "Company - Title", with the card's anchor) and markers that the card's HTML
    replaces once the engine is done (`fills.py`)."""
    found: dict[str, str] = {}
    text = _template("pick.html").render(
        cards=cards, markdown=True, level=level, hashes="#" * level, fills=found
    )
    return EnginePage(text, found)


def feed_html(cards: Sequence[Card], *, day: bool, page: str = "") -> str:
    """Cards for a feed item: a whole day as a list (`day`), or one pick picked on `page`."""
    return _template("feed-item.html").render(cards=cards, day=day, page=page).strip()


def fact_texts(pick: Pick) -> list[str]:
    """A pick's labels as words, the closed date first: what a card shows, for plain text
    (a notification's lines)."""
    return [label.text for label in card(pick, day=None).labels]


def rows_html(cards: Sequence[Card]) -> str:
    """Rows of a company page's table: date picked, score, job, place and facts."""
    return _template("pick-row.html").render(cards=cards)


def pick_html(pick: Pick, *, day: dt.date | None, company_href: str | None, level: int = 3) -> str:
    """One pick's card as HTML, the company linked to `company_href` (no link when None or
    empty). For feed items and any page the engine does not render."""
    return cards_html([card(pick, day=day, company_href=company_href)], level=level)


def pick_markdown(
    pick: Pick, *, n: int, day: dt.date, company_href: str | None, level: int = 2
) -> EnginePage:
    """One pick's card for a page the engine renders, with the anchor `pick-n`."""
    return cards_markdown([card(pick, day=day, company_href=company_href, n=n)], level=level)


def pick_row(pick: Pick, *, day: dt.date, day_href: str) -> str:
    """One row of a company page's table."""
    return rows_html([card(pick, day=day, day_href=day_href)])
