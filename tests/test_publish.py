"""Publishing against a real local bare repository as `origin`."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import subprocess
import sys
from contextlib import nullcontext
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import yaml
from click.testing import CliRunner
from conftest import ROOT
from git_project import commits, git, make_repo, tree_files

from generator.cli import cli
from generator.files import exclusive_lock

WORKFLOWS = ROOT / ".github" / "workflows"


def jp(work: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(
        cli, [*args, "--config", str(work / "jobpicks.yml")], catch_exceptions=False
    )
    return result.exit_code, result.output


def push_as_someone_else(
    tmp_path: Path, bare: Path, branch: str, name: str, text: str, message: str
) -> None:
    """Another clone adds `name` on `branch` and pushes, as a second person would."""
    other = tmp_path / "other"
    subprocess.run(["git", "clone", "-q", "-b", branch, bare.as_uri(), str(other)], check=True)
    git(other, "config", "user.name", "Someone Else")
    git(other, "config", "user.email", "else@example.com")
    (other / name).write_text(text)
    git(other, "add", name)
    git(other, "commit", "-q", "-m", message)
    git(other, "push", "-q", "origin", branch)


def daily(work: Path, date: str) -> None:
    for command in (["run", "--date", date], ["commit"], ["build", "--strict"], ["publish"]):
        code, output = jp(work, *command)
        assert code == 0, (command, output)


def test_run_commit_build_publish_then_an_identical_rerun_changes_nothing(
    tmp_path: Path,
) -> None:
    bare, work = make_repo(tmp_path)
    start = commits(bare, "main")
    daily(work, "2026-11-23")
    main, pages = commits(bare, "main"), commits(bare, "gh-pages")
    assert len(main) == len(start) + 1 and len(pages) == 1
    assert git(bare, "log", "-1", "--format=%an|%s", "main") == (
        "Test User|Daily picks for 2026-11-23"
    )
    files = tree_files(bare, "gh-pages")
    assert {
        ".nojekyll",
        "index.html",
        "feed.xml",
        "picks/2026/2026-11-23/index.html",
        "search/search_index.json",
    } <= files
    assert git(bare, "log", "-1", "--format=%s", "gh-pages") == "Publish site for 2026-11-23"

    daily(work, "2026-11-23")
    assert commits(bare, "main") == main and commits(bare, "gh-pages") == pages

    daily(work, "2026-11-24")
    assert len(commits(bare, "main")) == len(main) + 1
    assert len(commits(bare, "gh-pages")) == 2


def test_bot_identity_when_the_repository_has_none(tmp_path: Path) -> None:
    bare, work = make_repo(tmp_path)
    git(work, "config", "--unset", "user.email")
    git(work, "config", "--unset", "user.name")
    env_home = tmp_path / "home"
    env_home.mkdir()
    old = os.environ.get("HOME")
    os.environ["HOME"] = str(env_home)  # no global identity either
    try:
        assert jp(work, "run", "--date", "2026-11-23")[0] == 0
        code, output = jp(work, "commit")
    finally:
        if old is not None:
            os.environ["HOME"] = old
    assert code == 0, output
    assert git(bare, "log", "-1", "--format=%an", "main") == "jobpicks-bot"


def test_gh_pages_commits_have_the_bot_identity_on_a_runner_with_none(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 27, item 8: ghp-import wrote commits with an empty author and committer."""
    bare, work = make_repo(tmp_path)
    assert jp(work, "run", "--date", "2026-11-23")[0] == 0
    assert jp(work, "build", "--strict")[0] == 0
    git(work, "config", "--unset", "user.email")
    git(work, "config", "--unset", "user.name")
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))  # no global identity either
    for name in ("EMAIL", "GIT_AUTHOR_NAME", "GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL"):
        monkeypatch.delenv(name, raising=False)
    code, output = jp(work, "publish")
    assert code == 0, output
    assert git(bare, "log", "-1", "--format=%an <%ae>|%cn <%ce>", "gh-pages") == (
        "jobpicks-bot <jobpicks-bot@users.noreply.github.com>|"
        "jobpicks-bot <jobpicks-bot@users.noreply.github.com>"
    )


