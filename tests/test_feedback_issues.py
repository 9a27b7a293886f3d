"""`jobpicks feedback --from-github`: the real httpx client against a fake GitHub REST API on
127.0.0.1, and the issue format the site's "Send to jobpicks" button opens."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from click.testing import CliRunner
from conftest import SAMPLE_SOURCES, TODAY, write_config
from fake_github import TOKEN, FakeGitHub, fake_github
from test_feedback import DAY, mark, pick, write_day

from generator.cli import cli
from generator.errors import FeedbackError, GitHubError
from generator.feedback import load_feedback
from generator.feedback_issues import (
    LABEL,
    MAX_URL_LENGTH,
    issue_body,
    issue_title,
    marks_in_issue,
    new_issue_url,
    new_issue_urls,
    take_from_github,
)
from generator.github import GitHubClient


@pytest.fixture(scope="module")
def _server() -> Iterator[FakeGitHub]:
    with fake_github() as server:
        yield server


@pytest.fixture
def github(_server: FakeGitHub) -> FakeGitHub:
    _server.reset()
    return _server


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """Two day pages of picks; returns the folder."""
    picks_dir = tmp_path / "docs" / "picks"
    write_day(picks_dir, DAY, pick(1), pick(2, "Data Engineer", "Globex"))
    write_day(picks_dir, DAY + dt.timedelta(days=1), pick(3, "Platform Engineer", "Initech"))
    return tmp_path


def client(github: FakeGitHub, **kw: object) -> GitHubClient:
    return GitHubClient(github.api_url, github.repository, TOKEN, **kw)  # type: ignore[arg-type]


def take(project: Path, github: FakeGitHub, **kw: object):  # type: ignore[no-untyped-def]
    with client(github, **kw) as api:
        return take_from_github(
            project / "feedback.yml", project / "docs" / "picks", api, today=TODAY
        )


SENT = [mark(1, reason="company", note="never again"), mark(3, "applied", status="interviewing")]


def test_the_owners_issue_is_merged_commented_and_closed(project: Path, github: FakeGitHub) -> None:
    issue = github.add(issue_title(2), issue_body(SENT))
    inbox = take(project, github)
    marks = load_feedback(project / "feedback.yml").marks
    assert [(m.id, m.verdict, m.title, m.company) for m in marks] == [
        (pick(1).id, "dismissed", "Backend Engineer", "Acme"),
        (pick(3).id, "applied", "Platform Engineer", "Initech"),
    ]
    assert issue.state == "closed"
    (comment,) = issue.comments
    assert "Took 2 marks into `feedback.yml`" in comment
    assert "- Not for me (company): Backend Engineer at Acme (2026-11-28)" in comment
    assert inbox.summary().startswith("Took 2 marks from 1 issue")
    again = take(project, github)  # closed issues are not listed again
    assert again.taken == [] and len(issue.comments) == 1


def test_a_strangers_issue_is_left_open_untouched_and_merged_nowhere(
    project: Path, github: FakeGitHub
) -> None:
    for association in ("NONE", "CONTRIBUTOR", "FIRST_TIME_CONTRIBUTOR"):
        github.add("hi", issue_body(SENT), author="someone", association=association)
    member = github.add(issue_title(1), issue_body([mark(2, "liked")]), association="MEMBER")
    inbox = take(project, github)
    assert [m.id for m in load_feedback(project / "feedback.yml").marks] == [pick(2).id]
    assert member.state == "closed"
    for number in (1, 2, 3):
        assert github.issues[number].state == "open" and github.issues[number].comments == []
        assert github.writes(number) == []
    assert "3 by people who are not the owner or a collaborator left alone (#1, #2, #3)" in (
        inbox.summary()
    )


@pytest.mark.parametrize(
    ("body", "why"),
    [
        ("No block here, just words.", "has no ```yaml block of marks"),
        ("```yaml\nverdicts:\n- id: [unclosed\n```\n", "issue #1:4: not valid YAML"),
        (
            "Two lines first.\n\n```yaml\nverdicts:\n- id: url:1\n  verdict: meh\n```",
            "issue #1:6: verdicts[0].verdict: Input should be",
        ),
        (issue_body([mark(1), mark(1, "liked")]), f"{pick(1).id} marked more than once"),
        (issue_body([mark(1), mark(77)]), f"{mark(77).id} is on no day page"),
    ],
    ids=["no block", "broken block", "bad key", "duplicate mark", "unknown id"],
)
def test_the_owners_unusable_issue_stays_open_with_a_comment_saying_why(
    project: Path, github: FakeGitHub, body: str, why: str
) -> None:
    issue = github.add(issue_title(2), body)
    inbox = take(project, github)
    assert not (project / "feedback.yml").exists()
    assert issue.state == "open"
    (comment,) = issue.comments
    assert comment.startswith("jobpicks could not use this issue, so it stays open:")
    assert why in comment
    assert "left open with a comment saying why (#1)" in inbox.summary()
    take(project, github)  # the same issue is not answered again every day
    assert len(issue.comments) == 1
    issue.body = issue_body(SENT)  # the owner mends it: taken next time
    take(project, github)
    assert issue.state == "closed" and len(load_feedback(project / "feedback.yml").marks) == 2


def test_an_older_mark_is_said_not_to_take_effect_in_the_comment_and_summary(
    project: Path, github: FakeGitHub
) -> None:
    """As `jobpicks feedback` says it: the job, and the later mark the file holds."""
    later = mark(2, "applied", TODAY)
    github.add(issue_title(1), issue_body([later]))
    take(project, github)
    issue = github.add(issue_title(2), issue_body([mark(2, "saved"), mark(1, "liked")]))
    inbox = take(project, github)
    assert load_feedback(project / "feedback.yml").latest()[pick(2).id].verdict == "applied"
    assert issue.state == "closed"  # taken: the issue said what it could
    (comment,) = issue.comments
    assert (
        "- Saved: Data Engineer at Globex (2026-11-28) - does not take effect: `feedback.yml` "
        "holds a later mark for this job, Applied (2026-11-30)"
    ) in comment
    assert "- Liked: Backend Engineer at Acme (2026-11-28)\n" in comment + "\n"
    assert inbox.changed == 1
    assert (
        "saved Data Engineer at Globex (2026-11-28) does not take effect: "
        f"{project / 'feedback.yml'} holds a later mark for it, applied on 2026-11-30"
    ) in inbox.summary()
    again = github.add(issue_title(1), issue_body([mark(1, "liked")]))
    take(project, github)
    assert "- Liked: Backend Engineer at Acme (2026-11-28) - already there" in again.comments[0]


def test_a_status_sent_later_keeps_the_day_applied_and_an_older_mark_is_told_both_days(
    project: Path, github: FakeGitHub
) -> None:
    """An issue that sets an application's status (written by hand: the browser sends none)
    lands as `jobpicks feedback --status` does; a mark older than that says both days."""
    github.add(issue_title(1), issue_body([mark(2, "applied")]))
    take(project, github)
    github.add(issue_title(1), issue_body([mark(2, "applied", TODAY, status="offer")]))
    take(project, github)
    (entry,) = load_feedback(project / "feedback.yml").marks
    assert (entry.status, entry.date, entry.applied_on) == ("offer", TODAY, DAY)
    issue = github.add(issue_title(1), issue_body([mark(2, "saved", DAY + dt.timedelta(1))]))
    inbox = take(project, github)
    assert (
        "holds a later mark for this job, Applied (2026-11-28), offer (2026-11-30)"
    ) in issue.comments[0]
    assert (
        "holds a later mark for it, applied on 2026-11-28, offer on 2026-11-30"
    ) in inbox.summary()


def test_a_mark_a_day_ahead_is_todays_from_a_browser_east_of_the_configured_zone(
    project: Path, github: FakeGitHub
) -> None:
    ahead = TODAY + dt.timedelta(1)
    issue = github.add(issue_title(1), issue_body([mark(2, "applied", ahead, applied=TODAY)]))
    take(project, github)
    assert issue.state == "closed"
    (entry,) = load_feedback(project / "feedback.yml").marks
    assert (entry.date, entry.applied, entry.applied_on) == (TODAY, None, TODAY)


def test_an_issue_with_a_mark_dated_after_today_stays_open_until_that_day(
    project: Path, github: FakeGitHub
) -> None:
    """Refused as `jobpicks feedback --date` refuses it: it would outrank every mark given
    before that day. The issue stays open and is taken once that day has come. (A day ahead
    is a browser's clock east of the configured zone, and taken as today's.)"""
    ahead = TODAY + dt.timedelta(days=2)
    issue = github.add(issue_title(2), issue_body([mark(1, "liked"), mark(2, "applied", ahead)]))
    take(project, github)
    assert not (project / "feedback.yml").exists() and issue.state == "open"
    (comment,) = issue.comments
    assert (
        "issue #1: 1 mark dated after today (2026-11-30 in the configured `timezone`): "
        "Data Engineer at Globex (2026-12-02)"
    ) in comment
    with client(github) as api:
        take_from_github(project / "feedback.yml", project / "docs" / "picks", api, today=ahead)
    assert issue.state == "closed"
    assert load_feedback(project / "feedback.yml").latest()[pick(2).id].date == ahead


def test_one_bad_issue_does_not_hold_back_the_good_ones(project: Path, github: FakeGitHub) -> None:
    github.add(issue_title(1), issue_body([mark(77)]))
    good = github.add(issue_title(1), issue_body([mark(2, "saved")]))
    pr = github.add("a pull request", issue_body([mark(1)]), pull_request=True)
    take(project, github)
    assert good.state == "closed" and github.issues[1].state == "open"
    assert pr.comments == [] and github.writes(pr.number) == []
    assert [m.id for m in load_feedback(project / "feedback.yml").marks] == [pick(2).id]


def test_issues_are_read_page_by_page_oldest_first(project: Path, github: FakeGitHub) -> None:
    github.reset(page_size=2)
    for day in range(5):  # a later issue's mark for the same job wins
        github.add(issue_title(1), issue_body([mark(2, "saved" if day < 4 else "liked")]))
    take(project, github)
    lists = [p for m, p in github.requests if m == "GET" and p.split("?")[0].endswith("issues")]
    assert len(lists) == 3
    assert all(issue.state == "closed" for issue in github.issues.values())
    assert load_feedback(project / "feedback.yml").latest()[pick(2).id].verdict == "liked"


def test_a_short_rate_limit_is_waited_out(project: Path, github: FakeGitHub) -> None:
    github.add(issue_title(1), issue_body([mark(2, "saved")]))
    github.fail(
        "GET", r".*/issues", 403, '{"message": "secondary rate limit"}', **{"Retry-After": "7"}
    )
    github.fail("PATCH", r".*/issues/1", 502)
    waits: list[float] = []
    take(project, github, sleep=waits.append)
    assert waits == [7.0, 2.0] and github.issues[1].state == "closed"


def test_a_spent_rate_limit_stops_before_anything_is_written(
    project: Path, github: FakeGitHub
) -> None:
    github.add(issue_title(1), issue_body([mark(2, "saved")]))
    reset = {"x-ratelimit-remaining": "0", "x-ratelimit-reset": "1800003600"}
    github.fail("GET", r".*/issues", 429, '{"message": "API rate limit exceeded"}', **reset)
    with pytest.raises(
        GitHubError, match="listing issues labelled jobpicks-feedback: GitHub's rate limit"
    ) as caught:
        take(project, github, clock=lambda: 1_800_000_000.0, sleep=pytest.fail)
    assert "2027-01-15 09:00 UTC" in str(caught.value)
    assert not (project / "feedback.yml").exists() and github.issues[1].state == "open"


def test_a_failed_close_is_a_warning_naming_the_issue_and_the_marks_are_kept(
    project: Path, github: FakeGitHub, caplog: pytest.LogCaptureFixture
) -> None:
    github.add(issue_title(1), issue_body([mark(2, "saved")]))
    github.fail(
        "PATCH", r".*/issues/1", 403, '{"message": "Resource not accessible by integration"}'
    )
    inbox = take(project, github)
    assert (
        "closing issue #1: GitHub answered 403 Resource not accessible by integration"
        in caplog.text
    )
    assert "needs `issues: write`" in caplog.text
    assert len(load_feedback(project / "feedback.yml").marks) == 1
    assert github.issues[1].state == "open" and inbox.unanswered
    take(project, github)  # taken again next time, to the same effect
    assert github.issues[1].state == "closed"


def test_a_refused_token_names_the_request(project: Path, github: FakeGitHub) -> None:
    with (
        GitHubClient(github.api_url, github.repository, "wrong") as api,
        pytest.raises(
            GitHubError,
            match=r"listing issues .*: GitHub answered 401 Bad credentials \(GITHUB_TOKEN was ",
        ),
    ):
        take_from_github(project / "feedback.yml", project / "docs" / "picks", api, today=TODAY)


def test_a_bad_feedback_file_stops_before_github_is_asked(
    project: Path, github: FakeGitHub
) -> None:
    (project / "feedback.yml").write_text("verdicts:\n- id: x\n  verdict: nope\n")
    with pytest.raises(FeedbackError, match=r"feedback\.yml:3: verdicts"):
        take(project, github)
    assert github.requests == []


def test_the_command_reads_the_workflow_environment(
    project: Path, github: FakeGitHub, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = write_config(project, SAMPLE_SOURCES)
    github.add(issue_title(2), issue_body(SENT))
    runner = CliRunner()
    for name in ("GITHUB_REPOSITORY", "GITHUB_TOKEN", "GITHUB_API_URL"):
        monkeypatch.delenv(name, raising=False)
    missing = runner.invoke(cli, ["feedback", "--from-github", "--config", str(config)])
    assert missing.exit_code == 1
    assert "GITHUB_REPOSITORY and GITHUB_TOKEN not set" in missing.output
    done = runner.invoke(
        cli,
        ["feedback", "--from-github", "--config", str(config)],
        env=github.env(),
        catch_exceptions=False,
    )
    assert done.exit_code == 0, done.output
    assert "Took 2 marks from 1 issue into" in done.output
    assert TOKEN not in done.output
    assert github.issues[1].state == "closed"


# The issue the site opens ---------------------------------------------------------------------


def test_the_new_issue_address_carries_label_title_and_a_block_that_reads_back() -> None:
    marks = [
        mark(
            1,
            reason="company",
            note='Zürich? "No" & <never> #1 100%',
            title="Dev/Ops",
            company="Ünïon",
        ),
        mark(
            3,
            "applied",
            status="offer",
            title="Platform Engineer",
            company="Initech",
            applied=DAY - dt.timedelta(days=2),
        ),
    ]
    url = new_issue_url("reader/picks", marks)
    parts = urlsplit(url)
    assert (
        f"{parts.scheme}://{parts.netloc}{parts.path}"
        == "https://github.com/reader/picks/issues/new"
    )
    query = {k: v[0] for k, v in parse_qs(parts.query).items()}
    assert query == {
        "labels": LABEL,
        "title": "jobpicks feedback: 2 marks",
        "body": issue_body(marks),
    }
    assert parts.query.startswith(
        "labels=jobpicks-feedback&title=jobpicks%20feedback%3A%202%20marks&body="
    )
    assert marks_in_issue(query["body"], "issue") == marks
    assert '  note: "Zürich? \\"No\\" & <never> #1 100%"' in query["body"]
    assert "  date: 2026-11-28\n" in query["body"]
    assert '  status: "offer"\n  date: 2026-11-28\n  applied: 2026-11-26\n' in query["body"]


def test_the_browsers_line_endings_are_read_too() -> None:
    body = issue_body([mark(2, "liked")]).replace("\n", "\r\n")
    assert marks_in_issue(body, "issue") == [mark(2, "liked")]


def test_many_marks_are_split_across_issues_of_a_safe_length() -> None:
    marks = [mark(n, "saved", note="x" * 400) for n in range(1, 60)]
    urls = new_issue_urls("reader/picks", marks)
    assert len(urls) > 1 and all(len(url) <= MAX_URL_LENGTH for url in urls)
    sent = [
        m for url in urls for m in marks_in_issue(parse_qs(urlsplit(url).query)["body"][0], "x")
    ]
    assert sent == marks
