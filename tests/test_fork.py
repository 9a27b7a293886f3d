"""A fork that keeps up: the files a user changes are files upstream never ships, so merging
a later upstream release (generator, samples, templates, docs) never conflicts, and the
fork's site still builds with its own about page over 30 days of its own history."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import ROOT, SAMPLES, FeedServer
from git_project import git

from generator import pages
from generator.cli import cli
from generator.config import load_config
from generator.models import DayPage, Pick
from generator.site import build

MY_ABOUT = "# About my search\n\nThe picks of one engineer's job search, kept for a year.\n"
MY_FEEDBACK = (  # the site's Applications page reads it: a real mark
    "verdicts:\n- id: url:4d7261b5b6bf305b\n  url: https://jobs.example.com/1\n"
    "  verdict: applied\n  date: 2026-11-20\n"
)
RELEASE_MARK = "<!-- jobpicks release 2 -->"


def _upstream(folder: Path) -> Path:
    """A repository holding what this one ships (the tracked files, no day pages)."""
    subprocess.run(["git", "init", "-q", "-b", "main", str(folder)], check=True)
    for name in git(ROOT, "ls-files", "--cached").splitlines():
        source = ROOT / name
        if source.is_file() and (not name.startswith("docs/picks/") or name.endswith(".gitkeep")):
            (folder / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, folder / name)
    _identity(folder, "Upstream")
    git(folder, "add", "-A")
    git(folder, "commit", "-q", "-m", "Release 1")
    return folder


def _identity(repo: Path, name: str) -> None:
    git(repo, "config", "user.name", name)
    git(repo, "config", "user.email", f"{name.lower()}@example.com")


def _days(picks_dir: Path, count: int) -> None:
    start = dt.date(2026, 11, 30) - dt.timedelta(days=count - 1)
    for n in range(count):
        day = start + dt.timedelta(days=n)
        picks = tuple(
            Pick(
                id=f"fork-{n}-{k}",
                title=f"Backend Engineer {k}",
                company=f"Company {(n + k) % 7}",
                url=f"https://jobs.example.org/{n}/{k}",
                score=90 - k,
                reason="Lacks Go.",
                source="feed",
            )
            for k in range(3)
        )
        pages.write(DayPage(date=day, picks=picks, scorer="local"), picks_dir)


def _release_two(upstream: Path) -> None:
    """A later upstream commit touching the generator, samples, templates and docs."""

    def append(relative: str, text: str) -> None:
        path = upstream / relative
        path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")

    append("generator/cli.py", "\n# Release 2: the generator changed.\n")
    append("samples/jobpicks.yml", "# Release 2: the sample config changed.\n")
    append("samples/profile.md", "\nRelease 2: the sample profile changed.\n")
    append("generator/theme/jobpicks/pick.html", "{#- Release 2: a card changed. -#}\n")
    main = upstream / "generator" / "theme" / "main.html"
    text = main.read_text(encoding="utf-8")
    main.write_text(text.replace("{{ super() }}", "{{ super() }}\n  " + RELEASE_MARK, 1))
    append("generator/assets/about.md", "\nRelease 2: the shipped About page changed.\n")
    append("README.md", "\nRelease 2: the docs changed.\n")
    append("mkdocs.yml", "# Release 2: the site's settings changed.\n")
    git(upstream, "commit", "-q", "-am", "Release 2")


def test_a_fork_merges_a_later_release_cleanly_and_its_site_builds(
    tmp_path: Path, feed_server: FeedServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    upstream = _upstream(tmp_path / "upstream")
    fork = tmp_path / "fork"
    subprocess.run(["git", "clone", "-q", str(upstream), str(fork)], check=True)
    _identity(fork, "Forker")

    feed = feed_server.add("/jobs.xml", (SAMPLES / "remote-board.xml").read_bytes())
    result = CliRunner().invoke(
        cli,
        ["init", "--dir", str(fork), "--yes", "--title", "Backend Engineer",
         "--must-have", "Python", "--timezone", "Europe/Berlin", "--source", feed],
        catch_exceptions=False,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    (fork / "docs" / "about.md").write_text(MY_ABOUT, encoding="utf-8")
    (fork / "feedback.yml").write_text(MY_FEEDBACK, encoding="utf-8")
    config = load_config(fork / "jobpicks.yml")
    _days(config.picks_dir, 30)
    git(fork, "add", "-A")
    git(fork, "commit", "-q", "-m", "My search")
    mine = {
        name: (fork / name).read_text(encoding="utf-8")
        for name in ("jobpicks.yml", "profile.md", "docs/about.md", "feedback.yml")
    }

    _release_two(upstream)
    git(fork, "fetch", "-q", "origin")
    merged = subprocess.run(
        ["git", "merge", "--no-edit", "origin/main"], cwd=fork, capture_output=True, text=True
    )
    assert merged.returncode == 0, merged.stdout + merged.stderr
    assert git(fork, "diff", "--name-only", "--diff-filter=U") == ""
    assert git(fork, "status", "--porcelain") == ""
    for name, text in mine.items():
        assert (fork / name).read_text(encoding="utf-8") == text, name
    assert "Release 2" in (fork / "samples" / "jobpicks.yml").read_text(encoding="utf-8")
    assert len(list(config.picks_dir.rglob("*.md"))) == 30

    # The site builds from the merged tree: upstream's new templates, the fork's own pages
    # and about page. (In Actions, GITHUB_REPOSITORY gives the address.)
    monkeypatch.setenv("GITHUB_REPOSITORY", "forker/jobpicks")
    built = build(load_config(fork / "jobpicks.yml"), fork / "mkdocs.yml", strict=True)
    assert built.days == 30 and built.picks == 90
    about = (built.site_dir / "about" / "index.html").read_text(encoding="utf-8")
    assert "About my search" in about and "Release 2" not in about
    day = (built.site_dir / "picks" / "2026" / "2026-11-30" / "index.html").read_text()
    assert RELEASE_MARK in day
