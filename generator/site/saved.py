"""Saved searches (`site.feeds` in jobpicks.yml): for each, an RSS feed of the picks that
match and a page listing them, linked from the home page and advertised in every page's head.

    site:
      feeds:
        remote-europe: {work_modes: [remote], locations: [Europe]}
        senior-python: {title: "senior.*python", min_score: 70}

Every filter given must hold; a list matches when any of its entries does. A fact a pick
does not state never matches a filter on it (a pick without pay is not "over 60,000");
`min_pay` means what it means everywhere (`models.MinPay.reaches`).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from html import escape

from generator.config import Config, SavedSearch
from generator.models import Pick
from generator.site import render
from generator.site.derive import SiteData, company_url, day_url, relative
from generator.site.feeds import picks_feed
from generator.text import fold

FEED_ITEMS = 50
PAGE_ITEMS = 200


@dataclass(frozen=True)
class Saved:
    """One saved search as the site shows it."""

    key: str
    title: str
    search: SavedSearch

    @property
    def feed(self) -> str:
        return f"feeds/saved/{self.key}.xml"

    @property
    def doc(self) -> str:
        return f"saved/{self.key}.md"

    @property
    def url(self) -> str:
        return f"saved/{self.key}/"


def saved_searches(config: Config) -> list[Saved]:
    """The configured saved searches, in the config's order: what the home page lists."""
    return [Saved(key, s.name or key, s) for key, s in config.site.feeds.items()]


def _norm(text: str) -> str:
    return fold(text).casefold()


def matches(search: SavedSearch, pick: Pick) -> bool:
    if search.work_modes and pick.work_mode not in search.work_modes:
        return False
    if search.levels and pick.level not in search.levels:
        return False
    if search.visa and pick.visa != search.visa:
        return False
    if search.min_score is not None and pick.score < search.min_score:
        return False
    if search.companies and pick.company.casefold() not in {c.casefold() for c in search.companies}:
        return False
    if search.locations and not any(
        _norm(place) in _norm(pick.location) for place in search.locations
    ):
        return False
    if search.min_pay and search.min_pay.reaches(pick.pay) is not True:
        return False  # unstated pay, or pay in another currency, never matches
    return not (search.title and not re.search(search.title, pick.title, re.IGNORECASE))


def matching(data: SiteData, search: SavedSearch) -> Iterator[tuple[dt.date, Pick]]:
    """Matching picks, newest day first."""
    for day in data.days:
        for pick in day.picks:
            if matches(search, pick):
                yield day.date, pick


def feeds(data: SiteData, config: Config, base_url: str) -> dict[str, bytes]:
    base = base_url.rstrip("/") + "/"
    out = {}
    for saved in saved_searches(config):
        items = []
        for item in matching(data, saved.search):
            items.append(item)
            if len(items) == FEED_ITEMS:
                break
        out[saved.feed] = picks_feed(
            base,
            f"{config.site.title}: {saved.title}",
            base + saved.url,
            f"Job picks matching the saved search {saved.title}",
            base + saved.feed,
            items,
            config.timezone,
            company=False,
        )
    return out


def _front(title: str) -> str:
    """Front matter; the page's feed is advertised in every page's head already. JSON
    strings are valid YAML scalars, whatever the title holds."""
    return "\n".join(
        [
            "---",
            f"title: {json.dumps(title)}",
            f"description: {json.dumps('Job picks matching ' + title)}",
            "search:",
            "  exclude: true",
            "---",
            "",
        ]
    )


def pages(data: SiteData, config: Config) -> dict[str, str]:
    """A page per saved search (engine-rendered markdown with HTML rows, like company pages)."""
    out = {}
    for saved in saved_searches(config):
        here = saved.url
        cards = []
        total = 0
        for date, pick in matching(data, saved.search):
            total += 1
            if total > PAGE_ITEMS:
                continue
            slug = data.company(pick.company).slug if pick.company else ""
            cards.append(
                render.card(
                    pick,
                    day=date,
                    company_href=relative(here, company_url(slug)) if slug else "",
                    day_href=relative(here, day_url(date)),
                )
            )
        rows = render.saved_rows_html(cards) if cards else ""
        shown = f", the newest {PAGE_ITEMS} shown" if total > PAGE_ITEMS else ""
        body = [
            f"# {escape(saved.title)}",
            "",
            f"<p>{total} pick{'s' if total != 1 else ''} match this saved search{shown}. "
            f'<a href="{relative(here, saved.feed)}">Follow it via RSS</a>.</p>',
            "",
        ]
        if rows:
            body += [
                "<table>",
                "<thead><tr><th>Date</th><th>Company</th><th>Title</th><th>Location</th>"
                "<th>Facts</th><th>Score</th></tr></thead>",
                "<tbody>",
                rows,
                "</tbody></table>",
                "",
            ]
        out[saved.doc] = _front(saved.title) + "\n".join(body)
    return out


def home_links(config: Config) -> str:
    """The home page's list of saved searches (markdown with HTML links; empty when none)."""
    found = saved_searches(config)
    if not found:
        return ""
    lines = ["", "## Saved searches", ""]
    for saved in found:
        lines.append(
            f'- <a href="{saved.url}">{escape(saved.title)}</a> (<a href="{saved.feed}">RSS</a>)'
        )
    return "\n".join(lines) + "\n"


def head_links(config: Config, base_url: str) -> str:
    """`<link rel="alternate">` tags for every page's head, with absolute addresses (mkdocs.yml
    passes them in as `extra.jobpicks_feed_links`; main.html writes them as they are, so
    both Jinja2 and Zensical's template engine can)."""
    base = base_url.rstrip("/") + "/"
    return "\n".join(
        f'<link rel="alternate" type="application/rss+xml" '
        f'title="{escape(config.site.title)}: {escape(" ".join(s.title.split()))}" '
        f'href="{escape(base + s.feed)}">'
        for s in saved_searches(config)
    )
