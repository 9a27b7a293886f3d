"""A real git project in a temp dir: a bare `origin` (file://) and a working clone."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from conftest import ROOT, SAMPLE_SOURCES, write_config


def git(cwd: Path, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=True)
    return done.stdout.strip()


def commits(bare: Path, branch: str) -> list[str]:
    done = subprocess.run(["git", "rev-list", branch], cwd=bare, capture_output=True, text=True)
    return done.stdout.split() if done.returncode == 0 else []


def tree_files(bare: Path, branch: str) -> set[str]:
    return set(git(bare, "ls-tree", "-r", "--name-only", branch).splitlines())


def make_repo(tmp: Path, *, whole_project: bool = False) -> tuple[Path, Path]:
    """(bare origin, working clone) holding a jobpicks project on branch main.

    `whole_project` copies every tracked file of this repository (for running the
    workflow's own install step); otherwise just what the commands need. Untracked files
    and committed day pages stay behind, so a quick-start run or a fork's history in the
    developer's checkout changes no result.
    """
    bare = tmp / "origin.git"
    subprocess.run(["git", "init", "-q", "--bare", "-b", "main", str(bare)], check=True)
    work = tmp / "work"
    subprocess.run(
        ["git", "clone", "-q", bare.as_uri(), str(work)], check=True, capture_output=True
    )
    git(work, "config", "user.name", "Test User")
    git(work, "config", "user.email", "test@example.com")
    if whole_project:
        for name in git(ROOT, "ls-files", "--cached").splitlines():
            source = ROOT / name
            if source.is_file() and not name.startswith("docs/picks/"):
                (work / name).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(source, work / name)
    else:
        shutil.copy(ROOT / "mkdocs.yml", work / "mkdocs.yml")
        shutil.copytree(ROOT / "generator" / "theme", work / "generator" / "theme")
        (work / "docs").mkdir()
    (work / ".gitignore").write_text(
        "site/\nbuild/\n.jobpicks-cache/\ndocs/.jobpicks.lock\nsite.new/\nsite.old/\n"
    )
    write_config(
        work,
        SAMPLE_SOURCES,
        site={"title": "Test", "url": "https://x.example/"},
        scoring={"cache_dir": ".jobpicks-cache"},
    )
    git(work, "add", "-A")
    git(work, "commit", "-q", "-m", "Start the project")
    git(work, "push", "-q", "origin", "main")
    return bare, work
