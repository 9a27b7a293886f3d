"""What the owner must hear about: each source's outcome on the page, the warning count, the
sample guard, a source failing run after run, days without news, a model given up and a
checker cut off, each from real runs of the CLI."""

from __future__ import annotations

import datetime as dt
import shutil
import socket
from pathlib import Path
from types import SimpleNamespace

import pytest
from click.testing import CliRunner, Result
from conftest import ROOT, SAMPLE_SOURCES, SAMPLES, FeedServer, write_config

from generator import health, pages
from generator.cli import cli
from generator.config import load_config
from generator.models import DayPage, LinkCheck, Pick, SourceOutcome

DAYS = [dt.date(2026, 11, 21), dt.date(2026, 11, 22), dt.date(2026, 11, 23)]


def _jp(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def _page(config_path: Path, date: dt.date) -> DayPage:
    return pages.read(pages.page_path(load_config(config_path).picks_dir, date))


def _good_and_bad(tmp_path: Path, server: FeedServer, **extra: object) -> Path:
    sources = [
        {"type": "rss", "name": "Good", "url": str(SAMPLES / "remote-board.xml")},
        {"type": "rss", "name": "Gone", "url": server.add("/gone.xml", "no such feed", 404)},
    ]
    return write_config(tmp_path, sources, **extra)


# -- the run's record and its warning count -----------------------------------------------------


def test_the_page_records_each_source_and_the_last_line_counts_warnings(
    tmp_path: Path, feed_server: FeedServer
) -> None:
    config_path = _good_and_bad(tmp_path, feed_server)
    done = _jp("run", "--config", str(config_path), "--date", "2026-11-23")
    assert done.exit_code == 0, done.output
    last = done.stdout.strip().splitlines()[-1]
    assert last.startswith("Done: 2 sources (1 failed), 100 postings, ")
    assert ", 1 warning -> " in last
    assert done.stderr.count("WARNING:") == 1 and "feed Gone: HTTP 404" in done.stderr
    day = _page(config_path, DAYS[2])
    assert day.sources[0] == SourceOutcome(name="feed Good", postings=100)
    assert day.sources[1].name == "feed Gone" and day.sources[1].postings is None
    assert "HTTP 404" in day.sources[1].error
    assert day.warnings == 1
    assert day.new_postings == 100 and day.bar == 60 and day.best_score is not None


def test_strict_fails_on_a_warning_and_keeps_the_page(
    tmp_path: Path, feed_server: FeedServer
) -> None:
    config_path = _good_and_bad(tmp_path, feed_server)
    done = _jp("run", "--strict", "--config", str(config_path), "--date", "2026-11-23")
    assert done.exit_code == 1
    assert "Error: 1 warning with --strict (see above); the page was written" in done.stderr
    assert _page(config_path, DAYS[2]).warnings == 1
    (tmp_path / "clean").mkdir()
    clean = write_config(tmp_path / "clean", SAMPLE_SOURCES)
    done = _jp("run", "--strict", "--config", str(clean), "--date", "2026-11-23")
    assert done.exit_code == 0, done.output
    assert ", 0 warnings -> " in done.stdout


# -- the bundled samples ------------------------------------------------------------------------


def test_a_fork_left_on_the_samples_fails_in_github_actions(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config_path = write_config(tmp_path, SAMPLE_SOURCES, allow_samples=False)
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    done = _jp("run", "--config", str(config_path), "--date", "2026-11-23")
    assert done.exit_code == 1
    message = done.stderr
    assert "refusing to publish the bundled samples from GitHub Actions" in message
    assert f"{config_path}: 3 sources of 3 are the bundled sample feeds" in message
    assert f"{tmp_path / 'profile.md'}: the profile is the bundled sample" in message
    assert "`jobpicks init`" in message and "`allow_samples: true`" in message
    assert not (tmp_path / "docs").exists()

    (tmp_path / "demo").mkdir()
    on_purpose = write_config(tmp_path / "demo", SAMPLE_SOURCES, allow_samples=True)
    done = _jp("run", "--config", str(on_purpose), "--date", "2026-11-23")
    assert done.exit_code == 0, done.output
    assert "WARNING" not in done.stderr


def test_outside_actions_the_samples_are_warnings(tmp_path: Path) -> None:
    config_path = write_config(tmp_path, SAMPLE_SOURCES, allow_samples=False)
    done = _jp("run", "--config", str(config_path), "--date", "2026-11-23")
    assert done.exit_code == 0, done.output
    assert done.stderr.count("WARNING:") == 2
    assert _page(config_path, DAYS[2]).warnings == 2


def test_samples_are_told_by_content_not_by_where_they_live(tmp_path: Path) -> None:
    """A copy of a sample feed in a folder of its own is still the samples; a feed and a
    profile of one's own are not, even under the sample file names."""
    (tmp_path / "feeds").mkdir()
    copy = tmp_path / "feeds" / "jobs.xml"
    shutil.copy(SAMPLES / "careers.atom", copy)
    own = tmp_path / "feeds" / "remote-board.xml"
    own.write_bytes((SAMPLES / "remote-board.xml").read_bytes().replace(b"Polaris", b"Acme"))
    config_path = write_config(
        tmp_path,
        [{"name": "copy", "url": str(copy)}, {"name": "own", "url": str(own)}],
        allow_samples=False,
    )
    config = load_config(config_path)
    problems = health.sample_problems(config, config_path)
    assert len(problems) == 2
    assert "1 source of 2 is the bundled sample feeds of invented jobs (copy)" in problems[0]

    profile = tmp_path / "profile.md"
    profile.write_text(profile.read_text().replace("Sample Candidate", "Ada"))
    assert health.sample_problems(config, config_path) == problems[:1]
    moved = tmp_path / "samples" / "feeds"
    moved.mkdir(parents=True)
    (moved / "x.xml").write_text("<rss/>")  # a samples/feeds/ file is a sample, read or not
    other = write_config(tmp_path, [{"url": str(moved / "x.xml")}], allow_samples=False)
    assert health.sample_problems(load_config(other), other)[0].startswith(f"{other}: 1 source")


def _clone(folder: Path) -> Path:
    """What the quick start runs in: the clone's sample config, profile and feeds, its
    mkdocs.yml and theme, and a docs/ folder without pages."""
    shutil.copytree(ROOT / "samples", folder / "samples", ignore=shutil.ignore_patterns("*.py"))
    shutil.copy(ROOT / "mkdocs.yml", folder / "mkdocs.yml")
    shutil.copytree(ROOT / "generator" / "theme", folder / "generator" / "theme")
    (folder / "docs" / "picks").mkdir(parents=True)
    return folder


def _site(folder: Path) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in (folder / "site").rglob("*") if p.is_file()}


def test_a_sample_day_says_so_and_gives_way_to_your_own(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The quick start's days are marked; the reader's first own run replaces the one of its
    date without --force, and `build` names the others until they are deleted."""
    clone = _clone(tmp_path / "clone")
    monkeypatch.chdir(clone)
    for args in (["--date", "2026-11-29"], []):  # the quick start, on two days
        done = _jp("run", *args)
        assert done.exit_code == 0, done.output
        assert "using the bundled sample config" in done.stderr
    earlier = clone / "docs/picks/2026/2026-11-29.md"
    today = clone / "docs/picks/2026/2026-11-30.md"
    assert pages.read(today).sample and pages.read(earlier).sample
    assert "\nsample: true\n" in today.read_text(encoding="utf-8")
    assert pages.SAMPLE_NOTE in today.read_text(encoding="utf-8")
    quick = _jp("build")  # the quick start's site is the sample days, said by no warning
    assert quick.exit_code == 0, quick.output
    assert "Built " in quick.stdout and "2 days" in quick.stdout
    assert "written from the bundled samples" not in quick.stderr

    # `jobpicks init`'s outcome: a feed and a profile of one's own, the site's address.
    own = clone / "own.xml"
    own.write_bytes((SAMPLES / "remote-board.xml").read_bytes().replace(b"Polaris", b"Acme"))
    profile = (ROOT / "samples" / "profile.md").read_text(encoding="utf-8")
    (clone / "profile.md").write_text(profile.replace("Sample Candidate", "Ada"))
    write_config(
        clone,
        [{"name": "Mine", "url": str(own)}],
        allow_samples=False,
        site={"url": "https://ada.example.org/"},
    )
    done = _jp("run")
    assert done.exit_code == 0, done.output
    assert f"-> {today} (replacing the sample day of invented jobs" in done.stdout
    assert not pages.read(today).sample
    again = _jp("run")  # the reader's own page is theirs: left alone as ever
    assert again.exit_code == 0 and "already exists; left untouched" in again.stdout

    built = _jp("build")
    assert built.exit_code == 0, built.output
    assert "1 day page written from the bundled samples, of invented jobs, is still" in (
        built.stderr
    )
    assert f"`rm {earlier}`" in built.stderr and str(today) not in built.stderr
    site = _site(clone)
    strict = _jp("build", "--strict")
    assert strict.exit_code == 1
    assert "Error: 1 day page written from the bundled samples" in strict.stderr
    assert "the previous site is unchanged" in strict.stderr
    assert _site(clone) == site
    earlier.unlink()
    assert _jp("build", "--strict").exit_code == 0


# -- history: three real runs ---------------------------------------------------------------------


def test_a_source_failing_on_three_runs_in_a_row_is_named_with_since_when(
    tmp_path: Path, feed_server: FeedServer
) -> None:
    config_path = _good_and_bad(tmp_path, feed_server)
    outputs = []
    for day in DAYS:
        done = _jp("run", "--config", str(config_path), "--date", day.isoformat())
        assert done.exit_code == 0, done.output
        outputs.append(done.stderr)
    assert [out.count("WARNING:") for out in outputs] == [1, 1, 2]
    finding = outputs[2].splitlines()[-1]
    assert finding.startswith(
        "WARNING: source feed Gone has failed on each of the last 3 runs, since 2026-11-21: "
        "HTTP 404"
    )
    assert _page(config_path, DAYS[2]).warnings == 2

    # The source is back: the streak is over.
    feed_server.add("/gone.xml", (SAMPLES / "job-search.xml").read_bytes())
    done = _jp("run", "--config", str(config_path), "--date", "2026-11-24")
    assert done.exit_code == 0 and "WARNING" not in done.stderr, done.output


def test_three_runs_without_a_new_posting(tmp_path: Path) -> None:
    config_path = write_config(
        tmp_path, SAMPLE_SOURCES, filters={"title_include": ["^no such title$"]}
    )
    for day in DAYS:
        done = _jp("run", "--config", str(config_path), "--date", day.isoformat())
        assert done.exit_code == 0, done.output
    assert done.stderr.strip().splitlines()[-1] == (
        "WARNING: no new posting on the last 3 runs, since 2026-11-21: check that the sources "
        "still list jobs and that the filters let some through"
    )
    assert _page(config_path, DAYS[2]).new_postings == 0


def test_history_skips_pages_no_run_wrote_and_stops_at_a_gap() -> None:
    def run(date: dt.date, failed: bool, new: int = 5) -> DayPage:
        outcome = SourceOutcome(name="feed X", error="timeout") if failed else None
        return DayPage(
            date=date,
            sources=(outcome or SourceOutcome(name="feed X", postings=3),),
            new_postings=new,
        )

    imported = DayPage(date=dt.date(2026, 11, 20))  # `jobpicks import`: no run record
    history = [run(dt.date(2026, 11, 21), True), imported, run(dt.date(2026, 11, 19), True)]
    today = run(dt.date(2026, 11, 22), True)
    assert health.history_findings(today, iter(history)) == [
        "source feed X has failed on each of the last 3 runs, since 2026-11-19: timeout"
    ]
    history[0] = run(dt.date(2026, 11, 21), False, new=0)
    assert health.history_findings(today, iter(history)) == []


# -- the model and the checker --------------------------------------------------------------------


def test_a_model_given_up_is_a_finding_whichever_way_the_scorer_says_so() -> None:
    assert health.fallback_of(SimpleNamespace(name="openai", fallback="")) == ""
    assert health.fallback_of(SimpleNamespace(name="x", fallback="connection refused")) == (
        "connection refused"
    )
    said_by_name = SimpleNamespace(name="local (openai unreachable)")
    assert health.fallback_of(said_by_name) == "the model could not be reached"
    day = DayPage(date=DAYS[2], scorer="local (openai unreachable)")
    assert health.day_findings(day) == [
        "the model was given up on 2026-11-23 and the day was scored by the local scorer: "
        "the model could not be reached"
    ]


def test_a_check_that_reaches_nothing_is_recorded_on_the_day_and_warned(
    tmp_path: Path, feed_server: FeedServer
) -> None:
    # The postings are on 127.0.0.1, which the checker refuses unless told.
    config_path = write_config(tmp_path, SAMPLE_SOURCES, liveness={"allow_private": True})
    config = load_config(config_path)
    blocked = [
        Pick(
            id=f"p{n}",
            title="Engineer",
            company="Acme",
            url=feed_server.add(f"/{n}", "", 503),
            score=80,
        )
        for n in range(3)
    ]
    pages.write(DayPage(date=DAYS[1], picks=tuple(blocked), scorer="local"), config.picks_dir)
    pages.write(DayPage(date=DAYS[2], scorer="local"), config.picks_dir)
    done = _jp("check", "--config", str(config_path), "--date", "2026-11-23")
    assert done.exit_code == 0, done.output
    assert (
        "WARNING: `jobpicks check` on 2026-11-23 could reach none of the 3 postings it tried"
        in done.stderr
    )
    today = _page(config_path, DAYS[2])
    assert today.link_check == LinkCheck(tried=3, reached=0)
    assert health.check_finding(DAYS[2], LinkCheck(tried=3)) in health.day_findings(today)

    feed_server.add("/0", "<html><body>Engineer at Acme. Apply now.</body></html>")
    done = _jp("check", "--config", str(config_path), "--date", "2026-11-23")
    assert done.exit_code == 0 and "WARNING" not in done.stderr, done.output
    assert _page(config_path, DAYS[2]).link_check == LinkCheck(tried=3, reached=1)
    # Everything answered: a third check that day tries nothing and keeps the record.
    for n in (1, 2):
        feed_server.add(f"/{n}", "<html><body>Engineer at Acme. Apply now.</body></html>")
    done = _jp("check", "--config", str(config_path), "--date", "2026-11-23")
    assert _page(config_path, DAYS[2]).link_check == LinkCheck(tried=2, reached=2)
    done = _jp("check", "--config", str(config_path), "--date", "2026-11-23")
    assert done.exit_code == 0, done.output
    assert _page(config_path, DAYS[2]).link_check == LinkCheck(tried=2, reached=2)


def test_a_day_scored_locally_because_the_model_was_down_says_so_on_its_page(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed = probe.getsockname()[1]
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-health-0000000000")
    config_path = write_config(
        tmp_path,
        SAMPLE_SOURCES,
        scoring={"base_url": f"http://127.0.0.1:{closed}/v1", "max_retries": 0},
    )
    done = _jp("run", "--config", str(config_path), "--date", "2026-11-23")
    assert done.exit_code == 0, done.output
    day = _page(config_path, DAYS[2])
    assert day.fallback and day.warnings == 1
    assert health.day_findings(day)[0].startswith(
        "the model was given up on 2026-11-23 and the day was scored by the local scorer: "
    )