def test_publish_keeps_files_others_added_to_gh_pages(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    bare, work = make_repo(tmp_path)
    daily(work, "2026-11-23")
    push_as_someone_else(
        tmp_path,
        bare,
        "gh-pages",
        "google1234.html",
        "google-site-verification: google1234.html\n",
        "Verify the site with Google",
    )

    with caplog.at_level("WARNING"):
        daily(work, "2026-11-24")

    files = tree_files(bare, "gh-pages")
    assert "google1234.html" in files and "picks/2026/2026-11-24/index.html" in files
    assert "publish keeps 1 file others added to gh-pages since the last publish" in caplog.text
    assert git(bare, "log", "-1", "--format=%s|%P", "gh-pages").split("|") == [
        "Publish site for 2026-11-24",
        git(bare, "rev-parse", "gh-pages^"),
    ]
    # Kept again by the next publish (its commit names it), and said only the first time.
    caplog.clear()
    daily(work, "2026-11-25")
    assert "google1234.html" in tree_files(bare, "gh-pages") and "keeps" not in caplog.text
    assert "Kept: google1234.html" in git(bare, "log", "-1", "--format=%b", "gh-pages")


def test_publish_over_a_branch_it_did_not_make_says_what_it_drops(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    bare, work = make_repo(tmp_path)
    old = tmp_path / "old-site"
    subprocess.run(["git", "clone", "-q", bare.as_uri(), str(old)], check=True)
    git(old, "checkout", "-q", "--orphan", "gh-pages")
    git(old, "rm", "-rq", "--cached", ".")
    for name in list(old.iterdir()):
        if name.name != ".git":
            subprocess.run(["rm", "-rf", str(name)], check=True)
    (old / "old.html").write_text("<p>an older site</p>\n")
    git(old, "add", "old.html")
    git(old, "-c", "user.name=X", "-c", "user.email=x@example.com", "commit", "-q", "-m", "Old")
    git(old, "push", "-q", "origin", "gh-pages")

    with caplog.at_level("WARNING"):
        daily(work, "2026-11-23")

    assert "old.html" not in tree_files(bare, "gh-pages")
    assert "publish replaces gh-pages, which jobpicks did not make: 1 file not" in caplog.text
    assert "(old.html)" in caplog.text


def test_the_push_token_reaches_git_only_through_its_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The checkout keeps no credentials; the steps that push pass JOBPICKS_PUSH_TOKEN."""
    from generator.publish import Git

    _, work = make_repo(tmp_path)
    monkeypatch.setenv("JOBPICKS_PUSH_TOKEN", "ghs_test_token_123")
    monkeypatch.setenv("GITHUB_SERVER_URL", "https://github.com")
    header = Git(work).run("config", "--get", "http.https://github.com/.extraheader").stdout
    assert header.strip() == "AUTHORIZATION: basic eC1hY2Nlc3MtdG9rZW46Z2hzX3Rlc3RfdG9rZW5fMTIz"
    assert "ghs_test" not in (work / ".git" / "config").read_text()
    workflow = yaml.safe_load((WORKFLOWS / "daily.yml").read_text())
    steps = workflow["jobs"]["daily"]["steps"]
    assert steps[0]["with"]["persist-credentials"] is False
    with_token = [s["name"] for s in steps if "JOBPICKS_PUSH_TOKEN" in s.get("env", {})]
    assert with_token == [
        "Commit the page",
        "Commit the closed dates",
        "Publish to gh-pages",
        "Commit the record that the day was sent",
    ]


def test_commit_leaves_out_temp_files_of_an_interrupted_write(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """Issue 27, item 8: a kill inside the page write left `.DATE.md.XXXX.tmp`, which
    `commit` then committed; pages were 0600."""
    bare, work = make_repo(tmp_path)
    assert jp(work, "run", "--date", "2026-11-23")[0] == 0
    page = work / "docs" / "picks" / "2026" / "2026-11-23.md"
    assert page.stat().st_mode & 0o777 == 0o644
    leftover = page.with_name(".2026-11-23.md.k1ll3d.tmp")
    leftover.write_text("half a page")
    git(work, "add", "-f", str(leftover))  # even one staged by hand

    with caplog.at_level("WARNING"):
        code, output = jp(work, "commit")

    assert code == 0, output
    assert tree_files(bare, "main") >= {"docs/picks/2026/2026-11-23.md"}
    assert not [f for f in tree_files(bare, "main") if f.endswith(".tmp")]
    assert "left out of the commit: 1 temp file of an interrupted write" in caplog.text
    ignored = subprocess.run(
        ["git", "check-ignore", "--no-index", "docs/picks/2026/.2026-11-23.md.k1ll3d.tmp"],
        cwd=ROOT,
    )
    assert ignored.returncode == 0  # this repository's .gitignore keeps them out too


def test_cname_and_configured_branch(tmp_path: Path) -> None:
    bare, work = make_repo(tmp_path)
    config = yaml.safe_load((work / "jobpicks.yml").read_text())
    config["publish"] = {"branch": "pages", "cname": "jobs.example.org"}
    (work / "jobpicks.yml").write_text(yaml.safe_dump(config))
    daily(work, "2026-11-23")
    assert git(bare, "show", "pages:CNAME") == "jobs.example.org"
    assert commits(bare, "gh-pages") == []


def test_publish_refuses_a_missing_failed_or_stale_site(tmp_path: Path) -> None:
    bare, work = make_repo(tmp_path)
    assert jp(work, "run", "--date", "2026-11-23")[0] == 0
    code, output = jp(work, "publish")
    assert code == 1 and "no finished build" in output

    daily(work, "2026-11-23")
    published = commits(bare, "gh-pages")
    # A new day whose build fails: the old site/ stays, and is older than the pages.
    assert jp(work, "run", "--date", "2026-11-24")[0] == 0
    (work / "docs" / "about.md").write_text("[broken](nowhere.md)\n")
    code, output = jp(work, "build", "--strict")
    assert code == 1 and "previous site is unchanged" in output
    code, output = jp(work, "publish")
    assert code == 1 and "older pages" in output
    assert commits(bare, "gh-pages") == published


def test_failed_push_leaves_gh_pages_exactly_as_it_was(tmp_path: Path) -> None:
    bare, work = make_repo(tmp_path)
    daily(work, "2026-11-23")
    remote_before = git(bare, "rev-parse", "gh-pages")
    local_before = git(work, "rev-parse", "gh-pages")
    hook = bare / "hooks" / "pre-receive"
    hook.write_text("#!/bin/sh\necho 'remote: pushes are disabled' >&2\nexit 1\n")
    hook.chmod(0o755)
    assert jp(work, "run", "--date", "2026-11-24")[0] == 0
    assert jp(work, "build", "--strict")[0] == 0
    code, output = jp(work, "publish")
    assert code == 1 and "the published site is unchanged" in output
    assert "pushes are disabled" in output
    assert git(bare, "rev-parse", "gh-pages") == remote_before
    assert git(work, "rev-parse", "gh-pages") == local_before


def test_commit_rebases_onto_a_remote_that_moved(tmp_path: Path) -> None:
    bare, work = make_repo(tmp_path)
    push_as_someone_else(
        tmp_path, bare, "main", "NOTES.md", "edited meanwhile\n", "Edit notes meanwhile"
    )

    assert jp(work, "run", "--date", "2026-11-23")[0] == 0
    code, output = jp(work, "commit")
    assert code == 0, output
    subjects = git(bare, "log", "--format=%s", "main").splitlines()
    assert subjects[:2] == ["Daily picks for 2026-11-23", "Edit notes meanwhile"]
    assert git(bare, "rev-list", "--merges", "main") == ""  # rebased, not merged


def test_workflow_files_validate_against_the_github_schema() -> None:
    files = sorted(str(p) for p in WORKFLOWS.glob("*.yml"))
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "check_jsonschema",
            "--builtin-schema",
            "vendor.github-workflows",
            *files,
        ],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_zizmor_finds_nothing_of_medium_severity_or_above() -> None:
    zizmor = Path(sys.executable).parent / "zizmor"
    done = subprocess.run(
        [str(zizmor), "--offline", "--min-severity", "medium", str(WORKFLOWS)],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_workflows_pin_actions_and_limit_permissions() -> None:
    for path in WORKFLOWS.glob("*.yml"):
        workflow = yaml.safe_load(path.read_text())
        for job in workflow["jobs"].values():
            for step in job["steps"]:
                if "uses" in step:
                    ref = step["uses"].split("@")[1]
                    assert len(ref) == 40 and int(ref, 16) >= 0, (path, step["uses"])
        assert "permissions" in workflow, path
    daily_yml = yaml.safe_load((WORKFLOWS / "daily.yml").read_text())
    assert daily_yml["permissions"] == {}
    assert daily_yml["concurrency"]["group"]
    assert daily_yml["jobs"]["daily"]["permissions"] == {"contents": "write"}
    ci = yaml.safe_load((WORKFLOWS / "ci.yml").read_text())
    assert ci["permissions"] == {"contents": "read"}


def _workflow_python(tmp_path: Path) -> Path:
    """A venv for the workflow's own install step that reuses this venv's packages, so
    `pip install -e .` of the clone needs no network."""
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    site = next(venv.glob("lib/python3*/site-packages"))
    parent = next(p for p in sys.path if p.endswith("site-packages") and "venv" in p)
    (site / "zz_parent.pth").write_text(parent + "\n")
    return venv / "bin"


def _github_expression(expr: str, outcomes: dict[str, str], failed: bool) -> object:
    """A GitHub Actions expression as the runner would evaluate it, for the few forms the
    workflows use: status functions, `steps.ID.outcome`, contexts, `==`, `!`, `&&`, `||`."""
    contexts = {"inputs.date": "2026-11-23", "inputs.force": "false"}

    def value(match: re.Match[str]) -> str:
        name = match.group(0)
        if name.startswith("steps."):
            return repr(outcomes.get(name.split(".")[1], ""))
        return repr(contexts.get(name, ""))  # secrets and the token: none here

    python = re.sub(r"\b(?:steps|github|secrets|inputs)\.[\w.-]+", value, expr)
    python = python.replace("&&", " and ").replace("||", " or ")
    python = re.sub(r"!(?!=)", " not ", python)
    names = {
        "success": lambda: not failed,
        "failure": lambda: failed,
        "cancelled": lambda: False,
        "always": lambda: True,
        "toJSON": json.dumps,
        "steps": {i: {"outcome": o, "conclusion": o} for i, o in outcomes.items() if i},
    }
    return eval(python, {"__builtins__": {}}, names)  # the repository's own workflow file


def _expand(text: str, outcomes: dict[str, str], failed: bool) -> str:
    return re.sub(
        r"\$\{\{(.*?)\}\}",
        lambda m: str(_github_expression(m.group(1), outcomes, failed)),
        text,
    )


def replay_daily(work: Path, tmp_path: Path, bin_dir: Path, fail: str = "") -> dict[str, object]:
    """The steps of daily.yml, in order, as the runner takes them: `if:` conditions (default
    `success()`), `${{ }}` in env, outcomes by step id; `uses:` steps are done locally (the
    clone is the checkout, this Python is setup-python, the cache is the folder itself).
    The step with id `fail` runs while the test holds the docs lock, so it fails for real."""
    steps = yaml.safe_load((WORKFLOWS / "daily.yml").read_text())["jobs"]["daily"]["steps"]
    summary = tmp_path / "step-summary.md"
    env = {
        **os.environ,
        "PATH": f"{bin_dir}:{os.environ['PATH']}",
        "PIP_NO_DEPS": "1",
        "PIP_NO_BUILD_ISOLATION": "0",
        "PIP_NO_INDEX": "1",
        "GITHUB_STEP_SUMMARY": str(summary),
    }
    env.pop("OPENAI_API_KEY", None)
    env.pop("VIRTUAL_ENV", None)
    outcomes: dict[str, str] = {}
    ran: list[str] = []
    output: dict[str, str] = {}
    failed = False
    for step in steps:
        if "run" not in step:
            continue
        condition = step.get("if", "success()")
        condition = str(condition).strip().removeprefix("${{").removesuffix("}}")
        if not _github_expression(condition, outcomes, failed):
            outcomes[step.get("id", "")] = "skipped"
            continue
        step_env = {
            **env,
            **{k: _expand(str(v), outcomes, failed) for k, v in step.get("env", {}).items()},
        }
        with exclusive_lock(work / "docs", "testing") if step.get("id") == fail else nullcontext():
            done = subprocess.run(
                ["bash", "-e", "-o", "pipefail", "-c", step["run"]],
                cwd=work,
                env=step_env,
                capture_output=True,
                text=True,
            )
        name = step.get("name", "")
        ran.append(name)
        output[name] = done.stdout + done.stderr
        outcomes[step.get("id", "")] = "success" if done.returncode == 0 else "failure"
        failed = failed or done.returncode != 0
        assert done.returncode == 0 or step.get("id") == fail, (name, output[name])
    return {
        "ran": ran,
        "output": output,
        "failed": failed,
        "summary": summary.read_text() if summary.exists() else "",
    }


def test_daily_workflow_run_lines_in_order_then_an_identical_rerun(tmp_path: Path) -> None:
    bare, work = make_repo(tmp_path, whole_project=True)
    bin_dir = _workflow_python(tmp_path)
    for _ in range(2):
        replayed = replay_daily(work, tmp_path, bin_dir)
        assert not replayed["failed"] and replayed["summary"] == ""
        assert "Publish to gh-pages" in replayed["ran"]
    assert "picks/2026/2026-11-23/index.html" in tree_files(bare, "gh-pages")
    assert len(commits(bare, "gh-pages")) == 1
    assert git(bare, "log", "-1", "--format=%s", "main") == "Daily picks for 2026-11-23"
    # A dispatched day writes that day's page, but the check is as of today.
    today = dt.datetime.now(ZoneInfo("Europe/Berlin")).date()
    check = replayed["output"]["Check earlier picks are still open"]  # type: ignore[index]
    assert f"days before {today.isoformat()}" in check


def test_a_failing_check_still_commits_builds_and_publishes_the_page(tmp_path: Path) -> None:
    """The page reaches the remote right after `run`; a later step's failure fails the job
    and the summary says the page is safe."""
    bare, work = make_repo(tmp_path, whole_project=True)
    replayed = replay_daily(work, tmp_path, _workflow_python(tmp_path), fail="check")

    assert replayed["failed"]
    assert (
        "another jobpicks command is already"
        in replayed["output"][  # type: ignore[index]
            "Check earlier picks are still open"
        ]
    )
    assert git(bare, "log", "-1", "--format=%s", "main") == "Daily picks for 2026-11-23"
    assert "picks/2026/2026-11-23/index.html" in tree_files(bare, "gh-pages")
    assert replayed["summary"] == (
        "The day's page was committed and pushed; then check failed (see its log).\n"
    )
