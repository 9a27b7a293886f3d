"""Search entries for the pages the generator makes, added to the engine's own index.

The engine's search plugin indexes a page by parsing its rendered HTML, which at 1,095 days
cost about as much as rendering the day pages' markdown. The generator already holds every
pick as data, so it writes the entries directly, and few of them: the engine's search worker
builds its index in the browser after every page load, for about 0.1 ms an entry and a few
µs a word, so the entries decide how soon the first result can show
(`bench/search_index.py`). One entry per pick (25,000 at 1,095 days) kept it waiting 2.5-3 s
after the page loaded; one per company page with its job titles, 0.35-0.55 s; the company's
name alone, 0.2-0.35 s. So each company page has one entry, its name, and each distinct job
title one more (the newest `TITLE_ENTRIES` of them, whatever the history's length): a title
or skill typed in the box finds the job by what it was, and the entry opens Explore on every
pick with those words (issue 25: "Python Developer" answered "No matching documents").
Titles rank above the companies' own words only by their words: a company's name is
boosted. The postings' summaries are searched in Explore, one keystroke away
(`search-explore.js` puts the link under the box's results, and Enter follows it when the
box has nothing); the scorer's reasons only when the reader asks there ("Lacks Python" is
no Python job).

Search is accent-insensitive: an entry whose name has accents also carries the folded words
("Škoda" and "Skoda", "Müller" and "Muller"; `text.fold`, the folding Explore uses too), so a
reader typing plain letters finds it.

Each engine's index has its own format (Material's `search/search_index.json`, Zensical's
`search.json`): `engine.Adapter.index` writes an entry in it.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

from generator.errors import SearchIndexError
from generator.site.dates import date_text
from generator.site.derive import SiteData
from generator.site.engine import IndexFormat
from generator.site.urls import company_url
from generator.text import fold, plural

COMPANY_BOOST = 4
"""A company's own page ranks above the days that mention it."""
TITLE_BOOST = 2
"""A job title ranks above the engine's own pages (Explore, About) that mention its words."""
TITLE_ENTRIES = 1500
"""Distinct job titles in the box's index, newest first: the cap keeps the index build
within its budget at any history (`bench/search_index.py`); older titles are in Explore."""


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


def folded_words(*texts: str) -> list[str]:
    """The words that folding `texts` adds: "Müller Systems" -> ["Muller"]. Only these go
    into an entry beside the original text: every word the browser indexes costs time on
    each page load."""
    words = {w for text in texts for w in re.findall(r"\w+", text)}
    folded = (w for text in texts for w in re.findall(r"\w+", fold(text)))
    return [w for w in dict.fromkeys(folded) if w not in words]


def company_entries(data: SiteData) -> list[Entry]:
    out = []
    for company in sorted(data.companies.values(), key=lambda c: c.slug):
        out.append(
            Entry(
                company_url(company.slug),
                company.name,
                " ".join(folded_words(company.name)),
                company.name,
                boost=COMPANY_BOOST,
            )
        )
    return out


def explore_url(text: str) -> str:
    """Explore searching every year for `text` (the page reads `text` and `year`)."""
    return "explore/?" + urlencode({"text": text, "year": "all"})


def title_entries(data: SiteData, limit: int = TITLE_ENTRIES) -> list[Entry]:
    """One entry per distinct job title (ignoring case and accents), its newest spelling,
    with how many picks had it and when last: "3 picks, last 23 Nov 2026"."""
    seen: dict[str, tuple[str, int, dt.date]] = {}
    for day in data.days:  # newest first
        for pick in day.picks:
            title = pick.display_title
            key = fold(title).casefold()
            if key in seen:
                first, count, last = seen[key]
                seen[key] = (first, count + 1, last)
            elif len(seen) < limit:
                seen[key] = (title, 1, day.date)
    return [
        Entry(
            explore_url(title),
            title,
            " ".join([f"{plural(count, 'pick')}, last {date_text(last)}", *folded_words(title)]),
            title,
            boost=TITLE_BOOST,
        )
        for title, count, last in seen.values()
    ]


def entries(data: SiteData) -> list[Entry]:
    """Every entry the generator adds."""
    return company_entries(data) + title_entries(data)


def add_entries(site_dir: Path, entries: list[Entry], index: IndexFormat) -> None:
    """Append `entries` to the engine's index, in its format (`engine.Adapter.index`). The
    pages they describe are excluded from the engine's own indexing (`search: exclude` in
    their front matter). A site built without search has no index: nothing to do."""
    path = site_dir / index.path
    if not path.exists():
        return
    try:
        found = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise SearchIndexError(f"{path}: cannot read the engine's search index: {exc}") from None
    if not isinstance(found, dict) or not isinstance(found.get(index.key), list):
        raise SearchIndexError(f"{path}: the engine's search index has no `{index.key}` list")
    found[index.key] += [index.entry(entry) for entry in entries]
    path.write_text(json.dumps(found, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
