"""Stage 4: day pages on disk, written and read by this one module.

A page is YAML front matter holding the structured picks (the source of truth) followed by a
body rendered from them in the reading format readers know:

    # Daily Job Picks - 2026-11-23

    ## [Title](https://...)
    **Company:** Acme | **Location:** Berlin | **Score:** 87/100

    **Reason:** ...

    **Summary:** ...

    ---

Text from feeds is escaped so no title can break the markdown or inject live HTML.
"""

from __future__ import annotations

import datetime as dt
import logging
import multiprocessing
import re
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import frontmatter
import yaml
from pydantic import ValidationError

from generator.children import split
from generator.config import format_validation_error
from generator.errors import PageError
from generator.files import atomic_write_text
from generator.models import DayPage, Pick

_PAGE_NAME = re.compile(r"^(\d{4})-(\d{2})-(\d{2})\.md$")
# Characters with meaning to Python-Markdown or its attr_list/tables extensions.
_MD_SPECIAL = re.compile(r"([\\`*_\[\]{}])")
_DERIVED_KEYS = ("title", "tags")
SAMPLE_NOTE = (
    "*A sample day: invented jobs from the bundled sample feeds (`samples/`), not your picks. "
    "Your first run on your own sources replaces it; delete it if it is of another day.*"
)
PAGES_PER_PROCESS = 300
"""Below this many pages for each, a second process reading them costs more than it saves."""


class _PageDumper(yaml.SafeDumper):
    """Writes each value in full: a date shared by several picks would otherwise become a
    YAML anchor and aliases (`&id001`, `*id001`), puzzling anyone editing a page by hand."""

    def ignore_aliases(self, data: object) -> bool:
        return True


def page_path(picks_dir: Path, date: dt.date) -> Path:
    return picks_dir / f"{date.year:04d}" / f"{date.isoformat()}.md"


def escape_markdown(text: str) -> str:
    """Text that renders as itself on one line: no markup, no HTML, no link syntax."""
    text = " ".join(text.split())
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MD_SPECIAL.sub(r"\\\1", text)


def render_body(day: DayPage) -> str:
    """The reading format of the page file. The site renders picks its own way
    (`generator/site/render.py`); this body is for people reading the file itself."""
    lines = [f"# {day.title}", ""]
    if day.sample:
        lines += [SAMPLE_NOTE, ""]
    if not day.picks:
        lines += ["No new picks today.", ""]
    for pick in day.picks:
        title = escape_markdown(pick.display_title)
        lines.append(f"## [{title}]({pick.url})" if pick.url else f"## {title}")
        company = escape_markdown(pick.company)
        if pick.poster:
            company += f" (via {escape_markdown(pick.poster)})"
        lines.append(
            f"**Company:** {company} | **Location:** {escape_markdown(pick.location)} "
            f"| **Score:** {pick.score}/100"
        )
        lines += ["", f"**Reason:** {escape_markdown(pick.reason)}", ""]
        lines += [f"**Summary:** {escape_markdown(pick.summary)}", "", "---", ""]
    return "\n".join(lines)


_REQUIRED_KEYS = (
    "id",
    "title",
    "company",
    "location",
    "url",
    "score",
    "reason",
    "summary",
    "source",
    "posted",
)
"""Always written; every other key only when it differs from its default, so pages from
before a key existed stay byte-identical."""


def _pick_data(pick: Pick) -> dict[str, Any]:
    data = pick.model_dump()
    for key, info in Pick.model_fields.items():
        if key not in _REQUIRED_KEYS and data[key] == info.default:
            del data[key]
    return data


def render(day: DayPage) -> str:
    """The whole file: front matter then body."""
    metadata: dict[str, Any] = {
        "title": day.title,
        "date": day.date,
        "tags": day.companies,
        "scorer": day.scorer,
        "model": day.model,
    }
    for key in (
        "sample",
        "sources",
        "new_postings",
        "usage",
        "warnings",
        "best_score",
        "bar",
        "quiet",
        "fallback",
        "link_check",
        "notified",
        "feedback",
        "kept_out",
    ):
        value = getattr(day, key)
        if value != DayPage.model_fields[key].default:
            metadata[key] = day.model_dump(include={key})[key]
    metadata["picks"] = [_pick_data(p) for p in day.picks]
    return front_matter(metadata, render_body(day))


