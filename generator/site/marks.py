"""The reader's marks on the site: My picks (in the browser) and Applications (from feedback.yml).

Marks made on the site live in the browser (`generator/assets/marks.js`): My picks is a
page marks.js fills, with "Send to jobpicks" pointed at the site's own GitHub repository when
the build knows it. What has reached `feedback.yml` is known at build time: the Applications
page lists the applied picks by status, and each company's page its own applications.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from generator import pages
from generator.feedback import STATUSES, Mark, load_feedback
from generator.site import engine, templating
from generator.site.dates import date_text, day_text
from generator.site.render import pick_anchor
from generator.site.urls import day_url, relative

MINE_DOC = "mine/index.md"
APPLICATIONS_DOC = "applications/index.md"
RECORDED_FILE = "mine/recorded.json"
"""feedback.yml's marks for marks.js (`browser_marks`), beside My picks."""
ASSETS = ("stylesheets/marks.css", "javascripts/marks.js")
"""Where the site serves marks' assets (mkdocs.yml's extra_css and extra_javascript)."""


@dataclass(frozen=True)
class Application:
    """An applied mark of feedback.yml, with where the pick was shown when it still is."""

    title: str
    company: str
    url: str
    status: str
    """One of `feedback.STATUSES`; a mark without one is "applied"."""
    date: dt.date
    """The day the reader applied (`Mark.applied_on`): a later status leaves it be."""
    day: dt.date | None = None
    """The day it was picked, when a day page still holds it."""
    n: int = 0
    """Its place on that day (its card's anchor)."""

    @property
    def status_text(self) -> str:
        return status_text(self.status)


def status_text(status: str) -> str:
    """A status as a heading or cell says it: "Interviewing"."""
    return status.capitalize()


def recorded(feedback_path: Path) -> dict[str, Mark]:
    """feedback.yml's mark that counts for each job (none when there is no file). A file that
    does not parse is the `FeedbackError` every run already reports, naming its line."""
    if not feedback_path.is_file():
        return {}
    return load_feedback(feedback_path).latest()


def applications(
    latest: Mapping[str, Mark], picked: dict[str, tuple[dt.date, int]]
) -> list[Application]:
    """The applied marks of `latest` (`recorded`), latest application first; `picked` maps a
    pick's id to its day and place."""
    out = []
    for mark in latest.values():
        applied = mark.applied_on
        if applied is None:
            continue
        day, n = picked.get(mark.id, (None, 0))
        out.append(
            Application(
                mark.title or mark.url,
                mark.company,
                mark.url,
                mark.status or "applied",
                applied,
                day,
                n,
            )
        )
    return sorted(out, key=lambda a: (a.date, a.title), reverse=True)


def browser_marks(
    latest: Mapping[str, Mark], picked: dict[str, tuple[dt.date, int]], timezone: str
) -> dict[str, object]:
    """`RECORDED_FILE`: feedback.yml's marks as marks.js keeps its own, so a card, row and My
    picks show a job marked on another device, from the site's issue or with `jobpicks
    feedback` once the site is rebuilt. Notes stay out: the site shows none of them. As in
    the file, `date` orders a mark against the browser's own, and an application a later
    status updated says the day it was made (`applied`). With the project's `timezone`, in
    which marks.js dates a mark as a run dates a day."""
    out: dict[str, dict[str, str]] = {}
    for mark in latest.values():
        day = picked.get(mark.id, (None, 0))[0]
        fields = {
            "id": mark.id,
            "url": mark.url,
            "title": mark.title,
            "company": mark.company,
            "verdict": mark.verdict,
            "reason": mark.reason or "",
            "status": mark.status or "",
            "date": mark.date.isoformat(),
            "applied": mark.applied.isoformat() if mark.applied else "",
            "day": day.isoformat() if day else "",
        }
        out[mark.id] = {key: value for key, value in fields.items() if value}
    return {"timezone": timezone, "marks": out}


@dataclass(frozen=True)
class _Row:
    application: Application
    day_href: str
    day_label: str
    date_label: str


def _rows(items: Sequence[Application], from_url: str, today: dt.date | None) -> list[_Row]:
    def href(a: Application) -> str:
        if a.day is None:
            return ""
        return relative(from_url, f"{day_url(a.day)}#{pick_anchor(a.n)}")

    return [
        _Row(a, href(a), day_text(a.day) if a.day else "", date_text(a.date, today=today))
        for a in items
    ]


def applications_page(
    items: Sequence[Application], today: dt.date | None = None, *, shown: bool = True
) -> str:
    """Every application by status (applied, interviewing, offer, rejected), from feedback.yml;
    with `shown` false (`site.verdicts: false`), a page that says the site keeps them off."""
    here = APPLICATIONS_DOC.removesuffix("index.md")
    groups = [
        (status_text(status), _rows([a for a in items if a.status == status], here, today))
        for status in STATUSES
    ]
    body = templating.render(
        "applications.md.html",
        groups=[g for g in groups if g[1]],
        count=len(items),
        company_column=True,
        shown=shown,
    )
    meta = {"title": "Applications", **engine.GENERATED_PAGE}
    return pages.front_matter(meta, body)


def company_applications(
    items: Sequence[Application], company: str, from_url: str, today: dt.date | None = None
) -> str:
    """The applications to `company` for its page (HTML; "" when there are none)."""
    mine = [a for a in items if a.company.casefold() == company.casefold()]
    if not mine:
        return ""
    return templating.render(
        "company-applications.html",
        rows=_rows(mine, from_url, today),
        company_column=False,
        all_href=relative(from_url, APPLICATIONS_DOC.removesuffix("index.md")),
    )


def mine_page(repository: str, server: str = "https://github.com") -> str:
    """My picks: marks.js fills it from the browser's marks. `repository` (`owner/name`, or
    "" when the build cannot tell) is where "Send to jobpicks" opens its issue."""
    body = templating.render("mine.md.html", repository=repository, server=server)
    meta = {"title": "My picks", "hide": ["toc"], **engine.GENERATED_PAGE}
    return pages.front_matter(meta, body)
