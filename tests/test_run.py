"""The daily run end to end: sample feeds in, a page out; golden output, idempotence, CLI."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import SAMPLE_SOURCES, SAMPLES, FeedServer, write_config

from generator import pages, sources
from generator.cli import cli
from generator.config import load_config
from generator.errors import ConfigError, SourceError
from generator.models import DayPage, Pick
from generator.pipeline import RunResult, run_day

GOLDEN = Path(__file__).parent / "golden"
DAY = dt.date(2026, 11, 23)


def _invoke(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.output


def test_golden_sample_day(sample_project: Path) -> None:
    """Sample feeds -> the committed expected page, byte for byte.

    Regenerate after an intended change with:
    JOBPICKS_REGOLD=1 pytest tests/test_run.py -k golden
    """
    code, output = _invoke("run", "--config", str(sample_project), "--date", "2026-11-23")
    assert code == 0, output
    assert output.startswith("Scorer: local (no API key; set OPENAI_API_KEY")
    assert "\nDone: 3 sources, 308 postings, 290 new, 20 picks, 0 warnings -> " in output
    assert "8 repeated ids dropped; 10 postings of the same job merged; 11 aggregator" in output
    written = sample_project.parent / "docs/picks/2026/2026-11-23.md"
    expected = GOLDEN / "2026-11-23.md"
    if os.environ.get("JOBPICKS_REGOLD") == "1":
        expected.write_text(written.read_text(encoding="utf-8"), encoding="utf-8")
    assert written.read_text(encoding="utf-8") == expected.read_text(encoding="utf-8")


def test_rerun_leaves_the_page_alone_and_force_rewrites_it_identically(
    sample_project: Path,
) -> None:
    _invoke("run", "--config", str(sample_project), "--date", "2026-11-23")
    page = sample_project.parent / "docs/picks/2026/2026-11-23.md"
    before = page.read_bytes()
    page_mtime = page.stat().st_mtime_ns
    code, output = _invoke("run", "--config", str(sample_project), "--date", "2026-11-23")
    assert code == 0 and "already exists; left untouched" in output
    assert page.stat().st_mtime_ns == page_mtime
    code, output = _invoke(
        "run", "--config", str(sample_project), "--date", "2026-11-23", "--force"
    )
    assert code == 0 and page.read_bytes() == before


def test_dry_run_shows_picks_and_writes_nothing(sample_project: Path) -> None:
    code, output = _invoke(
        "run", "--config", str(sample_project), "--date", "2026-11-23", "--dry-run"
    )
    assert code == 0
    assert len([line for line in output.splitlines() if "<https://" in line]) == 20
    assert "(dry run, nothing written)" in output
    assert not (sample_project.parent / "docs").exists()


def test_jobs_on_other_days_are_never_picked_again(sample_project: Path) -> None:
    config = load_config(sample_project)
    first = run_day(config, date=DAY)
    assert first.day is not None
    second = run_day(config, date=DAY + dt.timedelta(days=1))
    assert second.day is not None and len(second.day.picks) == 20
    assert not {p.id for p in first.day.picks} & {p.id for p in second.day.picks}
    assert second.new == first.new - 20
    # Deleting yesterday's page is all it takes to make its jobs eligible again.
    pages.page_path(config.picks_dir, DAY).unlink()
    again = run_day(config, date=DAY + dt.timedelta(days=1), force=True)
    assert again.day is not None and again.day.picks == first.day.picks


def test_duplicates_within_a_run_are_dropped(sample_project: Path) -> None:
    result = run_day(load_config(sample_project), date=DAY, dry_run=True)
    assert result.duplicates == 8 and result.merged == 10
    assert result.postings - result.duplicates - result.merged == result.new
    assert result.day is not None
    ids = [p.id for p in result.day.picks]
    assert len(ids) == len(set(ids))


def test_company_cap_holds_on_the_sample_day(sample_project: Path) -> None:
    result = run_day(load_config(sample_project), date=DAY, dry_run=True)
    assert result.day is not None
    companies = [p.company for p in result.day.picks]
    assert max(companies.count(c) for c in companies) <= 3


def test_all_sources_failing_writes_nothing_and_exits_non_zero(
    tmp_path: Path, feed_server: FeedServer
) -> None:
    config_path = write_config(
        tmp_path,
        [
            {"url": feed_server.add("/a.xml", "x", status=404), "name": "A"},
            {"url": feed_server.add("/b.xml", "x", status=500), "name": "B"},
        ],
    )
    code, output = _invoke("run", "--config", str(config_path), "--date", "2026-11-23")
    assert code == 1
    assert "all 2 sources failed; nothing written" in output
    assert not (tmp_path / "docs/picks").exists()
    with pytest.raises(SourceError):
        run_day(load_config(config_path), date=DAY)


def test_one_failing_source_is_a_warning_and_the_day_is_written(
    tmp_path: Path, feed_server: FeedServer
) -> None:
    config_path = write_config(
        tmp_path,
        [*SAMPLE_SOURCES, {"url": feed_server.add("/gone", "", status=404), "name": "Gone Board"}],
    )
    code, output = _invoke("run", "--config", str(config_path), "--date", "2026-11-23")
    assert code == 0
    assert "WARNING: feed Gone Board: HTTP 404" in output
    assert "Done: 4 sources (1 failed), 308 postings" in output
    assert (tmp_path / "docs/picks/2026/2026-11-23.md").exists()


def test_feeds_over_http_give_the_same_page_as_local_files(
    tmp_path: Path, feed_server: FeedServer
) -> None:
    sources = [
        {
            **s,
            "url": feed_server.add(
                f"/{Path(str(s['url'])).name}", Path(str(s["url"])).read_bytes()
            ),
        }
        for s in SAMPLE_SOURCES
    ]
    config_path = write_config(tmp_path, sources)
    run_day(load_config(config_path), date=DAY)
    page = pages.read(tmp_path / "docs/picks/2026/2026-11-23.md")
    assert page.warnings is None  # counted by the CLI's log handler, not by run_day
    golden = pages.read(Path(__file__).parent / "golden" / "2026-11-23.md")
    # Only local files are told to be the samples (`health.sample_sources`), not URLs.
    assert page == golden.model_copy(update={"warnings": None, "sample": False})


def test_bad_config_is_one_clear_line(tmp_path: Path) -> None:
    path = tmp_path / "jobpicks.yml"
    path.write_text("sources: []\nsurprise: 1\n")
    code, output = _invoke("run", "--config", str(path))
    assert code == 1
    assert "sources: Value error, no sources yet: add a feed or a company board" in output
    assert "surprise: unknown key" in output
    assert "Traceback" not in output


def test_bad_date_flag_is_rejected(sample_project: Path) -> None:
    code, output = _invoke("run", "--config", str(sample_project), "--date", "23/11/2026")
    assert code == 2 and "not a date in YYYY-MM-DD form" in output


def test_broken_earlier_page_stops_the_run_and_names_the_file(sample_project: Path) -> None:
    broken = sample_project.parent / "docs/picks/2026/2026-11-20.md"
    broken.parent.mkdir(parents=True)
    broken.write_text("---\ndate: 2026-11-20\npicks: [\n---\n")
    code, output = _invoke("run", "--config", str(sample_project), "--date", "2026-11-23")
    assert code == 1 and "2026-11-20.md" in output and "broken front matter" in output
    assert not (sample_project.parent / "docs/picks/2026/2026-11-23.md").exists()


def test_second_run_while_one_holds_the_lock_stops_clearly(sample_project: Path) -> None:
    from generator.files import exclusive_lock

    config = load_config(sample_project)
    with exclusive_lock(config.docs_dir, "running"):
        code, output = _invoke("run", "--config", str(sample_project), "--date", "2026-11-23")
    assert code == 1 and "another jobpicks command is already running" in output
    assert not pages.page_path(config.picks_dir, DAY).exists()


def test_written_page_round_trips(sample_project: Path) -> None:
    result = run_day(load_config(sample_project), date=DAY)
    assert isinstance(result.day, DayPage)
    assert pages.read(result.path) == result.day
    assert pages.parse(pages.render(result.day), "x") == result.day


@pytest.mark.parametrize(
    "text",
    ["", "---\n---\n", "---\nremote: preferred\n---\nI want a calm backend job near Berlin.\n"],
    ids=["zero-bytes", "empty-front-matter", "prose-only"],
)
def test_a_profile_the_local_scorer_cannot_use_stops_before_fetching(
    tmp_path: Path, feed_server: FeedServer, text: str
) -> None:
    url = feed_server.add("/feed.xml", (SAMPLES / "remote-board.xml").read_bytes())
    (tmp_path / "profile.md").write_text(text, encoding="utf-8")
    config_path = write_config(tmp_path, [{"url": url, "name": "Board"}])
    code, output = _invoke("run", "--config", str(config_path), "--date", "2026-11-23")
    assert code == 1, output
    assert f"{tmp_path / 'profile.md'}: the profile gives the local scorer nothing" in output
    assert "`titles`" in output and "`must_have`" in output
    assert feed_server.requests == []
    assert not (tmp_path / "docs/picks").exists()


def test_an_empty_profile_is_refused_for_a_model_too(tmp_path: Path) -> None:
    (tmp_path / "profile.md").write_text("", encoding="utf-8")
    config_path = write_config(tmp_path, SAMPLE_SOURCES)
    code, output = _invoke(
        "run", "--config", str(config_path), "--date", "2026-11-23", "--api-key", "sk-test"
    )
    assert code == 1 and "the profile is empty" in output


def test_a_prose_only_profile_is_enough_for_a_model(tmp_path: Path) -> None:
    from generator.profile import Profile, require_usable

    require_usable(Profile(prose="Backend work in Berlin."), tmp_path / "p.md", "openai")


def test_a_backfill_uses_only_postings_from_on_or_before_its_day(sample_project: Path) -> None:
    config = load_config(sample_project)
    day = dt.date(2026, 11, 20)
    result = run_day(config, date=day, dry_run=True, today=DAY)
    assert result.day is not None and result.day.picks
    assert all(p.posted is None or p.posted <= day for p in result.day.picks)
    collected = sources.collect(config.sources, config.fetch)
    later = [j for j in collected.jobs if j.posted is not None and j.posted > day]
    assert later and result.later == len(later)
    assert f"{result.later} posted after 2026-11-20 left out" in result.details()


def test_a_day_before_every_posting_picks_nothing(sample_project: Path) -> None:
    result = run_day(load_config(sample_project), date=dt.date(2019, 1, 1), today=DAY)
    assert result.day is not None and result.day.picks == ()
    assert result.later == result.postings


def test_a_day_after_today_is_an_error_naming_the_date_and_zone(sample_project: Path) -> None:
    with pytest.raises(
        ConfigError, match=r"2026-11-24 is after today \(2026-11-23 in Europe/Berlin"
    ):
        run_day(load_config(sample_project), date=DAY + dt.timedelta(days=1), today=DAY)
    code, output = _invoke("run", "--config", str(sample_project), "--date", "2030-01-01")
    assert code == 1 and "--date 2030-01-01 is after today" in output
    assert not (sample_project.parent / "docs").exists()


def test_summary_says_what_to_do_next(sample_project: Path) -> None:
    code, output = _invoke("run", "--config", str(sample_project), "--date", "2026-11-23")
    assert code == 0
    assert output.rstrip().endswith("next: `jobpicks build`, then `jobpicks serve` to preview")


def test_force_keeps_the_picks_the_reader_judged_on_their_own_day(sample_project: Path) -> None:
    """Verdicts keep a job off LATER days; re-running the day it was picked keeps it there,
    as it was, so the verdict still names a pick and the Applications page its day."""
    config = sample_project
    _invoke("run", "--config", str(config), "--date", "2026-11-23")
    path = sample_project.parent / "docs/picks/2026/2026-11-23.md"
    before = pages.read(path).picks
    applied, dismissed, company, saved = before[0], before[1], before[2], before[5]
    for verdict, pick, extra in [
        ("applied", applied, []),
        ("dismissed", dismissed, ["--reason", "skills"]),
        ("dismissed", company, ["--reason", "company"]),
        ("saved", saved, []),
    ]:
        code, output = _invoke("feedback", verdict, pick.id, *extra, "--config", str(config))
        assert code == 0, output
    code, output = _invoke("run", "--config", str(config), "--date", "2026-11-23", "--force")
    assert code == 0, output
    after = pages.read(path)
    judged = {p.id: p for p in after.picks if p.id in {applied.id, dismissed.id, company.id}}
    assert judged == {p.id: p for p in (applied, dismissed, company)}  # as they were
    assert saved in after.picks
    assert len(after.picks) == 20
    assert [p.score for p in after.picks] == sorted((p.score for p in after.picks), reverse=True)
    ids = [p.id for p in after.picks]
    assert len(ids) == len(set(ids))
    companies = [p.company for p in after.picks]
    assert max(companies.count(c) for c in companies) <= 3  # the judged take their share
    assert "4 picks with your verdicts kept as they were" in output
    # The next run finds every verdict's pick on a page.
    code, output = _invoke("run", "--config", str(config), "--date", "2026-11-24", "-v")
    assert code == 0 and "name no pick" not in output, output


def test_the_filters_line_counts_what_the_verdicts_kept_out(sample_project: Path) -> None:
    """`-v`'s filters line adds up: what the filters removed and what the verdicts kept out."""
    import re

    config = str(sample_project)
    _invoke("run", "--config", config, "--date", "2026-11-23")
    first = pages.read(sample_project.parent / "docs/picks/2026/2026-11-23.md")
    company = first.picks[0].company
    _invoke("feedback", "dismissed", first.picks[0].id, "--reason", "company", "--config", config)
    code, output = _invoke("run", "--config", config, "--date", "2026-11-24", "-v")
    assert code == 0, output
    line = re.search(r"filters: (\d+) -> (\d+) postings \((.*)\) in ", output)
    assert line is not None, output
    before, after, why = int(line[1]), int(line[2]), line[3]
    kept = re.fullmatch(r"(\d+) kept out by your verdicts: company \1", why)
    assert kept is not None, why
    assert before - after == int(kept[1]) > 0
    page = pages.read(sample_project.parent / "docs/picks/2026/2026-11-24.md")
    assert all(p.company != company for p in page.picks)
    # The page records it, for the site's day line (`site/dayline.py`); before any verdict,
    # nothing.
    assert page.kept_out == int(kept[1]) and page.feedback == 1
    assert first.kept_out is None


