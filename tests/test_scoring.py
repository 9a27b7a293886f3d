from __future__ import annotations

import datetime as dt

import pytest

from generator.config import ScoringConfig
from generator.errors import ScoringError
from generator.models import Job
from generator.profile import Profile
from generator.scoring import choose_scorer, make_scorer, resolve_api_key
from generator.scoring.local import LocalScorer, job_level

PROFILE = Profile(
    titles=["Backend Engineer"],
    must_have=["Python", "Kubernetes", "Go"],
    nice_to_have=["Kafka"],
    avoid_skills=["PHP"],
    avoid_companies=["Evil Corp"],
    locations=["Berlin"],
    remote="preferred",
    seniority=["mid", "senior"],
)


def _job(
    title: str = "Backend Engineer",
    description: str = "",
    company: str = "Acme",
    location: str = "Remote",
) -> Job:
    return Job(
        id=f"id-{title}-{company}",
        title=title,
        company=company,
        location=location,
        url="https://example.com/1",
        description=description,
        posted=dt.date(2026, 11, 20),
        source="test",
    )


def test_reason_names_matched_and_missing_terms() -> None:
    score = LocalScorer(PROFILE).score_one(
        _job(description="We use Python and Kubernetes on AWS. Kafka too.")
    )
    assert score.reason == (
        "Matches Backend Engineer title, Python, Kubernetes, Kafka, remote, mid level; missing Go."
    )
    assert score.summary == "We use Python and Kubernetes on AWS. Kafka too."
    assert 80 <= score.score <= 100


def test_short_terms_match_case_sensitively() -> None:
    scorer = LocalScorer(PROFILE)
    assert (
        "Go"
        not in scorer.score_one(_job(description="Ready to go? Let's go.")).reason.split("missing")[
            0
        ]
    )
    assert "Go," in scorer.score_one(_job(description="Services in Go.")).reason


def test_penalties_for_avoided_skills_seniority_and_companies() -> None:
    scorer = LocalScorer(PROFILE)
    base = scorer.score_one(_job(description="Python")).score
    assert scorer.score_one(_job(description="Python and PHP")).score == base - 10
    intern = scorer.score_one(_job(title="Backend Engineer Intern", description="Python"))
    assert intern.score < base and "intern role" in intern.reason
    avoided = scorer.score_one(_job(company="Evil Corp", description="Python Kubernetes Go"))
    assert avoided.score == 0 and "avoid list" in avoided.reason


def test_location_match_when_not_remote() -> None:
    scorer = LocalScorer(PROFILE)
    berlin = scorer.score_one(_job(location="Berlin, Germany"))
    paris = scorer.score_one(_job(location="Paris, France"))
    assert "Berlin" in berlin.reason and berlin.score == paris.score + 10


def test_remote_required_penalises_office_jobs() -> None:
    scorer = LocalScorer(PROFILE.model_copy(update={"remote": "required"}))
    office = scorer.score_one(_job(location="Berlin"))
    assert "not remote" in office.reason


def test_scores_are_deterministic_and_bounded() -> None:
    jobs = [
        _job(title=t, description="Python Kubernetes Go Kafka " * 3)
        for t in ("Backend Engineer", "Senior Backend Engineer", "Chef")
    ]
    first = LocalScorer(PROFILE).score(jobs)
    assert first == LocalScorer(PROFILE).score(jobs)
    assert all(0 <= s.score <= 100 for s in first)


@pytest.mark.parametrize(
    ("title", "level"),
    [
        ("Senior Backend Engineer", "senior"),
        ("Sr. Data Engineer", "senior"),
        ("Software Engineering Intern", "intern"),
        ("Staff Engineer", "staff"),
        ("Engineering Manager, Infra", "manager"),
        ("Backend Engineer", "mid"),
        ("Co-op, Observability", "intern"),
    ],
)
def test_job_level(title: str, level: str) -> None:
    assert job_level(title) == level


def test_auto_picks_local_without_a_key_and_openai_needs_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert resolve_api_key(None) is None
    monkeypatch.setenv("OPENAI_API_KEY", "  sk-env  ")
    assert resolve_api_key(None) == "sk-env"
    assert resolve_api_key("sk-flag") == "sk-flag"
    assert choose_scorer(ScoringConfig(scorer="auto"), None) == "local"
    assert make_scorer(ScoringConfig(), PROFILE, None).name == "local"
    with pytest.raises(ScoringError, match="no API key"):
        choose_scorer(ScoringConfig(scorer="openai"), None)
