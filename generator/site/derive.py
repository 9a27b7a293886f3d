"""What the site derives from the day pages: companies, the home page, the archive, the
company pages and the explore data, in plain Python.

Links between generated pages are raw HTML with directory URLs (`picks/2026/2026-11-23/`)
rather than markdown links to `.md` files: company pages are filled in after the engine has
run (see `shell.py`), so the engine never sees them and must not try to resolve links to them.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from typing import Any

import frontmatter
from slugify import slugify

from generator import pages
from generator.models import DayPage, Pick
from generator.site import slugs

ASSETS = Path(__file__).parent.parent / "assets"
HOME_PREVIOUS_DAYS = 14


@dataclass(frozen=True)
class CompanyPick:
    date: dt.date
    pick: Pick


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

    def company(self, name: str) -> Company:
        return self.companies[name.casefold()]


def collect(days: Iterable[DayPage]) -> SiteData:
    newest_first = sorted(days, key=lambda d: d.date, reverse=True)
    companies: dict[str, Company] = {}
    for day in newest_first:
        for pick in day.picks:
            if not pick.company:
                continue
            key = pick.company.casefold()
            if key not in companies:
                companies[key] = Company(pick.company, "")
            companies[key].picks.append(CompanyPick(day.date, pick))
    assigned = slugs.assign(
        slugs.Seen(key, c.name, c.picks[-1].date) for key, c in companies.items()
    )
    for key, company in companies.items():
        company.slug = assigned[key]
    return SiteData(newest_first, companies)


# -- where things live ----------------------------------------------------------------------


def day_doc(date: dt.date) -> str:
    """A day's file in the staging docs folder."""
    return f"picks/{date.year:04d}/{date.isoformat()}.md"


def day_url(date: dt.date) -> str:
    return day_doc(date).removesuffix(".md") + "/"


def company_url(slug: str) -> str:
    return f"companies/{slug}/"


def company_feed(slug: str) -> str:
    return f"feeds/companies/{slug}.xml"


def doc_url(doc: str) -> str:
    """The directory URL MkDocs gives a docs file, relative to the site root."""
    path = doc.removesuffix(".md")
    if path == "index":
        return ""
    return path.removesuffix("index") if path.endswith("/index") else f"{path}/"


def relative(from_url: str, to_url: str) -> str:
    """A link from the page at directory URL `from_url` to the site path `to_url`."""
    return "../" * from_url.count("/") + to_url


def _md(text: str) -> str:
    return pages.escape_markdown(text)


def _front(meta: dict[str, Any], body: str) -> str:
    post = frontmatter.Post(body, **meta)
    text: str = frontmatter.dumps(post, sort_keys=False, width=2**31 - 1)
    return text + "\n"


def _top_companies(day: DayPage, n: int = 3) -> list[str]:
    counts = Counter(p.company for p in day.picks if p.company)
    order = {c: i for i, c in enumerate(day.companies)}
    return sorted(counts, key=lambda c: (-counts[c], order[c]))[:n]


def _day_link(from_url: str, day: DayPage) -> str:
    """Inline HTML, like company links: with several engine processes a day page may be
    rendered by another one, so the engine must not try to resolve the link."""
    return f'<a href="{relative(from_url, day_url(day.date))}">{day.date.isoformat()}</a>'


def _company_href(data: SiteData, from_doc: str) -> pages.Href:
    here = doc_url(from_doc)
    return lambda name: relative(here, company_url(data.company(name).slug))


# -- pages the engine renders ---------------------------------------------------------------


def _html(text: str) -> str:
    return escape(" ".join(text.split()), quote=False)


