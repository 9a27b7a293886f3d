"""Company job boards: the public posting APIs of Greenhouse, Lever and Ashby.

None needs a key. One request per board per run (Lever pages through `skip`/`limit`);
field maps follow the vendors' documentation and the real payloads in the fixtures.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
from typing import Any
from urllib.parse import quote

import httpx

from generator.config import BoardSource, FetchConfig
from generator.errors import SourceError
from generator.models import Job
from generator.sources.fetch import fetch_bytes
from generator.text import clean_text, html_to_text, safe_url

log = logging.getLogger(__name__)

API = {
    "greenhouse": "https://boards-api.greenhouse.io/v1/boards",
    "lever": "https://api.lever.co/v0/postings",
    "ashby": "https://api.ashbyhq.com/posting-api/job-board",
}
# Placeholder postings some boards list next to real jobs; never worth a pick.
_GENERIC = re.compile(
    r"^\s*(open|general|speculative|spontaneous|unsolicited) application", re.IGNORECASE
)
LEVER_PAGE = 100
LEVER_MAX_PAGES = 50


def fetch_json(url: str, config: FetchConfig, client: httpx.Client) -> Any:
    data = fetch_bytes(url, config, client)
    if not data.strip():
        raise SourceError("empty response")
    try:
        return json.loads(data)
    except ValueError as exc:
        raise SourceError(f"malformed JSON: {exc}") from None


def _date(value: object) -> dt.date | None:
    """ISO-8601 strings (any offset) or epoch milliseconds, as these APIs send them."""
    if value in (None, ""):
        return None
    try:
        if isinstance(value, int | float) or (isinstance(value, str) and value.isdigit()):
            return dt.datetime.fromtimestamp(int(value) / 1000, tz=dt.UTC).date()
        return dt.datetime.fromisoformat(str(value).replace("Z", "+00:00")).date()
    except (ValueError, OverflowError, OSError):
        return None


def _remote(*signals: object) -> bool | None:
    text = " ".join(str(s) for s in signals if s).casefold()
    return True if "remote" in text else None


def company_name(source: BoardSource, board: str) -> str:
    return source.names.get(board) or board.replace("-", " ").replace("_", " ").title()


def greenhouse_jobs(payload: Any, board: str, company: str, label: str) -> list[Job]:
    if not isinstance(payload, dict) or not isinstance(payload.get("jobs"), list):
        raise SourceError("unexpected JSON: no `jobs` list")
    jobs = []
    for item in payload["jobs"]:
        if not isinstance(item, dict) or not item.get("title") or _GENERIC.match(item["title"]):
            continue
        location = clean_text((item.get("location") or {}).get("name"))
        jobs.append(
            Job(
                id=f"greenhouse:{item.get('id')}",
                title=clean_text(item["title"]),
                company=clean_text(item.get("company_name")) or company,
                location=location,
                url=safe_url(item.get("absolute_url")),
                description=html_to_text(item.get("content")),
                posted=_date(item.get("first_published") or item.get("updated_at")),
                source=label,
                remote=_remote(location),
                origin="board",
            )
        )
    return jobs


def lever_jobs(payload: Any, board: str, company: str, label: str) -> list[Job]:
    if not isinstance(payload, list):
        raise SourceError("unexpected JSON: expected a list of postings")
    jobs = []
    for item in payload:
        if not isinstance(item, dict) or not item.get("text") or _GENERIC.match(item["text"]):
            continue
        categories = item.get("categories") or {}
        parts = [item.get("descriptionPlain") or html_to_text(item.get("description"))]
        parts += [
            f"{clean_text(x.get('text'))}: {html_to_text(x.get('content'))}"
            for x in item.get("lists") or []
            if isinstance(x, dict)
        ]
        parts.append(item.get("additionalPlain") or html_to_text(item.get("additional")))
        location = clean_text(categories.get("location"))
        jobs.append(
            Job(
                id=f"lever:{item.get('id')}",
                title=clean_text(item["text"]),
                company=company,
                location=location,
                url=safe_url(item.get("hostedUrl") or item.get("applyUrl")),
                description=clean_text(" ".join(p for p in parts if p)),
                posted=_date(item.get("createdAt")),
                source=label,
                remote=True if item.get("workplaceType") == "remote" else _remote(location),
                origin="board",
            )
        )
    return jobs


def ashby_jobs(payload: Any, board: str, company: str, label: str) -> list[Job]:
    if not isinstance(payload, dict) or not isinstance(payload.get("jobs"), list):
        raise SourceError("unexpected JSON: no `jobs` list")
    jobs = []
    for item in payload["jobs"]:
        if (
            not isinstance(item, dict)
            or not item.get("title")
            or item.get("isListed") is False
            or _GENERIC.match(item["title"])
        ):
            continue
        location = clean_text(item.get("location"))
        remote = item.get("isRemote") is True or item.get("workplaceType") == "Remote"
        jobs.append(
            Job(
                id=f"ashby:{item.get('id')}",
                title=clean_text(item["title"]),
                company=company,
                location=location,
                url=safe_url(item.get("jobUrl") or item.get("applyUrl")),
                description=clean_text(item.get("descriptionPlain"))
                or html_to_text(item.get("descriptionHtml")),
                posted=_date(item.get("publishedAt")),
                source=label,
                remote=True if remote else _remote(location),
                origin="board",
            )
        )
    return jobs


def read_board(
    source: BoardSource, board: str, config: FetchConfig, client: httpx.Client
) -> list[Job]:
    """Every posting on one board."""
    base = (source.api_url or API[source.type]).rstrip("/")
    slug = quote(board, safe="")
    company = company_name(source, board)
    label = f"{source.type} {board}"
    try:
        return _read(source.type, base, slug, company, label, config, client)
    except SourceError as exc:
        if exc.message.startswith("HTTP 404"):
            raise SourceError(f"{exc.message} (is {board!r} the right board name?)") from None
        raise


def _read(
    kind: str,
    base: str,
    slug: str,
    company: str,
    label: str,
    config: FetchConfig,
    client: httpx.Client,
) -> list[Job]:
    board = slug
    if kind == "greenhouse":
        payload = fetch_json(f"{base}/{slug}/jobs?content=true", config, client)
        return greenhouse_jobs(payload, board, company, label)
    if kind == "ashby":
        payload = fetch_json(f"{base}/{slug}?includeCompensation=false", config, client)
        return ashby_jobs(payload, board, company, label)
    jobs: list[Job] = []
    for page in range(LEVER_MAX_PAGES):
        url = f"{base}/{slug}?mode=json&skip={page * LEVER_PAGE}&limit={LEVER_PAGE}"
        payload = fetch_json(url, config, client)
        jobs += lever_jobs(payload, board, company, label)
        if not isinstance(payload, list) or len(payload) < LEVER_PAGE:
            break
    return jobs
