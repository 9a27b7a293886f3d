"""Dates as the site writes them, in one style on every page, feed and in Explore.

A date is day, abbreviated month and year: "23 Nov 2026"; a day a page is about (a heading,
a list of days, a feed item) adds its weekday, "Mon 23 Nov 2026"; a date in the same year as
the one around it drops the year, "18 Nov". ISO dates stay in addresses, attributes and
data files, where machines read them. `explore.js` writes the same style (`dateText`).
"""

from __future__ import annotations

import datetime as dt


def date_text(date: dt.date, *, today: dt.date | None = None) -> str:
    """ "23 Nov 2026"; "23 Nov" when `today` is in the same year."""
    text = f"{date.day} {date:%b}"
    return text if today is not None and date.year == today.year else f"{text} {date.year}"


def day_text(date: dt.date) -> str:
    """A day a page or item is about: "Mon 23 Nov 2026"."""
    return f"{date:%a} {date_text(date)}"


def span_text(first: dt.date, last: dt.date) -> str:
    """ "2 Jan to 23 Nov 2026", "30 Dec 2025 to 2 Jan 2026", or one date."""
    if first == last:
        return date_text(first)
    return f"{date_text(first, today=last)} to {date_text(last)}"
