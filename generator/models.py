"""The records that cross stages: a posting (`Job`), its score, a pick on a page and a day page.

`Job` is a plain dataclass because a run holds tens of thousands of them; `Pick` and `DayPage`
are pydantic models because they are read back from hand-editable files and must be validated
with errors that name the field.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

WorkMode = Literal["remote", "hybrid", "onsite"]
PayPeriod = Literal["year", "month", "hour"]
Visa = Literal["offered", "not_offered"]
Level = Literal["intern", "junior", "mid", "senior", "staff+", "manager"]
Employment = Literal["full-time", "part-time", "contract", "internship"]
SourceKind = Literal["greenhouse", "lever", "ashby", "feed", "csv", "jobspy", "import"]
"""Where a posting came from: a company board's vendor, a feed, a JobSpy search or export, or a
legacy page brought in by `jobpicks import`."""


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


class Pick(BaseModel):
    """One job as shown on a day page; the page's front matter holds a list of these."""

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
    """Fewer postings cleared the bar than the page had room for (`selection.day_bar`)."""
    fallback: str = ""
    """Why the model was given up and the day scored locally; empty when it was not."""
    link_check: LinkCheck | None = None
    """What `jobpicks check` reached on that day."""
    notified: dt.datetime | None = None
    """When `jobpicks notify` sent the day's message (UTC); a re-run sends nothing again."""
    feedback: int | None = None
    """How many of the reader's verdicts (`feedback.yml`) its scores used; None on older
    pages and while there are none."""

    @property
    def title(self) -> str:
        return f"Daily Job Picks - {self.date.isoformat()}"

    @property
    def companies(self) -> list[str]:
        """Distinct companies in pick order: the page's tags."""
        return list(dict.fromkeys(p.company for p in self.picks if p.company))