def day_page(data: SiteData, day: DayPage) -> str:
    """A day as the site shows it: the reading format, with short heading anchors for the
    table of contents and search results. Only headings are markdown (the engine makes the
    table of contents from them); each pick's details are HTML the generator escapes itself,
    because Python-Markdown's inline processing of those lines was a third of the engine's
    time at 1,095 days. Search entries come from `search.py`, so the engine skips the page."""
    company_href = _company_href(data, day_doc(day.date))
    lines = [f"# {_md(day.title)}", ""]
    if not day.picks:
        lines += ["No new picks today.", ""]
    for n, pick in enumerate(day.picks, 1):
        title = _md(pick.title) or "(untitled)"
        heading = f"## [{title}]({pick.url})" if pick.url else f"## {title}"
        company = _html(pick.company)
        if pick.company:
            company = f'<a href="{company_href(pick.company)}">{company}</a>'
        if pick.poster:
            company += f" (via {_html(pick.poster)})"
        # One raw HTML block per pick, separator included: Python-Markdown runs every
        # inline pattern over each block's placeholder, so one block costs a fraction of
        # four.
        lines += [
            f"{heading} {{ #pick-{n} }}",
            "",
            '<div class="jp-pick">',
            f"<p><strong>Company:</strong> {company} | "
            f"<strong>Location:</strong> {_html(pick.location)} | "
            f"<strong>Score:</strong> {pick.score}/100</p>",
            f"<p><strong>Reason:</strong> {_html(pick.reason)}</p>",
            f"<p><strong>Summary:</strong> {_html(pick.summary)}</p>",
            "<hr>",
            "</div>",
            "",
        ]
    meta = {
        "title": day.title,
        "date": day.date,
        "description": f"{len(day.picks)} job picks for {day.date.isoformat()}",
        "companies": day.companies,
        "search": {"exclude": True},
    }
    return _front(meta, "\n".join(lines))


def home_page(data: SiteData, site_title: str) -> str:
    lines = [f"# {_md(site_title)}", ""]
    meta = {"title": site_title, "search": {"exclude": True}}
    if not data.days:
        lines += ["No picks yet. Run `jobpicks run` to write the first day.", ""]
        return _front(meta, "\n".join(lines))
    latest = data.days[0]
    lines += [
        f"The latest picks, from **{latest.date.isoformat()}**: {len(latest.picks)} jobs. "
        # Feeds are written next to the built site, not through the engine, so links to
        # them are plain HTML that MkDocs does not try to resolve.
        f'<a href="feed.xml">Subscribe via RSS</a>, browse the [archive](archive/index.md) or '
        f"[companies](companies/index.md), or [explore](explore/index.md) every pick.",
        "",
    ]
    body = pages.render_body(latest, company_href=_company_href(data, "index.md"))
    # Demote the day's headings under the home page's own title.
    for line in body.splitlines()[1:]:
        lines.append(f"#{line}" if line.startswith("## ") else line)
    previous = data.days[1 : 1 + HOME_PREVIOUS_DAYS]
    if previous:
        lines += ["## Previous days", ""]
        for day in previous:
            tops = ", ".join(_md(c) for c in _top_companies(day))
            lines.append(
                f"- {_day_link('', day)}: {len(day.picks)} picks" + (f" ({tops})" if tops else "")
            )
        lines += ["", "[All days](archive/index.md)", ""]
    return _front(meta, "\n".join(lines))


def archive_pages(data: SiteData) -> dict[str, str]:
    by_year: dict[int, list[DayPage]] = defaultdict(list)
    for day in data.days:
        by_year[day.date.year].append(day)
    out: dict[str, str] = {}
    index = ["# Archive", ""]
    if not data.days:
        index += ["No days yet.", ""]
    for year, days in sorted(by_year.items(), reverse=True):
        picks = sum(len(d.picks) for d in days)
        index.append(f"## [{year}]({year}.md)")
        index += ["", f"{len(days)} days, {picks} picks.", ""]
        months: dict[int, list[DayPage]] = defaultdict(list)
        for day in days:
            months[day.date.month].append(day)
        lines = [f"# Archive {year}", ""]
        for month, month_days in sorted(months.items(), reverse=True):
            name = dt.date(year, month, 1).strftime("%B %Y")
            count = sum(len(d.picks) for d in month_days)
            index.append(
                f"- [{name}]({year}.md#{name.lower().replace(' ', '-')}): "
                f"{len(month_days)} days, {count} picks"
            )
            lines += [f"## {name}", ""]
            for day in month_days:
                tops = ", ".join(_md(c) for c in _top_companies(day))
                lines.append(
                    f"- {_day_link(f'archive/{year}/', day)}: "
                    f"{len(day.picks)} picks" + (f": {tops}" if tops else "")
                )
            lines.append("")
        index.append("")
        out[f"archive/{year}.md"] = _front(
            {"title": f"Archive {year}", "search": {"exclude": True}}, "\n".join(lines)
        )
    out["archive/index.md"] = _front(
        {"title": "Archive", "search": {"exclude": True}}, "\n".join(index)
    )
    return out


def _letter(name: str) -> str:
    first = slugify(name)[:1].upper()
    return first if first.isalpha() else "#"


