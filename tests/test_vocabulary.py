"""One vocabulary (`models.py`): work modes, levels, employment, visa and pay periods with the
words readers see, from which the config's types, the cards' labels and Explore's options are
derived; one meaning of remote; one meaning of a minimum pay (`tests/cases.py`)."""

from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
from typing import Any, get_args

import pytest
from cases import CASES, FOLDS, MINIMA, TYPED
from pydantic import ValidationError

from generator import facts, models
from generator.config import FilterConfig, SavedSearch
from generator.filters import apply_filters
from generator.models import Job, MinPay, Pay, Pick
from generator.profile import Profile
from generator.scoring.local import LocalScorer
from generator.site import render, saved
from generator.site.derive import collect, explore_files, explore_page
from generator.text import fold, fold_table

DAY = dt.date(2026, 11, 23)


def _job(**fields: Any) -> Job:
    base: dict[str, Any] = {
        "id": "j1",
        "title": "Backend Engineer",
        "company": "Acme",
        "location": "Berlin",
        "url": "https://acme.example/1",
        "description": "",
        "posted": None,
        "source": "test",
    }
    return Job(**(base | fields))


def _pick(**fields: Any) -> Pick:
    return Pick.model_validate(
        {
            "id": "p1",
            "title": "Engineer",
            "company": "Acme",
            "url": "https://a.example/",
            "score": 70,
        }
        | fields
    )


def test_each_label_table_names_exactly_its_types_values() -> None:
    models.check_vocabulary()
    assert tuple(models.LEVEL_RANK) == get_args(models.Level)
    assert set(models.LEVEL_WORDS.values()) <= set(models.LEVELS)


def test_the_config_takes_its_types_from_the_vocabulary() -> None:
    for mode in models.WORK_MODES:
        assert FilterConfig(work_modes=[mode]).work_modes == [mode]
        assert SavedSearch(work_modes=[mode]).work_modes == [mode]
    for level in models.LEVELS:
        assert SavedSearch(levels=[level]).levels == [level]
    for period in models.PAY_PERIODS:
        assert MinPay(amount=1, currency="EUR", period=period).period == period
    with pytest.raises(ValidationError):
        FilterConfig(work_modes=["anywhere"])  # type: ignore[list-item]
    # A profile names a level as the vocabulary does, or by a word for one.
    profile = Profile(seniority=["senior", "lead", "principal", "staff", "staff+"])
    assert {models.level_named(w) for w in profile.seniority} == {"senior", "staff+"}


def test_cards_say_the_vocabularys_words() -> None:
    pick = _pick(
        work_mode="onsite",
        visa="not_offered",
        level="mid",
        employment="part-time",
        pay=Pay(min=9, max=9, currency="EUR", period="hour"),
    )
    labels = [fact.text for fact in render.facts(pick)]
    assert labels == ["On-site", "€9 an hour", "No sponsorship", "Mid-level", "Part-time"]
    assert labels[0] == models.WORK_MODES["onsite"] and labels[3] == models.LEVELS["mid"]


def test_explore_offers_the_vocabularys_options() -> None:
    page = explore_page()
    for select, table in (
        ("jp-mode", models.WORK_MODES),
        ("jp-level", models.LEVELS),
        ("jp-visa", models.VISAS),
        ("jp-period", models.PAY_PERIODS),
    ):
        found = re.search(rf'<select id="{select}"[^>]*>(.*?)</select>', page)
        assert found, select
        options = re.findall(r'<option value="([^"]*)">([^<]*)</option>', found[1])
        assert [(v, t) for v, t in options if v] == list(table.items()), select


@pytest.mark.parametrize(
    ("job", "remote"),
    [
        (_job(work_mode="remote", location="Berlin"), True),
        (_job(work_mode="hybrid", location="Remote-friendly, Paris"), False),  # the mode wins
        (_job(work_mode="onsite", title="Remote Sensing Engineer"), False),
        (_job(remote=True), True),  # no mode stated: the source's flag
        (_job(location="Remote (Europe)"), True),
        (_job(location="Anywhere in the World"), True),
        (_job(title="Remote Backend Engineer"), True),
        (_job(), False),
        # Read by `facts.fill` as no single mode, yet a remote option all the same.
        (_job(location="Remote or hybrid (Berlin)"), True),
        # What `fill` deliberately left without a mode is not remote by a bare substring.
        (_job(location="Berlin (no remote)"), False),
        (_job(location="Unremoted"), False),
        (_job(title="Remote Sensing Engineer"), False),
        (_job(title="Backend Engineer (not remote)"), False),
    ],
)
def test_remote_has_one_meaning(job: Job, remote: bool) -> None:
    job = facts.fill(job)
    assert facts.is_remote(job) is remote
    kept = apply_filters([job], FilterConfig(remote_only=True), DAY).jobs
    assert (kept == [job]) is remote
    # The same job through `locations` from a city it is not in: only remote passes.
    kept = apply_filters([job], FilterConfig(locations=["Lisbon"]), DAY).jobs
    assert (kept == [job]) is remote


