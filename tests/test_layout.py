"""The files a user changes are files upstream never ships: the quick start reads the bundled
samples, and a fork's own jobpicks.yml, profile.md and about page win over them."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from click.testing import CliRunner
from conftest import ROOT

from generator.cli import cli
from generator.config import load_config
from generator.site.builder import stage
from generator.site.derive import ASSETS, collect
from generator.site.engine import Engine

USER_FILES = ("jobpicks.yml", "profile.md", "docs/about.md", "feedback.yml")
"""What a fork writes and upstream must never ship, so "Sync fork" cannot conflict on them."""


def _sample_checkout(folder: Path) -> None:
    shutil.copytree(ROOT / "samples", folder / "samples", ignore=shutil.ignore_patterns("*.py"))
    (folder / "docs").mkdir()


def test_upstream_ships_none_of_the_files_a_user_changes() -> None:
    tracked = subprocess.run(
        ["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.splitlines()
    assert not [name for name in tracked if name in USER_FILES]
    assert [name for name in tracked if name.startswith("docs/")] == ["docs/picks/.gitkeep"]


def test_without_a_config_of_ones_own_the_bundled_sample_runs_and_says_so(
    tmp_path: Path,
) -> None:
    _sample_checkout(tmp_path)
    result = CliRunner().invoke(cli, ["run", "--date", "2026-11-23"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert result.output.startswith(
        "No jobpicks.yml here: using the bundled sample config (samples/jobpicks.yml)"
    )
    assert (tmp_path / "docs" / "picks" / "2026" / "2026-11-23.md").is_file()
    assert not (tmp_path / "samples" / "docs").exists()


def test_a_jobpicks_yml_of_ones_own_wins_and_is_not_announced(tmp_path: Path) -> None:
    _sample_checkout(tmp_path)
    text = (tmp_path / "samples" / "jobpicks.yml").read_text(encoding="utf-8")
    own = text.replace("profile: profile.md", "profile: samples/profile.md")
    own = own.replace("docs_dir: ../docs", "docs_dir: docs")
    own = own.replace("url: feeds/", "url: samples/feeds/")
    (tmp_path / "jobpicks.yml").write_text(own.replace("picks_per_day: 20", "picks_per_day: 3"))
    result = CliRunner().invoke(cli, ["run", "--date", "2026-11-23", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "using the bundled sample config" not in result.output
    assert len([line for line in result.output.splitlines() if "<http" in line]) == 3


def test_no_config_anywhere_says_how_to_write_one(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["run"])
    assert result.exit_code == 1
    assert "jobpicks.yml: config file not found (`jobpicks init` writes one)" in result.output


def _staged_about(project: Path) -> str:
    config = load_config(project / "samples" / "jobpicks.yml")
    engine = Engine(project / "mkdocs.yml", project / "build" / "docs", project / "site")
    stage(config, engine, collect([]))
    return (engine.staging / "about.md").read_text(encoding="utf-8")


def test_the_shipped_about_page_unless_the_user_wrote_one(tmp_path: Path) -> None:
    _sample_checkout(tmp_path)
    assert _staged_about(tmp_path) == (ASSETS / "about.md").read_text(encoding="utf-8")
    (tmp_path / "docs" / "about.md").write_text("# About my search\n", encoding="utf-8")
    assert _staged_about(tmp_path) == "# About my search\n"
