"""The records that cross stages: a posting (`Job`), its score, a pick on a page and a day page.

`Job` is a plain dataclass because a run holds tens of thousands of them; `Pick` and `DayPage`
are pydantic models because they are read back from hand-editable files and must be validated
with errors that name the field.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator

from generator.text import http_url, plain_line

log = logging.getLogger(__name__)

# -- the vocabulary --------------------------------------------------------------------------
#
# Every enumerated fact once, with the words a reader sees for it. The config's types, the
# cards' labels, Explore's <option>s and the model's answer schema are all derived from here;
# `check_vocabulary` keeps each table and its type in step.

WorkMode = Literal["remote", "hybrid", "onsite"]
WORK_MODES: dict[WorkMode, str] = {"remote": "Remote", "hybrid": "Hybrid", "onsite": "On-site"}

Level = Literal["intern", "junior", "mid", "senior", "staff+", "manager"]
LEVELS: dict[Level, str] = {
    "intern": "Intern",
    "junior": "Junior",
    "mid": "Mid-level",
    "senior": "Senior",
    "staff+": "Staff+",
    "manager": "Manager",
}
LEVEL_RANK: dict[Level, int] = {
    "intern": 0,
    "junior": 1,
    "mid": 2,
    "senior": 3,
    "staff+": 4,
    "manager": 5,
}
"""Seniority as a ladder: a level next to a wanted one is a partial fit."""
LEVEL_WORDS: dict[str, Level] = {"staff": "staff+", "principal": "staff+", "lead": "staff+"}
"""Words a profile may use for a level, besides the levels' own names."""
ProfileLevel = Literal[Level, "staff", "principal", "lead"]
"""A level as a profile may name it: `LEVELS` or `LEVEL_WORDS`."""
RemotePreference = Literal["required", "preferred", "any", "onsite"]
REMOTE_PREFERENCES: dict[RemotePreference, str] = {
    "required": "remote only",
    "preferred": "remote first",
    "any": "either",
    "onsite": "does not want remote",
}
"""How a profile weighs remote work, as the model's instructions explain each value."""

Employment = Literal["full-time", "part-time", "contract", "internship"]
EMPLOYMENTS: dict[Employment, str] = {
    "full-time": "Full-time",
    "part-time": "Part-time",
    "contract": "Contract",
    "internship": "Internship",
}

Visa = Literal["offered", "not_offered"]
VISAS: dict[Visa, str] = {"offered": "Visa sponsorship", "not_offered": "No sponsorship"}

PayPeriod = Literal["year", "month", "hour"]
PAY_PERIODS: dict[PayPeriod, str] = {"year": "a year", "month": "a month", "hour": "an hour"}
HOURS_PER_YEAR = 2080
"""40 hours a week, 52 weeks: how an hourly rate compares with a salary."""
MONTHS_PER_YEAR = 12
PERIODS_PER_YEAR: dict[PayPeriod, int] = {
    "year": 1,
    "month": MONTHS_PER_YEAR,
    "hour": HOURS_PER_YEAR,
}

Verdict = Literal["applied", "dismissed", "saved", "liked", "cleared"]
"""What the reader said of a pick (`feedback.yml`, the site's buttons); "cleared" takes an
earlier verdict back, as if none had been given."""
Reason = Literal["place", "level", "skills", "company", "pay", "other"]
"""Why a pick was not for the reader."""
Status = Literal["applied", "interviewing", "offer", "rejected"]
"""Where an application stands."""

SourceKind = Literal["greenhouse", "lever", "ashby", "feed", "csv", "jobspy", "import"]
"""Where a posting came from: a company board's vendor, a feed, a JobSpy search or export, or a
legacy page brought in by `jobpicks import`."""


def check_vocabulary() -> None:
    """Each label table names exactly its type's values, in the type's order."""
    for table, kind in (
        (WORK_MODES, WorkMode),
        (LEVELS, Level),
        (LEVEL_RANK, Level),
        (EMPLOYMENTS, Employment),
        (VISAS, Visa),
        (PAY_PERIODS, PayPeriod),
        (PERIODS_PER_YEAR, PayPeriod),
        (REMOTE_PREFERENCES, RemotePreference),
    ):
        if tuple(table) != get_args(kind):
            raise AssertionError(f"{list(table)} does not match {get_args(kind)}")


def level_named(word: str) -> Level | None:
    """The level a profile's word names ("senior", "lead" -> "staff+"); None for no level."""
    key = word.strip().casefold()
    return next((level for level in LEVELS if level == key), None) or LEVEL_WORDS.get(key)


