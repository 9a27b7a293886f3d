"""RSS feeds, written with feedgen: the daily picks, one feed per company, and one per saved
search (`site.feeds`).

Every link is absolute, from the site's resolved address (`address.py`). A channel's
`<link>` is the page the feed follows (the site, a company's page, a saved search's page);
feedgen writes the last `link()` given into it, so the self link goes first. Item titles are
the pick's own plain text (`Pick` cleaned it when it was made), and item bodies are the
site's cards (`render.py`), so a pick reads the same in a feed as on the site.

An item's id (its RSS guid, `isPermaLink="false"`) names what it is, never where it is:
`jobpicks:day:2026-11-25`, `jobpicks:pick:2026-11-25:<pick id>`. Ids that were page URLs
made every day a new item to a reader once `site.url`, `publish.cname` or the repository's
name changed (issue 25).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from zoneinfo import ZoneInfo

from feedgen.feed import FeedGenerator

from generator.config import Config
from generator.models import DayPage, Pick
from generator.site import dates, dayline, render
from generator.site.derive import SiteData
from generator.site.urls import company_feed, company_url, day_url
from generator.text import plural

FEED_DAYS = 30
COMPANY_FEED_ITEMS = 50
TITLE_COMPANIES = 3


def _feed(title: str, link: str, description: str, self_url: str) -> FeedGenerator:
    feed = FeedGenerator()
    feed.title(title)
    feed.link(href=self_url, rel="self")
    feed.link(href=link, rel="alternate")  # last: RSS's channel link
    feed.description(description)
    feed.language("en")
    feed.generator("jobpicks")
    return feed


def day_id(date: dt.date) -> str:
    """A day item's id: the same wherever the site is published."""
    return f"jobpicks:day:{date.isoformat()}"


def pick_id(date: dt.date, pick: Pick) -> str:
    """A pick item's id (company and saved-search feeds): the same wherever the site is."""
    return f"jobpicks:pick:{date.isoformat()}:{pick.id}"


def day_title(day: DayPage) -> str:
    """ "20 picks from 17 companies: Acme, Globex, Initech and 14 more" (the most picked
    companies first; the names and the "more" add up to the companies counted), then what
    the reader's verdicts kept out: " · 2 kept out by your verdicts"."""
    return dayline.with_notes(_picks_title(day), day)


def _picks_title(day: DayPage) -> str:
    count = len(day.picks)
    if day.quiet:  # #22: a thin day reads as thin (dayline.py words it for every page)
        return dayline.feed_title(day)
    if not count:
        return f"No new picks on {dates.day_text(day.date)}"
    counts = Counter(p.company for p in day.picks if p.company)
    order = {c: i for i, c in enumerate(day.companies)}
    ranked = sorted(counts, key=lambda c: (-counts[c], order[c]))
    picks = plural(count, "pick")
    if not ranked:
        return picks
    if len(ranked) == 1:
        return f"{picks} from {ranked[0]}"
    names = ranked[:TITLE_COMPANIES]
    more = len(ranked) - len(names)
    listed = (
        ", ".join(names) + f" and {more} more"
        if more
        else ", ".join(names[:-1]) + f" and {names[-1]}"
    )
    return f"{picks} from {plural(len(ranked), 'company', 'companies')}: {listed}"


def _cards(picks: Iterable[Pick], date: dt.date) -> list[render.Card]:
    """The site's cards, for feed items."""
    return [render.card(p, day=date) for p in picks]


def _day_html(day: DayPage) -> str:
    """The day as one item: every pick with its facts and reason."""
    return render.feed_html(_cards(day.picks, day.date), day=True)


def _stamp(date: dt.date, timezone: str) -> dt.datetime:
    return dt.datetime.combine(date, dt.time(6, 0), ZoneInfo(timezone))


def pick_entry(
    feed: FeedGenerator, base: str, date: dt.date, pick: Pick, timezone: str, *, company: bool
) -> None:
    """One pick as a feed item linking to the posting, with the day it was picked. Titled
    "Title · 80/100" in a company's feed (its company is the feed's), and otherwise as the
    site's table of contents names it, "Company - Title" (`render.pick_title_text`)."""
    entry = feed.add_entry()
    page = base + day_url(date)
    entry.guid(pick_id(date, pick), permalink=False)
    if company:
        entry.title(f"{pick.display_title} · {pick.score}/100")
    else:
        entry.title(render.pick_title_text(pick))
    entry.link(href=pick.url or page)
    entry.published(_stamp(date, timezone))
    entry.description(render.feed_html(_cards([pick], date), day=False, page=page))


def picks_feed(
    base: str,
    title: str,
    page_url: str,
    description: str,
    self_url: str,
    items: Iterable[tuple[dt.date, Pick]],
    timezone: str,
    *,
    company: bool,
) -> bytes:
    """A feed of single picks, `items` newest first; `base` is the site's address."""
    feed = _feed(title, page_url, description, self_url)
    newest = list(items)
    for date, pick in reversed(newest):  # feedgen prepends: add oldest first
        pick_entry(feed, base, date, pick, timezone, company=company)
    if newest:
        feed.lastBuildDate(_stamp(newest[0][0], timezone))
    result: bytes = feed.rss_str(pretty=False)
    return result


def feeds(data: SiteData, config: Config, base_url: str) -> dict[str, bytes]:
    """Every feed by its path in the site. Feeds are dated by their newest item, not by the
    build, so an unchanged history gives byte-identical feeds (and no new publish)."""
    base = base_url.rstrip("/") + "/"
    out: dict[str, bytes] = {}
    main = _feed(
        f"{config.site.title}: daily job picks",
        base,
        config.site.description,
        f"{base}feed.xml",
    )
    for day in reversed(data.days[:FEED_DAYS]):  # feedgen prepends: add oldest first
        entry = main.add_entry()
        url = base + day_url(day.date)
        entry.guid(day_id(day.date), permalink=False)
        entry.title(day_title(day))
        entry.link(href=url)
        entry.published(_stamp(day.date, config.timezone))
        entry.description(_day_html(day))
    if data.days:
        main.lastBuildDate(_stamp(data.days[0].date, config.timezone))
    out["feed.xml"] = main.rss_str(pretty=False)

    for company in data.companies.values():
        out[company_feed(company.slug)] = picks_feed(
            base,
            f"{config.site.title}: {company.name}",
            base + company_url(company.slug),
            f"Job picks from {company.name}",
            base + company_feed(company.slug),
            ((item.date, item.pick) for item in company.picks[:COMPANY_FEED_ITEMS]),
            config.timezone,
            company=True,
        )
    return out
