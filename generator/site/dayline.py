"""A day in words, as its page, the home page, the archive and the feed say it: how many
picks, and whether the day was quiet (`selection.day_bar`: fewer postings cleared the bar
than the page had room for), so a thin day reads as thin rather than as a full one.
"""

from __future__ import annotations

from generator.models import DayPage
from generator.site.dates import day_text
from generator.text import plural


def best_text(day: DayPage) -> str:
    """ "best score 58" when the page recorded it ("" for older pages); on a day with no
    picks, "best score 38, below the bar of 40", so an empty page says why it is empty."""
    if day.best_score is None:
        return ""
    below = not day.picks and day.bar is not None and day.best_score < day.bar
    return f"best score {day.best_score}" + (f", below the bar of {day.bar}" if below else "")


def _picks(day: DayPage) -> str:
    return plural(len(day.picks), "pick") if day.picks else "no picks"


def count_text(day: DayPage) -> str:
    """ "20 picks"; on a quiet day "a quiet day: 3 picks" (or "a quiet day: no picks")."""
    return f"a quiet day: {_picks(day)}" if day.quiet else _picks(day)


def day_summary(day: DayPage, note: str = "") -> str:
    """The day's line: "20 picks, 19 still open"; "a quiet day: 3 picks, best score 58"
    (a quiet day names its best score, so the reader sees how far below the bar it was).
    `note` is what the site knows of the picks' openness (`openness.Knowledge.note`)."""
    parts = [count_text(day) + note]
    if day.quiet and (best := best_text(day)):
        parts.append(best)
    return ", ".join(parts)


def feed_title(day: DayPage) -> str:
    """A quiet day's feed item: "A quiet day, Mon 23 Nov 2026: 3 picks, best score 58"."""
    words = [_picks(day)]
    if best := best_text(day):
        words.append(best)
    return f"A quiet day, {day_text(day.date)}: " + ", ".join(words)
