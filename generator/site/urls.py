"""Where things live on the site: a day's file and address, a company's page and feed, and a
link between two pages. One module every stage that writes a link reads (derive, feeds,
search, shell, saved searches, marks, notify), with nothing else to import."""

from __future__ import annotations

import datetime as dt


def day_doc(date: dt.date) -> str:
    """A day's file in the staging docs folder."""
    return f"picks/{date.year:04d}/{date.isoformat()}.md"


def day_url(date: dt.date) -> str:
    return day_doc(date).removesuffix(".md") + "/"


def company_url(slug: str) -> str:
    return f"companies/{slug}/"


def company_feed(slug: str) -> str:
    return f"feeds/companies/{slug}.xml"


def relative(from_url: str, to_url: str) -> str:
    """A link from the page at directory URL `from_url` to the site path `to_url`."""
    return "../" * from_url.count("/") + to_url