class Pay(BaseModel):
    """A stated pay range. A single figure has min == max; unknown currency or period means
    no `Pay` at all, never a guess."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    min: float = Field(gt=0)
    max: float = Field(gt=0)
    currency: str = Field(pattern=r"^[A-Z]{3}$")
    """ISO 4217 code."""
    period: PayPeriod

    @model_validator(mode="after")
    def _ordered(self) -> Pay:
        if self.min > self.max:
            raise ValueError(f"pay min {self.min} is above max {self.max}")
        return self


class MinPay(BaseModel):
    """The least pay worth a look, in one currency and period: `filters.min_pay`, a saved
    search's `min_pay` and Explore's "Minimum pay" all mean `reaches`."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    amount: float = Field(gt=0)
    currency: str = Field(pattern=r"^[A-Z]{3}$", description="ISO 4217 code, e.g. EUR")
    period: PayPeriod = "year"

    @field_validator("currency", mode="before")
    @classmethod
    def _upper(cls, value: object) -> object:
        return value.upper() if isinstance(value, str) else value

    def yearly(self) -> float:
        return self.amount * PERIODS_PER_YEAR[self.period]

    def reaches(self, pay: Pay | None) -> bool | None:
        """Whether `pay` reaches this minimum: the top of its range, converted to a year at
        12 months or 2,080 hours, against the amount converted the same way, in the same
        currency. None when they cannot be compared: no pay stated, or pay in another
        currency (never converted). Run filters keep what cannot be compared, as they keep
        every unstated fact; saved searches and Explore leave it out."""
        if pay is None or pay.currency != self.currency:
            return None
        return pay.max * PERIODS_PER_YEAR[pay.period] >= self.yearly()


@dataclass(frozen=True, slots=True)
class Job:
    """One normalised posting. Every text field is plain, single-line-safe text."""

    id: str
    title: str
    company: str
    location: str
    url: str
    description: str
    posted: dt.date | None
    source: str
    remote: bool | None = None
    """The source's own remote flag ("Anywhere in the World", Lever's `workplaceType`): an
    input to `work_mode`, read through `facts.is_remote` only; never a meaning of its own."""
    poster: str = ""
    """The aggregator that posted the job when `company` is the real employer behind it."""
    origin: str = "site"
    """"board" for the employer's own job board, "site" for a job site or feed: when one
    job arrives both ways, the board's posting is the one kept."""
    # Decision facts from the source's structured fields; None is "not stated".
    work_mode: WorkMode | None = None
    pay: Pay | None = None
    visa: Visa | None = None
    level: Level | None = None
    employment: Employment | None = None
    deadline: dt.date | None = None
    """The last day applications are taken (Greenhouse's `application_deadline`)."""
    salary_text: str = ""
    """A salary as the source wrote it (a feed's vendor element), for the pay parser."""
    source_kind: SourceKind | None = None
    board: str = ""
    """The board's name (`stripe` for boards.greenhouse.io/stripe) for a company-board posting."""


@dataclass(frozen=True, slots=True)
class Score:
    """What a scorer says about one job."""

    job_id: str
    score: int
    reason: str
    summary: str
    employer: str = ""
    """The real employer when the scorer found one behind an aggregator poster."""
    tiebreak: float = 0.0
    """Orders equal scores: the local scorer's score when a model scored."""
    # Facts the scorer read in the posting; used only where the source stated nothing.
    work_mode: WorkMode | None = None
    pay: Pay | None = None
    visa: Visa | None = None
    level: Level | None = None
    employment: Employment | None = None


UNTITLED = "(untitled)"
"""What every view shows for a pick whose title is empty."""
PICK_TEXT = ("title", "company", "location", "reason", "summary", "source", "poster", "board")
"""The pick's free-text fields, each cleaned once by `text.plain_line` when the pick is made."""


