"""Quiet days read as quiet (#22): a day whose postings mostly missed the bar says so in
words on its page, the home page, the archive and its feed item, from the fields the run
records (`DayPage.quiet`, `best_score`, `bar`; `selection.day_bar`). A full day, and a page
written before those fields, read as they did."""

from __future__ import annotations

import datetime as dt

import feedparser
import pytest

from generator.config import Config
from generator.models import DayPage, Pick
from generator.site import dayline, derive, feeds

QUIET = dt.date(2026, 11, 25)
EMPTY = dt.date(2026, 11, 24)
FULL = dt.date(2026, 11, 23)


def _pick(n: int, score: int) -> Pick:
    return Pick(
        id=f"p{n}",
        title=f"Engineer {n}",
        company=f"Acme {n}",
        url=f"https://x.example/{n}",
        score=score,
        reason="Lacks Go.",
    )


@pytest.fixture()
def data() -> derive.SiteData:
    return derive.collect(
        [
            DayPage(
                date=QUIET,
                picks=(_pick(1, 58), _pick(2, 52), _pick(3, 41)),
                best_score=58,
                bar=40,
                quiet=True,
            ),
            DayPage(date=EMPTY, best_score=38, bar=40, quiet=True),
            DayPage(
                date=FULL, picks=tuple(_pick(n, 90) for n in range(4, 24)), best_score=95, bar=40
            ),
        ]
    )


def test_a_quiet_day_says_so_wherever_the_day_is_told(data: derive.SiteData) -> None:
    quiet, empty, full = data.days
    assert dayline.day_summary(quiet) == "a quiet day: 3 picks, best score 58"
    assert dayline.day_summary(empty) == (
        "a quiet day: no picks, best score 38, below the bar of 40"
    )
    assert dayline.day_summary(full) == "20 picks"  # a full day names no best score
    assert "a quiet day: 3 picks, best score 58" in derive.day_page(data, quiet).text
    assert "best score 38, below the bar of 40" in derive.day_page(data, empty).text
    home = derive.home_page(data, "Picks").text
    assert (
        '<p class="jp-dayline" data-day="2026-11-25">a quiet day: 3 picks, best score 58 · ' in home
    )
    # Without JavaScript the line says when; the page's script says how long ago.
    assert '<span class="jp-updated" data-latest="2026-11-25">updated 25 Nov 2026</span>' in home
    archive = derive.archive_pages(data)["archive/index.md"]
    assert '<span class="jp-count">a quiet day: 3 picks</span>' in archive
    assert '<span class="jp-count">a quiet day: no picks</span>' in archive
    assert '<span class="jp-count">20 picks</span>' in archive


def test_a_quiet_days_feed_item_says_so(data: derive.SiteData) -> None:
    config = Config.model_validate(
        {"profile": "profile.md", "sources": [{"type": "feed", "url": "feed.xml"}]}
    )
    entries = feedparser.parse(feeds.feeds(data, config, "https://x.example/")["feed.xml"])
    titles = [e.title for e in entries.entries]
    assert titles[0] == "A quiet day, Wed 25 Nov 2026: 3 picks, best score 58"
    assert titles[1] == (
        "A quiet day, Tue 24 Nov 2026: no picks, best score 38, below the bar of 40"
    )
    assert not titles[2].startswith("A quiet day")


def test_a_page_written_before_the_bar_was_recorded_reads_as_before() -> None:
    old = DayPage(date=FULL, picks=(_pick(1, 70),))
    assert dayline.day_summary(old) == "1 pick"
    assert dayline.best_text(old) == ""


def test_what_the_verdicts_kept_out_is_told_wherever_the_day_is() -> None:
    """The run records it (`DayPage.kept_out`); the day page, the home page, the archive and
    the feed item say it when the verdicts kept any posting out."""
    from generator import pages

    kept = DayPage(date=QUIET, picks=(_pick(1, 67),), best_score=67, bar=40, quiet=True, kept_out=2)
    none_kept = DayPage(date=EMPTY, picks=(_pick(2, 80),), bar=40, kept_out=0, feedback=5)
    full = DayPage(date=FULL, picks=tuple(_pick(n, 90) for n in range(4, 24)), kept_out=1)
    text = pages.render(kept)
    assert "\nkept_out: 2\n" in text and pages.parse(text, "x") == kept
    assert "kept_out" not in pages.render(DayPage(date=FULL))  # an older page's front matter

    line = "a quiet day: 1 pick, best score 67 · 2 kept out by your verdicts"
    assert dayline.day_summary(kept) == line
    assert dayline.day_summary(none_kept) == "1 pick"
    assert dayline.day_summary(full) == "20 picks · 1 kept out by your verdicts"
    data = derive.collect([kept, none_kept, full])
    assert f'data-day="2026-11-25">{line}</p>' in derive.day_page(data, kept).text
    home = derive.home_page(data, "Picks").text
    assert f'<p class="jp-dayline" data-day="2026-11-25">{line} · <span' in home
    archive = derive.archive_pages(data)["archive/index.md"]
    assert (
        '<span class="jp-count">a quiet day: 1 pick · 2 kept out by your verdicts</span>' in archive
    )
    assert '<span class="jp-count">1 pick</span>' in archive
    year = derive.archive_pages(data)["archive/2026.md"]
    assert "a quiet day: 1 pick · 2 kept out by your verdicts" in year
    # The home page's row of recent days keeps to the count.
    assert '<span class="jp-count">20 picks</span>' in derive.home_page(data, "Picks").text
    config = Config.model_validate(
        {"profile": "profile.md", "sources": [{"type": "feed", "url": "feed.xml"}]}
    )
    entries = feedparser.parse(feeds.feeds(data, config, "https://x.example/")["feed.xml"])
    titles = [e.title for e in entries.entries]
    assert titles[0] == (
        "A quiet day, Wed 25 Nov 2026: 1 pick, best score 67 · 2 kept out by your verdicts"
    )
    assert titles[1] == "1 pick from Acme 2"
    assert titles[2].endswith(": Acme 4, Acme 5, Acme 6 and 17 more · 1 kept out by your verdicts")


def test_a_sample_day_says_its_jobs_are_invented_wherever_the_day_is() -> None:
    """The quick start's site is the bundled samples' invented jobs: each place that tells
    the day says so, so nobody takes it for real picks (`DayPage.sample`)."""
    sample = DayPage(date=FULL, picks=(_pick(1, 80),), sample=True)
    said = f"1 pick · {dayline.SAMPLE_TEXT}"
    assert dayline.day_summary(sample) == said
    data = derive.collect([sample])
    assert f'data-day="{FULL.isoformat()}">{said}</p>' in derive.day_page(data, sample).text
    assert said in derive.archive_pages(data)["archive/index.md"]
    config = Config.model_validate(
        {"profile": "profile.md", "sources": [{"type": "feed", "url": "feed.xml"}]}
    )
    entries = feedparser.parse(feeds.feeds(data, config, "https://x.example/")["feed.xml"])
    assert entries.entries[0].title.endswith(dayline.SAMPLE_TEXT)
    assert dayline.SAMPLE_TEXT not in dayline.day_summary(DayPage(date=FULL, picks=()))
