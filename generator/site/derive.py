"""What the site derives from the day pages: companies, the home page, the archive, the
company pages and the explore data, in plain Python. A pick's own markup is `render.py`'s.

Links between generated pages are raw HTML with directory URLs (`picks/2026/2026-11-23/`)
rather than markdown links to `.md` files: company pages are filled in after the engine has
run (see `shell.py`), so the engine never sees them and must not try to resolve links to them.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from markupsafe import Markup
from slugify import slugify

from generator import pages
from generator.config import LivenessConfig
from generator.models import LEVELS, PAY_PERIODS, PERIODS_PER_YEAR, VISAS, WORK_MODES, DayPage, Pick
from generator.site import dates, engine, marks, render, slugs, templating
from generator.site.dayline import count_text, day_summary, list_text
from generator.site.engine import MKDOCS, Adapter
from generator.site.fills import EnginePage
from generator.site.openness import Knowledge, knowledge
from generator.site.urls import company_feed, company_url, day_doc, day_url, relative
from generator.text import fold_table, plural

ASSETS = Path(__file__).parent.parent / "assets"
HOME_PREVIOUS_DAYS = 7
ARCHIVE_RECENT = 60


@dataclass(frozen=True)
class CompanyPick:
    date: dt.date
    pick: Pick
    n: int
    """Its place in the day, from 1: its card's anchor on the day page (`render.pick_anchor`)."""


@dataclass
class Company:
    name: str
    slug: str
    picks: list[CompanyPick] = field(default_factory=list)
    """Newest first."""


@dataclass
class SiteData:
    """Everything the generated pages need, computed once from the day pages."""

    days: list[DayPage]
    """Newest first."""
    companies: dict[str, Company]
    """By case-folded name; the display name is the most recent spelling."""
    engine: Adapter = MKDOCS
    """The engine that renders the pages: where their relative links start (rule 6)."""
    knowledge: Knowledge = field(default_factory=Knowledge)
    """What the site knows of its picks' openness: every "still open" count asks it."""
    applications: list[marks.Application] = field(default_factory=list)
    """The reader's applications from feedback.yml (`marks.py`), newest first."""
    recorded: dict[str, object] = field(default_factory=dict)
    """feedback.yml's marks for the browser (`marks.browser_marks`)."""

    def company(self, name: str) -> Company:
        return self.companies[name.casefold()]


def collect(days: Iterable[DayPage], cadence: LivenessConfig | None = None) -> SiteData:
    """The site's data; `cadence` is the checker's schedule (`liveness:`), which says how
    recent an answer must be for a pick to count as open."""
    newest_first = sorted(days, key=lambda d: d.date, reverse=True)
    companies: dict[str, Company] = {}
    for day in newest_first:
        for n, pick in enumerate(day.picks, 1):
            if not pick.company:
                continue
            key = pick.company.casefold()
            if key not in companies:
                companies[key] = Company(pick.company, "")
            companies[key].picks.append(CompanyPick(day.date, pick, n))
    assigned = slugs.assign(
        slugs.Seen(key, c.name, c.picks[-1].date) for key, c in companies.items()
    )
    for key, company in companies.items():
        company.slug = assigned[key]
    known = knowledge(((d.date, d.picks) for d in newest_first), cadence)
    return SiteData(newest_first, companies, knowledge=known)


def picked(data: SiteData) -> dict[str, tuple[dt.date, int]]:
    """Each pick's id: its day and place there (a pick on two days: the latest)."""
    out: dict[str, tuple[dt.date, int]] = {}
    for day in data.days:
        for n, pick in enumerate(day.picks, 1):
            out.setdefault(pick.id, (day.date, n))
    return out


def without_reasons(days: Iterable[DayPage]) -> list[DayPage]:
    """The days as a site with `site.reasons: false` shows them: every pick without the
    scorer's reason or the posting's summary (its score and facts stay). Done once, before
    anything is derived, so no page, feed, search entry or Explore file can hold them."""
    return [
        day.model_copy(
            update={
                "picks": tuple(
                    p.model_copy(update={"reason": "", "summary": ""}) for p in day.picks
                )
            }
        )
        for day in days
    ]