def test_the_filters_line_names_each_cause() -> None:
    from collections import Counter

    from generator.filters import Filtered

    result = RunResult(DAY, Path("x"), ruled_out={"dismissed": 1, "company": 2}, held=1)
    filtered = Filtered([], Counter({"locations": 3, "title_exclude": 1}))
    assert result.removed(filtered) == (
        "4 by the filters: locations 3, title_exclude 1; "
        "3 kept out by your verdicts: company 2, dismissed 1; "
        "1 of the day's picks with your verdicts, kept as they were"
    )
    assert RunResult(DAY, Path("x")).removed(Filtered([], Counter())) == "none removed"


def test_the_last_line_counts_in_words_that_agree() -> None:
    day = DayPage(
        date=dt.date(2026, 11, 23),
        picks=(
            Pick(id="p1", title="Engineer", company="Acme", url="https://a.example/", score=80),
        ),
    )
    one = RunResult(dt.date(2026, 11, 23), Path("p.md"), day, sources=1, postings=1, new=1)
    one.warnings = 1
    assert one.summary().startswith("Done: 1 source, 1 posting, 1 new, 1 pick, 1 warning -> ")


def test_a_local_server_without_a_key_is_told_any_key_will_do(tmp_path: Path) -> None:
    """scoring.base_url set and no key: the run scores locally and says a local server
    needs a key too, any non-empty one."""
    config = write_config(tmp_path, SAMPLE_SOURCES, scoring={"base_url": "http://127.0.0.1:9/v1"})
    code, output = _invoke("run", "--config", str(config), "--date", "2026-11-23", "--dry-run")
    assert code == 0, output
    assert output.startswith(
        "Scorer: local (no API key; scoring.base_url is set: a local server needs any "
        "non-empty key, e.g. OPENAI_API_KEY=local)\n"
    )
