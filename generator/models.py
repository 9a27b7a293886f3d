"""The records that cross stages: a posting (`Job`), its score, a pick on a page and a day page.

`Job` is a plain dataclass because a run holds tens of thousands of them; `Pick` and `DayPage`
are pydantic models because they are read back from hand-editable files and must be validated
with errors that name the field.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict, Field


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


@dataclass(frozen=True, slots=True)
class Score:
    """What a scorer says about one job."""

    job_id: str
    score: int
    reason: str
    summary: str
    employer: str = ""
    """The real employer when the scorer found one behind an aggregator poster."""


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


class DayPage(BaseModel):
    """A day's picks. The structured picks are the source of truth; the body is derived."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    date: dt.date
    picks: tuple[Pick, ...] = ()
    scorer: str = ""
    model: str = ""

    @property
    def title(self) -> str:
        return f"Daily Job Picks - {self.date.isoformat()}"

    @property
    def companies(self) -> list[str]:
        """Distinct companies in pick order: the page's tags."""
        return list(dict.fromkeys(p.company for p in self.picks if p.company))
