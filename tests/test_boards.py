"""Company boards, JobSpy and CSV sources against real payloads on a local HTTP server."""

from __future__ import annotations

import asyncio
import csv
import datetime as dt
import json
import sys
import types
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import FeedServer, fixture, write_config

from generator.config import BoardSource, CsvSource, FetchConfig, JobSpySource, load_config
from generator.errors import SourceError
from generator.models import Pay
from generator.pipeline import run_day
from generator.sources import boards, collect
from generator.sources.boards import ashby_jobs, greenhouse_jobs, lever_jobs
from generator.sources.jobspy import read_jobspy, row_to_job


def _board(server: FeedServer, kind: str, *boards: str, **kw: Any) -> BoardSource:
    return BoardSource(type=kind, boards=list(boards), api_url=f"{server.base}/{kind}", **kw)


def test_greenhouse_board_maps_every_field(feed_server: FeedServer) -> None:
    feed_server.add(
        "/greenhouse/honeycomb/jobs?content=true&pay_transparency=true",
        fixture("real-feeds/ats/michaeldinhmai-job-agent__greenhouse.json").read_bytes(),
    )
    result = collect([_board(feed_server, "greenhouse", "honeycomb")], FetchConfig())
    assert result.failures == {} and len(result.jobs) == 2
    job = result.jobs[0]
    assert (job.id, job.title, job.company) == (
        "greenhouse:5378630008",
        "Field Marketing Specialist",
        "Honeycomb.io",
    )
    assert job.location == "Remote - United States" and job.remote is True
    assert job.url == "https://job-boards.greenhouse.io/honeycomb/jobs/5378630008"
    assert job.posted == dt.date(2026, 8, 10)
    assert job.origin == "board" and job.source == "greenhouse honeycomb"
    assert "<" not in job.description and "&lt;" not in job.description
    assert "&nbsp;" not in job.description and len(job.description) > 100


def test_greenhouse_2013_cassette_with_double_escaped_content() -> None:
    cassette = yaml.safe_load(
        fixture(
            "real-feeds/greenhouse/grnhse-greenhouse_io__cassette_jobs_with_content.yml"
        ).read_text()
    )
    payload = json.loads(cassette["http_interactions"][0]["response"]["body"]["string"])
    jobs = greenhouse_jobs(payload, "generalassembly", "General Assembly", "greenhouse ga")
    assert len(jobs) == 2 and all(j.company == "General Assembly" for j in jobs)
    assert all("&amp;" not in j.description and "<" not in j.description for j in jobs)
    assert all(j.posted is not None for j in jobs)


def test_lever_board_pages_and_maps_fields(feed_server: FeedServer) -> None:
    postings = json.loads(
        fixture("real-feeds/ats/michaeldinhmai-job-agent__lever.json").read_text()
    )
    page0 = [{**postings[i % 2], "id": f"p{i}"} for i in range(100)]
    page1 = [{**postings[0], "id": "last"}]
    feed_server.add("/lever/jumpcloud?mode=json&skip=0&limit=100", json.dumps(page0))
    feed_server.add("/lever/jumpcloud?mode=json&skip=100&limit=100", json.dumps(page1))
    source = _board(feed_server, "lever", "jumpcloud", names={"jumpcloud": "JumpCloud"})
    result = collect([source], FetchConfig())
    assert len(result.jobs) == 101 and len(feed_server.requests) == 2
    job = result.jobs[0]
    assert job.title == "Account Executive, North America SMB - India"
    assert job.company == "JumpCloud" and job.remote is True and job.id == "lever:p0"
    assert job.url.startswith("https://jobs.lever.co/jumpcloud/")
    assert job.posted == dt.datetime.fromtimestamp(1785339866689 / 1000, dt.UTC).date()
    assert "JumpCloud®" in job.description


