"""Company job boards: the public posting APIs of Greenhouse, Lever and Ashby.

None needs a key. One request per board per run (Lever pages through `skip`/`limit`);
field maps follow the vendors' documentation and the real payloads in the fixtures.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import logging
import re
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import quote

import httpx

from generator import facts
from generator.config import BoardSource, FetchConfig
from generator.errors import SourceError
from generator.models import Employment, Job, Pay, WorkMode
from generator.sources import items
from generator.sources.fetch import fetch_bytes
from generator.text import clean_text, html_to_text

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


def api_base(kind: str, api_url: str = "") -> str:
    """The base URL of a vendor's board API: the source's `api_url` or the vendor's own."""
    return (api_url or API[kind]).rstrip("/")


def listing_url(kind: str, base: str, board: str, *, details: bool = True, page: int = 0) -> str:
    """The URL of one board's listing (for Lever, of its `page`th page).

    `details` asks for what a run maps (descriptions, pay); `jobpicks check` needs only the
    ids and deadlines, a much smaller payload."""
    slug = quote(board, safe="")
    if kind == "greenhouse":
        return f"{base}/{slug}/jobs" + ("?content=true&pay_transparency=true" if details else "")
    if kind == "ashby":
        return f"{base}/{slug}?includeCompensation={'true' if details else 'false'}"
    return f"{base}/{slug}?mode=json&skip={page * LEVER_PAGE}&limit={LEVER_PAGE}"


def lever_has_more(payload: Any) -> bool:
    """Whether a Lever page was full, so the next one may hold more postings."""
    return isinstance(payload, list) and len(payload) >= LEVER_PAGE


async def lever_pages(
    base: str,
    board: str,
    fetch: Callable[[str], Awaitable[Any]],
    *,
    details: bool,
    cut_short: str,
) -> tuple[list[Any], bool]:
    """Each page's payload of a Lever board, in order, and whether they hold all of it.

    One loop for `jobpicks run` and `jobpicks check`, so both stop at the same page and say
    so: a board still full after LEVER_MAX_PAGES is a warning naming it, ending with
    `cut_short`, what the caller does with the pages it has. Paging ends at the first page
    that is not full, one `fetch` could not read (None) included."""
    payloads: list[Any] = []
    for page in range(LEVER_MAX_PAGES):
        payload = await fetch(listing_url("lever", base, board, details=details, page=page))
        payloads.append(payload)
        if not lever_has_more(payload):
            return payloads, True
    log.warning(
        "lever board %s: still full after %d pages of %d postings; %s",
        board,
        LEVER_MAX_PAGES,
        LEVER_PAGE,
        cut_short,
    )
    return payloads, False


async def fetch_json(url: str, config: FetchConfig, client: httpx.AsyncClient) -> Any:
    data = await fetch_bytes(url, config, client)
    if not data.strip():
        raise SourceError("empty response")
    try:
        return json.loads(data)
    except ValueError as exc:
        if data.lstrip()[:1] == b"<":  # an error or login page answered with 200
            raise SourceError(
                "an HTML page, not the board's JSON: is the address its API, and is the board up?"
            ) from None
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


# Greenhouse's pay-transparency block: `<div class="pay-range"><span>$120,000</span>
# <span class="divider">&mdash;</span><span>$150,000 USD</span></div>`, once per location zone.
_PAY_RANGE = re.compile(r'<div class="pay-range">(.*?)</div>', re.DOTALL)


def greenhouse_pay(content: object) -> Pay | None:
    """The pay range of Greenhouse's pay-transparency block; None when there is none or its
    zones state different ranges."""
    markup = str(content or "")
    while "&lt;" in markup:
        markup = html.unescape(markup)
    ranges = {
        facts.extract_pay(html_to_text(m), salary_field=True) for m in _PAY_RANGE.findall(markup)
    }
    return ranges.pop() if len(ranges) == 1 else None


