"""Importing the legacy daily pages (markdown with no front matter) as day pages.

The legacy format is the body our pages still render:

    # Daily Job Picks - 2026-01-02

    ## [Title, which may hold [brackets] and (parentheses)](https://...)
    **Company:** TikTok | **Location:** San Jose, CA | **Score:** 95/100

    **Reason:** ...

    **Summary:** ...

    ---

Each file is parsed completely before anything is written, so a malformed file writes nothing
and names the line that broke. A pick whose link is not http(s) is no malformed file: like a
pick on any page, it is kept without the link and a warning names the file, line and pick.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from generator import pages
from generator.dedupe import employer_in_text, is_aggregator
from generator.errors import LegacyFormatError, PageError
from generator.models import DayPage, Pick
from generator.text import clean_text, job_id, plural, safe_url

SOURCE = "legacy"
_HEADING = re.compile(r"^#\s+Daily Job Picks\s*[-–—]\s*(\d{4}-\d{2}-\d{2})\s*$")
_FILE_DATE = re.compile(r"(\d{4}-\d{2}-\d{2})")
_META = re.compile(
    r"^\*\*Company:\*\*\s*(?P<company>.*?)\s*\|\s*\*\*Location:\*\*\s*(?P<location>.*?)\s*"
    r"\|\s*\*\*Score:\*\*\s*(?P<score>\d{1,3})\s*/\s*100\s*$"
)
_FIELD = re.compile(r"^\*\*(?P<name>Reason|Summary):\*\*\s?(?P<text>.*)$")
_MD_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
"""A markdown backslash escape: a backslash before ASCII punctuation (CommonMark's rule), as
`pages.render_body` writes a title's `_`, `*` and brackets."""
# How the legacy pages' summaries name the employer behind an aggregator's posting:
# "IBM software developer internship ...", "Intern at Microsoft ...", "Internship with
# Branch International ...". A name is a run of capitalised words.
_NAME = r"(?P<name>[A-Z][\w&'’.\-]*(?: [A-Z&][\w&'’.\-]*){0,4})"
_SUMMARY_EMPLOYER = [
    re.compile(rf"\b(?:[Ii]ntern(?:ship)?|[Rr]ole|[Pp]osition|[Ee]ngineer) (?:at|with) {_NAME}"),
    re.compile(rf"^{_NAME} (?:[a-z]+ ){{0,3}}(?:internship|intern|role|position)\b"),
]


@dataclass
class Parsed:
    day: DayPage
    duplicates: list[str] = field(default_factory=list)
    """Titles of picks that appeared again on the same day and were dropped."""


def _heading_link(line: str) -> tuple[str, str] | None:
    """(title, url) from `## [title](url)`; the title may itself contain brackets."""
    if not (line.startswith("## [") and line.rstrip().endswith(")")):
        return None
    inner = line.rstrip()[4:-1]
    cut = inner.rfind("](")
    if cut < 0:
        return None
    title, url = inner[:cut], inner[cut + 2 :].strip()
    if not url or " " in url or not title.strip():
        return None
    return title, url


def _text(markdown: str) -> str:
    """A field's text as markdown shows it: backslash escapes undone, then cleaned as a
    source's text is (which decodes the `&amp;` `pages.render_body` writes for `&`)."""
    return clean_text(_MD_ESCAPE.sub(r"\1", markdown))


def parse_legacy(text: str, where: Path) -> Parsed:
    """A legacy page as a `DayPage`, or `LegacyFormatError` naming the line that broke."""
    lines = text.splitlines()
    date = _page_date(lines, where)
    picks: dict[str, Pick] = {}
    duplicates: list[str] = []
    i = 0

    def fail(lineno: int, expected: str) -> LegacyFormatError:
        got = lines[lineno - 1].strip() if 0 < lineno <= len(lines) else "end of file"
        shown = got if len(got) <= 80 else got[:77] + "..."
        return LegacyFormatError(f"{where}:{lineno}: expected {expected}, got {shown!r}")

    def next_content(start: int) -> int:
        j = start
        while j < len(lines) and not lines[j].strip():
            j += 1
        return j

    while True:
        i = next_content(i)
        if i >= len(lines):
            break
        line = lines[i]
        if _HEADING.match(line.strip()) or line.strip() == "---":
            i += 1
            continue
        link = _heading_link(line)
        if link is None:
            raise fail(i + 1, "a pick heading `## [title](url)`")
        title_line = i + 1
        i = next_content(i + 1)
        meta_line = i + 1
        meta = _META.match(lines[i].strip()) if i < len(lines) else None
        if meta is None:
            raise fail(meta_line, "`**Company:** ... | **Location:** ... | **Score:** N/100`")
        texts: dict[str, str] = {}
        for name in ("Reason", "Summary"):
            i = next_content(i + 1)
            found = _FIELD.match(lines[i].strip()) if i < len(lines) else None
            if found is None or found["name"] != name:
                raise fail(i + 1, f"`**{name}:** ...` for the pick at line {title_line}")
            texts[name] = found["text"]
        i += 1
        score = int(meta["score"])
        if score > 100:
            raise fail(meta_line, "a score from 0 to 100")
        title, written = _text(link[0]), _MD_ESCAPE.sub(r"\1", link[1])
        url = safe_url(written)  # as every source reads a link; "" when not http(s)
        company, location = _text(meta["company"]), _text(meta["location"])
        summary = _text(texts["Summary"])
        employer = aggregated_employer(company, title, summary)
        # A link that is not http(s) goes to `Pick` as written: its one check keeps the pick
        # without it and warns, naming the file, the line and the pick. The id is the one a
        # source gives a posting with that URL, or with none.
        pick = Pick.model_validate(
            {
                "id": job_id(url, company=company, title=title, location=location),
                "title": title,
                "company": employer or company,
                "location": location,
                "url": url or written,
                "score": score,
                "reason": _text(texts["Reason"]),
                "summary": summary,
                "source": SOURCE,
                "poster": company if employer else "",
            },
            context={"page": f"{where}:{title_line}"},
        )
        if pick.id in picks:
            duplicates.append(title)
        else:
            picks[pick.id] = pick
    if not picks:
        raise LegacyFormatError(f"{where}: no picks found (is this a daily picks page?)")
    return Parsed(DayPage(date=date, picks=tuple(picks.values()), scorer=SOURCE), duplicates)


def aggregated_employer(company: str, title: str, summary: str) -> str:
    """The real employer behind an aggregator's pick when its summary names one, else "".

    The rule new postings get (`dedupe.employer_in_text`), plus the shapes the legacy
    summaries use. A word of the job's own title is never taken for the employer ("Data
    science internship ..." is not a job at "Data").
    """
    if not is_aggregator(company):
        return ""
    found = employer_in_text(summary)
    title_words = set(re.findall(r"\w+", title.casefold()))
    for pattern in _SUMMARY_EMPLOYER:
        if found:
            break
        match = pattern.search(summary)
        if match is None:
            continue
        name = match["name"].strip(" .,'’")
        if not set(re.findall(r"\w+", name.casefold())) & title_words and not is_aggregator(name):
            found = name
    return found


def _page_date(lines: list[str], where: Path) -> dt.date:
    candidates = [m[1] for line in lines[:5] if (m := _HEADING.match(line.strip()))]
    candidates += _FILE_DATE.findall(where.name)
    for value in candidates:
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            continue
    raise LegacyFormatError(
        f"{where}: no date: expected a `# Daily Job Picks - YYYY-MM-DD` heading or a "
        f"YYYY-MM-DD in the file name"
    )


@dataclass
class ImportOutcome:
    source: Path
    status: str
    """One of written, unchanged, exists, failed."""
    target: Path | None = None
    picks: int = 0
    duplicates: list[str] = field(default_factory=list)
    error: str = ""

    def line(self) -> str:
        dupes = f", {plural(len(self.duplicates), 'duplicate')} dropped" if self.duplicates else ""
        if self.status == "failed":
            return f"failed    {self.error}"
        verb = {
            "written": "imported ",
            "unchanged": "unchanged",
            "exists": "skipped  ",
        }[self.status]
        note = " (a different page exists; use --force to replace it)"
        tail = note if self.status == "exists" else ""
        return f"{verb} {self.source} -> {self.target}: {plural(self.picks, 'pick')}{dupes}{tail}"


def expand(paths: Iterable[Path]) -> Iterator[Path]:
    """Files as given; folders as their markdown files, sorted."""
    for path in paths:
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*.md") if p.is_file())
        else:
            yield path


def import_file(source: Path, picks_dir: Path, *, force: bool = False) -> ImportOutcome:
    """Import one file, all or nothing; never raises for a bad file, reports it instead."""
    try:
        try:
            text = source.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise LegacyFormatError(f"{source}: cannot read: {exc}") from None
        parsed = parse_legacy(text, source)
        target = pages.page_path(picks_dir, parsed.day.date)
        outcome = ImportOutcome(source, "written", target, len(parsed.day.picks), parsed.duplicates)
        rendered = pages.render(parsed.day)
        if target.exists():
            if target.read_text(encoding="utf-8") == rendered:
                outcome.status = "unchanged"
                return outcome
            if not force:
                outcome.status = "exists"
                return outcome
        pages.write(parsed.day, picks_dir)
        return outcome
    except PageError as exc:
        return ImportOutcome(source, "failed", error=exc.message)
