"""Board listings: a pick from a company board is checked against its board's payload, one
fetch per board per check, with the listing URLs and Lever's paging of `sources/boards.py`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from generator.check.classify import Verdict
from generator.config import BoardSource
from generator.models import Pick
from generator.sources.boards import API, api_base


@dataclass(frozen=True)
class Listing:
    """What one board lists today: its jobs' ids (as `boards.py` writes them) and deadlines."""

    ids: frozenset[str]
    deadlines: dict[str, dt.date] = field(default_factory=dict)


def board_of(pick: Pick) -> tuple[str, str] | None:
    """(kind, board) for a pick that came from a company board, from `Pick.source_kind` and
    `Pick.board`.

    Pages written before those fields were recorded fall back to the old reading: the id
    names the vendor (`greenhouse:123`) and the source label `boards.py` wrote
    (`"greenhouse stripe"`) the board.
    """
    if pick.source_kind is not None:
        if pick.source_kind in API and pick.board:
            return pick.source_kind, pick.board
        return None
    kind = pick.id.partition(":")[0]
    source_kind, _, board = pick.source.partition(" ")
    if kind not in API or source_kind != kind or not board or " " in board:
        return None
    return kind, board


def _deadline(value: object) -> dt.date | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        return dt.datetime.fromisoformat(value.replace("Z", "+00:00")).date()
    except ValueError:
        return None


def listed(kind: str, payload: Any) -> Listing | None:
    """The listing in a board's JSON; None for a shape this code does not know."""
    items = payload.get("jobs") if isinstance(payload, dict) else payload
    if not isinstance(items, list):
        return None
    jobs = [item for item in items if isinstance(item, dict) and item.get("id") is not None]
    if kind == "ashby":  # an unlisted Ashby job is no longer advertised
        jobs = [item for item in jobs if item.get("isListed") is not False]
    ids = frozenset(f"{kind}:{item['id']}" for item in jobs)
    deadlines = {
        f"{kind}:{item['id']}": day
        for item in jobs
        if (day := _deadline(item.get("application_deadline"))) is not None
    }
    return Listing(ids, deadlines)


def board_bases(sources: Sequence[object]) -> dict[tuple[str, str], str]:
    """The API base URL of each configured board (a source's `api_url` or the vendor's)."""
    bases: dict[tuple[str, str], str] = {}
    for source in sources:
        if isinstance(source, BoardSource):
            for board in source.boards:
                bases[(source.type, board)] = api_base(source.type, source.api_url)
    return bases


def verdict_from(pick: Pick, kind: str, board: str, listing: Listing, today: dt.date) -> Verdict:
    """Open or closed from a listing that can be trusted (see `run.Checker._listing`)."""
    name = f"{kind} board {board!r}"
    if pick.id not in listing.ids:
        return Verdict("closed", f"no longer on the {name}")
    deadline = listing.deadlines.get(pick.id)
    if deadline is not None and deadline < today:
        return Verdict("closed", f"its application deadline {deadline} has passed")
    return Verdict("open", f"listed on the {name}")
