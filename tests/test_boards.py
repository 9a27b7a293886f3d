"""Company boards, JobSpy and CSV sources against real payloads on a local HTTP server."""

from __future__ import annotations

import datetime as dt
import json
import sys
import types
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import FeedServer, fixture

from generator.config import BoardSource, CsvSource, FetchConfig, JobSpySource
from generator.errors import SourceError
from generator.sources import collect
from generator.sources.boards import greenhouse_jobs
from generator.sources.jobspy import read_jobspy


def _board(server: FeedServer, kind: str, *boards: str, **kw: Any) -> BoardSource:
    return BoardSource(type=kind, boards=list(boards), api_url=f"{server.base}/{kind}", **kw)


def test_greenhouse_board_maps_every_field(feed_server: FeedServer) -> None:
    feed_server.add(
        "/greenhouse/honeycomb/jobs?content=true",
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


def test_ashby_board_skips_placeholders_and_reads_remote(feed_server: FeedServer) -> None:
    feed_server.add(
        "/ashby/render?includeCompensation=false",
        fixture("real-feeds/ats/michaeldinhmai-job-agent__ashby.json").read_bytes(),
    )
    result = collect([_board(feed_server, "ashby", "render")], FetchConfig())
    titles = [j.title for j in result.jobs]
    assert "Open Application" not in titles and len(titles) == 1
    job = result.jobs[0]
    assert job.company == "Render" and job.url.startswith("https://jobs.ashbyhq.com/render/")
    assert job.id.startswith("ashby:") and job.posted is not None


def test_board_failures_are_named_per_board(feed_server: FeedServer) -> None:
    feed_server.add("/greenhouse/empty/jobs?content=true", '{"jobs": [], "meta": {"total": 0}}')
    feed_server.add("/greenhouse/broken/jobs?content=true", '{"jobs": [')
    feed_server.add("/greenhouse/huge/jobs?content=true", '{"jobs": [' + " " * 5000 + "]}")
    source = _board(feed_server, "greenhouse", "empty", "broken", "nope", "huge")
    result = collect([source], FetchConfig(max_bytes=4000))
    assert result.sources == 4 and result.jobs == []
    assert set(result.failures) == {"greenhouse broken", "greenhouse nope", "greenhouse huge"}
    assert result.failures["greenhouse broken"].startswith("malformed JSON")
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
        "csv mine": "not a JobSpy CSV: missing column(s) title, company, job_url "
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
    (job,) = read_jobspy(source, FetchConfig(), None)  # type: ignore[arg-type]
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
        read_jobspy(source, FetchConfig(), None)  # type: ignore[arg-type]