def link_base(data: SiteData, doc: str) -> str:
    """Where relative links written into the engine-rendered page `doc` start from."""
    return data.engine.link_base(doc)


def _md(text: str) -> str:
    return pages.escape_markdown(text)


def _top_companies(day: DayPage, n: int = 3) -> list[str]:
    counts = Counter(p.company for p in day.picks if p.company)
    order = {c: i for i, c in enumerate(day.companies)}
    return sorted(counts, key=lambda c: (-counts[c], order[c]))[:n]


def _company_href(data: SiteData, from_url: str, name: str) -> str:
    return relative(from_url, company_url(data.company(name).slug)) if name else ""


def scored_by(day: DayPage) -> str:
    """Which scorer (and model) scored the day, in words; "" when the page does not say."""
    if not day.scorer:
        return ""
    if day.scorer == "legacy":
        return "imported from an earlier digest"
    if day.scorer == "local":
        return "scored by the local keyword scorer"
    return f"scored by {day.scorer}" + (f" ({day.model})" if day.model else "")


# -- pages the engine renders ---------------------------------------------------------------
#
# Links between generated pages are inline HTML: with several engine processes a day page may
# be rendered by another one, and company pages are made after the engine has run, so the
# engine must not try to resolve them.


@dataclass(frozen=True)
class DayLink:
    """A day as a list item (`parts.days`) or a neighbour (`parts.day_nav`)."""

    href: str
    iso: str
    label: str
    """ "Mon 23 Nov 2026"."""
    count: str
    """ "20 picks"."""
    tops: list[str]
    """The companies with the most picks, most first."""


def _day_links(
    from_url: str, days: Iterable[DayPage], count: Callable[[DayPage], str] = count_text
) -> list[DayLink]:
    """`count` words each day's count: the archive's (`list_text`) says what the verdicts
    kept out too; the home page's row of recent days has room for the count alone."""
    return [
        DayLink(
            relative(from_url, day_url(day.date)),
            day.date.isoformat(),
            dates.day_text(day.date),
            count(day),
            _top_companies(day),
        )
        for day in days
    ]


def _cards(data: SiteData, day: DayPage, from_url: str) -> list[render.Card]:
    return [
        render.card(
            pick, day=day.date, company_href=_company_href(data, from_url, pick.company), n=n
        )
        for n, pick in enumerate(day.picks, 1)
    ]


def _day_note(data: SiteData, day: DayPage) -> str:
    """ ", 18 still open" and the like, for a day's count (`openness.Knowledge.note`)."""
    return data.knowledge.note((day.date, pick) for pick in day.picks)


def day_page(data: SiteData, day: DayPage, index: int | None = None) -> EnginePage:
    """A day as the site shows it: one card per pick (see `render.py`; the cards are filled
    in after the engine, `fills.py`), with previous and next day links above and below.
    Search entries come from `search.py`, so the engine skips the page. `index` is the
    day's place in `data.days` (found when not given)."""
    if index is None:
        index = next(n for n, d in enumerate(data.days) if d.date == day.date)
    here = link_base(data, day_doc(day.date))
    older = data.days[index + 1 : index + 2]
    newer = data.days[index - 1 : index] if index > 0 else []
    line = [day_summary(day, _day_note(data, day))]
    cards: dict[str, str] = {}
    body = templating.render(
        "day.md.html",
        heading=dates.day_text(day.date),
        day_iso=day.date.isoformat(),
        line=line + ([scored] if (scored := scored_by(day)) else []),
        older=next(iter(_day_links(here, older)), None),
        newer=next(iter(_day_links(here, newer)), None),
        all_href=relative(here, "archive/"),
        # Filled in after the engine, so its links start from the page's URL whatever the
        # engine (rule 6 is about what the engine renders).
        cards=_cards(data, day, day_url(day.date)),
        markdown=True,
        level=2,
        hashes="##",
        fills=cards,
    )
    meta = {
        "title": dates.day_text(day.date),
        "date": day.date,
        "description": f"{plural(len(day.picks), 'job pick')} for {dates.day_text(day.date)}",
        **engine.GENERATED_PAGE,
    }
    return EnginePage(pages.front_matter(meta, body), cards)


