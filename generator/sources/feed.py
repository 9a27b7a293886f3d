"""RSS 2.0 and Atom feeds, parsed with feedparser and mapped to `Job` records.

Job feeds have no standard fields for company or location, so they are recovered from the
shapes seen in the wild: an author element, custom `<company>`/`<location>` elements,
"Title at Company (Location)" (Stack Overflow, LinkedIn bridges) and "Company: Title"
(We Work Remotely).
"""

from __future__ import annotations

import calendar
import datetime as dt
import logging
import re
from typing import Any
from urllib.parse import urljoin

import feedparser

from generator.config import FeedSource
from generator.errors import SourceError
from generator.models import Job
from generator.sources import items
from generator.text import clean_text, html_to_text, job_id

log = logging.getLogger(__name__)

_AT_COMPANY = re.compile(
    r"^(?P<title>.+?)\s+at\s+(?P<company>[^()]+?)(?:\s+\((?P<location>.*)\))?$"
)
_LOCATION_KEYS = ("location", "job_location", "joblocation", "job_listing_location")
_COMPANY_KEYS = ("company", "job_company", "hiring_organization", "job_listing_company")
_ANYWHERE = ("anywhere", "worldwide", "remote")
# Vendor elements (`himalayasJobs:companyName`) reach us as `prefix_localname` keys; these
# local-name words say what a vendor element holds, these endings that it is about something
# else (a logo, a link, a kind of location).
_VENDOR_WORDS = {
    "company": ("company", "employer"),
    "location": ("location",),
    "salary": ("salary",),
}
_VENDOR_NOT = ("logo", "url", "slug", "link", "image", "id", "type", "iso", "size", "website")
_HTML_TYPES = ("text/html", "application/xhtml+xml")


def parse_feed(data: bytes, source: FeedSource) -> list[Job]:
    """Jobs from a feed body; raises `SourceError` when the body is not a usable feed."""
    if not data.strip():
        raise SourceError("empty response")
    parsed = feedparser.parse(data, sanitize_html=False, resolve_relative_uris=False)
    bozo = parsed.get("bozo_exception") if parsed.get("bozo") else None
    if not parsed.entries:
        head = data.lstrip()[:500].lower()
        if head.startswith((b"<!doctype html", b"<html")) or b"<html" in head:
            raise SourceError("got an HTML page, not an RSS or Atom feed")
        if bozo is not None:
            raise SourceError(f"malformed XML: {bozo}")
        if not parsed.get("version"):
            raise SourceError("not an RSS or Atom feed")
        log.warning("feed %s: the feed has no entries", source.label)
        return []
    jobs, skipped = items.each(
        parsed.entries, lambda entry: entry_to_job(entry, source), f"feed {source.label}"
    )
    if bozo is not None:
        if not jobs:
            raise SourceError(f"malformed XML: {bozo}")
        log.warning(
            "feed %s: parsed with errors (%s); kept the %d entries it could read",
            source.label,
            bozo,
            len(jobs),
        )
    if skipped:
        log.warning("feed %s: skipped %d entries with no title", source.label, skipped)
    return jobs


def entry_to_job(entry: Any, source: FeedSource) -> Job | None:
    raw_title = _title(entry)
    if not raw_title:
        return None
    vendor = vendor_fields(entry)
    company = (
        clean_text(source.company)
        or _first(entry, _COMPANY_KEYS)
        or vendor.get("company", "")
        or _author(entry)
    )
    location = _first(entry, _LOCATION_KEYS) or vendor.get("location") or _wwr_location(entry)
    title, company, title_location = split_title(raw_title, company)
    location = location or title_location

    # Not `clean_text`: feedparser decoded the XML's entities, and decoding again would read
    # `&region=` as `®ion=`; `items.link` decodes what a feed escaped twice (`&amp;`).
    link = str(entry.get("link") or "").strip()
    if link and source.url.startswith(("http://", "https://")):
        link = urljoin(source.url, link)
    url = items.link(link, f"feed {source.label}", entry)

    description = ""
    if entry.get("content"):
        description = html_to_text(entry["content"][0].get("value"))
    if not description:
        description = html_to_text(entry.get("summary"))

    folded = f"{location} {entry.get('region', '')}".casefold()
    remote = True if any(word in folded for word in _ANYWHERE) else None
    return Job(
        id=job_id(url, company=company, title=title, location=location),
        title=title,
        company=company,
        location=location,
        url=url,
        description=description,
        posted=_posted(entry),
        source=source.label,
        remote=remote,
        salary_text=vendor.get("salary", ""),
        source_kind="feed",
    )


def _title(entry: Any) -> str:
    """The entry's title as text: a title typed as HTML (Atom `type="html"`) loses its tags."""
    detail = entry.get("title_detail") or {}
    if detail.get("type") in _HTML_TYPES:
        return html_to_text(entry.get("title"))
    return clean_text(entry.get("title"))


def vendor_fields(entry: Any) -> dict[str, str]:
    """Company, location and salary from a feed's own namespaced elements.

    Job boards put them in their own namespace (Himalayas' `himalayasJobs:companyName`,
    `himalayasJobs:locationRestriction`); feedparser flattens each to `prefix_localname`.
    The first non-empty element for each field wins.
    """
    found: dict[str, str] = {}
    for key, raw in entry.items():
        if "_" not in key or not isinstance(raw, str):
            continue
        local = key.split("_", 1)[1].replace("_", "")
        if local.endswith(_VENDOR_NOT):
            continue
        for field, words in _VENDOR_WORDS.items():
            if field not in found and any(word in local for word in words):
                value = clean_text(raw)
                if value:
                    found[field] = value
    return found


def split_title(raw: str, company: str) -> tuple[str, str, str]:
    """(title, company, location) from a feed title, using `company` when already known."""
    match = _AT_COMPANY.match(raw)
    if match and (not company or match["company"].casefold() == company.casefold()):
        return match["title"], company or match["company"], (match["location"] or "").strip()
    if not company and ": " in raw:
        head, tail = raw.split(": ", 1)
        if head and tail and len(head.split()) <= 6:
            return tail.strip(), head.strip(), ""
    return raw, company or "Unknown", ""


def _first(entry: Any, keys: tuple[str, ...]) -> str:
    for key in keys:
        value = clean_text(entry.get(key))
        if value:
            return value
    return ""


def _author(entry: Any) -> str:
    detail = entry.get("author_detail") or {}
    name = clean_text(detail.get("name") or entry.get("author"))
    if "@" in name and "(" in name and name.endswith(")"):  # RSS "jobs@acme.com (Acme)"
        name = name[name.index("(") + 1 : -1].strip()
    return "" if "@" in name else name


def _wwr_location(entry: Any) -> str:
    parts = [clean_text(entry.get(k)) for k in ("state", "country")]
    return ", ".join(p for p in parts if p) or clean_text(entry.get("region"))


def _posted(entry: Any) -> dt.date | None:
    stamp = entry.get("published_parsed") or entry.get("updated_parsed")
    if not stamp:
        return None
    return dt.datetime.fromtimestamp(calendar.timegm(stamp), tz=dt.UTC).date()
