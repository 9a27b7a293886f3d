"""Marks sent from the site as GitHub issues, and `jobpicks feedback --from-github`.

The site has no server, so "Send to jobpicks" on My picks opens a pre-filled new issue on the
site's own repository; the daily workflow takes it in. The issue, as `new_issue_url` builds
it (the browser builds the same, character for character):

- address: `https://github.com/OWNER/REPO/issues/new?labels=...&title=...&body=...`, each
  value encoded as JavaScript's `encodeURIComponent` does;
- label: `jobpicks-feedback`;
- title: `jobpicks feedback: 1 mark` / `jobpicks feedback: N marks`;
- body: one line of explanation, a blank line, then the marks as a fenced block in
  `feedback.yml`'s own shape:

      Marks sent from My picks. The daily run takes them into feedback.yml, then closes this issue.

      ```yaml
      verdicts:
      - id: "url:3f2a9c1e0b7d4a65"
        url: "https://boards.greenhouse.io/acme/jobs/123"
        title: "Data Engineer"
        company: "Acme"
        verdict: "dismissed"
        reason: "company"
        note: "not again"
        date: 2026-11-30
      ```

  Keys in that order (id, url, title, company, verdict, reason, status, note, date,
  applied), empty ones left out (the browser never sends `applied`: an application it marks
  is made on the mark's date); every value but the dates a JSON string (`JSON.stringify`,
  here `json.dumps` without ASCII escapes), which YAML reads as a double-quoted string;
  lines end in `\\n`.
  Marks that would make the address longer than `MAX_URL_LENGTH` go to a further issue
  (`new_issue_urls`).

Taking them in: only open issues with the label whose author is the repository's owner, a
member or a collaborator (`author_association`) are read; anyone else's are left alone, merged
nowhere and not answered. An issue is taken whole or not at all: its marks are merged into
`feedback.yml` (a later mark for a job replaces an earlier one), the issue gets a comment
listing what was taken (a mark older than the one the file holds for its job is said to
take no effect) and is closed. One that cannot be used (no block, a block that does not
parse, an id on no day page, a pick marked twice, a mark dated after tomorrow) stays open with a
comment saying why, given once per version of the issue.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from generator.errors import FeedbackError, GitHubError
from generator.feedback import (
    KEY,
    SAID,
    Mark,
    Merged,
    PickIndex,
    load_feedback,
    mark_data,
    not_taken,
    parse_marks,
    resolve_marks,
    save_feedback,
)
from generator.github import GitHubClient, Issue
from generator.text import plural

log = logging.getLogger(__name__)

LABEL = "jobpicks-feedback"
TRUSTED = frozenset({"OWNER", "MEMBER", "COLLABORATOR"})
INTRO = (
    "Marks sent from My picks. The daily run takes them into feedback.yml, then closes this issue."
)
MAX_URL_LENGTH = 8000
"""GitHub refuses longer new-issue addresses; browsers cope with them."""
_BLOCK = re.compile(
    r"^(?P<fence>`{3,}|~{3,})[ \t]*ya?ml[ \t]*\n(?P<text>.*?)^(?P=fence)[ \t]*$", re.M | re.S
)
_MARKER = "<!-- jobpicks-feedback"


# The issue the site opens ---------------------------------------------------------------------


def issue_title(count: int) -> str:
    return f"jobpicks feedback: {count} mark{'' if count == 1 else 's'}"


def issue_body(marks: Sequence[Mark]) -> str:
    lines = [INTRO, "", "```yaml", f"{KEY}:"]
    for mark in marks:
        data = mark_data(mark)
        for number, (key, value) in enumerate(data.items()):
            text = (
                value.isoformat()
                if isinstance(value, dt.date)
                else json.dumps(value, ensure_ascii=False)
            )
            lines.append(f"{'- ' if number == 0 else '  '}{key}: {text}")
    lines.append("```")
    return "\n".join(lines) + "\n"


def _component(value: str) -> str:
    """What JavaScript's encodeURIComponent gives."""
    return quote(value, safe="-_.!~*'()")


