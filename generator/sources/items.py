"""One bad entry costs only itself: the guards every source maps its entries through.

A feed or a board is written by strangers; an entry that trips a mapper (a link whose port
is out of range, a field of the wrong type) is a warning naming the source and the entry,
and the source's other entries are kept.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from typing import Any, TypeVar
from urllib.parse import urlsplit

from generator.models import Job
from generator.text import clean_text, safe_url

log = logging.getLogger(__name__)

Item = TypeVar("Item")


def describe(item: Any) -> str:
    """A short name for an entry in a warning: its title or id, else "an entry"."""
    getter = getattr(item, "get", None)
    if callable(getter):
        for key in ("title", "text", "id", "link", "job_url"):
            value = getter(key)
            if value:
                return repr(clean_text(str(value))[:80])
    return "an entry"


def link(value: object, label: str, item: Any) -> str:
    """`safe_url`, and "" (with a warning) for a URL whose parts cannot be read, such as a
    port of 99999: it would fail every later step that looks at it."""
    url = safe_url(value)
    try:
        urlsplit(url).port  # noqa: B018 - reading it is the check
    except ValueError as exc:
        log.warning(
            "%s: entry %s links to %r, which cannot be used (%s); kept without the link",
            label,
            describe(item),
            url[:200],
            exc,
        )
        return ""
    return url


def each(
    items: Iterable[Item], make: Callable[[Item], Job | None], label: str
) -> tuple[list[Job], int]:
    """`make` over `items`, and how many it turned down (None); an item that raises is a
    warning naming `label` and the item, and counts as neither."""
    jobs: list[Job] = []
    declined = 0
    for number, item in enumerate(items, 1):
        try:
            job = make(item)
        except Exception as exc:  # a stranger's entry: whatever it trips costs only itself
            log.warning(
                "%s: skipped entry %d (%s): %s: %s",
                label,
                number,
                describe(item),
                type(exc).__name__,
                exc,
            )
            continue
        if job is None:
            declined += 1
        else:
            jobs.append(job)
    return jobs, declined
