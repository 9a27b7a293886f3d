"""What the site knows of whether its picks are still open, said as it knows it.

`jobpicks check` records the first day a pick was seen closed (`Pick.closed`) and the last
day of a clear answer (`Pick.checked`), on its schedule: daily for the newest days, then
weekly, then monthly, then never (`check.history.interval`). A pick counts as open only
while its last answer is as recent as that schedule promises, as of the site's newest day
(the day it was built for, so a rebuild says the same); the newest day's own picks were in
that day's feeds. Any other pick is "not checked since" the last day it was seen open, and
never counted as open: after 120 simulated days, counting every pick not seen closed as open
said 726 were open where 230 were (issue 25).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

from generator.check.history import MONTH, interval
from generator.config import LivenessConfig
from generator.models import Pick
from generator.site.dates import date_text

State = Literal["open", "closed", "unchecked"]


@dataclass(frozen=True)
class Knowledge:
    """What open counts are measured against."""

    newest: dt.date | None = None
    """The site's newest day."""
    cadence: LivenessConfig = field(default_factory=LivenessConfig)
    """The checker's schedule (`liveness:` in jobpicks.yml)."""
    any_answer: bool = False
    """Whether the checker ever answered for any pick: until it has, nothing is said."""

    def state(self, day: dt.date, pick: Pick) -> State:
        """Closed, open (checked as recently as the schedule promises, or picked on the
        newest day), or unchecked."""
        if pick.closed is not None:
            return "closed"
        newest = self.newest or day
        if day >= newest:
            return "open"
        every = interval((newest - day).days, self.cadence) or MONTH
        if pick.checked is not None and (newest - pick.checked).days <= every:
            return "open"
        return "unchecked"

    def note(self, items: Iterable[tuple[dt.date, Pick]]) -> str:
        """What a count of picks adds: ", 18 still open" once some are closed; with some
        not checked recently, ": 12 still open, 2 closed, 6 not checked since 2 Nov"
        (every pick in one of them), or ", not checked since 2 Nov" for all of them;
        "" while the checker has never answered or every pick is open."""
        if not self.any_answer:
            return ""
        counts = {"open": 0, "closed": 0, "unchecked": 0}
        since: dt.date | None = None
        total = 0
        for day, pick in items:
            total += 1
            state = self.state(day, pick)
            counts[state] += 1
            if state == "unchecked":
                seen = max(day, pick.checked or day)
                since = seen if since is None else max(since, seen)
        if since is None:
            if counts["open"] == total:
                return ""
            return f", {counts['open']:,} still open" if counts["open"] else ", none still open"
        when = date_text(since, today=self.newest)
        if counts["unchecked"] == total:
            return f", not checked since {when}"
        parts = [f"{counts['open']:,} still open"] if counts["open"] else []
        parts += [f"{counts['closed']:,} closed"] if counts["closed"] else []
        return ": " + ", ".join([*parts, f"{counts['unchecked']:,} not checked since {when}"])


def knowledge(
    days: Iterable[tuple[dt.date, Iterable[Pick]]], cadence: LivenessConfig | None = None
) -> Knowledge:
    """The site's `Knowledge` from its days, newest or not."""
    newest = None
    answered = False
    for date, picks in days:
        newest = date if newest is None else max(newest, date)
        answered = answered or any(p.closed or p.checked for p in picks)
    return Knowledge(newest, cadence or LivenessConfig(), answered)
