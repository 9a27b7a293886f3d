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
import re
from collections.abc import Iterator
from dataclasses import dataclass

from markupsafe import Markup

from generator.config import Config, SavedSearch
from generator.models import Pick
from generator.pages import escape_markdown, front_matter
from generator.site import engine, render, templating
from generator.site.derive import SavedLink, SiteData
from generator.site.feeds import picks_feed
from generator.site.urls import company_url, day_url, relative
from generator.text import fold_key, plural

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


def readable(key: str) -> str:
    """A saved search's key as a title, when it has no `name`: "remote-europe" reads
    "Remote Europe", "senior_python" "Senior Python" (issue 25: pages were titled by the
    raw key)."""
    words = [w for w in re.split(r"[-_\s]+", key) if w]
    return " ".join(w[:1].upper() + w[1:] for w in words) or key


def saved_searches(config: Config) -> list[Saved]:
    """The configured saved searches, in the config's order: what the home page lists."""
    return [Saved(key, s.name or readable(key), s) for key, s in config.site.feeds.items()]


def matches(search: SavedSearch, pick: Pick) -> bool:
    if search.work_modes and pick.work_mode not in search.work_modes:
        return False
    if search.levels and pick.level not in search.levels:
        return False
    if search.visa and pick.visa != search.visa:
        return False
    if search.min_score is not None and pick.score < search.min_score:
        return False
    if search.companies and fold_key(pick.company) not in {fold_key(c) for c in search.companies}:
        return False
    if search.locations:
        where = fold_key(pick.location)
        if not any(fold_key(place) in where for place in search.locations):
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


def pages(data: SiteData, config: Config) -> dict[str, str]:
    """A page per saved search (engine-rendered markdown with HTML rows, drawn like company
    pages), with its open count (`openness.py`). The page's feed is advertised in every
    page's head already."""
    out = {}
    for saved in saved_searches(config):
        here = saved.url
        cards = []
        total = 0
        found = []
        for date, pick in matching(data, saved.search):
            found.append((date, pick))
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
        body = templating.render(
            "saved.md.html",
            title_md=Markup(escape_markdown(saved.title)),
            count=plural(total, "pick"),
            note=data.knowledge.note(found),
            shown=PAGE_ITEMS if total > PAGE_ITEMS else 0,
            feed_href=relative(here, saved.feed),
            cards=cards,
        )
        meta = {
            "title": saved.title,
            "description": f"Job picks matching {saved.title}",
            **engine.GENERATED_PAGE,
            # No sections to list: the table takes the width, as on a company page.
            "hide": ["toc"],
        }
        out[saved.doc] = front_matter(meta, body)
    return out


def home_links(config: Config) -> list[SavedLink]:
    """The saved searches as the home page lists them."""
    return [SavedLink(s.title, s.url, s.feed) for s in saved_searches(config)]


def head_links(config: Config, base_url: str) -> str:
    """`<link rel="alternate">` tags for every page's head, with absolute addresses (mkdocs.yml
    passes them in as `extra.jobpicks_feed_links`; main.html writes them as they are, so
    both Jinja2 and Zensical's template engine can)."""
    return templating.render(
        "head-links.html",
        saved=[Saved(s.key, " ".join(s.title.split()), s.search) for s in saved_searches(config)],
        site_title=config.site.title,
        base=base_url.rstrip("/") + "/",
    )
