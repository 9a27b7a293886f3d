"""A day in words, as its page, the home page, the archive and the feed say it: how many
picks, and whether the day was quiet (`selection.day_bar`: fewer postings cleared the bar
than half the page had room for), so a thin day reads as thin rather than as a full one; and
how many postings the reader's verdicts kept out, so what they changed shows on the site;
and whether the day is the bundled samples' invented jobs.
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


def kept_out_text(day: DayPage) -> str:
    """ "2 kept out by your verdicts" (postings of jobs applied to or marked Not for me,
    their reposts, an employer marked Not for me); "" when none or not recorded."""
    return f"{day.kept_out} kept out by your verdicts" if day.kept_out else ""


SAMPLE_TEXT = "a sample day of invented jobs"
"""What a day written from `samples/` says on the site, so the quick start's site is not
taken for real picks (`DayPage.sample`)."""


def with_notes(text: str, day: DayPage) -> str:
    """`text`, then " · 2 kept out by your verdicts" when the verdicts kept any out, and
    " · a sample day: …" on a day written from the bundled samples."""
    notes = [note for note in (kept_out_text(day), SAMPLE_TEXT if day.sample else "") if note]
    return " · ".join([text, *notes])


def list_text(day: DayPage) -> str:
    """A day in a list of days (archive, recent days): "a quiet day: 3 picks · 2 kept out
    by your verdicts"."""
    return with_notes(count_text(day), day)


def day_summary(day: DayPage, note: str = "") -> str:
    """The day's line: "20 picks, 19 still open"; "a quiet day: 3 picks, best score 58"
    (a quiet day names its best score, so the reader sees how far below the bar it was),
    then what the verdicts kept out. `note` is what the site knows of the picks' openness
    (`openness.Knowledge.note`)."""
    parts = [count_text(day) + note]
    if day.quiet and (best := best_text(day)):
        parts.append(best)
    return with_notes(", ".join(parts), day)


def feed_title(day: DayPage) -> str:
    """A quiet day's feed item: "A quiet day, Mon 23 Nov 2026: 3 picks, best score 58"
    (`feeds.day_title` adds what the verdicts kept out)."""
    words = [_picks(day)]
    if best := best_text(day):
        words.append(best)
    return f"A quiet day, {day_text(day.date)}: " + ", ".join(words)
