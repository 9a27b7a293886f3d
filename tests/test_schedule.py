"""The reader's morning: the hourly wake-ups let the day through only in the hour before the
configured `reading_hour`, in the configured time zone, with no install before the check."""

from __future__ import annotations

import ast
import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import ROOT

from generator.config import load_config
from generator.schedule import decide, read_settings

WORKFLOW = ROOT / ".github" / "workflows" / "daily.yml"


def _utc(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=dt.UTC)


def _config(folder: Path, timezone: str, hour: int = 7) -> Path:
    path = folder / "jobpicks.yml"
    path.write_text(
        f"# mine\ntimezone: {timezone}   # where I read\nreading_hour: {hour}\n"
        "docs_dir: docs\nsources:\n  - url: feed.xml\n",
        encoding="utf-8",
    )
    return path


@pytest.mark.parametrize(
    ("timezone", "now", "run", "day"),
    [
        # Tokyo (UTC+9): 05:17 UTC is 14:17 there, the afternoon; 21:17 UTC the next morning.
        ("Asia/Tokyo", "2026-11-23T05:17", False, "2026-11-23"),
        ("Asia/Tokyo", "2026-11-22T21:17", True, "2026-11-23"),
        # Los Angeles (UTC-8): 05:17 UTC is 21:17 the evening before; 14:17 UTC is 06:17.
        ("America/Los_Angeles", "2026-11-23T05:17", False, "2026-11-22"),
        ("America/Los_Angeles", "2026-11-23T14:17", True, "2026-11-23"),
        # Two more wake-ups catch a run GitHub delayed or dropped; then the day waits.
        ("America/Los_Angeles", "2026-11-23T16:17", True, "2026-11-23"),
        ("America/Los_Angeles", "2026-11-23T17:17", False, "2026-11-23"),
    ],
)
def test_a_morning_and_an_evening_time_zone(
    tmp_path: Path, timezone: str, now: str, run: bool, day: str
) -> None:
    decision = decide(_utc(now), "schedule", _config(tmp_path, timezone))
    assert decision.run is run, decision.reason
    assert day in decision.reason and timezone in decision.reason


def test_a_day_already_written_is_not_written_again(tmp_path: Path) -> None:
    config = _config(tmp_path, "America/Los_Angeles")
    page = tmp_path / "docs" / "picks" / "2026" / "2026-11-23.md"
    page.parent.mkdir(parents=True)
    page.write_text("---\n---\n", encoding="utf-8")
    decision = decide(_utc("2026-11-23T15:17"), "schedule", config)
    assert not decision.run and "already written" in decision.reason


def test_a_manual_run_always_runs_and_a_fork_without_a_config_waits(tmp_path: Path) -> None:
    config = _config(tmp_path, "America/Los_Angeles")
    assert decide(_utc("2026-11-23T05:17"), "workflow_dispatch", config).run
    missing = decide(_utc("2026-11-23T14:17"), "schedule", tmp_path / "none" / "jobpicks.yml")
    assert not missing.run and "jobpicks init" in missing.reason
    assert decide(_utc("2026-11-23T14:17"), "workflow_dispatch", tmp_path / "none.yml").run


def test_the_line_reader_agrees_with_the_config_model() -> None:
    sample = ROOT / "samples" / "jobpicks.yml"
    config = load_config(sample)
    settings = read_settings(sample.read_text(encoding="utf-8"))
    assert settings["timezone"] == config.timezone
    assert int(settings["reading_hour"]) == config.reading_hour
    assert (sample.parent / settings["docs_dir"]).resolve() == config.docs_dir.resolve()
    quoted = read_settings("timezone: \"Asia/Tokyo\" # x\nreading_hour: '6'\n  timezone: UTC\n")
    assert quoted == {"timezone": "Asia/Tokyo", "reading_hour": "6"}


def test_the_check_needs_nothing_but_the_standard_library() -> None:
    tree = ast.parse((ROOT / "generator" / "schedule.py").read_text(encoding="utf-8"))
    imported = {
        name.split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for name in (
            [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
        )
    }
    assert imported - {"__future__"} <= set(sys.stdlib_module_names), imported


def test_the_workflow_checks_the_hour_before_installing_anything(tmp_path: Path) -> None:
    workflow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    morning, daily = workflow["jobs"]["morning"], workflow["jobs"]["daily"]
    assert [step.get("uses", "").split("@")[0] for step in morning["steps"]] == [
        "actions/checkout",
        "",
    ]
    assert morning["permissions"] == {"contents": "read"}
    # The day's job (and the feedback job before it) runs only when `morning` lets it.
    for job in (daily, workflow["jobs"]["feedback"]):
        assert "morning" in job["needs"]
        assert "needs.morning.outputs.run == 'true'" in job["if"]
    assert morning["outputs"]["run"] == "${{ steps.gate.outputs.run }}"
    assert workflow[True]["schedule"] == [{"cron": "17 * * * *"}]  # PyYAML reads `on` as True

    gate = morning["steps"][1]
    (tmp_path / "generator").mkdir()
    (tmp_path / "generator" / "schedule.py").write_bytes(
        (ROOT / "generator" / "schedule.py").read_bytes()
    )
    _config(tmp_path, "Asia/Tokyo")
    for now, expected in (("2026-11-22T21:17:00Z", "true"), ("2026-11-23T05:17:00Z", "false")):
        output = tmp_path / f"output-{expected}"
        env = {
            "PATH": os.environ["PATH"],
            "HOME": os.environ.get("HOME", "/"),
            "EVENT": "schedule",
            "JOBPICKS_NOW": now,
            "GITHUB_OUTPUT": str(output),
        }
        done = subprocess.run(
            ["bash", "-e", "-c", gate["run"]], cwd=tmp_path, env=env, capture_output=True, text=True
        )
        assert done.returncode == 0, done.stderr
        assert output.read_text() == f"run={expected}\n"
        assert "Asia/Tokyo" in done.stdout
