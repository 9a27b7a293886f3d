"""Filters, aggregator resolution and one-job-seen-once across sources and days."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest
from conftest import fixtures

from generator.config import FilterConfig
from generator.dedupe import (
    ShownJobs,
    collapse,
    employer_in_text,
    is_aggregator,
    resolve_aggregators,
)
from generator.filters import apply_filters
from generator.legacy import parse_legacy
from generator.models import Job

TODAY = dt.date(2026, 11, 23)


def _job(
    n: int,
    title: str = "Backend Engineer",
    company: str = "Acme",
    location: str = "Berlin, Germany",
    origin: str = "site",
    text: str = "",
    posted: dt.date | None = TODAY,
    url: str = "",
) -> Job:
    return Job(
        id=f"j{n}",
        title=title,
        company=company,
        location=location,
        url=url or f"https://example.com/{n}",
        description=text,
        posted=posted,
        source="t",
        origin=origin,
    )


@pytest.mark.parametrize(
    ("text", "employer"),
    [
        # Lensa, its whole preamble: "on behalf of its direct clients" names nobody.
        (
            "Lensa is a career site that helps job seekers find great jobs in the US. We are "
            "not a staffing firm or agency. Lensa does not hire directly for these jobs, but "
            "promotes jobs on LinkedIn on behalf of its direct clients, recruitment ad "
            "agencies, and marketing partners. Lensa partners with DirectEmployers to promote "
            "this job for Capital One. Apply now.",
            "Capital One",
        ),
        (
            "Lensa partners with DirectEmployers to promote this job for Bank of America.",
            "Bank of America",
        ),
        # myGwork
        ("This job is with Citi, an inclusive employer and a member of myGwork.", "Citi"),
        # Dice and staffing firms
        (
            "Dice is the leading career destination for tech experts at every stage of their "
            "careers. Our client, Aroha Technologies, is seeking the following. Apply via Dice "
            "today!",
            "Aroha Technologies",
        ),
        (
            "Our client, Globex Corporation, is looking for a Platform Engineer.",
            "Globex Corporation",
        ),
        (
            "Our client, Ørsted Digital, is looking for a Machine Learning Engineer.",
            "Ørsted Digital",
        ),
        ("Our client, Škoda Auto Digilab, is looking for a Data Engineer.", "Škoda Auto Digilab"),
        ("Our client, Acme Inc., is hiring a Backend Engineer.", "Acme Inc"),
        ("Our client Globex is hiring two engineers in Berlin.", "Globex"),
        ("We are hiring on behalf of Stripe. Remote in the US.", "Stripe"),
        ("We are recruiting on behalf of our client, Initech, a payments firm.", "Initech"),
        # The name stops at its sentence's end.
        ("We are recruiting on behalf of Mosaic HR. At Mosaic HR, you will ...", "Mosaic HR"),
        ("Acme Robotics is hiring via Lensa: a Controls Engineer.", "Acme Robotics"),
        (
            "Dice is the leading career destination for tech experts. Zoox is looking for an "
            "engineer to join the team.",
            "Zoox",
        ),
        ("Join Helio Robotics as a Senior Python Engineer.", "Helio Robotics"),
        # No employer named: none is guessed.
        ("Great role with great benefits. Apply today.", ""),
        ("Our client, a leading bank, is hiring.", ""),
        ("We promote jobs on behalf of our customers and partners.", ""),
        ("Join our team as a Data Engineer.", ""),
    ],
)
def test_employer_named_in_aggregator_text(text: str, employer: str) -> None:
    assert employer_in_text(text) == employer


@pytest.mark.parametrize(
    "text",
    [
        "We build software on behalf of our customers, the largest banks in Europe.",
        "Our client, Globex, is looking for a consultant; you will join our Berlin office.",
        "We act on behalf of Stripe and other partners as their integration team.",
        "Acme is hiring via Lensa and its own board alike.",
    ],
)
def test_no_phrasing_moves_a_real_employer(text: str) -> None:
    """Only an aggregator's postings are read for an employer: a real employer's own posting
    stays its own, whatever its text says."""
    job = _job(1, company="Helio Robotics", text=text)
    assert resolve_aggregators([job]) == ([job], 0)


def test_every_aggregator_posting_in_the_samples_finds_its_employer() -> None:
    from generator.config import FeedSource
    from generator.sources.feed import parse_feed

    path = Path(__file__).resolve().parent.parent / "samples/feeds/job-search.xml"
    posted = [
        j
        for j in parse_feed(path.read_bytes(), FeedSource(url=str(path)))
        if is_aggregator(j.company)
    ]
    resolved, count = resolve_aggregators(posted)
    assert count == len(posted) >= 10
    assert {j.poster for j in resolved} == {"Lensa", "Jobs via Dice"}
    assert {j.company for j in resolved if "Ørsted" in j.description} == {"Ørsted Digital"}


def test_aggregators_get_their_real_employer_and_keep_the_poster() -> None:
    jobs = [
        _job(1, company="Lensa", text="We promote this job for Capital One."),
        _job(2, company="Jobs via Dice", text="No name here."),
        _job(3, company="Acme", text="Our client, Globex, is hiring."),
        _job(4, company="Talent Hub", text="Our client, Initech, is hiring."),
    ]
    out, resolved = resolve_aggregators(jobs, extra=["Talent Hub"])
    assert [(j.company, j.poster) for j in out] == [
        ("Capital One", "Lensa"),
        ("Jobs via Dice", ""),
        ("Acme", ""),
        ("Initech", "Talent Hub"),
    ]
    assert resolved == 2


def test_legacy_aggregator_postings_are_recognised() -> None:
    posters = {
        p.company
        for path in fixtures("legacy")
        for p in parse_legacy(path.read_text(), path).day.picks
    }
    assert {"Lensa", "Jobs via Dice"} <= posters  # imported pages keep them as written
    assert {c for c in posters if is_aggregator(c)} == {"Lensa", "Jobs via Dice"}


def test_same_job_from_board_site_and_aggregator_collapses_to_the_board() -> None:
    board = _job(1, "Senior Backend Engineer (m/w/d)", "Acme GmbH", origin="board")
    linkedin = _job(2, "Senior Backend Engineer", "Acme", url="https://linkedin.com/jobs/view/42")
    lensa = dataclasses.replace(_job(3, "Sr Backend Engineer", "Acme"), poster="Lensa")
    elsewhere = _job(4, "Senior Backend Engineer", "Acme", location="Munich, Germany")
    different = _job(5, "Frontend Engineer", "Acme")
    result = collapse([linkedin, lensa, board, elsewhere, different], threshold=85)
    # The board's posting replaces the LinkedIn one in its place; Munich is another job.
    assert [j.id for j in result.jobs] == ["j1", "j4", "j5"] and result.merged == 2


def test_a_posting_without_a_place_matches_any_place_like_earlier_days_do() -> None:
    placed = _job(1, "Data Engineer", "Acme", location="Berlin, Germany", origin="board")
    unplaced = _job(2, "Data Engineer", "Acme", location="")
    elsewhere = _job(3, "Data Engineer", "Acme", location="Paris, France")
    result = collapse([placed, unplaced, elsewhere], threshold=90)
    assert [j.id for j in result.jobs] == ["j1", "j3"] and result.merged == 1


def test_two_aggregators_of_one_job_collapse_to_the_first() -> None:
    a = dataclasses.replace(_job(1, company="Globex"), poster="Lensa")
    b = dataclasses.replace(_job(2, company="Globex"), poster="Jobs via Dice")
    result = collapse([a, b], threshold=90)
    assert [j.id for j in result.jobs] == ["j1"]


def test_a_job_shown_yesterday_via_linkedin_is_not_new_via_greenhouse(tmp_path: Path) -> None:
    from generator import pages
    from generator.models import DayPage, Pick

    yesterday = Pick(
        id="linkedin:4300000001",
        title="Platform Engineer",
        company="Acme Inc.",
        location="Berlin, Germany",
        url="https://www.linkedin.com/jobs/view/1",
        score=90,
    )
    pages.write(DayPage(date=TODAY - dt.timedelta(days=1), picks=(yesterday,)), tmp_path)
    shown = ShownJobs.from_pages(tmp_path, today=TODAY, window_days=60, threshold=90)
    assert _job(1, "Platform Engineer", "Acme", origin="board") in shown
    assert _job(2, "Platform Engineer", "Acme", location="Paris, France") not in shown
    assert _job(3, "Data Engineer", "Acme") not in shown
    assert dataclasses.replace(_job(4), id="linkedin:4300000001") in shown
    today = ShownJobs.from_pages(
        tmp_path, today=TODAY - dt.timedelta(days=1), window_days=60, threshold=90
    )
    assert _job(1, "Platform Engineer", "Acme") not in today  # a day's own page is not history


def test_filters_remove_and_count() -> None:
    jobs = [
        _job(1, "Senior Backend Engineer"),
        _job(2, "Backend Engineer", location="Remote"),
        _job(3, "PHP Developer"),
        _job(4, "Backend Engineer", company="Evil Corp"),
        _job(5, "Backend Engineer", location="Tokyo, Japan"),
        _job(6, "Backend Engineer", posted=TODAY - dt.timedelta(days=30)),
        _job(7, "Chef"),
        _job(8, "Backend Engineer", posted=None),
    ]
    config = FilterConfig(
        title_include=["engineer", "developer"],
        title_exclude=["php"],
        exclude_companies=["evil corp"],
        skip_seniority=["senior"],
        locations=["Berlin"],
        max_age_days=14,
    )
    result = apply_filters(jobs, config, TODAY)
    assert [j.id for j in result.jobs] == ["j2", "j8"]
    assert dict(result.removed) == {
        "skip_seniority": 1,
        "title_exclude": 1,
        "exclude_companies": 1,
        "locations": 1,
        "max_age_days": 1,
        "title_include": 1,
    }
    assert "title_include 1" in result.summary()
    remote_only = apply_filters(jobs, FilterConfig(remote_only=True), TODAY)
    assert [j.id for j in remote_only.jobs] == ["j2"]


def test_bad_filter_pattern_is_a_config_error(tmp_path: Path) -> None:
    from generator.config import load_config
    from generator.errors import ConfigError

    path = tmp_path / "jobpicks.yml"
    path.write_text("sources:\n  - url: a.xml\nfilters:\n  title_exclude: ['([']\n")
    with pytest.raises(ConfigError, match=r"filters\.title_exclude: Value error, '\(\['"):
        load_config(path)


def test_board_source_config_paths(tmp_path: Path) -> None:
    from generator.config import load_config
    from generator.errors import ConfigError

    path = tmp_path / "jobpicks.yml"
    path.write_text(
        "sources:\n  - type: greenhouse\n    boards: [stripe, airbnb]\n"
        "  - type: lever\n    boards: []\n  - type: csv\n    url: x.csv\n"
    )
    with pytest.raises(ConfigError) as info:
        load_config(path)
    assert "sources[1].boards: List should have at least 1 item" in info.value.message
    path.write_text(
        "sources:\n  - type: greenhouse\n    boards: [stripe, airbnb]\n"
        "  - type: csv\n    url: x.csv\n"
    )
    config = load_config(path)
    assert config.sources[1].url == str(tmp_path / "x.csv")  # type: ignore[union-attr]
