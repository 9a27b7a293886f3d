"""Job-search results in JobSpy's shape: a live JobSpy search, or a CSV it exported.

JobSpy (`python-jobspy`, an optional extra) scrapes LinkedIn, Indeed and others; its rows
have the same columns whether they come from `scrape_jobs()` or from a CSV written with
pandas, so one mapping serves both.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
from collections.abc import Iterable, Mapping
from typing import Any

import httpx
import markdown

from generator import facts
from generator.config import CsvSource, FetchConfig, JobSpySource
from generator.errors import SourceError
from generator.models import Job, Level, SourceKind
from generator.sources import items
from generator.sources.fetch import fetch_bytes, in_daemon_thread
from generator.text import clean_text, html_to_text, job_id

REQUIRED_COLUMNS = ("title", "company", "job_url")
# LinkedIn's seniority names as JobSpy passes them in `job_level`; "mid-senior level",
# "associate" and "not applicable" name no single level.
JOB_LEVELS: dict[str, Level] = {
    "internship": "intern",
    "entry level": "junior",
    "director": "manager",
    "executive": "manager",
}


def _value(row: Mapping[str, Any], key: str) -> str:
    value = row.get(key)
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return str(value)


def _date(value: object) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def row_to_job(row: Mapping[str, Any], label: str, kind: SourceKind = "jobspy") -> Job | None:
    """One JobSpy row as a Job; None for a row with no title."""
    title = clean_text(_value(row, "title"))
    if not title:
        return None
    url = items.link(_value(row, "job_url"), label, row) or items.link(
        _value(row, "job_url_direct"), label, row
    )
    company = clean_text(_value(row, "company")) or "Unknown"
    location = clean_text(_value(row, "location"))
    # JobSpy descriptions are markdown whose escapes arrive doubled (`user\\-generated`).
    text = _value(row, "description").replace("\\\\", "\\")
    description = html_to_text(markdown.markdown(text)) if text else ""
    remote = _value(row, "is_remote").strip().lower()
    return Job(
        id=job_id(url, company=company, title=title, location=location),
        title=title,
        company=company,
        location=location,
        url=url,
        description=description,
        posted=_date(row.get("date_posted")),
        source=label,
        remote=True if remote == "true" else None,
        # `is_remote` false only means the site did not flag it remote: no work mode.
        work_mode="remote" if remote == "true" else None,
        pay=facts.pay_value(
            _value(row, "min_amount"),
            _value(row, "max_amount"),
            _value(row, "currency"),
            _value(row, "interval"),
        ),
        level=JOB_LEVELS.get(_value(row, "job_level").strip().casefold()),
        employment=facts.employment_value(_value(row, "job_type")),
        source_kind=kind,
    )


def rows_to_jobs(
    rows: Iterable[Mapping[str, Any]], label: str, kind: SourceKind = "jobspy"
) -> list[Job]:
    return items.each(rows, lambda row: row_to_job(row, label, kind), label)[0]


async def read_csv(source: CsvSource, config: FetchConfig, client: httpx.AsyncClient) -> list[Job]:
    data = await fetch_bytes(source.url, config, client)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SourceError(f"not UTF-8 text: {exc}") from None
    reader = csv.DictReader(io.StringIO(text, newline=""))
    columns = reader.fieldnames or []
    missing = [c for c in REQUIRED_COLUMNS if c not in columns]
    if missing:
        raise SourceError(
            f"not a JobSpy CSV: missing {'columns' if len(missing) > 1 else 'column'} "
            f"{', '.join(missing)} "
            f"(found: {', '.join(columns[:8]) or 'none'})"
        )
    try:
        return rows_to_jobs(reader, source.label, "csv")
    except csv.Error as exc:
        raise SourceError(f"malformed CSV at line {reader.line_num}: {exc}") from None


async def read_jobspy(
    source: JobSpySource, config: FetchConfig, client: httpx.AsyncClient
) -> list[Job]:
    """A live search, in a thread of its own: JobSpy's scrapers block, and one that hangs
    must not hold the sources stage past its deadline."""
    return await in_daemon_thread(lambda: _scrape(source))


def _scrape(source: JobSpySource) -> list[Job]:
    try:
        from jobspy import scrape_jobs
    except ImportError:
        raise SourceError(
            "JobSpy is not installed: pip install 'jobpicks[jobspy]' (or use a `csv` source "
            "with a JobSpy export)"
        ) from None
    try:
        frame = scrape_jobs(
            site_name=source.sites,
            search_term=source.search_term,
            location=source.location or None,
            hours_old=source.hours_old,
            results_wanted=source.results_wanted,
            country_indeed=source.country_indeed,
        )
    except Exception as exc:  # JobSpy raises whatever its scrapers meet
        raise SourceError(f"JobSpy search failed: {type(exc).__name__}: {exc}") from None
    return rows_to_jobs(frame.to_dict("records"), source.label)
