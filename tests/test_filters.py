"""The decision-fact filters: work mode, least pay, pay required, visa; unit and CLI."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import write_config

from generator.cli import cli
from generator.config import FilterConfig, MinPay, load_config
from generator.errors import ConfigError
from generator.filters import apply_filters
from generator.models import Job, Pay

TODAY = dt.date(2026, 11, 23)


def _job(name: str, **facts: object) -> Job:
    return Job(
        id=name,
        title=name,
        company="Acme",
        location="",
        url=f"https://example.com/{name}",
        description="",
        posted=None,
        source="test",
        **facts,  # type: ignore[arg-type]
    )


def _pay(lo: float, hi: float, currency: str = "USD", period: str = "year") -> Pay:
    return Pay.model_validate({"min": lo, "max": hi, "currency": currency, "period": period})


def _kept(jobs: list[Job], **config: object) -> list[str]:
    return [j.id for j in apply_filters(jobs, FilterConfig.model_validate(config), TODAY).jobs]


def test_min_pay_compares_the_top_of_the_range_across_periods() -> None:
    jobs = [
        _job("range-reaches", pay=_pay(90_000, 125_000)),
        _job("range-below", pay=_pay(80_000, 110_000)),
        _job("hourly-60", pay=_pay(60, 60, period="hour")),  # 124,800 a year at 2,080 h
        _job("hourly-55", pay=_pay(55, 55, period="hour")),  # 114,400
        _job("monthly-10k", pay=_pay(10_000, 10_000, period="month")),  # 120,000 at 12
        _job("monthly-9k", pay=_pay(9_000, 9_000, period="month")),
        _job("other-currency", pay=_pay(50_000, 60_000, "EUR")),
        _job("unstated"),
    ]
    least = {"amount": 120_000, "currency": "USD", "period": "year"}
    assert _kept(jobs, min_pay=least) == [
        "range-reaches",
        "hourly-60",
        "monthly-10k",
        "other-currency",
        "unstated",
    ]
    hourly = {"amount": 60, "currency": "usd", "period": "hour"}
    assert "range-reaches" in _kept(jobs, min_pay=hourly)  # 125,000 / 2,080 = 60.1 an hour
    assert "range-below" not in _kept(jobs, min_pay=hourly)
    assert _kept(jobs, min_pay=least, require_pay=True)[-1] == "other-currency"


def test_require_pay_alone_drops_postings_without_pay() -> None:
    jobs = [_job("paid", pay=_pay(1, 2)), _job("unstated")]
    result = apply_filters(jobs, FilterConfig(require_pay=True), TODAY)
    assert [j.id for j in result.jobs] == ["paid"]
    assert result.summary() == "require_pay 1"


def test_work_modes_keep_listed_and_unstated_modes() -> None:
    jobs = [
        _job("r", work_mode="remote"),
        _job("h", work_mode="hybrid"),
        _job("o", work_mode="onsite"),
        _job("unknown"),
    ]
    assert _kept(jobs, work_modes=["remote", "hybrid"]) == ["r", "h", "unknown"]


def test_visa_required_drops_only_postings_that_will_not_sponsor() -> None:
    jobs = [_job("yes", visa="offered"), _job("no", visa="not_offered"), _job("unknown")]
    assert _kept(jobs, visa="required") == ["yes", "unknown"]


def test_bad_filter_keys_are_named(tmp_path: Path) -> None:
    path = write_config(
        tmp_path,
        [{"type": "csv", "url": "jobs.csv"}],
        filters={"work_modes": ["office"], "min_pay": {"amount": 1, "currency": "dollars"}},
    )
    with pytest.raises(ConfigError) as error:
        load_config(path)
    assert "filters.work_modes[0]" in str(error.value)
    assert "filters.min_pay.currency" in str(error.value)
    assert MinPay(amount=5000, currency="EUR", period="month").yearly() == 60_000


COLUMNS = ["id", "site", "job_url", "title", "company", "location", "date_posted", "job_type"]
COLUMNS += ["interval", "min_amount", "max_amount", "currency", "is_remote", "description"]


def _row(title: str, description: str, **values: str) -> dict[str, str]:
    slug = title.lower().replace(" ", "-")
    return {
        "id": slug,
        "site": "indeed",
        "job_url": f"https://example.com/{slug}",
        "title": title,
        "company": title.split()[0],
        "location": "Berlin, DE",
        "date_posted": "2026-11-22",
        "description": description,
        **values,
    }


def test_filters_in_a_dry_run_use_structured_and_text_facts(tmp_path: Path) -> None:
    rows = [
        _row("Alpha Backend Engineer", "Python services. Fully remote role.",
             interval="yearly", min_amount="90000.0", max_amount="120000.0", currency="EUR"),
        _row("Bravo Backend Engineer", "Python services. Salary: €50,000 - €60,000 per year."),
        _row("Charlie Backend Engineer", "Python services. This role is on-site in Berlin."),
        _row("Delta Backend Engineer", "Python services. We are unable to sponsor visas."),
        _row("Echo Backend Engineer", "Python services, nothing else stated."),
        _row("Foxtrot Backend Engineer", "Python services. Hybrid role.",
             interval="hourly", min_amount="30.0", max_amount="30.0", currency="EUR"),
    ]  # fmt: skip
    with (tmp_path / "jobs.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS, restval="")
        writer.writeheader()
        writer.writerows(rows)
    filters = {
        "work_modes": ["remote", "hybrid"],
        "min_pay": {"amount": 70000, "currency": "EUR"},
        "visa": "required",
    }
    config = write_config(
        tmp_path,
        [{"type": "csv", "url": "jobs.csv", "name": "search"}],
        filters=filters,
        selection={"min_score": 0},
    )
    args = ["run", "--config", str(config), "--date", "2026-11-23", "--dry-run"]
    result = CliRunner().invoke(cli, args, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    picked = {
        line.split(" - ")[1].split("  <")[0] for line in result.output.splitlines() if "<" in line
    }
    # Foxtrot: 30 EUR an hour is 62,400 a year at 2,080 hours, under 70,000.
    assert picked == {"Alpha Backend Engineer", "Echo Backend Engineer"}
    assert "filters removed: min_pay 2, work_modes 1, visa 1" in result.output

    config = write_config(
        tmp_path,
        [{"type": "csv", "url": "jobs.csv", "name": "search"}],
        filters={"require_pay": True},
        selection={"min_score": 0},
    )
    result = CliRunner().invoke(cli, args, catch_exceptions=False)
    assert "filters removed: require_pay 3" in result.output
