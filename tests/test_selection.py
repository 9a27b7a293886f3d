from __future__ import annotations

import datetime as dt

import pytest

from generator.config import SelectionConfig
from generator.dedupe import by_id as dedupe
from generator.models import Job, Score
from generator.selection import DayBar, day_bar, plausible_employer, select


def _job(n: int, company: str, posted: int = 20) -> Job:
    return Job(
        id=f"j{n}",
        title=f"Role {n}",
        company=company,
        location="",
        url=f"https://x/{n}",
        description="",
        posted=dt.date(2026, 11, posted),
        source="s",
    )


def test_highest_first_with_company_cap_and_min_score() -> None:
    jobs = [_job(i, "Big" if i < 6 else f"Co{i}") for i in range(10)]
    scores = [Score(j.id, 90 - i, "r", "s") for i, j in enumerate(jobs)]
    picks = select(jobs, scores, SelectionConfig(picks_per_day=5, min_score=82, max_per_company=3))
    assert [p.id for p in picks] == ["j0", "j1", "j2", "j6", "j7"]
    assert [p.score for p in picks] == [90, 89, 88, 84, 83]


def test_ties_break_by_newest_then_company_title_id_regardless_of_input_order() -> None:
    jobs = [_job(1, "B", posted=19), _job(2, "A", posted=19), _job(3, "C", posted=21)]
    scores = [Score(j.id, 70, "r", "s") for j in jobs]
    config = SelectionConfig(min_score=0)
    expected = ["j3", "j2", "j1"]
    assert [p.id for p in select(jobs, scores, config)] == expected
    assert [p.id for p in select(jobs[::-1], scores[::-1], config)] == expected


def test_company_cap_is_case_insensitive_and_uses_the_real_employer() -> None:
    jobs = [_job(1, "Lensa"), _job(2, "lensa"), _job(3, "Lensa")]
    scores = [
        Score("j1", 90, "r", "s", employer="Acme"),
        Score("j2", 80, "r", "s"),
        Score("j3", 70, "r", "s"),
    ]
    picks = select(jobs, scores, SelectionConfig(min_score=0, max_per_company=1))
    assert [(p.company, p.poster) for p in picks] == [("Acme", "Lensa"), ("lensa", "")]


def test_unscored_jobs_are_not_picked() -> None:
    jobs = [_job(1, "A"), _job(2, "B")]
    picks = select(jobs, [Score("j2", 50, "r", "s")], SelectionConfig(min_score=0))
    assert [p.id for p in picks] == ["j2"]


def test_dedupe_keeps_first_and_counts() -> None:
    jobs = [_job(1, "A"), _job(2, "B"), _job(1, "A-again")]
    result = dedupe(jobs)
    assert [j.company for j in result.jobs] == ["A", "B"] and result.duplicates == 1


def test_a_weak_day_shows_few_picks_and_records_its_bar() -> None:
    """The default bar (60) is never lowered to fill the page: a day whose best posting
    scored 53 has no picks, and one with three strong postings has three, not twenty."""
    config = SelectionConfig()
    weak = [_job(i, f"Co{i}") for i in range(30)]
    weak_scores = [
        Score(j.id, 53 - i, "Lacks Python, Kubernetes and PostgreSQL.", "s")
        for i, j in enumerate(weak)
    ]
    assert select(weak, weak_scores, config) == []
    assert day_bar(weak_scores, config) == DayBar(bar=60, best=53, quiet=True)

    strong = [Score(j.id, 90 - 10 * i, "r", "s") for i, j in enumerate(weak)]
    picks = select(weak, strong, config)
    assert [p.score for p in picks] == [90, 80, 70, 60]
    assert day_bar(strong, config) == DayBar(bar=60, best=90, quiet=True)


def test_a_full_day_is_not_quiet_even_when_a_company_cap_trims_it() -> None:
    jobs = [_job(i, "Big") for i in range(25)]
    scores = [Score(j.id, 95, "r", "s") for j in jobs]
    config = SelectionConfig(picks_per_day=20, max_per_company=3)
    assert len(select(jobs, scores, config)) == 3
    assert day_bar(scores, config) == DayBar(bar=60, best=95, quiet=False)
    assert day_bar([], config) == DayBar(bar=60, best=None, quiet=True)


def test_a_day_is_quiet_below_half_a_page_not_below_a_full_one() -> None:
    """Ten strong picks from a few sources are a good day, not a quiet one."""
    config = SelectionConfig(picks_per_day=20)
    ten = [Score(f"j{i}", 100 - i, "r", "s") for i in range(10)]
    assert day_bar(ten, config) == DayBar(bar=60, best=100, quiet=False)
    assert day_bar(ten[:9], config) == DayBar(bar=60, best=100, quiet=True)
    odd = SelectionConfig(picks_per_day=5)
    assert not day_bar(ten[:3], odd).quiet and day_bar(ten[:2], odd).quiet


@pytest.mark.parametrize(
    "said",
    [
        "Not specified",
        "not-specified.",
        "Not Mentioned",
        "Not mentioned in the posting",
        "Undisclosed",
        "Company undisclosed",
        "Various",
        "Various employers",
        "N/A",
        "n.a.",
        "Unknown",
        "Unknown employer",
        "Confidential",
        "Confidential client",
        "Stealth",
        "Stealth startup",
        "Not disclosed",
        "Unnamed company",
        "Not specified (Lensa)",
        "Our Client",
        "The Company",
        "None",
        "TBD",
        "Non spécifié",
        "Nicht angegeben",
    ],
)
def test_a_model_saying_the_posting_names_no_employer_is_not_an_employer(said: str) -> None:
    assert plausible_employer(said, _job(1, "Lensa")) == ""


@pytest.mark.parametrize(
    "name", ["Globex", "Unknown Worlds", "Hidden Road", "Stealth Worker", "Not Just Travel"]
)
def test_a_name_with_such_a_word_in_it_is_still_a_name(name: str) -> None:
    assert plausible_employer(name, _job(1, "Lensa")) == name