class Pick(BaseModel):
    """One job as shown on a day page; the page's front matter holds a list of these.

    A pick is validated and normalised once, when it is made, whether from a source's posting
    (`selection`), a page read from disk (`pages.parse`, which names the file in the
    validation context as `page`) or an import: its text fields are plain single-line text
    and its URL is absolute http(s) or "". Every view (day card, company row, saved-search
    row, feed item, Explore row) draws from that value and cleans nothing again.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(min_length=1)
    title: str
    company: str
    location: str = ""
    url: str
    score: int = Field(ge=0, le=100)
    reason: str = ""
    summary: str = ""
    source: str = ""
    posted: dt.date | None = None
    poster: str = ""
    work_mode: WorkMode | None = None
    pay: Pay | None = None
    visa: Visa | None = None
    level: Level | None = None
    employment: Employment | None = None
    closed: dt.date | None = None
    """The first day the posting was seen closed (`jobpicks check`); None while open or unknown."""
    source_kind: SourceKind | None = None
    """None on pages written before it was recorded."""
    board: str = ""
    """The company board's name when `source_kind` is a board vendor."""
    checked: dt.date | None = None
    """The last day `jobpicks check` had a clear answer (open or closed) for the posting."""
    first_seen: dt.date | None = None
    """For a repost (the same job seen on an earlier day under another URL): the day it was
    first seen."""
    reposts: int = Field(0, ge=0)
    """How many times the job was seen again under a new URL, this posting included."""
    fingerprint: str = Field("", pattern=r"^([0-9a-f]{64})?$")
    """The posting's text in 64 hex digits (`generator/fingerprint.py`): the evidence that a
    later posting under a new URL is the same job. "" when the text was too short or unknown."""

    @model_validator(mode="before")
    @classmethod
    def _normalise(cls, data: Any, info: ValidationInfo) -> Any:
        """Clean the text fields and refuse a URL that is not http(s), with a warning that
        names the page and the pick: the pick is kept, shown without a link. Fields added
        later pass through untouched unless they are named in `PICK_TEXT`."""
        if not isinstance(data, dict):
            return data
        changes = {}
        for key in PICK_TEXT:
            value = data.get(key)
            if isinstance(value, str) and (clean := plain_line(value)) != value:
                changes[key] = clean
        url = data.get("url")
        if isinstance(url, str) and url and (safe := http_url(url)) != url:
            changes["url"] = safe
            if not safe:
                page = (info.context or {}).get("page") if info is not None else None
                log.warning(
                    "%spick %s (%r): %r is not an http(s) address, so it is shown without a "
                    "link; correct its `url`",
                    f"{page}: " if page else "",
                    data.get("id", "?"),
                    data.get("title", ""),
                    url,
                )
        return {**data, **changes} if changes else data

    @property
    def display_title(self) -> str:
        """The title every view shows: `UNTITLED` when there is none."""
        return self.title or UNTITLED


class SourceOutcome(BaseModel):
    """What one configured source gave on a run, kept on the day page as history."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    postings: int | None = None
    """Postings read; None when the source failed."""
    error: str = ""


class ScoringUsage(BaseModel):
    """What a model cost on a run, from the server's own usage numbers."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    calls: int = 0
    cache_hits: int = 0
    input_tokens: int = 0
    cached_tokens: int = 0
    reasoning_tokens: int = 0
    output_tokens: int = 0
    cost_usd: float = 0.0


class LinkCheck(BaseModel):
    """What `jobpicks check` reached on a day: postings it tried, and how many gave a clear
    answer (open or closed). None reached of some tried means the checker is cut off."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    tried: int = Field(0, ge=0)
    reached: int = Field(0, ge=0)


class DayPage(BaseModel):
    """A day's picks. The structured picks are the source of truth; the body is derived."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    date: dt.date
    picks: tuple[Pick, ...] = ()
    scorer: str = ""
    model: str = ""
    sources: tuple[SourceOutcome, ...] = ()
    """Each source's outcome on the run that wrote the page (empty on older pages)."""
    new_postings: int | None = None
    """Postings not shown on an earlier day that reached scoring; None on older pages."""
    usage: ScoringUsage | None = None
    """The model's cost on the run; None for the local scorer and older pages."""
    warnings: int | None = None
    """Warnings the run that wrote the page logged; None on older pages."""
    best_score: int | None = Field(None, ge=0, le=100)
    """The best score of any posting scored that day, picked or not: what a quiet day had."""
    bar: int | None = Field(None, ge=0, le=100)
    """The score a posting needed to be picked (`selection.min_score` on that run)."""
    quiet: bool = False
    """Fewer postings cleared the bar than half the page had room for (`selection.day_bar`)."""
    fallback: str = ""
    """Why the model was given up and the day scored locally; empty when it was not."""
    link_check: LinkCheck | None = None
    """What `jobpicks check` reached on that day."""
    notified: dt.datetime | None = None
    """When `jobpicks notify` sent the day's message (UTC); a re-run sends nothing again."""
    feedback: int | None = None
    """How many of the reader's verdicts (`feedback.yml`) its scores used; None on older
    pages and while there are none."""
    kept_out: int | None = None
    """How many of the day's postings the reader's verdicts kept out (a job applied to or
    dismissed, its reposts, an employer marked Not for me); None on older pages and while
    there are no verdicts."""
    sample: bool = False
    """Written from the bundled sample feeds (`health.on_samples`): its jobs are invented.
    A run on the reader's own sources replaces it without --force, and `build` on their
    own config names it for deletion."""

    @property
    def title(self) -> str:
        return f"Daily Job Picks - {self.date.isoformat()}"

    @property
    def companies(self) -> list[str]:
        """Distinct companies in pick order: the page's tags."""
        return list(dict.fromkeys(p.company for p in self.picks if p.company))
