"""Benchmark what health and notify cost a run with years of history behind it.

Writes `--days` day pages (20 picks and 12 source outcomes each, like a run's), one source
failing on the last `--failing` of them, then times, in this process: the history findings
as the run computes them (it reads only as far back as a streak goes), and `jobpicks notify`'s
work before sending (the page, the findings, the site address and the message in all three
formats). Target: both well under 1 s at 1,095 days, so health never shows in a run's time.

    .venv/bin/python bench/health.py [--days 1095] [--failing 30]
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from apprise import NotifyFormat  # noqa: E402

from generator import health, pages  # noqa: E402
from generator.config import Config  # noqa: E402
from generator.models import DayPage, Pick, SourceOutcome  # noqa: E402
from generator.notify import day_message  # noqa: E402

TODAY = dt.date(2026, 11, 23)


def history(picks_dir: Path, days: int, failing: int) -> None:
    for n in range(days):
        date = TODAY - dt.timedelta(days=days - 1 - n)
        broken = n >= days - failing
        outcomes = [SourceOutcome(name=f"greenhouse board{i}", postings=40) for i in range(11)]
        outcomes.append(
            SourceOutcome(name="feed Gone", error="HTTP 404 Not Found")
            if broken
            else SourceOutcome(name="feed Gone", postings=25)
        )
        picks = tuple(
            Pick(
                id=f"{date}-{i}",
                title=f"Backend Engineer {i}",
                company=f"Company {i}",
                location="Berlin",
                url=f"https://jobs.example.org/{date}/{i}",
                score=95 - i,
            )
            for i in range(20)
        )
        day = DayPage(
            date=date, picks=picks, scorer="local", sources=tuple(outcomes), new_postings=120
        )
        pages.write(day, picks_dir)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=1095)
    parser.add_argument("--failing", type=int, default=30)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        config = Config.model_validate(
            {"sources": [{"url": "x.xml"}], "docs_dir": str(root / "docs"), "allow_samples": True}
        ).model_copy(update={"profile": ROOT / "profile.md"})
        config = config.model_copy(
            update={"site": config.site.model_copy(update={"url": "https://x.example/"})}
        )
        started = time.perf_counter()
        history(config.picks_dir, args.days, args.failing)
        written = time.perf_counter() - started

        started = time.perf_counter()
        today = pages.read(pages.page_path(config.picks_dir, TODAY))
        findings = health.history_findings(today, health.earlier_days(config.picks_dir, TODAY))
        run_cost = time.perf_counter() - started

        started = time.perf_counter()
        today = pages.read(pages.page_path(config.picks_dir, TODAY))
        earlier = health.earlier_days(config.picks_dir, TODAY)
        found = health.all_findings(config, root / "jobpicks.yml", today, earlier)
        message = day_message(today, config, findings=found, page_url="https://x.example/d/")
        assert message is not None
        sizes = [
            len(message.body(f))
            for f in (NotifyFormat.TEXT, NotifyFormat.MARKDOWN, NotifyFormat.HTML)
        ]
        notify_cost = time.perf_counter() - started

    print(f"{args.days} day pages written in {written:.1f} s (setup)")
    print(f"findings: {findings}")
    print(f"run's history findings: {run_cost * 1000:.0f} ms")
    print(
        f"notify before sending: {notify_cost * 1000:.0f} ms; "
        f"message text/markdown/html {sizes} chars"
    )


if __name__ == "__main__":
    main()
