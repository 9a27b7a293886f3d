"""The global options work wherever a user types them, and -v says what each stage did."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import cli

STAGES = ("sources:", "dedupe:", "filters:", "scoring:", "selection:")


def _run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize("where", ["before", "after"])
def test_verbose_shows_each_stage_and_source(sample_project: Path, where: str) -> None:
    run = ["run", "--config", str(sample_project), "--date", "2026-11-23", "--dry-run"]
    args = ["-v", *run] if where == "before" else [*run, "--verbose"]
    code, _, err = _run(*args)
    assert code == 0, err
    lines = err.splitlines()
    for stage in STAGES:
        assert any(line.startswith(stage) and line.endswith(" s") for line in lines), stage
    sources = [line for line in lines if line.startswith("  source ")]
    assert len(sources) == 3
    assert all("postings in" in line for line in sources)
    assert any("308 postings from 3 sources" in line for line in lines)


def test_without_verbose_no_stage_lines(sample_project: Path) -> None:
    code, _, err = _run("run", "--config", str(sample_project), "--date", "2026-11-23", "--dry-run")
    assert code == 0
    assert not any(line.startswith(STAGES) for line in err.splitlines())


@pytest.mark.parametrize("where", ["before", "after"])
def test_debug_is_accepted_before_and_after_the_command(tmp_path: Path, where: str) -> None:
    """--debug shows the traceback of an unexpected error wherever it was typed."""
    config = tmp_path / "jobpicks.yml"
    config.write_text("sources: [{url: feed.xml}]\nprofile: missing-dir/\n")
    args = ["run", "--config", str(config), "--dry-run"]
    args = ["--debug", *args] if where == "before" else [*args, "--debug"]
    env = {k: v for k, v in os.environ.items() if k != "JOBPICKS_DEBUG"}
    done = subprocess.run(
        [sys.executable, "-m", "generator", *args],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
    )
    assert "No such option" not in done.stderr
    assert done.returncode != 0
    assert "profile not found" in done.stderr


def test_every_command_takes_the_global_options() -> None:
    for name, command in cli.commands.items():
        options = {opt for param in command.params for opt in param.opts}
        assert {"--debug", "-v", "--verbose"} <= options, name
