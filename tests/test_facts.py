"""The text extractor: unambiguous statements give a fact, anything doubtful gives None."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest
from fake_openai import FakeOpenAIServer

from generator.config import ScoringConfig
from generator.facts import (
    extract_employment,
    extract_pay,
    extract_visa,
    extract_work_mode,
    fill,
    level_from_title,
)
from generator.models import Job, Pay, Score
from generator.profile import Profile
from generator.scoring.cache import ScoreCache
from generator.scoring.llm import LLMScorer, OpenAIChatModel


def _pay(lo: float, hi: float, currency: str, period: str) -> Pay:
    return Pay.model_validate({"min": lo, "max": hi, "currency": currency, "period": period})


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Salary: $120k-$150k", _pay(120_000, 150_000, "USD", "year")),
        ("$120k - $150k", _pay(120_000, 150_000, "USD", "year")),
        ("€60.000–75.000 per year", _pay(60_000, 75_000, "EUR", "year")),
        ("60.000 - 75.000 EUR per year", _pay(60_000, 75_000, "EUR", "year")),
        ("Rate: USD 50/hr", _pay(50, 50, "USD", "hour")),
        ("£45,000 - £55,000", _pay(45_000, 55_000, "GBP", "year")),
        (
            "The base salary range is $150,000 - $180,000 USD.",
            _pay(150_000, 180_000, "USD", "year"),
        ),
        ("CA$100,000 - CA$120,000", _pay(100_000, 120_000, "CAD", "year")),
        ("$100,000 - $120,000 CAD", _pay(100_000, 120_000, "CAD", "year")),
        ("€4.500 - €5.500 per month", _pay(4_500, 5_500, "EUR", "month")),
        ("Compensation: €70k - €90k p.a.", _pay(70_000, 90_000, "EUR", "year")),
        ("pay range $130,000 — $160,000 + equity", _pay(130_000, 160_000, "USD", "year")),
        ("Salary: $95,000", _pay(95_000, 95_000, "USD", "year")),
    ],
)
def test_pay_ranges_with_currency_and_period(text: str, expected: Pay) -> None:
    assert extract_pay(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "$150,000 - $120,000 per year",  # reversed
        "Salary: $150,000/hr",  # an hourly rate of 150,000
        "Salary: ¥5,000,000 - ¥7,000,000",  # a currency we do not read
        "Salary: 50,000 - 60,000 per year",  # no currency
        "Salary $50 - $60",  # no period, too small to be a year
        "We raised $20M in our Series B",
        "A $20,000 signing bonus",
        "a $2,000 learning budget per year",
        "Salary: $120k-$150k (SF) or $100k-$130k (remote)",  # two different ranges
    ],
)
def test_doubtful_pay_is_unknown(text: str) -> None:
    assert extract_pay(text) is None


def test_bare_dollars_next_to_another_dollar_currency_are_unknown() -> None:
    assert extract_pay("Salary $100k-$120k. Canadian applicants: paid in CAD.") is None
    assert extract_pay("Salary US$100k-US$120k. Canadian applicants: paid in CAD.") == _pay(
        100_000, 120_000, "USD", "year"
    )


def test_a_salary_field_needs_no_salary_word() -> None:
    assert extract_pay("USD 50/hr") is None
    assert extract_pay("USD 50/hr", salary_field=True) == _pay(50, 50, "USD", "hour")


@pytest.mark.parametrize(
    ("text", "location", "expected"),
    [
        ("This is a fully remote role.", "", "remote"),
        ("We are not a remote-first company.", "", None),
        ("Sorry, no remote.", "", None),
        ("No remote work: this is a hybrid role, 3 days a week in the office.", "", "hybrid"),
        ("We sell hybrid cloud infrastructure to banks.", "", None),
        ("This role is on-site in Paris.", "", "onsite"),
        ("Remote or hybrid role, your choice.", "", None),
        ("", "Berlin (Hybrid)", "hybrid"),
        ("", "Remote - United States", "remote"),
        ("", "Berlin, no remote", None),
        ("This is a fully remote role.", "London (Hybrid)", "hybrid"),
    ],
)
def test_work_mode(text: str, location: str, expected: str | None) -> None:
    assert extract_work_mode(text, location) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Visa sponsorship available.", "offered"),
        ("We can sponsor visas for this role.", "offered"),
        ("We are unable to sponsor visas.", "not_offered"),
        ("No visa sponsorship available.", "not_offered"),
        ("We do not offer visa sponsorship.", "not_offered"),
        ("You must be authorized to work in the US without sponsorship.", "not_offered"),
        ("We are not currently able to provide visa sponsorship.", "not_offered"),
        ("Visa sponsorship available for seniors; we cannot sponsor interns.", None),
        ("We love our visa-holding customers.", None),
    ],
)
def test_visa(text: str, expected: str | None) -> None:
    assert extract_visa(text) == expected


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Senior Software Engineer", "senior"),
        ("Sr. Data Engineer", "senior"),
        ("Staff Backend AI Engineer", "staff+"),
        ("Principal Engineer", "staff+"),
        ("Staff Accountant", None),  # not the engineering ladder's staff
        ("Engineering Manager", "manager"),
        ("Senior Engineering Manager", "manager"),
        ("Head of Data", "manager"),
        ("Product Manager", None),  # not a people manager
        ("Account Manager - Singapore", None),
        ("Machine Learning Engineer Intern", "intern"),
        ("Internal Tools Engineer", None),
        ("Junior Developer", "junior"),
        ("Mid-level Backend Engineer", "mid"),
        ("Software Engineer, Product (all levels)", None),
        ("Senior/Staff Engineer", None),
        ("Lead Machine Learning Engineer", None),
    ],
)
def test_level_from_title(title: str, expected: str | None) -> None:
    assert level_from_title(title) == expected


@pytest.mark.parametrize(
    ("text", "title", "expected"),
    [
        ("This is a full-time position.", "Engineer", "full-time"),
        ("Part-time, 20 hours a week.", "Engineer", "part-time"),
        ("A 6-month contract role, outside IR35.", "Engineer", "contract"),
        ("Full-time or part-time, as you prefer.", "Engineer", None),
        ("We write smart contract code.", "Engineer", None),
        ("", "Data Scientist (Intern)", "internship"),
    ],
)
def test_employment(text: str, title: str, expected: str | None) -> None:
    assert extract_employment(text, title) == expected


def _job(**kw: object) -> Job:
    base: dict[str, object] = {
        "id": "x",
        "title": "Senior Backend Engineer",
        "company": "Acme",
        "location": "Berlin",
        "url": "https://example.com/1",
        "description": "A fully remote role. Salary: €70k - €90k per year. Full-time.",
        "posted": None,
        "source": "test",
    }
    return Job(**{**base, **kw})  # type: ignore[arg-type]


def test_fill_keeps_source_values_and_reads_the_rest() -> None:
    filled = fill(_job(work_mode="hybrid"))
    assert filled.work_mode == "hybrid"  # the source's value stands
    assert filled.pay == _pay(70_000, 90_000, "EUR", "year")
    assert (filled.level, filled.employment, filled.visa) == ("senior", "full-time", None)


def test_fill_reads_the_salary_field_first() -> None:
    filled = fill(_job(salary_text="£50,000 - £60,000"))
    assert filled.pay == _pay(50_000, 60_000, "GBP", "year")


def test_fill_takes_a_feed_remote_flag() -> None:
    assert fill(_job(description="", remote=True)).work_mode == "remote"
    assert fill(_job(description="")).work_mode is None


# The model's reading of the same facts: the real `openai` client against the fake server.


def test_model_facts_map_onto_the_score_and_survive_the_cache(tmp_path: Path) -> None:
    stated = {
        "work_mode": "hybrid",
        "pay": {"min": 70000, "max": 90000, "currency": "EUR", "period": "year"},
        "visa": "not_offered",
        "level": "senior",
        "employment": "full-time",
    }
    doubtful = {
        "work_mode": "Remote",  # json_object mode: case is forgiven
        "pay": {"min": 150000, "max": 160000, "currency": "USD", "period": "hour"},  # absurd
        "visa": "not stated",
        "level": "guru",
        "employment": "contract",
    }
    jobs = [
        _job(id="a", description=f"FACTS={json.dumps(stated)}ENDFACTS"),
        _job(id="b", description=f"FACTS={json.dumps(doubtful)}ENDFACTS"),
        _job(id="c", description="nothing stated"),
    ]
    with FakeOpenAIServer() as server:
        config = ScoringConfig(
            base_url=server.base_url, cache_dir=tmp_path / "cache", tokenizer="chars"
        )

        def described() -> dict[str, Score]:
            cache = ScoreCache(config.cache_dir, max_age_days=30)
            scorer = LLMScorer(
                config, Profile(prose="x"), OpenAIChatModel(config, "sk-test"), cache
            )
            scores = {s.job_id: s for s in scorer.score(jobs)}
            return {s.job_id: s for s in scorer.describe([(j, scores[j.id]) for j in jobs])}

        first = described()
        schema = server.requests[-1]["response_format"]["json_schema"]
        again = described()
    assert schema["strict"] is True and "pay" in schema["schema"]["required"]
    a, b, c = first["a"], first["b"], first["c"]
    assert (a.work_mode, a.visa, a.level, a.employment) == (
        "hybrid",
        "not_offered",
        "senior",
        "full-time",
    )
    assert a.pay == _pay(70_000, 90_000, "EUR", "year")
    assert (b.work_mode, b.pay, b.visa, b.level, b.employment) == (
        "remote",
        None,
        None,
        None,
        "contract",
    )
    assert (c.work_mode, c.pay, c.visa, c.level, c.employment) == (None,) * 5
    assert again == first and len(server.requests) == 6  # cached, facts and all


def test_text_extraction_gives_no_wrong_value_on_the_real_fixtures() -> None:
    """The benchmark's cases: every answer matches the payload's structured value or the
    hand-checked key, and no answer goes unchecked."""
    path = Path(__file__).resolve().parent.parent / "bench" / "extraction.py"
    spec = importlib.util.spec_from_file_location("bench_extraction", path)
    assert spec is not None and spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = bench  # dataclasses look their module up by name
    spec.loader.exec_module(bench)
    tallies = bench.measure()
    assert {name: t.wrong for name, t in tallies.items() if t.wrong} == {}
    assert {name: t.unchecked for name, t in tallies.items() if t.unchecked} == {}
    assert sum(t.answered for t in tallies.values()) >= 80
