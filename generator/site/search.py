"""Search entries for the pages the generator makes, added to the engine's own index.

The engine's search plugin indexes a page by parsing its rendered HTML, which at 1,095 days
cost about as much as rendering the day pages' markdown. The generator already holds every
pick as data, so it writes the same entries directly: one per day page, one per pick (its
title, and its company, location and score, which is what readers search for; reasons and
summaries stay out to keep the index small) and one per company page. The engine still
indexes hand-written pages, and its search UI and worker serve them all.

Two index formats are supported: Material's `search/search_index.json` and Zensical's
`search.json`. Neither is there when the site has search switched off.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from html import escape
from pathlib import Path

from generator.errors import JobpicksError
from generator.site.derive import CompanyPage, SiteData, company_url, day_url

COMPANY_BOOST = 4
"""A company's own page ranks above the days that mention it."""


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


def pick_line(company: str, poster: str, location: str, score: int) -> str:
    via = f" (via {poster})" if poster else ""
    return f"Company: {company}{via} | Location: {location} | Score: {score}/100"


def day_entries(data: SiteData) -> list[Entry]:
    out = []
    for day in data.days:
        page = day_url(day.date)
        out.append(Entry(page, day.title, "", day.title))
        for n, pick in enumerate(day.picks, 1):
            line = pick_line(pick.company, pick.poster, pick.location, pick.score)
            title = pick.title or "(untitled)"
            out.append(Entry(f"{page}#pick-{n}", title, line, day.title, section=True))
    return out


def company_entries(pages: Iterable[CompanyPage]) -> list[Entry]:
    return [
        Entry(company_url(p.slug), p.title, p.summary, p.title, boost=COMPANY_BOOST) for p in pages
    ]


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