def new_issue_url(
    repository: str, marks: Sequence[Mark], *, server: str = "https://github.com"
) -> str:
    """The pre-filled new-issue address for `marks` on `repository` (`owner/name`)."""
    query = "&".join(
        f"{key}={_component(value)}"
        for key, value in (
            ("labels", LABEL),
            ("title", issue_title(len(marks))),
            ("body", issue_body(marks)),
        )
    )
    return f"{server.rstrip('/')}/{repository}/issues/new?{query}"


def new_issue_urls(
    repository: str, marks: Sequence[Mark], *, server: str = "https://github.com"
) -> list[str]:
    """The marks in order, as few issues as keep each address within `MAX_URL_LENGTH` (a
    mark too long on its own still gets its own issue)."""
    batches: list[list[Mark]] = []
    for mark in marks:
        if (
            batches
            and len(new_issue_url(repository, [*batches[-1], mark], server=server))
            <= MAX_URL_LENGTH
        ):
            batches[-1].append(mark)
        else:
            batches.append([mark])
    return [new_issue_url(repository, batch, server=server) for batch in batches]


def marks_in_issue(body: str, where: str) -> list[Mark]:
    """The marks of the issue's one fenced YAML block; errors name the issue's line."""
    body = body.replace("\r\n", "\n")
    blocks = list(_BLOCK.finditer(body))
    if not blocks:
        raise FeedbackError(f"{where} has no ```yaml block of marks")
    if len(blocks) > 1:
        raise FeedbackError(f"{where} has {len(blocks)} ```yaml blocks; put every mark in one")
    block = blocks[0]
    first_line = body[: block.start("text")].count("\n") + 1
    marks = parse_marks(block["text"], where, first_line=first_line)
    if not marks:
        raise FeedbackError(f"{where}: the block holds no marks")
    return marks


# Taking them in -------------------------------------------------------------------------------


@dataclass
class Inbox:
    """What `feedback --from-github` did."""

    path: Path
    taken: list[tuple[Issue, list[Mark]]] = field(default_factory=list)
    refused: list[tuple[Issue, str]] = field(default_factory=list)
    strangers: list[Issue] = field(default_factory=list)
    changed: int = 0
    overruled: list[tuple[Mark, Mark]] = field(default_factory=list)
    """Marks older than the one the file holds for their job, with it: they take no effect."""
    unanswered: list[str] = field(default_factory=list)
    """Comments or closes that failed (the marks are in the file; the next run retries)."""

    def summary(self) -> str:
        marks = sum(len(m) for _, m in self.taken)
        parts = [
            f"Took {plural(marks, 'mark')} from {plural(len(self.taken), 'issue')} into "
            f"{self.path} ({self.changed} new or changed)"
        ]
        parts += [not_taken(mark, later, str(self.path)) for mark, later in self.overruled]
        if self.refused:
            numbers = ", ".join(f"#{issue.number}" for issue, _ in self.refused)
            parts.append(f"{len(self.refused)} left open with a comment saying why ({numbers})")
        if self.strangers:
            numbers = ", ".join(f"#{issue.number}" for issue in self.strangers)
            parts.append(
                f"{len(self.strangers)} by people who are not the owner or a collaborator "
                f"left alone ({numbers})"
            )
        if self.unanswered:
            parts.append(f"{plural(len(self.unanswered), 'GitHub call')} failed (see the warnings)")
        return "; ".join(parts)


def take_from_github(path: Path, picks_dir: Path, client: GitHubClient, *, today: dt.date) -> Inbox:
    """Merge the marks of the owner's open feedback issues into `path`, then answer them.

    `path` is read first, so a bad hand edit stops everything before GitHub is asked. The
    file is written before any issue is closed; a comment or close that fails is a warning,
    and the issue, still open, is taken again (to the same effect) next time. An issue with
    a mark dated after `today` (more than a browser's clock can run ahead of it) stays open,
    as `jobpicks feedback --date` refuses one, and is taken on a later run once that day has
    come.
    """
    feedback = load_feedback(path)
    index = PickIndex.from_pages(picks_dir)
    inbox = Inbox(path)
    for issue in client.open_issues(LABEL):
        if issue.association not in TRUSTED:
            log.info(
                "issue #%d by %s (%s) left alone", issue.number, issue.author, issue.association
            )
            inbox.strangers.append(issue)
            continue
        try:
            where = f"issue #{issue.number}"
            marks = resolve_marks(marks_in_issue(issue.body, where), index)
            marks = _dated(marks, today, where)
        except FeedbackError as exc:
            inbox.refused.append((issue, str(exc)))
            continue
        inbox.taken.append((issue, marks))
    merged = feedback.merged(mark for _, marks in inbox.taken for mark in marks)
    inbox.changed, inbox.overruled = len(merged.changed), merged.overruled
    if merged.changed:
        save_feedback(path, merged.feedback)
    for issue, marks in inbox.taken:
        try:
            client.comment(issue.number, taken_comment(marks, merged, path.name))
            client.close(issue.number)
        except GitHubError as exc:
            _unanswered(inbox, exc)
    for issue, why in inbox.refused:
        try:
            _explain_refusal(client, issue, why)
        except GitHubError as exc:
            _unanswered(inbox, exc)
    return inbox