def greenhouse_ranges(item: dict[str, Any]) -> Pay | None:
    """Pay from `pay_input_ranges` (`?pay_transparency=true`): amounts in cents, one range per
    pay zone, no period. Only a range in a currency `facts` knows, high enough that no hourly
    or monthly wage reaches it, is read as yearly; zones that disagree give None."""
    ranges = item.get("pay_input_ranges")
    if not isinstance(ranges, list) or not ranges:
        return None
    found: set[Pay | None] = set()
    for zone in ranges:
        if not isinstance(zone, dict):
            return None
        low, high, code = zone.get("min_cents"), zone.get("max_cents"), zone.get("currency_type")
        if not isinstance(low, int | float) or not isinstance(high, int | float):
            return None
        yearly = code in facts.CODES and min(low, high) / 100 >= facts.INFER_YEAR_FROM
        found.add(facts.pay_value(low / 100, high / 100, code, "yearly" if yearly else None))
    return found.pop() if len(found) == 1 else None


def _metadata(item: dict[str, Any]) -> tuple[WorkMode | None, Employment | None]:
    """Work mode and employment from Greenhouse custom fields named like "Workplace Type"."""
    mode: WorkMode | None = None
    employment: Employment | None = None
    for field in item.get("metadata") or []:
        if not isinstance(field, dict) or not isinstance(field.get("value"), str):
            continue
        name = str(field.get("name") or "").casefold()
        if re.search(r"workplace|remote|location type|work (?:type|model|arrangement)", name):
            mode = mode or facts.work_mode_value(field["value"])
        elif re.search(r"employment|job type|commitment", name):
            employment = employment or facts.employment_value(field["value"])
    return mode, employment


def _ashby_pay(item: dict[str, Any]) -> Pay | None:
    """The salary component of Ashby's compensation summary (`includeCompensation=true`);
    None when the board hides pay or the summary holds no single salary."""
    compensation = item.get("compensation")
    if (
        not isinstance(compensation, dict)
        or item.get("shouldDisplayCompensationOnJobPostings") is False
    ):
        return None
    salaries = {
        facts.pay_value(
            c.get("minValue"), c.get("maxValue"), c.get("currencyCode"), c.get("interval")
        )
        for c in compensation.get("summaryComponents") or []
        if isinstance(c, dict) and c.get("compensationType") == "Salary"
    }
    return salaries.pop() if len(salaries) == 1 else None


def company_name(source: BoardSource, board: str) -> str:
    return source.names.get(board) or board.replace("-", " ").replace("_", " ").title()


def greenhouse_jobs(payload: Any, board: str, company: str, label: str) -> list[Job]:
    if not isinstance(payload, dict) or not isinstance(payload.get("jobs"), list):
        raise SourceError("unexpected JSON: no `jobs` list")

    def job(item: Any) -> Job | None:
        if not isinstance(item, dict) or not item.get("title") or _GENERIC.match(item["title"]):
            return None
        location = clean_text((item.get("location") or {}).get("name"))
        mode, employment = _metadata(item)
        return Job(
            id=f"greenhouse:{item.get('id')}",
            title=clean_text(item["title"]),
            company=clean_text(item.get("company_name")) or company,
            location=location,
            url=items.link(item.get("absolute_url"), label, item),
            description=html_to_text(item.get("content")),
            posted=_date(item.get("first_published") or item.get("updated_at")),
            source=label,
            remote=_remote(location),
            origin="board",
            work_mode=mode,
            pay=greenhouse_ranges(item) or greenhouse_pay(item.get("content")),
            employment=employment,
            deadline=_date(item.get("application_deadline")),
            source_kind="greenhouse",
            board=board,
        )

    return items.each(payload["jobs"], job, label)[0]