def _anchor(letter: str) -> str:
    return "letter-other" if letter == "#" else f"letter-{letter.lower()}"


def _a_to_z(data: SiteData) -> list[Company]:
    return sorted(data.companies.values(), key=lambda c: (c.name.casefold(), c.slug))


def companies_index(data: SiteData) -> str:
    """The A-Z index, one engine page; each company's own page is filled in after the build."""
    companies = _a_to_z(data)
    letters: dict[str, list[Company]] = defaultdict(list)
    for company in companies:
        letters[_letter(company.name)].append(company)
    lines = ["# Companies", "", f"{len(companies)} companies with picks, A to Z.", ""]
    lines.append(" · ".join(f"[{letter}](#{_anchor(letter)})" for letter in letters))
    lines.append("")
    for letter, group in letters.items():
        lines += [f"## {letter} {{ #{_anchor(letter)} }}", ""]
        lines += [f'- <a href="{c.slug}/">{_md(c.name)}</a> ({len(c.picks)})' for c in group]
        lines.append("")
    return _front({"title": "Companies", "search": {"exclude": True}}, "\n".join(lines))


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


def company_pages(data: SiteData) -> list[CompanyPage]:
    out = []
    for company in _a_to_z(data):
        here = company_url(company.slug)
        rows = []
        for item in company.picks:
            pick = item.pick
            title = escape(pick.title) or "(untitled)"
            if pick.url:
                title = f'<a href="{escape(pick.url)}">{title}</a>'
            via = f" (via {escape(pick.poster)})" if pick.poster else ""
            rows.append(
                f'<tr><td><a href="{relative(here, day_url(item.date))}">'
                f"{item.date.isoformat()}</a></td>"
                f"<td>{title}{via}</td><td>{escape(pick.location)}</td>"
                f"<td>{pick.score}</td></tr>"
            )
        first, last = company.picks[-1].date, company.picks[0].date
        count = f"{len(company.picks)} pick{'s' if len(company.picks) != 1 else ''}"
        span = first.isoformat() if first == last else f"{first.isoformat()} to {last.isoformat()}"
        summary = f"{count}, {span}."
        body = "\n".join(
            [
                f"<p>{summary}</p>",
                f'<p><a href="{relative(here, company_feed(company.slug))}">'
                f"Follow {escape(company.name)} via RSS</a></p>",
                "<table>",
                "<thead><tr><th>Date</th><th>Title</th><th>Location</th><th>Score</th></tr>"
                "</thead>",
                "<tbody>",
                *rows,
                "</tbody></table>",
            ]
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
]
"""A row of `explore/data/YEAR.json`, in order. `pay` is `[min, max, currency, period]`;
an unknown fact is an empty string (or 0 for pay), which keeps the files small."""


def _explore_row(data: SiteData, date: dt.date, pick: Pick) -> list[object]:
    pay: object = (
        [pick.pay.min, pick.pay.max, pick.pay.currency, pick.pay.period] if pick.pay else 0
    )
    return [
        date.isoformat(),
        pick.company,
        pick.title,
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
    ]


def explore_files(data: SiteData) -> dict[str, str]:
    """The explore table's data, one file per year, newest rows first. Reasons and summaries,
    most of the bytes, go to a parallel `text-YEAR.json` that the page fetches only when a
    reader searches text, so the table itself loads fast."""
    rows: dict[int, list[list[object]]] = defaultdict(list)
    texts: dict[int, list[str]] = defaultdict(list)
    for day in data.days:
        for pick in day.picks:
            rows[day.date.year].append(_explore_row(data, day.date, pick))
            texts[day.date.year].append(f"{pick.reason} {pick.summary}".strip())

    def dump(value: object) -> str:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))

    out: dict[str, str] = {}
    for year in rows:
        out[f"explore/data/{year}.json"] = dump(
            {"year": year, "columns": EXPLORE_COLUMNS, "rows": rows[year]}
        )
        out[f"explore/data/text-{year}.json"] = dump({"year": year, "text": texts[year]})
    years = sorted(rows, reverse=True)
    out["explore/data/index.json"] = json.dumps(
        {"years": years, "counts": {str(y): len(rows[y]) for y in years}}
    )
    for name in ("explore.js", "explore.css"):
        out[f"explore/{name}"] = (ASSETS / name).read_text(encoding="utf-8")
    return out