@dataclass(frozen=True)
class _Latest:
    href: str
    heading: str
    """ "Mon 23 Nov 2026"."""
    iso: str
    updated: str
    """When the latest day was, for a browser without JavaScript; the page's script says
    "last updated 6 days ago" in the reader's own today."""
    line: str


@dataclass(frozen=True)
class SavedLink:
    """A saved search as the home page lists it (`saved.py` makes them)."""

    title: str
    url: str
    feed: str


def home_page(data: SiteData, site_title: str, saved: Sequence[SavedLink] = ()) -> EnginePage:
    """The latest day's picks first, headed by their day (the site's name is the header's
    alone), then the recent days and the saved searches. No table of contents: its width
    goes to the cards, so more of them fit on the first screen."""
    meta = {"title": site_title, "hide": ["toc"], **engine.GENERATED_PAGE}
    here = link_base(data, "index.md")
    latest = data.days[0] if data.days else None
    cards: dict[str, str] = {}
    body = templating.render(
        "home.md.html",
        title_md=Markup(_md(site_title)),
        latest=latest
        and _Latest(
            relative(here, day_url(latest.date)),
            dates.day_text(latest.date),
            latest.date.isoformat(),
            "updated " + dates.date_text(latest.date),
            day_summary(latest, _day_note(data, latest)),
        ),
        recent=_day_links(here, data.days[1 : 1 + HOME_PREVIOUS_DAYS]),
        cards=_cards(data, latest, "") if latest else [],  # filled in: from the page's URL
        markdown=True,
        level=2,
        hashes="##",
        fills=cards,
        saved=saved,
    )
    return EnginePage(pages.front_matter(meta, body), cards)


def archive_pages(data: SiteData) -> dict[str, str]:
    """The archive: recent days on the index with every year linked, and a page per year
    listing each of its days, month by month, with pick counts and top companies."""
    by_year: dict[int, list[DayPage]] = defaultdict(list)
    for day in data.days:
        by_year[day.date.year].append(day)
    out: dict[str, str] = {}
    for year, days in sorted(by_year.items(), reverse=True):
        months: dict[int, list[DayPage]] = defaultdict(list)
        for day in days:
            months[day.date.month].append(day)
        here = link_base(data, f"archive/{year}.md")
        body = templating.render(
            "archive-year.md.html",
            year=year,
            days=plural(len(days), "day"),
            picks=plural(sum(len(d.picks) for d in days), "pick"),
            months=[
                {
                    "name": dt.date(year, month, 1).strftime("%B %Y"),
                    "days": plural(len(month_days), "day"),
                    "picks": plural(sum(len(d.picks) for d in month_days), "pick"),
                    "links": _day_links(here, month_days, list_text),
                }
                for month, month_days in sorted(months.items(), reverse=True)
            ],
        )
        meta = {"title": f"Archive {year}", **engine.GENERATED_PAGE}
        out[f"archive/{year}.md"] = pages.front_matter(meta, body)
    body = templating.render(
        "archive.md.html",
        days=plural(len(data.days), "day"),
        picks=plural(sum(len(d.picks) for d in data.days), "pick"),
        years=[
            {"year": year, "days": plural(len(days), "day")}
            for year, days in sorted(by_year.items(), reverse=True)
        ],
        recent=_day_links(
            link_base(data, "archive/index.md"), data.days[:ARCHIVE_RECENT], list_text
        ),
        older=len(data.days) > ARCHIVE_RECENT,
    )
    out["archive/index.md"] = pages.front_matter(
        {"title": "Archive", **engine.GENERATED_PAGE}, body
    )
    return out