def lever_jobs(payload: Any, board: str, company: str, label: str) -> list[Job]:
    if not isinstance(payload, list):
        raise SourceError("unexpected JSON: expected a list of postings")

    def job(item: Any) -> Job | None:
        if not isinstance(item, dict) or not item.get("text") or _GENERIC.match(item["text"]):
            return None
        categories = item.get("categories") or {}
        parts = [item.get("descriptionPlain") or html_to_text(item.get("description"))]
        parts += [
            f"{clean_text(x.get('text'))}: {html_to_text(x.get('content'))}"
            for x in item.get("lists") or []
            if isinstance(x, dict)
        ]
        parts.append(item.get("additionalPlain") or html_to_text(item.get("additional")))
        location = clean_text(categories.get("location"))
        salary: dict[str, Any] = item.get("salaryRange") or {}
        if not isinstance(salary, dict):
            salary = {}
        return Job(
            id=f"lever:{item.get('id')}",
            title=clean_text(item["text"]),
            company=company,
            location=location,
            url=items.link(item.get("hostedUrl") or item.get("applyUrl"), label, item),
            description=clean_text(" ".join(p for p in parts if p)),
            posted=_date(item.get("createdAt")),
            source=label,
            remote=True if item.get("workplaceType") == "remote" else _remote(location),
            origin="board",
            work_mode=facts.work_mode_value(item.get("workplaceType")),
            pay=facts.pay_value(
                salary.get("min"),
                salary.get("max"),
                salary.get("currency"),
                salary.get("interval"),
            ),
            employment=facts.employment_value(categories.get("commitment")),
            salary_text=clean_text(item.get("salaryDescriptionPlain")),
            source_kind="lever",
            board=board,
        )

    return items.each(payload, job, label)[0]


def ashby_jobs(payload: Any, board: str, company: str, label: str) -> list[Job]:
    if not isinstance(payload, dict) or not isinstance(payload.get("jobs"), list):
        raise SourceError("unexpected JSON: no `jobs` list")

    def job(item: Any) -> Job | None:
        if (
            not isinstance(item, dict)
            or not item.get("title")
            or item.get("isListed") is False
            or _GENERIC.match(item["title"])
        ):
            return None
        location = clean_text(item.get("location"))
        remote = item.get("isRemote") is True or item.get("workplaceType") == "Remote"
        # `workplaceType` is the more specific of the two when they disagree (isRemote true
        # on a Hybrid job is observed): it wins, and isRemote alone means remote.
        mode = facts.work_mode_value(item.get("workplaceType")) or (
            "remote" if item.get("isRemote") is True else None
        )
        return Job(
            id=f"ashby:{item.get('id')}",
            title=clean_text(item["title"]),
            company=company,
            location=location,
            url=items.link(item.get("jobUrl") or item.get("applyUrl"), label, item),
            description=clean_text(item.get("descriptionPlain"))
            or html_to_text(item.get("descriptionHtml")),
            posted=_date(item.get("publishedAt")),
            source=label,
            remote=True if remote else _remote(location),
            origin="board",
            work_mode=mode,
            pay=_ashby_pay(item),
            employment=facts.employment_value(item.get("employmentType")),
            source_kind="ashby",
            board=board,
        )

    return items.each(payload["jobs"], job, label)[0]


async def read_board(
    source: BoardSource, board: str, config: FetchConfig, client: httpx.AsyncClient
) -> list[Job]:
    """Every posting on one board."""
    base = api_base(source.type, source.api_url)
    company = company_name(source, board)
    label = f"{source.type} {board}"
    try:
        return await _read(source.type, base, board, company, label, config, client)
    except SourceError as exc:
        if exc.message.startswith("HTTP 404"):
            raise SourceError(f"{exc.message} (is {board!r} the right board name?)") from None
        raise


async def _read(
    kind: str,
    base: str,
    board: str,
    company: str,
    label: str,
    config: FetchConfig,
    client: httpx.AsyncClient,
) -> list[Job]:
    if kind == "greenhouse":
        payload = await fetch_json(listing_url(kind, base, board), config, client)
        return greenhouse_jobs(payload, board, company, label)
    if kind == "ashby":
        payload = await fetch_json(listing_url(kind, base, board), config, client)
        return ashby_jobs(payload, board, company, label)
    payloads, _ = await lever_pages(
        base,
        board,
        lambda url: fetch_json(url, config, client),
        details=True,
        cut_short="only the postings on those pages are read",
    )
    return [job for payload in payloads for job in lever_jobs(payload, board, company, label)]
