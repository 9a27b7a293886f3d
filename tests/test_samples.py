"""The bundled sample day reads like a real one: varied jobs, every reason and summary its own."""

from __future__ import annotations

import re
import sys
from collections import Counter
from pathlib import Path

from generator import pages

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = Path(__file__).parent / "golden" / "2026-11-23.md"


def test_no_two_picks_of_the_sample_day_share_a_reason_or_a_summary_sentence() -> None:
    day = pages.read(GOLDEN)  # the sample day, `jobpicks run --date 2026-11-23`
    assert len(day.picks) == 20
    reasons = Counter(p.reason for p in day.picks)
    sentences = Counter(s for p in day.picks for s in re.split(r"(?<=[.!?])\s+", p.summary) if s)
    assert [r for r, n in reasons.items() if n > 1] == []
    assert [s for s, n in sentences.items() if n > 1] == []
    assert len({p.title for p in day.picks}) >= 8
    assert len({p.company for p in day.picks}) >= 12


def test_the_sample_feeds_are_what_make_samples_writes(tmp_path: Path) -> None:
    sys.path.insert(0, str(ROOT / "samples"))
    try:
        from make_samples import write_feeds
    finally:
        sys.path.remove(str(ROOT / "samples"))
    for path in write_feeds(tmp_path, 300):
        assert path.read_bytes() == (ROOT / "samples/feeds" / path.name).read_bytes(), path.name