@pytest.mark.parametrize(
    ("wanted", "location", "company"),
    [("Zurich", "Zürich, CH", "Müller AG"), ("Zürich", "Zurich", "Muller AG")],
)
def test_places_and_companies_are_compared_folded_everywhere(
    wanted: str, location: str, company: str
) -> None:
    """Run filters, saved searches and the local scorer meet "Zürich" and "Zurich" alike,
    as Explore and the search box do."""
    job = _job(location=location, company=company)
    banned = "Muller AG" if company == "Müller AG" else "Müller AG"
    assert apply_filters([job], FilterConfig(locations=[wanted], remote_ok=False), DAY).jobs
    assert not apply_filters([job], FilterConfig(exclude_companies=[banned]), DAY).jobs
    pick = _pick(location=location, company=company)
    assert saved.matches(SavedSearch(locations=[wanted]), pick)
    assert saved.matches(SavedSearch(companies=[banned]), pick)
    scorer = LocalScorer(Profile(titles=["Backend Engineer"], locations=[wanted]))
    elsewhere = LocalScorer(Profile(titles=["Backend Engineer"], locations=["Lisbon"]))
    assert scorer.score([job])[0].score > elsewhere.score([job])[0].score
    avoiding = LocalScorer(Profile(titles=["Backend Engineer"], avoid_companies=[banned]))
    assert avoiding.score([job])[0].score < scorer.score([job])[0].score


@pytest.mark.parametrize(
    ("skip", "job", "skipped"),
    [
        (["senior"], _job(title="Sr. Backend Engineer"), True),  # the card says Senior
        (["senior"], _job(title="Backend Engineer", level="senior"), True),  # a board says so
        (["senior"], _job(title="Seniority Analyst"), False),
        (["staff+"], _job(title="Staff+ Engineer"), True),
        (["staff+"], _job(title="Principal Engineer"), True),  # its level is staff+
        (["lead"], _job(title="Principal Engineer"), False),  # a word, not a level's name
        (["lead"], _job(title="Lead Engineer"), True),
        (["intern"], _job(title="Internal Tools Engineer"), False),
    ],
)
def test_skip_seniority_takes_words_and_the_levels_own_names(
    skip: list[str], job: Job, skipped: bool
) -> None:
    kept = apply_filters([facts.fill(job)], FilterConfig(skip_seniority=skip), DAY).jobs
    assert (not kept) is skipped


# -- a minimum pay: the same table of cases everywhere (the browser's in test_explore.py) ----


@pytest.mark.parametrize("minimum", sorted(MINIMA))
@pytest.mark.parametrize(("case", "pay", "expected"), CASES, ids=[c[0] for c in CASES])
def test_a_minimum_pay_means_one_thing(
    case: str, pay: Pay | None, expected: dict[str, bool | None], minimum: str
) -> None:
    floor = MINIMA[minimum]
    assert floor.reaches(pay) is expected[minimum]
    # Run filters drop only what is known to pay less: what cannot be compared passes, as
    # every unstated fact does.
    job = _job(pay=pay)
    kept = apply_filters([job], FilterConfig(min_pay=floor), DAY).jobs
    assert (kept == [job]) is (expected[minimum] is not False)
    # Saved searches (and Explore) list only what is known to reach it.
    assert saved.matches(SavedSearch(min_pay=floor), _pick(pay=pay)) is (expected[minimum] is True)


# -- accent folding: one table, the browser's in test_explore.py ------------------------------


@pytest.mark.parametrize(("name", "folded"), FOLDS)
def test_accents_fold_one_way(name: str, folded: str) -> None:
    assert fold(name).casefold() == folded
    assert _as_explore_folds(name, fold_table()) == folded


def _as_explore_folds(text: str, table: dict[str, str]) -> str:
    """What explore.js does with index.json's table: the table first, then drop the accents."""
    by_table = "".join(table.get(char, char) for char in text)
    return "".join(
        c for c in unicodedata.normalize("NFD", by_table) if not 0x300 <= ord(c) <= 0x36F
    ).lower()


@pytest.mark.parametrize(("typed", "name"), TYPED)
def test_what_a_reader_types_folds_as_the_name_it_means(typed: str, name: str) -> None:
    """Characters no pick holds still fold as Python folds them: the table's blocks."""
    table = fold_table([name])
    assert fold(typed).casefold() == fold(name).casefold()
    assert _as_explore_folds(typed, table) == fold(name).casefold()


def test_explore_ships_the_folding_table() -> None:
    day = models.DayPage(date=DAY, picks=(_pick(company="Ørsted 株式会社", title="Ingeniør"),))
    index = json.loads(explore_files(collect([day]))["explore/data/index.json"])
    assert index["fold"]["Ø"] == "O" and index["fold"]["ß"] == "ss"
    assert index["fold"]["株"] == fold("株")  # what the picks hold, beyond the blocks
    assert "é" not in index["fold"]  # dropping the accent folds it already
