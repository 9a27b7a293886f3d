"""The daily workflow's feedback job: its `run:` lines, in order, against a fake GitHub API
and a local bare repository; and its permissions."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from conftest import ROOT
from fake_github import TOKEN, FakeGitHub, fake_github
from git_project import git, make_repo
from test_feedback import DAY, mark, pick, write_day

from generator.feedback_issues import issue_body, issue_title
from generator.publish import commit_pages

WORKFLOW = yaml.safe_load((ROOT / ".github" / "workflows" / "daily.yml").read_text())


@pytest.fixture
def github() -> Iterator[FakeGitHub]:
    with fake_github() as server:
        yield server


def test_only_the_feedback_job_may_write_issues_and_the_day_waits_for_it() -> None:
    jobs = WORKFLOW["jobs"]
    assert jobs["feedback"]["permissions"] == {"contents": "write", "issues": "write"}
    others = [job for name, job in jobs.items() if name != "feedback"]
    assert all("issues" not in job.get("permissions", {}) for job in others)
    assert jobs["feedback"]["needs"] == "morning"  # in the reader's morning, as the day
    assert jobs["feedback"]["if"] == "needs.morning.outputs.run == 'true'"
    assert "feedback" in jobs["daily"]["needs"]
    # A failed feedback job costs no day.
    assert jobs["daily"]["if"] == "${{ !cancelled() && needs.morning.outputs.run == 'true' }}"
    checkout = jobs["daily"]["steps"][0]
    assert checkout["with"]["ref"] == "${{ github.ref }}"  # sees the feedback job's commit
    steps = jobs["feedback"]["steps"]
    assert steps[0]["with"]["persist-credentials"] is False
    tokens = {"GITHUB_TOKEN", "JOBPICKS_PUSH_TOKEN"}
    with_token = {s.get("name", s.get("uses")): set(s.get("env", {})) & tokens for s in steps}
    assert {name: env for name, env in with_token.items() if env} == {
        "Take the reader's verdicts from GitHub issues": {"GITHUB_TOKEN"},
        "Commit feedback.yml": {"JOBPICKS_PUSH_TOKEN"},
    }


def test_the_feedback_job_takes_the_owners_issue_and_commits_feedback_yml(
    tmp_path: Path, github: FakeGitHub
) -> None:
    bare, work = make_repo(tmp_path)
    write_day(work / "docs" / "picks", DAY, pick(1), pick(2, "Data Engineer", "Globex"))
    git(work, "add", "-A")
    git(work, "commit", "-q", "-m", "A day of picks")
    git(work, "push", "-q", "origin", "main")
    issue = github.add(issue_title(1), issue_body([mark(2, reason="company")]))
    stranger = github.add("mine", issue_body([mark(1, "liked")]), association="NONE")
    env = {
        **os.environ,
        "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}",
        **github.env(),
    }
    ran = []
    for step in WORKFLOW["jobs"]["feedback"]["steps"]:
        if "run" not in step or step["name"] == "Install jobpicks":
            continue  # this venv is the installed jobpicks
        step_env = {**env, **{k: str(v) for k, v in step.get("env", {}).items()}}
        step_env["GITHUB_TOKEN"] = TOKEN  # what `${{ github.token }}` becomes
        step_env.pop("JOBPICKS_PUSH_TOKEN", None)  # a file:// remote needs none
        done = subprocess.run(
            ["bash", "-e", "-o", "pipefail", "-c", step["run"]],
            cwd=work,
            env=step_env,
            capture_output=True,
            text=True,
        )
        assert done.returncode == 0, (step["name"], done.stdout, done.stderr)
        ran.append(step["name"])
    assert ran == ["Take the reader's verdicts from GitHub issues", "Commit feedback.yml"]
    assert git(bare, "log", "-1", "--format=%s", "main") == "The reader's verdicts in feedback.yml"
    committed = git(bare, "show", "main:feedback.yml")
    assert f"id: {pick(2).id}" in committed and "reason: company" in committed
    assert pick(1).id not in committed
    assert issue.state == "closed" and stranger.state == "open" and stranger.comments == []


def test_commit_takes_pages_and_verdicts_together(tmp_path: Path) -> None:
    from generator.config import load_config

    bare, work = make_repo(tmp_path)
    config = load_config(work / "jobpicks.yml")
    write_day(config.picks_dir, DAY, pick(1))
    (work / "feedback.yml").write_text("verdicts: []\n")
    done = commit_pages(config, push=True)
    assert done.message == "Daily picks for 2026-11-28, and the reader's verdicts in feedback.yml"
    assert "feedback.yml" in git(bare, "ls-tree", "--name-only", "main")
    assert commit_pages(config, push=True).committed is False
