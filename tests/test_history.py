"""History that stays true: which earlier picks hide a posting, and reposts recorded as such."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from conftest import fixture, write_config

from generator import pages
from generator.config import load_config
from generator.dedupe import Shown, ShownJobs, collapse, with_history
from generator.fingerprint import MAX_DISTANCE, distance, fingerprint
from generator.models import DayPage, Job, Pick
from generator.pipeline import run_day
from generator.text import html_to_text

TODAY = dt.date(2026, 11, 23)
ABOUT = (
    "Acme builds the payment terminals and the software behind them for forty thousand shops "
    "across Europe, from corner bakeries to railway stations. We are three hundred people in "
    "Berlin and Lisbon and we answer to our customers, not to advertisers."
)
BENEFITS = (
    "We offer thirty days of holiday, a yearly learning budget, a public transport pass and "
    "parental leave beyond the legal minimum. Acme is an equal opportunity employer and "
    "welcomes applications from everyone."
)
RISK = (
    "In the Risk team you will train and ship the models that decide within fifty "
    "milliseconds whether a card payment is fraud, watch how they drift as criminals adapt, "
    "and explain their decisions to the analysts who review the hardest cases every morning."
)
SEARCH = (
    "In the Search team you will rank the merchants and products shoppers look for in our "
    "app, build the pipelines that turn click logs into training data, and run the "
    "experiments that tell us whether a new ranking really helps people find what they want."
)
TEXT = f"{ABOUT} {RISK} {BENEFITS}"
OTHER = f"{ABOUT} {SEARCH} {BENEFITS}"


def _job(
    n: int,
    title: str = "Senior Machine Learning Engineer",
    text: str = TEXT,
    location: str = "Berlin, Germany",
    company: str = "Acme",
) -> Job:
    return Job(
        id=f"linkedin:{n}",
        title=title,
        company=company,
        location=location,
        url=f"https://www.linkedin.com/jobs/view/{n}",
        description=text,
        posted=TODAY,
        source="t",
    )


def _pick(job: Job, **update: object) -> Pick:
    pick = Pick(
        id=job.id,
        title=job.title,
        company=job.company,
        location=job.location,
        url=job.url,
        score=80,
        fingerprint=fingerprint(job.description),
    )
    return pick.model_copy(update=update)


def _shown(*items: tuple[int, Pick], window: int = 60) -> ShownJobs:
    history = [Shown(TODAY - dt.timedelta(days=age), pick) for age, pick in items]
    return ShownJobs(history, today=TODAY, window_days=window, threshold=90)


def test_a_fingerprint_ignores_case_spacing_and_markup_left_overs() -> None:
    messy = "  •  ".join(TEXT.upper().split(". "))
    assert len(fingerprint(TEXT)) == 64 and fingerprint(messy) == fingerprint(TEXT)
    assert fingerprint("Great role. Apply now.") == ""  # too short to tell jobs apart


def test_an_edited_sentence_stays_near_and_another_team_s_job_does_not() -> None:
    edited = TEXT.replace("every morning", "each morning before the stand-up")
    assert distance(fingerprint(TEXT), fingerprint(edited)) <= MAX_DISTANCE
    # Same employer, same boilerplate, another team's work: another job.
    assert distance(fingerprint(TEXT), fingerprint(OTHER)) > 2 * MAX_DISTANCE


def test_one_real_posting_as_html_and_as_text_is_one_text_its_neighbour_another() -> None:
    """Lever sends each posting twice (HTML and plain text, both cut at 600 characters by
    the fixture's author); JumpCloud's two postings open with the same boilerplate."""
    postings = json.loads(
        fixture("real-feeds/ats/michaeldinhmai-job-agent__lever.json").read_text()
    )
    plain = [fingerprint(p["descriptionPlain"]) for p in postings]
    for posting, text in zip(postings, plain, strict=True):
        assert distance(fingerprint(html_to_text(posting["description"])), text) <= MAX_DISTANCE
    assert distance(*plain) > MAX_DISTANCE


def test_an_open_recent_pick_hides_its_job_under_a_new_url_and_title_spelling() -> None:
    shown = _shown((3, _pick(_job(1))))
    again = _job(2, title="Sr. Machine Learning Engineer - Berlin (m/w/d)", location="Berlin")
    assert again in shown
    assert _job(3, location="Munich, Germany") not in shown  # another city, another job


def test_the_same_title_and_city_with_another_text_is_another_job() -> None:
    """A busy employer has many "Software Engineer" jobs in one city."""
    shown = _shown((3, _pick(_job(1, title="Software Engineer"))))
    assert _job(2, title="Software Engineer", text=OTHER) not in shown


def test_senior_ml_engineer_is_not_blocked_by_the_risk_team_s_title() -> None:
    risk = _job(1, title="Senior Machine Learning Engineer, Risk")
    # Not by a pick with the same text, nor by a pick from before fingerprints.
    shown = _shown((3, _pick(risk)), (4, _pick(risk, id="legacy:1", fingerprint="")))
    assert _job(2) not in shown


def test_a_pick_without_a_fingerprint_hides_only_its_exact_title_within_the_window() -> None:
    legacy = _pick(_job(1, title="Senior ML Engineer"), fingerprint="")
    assert _job(2, title="Senior ML Engineer", text=OTHER) in _shown((10, legacy))
    assert _job(2, title="Senior ML Engineer") not in _shown((61, legacy))
    assert _job(3, title="Staff ML Engineer") not in _shown((10, legacy))


def test_a_closed_pick_or_one_past_the_window_no_longer_hides_its_job() -> None:
    pick = _pick(_job(1))
    repost = _job(2)
    assert repost in _shown((59, pick))
    assert repost not in _shown((61, pick))
    assert repost not in _shown((5, pick.model_copy(update={"closed": TODAY})))
    assert repost not in _shown((20, pick), window=14)


def test_the_same_posting_stays_hidden_however_old_or_closed() -> None:
    pick = _pick(_job(1), closed=TODAY - dt.timedelta(days=300))
    assert _job(1) in _shown((400, pick))


def test_a_repost_records_when_it_was_first_seen_and_how_often_it_came_back() -> None:
    first = _pick(_job(1), closed=dt.date(2026, 8, 20))
    shown = _shown((95, first))
    [again] = with_history([_pick(_job(2), fingerprint="")], [_job(2)], shown)
    assert again.first_seen == TODAY - dt.timedelta(days=95) and again.reposts == 1
    assert again.fingerprint == fingerprint(TEXT)
    third = with_history([_pick(_job(3))], [_job(3)], _shown((95, first), (30, again)))
    assert third[0].first_seen == again.first_seen and third[0].reposts == 2
    # Another team's job of the same title is no repost; nor is a job without text.
    fresh = with_history([_pick(_job(4, text=OTHER))], [_job(4, text=OTHER)], shown)
    assert fresh[0].first_seen is None and fresh[0].reposts == 0
    untold = with_history([_pick(_job(5, text="Apply."))], [_job(5, text="Apply.")], shown)
    assert untold[0].first_seen is None and untold[0].fingerprint == ""


def test_the_within_day_collapse_needs_the_same_text_too() -> None:
    board = dataclasses.replace(_job(1, title="Software Engineer"), origin="board")
    copy = _job(2, title="Software Engineer (m/w/d)")
    other = _job(3, title="Software Engineer", text=OTHER)
    risk = _job(4, title="Software Engineer, Risk")
    result = collapse([copy, other, board, risk], threshold=90)
    assert [j.id for j in result.jobs] == ["linkedin:1", "linkedin:3", "linkedin:4"]
    assert result.merged == 1


def test_history_fields_round_trip_and_stay_off_pages_without_them() -> None:
    pick = _pick(_job(1), first_seen=dt.date(2026, 10, 2), reposts=3)
    day = DayPage(date=TODAY, picks=(pick, _pick(_job(2), fingerprint="")))
    text = pages.render(day)
    assert pages.parse(text, "t") == day
    assert text.count("fingerprint:") == 1 and "first_seen: 2026-10-02" in text
    assert "reposts: 3" in text and text.count("reposts:") == 1


def _feed(path: Path, *items: tuple[str, str, str]) -> None:
    """An RSS file of (guid, title at company, description) items."""
    entries = "".join(
        f"<item><title>{escape(title)}</title><link>https://jobs.example.com/{guid}</link>"
        f"<guid>{guid}</guid><location>Berlin, Germany</location>"
        f"<description>{escape(text)}</description>"
        f"<pubDate>Mon, 02 Nov 2026 08:00:00 +0000</pubDate></item>"
        for guid, title, text in items
    )
    path.write_text(f'<rss version="2.0"><channel><title>t</title>{entries}</channel></rss>')


@pytest.mark.parametrize("closed", [False, True])
def test_a_job_reposted_after_its_pick_closed_is_picked_and_says_so(
    tmp_path: Path, closed: bool
) -> None:
    feed = tmp_path / "feed.xml"
    sources = [{"type": "rss", "url": str(feed)}]
    config = load_config(write_config(tmp_path, sources, selection={"min_score": 0}))
    job = "Machine Learning Engineer at Acme"
    _feed(feed, ("a1", job, f"Python. {TEXT}"))
    first = run_day(config, date=dt.date(2026, 11, 2))
    assert first.day is not None and len(first.day.picks) == 1 and first.day.picks[0].fingerprint
    if closed:
        page = pages.read(first.path)
        picks = tuple(p.model_copy(update={"closed": dt.date(2026, 11, 9)}) for p in page.picks)
        pages.write(page.model_copy(update={"picks": picks}), config.picks_dir)
    _feed(feed, ("a1", job, f"Python. {TEXT}"), ("a2", job, f"Python. {TEXT} Apply today."))
    second = run_day(config, date=dt.date(2026, 11, 20))
    assert second.day is not None
    if not closed:  # the same job, still open: not shown again under its new URL
        assert second.day.picks == () and second.shown == 2
        return
    [repost] = second.day.picks
    assert repost.url == "https://jobs.example.com/a2"
    assert (repost.first_seen, repost.reposts) == (dt.date(2026, 11, 2), 1)
    assert "first_seen: 2026-11-02" in second.path.read_text(encoding="utf-8")
    assert "1 pick reposted after an earlier pick closed or aged" in second.details()