BROWSER_AHEAD = dt.timedelta(days=1)
"""How far a mark's date may run ahead of today in the configured time zone and still be
today's: the site dates a mark by the reader's own clock, a day ahead after midnight east of
that zone (and in Auckland while London's day is still on)."""


def _dated(marks: Sequence[Mark], today: dt.date, where: str) -> list[Mark]:
    """`marks`, those dated up to `BROWSER_AHEAD` after today taken as today's; a mark dated
    later would outrank every mark given before its day, and is an error."""
    late = [mark for mark in marks if mark.date > today + BROWSER_AHEAD]
    if late:
        dated = ", ".join(f"{m.label()} ({m.date.isoformat()})" for m in late[:3])
        raise FeedbackError(
            f"{where}: {plural(len(late), 'mark')} dated after today ({today.isoformat()} in the "
            f"configured `timezone`): {dated}; it is taken on a run from the day before its date"
        )
    return [
        Mark.model_validate({**mark.model_dump(), "date": today}) if mark.date > today else mark
        for mark in marks
    ]


def _unanswered(inbox: Inbox, exc: GitHubError) -> None:
    log.warning("%s", exc)
    inbox.unanswered.append(str(exc))


def taken_comment(marks: Sequence[Mark], merged: Merged, file_name: str) -> str:
    """The issue's marks and what each did: a mark older than the one the file holds for
    its job says it took no effect, naming that later mark."""
    lines = [f"Took {plural(len(marks), 'mark')} into `{file_name}`:", ""]
    for mark in marks:
        reason = f" ({mark.reason})" if mark.reason else ""
        held = next((later for old, later in merged.overruled if old == mark), None)
        if held is not None:
            note = (
                f" - does not take effect: `{file_name}` holds a later mark for this job, "
                f"{_held(held)}"
            )
        else:
            note = "" if mark in merged.changed else " - already there"
        lines.append(
            f"- {SAID[mark.verdict]}{reason}: {mark.label()} ({mark.date.isoformat()}){note}"
        )
    lines += [
        "",
        f"If they are missing from `{file_name}` later on, reopen this issue: the next run "
        "takes them again.",
        f"{_MARKER}: taken -->",
    ]
    return "\n".join(lines)


def _held(mark: Mark) -> str:
    """The file's mark as a comment names it: "Applied (2026-12-01)"; an application updated
    since it was made, both days: "Applied (2026-12-01), offer (2026-12-06)"."""
    update = mark.update()
    if not update:
        return f"{SAID[mark.verdict]} ({mark.date.isoformat()})"
    return f"Applied ({mark.applied_on}), {update} ({mark.date.isoformat()})"


def refusal_comment(why: str, marker: str) -> str:
    return "\n".join(
        [
            "jobpicks could not use this issue, so it stays open:",
            "",
            *(f"> {line}" for line in why.splitlines()),
            "",
            "Edit the ```yaml block (or send the marks again from My picks) and the next run "
            "tries again.",
            marker,
        ]
    )


def _explain_refusal(client: GitHubClient, issue: Issue, why: str) -> None:
    """Say why once per version of the issue: an unchanged issue is not answered daily."""
    digest = hashlib.sha256(f"{issue.body}\x1f{why}".encode()).hexdigest()[:12]
    marker = f"{_MARKER}: refused {digest} -->"
    if issue.comments and any(marker in body for body in client.comment_bodies(issue.number)):
        return
    client.comment(issue.number, refusal_comment(why, marker))
