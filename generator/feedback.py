"""The reader's verdicts on picks: `feedback.yml`, and what a run does with them.

One human-editable file at the project root (`feedback:` in jobpicks.yml names another),
committed like the pages:

    verdicts:
    - id: url:3f2a9c1e0b7d4a65
      url: https://boards.greenhouse.io/acme/jobs/123
      title: Data Engineer
      company: Acme
      verdict: dismissed        # applied, dismissed ("Not for me"), saved, liked or cleared
      reason: company           # dismissed only: place, level, skills, company, pay, other
      note: not again
      date: 2026-11-30
    - id: url:9d0c4b2e7f1a3c58
      ...
      verdict: applied
      status: interviewing      # applied only: applied, interviewing, offer, rejected
      date: 2026-12-02
      applied: 2026-12-01       # the day applied, when a later mark updated the status

A later mark for the same job (by `date`; on one date, the one entered last) replaces an
earlier one; a mark given with an older date takes no effect, and `record` and the GitHub
path say so. Neither takes a mark dated later (the GitHub path: more than a day later, which
a browser east of the configured zone may write, taken as today's): it would outrank every
mark until then.
A later mark of the same verdict keeps what it does not say (`_onto`): an application's
status, a reason, a note, and the day the reader applied, which `applied` keeps once a later
mark (a new status) moves `date` on; without `applied`, an application was made on `date`.
A later "cleared" mark takes the verdict back (the site's Undo of a mark already sent), and
stays in the file so an older mark arriving late cannot bring it back. `title` and
`company` are copied from the pick, so the file reads on its own and a repost under a new
URL is still recognised. jobpicks rewrites the file in date order, atomically; a bad entry
is an error naming the file, line and key before anything is fetched.

What a run does with it (`Verdicts`): a job marked applied or dismissed is never picked again,
nor its reposts (dedupe's matching), on a later day (re-running its own day keeps the judged
pick there, `pipeline._judged`); "Not for me" because of the company keeps that employer
out until a liked mark of one of its jobs on the same day or later; the judged picks are the
examples the local scorer learns from; `prompt_section` gives a model the latest verdicts.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, get_args

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, ValidationInfo, field_validator

from generator import pages
from generator.dedupe import ShownJobs, norm_company
from generator.errors import FeedbackError
from generator.files import atomic_write_text
from generator.models import Job, Pick, Reason, Status, Verdict
from generator.text import canonical_url, clean_text, plural, safe_url

VERDICTS: tuple[str, ...] = get_args(Verdict)
REASONS: tuple[str, ...] = get_args(Reason)
STATUSES: tuple[str, ...] = get_args(Status)
RULED_OUT: frozenset[str] = frozenset({"applied", "dismissed"})
"""Verdicts that keep a job, and its reposts, off every later page."""
KEY = "verdicts"
NOTE_LIMIT = 500

HEADER = """\
# Your verdicts on picks; every `jobpicks run` reads them (README: "Your verdicts").
# One entry per job: a later date replaces an earlier entry for the same id. `jobpicks
# feedback` and the daily workflow add entries and rewrite this file in date order (comments
# other than this one are not kept).
"""


class Mark(BaseModel):
    """One verdict on one pick."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(min_length=1)
    """The pick's stable id, as on its day page."""
    url: str = Field(min_length=1)
    title: str = ""
    company: str = ""
    verdict: Verdict
    reason: Reason | None = None
    """Why "Not for me": only on a dismissed mark."""
    status: Status | None = None
    """Where an application stands: only on an applied mark."""
    note: str = Field("", max_length=NOTE_LIMIT)
    date: dt.date
    """When the mark was given: what orders marks."""
    applied: dt.date | None = None
    """The day the reader applied, on an application a later mark updated (its status, its
    note): the first applied mark's date, which `date` no longer is. None: `date` is."""

    @field_validator("url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        if not safe_url(value):
            raise ValueError(f"{value!r} is not an http(s) address")
        return value

    @field_validator("title", "company", "note")
    @classmethod
    def _one_line(cls, value: str) -> str:
        return clean_text(value)

    @field_validator("reason", "status")
    @classmethod
    def _with_its_verdict(cls, value: str | None, info: ValidationInfo) -> str | None:
        """A reason only on "Not for me", a status only on an application."""
        wanted = {"reason": "dismissed", "status": "applied"}[str(info.field_name)]
        verdict = info.data.get("verdict")
        if value is not None and verdict is not None and verdict != wanted:
            raise ValueError(f"a {info.field_name} goes with verdict {wanted}, not {verdict}")
        return value

    @field_validator("applied")
    @classmethod
    def _an_earlier_application(cls, value: dt.date | None, info: ValidationInfo) -> dt.date | None:
        """Only on an application, and not after the mark that says it; the mark's own date
        is no news (None), so the file keeps one way of saying it."""
        verdict, date = info.data.get("verdict"), info.data.get("date")
        if value is not None and verdict is not None and verdict != "applied":
            raise ValueError(f"the day applied goes with verdict applied, not {verdict}")
        if value is not None and date is not None and value > date:
            raise ValueError(f"{value.isoformat()} is after the mark's date, {date.isoformat()}")
        return None if value == date else value

    @property
    def applied_on(self) -> dt.date | None:
        """The day the reader applied: on an application, `applied`, else its date."""
        if self.verdict != "applied":
            return None
        return self.applied or self.date

    def update(self) -> str:
        """On an application updated since it was made, what the later mark said ("offer",
        else "updated"); "" otherwise."""
        applied = self.applied_on
        if applied is None or applied == self.date:
            return ""
        return self.status if self.status not in (None, "applied") else "updated"

    def when(self) -> str:
        """The mark as a message dates it: "dismissed on 2026-12-02"; an application updated
        since it was made says both days: "applied on 2026-12-01, offer on 2026-12-06"."""
        text = f"{self.verdict} on {(self.applied_on or self.date).isoformat()}"
        if update := self.update():
            text += f", {update} on {self.date.isoformat()}"
        return text

    def label(self) -> str:
        """The job as a reader names it: "Data Engineer at Acme", else its address."""
        if self.title and self.company:
            return f"{self.title} at {self.company}"
        return self.title or self.url


class _Loader(yaml.SafeLoader):
    """Dates stay text for the model to check, so a bad one is reported with its key."""


def _date_text(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> str:
    return str(loader.construct_scalar(node))


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _date_text)


def _order(mark: Mark) -> tuple[dt.date, str]:
    return (mark.date, mark.id)


@dataclass(frozen=True)
class Feedback:
    """The marks as the file holds them (several per id while a hand edit appended one)."""

    marks: tuple[Mark, ...] = ()

    def latest(self) -> dict[str, Mark]:
        """The mark that counts for each id: the latest date; on one date, the last given."""
        out: dict[str, Mark] = {}
        for mark in self.marks:
            old = out.get(mark.id)
            if old is None or mark.date >= old.date:
                out[mark.id] = mark
        return out

    def standing(self) -> dict[str, Mark]:
        """The verdicts in force: `latest` without the ones taken back ("cleared")."""
        return {key: mark for key, mark in self.latest().items() if mark.verdict != "cleared"}

    def merged(self, new: Iterable[Mark]) -> Merged:
        """One mark per id, in date order, with `new` applied where it is not older than
        what is there; also what each mark of `new` did."""
        latest = self.latest()
        changed: list[Mark] = []
        overruled: list[tuple[Mark, Mark]] = []
        for mark in new:
            old = latest.get(mark.id)
            if old is None or mark.date >= old.date:
                mark = _onto(old, mark)
                if old != mark:
                    changed.append(mark)
                latest[mark.id] = mark
            else:
                overruled.append((mark, old))
        return Merged(Feedback(tuple(sorted(latest.values(), key=_order))), changed, overruled)


def _onto(old: Mark | None, new: Mark) -> Mark:
    """`new` as it lands on `old`: a mark of the same verdict keeps what it does not say (an
    application's status, a reason, a note, the day applied: a new status is not a new
    application), and one that says nothing new leaves `old` as it was, date included, so
    the job marked again on another device is not set back to "applied" on a later day."""
    if old is None or old.verdict != new.verdict:
        return new
    kept: dict[str, Any] = {
        "status": new.status or old.status,
        "reason": new.reason or old.reason,
        "note": new.note or old.note,
    }
    if new.verdict == "applied":
        applied = new.applied or old.applied_on
        kept["applied"] = applied if applied != new.date else None
    mark = new.model_copy(update=kept)
    return old if _content(mark) == _content(old) else mark


def _content(mark: Mark) -> Mark:
    """What a mark says, whenever it was given (the day applied included)."""
    return mark.model_copy(update={"date": dt.date.min, "applied": mark.applied_on})


@dataclass(frozen=True)
class Merged:
    """`Feedback.merged`: the marks, and what the new ones did."""

    feedback: Feedback
    changed: list[Mark]
    """New marks that changed something: a job's first mark, or a newer one."""
    overruled: list[tuple[Mark, Mark]]
    """New marks older than the mark there for their job, each with that later mark: they
    take no effect, and the reader is told so."""


def not_taken(mark: Mark, later: Mark, where: str) -> str:
    """Why `mark` takes no effect, naming the job and the later mark `where` holds."""
    return (
        f"{mark.verdict} {mark.label()} ({mark.date.isoformat()}) does not take effect: "
        f"{where} holds a later mark for it, {later.when()}"
    )


# Reading and writing the file -----------------------------------------------------------------


def load_feedback(path: Path) -> Feedback:
    """The verdicts in `path`; no file is no verdicts yet."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Feedback()
    except (OSError, UnicodeDecodeError) as exc:
        raise FeedbackError(f"{path}: cannot read verdicts: {exc}") from None
    return Feedback(tuple(parse_marks(text, str(path))))


def parse_marks(text: str, where: str, *, first_line: int = 1) -> list[Mark]:
    """The marks of a `verdicts:` document, in order; every bad entry is reported at once
    as `WHERE:LINE: verdicts[i].key: problem`. `first_line` is the line `text` starts on in
    `where` (an issue's fenced block starts inside the issue)."""
    try:
        root = yaml.compose(text, Loader=_Loader)
        data = yaml.load(text, Loader=_Loader)  # a SafeLoader
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        at = f":{mark.line + first_line}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise FeedbackError(f"{where}{at}: not valid YAML: {problem}") from None
    if root is None:
        return []

    def line(node: yaml.Node) -> int:
        return int(node.start_mark.line) + first_line

    if not isinstance(root, yaml.MappingNode) or not isinstance(data, dict):
        raise FeedbackError(f"{where}:{line(root)}: expected `{KEY}:` followed by a list of marks")
    problems: list[str] = []
    items: yaml.Node | None = None
    for key_node, value_node in root.value:
        if key_node.value == KEY:
            items = value_node
        else:
            problems.append(f"{where}:{line(key_node)}: {key_node.value}: unknown key")
    values = data.get(KEY)
    if items is None or values is None:
        if problems:
            raise FeedbackError(_problems(where, problems))
        return []
    if not isinstance(items, yaml.SequenceNode) or not isinstance(values, list):
        raise FeedbackError(f"{where}:{line(items)}: {KEY}: expected a list of marks")
    marks: list[Mark] = []
    for index, (node, value) in enumerate(zip(items.value, values, strict=True)):
        name = f"{KEY}[{index}]"
        if not isinstance(node, yaml.MappingNode) or not isinstance(value, dict):
            problems.append(
                f"{where}:{line(node)}: {name}: expected a mark (id, url, verdict, date)"
            )
            continue
        key_lines: dict[str, int] = {}
        for key_node, _ in node.value:
            if key_node.value in key_lines:
                problems.append(f"{where}:{line(key_node)}: {name}.{key_node.value}: given twice")
            key_lines[key_node.value] = line(key_node)
        try:
            marks.append(Mark.model_validate(value))
        except ValidationError as exc:
            for err in exc.errors():
                key = str(err["loc"][0]) if err["loc"] else ""
                row = key_lines.get(key, line(node))
                message = err["msg"].removeprefix("Value error, ")
                if err["type"] == "extra_forbidden":
                    message = "unknown key"
                problems.append(f"{where}:{row}: {name}{'.' + key if key else ''}: {message}")
    if problems:
        raise FeedbackError(_problems(where, problems))
    return marks


def _problems(where: str, problems: list[str]) -> str:
    if len(problems) == 1:
        return problems[0]
    return "\n".join([f"{where}: {len(problems)} problems:", *(f"  {p}" for p in problems)])


def mark_data(mark: Mark) -> dict[str, Any]:
    """A mark as the file writes it: its keys in the model's order, empty ones left out."""
    return {k: v for k, v in mark.model_dump().items() if v not in (None, "")}


def render_marks(marks: Sequence[Mark]) -> str:
    """`verdicts:` and the marks, a blank line between entries."""
    if not marks:
        return f"{KEY}: []\n"
    entries = [
        yaml.safe_dump(
            [mark_data(mark)], sort_keys=False, allow_unicode=True, width=2**31 - 1
        ).rstrip("\n")
        for mark in marks
    ]
    return f"{KEY}:\n" + "\n\n".join(entries) + "\n"


def save_feedback(path: Path, feedback: Feedback) -> None:
    """Write one mark per id, in date order, atomically."""
    latest = sorted(feedback.latest().values(), key=_order)
    atomic_write_text(path, HEADER + render_marks(latest))


# Picks the marks name -------------------------------------------------------------------------


class PickIndex:
    """Every pick on the day pages, by id and by canonical address: what a mark may name."""

    def __init__(self, picks: Iterable[Pick]) -> None:
        self.by_id: dict[str, Pick] = {}
        self.by_url: dict[str, Pick] = {}
        for pick in picks:  # oldest day first: a later day's copy of a pick wins
            self.by_id[pick.id] = pick
            if pick.url:
                self.by_url[canonical_url(pick.url)] = pick

    @classmethod
    def from_pages(cls, picks_dir: Path) -> PickIndex:
        return cls(pages.shown_picks(picks_dir))

    def find(self, key: str) -> Pick | None:
        """The pick with this id, or at this address (tracking parameters aside)."""
        key = key.strip()
        pick = self.by_id.get(key)
        if pick is None and safe_url(key):
            pick = self.by_url.get(canonical_url(key))
        return pick


def mark_pick(
    pick: Pick,
    verdict: Verdict,
    date: dt.date,
    *,
    reason: Reason | None = None,
    status: Status | None = None,
    note: str = "",
) -> Mark:
    try:
        return Mark(
            id=pick.id,
            url=pick.url,
            title=pick.title,
            company=pick.company,
            verdict=verdict,
            reason=reason,
            status=status,
            note=note,
            date=date,
        )
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        raise FeedbackError(f"cannot mark {pick.id} ({pick.url}): {problems}") from None


def resolve_marks(marks: Sequence[Mark], index: PickIndex) -> list[Mark]:
    """`marks` with the url, title and company of the picks they name, or an error naming
    every id that is on no day page and every pick marked twice."""
    unknown = [mark.id for mark in marks if mark.id not in index.by_id]
    counts = Counter(mark.id for mark in marks)
    twice = sorted(key for key, n in counts.items() if n > 1)
    problems = []
    if unknown:
        problems.append(f"{_ids(unknown)} {'is' if len(unknown) == 1 else 'are'} on no day page")
    if twice:
        problems.append(f"{_ids(twice)} marked more than once")
    if problems:
        raise FeedbackError("; ".join(problems))
    out = []
    for mark in marks:
        pick = index.by_id[mark.id]
        out.append(
            mark.model_copy(update={"url": pick.url, "title": pick.title, "company": pick.company})
        )
    return out


def _ids(ids: Sequence[str]) -> str:
    return ", ".join(ids[:5]) + (f" and {len(ids) - 5} more" if len(ids) > 5 else "")


@dataclass
class Recorded:
    path: Path
    marks: list[Mark]
    changed: list[Mark]
    overruled: list[tuple[Mark, Mark]] = field(default_factory=list)

    def summary(self) -> str:
        parts = []
        if self.changed:
            what = ", ".join(f"{m.verdict} {m.label()}" for m in self.changed[:3])
            more = f" and {len(self.changed) - 3} more" if len(self.changed) > 3 else ""
            parts.append(
                f"Recorded {plural(len(self.changed), 'verdict')} in {self.path}: {what}{more}"
            )
        parts += [not_taken(mark, later, str(self.path)) for mark, later in self.overruled]
        if not parts:
            return f"{self.path} already holds these verdicts; nothing written"
        if not self.changed:
            parts.append("nothing written")
        return "; ".join(parts)


def record(
    path: Path,
    picks_dir: Path,
    verdict: Verdict,
    keys: Sequence[str],
    date: dt.date,
    *,
    reason: Reason | None = None,
    status: Status | None = None,
    note: str = "",
    today: dt.date,
) -> Recorded:
    """`jobpicks feedback VERDICT URL_OR_ID...`: every key must name a pick on a day page,
    else nothing is written. `date` may not be after `today` (in the configured time zone):
    a mark dated later would outrank every mark given before that day."""
    if date > today:
        raise FeedbackError(
            f"--date {date.isoformat()} is after today ({today.isoformat()} in the configured "
            "`timezone`): a verdict is dated the day it is given, or earlier; nothing written"
        )
    feedback = load_feedback(path)
    index = PickIndex.from_pages(picks_dir)
    found = {key: index.find(key) for key in keys}
    unknown = [key for key, pick in found.items() if pick is None]
    if unknown:
        raise FeedbackError(
            f"{_ids(unknown)}: no pick on any day page under {picks_dir} has this id or "
            "address (ids are in each pick's front matter); nothing written"
        )
    picks = list({pick.id: pick for pick in found.values() if pick is not None}.values())
    marks = [
        mark_pick(pick, verdict, date, reason=reason, status=status, note=note) for pick in picks
    ]
    merged = feedback.merged(marks)
    if merged.changed:
        save_feedback(path, merged.feedback)
    return Recorded(path, marks, merged.changed, merged.overruled)


# What a run does with the verdicts ------------------------------------------------------------


@dataclass(frozen=True)
class Example:
    """A pick the reader judged, with the mark: what the local scorer learns from."""

    pick: Pick
    mark: Mark


def _stub(mark: Mark) -> Pick | None:
    """A pick from the mark's own copy of title and company, for a mark whose pick is on no
    page any more: its reposts are still recognised."""
    if not (mark.title and mark.company):
        return None
    return Pick(id=mark.id, title=mark.title, company=mark.company, url=mark.url, score=0)


@dataclass
class Verdicts:
    """The verdicts as a run uses them, resolved against the day pages."""

    marks: dict[str, Mark] = field(default_factory=dict)
    examples: tuple[Example, ...] = ()
    unknown: tuple[str, ...] = ()
    """Ids of marks whose pick is on no day page (a hand edit, or a page deleted)."""
    blocked: dict[str, Mark] = field(default_factory=dict)
    """Employers out until a later liked mark: normalised name -> the dismissal."""
    _out_ids: set[str] = field(default_factory=set)
    _out_urls: set[str] = field(default_factory=set)
    _out_jobs: ShownJobs | None = None

    @classmethod
    def build(cls, feedback: Feedback, index: PickIndex, threshold: int) -> Verdicts:
        latest = feedback.standing()
        ordered = sorted(latest.values(), key=_order)
        examples, unknown, out = [], [], []
        for mark in ordered:
            pick = index.by_id.get(mark.id)
            if pick is None:
                unknown.append(mark.id)
            else:
                examples.append(Example(pick, mark))
            if mark.verdict in RULED_OUT:
                stub = pick or _stub(mark)
                if stub is not None:
                    out.append(stub)
        blocked: dict[str, Mark] = {}
        for mark in ordered:  # date order: a liked mark lifts the dismissals before it
            company = norm_company(_company(mark, index))
            if not company:
                continue
            if mark.verdict == "dismissed" and mark.reason == "company":
                blocked[company] = mark
            elif mark.verdict == "liked":
                blocked.pop(company, None)
        ruled_out = [m for m in ordered if m.verdict in RULED_OUT]
        lifted = {  # a liked mark since: the employer is back, and so are its postings' scores
            e.mark.id
            for e in examples
            if e.mark.reason == "company"
            and blocked.get(norm_company(e.pick.company)) is not e.mark
        }
        return cls(
            marks=latest,
            examples=tuple(e for e in examples if e.mark.id not in lifted),
            unknown=tuple(unknown),
            blocked=blocked,
            _out_ids={m.id for m in ruled_out},
            _out_urls={canonical_url(m.url) for m in ruled_out},
            _out_jobs=ShownJobs.for_good(out, threshold=threshold),
        )

    def rule_out(self, job: Job) -> str:
        """Why `job` must not be picked ("applied", "dismissed", "company"), or ""."""
        if job.id in self._out_ids:
            return self.marks[job.id].verdict
        if self._out_urls and job.url and canonical_url(job.url) in self._out_urls:
            return "dismissed"
        if self._out_jobs is not None and job in self._out_jobs:
            return "dismissed"
        if self.blocked and norm_company(job.company) in self.blocked:
            return "company"
        return ""

    def keep(self, jobs: Iterable[Job]) -> tuple[list[Job], Counter[str]]:
        """The jobs no verdict rules out, and how many each rule took out."""
        kept: list[Job] = []
        why: Counter[str] = Counter()
        for job in jobs:
            reason = self.rule_out(job)
            if reason:
                why[reason] += 1
            else:
                kept.append(job)
        return kept, why


def _company(mark: Mark, index: PickIndex) -> str:
    pick = index.by_id.get(mark.id)
    return pick.company if pick is not None else mark.company


def load_verdicts(path: Path, picks_dir: Path, threshold: int) -> Verdicts:
    """The verdicts a run uses; an empty `Verdicts` (and no page read) without any."""
    feedback = load_feedback(path)
    if not feedback.marks:
        return Verdicts()
    return Verdicts.build(feedback, PickIndex.from_pages(picks_dir), threshold)


# The model's share ----------------------------------------------------------------------------

SAID = {
    "applied": "Applied",
    "dismissed": "Not for me",
    "saved": "Saved",
    "liked": "Liked",
    "cleared": "Taken back",
}
PROMPT_HEAD = (
    "What the reader said about earlier picks (newest first). Score new postings like the "
    "ones they liked, saved or applied to higher, and ones like those marked Not for me "
    "lower, for the reason given:"
)


def _approx_tokens(text: str) -> int:
    return math.ceil(len(text) / 4)


def prompt_line(mark: Mark) -> str:
    line = f"- {SAID[mark.verdict]}"
    if mark.reason:
        line += f" (reason: {mark.reason})"
    line += f": {mark.label()}"
    if mark.status and mark.status != "applied":
        line += f", now {mark.status}"
    if mark.note:
        line += f' - "{mark.note[:200]}"'
    applied = mark.applied_on
    if applied is not None and applied != mark.date:
        return line + f" (applied {applied.isoformat()}; {mark.date.isoformat()})"
    return line + f" ({mark.date.isoformat()})"


def prompt_section(
    feedback: Feedback, token_budget: int, count_tokens: Callable[[str], int] | None = None
) -> str:
    """The "what the reader said" section of a model's cached profile prefix: the latest
    verdicts, newest first, with reasons and notes, cut to `token_budget` tokens (counted by
    `count_tokens`, else about four characters a token). "" without verdicts or room."""
    count = count_tokens or _approx_tokens
    marks = sorted(feedback.standing().values(), key=_order, reverse=True)
    if not marks:
        return ""
    lines = [PROMPT_HEAD]
    for index, mark in enumerate(marks):
        candidate = [*lines, prompt_line(mark)]
        left = len(marks) - index - 1
        tail = [f"({left} older verdicts left out.)"] if left else []
        if count("\n".join(candidate + tail)) > token_budget:
            break
        lines = candidate
    if len(lines) == 1:
        return ""
    left = len(marks) - (len(lines) - 1)
    if left:
        lines.append(f"({left} older verdicts left out.)")
    return "\n".join(lines)
