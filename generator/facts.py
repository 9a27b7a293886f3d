"""Decision facts (work mode, pay, visa, level, employment) read from a posting's text.

Only unambiguous statements count: a wrong label misleads a reader more than a missing one,
so anything doubtful is None. Each extractor looks for explicit phrasings, rejects negated or
merely related ones ("not a remote-first company", "hybrid cloud") and gives None when the
text states two different answers.

Pay is parsed here rather than with `price-parser`: that library finds one price in a string
but knows no ranges, "k" suffixes or periods, and returns the bare symbol ("$") rather than an
ISO code, which are the parts that decide whether a figure is a salary. Babel's currency
tables would name more symbols, but a symbol is not the hard part ("$" stays ambiguous in any
locale); a short table of currencies whose salary magnitudes `PLAUSIBLE` knows is what lets
an absurd figure be rejected, so no new dependency.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable
from typing import TypeVar

from pydantic import ValidationError

from generator.models import (
    PAY_PERIODS,
    WORK_MODES,
    Employment,
    Job,
    Level,
    Pay,
    PayPeriod,
    Visa,
    WorkMode,
)

T = TypeVar("T")

# Currencies whose salaries have the magnitudes `PLAUSIBLE` checks; others give no pay.
SYMBOLS = {
    "US$": "USD",
    "C$": "CAD",
    "CA$": "CAD",
    "A$": "AUD",
    "AU$": "AUD",
    "NZ$": "NZD",
    "S$": "SGD",
    "$": "USD",
    "€": "EUR",
    "£": "GBP",
}
CODES = ("USD", "EUR", "GBP", "CAD", "AUD", "NZD", "SGD", "CHF")
# Dollar codes that make a bare "$" ambiguous when the same text names them.
_OTHER_DOLLARS = re.compile(r"\b(?:CAD|AUD|NZD|SGD|HKD|MXN)\b|\b(?:C|CA|A|AU|NZ|S|HK)\$")
PLAUSIBLE: dict[PayPeriod, tuple[float, float]] = {
    "hour": (5, 1_000),
    "month": (500, 100_000),
    "year": (5_000, 2_000_000),
}
"""Amounts outside these bounds (in the currency's major unit) are not a salary."""
INFER_YEAR_FROM = 20_000
"""A range with no stated period is yearly only when it starts at this much or more."""

_CUR_PREFIX = (
    r"(?<![A-Za-z0-9])(?P<{name}>US\$|CA?\$|AU?\$|NZ\$|S\$|\$|€|£"
    r"|(?:USD|EUR|GBP|CAD|AUD|NZD|SGD|CHF)\s?)"
)
_NUM = (
    r"(?P<{name}>\d{{1,3}}(?:[,.'\u00a0\u202f ]\d{{3}})+(?:[.,]\d{{1,2}})?|\d+(?:[.,]\d{{1,2}})?)"
)
_SUFFIX = r"(?P<{name}>[kK]\b)?"
_CODE_AFTER = r"(?:\s?(?P<code>(?:USD|EUR|GBP|CAD|AUD|NZD|SGD|CHF)\b|€|£))?"
_PERIOD = (
    r"(?:\s*(?:/|per|an?|each)\s*(?P<period>year|yr|annum|month|mo|hour|hr)\b"
    r"|\s*,?\s*(?P<period2>(?:annually|yearly|monthly|hourly)\b|p\.\s?a\.|p/h\b))?"
)
_PAY = re.compile(
    _CUR_PREFIX.format(name="cur1")
    + r"\s?"
    + _NUM.format(name="lo")
    + _SUFFIX.format(name="k1")
    + r"(?:\s*(?:-|–|—|to)\s*"
    + _CUR_PREFIX.format(name="cur2")
    + r"?\s?"
    + _NUM.format(name="hi")
    + _SUFFIX.format(name="k2")
    + r")?"
    + _CODE_AFTER
    + _PERIOD
    + r"(?![\d%]|\s?[mMbB]\b|\s?(?:million|billion))",
)
# Amounts written with the currency code after the number: "60.000–75.000 EUR per year".
_PAY_CODE_AFTER = re.compile(
    r"(?<![\w$€£.,])"
    + _NUM.format(name="lo")
    + _SUFFIX.format(name="k1")
    + r"\s*(?:-|–|—|to)\s*"
    + _NUM.format(name="hi")
    + _SUFFIX.format(name="k2")
    + r"\s?(?P<code>USD|EUR|GBP|CAD|AUD|NZD|SGD|CHF|€|£)(?![\w$])"
    + _PERIOD
)
_PERIODS: dict[str, PayPeriod] = {
    "year": "year",
    "yr": "year",
    "annum": "year",
    "annually": "year",
    "yearly": "year",
    "pa": "year",
    "month": "month",
    "mo": "month",
    "monthly": "month",
    "hour": "hour",
    "hr": "hour",
    "hourly": "hour",
    "p/h": "hour",
}
# Money that is not the job's pay.
_NOT_PAY = re.compile(
    r"bonus|stipend|budget|allowance|funding|raised|revenue|valuation|equity|reimburse|"
    r"referral|relocation|credit|grant|invest|\barr\b|per (?:employee|user|seat)",
    re.IGNORECASE,
)
_NOT_PAY_AFTER = re.compile(
    r"\s*(?:in |of |a |an |per |annual |yearly |monthly |one-time |signing |sign-on |"
    r"learning |home office |wellness |referral |relocation |performance )*"
    r"(?:bonus|stipend|budget|allowance|funding|revenue|valuation|credit|grant|"
    r"reimbursement|equity grant|series [a-e]\b|seed|arr\b)",
    re.IGNORECASE,
)
_OPEN_ENDED = re.compile(
    r"\b(?:up ?to|upto|from|starting (?:at|from)|at least|min(?:imum)?|max(?:imum)?|over|"
    r"above|below|under|more than|less than)\s*:?\s*$",
    re.IGNORECASE,
)
_PAY_CUE = re.compile(
    r"salary|compensation|\bpay\b|base|range|wage|\brate\b|\bote\b|earn|remuneration|"
    r"gehalt|salaire|rémunération",
    re.IGNORECASE,
)


def _number(text: str) -> float | None:
    """ "120,000" / "60.000" / "60 000" / "120" / "52.50"; None when it is not one number."""
    text = text.replace("\u00a0", " ").replace("\u202f", " ")
    groups = re.split(r"[,.' ]", text)
    if len(groups) > 1 and all(len(g) == 3 for g in groups[1:]):
        return float("".join(groups))
    if len(groups) > 2 and all(len(g) == 3 for g in groups[1:-1]) and len(groups[-1]) <= 2:
        return float("".join(groups[:-1]) + "." + groups[-1])
    if len(groups) == 2 and len(groups[1]) <= 2:
        return float(f"{groups[0]}.{groups[1]}")
    if len(groups) == 1:
        return float(groups[0])
    return None


def _currency(*marks: str | None) -> str | None:
    """One ISO code from the marks around a figure; None when they disagree or are unknown."""
    codes = set()
    dollar = False
    for mark in marks:
        if not mark:
            continue
        mark = mark.strip()
        if mark == "$":
            dollar = True
            continue
        code = SYMBOLS.get(mark) or (mark if mark in CODES else None)
        if code is None:
            return None
        codes.add(code)
    if dollar and not codes:
        return "USD"
    if len(codes) != 1:
        return None
    code = codes.pop()
    # A bare "$" next to a dollar code ("$100,000 CAD") is that code's dollar.
    return code if not dollar or code.endswith("D") else None


def _pay_from_match(
    match: re.Match[str], text: str, cue_needed: bool, other_dollars: bool
) -> Pay | bool | None:
    """The match as Pay; False when it is money but not pay (skip it), None when unclear."""
    groups = match.groupdict()
    before = text[max(0, match.start() - 60) : match.start()]
    if _NOT_PAY_AFTER.match(text, match.end()):
        return False
    cues = [m.end() for m in _PAY_CUE.finditer(before[-30:])]
    others = [m.end() for m in _NOT_PAY.finditer(before[-30:])]
    if others and (not cues or cues[-1] < others[-1]):
        return False
    currency = _currency(groups.get("cur1"), groups.get("cur2"), groups.get("code"))
    if currency is None:
        return None
    explicit = "US$" in match[0] or "USD" in match[0]
    if currency == "USD" and not explicit and not groups.get("code") and other_dollars:
        return None
    lo = _number(groups["lo"])
    hi = _number(groups["hi"]) if groups.get("hi") else lo
    if lo is None or hi is None:
        return None
    k1, k2 = groups.get("k1"), groups.get("k2")
    if k1 or k2:
        # "$120k-150k" and "$120-150k" both mean thousands at both ends.
        lo, hi = lo * 1000, hi * 1000
    raw = (groups.get("period") or groups.get("period2") or "").lower()
    raw = raw.replace(".", "").replace(" ", "")
    period = _PERIODS.get(raw)
    if period is None:
        if raw or lo < INFER_YEAR_FROM:
            return None
        period = "year"
    if cue_needed and not _PAY_CUE.search(before):
        return False
    if not groups.get("hi") and _OPEN_ENDED.search(before[-20:]):
        return None  # "up to $185,500" bounds the pay on one side only
    low, high = PLAUSIBLE[period]
    if not (low <= lo <= high and low <= hi <= high) or lo > hi:
        return None
    try:
        return Pay(min=lo, max=hi, currency=currency, period=period)
    except ValidationError:
        return None


def extract_pay(text: str, *, salary_field: bool = False) -> Pay | None:
    """The one pay range the text states, or None (none, several different, or doubtful).

    A single figure counts only after a word such as "salary" or "rate", unless the text is
    a source's salary field (`salary_field`), where every figure is pay.
    """
    if not text:
        return None
    found: set[Pay] = set()
    doubtful = False
    other_dollars = bool(_OTHER_DOLLARS.search(text))
    for pattern in (_PAY, _PAY_CODE_AFTER):
        for match in pattern.finditer(text):
            single = not match.groupdict().get("hi")
            cue_needed = single and not salary_field
            result = _pay_from_match(match, text, cue_needed, other_dollars)
            if result is None:
                doubtful = doubtful or not single
            elif result is not False:
                assert isinstance(result, Pay)
                found.add(result)
    if doubtful or len(found) != 1:
        return None
    return found.pop()


# --- work mode -----------------------------------------------------------------------------

_NEGATION = re.compile(
    r"\b(?:not|no|non|never|nor|without|isn't|aren't|cannot|can't|won't|unable)\b[^.;:!?]{0,25}$",
    re.IGNORECASE,
)
# A field of its own in a "Company | Role | Remote (EMEA) | Full-time" header line.
_PIPED = r"(?:^|\|)\s*{}(?:\s*\([^)|]*\))?\s*(?=\||$)"
_WORK_MODES: dict[WorkMode, re.Pattern[str]] = {
    "remote": re.compile(
        r"\b(?:fully|100\s?%|completely|entirely|full)[ -]remote\b"
        r"|\bremote[ -](?:first|only)\b(?! (?:company|culture|team|organi[sz]ation))"
        r"|\b(?:this|the) (?:role|position|job|opportunity) is (?:a )?(?:fully )?remote\b"
        r"|\bremote (?:role|position|job|opportunity)\b"
        r"|\bwork (?:remotely )?from anywhere\b"
        r"|" + _PIPED.format("remote"),
        re.IGNORECASE,
    ),
    "hybrid": re.compile(
        r"\bhybrid[ -](?:role|position|job|work(?:ing)?|model|schedule|setup|set-up|"
        r"arrangement|environment|policy|opportunity|remote|on-?site)\b"
        r"|\b(?:this|the) (?:role|position|job) is (?:a )?hybrid\b"
        r"|\b(?:work|working) (?:in )?(?:a )?hybrid\b"
        r"|\b[1-4] days? (?:a|per|each) week (?:in|at) (?:the |our )?office\b"
        r"|" + _PIPED.format("hybrid"),
        re.IGNORECASE,
    ),
    "onsite": re.compile(
        r"\b(?:fully|100\s?%|entirely) (?:on-?site|in[ -]office|office[ -]based)\b"
        r"|\b(?:this|the) (?:role|position|job) is (?:an? )?(?:fully )?"
        r"(?:on-?site|in[ -]office|office[ -]based|in[ -]person)\b"
        r"|\b(?:on-?site|in[ -]office|office[ -]based) (?:role|position|job)\b"
        r"|\b5 days (?:a|per) week (?:in|at) (?:the |our )?office\b"
        r"|" + _PIPED.format("on-?site"),
        re.IGNORECASE,
    ),
}
# A location field is short and about place only, so a bare word is enough there.
_LOCATION_MODES: dict[WorkMode, re.Pattern[str]] = {
    # A location field of "Anywhere" or "Anywhere in the World" (RemoteOK, job boards).
    "remote": re.compile(r"\b(?:remote|anywhere)\b", re.IGNORECASE),
    "hybrid": re.compile(r"\bhybrid\b", re.IGNORECASE),
    "onsite": re.compile(r"\b(?:on-?site|in[ -]office)\b", re.IGNORECASE),
}


# Words each label's phrases contain: a pattern whose words are all absent cannot match, and
# a plain substring test is far cheaper than a case-blind alternation run over 3 KB of text
# (work mode and employment took two thirds of the facts' time at 10,000 postings).
_WORK_MODE_GUARDS: dict[WorkMode, tuple[str, ...]] = {
    "remote": ("remote", "anywhere"),
    "hybrid": ("hybrid", "office"),
    "onsite": ("site", "office", "person"),
}
_EMPLOYMENT_GUARDS: dict[Employment, tuple[str, ...]] = {
    "full-time": ("time",),
    "part-time": ("time",),
    "contract": ("contract",),
}


def _stated(
    patterns: dict[T, re.Pattern[str]],
    text: str,
    words: dict[T, tuple[str, ...]] | None = None,
) -> T | None:
    """The one label whose pattern matches un-negated; None for none or several. With
    `words`, a label is tried only where one of its words appears."""
    labels = set()
    lowered = text.lower() if words else ""
    for label, pattern in patterns.items():
        if words and not any(word in lowered for word in words[label]):
            continue
        for match in pattern.finditer(text):
            if not _NEGATION.search(text[max(0, match.start() - 60) : match.start()]):
                labels.add(label)
                break
    return labels.pop() if len(labels) == 1 else None


_EITHER_MODE = re.compile(
    r"\b(?:remote|hybrid|on-?site|in[ -]office)\s*(?:or|/|and)\s*"
    r"(?:remote|hybrid|on-?site|in[ -]office)\b",
    re.IGNORECASE,
)


def extract_work_mode(text: str, location: str = "") -> WorkMode | None:
    """Remote, hybrid or on-site from a location field first, else from explicit phrases.
    A choice ("remote or hybrid") is no single answer, so None."""
    if _EITHER_MODE.search(f"{location} {text}"):
        return None
    if location and (mode := _stated(_LOCATION_MODES, location)) is not None:
        return mode
    return _stated(_WORK_MODES, text, _WORK_MODE_GUARDS) if text else None


_REMOTE_WORD: dict[WorkMode, re.Pattern[str]] = {
    "remote": re.compile(r"\bremote\b(?!\s+sens)", re.IGNORECASE)  # not "Remote Sensing"
}


def is_remote(job: Job) -> bool:
    """Remote has one meaning: the work mode `fill` read from the source's flag, a location
    such as "Remote (Europe)" or the posting's words. Where it read none ("Remote or
    hybrid"), the source's flag or an un-negated "remote" in the location or title still
    counts; "Berlin (no remote)" and "Remote Sensing Engineer" do not."""
    if job.work_mode is not None:
        return job.work_mode == "remote"
    return bool(job.remote) or any(
        _stated(_REMOTE_WORD, text) is not None for text in (job.location, job.title) if text
    )


# --- visa ----------------------------------------------------------------------------------

_VISA_NO = re.compile(
    r"\b(?:unable|not able|cannot|can ?not|can't|won't|will not|do not|don't|does not|"
    r"doesn't|are not|is not|isn't|aren't)\b(?: currently)?(?: able)?(?: to)?"
    r" (?:provide |offer |support |consider )?(?:visa |immigration |work permit )?sponsor"
    r"|\bno (?:visa |immigration )?sponsorship\b"
    r"|\bsponsorship (?:is |will )?(?:not|un)(?: be)? ?(?:available|offered|provided|possible)\b"
    r"|\bwithout (?:the need for |requiring |needing |requiring future )?(?:visa |employer |"
    r"immigration )?sponsorship\b"
    r"|\bnot (?:eligible|open) (?:for|to) (?:visa )?sponsorship\b",
    re.IGNORECASE,
)
_VISA_YES = re.compile(
    r"\bvisa sponsorship (?:is )?(?:available|offered|provided|possible)\b"
    r"|\b(?:we|will|can|company) (?:will |can |do |does )?(?:offer|provide|support) "
    r"(?:visa|work permit|immigration) sponsorship\b"
    r"|\b(?:we|will|can) (?:will |can )?sponsor (?:your |a |the )?(?:work )?visas?\b"
    r"|\bvisa sponsorship and relocation\b|\brelocation and visa (?:sponsorship|support)\b",
    re.IGNORECASE,
)


def extract_visa(text: str) -> Visa | None:
    """Whether the posting says it sponsors visas; None unless exactly one side is stated."""
    if not text:
        return None
    no = bool(_VISA_NO.search(text))
    yes = any(
        not _NEGATION.search(text[max(0, m.start() - 60) : m.start()])
        for m in _VISA_YES.finditer(text)
    )
    if no == yes:
        return None
    return "not_offered" if no else "offered"


# --- level ---------------------------------------------------------------------------------

_IC_ROLE = r"(?=.*\b(?:engineer|developer|scientist|architect|designer|researcher|analyst|sre)\b)"
_LEVELS: dict[Level, re.Pattern[str]] = {
    "intern": re.compile(r"\bintern(?:ship)?s?\b|\bstagiaire\b|\bwerkstudent", re.IGNORECASE),
    "junior": re.compile(
        r"\b(?:junior|jr\.?|entry[ -]level|graduate|new grad)(?=\W|$)", re.IGNORECASE
    ),
    "mid": re.compile(r"\b(?:mid[ -]level|intermediate)\b", re.IGNORECASE),
    "senior": re.compile(r"\b(?:senior|sr\.?)(?=\W|$)", re.IGNORECASE),
    "staff+": re.compile(r"\b(?:staff|principal|distinguished)\b" + _IC_ROLE, re.IGNORECASE),
    "manager": re.compile(
        r"\b(?:engineering|development|software|data|science|research|team|people)"
        r" manager\b|\bmanager,? (?:of )?(?:engineering|software|data)\b"
        r"|\bhead of\b|\bdirector\b|\bvice president\b|\bvp\b|\bcto\b|\bchief\b",
        re.IGNORECASE,
    ),
}


def level_from_title(title: str) -> Level | None:
    """The level a title names; a people-manager title outranks its seniority word."""
    found = {level for level, pattern in _LEVELS.items() if pattern.search(title)}
    if "manager" in found:
        found -= {"senior", "staff+"}
    if re.search(r"\ball levels\b|\bany level\b", title, re.IGNORECASE):
        return None
    return found.pop() if len(found) == 1 else None


# --- employment ----------------------------------------------------------------------------

_EMPLOYMENT: dict[Employment, re.Pattern[str]] = {
    "full-time": re.compile(r"\bfull[ -]?time\b", re.IGNORECASE),
    "part-time": re.compile(r"\bpart[ -]time\b", re.IGNORECASE),
    "contract": re.compile(
        r"\bcontract(?:[ -]to[ -]hire| (?:role|position|job|basis|assignment|engagement))\b"
        r"|\b(?:fixed[ -]term|freelance) (?:contract|role|position)\b"
        r"|\b(?:this|the) (?:role|position|job) is (?:a )?(?:\d+[ -]month )?contract\b"
        r"|\bfull[ -]?time contract\b",
        re.IGNORECASE,
    ),
}


_CONTRACT_TITLE = re.compile(r"\(contract\)|\bfreelance\b", re.IGNORECASE)


def extract_employment(text: str, title: str = "") -> Employment | None:
    """Internship or contract from the title; else the one employment type the text states."""
    if title and _LEVELS["intern"].search(title):
        return "internship"
    if title and _CONTRACT_TITLE.search(title):
        return "contract"
    found = _stated(_EMPLOYMENT, f"{title}. {text}", _EMPLOYMENT_GUARDS)
    return found


# --- all of it -----------------------------------------------------------------------------


def _first(values: Iterable[T | None]) -> T | None:
    return next((v for v in values if v is not None), None)


def fill(job: Job) -> Job:
    """`job` with every fact its source left unknown read from its text, where stated."""
    text = f"{job.title}. {job.description}"
    changes: dict[str, object] = {}
    if job.work_mode is None:
        mode = extract_work_mode(text, job.location)
        if mode is None and job.remote:
            mode = "remote"
        changes["work_mode"] = mode
    if job.pay is None:
        changes["pay"] = _first(
            (extract_pay(job.salary_text, salary_field=True), extract_pay(job.description))
        )
    if job.visa is None:
        changes["visa"] = extract_visa(job.description)
    if job.level is None:
        changes["level"] = level_from_title(job.title)
    if job.employment is None:
        changes["employment"] = extract_employment(job.description, job.title)
    changes = {k: v for k, v in changes.items() if v is not None}
    return dataclasses.replace(job, **changes) if changes else job  # type: ignore[arg-type]


def fill_all(jobs: Iterable[Job]) -> list[Job]:
    return [fill(job) for job in jobs]


# --- sources' structured values ------------------------------------------------------------

_MODE_WORDS: dict[str, WorkMode] = {
    **{mode: mode for mode in WORK_MODES},
    "on-site": "onsite",
    "on site": "onsite",
    "in office": "onsite",
    "in-office": "onsite",
    "office": "onsite",
}
_EMPLOYMENT_WORDS: dict[str, Employment] = {
    "fulltime": "full-time",
    "full time": "full-time",
    "full-time": "full-time",
    "parttime": "part-time",
    "part time": "part-time",
    "part-time": "part-time",
    "contract": "contract",
    "contractor": "contract",
    "freelance": "contract",
    "intern": "internship",
    "internship": "internship",
}
_INTERVALS: dict[str, PayPeriod] = {
    # our own names (the model's answer)
    **{period: period for period in PAY_PERIODS},
    # Lever `salaryRange.interval`
    "per-year-salary": "year",
    "per-month-salary": "month",
    "per-hour-wage": "hour",
    # Ashby `compensation` components
    "1 year": "year",
    "1 month": "month",
    "1 hour": "hour",
    # JobSpy `interval`
    "yearly": "year",
    "monthly": "month",
    "hourly": "hour",
}


def _key(value: object) -> str:
    return re.sub(r"[\s_]+", " ", str(value or "")).strip().casefold()


def work_mode_value(value: object) -> WorkMode | None:
    """A source's workplace field ("remote", "Hybrid", "OnSite", "on-site") as a WorkMode."""
    key = _key(value)
    return _MODE_WORDS.get(key) or _MODE_WORDS.get(re.sub(r"(?<=n)(?=site)", "-", key))


def employment_value(value: object) -> Employment | None:
    """A source's employment field ("Full Time", "FullTime", "fulltime", "Intern")."""
    key = _key(value)
    spaced = _key(re.sub(r"(?<=[a-z])(?=[A-Z])", " ", str(value or "")))
    return _EMPLOYMENT_WORDS.get(key) or _EMPLOYMENT_WORDS.get(spaced)


def pay_value(low: object, high: object, currency: object, interval: object) -> Pay | None:
    """A source's structured pay as Pay; None for an unknown period or currency code, a
    missing or non-numeric amount, a reversed range or amounts no salary has."""
    period = _INTERVALS.get(_key(interval))
    code = str(currency or "").strip().upper()
    if period is None or not re.fullmatch(r"[A-Z]{3}", code):
        return None
    try:
        lo = float(low) if low not in (None, "") else None  # type: ignore[arg-type]
        hi = float(high) if high not in (None, "") else None  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    lo, hi = lo if lo is not None else hi, hi if hi is not None else lo
    if lo is None or hi is None or lo != lo or hi != hi or lo > hi or lo <= 0:
        return None
    if code in CODES:
        floor, ceiling = PLAUSIBLE[period]
        if not (floor <= lo and hi <= ceiling):
            return None
    try:
        return Pay(min=lo, max=hi, currency=code, period=period)
    except ValidationError:
        return None
