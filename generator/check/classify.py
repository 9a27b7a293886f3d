"""Reading one posting's answer: open, closed or unknown, and why. Pure, so every rule is
testable alone.

Closing words count only in the posting's own text: asides, navigation, footers and lists of
"similar jobs" are cut first, and a note such as "no longer accepting applications from
recruitment agencies" is no banner. Where a closing phrase shows only outside the posting's
own text, the title on the page wins.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal
from urllib.parse import parse_qsl, urlsplit

from selectolax.lexbor import LexborHTMLParser

from generator.text import html_to_text

Status = Literal["open", "closed", "unknown"]
Skipped = Literal["", "cap", "deadline"]


@dataclass(frozen=True)
class Verdict:
    """What one check found, and why: the reason is what `-v` prints next to the pick."""

    status: Status
    reason: str
    skipped: Skipped = ""
    """Not checked at all: the request cap or the deadline came first."""


_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u201c": '"', "\u201d": '"'})


def normal(text: str) -> str:
    """Casefolded, ASCII quotes, single spaces: the alphabet every pattern below is spelt in."""
    return " ".join(text.translate(_QUOTES).casefold().split())


def _phrases(*patterns: str) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(p) for p in patterns)


_NOUN = r"(?:job|position|role|posting|vacancy|opening|requisition)"
_GENERIC_CLOSED = _phrases(
    r"no longer accepting applications",
    rf"\b{_NOUN}(?: posting| listing)?(?: you are looking for| you're looking for)?"
    r" (?:is|has been) no longer (?:available|open|active|listed)",
    rf"\bthis {_NOUN}(?: posting| listing)? (?:has expired|has been closed|has been filled"
    r"|is closed\b(?!-))",
    r"\bjob posting has expired\b",
)
# A live posting often says how it will end: "applications are accepted until the position
# has been filled". A time or condition word just before a phrase makes it no banner.
_CONDITION = re.compile(r"\b(?:until|till|once|when|whenever|after|before|unless|if)\b")
# "... from recruitment agencies", "Agencies: we are no longer accepting applications": a
# note about who may apply, not about the job.
_WHO_AFTER = re.compile(
    r"^\s*(?:from|by|via|through|sent by|submitted by)\b[^.!?;]{0,40}?"
    r"\b(?:agenc|recruit|staffing|third[- ]part|headhunt|intermediar)"
)
_WHO_BEFORE = re.compile(r"\b(?:agenc|recruiters?\b|staffing|third[- ]part|headhunt)")
# Anti-bot interstitials are short pages without the posting: never evidence of anything.
_BOT_WALL = _phrases(
    r"just a moment\.\.\.",
    r"checking your browser before",
    r"verify (?:that )?you are (?:a )?human",
    r"enable javascript and cookies to continue",
    r"attention required! \| cloudflare",
)
_LISTING_PATH = re.compile(r"/(?:search|jobs/search|job-search|jobs|careers|openings)$")
# What is not the posting: page chrome and lists of other jobs, by element or by name.
_CHROME = (
    "aside, nav, footer, script, style, template, noscript, "
    "[role=complementary], [role=navigation], [role=contentinfo], "
    "[class*=similar], [id*=similar], [class*=related], [id*=related], "
    "[class*=recommend], [id*=recommend], [class*=sidebar], [id*=sidebar]"
)
# Where a list of other jobs begins in the text, when no element names it.
_ELSEWHERE = re.compile(
    r"\b(?:similar|related|recommended|other|more) (?:jobs|roles|positions|openings|vacancies)"
    r"|\bpeople (?:also viewed|who viewed this)|\bjobs you (?:may|might) (?:like|be interested)"
    r"|\byou (?:may|might) also like"
)


@dataclass(frozen=True)
class Site:
    """What one job site says on a closed posting, and whether its redirects mean anything."""

    name: str
    hosts: tuple[str, ...]
    """Host names ending in any of these are this site."""
    closed: tuple[re.Pattern[str], ...] = ()
    redirect_closes: bool = True
    """False where live postings redirect guests too (LinkedIn to its search or login,
    Indeed to its search), so a redirect alone is no evidence."""


SITES = (
    Site(
        "Greenhouse",
        ("greenhouse.io",),
        _phrases(r"the job you are looking for is no longer open"),
    ),
    Site(
        "Lever",
        ("lever.co",),
        _phrases(
            r"sorry, we couldn't find anything here",
            r"the job posting you're looking for might have closed",
        ),
    ),
    Site(
        "Ashby", ("ashbyhq.com",), _phrases(r"\bjob not found\b", r"\bthis job is no longer listed")
    ),
    Site(
        "Workday",
        ("myworkdayjobs.com", "myworkdaysite.com"),
        _phrases(r"the page you are looking for doesn't exist", r"this job posting is no longer"),
    ),
    Site(
        "LinkedIn",
        ("linkedin.com",),
        _phrases(r"no longer accepting applications", r"this job is no longer available"),
        redirect_closes=False,
    ),
    Site(
        "Indeed",
        ("indeed.com",),
        _phrases(r"this job has expired on indeed", r"this job has expired"),
        redirect_closes=False,
    ),
)
_ANY_SITE = Site("any site", ())


def site_for(url: str) -> Site:
    host = (urlsplit(url).hostname or "").lower()
    for site in SITES:
        if any(host == h or host.endswith("." + h) for h in site.hosts):
            return site
    return _ANY_SITE


def closing_phrase(text: str, patterns: Iterable[re.Pattern[str]]) -> str:
    """The first phrase that announces a closure, "" when none does."""
    for pattern in patterns:
        for match in pattern.finditer(text):
            clause = re.split(r"[.!?;|]", text[max(0, match.start() - 60) : match.start()])[-1]
            if _CONDITION.search(clause) or _WHO_BEFORE.search(clause):
                continue
            if _WHO_AFTER.search(text[match.end() : match.end() + 60]):
                continue
            return match.group(0)
    return ""


def posting_text(markup: str) -> str:
    """The posting's own text: the page without its chrome, cut where a list of other jobs
    begins."""
    tree = LexborHTMLParser(markup)
    for node in tree.css(_CHROME):
        node.decompose()
    root = tree.body or tree.root
    text = normal(html.unescape(root.text(separator=" ") if root is not None else ""))
    elsewhere = _ELSEWHERE.search(text)
    return text[: elsewhere.start()] if elsewhere else text


def _same_site(a: str, b: str) -> bool:
    """Same host or the same last two labels (boards.greenhouse.io, job-boards.greenhouse.io)."""
    return a == b or a.split(".")[-2:] == b.split(".")[-2:]


def is_listing_redirect(url: str, final_url: str) -> bool:
    """True when asking for a posting landed on its board's listing or search page instead:
    Greenhouse's `?error=true`, or a page of the same site above the posting in the path."""
    if not site_for(url).redirect_closes:
        return False
    asked, landed = urlsplit(url), urlsplit(final_url)
    if ("error", "true") in parse_qsl(landed.query):
        return True
    if not _same_site((asked.hostname or "").lower(), (landed.hostname or "").lower()):
        return False
    asked_path, landed_path = asked.path.rstrip("/"), landed.path.rstrip("/")
    if not landed_path or landed_path == asked_path:
        return False
    return asked_path.startswith(landed_path + "/") or bool(_LISTING_PATH.search(landed_path))


def classify(url: str, status: int, final_url: str, markup: str, title: str) -> Verdict:
    """The verdict on one posting from its HTTP answer.

    `url` is the pick's link, `final_url` where redirects ended, `markup` the page (for a
    2xx answer) and `title` the pick's title, which an open posting's page shows.
    """
    if status in (404, 410):
        return Verdict("closed", f"HTTP {status}")
    if not 200 <= status < 300:
        return Verdict("unknown", f"HTTP {status}")
    if final_url != url and is_listing_redirect(url, final_url):
        return Verdict("closed", f"redirected to the listing {final_url}")
    page = normal(html_to_text(markup))
    if any(p.search(page) for p in _BOT_WALL):
        return Verdict("unknown", "a bot check instead of the page")
    own = posting_text(markup)
    phrase = closing_phrase(own, (*site_for(final_url).closed, *_GENERIC_CLOSED))
    if phrase:
        return Verdict("closed", f"the page says {phrase!r}")
    wanted = normal(title)
    if wanted and (wanted in page or wanted in normal(html.unescape(markup))):
        return Verdict("open", "the posting is there")
    return Verdict("unknown", "the page does not show the posting")