def _letter(name: str) -> str:
    first = slugify(name)[:1].upper()
    return first if first.isalpha() else "#"


def _anchor(letter: str) -> str:
    return "letter-other" if letter == "#" else f"letter-{letter.lower()}"


def _a_to_z(data: SiteData) -> list[Company]:
    return sorted(data.companies.values(), key=lambda c: (c.name.casefold(), c.slug))


AZ_HEADED = 12
"""A letter with at least this many companies gets a heading of its own; the letters with
fewer share one list in columns, each letter a label among the names."""


@dataclass(frozen=True)
class _Letter:
    letter: str
    anchor: str
    companies: list[Company]


def _az_sections(companies: Sequence[Company]) -> list[tuple[bool, list[_Letter]]]:
    """The letters in order, as sections: (headed, [one letter]) for a big letter, and
    (False, [letters...]) for each run of small ones between them."""
    letters: dict[str, list[Company]] = defaultdict(list)
    for company in companies:
        letters[_letter(company.name)].append(company)
    sections: list[tuple[bool, list[_Letter]]] = []
    # By letter, not by the names' order: "Ørsted" sorts after "Zoox" but files under O.
    for letter in sorted(letters, key=lambda letter: (letter == "#", letter)):
        group = letters[letter]
        item = _Letter(letter, _anchor(letter), group)
        if len(group) >= AZ_HEADED:
            sections.append((True, [item]))
        elif sections and not sections[-1][0]:
            sections[-1][1].append(item)
        else:
            sections.append((False, [item]))
    return sections


def companies_index(data: SiteData) -> str:
    """The A-Z index, one engine page; each company's own page is filled in after the build.
    Compact: a letter with few companies is a label in a shared list, not a heading (38
    companies under a heading a letter were a page 2,700 px tall at 1280 px)."""
    companies = _a_to_z(data)
    sections = _az_sections(companies)
    body = templating.render(
        "companies.md.html",
        count=plural(len(companies), "company", "companies"),
        letters=[item for _, items in sections for item in items],
        sections=sections,
    )
    # The letters are the page's table of contents; its width goes to the columns.
    meta = {"title": "Companies", "hide": ["toc"], **engine.GENERATED_PAGE}
    return pages.front_matter(meta, body)


# -- company pages, filled into an engine-rendered shell ----------------------------------


@dataclass(frozen=True)
class CompanyPage:
    """One company's page content, as HTML; `shell.py` puts it into the site's layout."""

    slug: str
    title: str
    description: str
    summary: str
    """The line under the heading; also the page's text in the search index."""
    body: str


def _pick_href(from_url: str, item: CompanyPick) -> str:
    """The pick's card on its day page."""
    return f"{relative(from_url, day_url(item.date))}#{render.pick_anchor(item.n)}"


def company_pages(data: SiteData) -> list[CompanyPage]:
    out = []
    for company in _a_to_z(data):
        here = company_url(company.slug)
        first, last = company.picks[-1].date, company.picks[0].date
        note = data.knowledge.note((i.date, i.pick) for i in company.picks)
        summary = f"{plural(len(company.picks), 'pick')}, {dates.span_text(first, last)}{note}."
        body = templating.render(
            "company.html",
            applications=Markup(marks.company_applications(data.applications, company.name, here)),
            summary=summary,
            name=company.name,
            feed_href=relative(here, company_feed(company.slug)),
            all_href=relative(here, "companies/"),
            cards=[
                render.card(item.pick, day=item.date, day_href=_pick_href(here, item))
                for item in company.picks
            ],
        )
        out.append(
            CompanyPage(
                company.slug,
                company.name,
                f"Every job pick from {company.name}",
                summary,
                body,
            )
        )
    return out


# -- explore: data the browser filters and sorts -------------------------------------------


