"""RSS feeds, written with feedgen: the daily picks, and one feed per company."""

from __future__ import annotations

import datetime as dt
from html import escape
from zoneinfo import ZoneInfo

from feedgen.feed import FeedGenerator

from generator.config import Config
from generator.models import DayPage
from generator.site.derive import SiteData, company_feed, company_url, day_url

FEED_DAYS = 30
COMPANY_FEED_ITEMS = 50


def _feed(title: str, link: str, description: str, self_url: str) -> FeedGenerator:
    feed = FeedGenerator()
    feed.title(title)
    feed.link(href=link, rel="alternate")
    feed.link(href=self_url, rel="self")
    feed.description(description)
    feed.language("en")
    feed.generator("jobpicks")
    return feed


def _day_html(day: DayPage) -> str:
    items = []
    for pick in day.picks:
        title = escape(pick.title) or "(untitled)"
        if pick.url:
            title = f'<a href="{escape(pick.url)}">{title}</a>'
        where = f", {escape(pick.location)}" if pick.location else ""
        via = f" via {escape(pick.poster)}" if pick.poster else ""
        items.append(
            f"<li>{title}: {escape(pick.company)}{via}{where} "
            f"({pick.score}/100)<br/>{escape(pick.reason)}</li>"
        )
    return f"<ol>{''.join(items)}</ol>" if items else "<p>No new picks today.</p>"


def _stamp(date: dt.date, timezone: str) -> dt.datetime:
    return dt.datetime.combine(date, dt.time(6, 0), ZoneInfo(timezone))


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
        entry.id(url)
        entry.guid(url, permalink=True)
        entry.title(day.title)
        entry.link(href=url)
        entry.published(_stamp(day.date, config.timezone))
        entry.description(_day_html(day))
    if data.days:
        main.lastBuildDate(_stamp(data.days[0].date, config.timezone))
    out["feed.xml"] = main.rss_str(pretty=True)

    for company in data.companies.values():
        feed = _feed(
            f"{config.site.title}: {company.name}",
            base + company_url(company.slug),
            f"Job picks from {company.name}",
            base + company_feed(company.slug),
        )
        for item in reversed(company.picks[:COMPANY_FEED_ITEMS]):
            pick = item.pick
            entry = feed.add_entry()
            page = base + day_url(item.date)
            entry.id(f"{page}#{pick.id}")
            entry.guid(f"{item.date.isoformat()}:{pick.id}", permalink=False)
            entry.title(f"{pick.title} ({pick.score}/100)")
            entry.link(href=pick.url or page)
            entry.published(_stamp(item.date, config.timezone))
            where = f" in {escape(pick.location)}" if pick.location else ""
            entry.description(
                f"<p>{escape(pick.company)}{where}, picked on "
                f'<a href="{page}">{item.date.isoformat()}</a>.</p>'
                f"<p>{escape(pick.reason)}</p><p>{escape(pick.summary)}</p>"
            )
        feed.lastBuildDate(_stamp(company.picks[0].date, config.timezone))
        out[company_feed(company.slug)] = feed.rss_str(pretty=True)
    return out
