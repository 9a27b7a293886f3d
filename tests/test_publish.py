"""Publishing against a real local bare repository as `origin`."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from conftest import ROOT
from git_project import commits, git, make_repo, tree_files

from generator.cli import cli

WORKFLOWS = ROOT / ".github" / "workflows"


def jp(work: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(
        cli, [*args, "--config", str(work / "jobpicks.yml")], catch_exceptions=False
    )
    return result.exit_code, result.output


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
    other = tmp_path / "other"
    subprocess.run(["git", "clone", "-q", bare.as_uri(), str(other)], check=True)
    git(other, "config", "user.name", "Someone Else")
    git(other, "config", "user.email", "else@example.com")
    (other / "NOTES.md").write_text("edited meanwhile\n")
    git(other, "add", "NOTES.md")
    git(other, "commit", "-q", "-m", "Edit notes meanwhile")
    git(other, "push", "-q", "origin", "main")

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


@pytest.mark.parametrize("rerun", [False, True])
def test_daily_workflow_run_lines_in_order(tmp_path: Path, rerun: bool) -> None:
    """The `run:` steps of daily.yml, in order, with `uses:` steps done locally: the clone
    is the checkout, this Python is setup-python, and the cache is the folder itself."""
    bare, work = make_repo(tmp_path, whole_project=True)
    bin_dir = _workflow_python(tmp_path)
    steps = yaml.safe_load((WORKFLOWS / "daily.yml").read_text())["jobs"]["daily"]["steps"]
    env = {
        **os.environ,
        "PATH": f"{bin_dir}:{os.environ['PATH']}",
        "PIP_NO_DEPS": "1",
        "PIP_NO_BUILD_ISOLATION": "0",
        "PIP_NO_INDEX": "1",
    }
    env.pop("OPENAI_API_KEY", None)
    env.pop("VIRTUAL_ENV", None)
    ran = []
    for _ in range(2 if rerun else 1):
        for step in steps:
            if "run" not in step or "failure()" in step.get("if", ""):
                continue  # `uses:` steps are done locally; the failure step is tested alone
            # Expressions are Actions' to fill: an unset secret or input arrives as "".
            step_env = {
                **env,
                **{k: "" if "${{" in str(v) else str(v) for k, v in step.get("env", {}).items()},
            }
            step_env.update(
                {"PICKS_DATE": "2026-11-23", "PICKS_FORCE": "false", "OPENAI_API_KEY": ""}
            )
            done = subprocess.run(
                ["bash", "-e", "-o", "pipefail", "-c", step["run"]],
                cwd=work,
                env=step_env,
                capture_output=True,
                text=True,
            )
            assert done.returncode == 0, (step.get("name"), done.stdout, done.stderr)
            ran.append(step.get("name"))
    assert "Publish to gh-pages" in ran
    assert "picks/2026/2026-11-23/index.html" in tree_files(bare, "gh-pages")
    assert len(commits(bare, "gh-pages")) == 1
    assert git(bare, "log", "-1", "--format=%s", "main") == "Daily picks for 2026-11-23"