def explore_page() -> str:
    """The Explore page; its choices are the vocabulary's (`models.py`)."""
    meta = {
        "title": "Explore",
        "description": "Every pick in one table, filtered and sorted in your browser.",
        **engine.GENERATED_PAGE,
        "hide": ["toc"],
    }
    body = templating.render(
        "explore.md.html",
        work_modes=WORK_MODES,
        levels=LEVELS,
        visas=VISAS,
        periods=PAY_PERIODS,
    )
    return pages.front_matter(meta, body)


EXPLORE_COLUMNS = [
    "date",
    "company",
    "title",
    "location",
    "score",
    "url",
    "slug",
    "work_mode",
    "pay",
    "visa",
    "level",
    "posted",
    "closed",
    "first_seen",
    "reposts",
    "id",
]
"""A row of `explore/data/YEAR.json`, in order. `pay` is `[min, max, currency, period]`;
an unknown fact is an empty string (or 0 for pay), which keeps the files small. A repost
(`Pick.first_seen`, `Pick.reposts`) has the day the job was first seen and how many times
it was seen again under a new URL; other picks "" and 0."""


def _explore_row(data: SiteData, date: dt.date, pick: Pick) -> list[object]:
    pay: object = (
        [pick.pay.min, pick.pay.max, pick.pay.currency, pick.pay.period] if pick.pay else 0
    )
    return [
        date.isoformat(),
        pick.company,
        pick.display_title,
        pick.location,
        pick.score,
        pick.url,
        data.company(pick.company).slug if pick.company else "",
        pick.work_mode or "",
        pay,
        pick.visa or "",
        pick.level or "",
        pick.posted.isoformat() if pick.posted else "",
        pick.closed.isoformat() if pick.closed else "",
        pick.first_seen.isoformat() if pick.first_seen else "",
        pick.reposts,
        pick.id,
    ]


def explore_files(data: SiteData) -> dict[str, str]:
    """The explore table's data, one file per year, newest rows first and each day's in its
    pick order (Explore links a row to its card, `#pick-N`, by its place in the day).
    Summaries and reasons, most of the bytes, go to a parallel `text-YEAR.json` that the page
    fetches only when a reader searches text, so the table itself loads fast. They are kept
    apart: a text search looks at what a job was (title, company, place, the posting's own
    summary), and at the scorer's reasons only when asked, since "Lacks Python" is no
    Python job (issue 25)."""
    rows: dict[int, list[list[object]]] = defaultdict(list)
    summaries: dict[int, list[str]] = defaultdict(list)
    reasons: dict[int, list[str]] = defaultdict(list)
    for day in data.days:
        for pick in day.picks:
            rows[day.date.year].append(_explore_row(data, day.date, pick))
            summaries[day.date.year].append(pick.summary)
            reasons[day.date.year].append(pick.reason)

    def dump(value: object) -> str:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))

    out: dict[str, str] = {}
    for year in rows:
        out[f"explore/data/{year}.json"] = dump(
            {"year": year, "columns": EXPLORE_COLUMNS, "rows": rows[year]}
        )
        out[f"explore/data/text-{year}.json"] = dump(
            {"year": year, "summary": summaries[year], "reason": reasons[year]}
        )
    years = sorted(rows, reverse=True)
    out["explore/data/index.json"] = dump(
        {
            "years": years,
            "counts": {str(y): len(rows[y]) for y in years},
            "bands": render.BANDS,
            # What a minimum pay means (`models.MinPay.reaches`): explore.js converts periods
            # with the same figures.
            "periods_per_year": PERIODS_PER_YEAR,
            # How to fold accents as Python does (`text.fold`), for what the picks hold and
            # what a reader may type.
            "fold": fold_table(
                itertools.chain(
                    (str(row[n]) for year in rows for row in rows[year] for n in (1, 2, 3)),
                    itertools.chain.from_iterable(summaries.values()),
                    itertools.chain.from_iterable(reasons.values()),
                )
            ),
        }
    )
    for name in ("explore.js", "explore.css"):
        out[f"explore/{name}"] = (ASSETS / name).read_text(encoding="utf-8")
    return out
