"""The local scorer learns from verdicts, and a run keeps out what the reader ruled out."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
from pathlib import Path

import pytest
import yaml
from conftest import FeedServer, write_config

from generator import pages
from generator.config import load_config
from generator.errors import FeedbackError
from generator.feedback import Example, Mark, record
from generator.models import Job, Pick
from generator.pipeline import run_day
from generator.profile import Profile
from generator.scoring.learned import place_key
from generator.scoring.local import LocalScorer

PROFILE = Profile(
    titles=["Backend Engineer", "Data Engineer"],
    must_have=["Python", "Go"],
    nice_to_have=["Kafka", "Spark", "PostgreSQL"],
    locations=["Berlin", "Munich"],
    seniority=["mid", "senior"],
)
DAY = dt.date(2026, 11, 20)


def job(n: int, title: str, company: str = "Acme", location: str = "Berlin") -> Job:
    return Job(
        id=f"job-{n}",
        title=title,
        company=company,
        location=location,
        url=f"https://jobs.example/{n}",
        description=f"{company} is hiring a {title}. Python, Kafka and Spark.",
        posted=DAY,
        source="test",
    )


def example(n: int, title: str, verdict: str, company: str = "Initech", **kw: str) -> Example:
    location = kw.pop("location", "Berlin")
    pick = Pick(
        id=f"ex-{n}",
        title=title,
        company=company,
        location=location,
        url=f"https://jobs.example/ex/{n}",
        score=90,
        summary=f"{company} is hiring a {title}. Python, Kafka and Spark.",
    )
    mark = Mark(id=pick.id, url=pick.url, verdict=verdict, date=DAY, **kw)  # type: ignore[arg-type]
    return Example(pick, mark)


JOBS = [
    job(1, "Senior Data Engineer", "Globex"),
    job(2, "Data Engineer, Pipelines", "Hooli"),
    job(3, "Backend Engineer", "Globex"),
    job(4, "Senior Backend Engineer", "Hooli"),
    job(5, "Backend Engineer", "Umbrella", location="Munich"),
]


def scores(*examples: Example) -> dict[str, tuple[int, str]]:
    scorer = LocalScorer(PROFILE)
    if examples:
        assert scorer.learn(examples) == len(examples)
    return {s.job_id: (s.score, s.reason) for s in scorer.score(JOBS)}


def test_not_for_me_lowers_postings_of_that_kind_at_every_employer() -> None:
    before = scores()
    after = scores(example(1, "Data Engineer", "dismissed", reason="skills"))
    for data_job in ("job-1", "job-2"):
        assert after[data_job][0] <= before[data_job][0] - 30
        assert after[data_job][1].startswith(
            "Like Data Engineer at Initech, which you marked Not for me; "
        )
    for backend_job in ("job-3", "job-4", "job-5"):
        assert after[backend_job] == before[backend_job]


def test_a_like_lifts_postings_of_that_kind_a_little() -> None:
    before = scores()
    after = scores(example(1, "Backend Engineer", "liked"))
    assert 0 < after["job-4"][0] - before["job-4"][0] <= 10
    assert after["job-1"] == before["job-1"]


def test_a_reason_place_or_level_lowers_by_that_alone() -> None:
    before = scores()
    after = scores(example(1, "Product Designer", "dismissed", location="Munich", reason="place"))
    assert after["job-5"][0] < before["job-5"][0]
    # The reason says what the two share: not their work, their place.
    assert after["job-5"][1].startswith(
        "In the same place as Product Designer at Initech, which you marked Not for me (place); "
    )
    assert all(after[j] == before[j] for j in ("job-1", "job-2", "job-3", "job-4"))
    after = scores(example(2, "Senior Designer", "dismissed", reason="level"))
    assert after["job-1"][0] < before["job-1"][0] and after["job-4"][0] < before["job-4"][0]
    assert after["job-4"][1].startswith(
        "At the same level as Senior Designer at Initech, which you marked Not for me (level); "
    )
    assert after["job-3"] == before["job-3"]


REMOTE = [
    job(11, "Backend Engineer", "Buffer", location="Remote"),
    job(12, "Data Engineer", "Jumpcloud", location="Remote - US"),
    job(13, "Senior Backend Engineer", "Hooli", location="Remote (Europe)"),
    job(14, "Backend Engineer", "Umbrella", location="Anywhere in the World"),
]


def remote_scores(*examples: Example) -> dict[str, tuple[int, str]]:
    scorer = LocalScorer(PROFILE)
    scorer.learn(examples)
    return {s.job_id: (s.score, s.reason) for s in scorer.score(REMOTE)}


def test_a_place_verdict_keys_on_the_place_it_names_not_on_being_remote() -> None:
    # A week of use: one "Not for me (place)" on a job open "Anywhere in the World" pulled
    # every remote posting down to half, whatever its region, as if like that job.
    before = remote_scores()
    anywhere = example(
        1,
        "Senior Enterprise Account Executive",
        "dismissed",
        "Amplitude",
        location="Anywhere in the World",
        reason="place",
    )
    assert LocalScorer(PROFILE).learn([anywhere]) == 0  # names no place to avoid
    assert remote_scores(anywhere) == before
    us = example(
        2, "Account Executive", "dismissed", "Amplitude", location="Remote, US", reason="place"
    )
    after = remote_scores(us)
    assert after["job-12"][0] < before["job-12"][0] - 20
    assert after["job-12"][1].startswith(
        "In the same place as Account Executive at Amplitude, which you marked Not for me (place); "
    )
    assert all(after[j] == before[j] for j in ("job-11", "job-13", "job-14"))


@pytest.mark.parametrize(
    ("location", "key"),
    [
        ("Munich, Germany", "munich"),
        ("Remote - US", "remote us"),
        ("Remote, US", "remote us"),
        ("US Remote", "remote us"),
        ("Remote (Europe)", "remote europe"),
        ("Remote", ""),
        ("Anywhere in the World", ""),
        ("Remote, Worldwide", ""),
        ("", ""),
    ],
)
def test_place_key(location: str, key: str) -> None:
    assert place_key(location) == key


def test_a_level_verdict_on_a_pick_that_states_no_level_is_not_used() -> None:
    # Its level is unknown, not "mid": keyed by it, the verdict pulled down every posting
    # whose title names no level (three of these five).
    scorer = LocalScorer(PROFILE)
    assert scorer.learn([example(2, "Designer", "dismissed", reason="level")]) == 0
    assert {s.job_id: (s.score, s.reason) for s in scorer.score(JOBS)} == scores()


def test_without_verdicts_nothing_changes() -> None:
    scorer = LocalScorer(PROFILE)
    assert scorer.learn([]) == 0
    assert {s.job_id: (s.score, s.reason) for s in scorer.score(JOBS)} == scores()


# A run with verdicts ---------------------------------------------------------------------------

FIELDS = ["title", "company", "location", "job_url", "description", "date_posted"]


def write_postings(path: Path, jobs: list[Job]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, FIELDS)
        writer.writeheader()
        for j in jobs:
            writer.writerow(
                {
                    "title": j.title,
                    "company": j.company,
                    "location": j.location,
                    "job_url": j.url,
                    "description": j.description,
                    "date_posted": DAY.isoformat(),
                }
            )


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "profile.md").write_text(
        "---\n" + yaml.safe_dump(PROFILE.model_dump(exclude={"prose"})) + "---\n"
    )
    return write_config(
        tmp_path,
        [{"type": "csv", "name": "postings", "url": "postings.csv"}],
        scoring={"scorer": "local"},
        selection={"min_score": 0},
    )


def test_a_run_keeps_out_dismissed_jobs_their_reposts_and_the_employer(project: Path) -> None:
    config = load_config(project)
    folder = project.parent
    write_postings(folder / "postings.csv", JOBS)
    first = run_day(config, date=DAY, today=DAY)
    assert first.day is not None and first.day.feedback is None
    picked = {(p.company, p.title): p for p in first.day.picks}
    record(
        config.feedback,
        config.picks_dir,
        "dismissed",
        [picked["Globex", "Senior Data Engineer"].id],
        DAY,
        reason="skills",
        today=DAY,
    )
    record(
        config.feedback,
        config.picks_dir,
        "applied",
        [picked["Hooli", "Senior Backend Engineer"].id],
        DAY,
        today=DAY,
    )
    record(
        config.feedback,
        config.picks_dir,
        "dismissed",
        [picked["Globex", "Backend Engineer"].id],
        DAY,
        reason="company",
        today=DAY,
    )

    # The next day: the same jobs under new addresses, and new ones.
    later = DAY + dt.timedelta(days=1)
    reposts = [dataclasses.replace(j, url=j.url + "/reposted") for j in JOBS]
    new = [
        job(10, "Staff Data Engineer", "Hooli"),
        job(11, "Python Backend Engineer", "Globex"),
        job(12, "Backend Engineer, Payments", "Initech"),
    ]
    write_postings(folder / "postings.csv", reposts + new)
    second = run_day(config, date=later, today=later)
    assert second.day is not None
    titles = {(p.company, p.title) for p in second.day.picks}
    assert ("Hooli", "Senior Backend Engineer") not in titles  # applied: its repost stays out
    assert ("Globex", "Senior Data Engineer") not in titles
    assert not any(company == "Globex" for company, _ in titles)  # that employer is out
    assert second.day.feedback == 3
    assert "1 kept out by your verdicts (company 1)" in second.details()
    staff = next(p for p in second.day.picks if p.title == "Staff Data Engineer")
    assert "which you marked Not for me" in staff.reason
    page = pages.page_path(config.picks_dir, later).read_text()
    assert "\nfeedback: 3\n" in page


def test_a_bad_feedback_file_stops_the_run_before_any_fetch(
    tmp_path: Path, feed_server: FeedServer
) -> None:
    feed_server.add("/jobs.xml", "<rss/>")
    config_path = write_config(tmp_path, [{"type": "rss", "url": feed_server.base + "/jobs.xml"}])
    (tmp_path / "feedback.yml").write_text("verdicts:\n- id: x\n  verdict: liked\n  when: now\n")
    with pytest.raises(FeedbackError, match=r"feedback\.yml:4: verdicts\[0\]\.when: unknown key"):
        run_day(load_config(config_path), date=DAY, today=DAY)
    assert feed_server.requests == []