def front_matter(metadata: dict[str, Any], body: str) -> str:
    """A markdown file: YAML front matter, in the order given, then `body`. The one writer
    of front matter, for day pages and every page the site generates, so each is written
    (no aliases, no line folding) and read back (MkDocs' own parser) the same way. The one
    exception is the profile `jobpicks init` drafts (`init.render_profile`), written by hand
    to keep its comments for the reader."""
    post = frontmatter.Post(body, **metadata)
    text: str = frontmatter.dumps(post, Dumper=_PageDumper, sort_keys=False, width=2**31 - 1)
    return text + "\n"


def parse(text: str, where: Path | str) -> DayPage:
    """A page from its file text; `where` names the file in errors."""
    try:
        post = frontmatter.loads(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f":{mark.line + 2}" if mark is not None else ""
        raise PageError(f"{where}{line}: broken front matter: {exc}") from None
    data = {k: v for k, v in post.metadata.items() if k not in _DERIVED_KEYS}
    if "picks" not in data or "date" not in data:
        raise PageError(f"{where}: not a jobpicks page: front matter needs `date` and `picks`")
    for key in ("scorer", "model"):
        if data.get(key) is None:
            data.pop(key, None)
    try:
        return DayPage.model_validate(
            {k: data[k] for k in DayPage.model_fields if k in data}, context={"page": str(where)}
        )
    except ValidationError as exc:
        raise PageError(format_validation_error(where, exc)) from None


def read_all(
    picks_dir: Path, *, processes: int = 1, per_process: int = PAGES_PER_PROCESS
) -> list[DayPage]:
    """Every day page, oldest first; a broken page is an error naming it.

    With `processes` and at least `per_process` pages for each, the pages are read in that
    many processes: PyYAML builds each of a page's ~600 values in Python, 4 ms a page and
    4.5 s at three years, while the build's other cores wait. The other processes' warnings
    are logged here, as if read here."""
    chunks = split(list(iter_page_paths(picks_dir)), processes, per_process)
    if len(chunks) == 1:
        return [read(path) for path in chunks[0]]
    # fork: the children start at once and need nothing but the paths.
    with multiprocessing.get_context("fork").Pool(len(chunks) - 1) as pool:
        others = pool.map_async(_read_logged, chunks[1:])
        days = [read(path) for path in chunks[0]]
        for more, records in others.get():
            for name, level, message in records:
                logging.getLogger(name).log(level, "%s", message)
            days.extend(more)
    return days


def _read_logged(paths: Sequence[Path]) -> tuple[list[DayPage], list[tuple[str, int, str]]]:
    """`read` for each of `paths` in a child process, with what it logged."""
    records: list[tuple[str, int, str]] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append((record.name, record.levelno, record.getMessage()))

    top = logging.getLogger("generator")
    top.handlers, top.propagate = [Keep()], False
    return [read(path) for path in paths], records


def read(path: Path) -> DayPage:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise PageError(f"{path}: cannot read page: {exc}") from None
    day = parse(text, path)
    if path.name != f"{day.date.isoformat()}.md":
        raise PageError(f"{path}: front matter says date {day.date} but the file name differs")
    return day


def write(day: DayPage, picks_dir: Path) -> Path:
    """Write the page atomically; returns its path."""
    path = page_path(picks_dir, day.date)
    atomic_write_text(path, render(day))
    return path


def iter_page_paths(picks_dir: Path) -> Iterator[Path]:
    """Every day page under `picks_dir`, oldest first."""
    if not picks_dir.is_dir():
        return
    for path in sorted(picks_dir.glob("*/*.md"), key=lambda p: p.name):
        if _PAGE_NAME.match(path.name):
            yield path


def page_date(path: Path) -> dt.date | None:
    match = _PAGE_NAME.match(path.name)
    if not match:
        return None
    try:
        return dt.date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None


def shown_picks(picks_dir: Path, *, except_date: dt.date | None = None) -> list[Pick]:
    """Every pick on any page but `except_date`'s: those jobs are never picked again.

    Read from the pages themselves, the single source of truth, so deleting or editing a
    page is all it takes to change what counts as shown.
    """
    picks: list[Pick] = []
    for path in iter_page_paths(picks_dir):
        if except_date is not None and page_date(path) == except_date:
            continue
        picks.extend(read(path).picks)
    return picks


def shown_ids(picks_dir: Path, *, except_date: dt.date | None = None) -> set[str]:
    return {pick.id for pick in shown_picks(picks_dir, except_date=except_date)}