def test_a_lever_board_past_the_page_limit_keeps_its_pages_and_is_warned_about(
    feed_server: FeedServer, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """The run keeps the postings of the pages it read, and says by name that it stopped."""
    monkeypatch.setattr(boards, "LEVER_MAX_PAGES", 3)
    posting = json.loads(
        fixture("real-feeds/ats/michaeldinhmai-job-agent__lever.json").read_text()
    )[0]
    for page in range(4):  # one page more than the limit, never asked for
        full = [{**posting, "id": f"p{page}-{i}"} for i in range(boards.LEVER_PAGE)]
        feed_server.add(f"/lever/huge?mode=json&skip={page * 100}&limit=100", json.dumps(full))
    caplog.set_level("WARNING", logger="generator.sources.boards")

    result = collect([_board(feed_server, "lever", "huge")], FetchConfig())

    assert result.failures == {} and len(result.jobs) == 300
    assert [path for path, _ in feed_server.requests] == [
        f"/lever/huge?mode=json&skip={skip}&limit=100" for skip in (0, 100, 200)
    ]
    assert [r.getMessage() for r in caplog.records if r.levelname == "WARNING"] == [
        "lever board huge: still full after 3 pages of 100 postings; "
        "only the postings on those pages are read"
    ]


def test_ashby_board_skips_placeholders_and_reads_remote(feed_server: FeedServer) -> None:
    feed_server.add(
        "/ashby/render?includeCompensation=true",
        fixture("real-feeds/ats/michaeldinhmai-job-agent__ashby.json").read_bytes(),
    )
    result = collect([_board(feed_server, "ashby", "render")], FetchConfig())
    titles = [j.title for j in result.jobs]
    assert "Open Application" not in titles and len(titles) == 1
    job = result.jobs[0]
    assert job.company == "Render" and job.url.startswith("https://jobs.ashbyhq.com/render/")
    assert job.id.startswith("ashby:") and job.posted is not None


def test_board_failures_are_named_per_board(feed_server: FeedServer) -> None:
    feed_server.add(
        "/greenhouse/empty/jobs?content=true&pay_transparency=true",
        '{"jobs": [], "meta": {"total": 0}}',
    )
    feed_server.add("/greenhouse/broken/jobs?content=true&pay_transparency=true", '{"jobs": [')
    feed_server.add(
        "/greenhouse/down/jobs?content=true&pay_transparency=true",
        "<!DOCTYPE html><html><body><h1>502 Bad Gateway</h1></body></html>",
    )
    feed_server.add(
        "/greenhouse/huge/jobs?content=true&pay_transparency=true", '{"jobs": [' + " " * 5000 + "]}"
    )
    source = _board(feed_server, "greenhouse", "empty", "broken", "nope", "huge", "down")
    result = collect([source], FetchConfig(max_bytes=4000))
    assert result.sources == 5 and result.jobs == []
    failed = {"greenhouse broken", "greenhouse nope", "greenhouse huge", "greenhouse down"}
    assert set(result.failures) == failed
    assert result.failures["greenhouse broken"].startswith("malformed JSON")
    assert result.failures["greenhouse down"].startswith("an HTML page, not the board's JSON")
    assert result.failures["greenhouse nope"] == (
        "HTTP 404 Not Found (is 'nope' the right board name?)"
    )
    assert "size cap" in result.failures["greenhouse huge"]


def test_jobspy_csv_export_maps_real_rows() -> None:
    path = fixture("real-feeds/jobspy/henriChevreux-FR_jobspy__jobs.csv")
    result = collect([CsvSource(type="csv", url=str(path), name="FR search")], FetchConfig())
    jobs = result.jobs
    assert len(jobs) == 32 and result.failures == {}
    first = jobs[0]
    assert first.id == "indeed:362607b2693415ab"
    assert first.title == "AI & Data Science Intern (Apprenticeship / Alternance)"
    assert (first.company, first.location) == ("Besedo Paris", "Paris, A8, FR")
    assert first.posted == dt.date(2025, 7, 18) and first.remote is True
    assert "user-generated" in first.description and "\\-" not in first.description
    assert "**" not in first.description and "------" not in first.description
    assert sum(j.id.startswith("linkedin:") for j in jobs) == 20
    assert any("Île" in j.location for j in jobs)
    assert sum(not j.description for j in jobs) == 20


def test_csv_without_jobspy_columns_is_named(tmp_path: Path) -> None:
    path = tmp_path / "other.csv"
    path.write_text("name,salary\nx,1\n")
    result = collect([CsvSource(type="csv", url=str(path), name="mine")], FetchConfig())
    assert result.failures == {
        "csv mine": "not a JobSpy CSV: missing columns title, company, job_url "
        "(found: name, salary)"
    }


def test_jobspy_search_maps_rows_and_names_the_missing_extra(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls: list[dict[str, Any]] = []

    class Frame:
        def to_dict(self, orient: str) -> list[dict[str, Any]]:
            assert orient == "records"
            return [
                {
                    "title": "Data Engineer",
                    "company": "Acme",
                    "location": "Berlin, DE",
                    "job_url": "https://www.linkedin.com/jobs/view/4312345678",
                    "description": float("nan"),
                    "date_posted": dt.date(2026, 11, 20),
                    "is_remote": False,
                }
            ]

    def scrape_jobs(**kwargs: Any) -> Frame:
        calls.append(kwargs)
        return Frame()

    source = JobSpySource(
        type="jobspy", search_term="data engineer", location="Berlin", sites=["linkedin"]
    )
    monkeypatch.setitem(sys.modules, "jobspy", types.SimpleNamespace(scrape_jobs=scrape_jobs))
    (job,) = asyncio.run(read_jobspy(source, FetchConfig(), None))  # type: ignore[arg-type]
    assert (job.id, job.title, job.company, job.posted) == (
        "linkedin:4312345678",
        "Data Engineer",
        "Acme",
        dt.date(2026, 11, 20),
    )
    assert job.description == "" and job.remote is None
    assert calls[0]["search_term"] == "data engineer" and calls[0]["site_name"] == ["linkedin"]

    monkeypatch.setitem(sys.modules, "jobspy", None)
    with pytest.raises(SourceError, match=r"pip install 'jobpicks\[jobspy\]'"):
        asyncio.run(read_jobspy(source, FetchConfig(), None))  # type: ignore[arg-type]


# Decision facts from the sources' structured fields. Where the real fixture lacks a field,
# the payload below is the real one with that field added as the vendor documents it, and
# the test says so.


def test_lever_real_postings_give_workplace_and_commitment(feed_server: FeedServer) -> None:
    payload = fixture("real-feeds/ats/michaeldinhmai-job-agent__lever.json").read_bytes()
    feed_server.add("/lever/jumpcloud?mode=json&skip=0&limit=100", payload)
    result = collect([_board(feed_server, "lever", "jumpcloud")], FetchConfig())
    assert [(j.work_mode, j.employment, j.pay) for j in result.jobs] == [
        ("remote", "full-time", None),
        ("remote", "full-time", None),
    ]


def test_lever_salary_range_is_pay_exactly() -> None:
    # The real posting plus `salaryRange` (absent from the capture; fields per Lever's
    # postings-api README: currency, interval, min, max).
    real = json.loads(fixture("real-feeds/ats/michaeldinhmai-job-agent__lever.json").read_text())
    ranges = [
        {"currency": "USD", "interval": "per-year-salary", "min": 95000, "max": 125000},
        {"currency": "INR", "interval": "per-month-salary", "min": 150000, "max": 210000},
        {"currency": "USD", "interval": "per-hour-wage", "min": 45, "max": 45},
        {"currency": "USD", "interval": "one-time", "min": 5000, "max": 5000},
        {"currency": "USD", "interval": "per-year-salary", "min": 130000, "max": 90000},
        {"currency": "USD", "interval": "per-hour-wage", "min": 150000, "max": 160000},
        {"currency": "", "interval": "per-year-salary", "min": 1, "max": 2},
    ]
    postings = [{**real[0], "id": f"p{i}", "salaryRange": r} for i, r in enumerate(ranges)]
    jobs = lever_jobs(postings, "jumpcloud", "JumpCloud", "lever jumpcloud")
    assert [j.pay for j in jobs] == [
        Pay(min=95000, max=125000, currency="USD", period="year"),
        Pay(min=150000, max=210000, currency="INR", period="month"),
        Pay(min=45, max=45, currency="USD", period="hour"),
        None,  # a one-time amount is no salary period
        None,  # reversed
        None,  # an hourly rate of 150,000
        None,  # no currency
    ]
    hybrid = lever_jobs(
        [{**real[0], "workplaceType": "hybrid", "categories": {"commitment": "Part Time"}}],
        "jumpcloud",
        "JumpCloud",
        "lever jumpcloud",
    )
    assert (hybrid[0].work_mode, hybrid[0].employment) == ("hybrid", "part-time")
    unspecified = lever_jobs(
        [{**real[0], "workplaceType": "unspecified"}], "jumpcloud", "JumpCloud", "l"
    )
    assert unspecified[0].work_mode is None


def test_ashby_real_postings_give_workplace_and_employment(feed_server: FeedServer) -> None:
    feed_server.add(
        "/ashby/render?includeCompensation=true",
        fixture("real-feeds/ats/michaeldinhmai-job-agent__ashby.json").read_bytes(),
    )
    (job,) = collect([_board(feed_server, "ashby", "render")], FetchConfig()).jobs
    assert (job.work_mode, job.employment, job.pay) == ("remote", "full-time", None)
    assert job.posted == dt.date(2025, 7, 10)


def test_ashby_compensation_and_contradictory_remote_flags() -> None:
    # The real posting plus `compensation` (the capture has none; shape per Ashby's public
    # posting API with includeCompensation=true: summaryComponents with compensationType,
    # interval, currencyCode, minValue, maxValue).
    real = json.loads(fixture("real-feeds/ats/michaeldinhmai-job-agent__ashby.json").read_text())
    base = real["jobs"][1]
    salary = {
        "compensationType": "Salary",
        "interval": "1 YEAR",
        "currencyCode": "EUR",
        "minValue": 70000,
        "maxValue": 90000,
    }
    equity = {"compensationType": "EquityPercentage", "interval": "NONE", "minValue": 0.1}
    compensation = {"compensationTierSummary": "€70K – €90K", "summaryComponents": [salary, equity]}
    jobs = [
        {**base, "id": "a", "compensation": compensation},
        {
            **base,
            "id": "b",
            "compensation": compensation,
            "isRemote": True,
            "workplaceType": "Hybrid",
        },
        {
            **base,
            "id": "c",
            "compensation": compensation,
            "shouldDisplayCompensationOnJobPostings": False,
        },
        {**base, "id": "d", "workplaceType": None, "isRemote": True, "employmentType": "Intern"},
        {
            **base,
            "id": "e",
            "workplaceType": "OnSite",
            "isRemote": False,
            "employmentType": "Temporary",
        },
    ]
    got = ashby_jobs({"jobs": jobs}, "render", "Render", "ashby render")
    assert got[0].pay == Pay(min=70000, max=90000, currency="EUR", period="year")
    assert got[1].work_mode == "hybrid"  # workplaceType is the more specific value
    assert got[2].pay is None  # the board hides pay
    assert (got[3].work_mode, got[3].employment) == ("remote", "internship")
    assert (got[4].work_mode, got[4].employment) == ("onsite", None)


def test_greenhouse_deadline_metadata_and_pay_transparency() -> None:
    # The real posting plus an `application_deadline`, a "Workplace Type" custom field in
    # `metadata` and a pay-transparency block in `content` as Greenhouse renders it.
    real = json.loads(
        fixture("real-feeds/ats/michaeldinhmai-job-agent__greenhouse.json").read_text()
    )
    plain = greenhouse_jobs(real, "honeycomb", "Honeycomb", "greenhouse honeycomb")
    assert [(j.deadline, j.work_mode, j.pay) for j in plain] == [(None, None, None)] * 2
    block = (
        '&lt;div class="content-pay-transparency"&gt;&lt;div class="pay-range"&gt;'
        "&lt;span&gt;$130,000&lt;/span&gt;&lt;span class=&quot;divider&quot;&gt;&amp;mdash;"
        "&lt;/span&gt;&lt;span&gt;$160,000 USD&lt;/span&gt;&lt;/div&gt;&lt;/div&gt;"
    )
    item = {
        **real["jobs"][0],
        "application_deadline": "2026-12-15",
        "metadata": [
            {"id": 1, "name": "Workplace Type", "value": "Hybrid", "value_type": "single_select"},
            {
                "id": 2,
                "name": "Employment Type",
                "value": "Contract",
                "value_type": "single_select",
            },
        ],
        "content": real["jobs"][0]["content"] + block,
    }
    (job,) = greenhouse_jobs({"jobs": [item]}, "honeycomb", "Honeycomb", "greenhouse honeycomb")
    assert job.deadline == dt.date(2026, 12, 15)
    assert (job.work_mode, job.employment) == ("hybrid", "contract")
    assert job.pay == Pay(min=130000, max=160000, currency="USD", period="year")


def test_greenhouse_pay_input_ranges() -> None:
    # The real posting plus `pay_input_ranges` as boards with pay transparency return them
    # for `?pay_transparency=true` (cents, one range per pay zone, no period).
    real = json.loads(
        fixture("real-feeds/ats/michaeldinhmai-job-agent__greenhouse.json").read_text()
    )

    def zone(low: int, high: int, currency: str = "USD") -> dict[str, object]:
        return {"min_cents": low, "max_cents": high, "currency_type": currency, "title": "US"}

    cases = [
        (
            [zone(13_000_000, 16_000_000)],
            Pay(min=130000, max=160000, currency="USD", period="year"),
        ),
        (
            [zone(7_100_000, 8_400_000, "EUR")] * 2,
            Pay(min=71000, max=84000, currency="EUR", period="year"),
        ),
        ([zone(13_000_000, 16_000_000), zone(11_000_000, 14_000_000)], None),  # zones differ
        ([zone(2_500, 3_000)], None),  # $25-$30: an hourly wage, but no period is stated
        ([zone(500_000_000, 600_000_000, "JPY")], None),  # yen: a year or a month?
        ([zone(16_000_000, 13_000_000)], None),  # reversed
    ]
    for ranges, expected in cases:
        item = {**real["jobs"][0], "pay_input_ranges": ranges}
        (job,) = greenhouse_jobs({"jobs": [item]}, "honeycomb", "Honeycomb", "gh")
        assert job.pay == expected, ranges


def test_jobspy_real_rows_give_job_type_and_remote() -> None:
    path = fixture("real-feeds/jobspy/henriChevreux-FR_jobspy__jobs.csv")
    jobs = collect([CsvSource(type="csv", url=str(path), name="FR")], FetchConfig()).jobs
    assert [(j.employment, j.work_mode) for j in jobs[:3]] == [
        ("internship", "remote"),
        ("full-time", None),  # is_remote False only means "not flagged remote"
        ("full-time", None),
    ]
    with path.open(newline="", encoding="utf-8") as handle:
        job_types = [r["job_type"] for r in csv.DictReader(handle)]
    expected = {"internship": "internship", "fulltime": "full-time", "": None}
    assert [j.employment for j in jobs] == [expected[t] for t in job_types]
    assert sum(j.employment is not None for j in jobs) == 7
    assert all(j.pay is None for j in jobs)


def test_jobspy_salary_columns_and_level() -> None:
    # A real row with JobSpy's salary columns filled the way pandas writes them to CSV.
    path = fixture("real-feeds/jobspy/henriChevreux-FR_jobspy__jobs.csv")
    with path.open(newline="", encoding="utf-8") as handle:
        row = next(csv.DictReader(handle))
    cases = [
        (
            {
                "min_amount": "45000.0",
                "max_amount": "55000.0",
                "interval": "yearly",
                "currency": "EUR",
                "job_level": "Entry level",
            },
            (Pay(min=45000, max=55000, currency="EUR", period="year"), "junior"),
        ),
        (
            {
                "min_amount": "30.0",
                "max_amount": "",
                "interval": "hourly",
                "currency": "USD",
                "job_level": "Mid-Senior level",
            },
            (Pay(min=30, max=30, currency="USD", period="hour"), None),
        ),
        (
            {
                "min_amount": "800.0",
                "max_amount": "900.0",
                "interval": "weekly",
                "currency": "USD",
                "job_level": "Director",
            },
            (None, "manager"),
        ),
    ]
    for changes, expected in cases:
        job = row_to_job({**row, **changes}, "FR")
        assert job is not None and (job.pay, job.level) == expected


def test_real_board_and_jobspy_facts_reach_the_picks(
    feed_server: FeedServer, tmp_path: Path
) -> None:
    feed_server.add(
        "/lever/jumpcloud?mode=json&skip=0&limit=100",
        fixture("real-feeds/ats/michaeldinhmai-job-agent__lever.json").read_bytes(),
    )
    feed_server.add(
        "/ashby/render?includeCompensation=true",
        fixture("real-feeds/ats/michaeldinhmai-job-agent__ashby.json").read_bytes(),
    )
    sources = [
        {"type": "lever", "boards": ["jumpcloud"], "api_url": f"{feed_server.base}/lever"},
        {"type": "ashby", "boards": ["render"], "api_url": f"{feed_server.base}/ashby"},
        {
            "type": "csv",
            "name": "FR",
            "url": str(fixture("real-feeds/jobspy/henriChevreux-FR_jobspy__jobs.csv")),
        },
    ]
    config = write_config(
        tmp_path, sources, selection={"min_score": 0, "picks_per_day": 100, "max_per_company": 9}
    )
    result = run_day(load_config(config), date=dt.date(2026, 11, 23), dry_run=True)
    assert result.day is not None
    picks = {p.title: p for p in result.day.picks}
    lever = picks["Account Manager - Singapore"]
    assert (lever.work_mode, lever.employment) == ("remote", "full-time")
    ashby = picks["Software Engineer, Product (all levels)"]
    assert (ashby.work_mode, ashby.employment, ashby.level) == ("remote", "full-time", None)
    assert ashby.posted == dt.date(2025, 7, 10)
    intern = picks["AI & Data Science Intern (Apprenticeship / Alternance)"]
    assert (intern.work_mode, intern.employment, intern.level) == (
        "remote",
        "internship",
        "intern",
    )
    assert intern.posted == dt.date(2025, 7, 18)
