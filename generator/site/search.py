"""Search entries for the pages the generator makes, added to the engine's own index.

The engine's search plugin indexes a page by parsing its rendered HTML, which at 1,095 days
cost about as much as rendering the day pages' markdown. The generator already holds every
pick as data, so it writes the entries directly, and few of them: the engine's search worker
builds its index in the browser after every page load, and at 1,095 days one entry per pick
(22,000) kept the first result waiting 1.5-6 s (`bench/search_index.py`). So there is one
entry per company page (its name, then its distinct job titles) and one per day page (the
companies picked that day). A company search lands on the company's page, which lists every
pick; a title search on the companies that posted it. Reasons and summaries stay out to keep
the index small; Explore searches them.

Search is accent-insensitive: an entry whose text has accents also carries its folded form
("Škoda" and "Skoda", "Müller" and "Muller"), so a reader typing plain letters finds it.

Two index formats are supported: Material's `search/search_index.json` and Zensical's
`search.json`. Neither is there when the site has search switched off.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from html import escape
from pathlib import Path

from text_unidecode import unidecode

from generator.errors import JobpicksError
from generator.site.derive import CompanyPage, SiteData, company_url, day_url

COMPANY_BOOST = 4
"""A company's own page ranks above the days that mention it."""
COMPANY_TITLES = 40
"""Distinct job titles listed in a company's entry, newest first: enough to find it by
title, bounded for the few companies with thousands of picks."""


class SearchIndexError(JobpicksError):
    """The engine's search index cannot be read or is not in a known format."""


@dataclass(frozen=True)
class Entry:
    location: str
    title: str
    """Plain text; escaped when written."""
    text: str
    """Plain text; escaped when written."""
    page_title: str
    """The title of the page the entry is on (itself, for a whole page)."""
    section: bool = False
    boost: float | None = None


def fold(text: str) -> str:
    """`text` in plain ASCII letters: "Škoda Müller" -> "Skoda Muller"."""
    return str(unidecode(text))


def _with_folded(text: str, *also: str) -> str:
    """`text`, then the folded form of `also` and `text` where folding changes them."""
    extra = [f for f in (fold(t) for t in (*also, text)) if f and f not in (text, *also)]
    return " ".join([text, *dict.fromkeys(extra)]).strip()


def day_entries(data: SiteData) -> list[Entry]:
    out = []
    for day in data.days:
        companies = ", ".join(day.companies)
        count = f"{len(day.picks)} pick{'s' if len(day.picks) != 1 else ''}"
        text = f"{count}: {companies}" if companies else count
        out.append(Entry(day_url(day.date), day.title, _with_folded(text), day.title))
    return out


def company_entries(data: SiteData, pages: Iterable[CompanyPage]) -> list[Entry]:
    summaries = {p.slug: p.summary for p in pages}
    out = []
    for company in sorted(data.companies.values(), key=lambda c: c.slug):
        titles = list(dict.fromkeys(p.pick.title for p in company.picks if p.pick.title))
        listed = " · ".join(titles[:COMPANY_TITLES])
        text = " ".join(filter(None, [summaries.get(company.slug, ""), listed]))
        out.append(
            Entry(
                company_url(company.slug),
                company.name,
                _with_folded(text, company.name),
                company.name,
                boost=COMPANY_BOOST,
            )
        )
    return out


def entries(data: SiteData, pages: Iterable[CompanyPage]) -> list[Entry]:
    """Every entry the generator adds: companies first, then days, newest first."""
    return company_entries(data, pages) + day_entries(data)


def _text(text: str) -> str:
    return f"<p>{escape(text, quote=False)}</p>" if text else ""


def _material(entry: Entry) -> dict[str, object]:
    item: dict[str, object] = {
        "location": entry.location,
        "title": escape(entry.title, quote=False),
        "text": _text(entry.text),
    }
    if entry.boost is not None:
        item["boost"] = entry.boost
    return item


def _zensical(entry: Entry) -> dict[str, object]:
    return {
        "location": entry.location,
        "level": 2 if entry.section else 1,
        "title": escape(entry.title, quote=False),
        "text": _text(entry.text),
        "path": [escape(entry.page_title, quote=False)],
        "tags": [],
    }


_FORMATS: list[tuple[str, str, Callable[[Entry], dict[str, object]]]] = [
    ("search/search_index.json", "docs", _material),
    ("search.json", "items", _zensical),
]


def add_entries(site_dir: Path, entries: list[Entry]) -> None:
    """Append `entries` to the engine's index. The pages they describe are excluded from the
    engine's own indexing (`search: exclude` in their front matter)."""
    for name, key, convert in _FORMATS:
        path = site_dir / name
        if not path.exists():
            continue
        try:
            index = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            message = f"{path}: cannot read the engine's search index: {exc}"
            raise SearchIndexError(message) from None
        if not isinstance(index, dict) or not isinstance(index.get(key), list):
            raise SearchIndexError(f"{path}: the engine's search index has no `{key}` list")
        index[key] += [convert(entry) for entry in entries]
        path.write_text(
            json.dumps(index, ensure_ascii=False, separators=(",", ":")), encoding="utf-8"
        )
