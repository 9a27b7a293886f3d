"""Does the local scorer learn from the reader's verdicts? Two measures (issue 21).

1. A simulated reader whose taste differs from its profile: it never wants one employer
   (Globex) nor one kind of role (data engineering) that the profile matches well. Over ten
   synthetic days, each with new postings (and reposts of earlier ones under new URLs), the
   real `jobpicks run` writes the day's page; the reader dismisses every pick it dislikes
   ("Not for me", reason company for Globex, skills for data roles) with `record`, as
   `jobpicks feedback` does. Printed per day: precision@10 against its taste with the
   verdicts, and with the profile alone; and whether a dismissed job or a repost of one was
   ever picked again. Target: at least 0.9 from day 4 on; none picked again.
2. The legacy fixture pages with a real model's scores: verdicts from two pages (liked where
   the model scored 90 or more, dismissed at 70 or less), then Spearman's rho of the local
   scores against the model's on the third page, without and with the verdicts, for each
   page held out.

    .venv/bin/python bench/feedback.py           # both
    .venv/bin/python bench/feedback.py --speed   # and a 10,000-posting run with 300 verdicts
"""

from __future__ import annotations

import csv
import datetime as dt
import logging
import random
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from unittest import mock

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

from scorer import legacy_postings, spearman  # noqa: E402

from generator import pages  # noqa: E402
from generator.config import load_config  # noqa: E402
from generator.feedback import (  # noqa: E402
    Example,
    Feedback,
    Mark,
    Reason,
    Verdict,
    mark_pick,
    record,
    save_feedback,
)
from generator.legacy import parse_legacy  # noqa: E402
from generator.models import DayPage, Pick  # noqa: E402
from generator.pipeline import run_day  # noqa: E402
from generator.profile import load_profile  # noqa: E402
from generator.scoring.local import LocalScorer  # noqa: E402

PROFILE = """\
---
titles: [Backend Engineer, Data Engineer, Platform Engineer]
must_have: [Python]
nice_to_have: [PostgreSQL, Kafka, Kubernetes, AWS, Terraform, Spark, Airflow, gRPC]
locations: [Berlin, Remote]
remote: any
seniority: [mid, senior]
---
Backend, data and platform engineering in Python, in Berlin or remote.
"""
DAYS = 10
PER_DAY = 150
START = dt.date(2026, 11, 2)
UNWANTED_EMPLOYER = "Globex"
COMPANIES = [
    UNWANTED_EMPLOYER,
    *(
        f"{a} {b}"
        for a in ("Northwind", "Helio", "Pinecrest", "Fjord", "Tidewater", "Cobalt", "Vantage")
        for b in ("Cloud", "Labs", "Systems")
    ),
]
ROLES = {
    "backend": [
        "Backend Engineer",
        "Python Backend Engineer",
        "Backend Developer (Python)",
        "Software Engineer, Backend",
        "API Engineer",
    ],
    "platform": [
        "Platform Engineer",
        "Cloud Platform Engineer",
        "Infrastructure Engineer",
        "Site Reliability Engineer",
        "DevOps Engineer",
    ],
    "data": [
        "Data Engineer",
        "Big Data Engineer",
        "Data Engineer, Pipelines",
        "Analytics Engineer",
        "Data Platform Engineer",
        "ETL Developer",
    ],
    "other": [
        "Frontend Engineer",
        "Product Designer",
        "Account Executive",
        "iOS Developer",
        "QA Analyst",
        "Engineering Manager",
    ],
}
SKILLS = {
    "backend": ["PostgreSQL", "Kafka", "gRPC", "AWS", "Redis"],
    "platform": ["Kubernetes", "Terraform", "AWS", "Prometheus", "Kafka"],
    "data": ["Spark", "Airflow", "Kafka", "PostgreSQL", "AWS", "dbt"],
    "other": ["React", "Figma", "Salesforce", "Swift", "Selenium"],
}
KIND_WEIGHTS = {"backend": 3, "platform": 2, "data": 3, "other": 2}
PLACES = ["Berlin, Germany", "Remote", "Berlin", "Munich, Germany", "Remote (EU)", "Hamburg"]
LEVELS = ["", "", "Senior ", "Senior ", "Junior ", "Staff "]
FIELDS = ["title", "company", "location", "job_url", "description", "date_posted"]


KINDS = {title: kind for kind, titles in ROLES.items() for title in titles}


def kind_of(title: str) -> str:
    for level in LEVELS:
        title = title.removeprefix(level)
    return KINDS[title]


def wanted(pick: Pick) -> bool:
    """The reader's taste: what the profile asks for, but never Globex nor data roles."""
    return pick.company != UNWANTED_EMPLOYER and kind_of(pick.title) in ("backend", "platform")


def day_postings(
    rng: random.Random, day: int, reposts: Sequence[dict[str, str]]
) -> list[dict[str, str]]:
    rows = []
    kinds = [k for k, w in KIND_WEIGHTS.items() for _ in range(w)]
    for n in range(PER_DAY):
        kind = rng.choice(kinds)
        company = UNWANTED_EMPLOYER if rng.random() < 0.2 else rng.choice(COMPANIES[1:])
        title = rng.choice(LEVELS) + rng.choice(ROLES[kind])
        skills = rng.sample(SKILLS[kind], 3) + (
            ["Python"] if kind != "other" and rng.random() < 0.8 else []
        )
        rows.append(
            {
                "title": title,
                "company": company,
                "location": rng.choice(PLACES),
                "job_url": f"https://jobs.example/{day}/{n}",
                "description": f"{company} is hiring a {title}. "
                f"You will work with {', '.join(skills)}.",
                "date_posted": (START + dt.timedelta(days=day)).isoformat(),
            }
        )
    return rows + [dict(r, job_url=f"{r['job_url']}-repost-{day}") for r in reposts]


def write_project(folder: Path) -> Path:
    (folder / "profile.md").write_text(PROFILE, encoding="utf-8")
    config = {
        "profile": "profile.md",
        "docs_dir": "docs",
        "sources": [{"type": "csv", "name": "day", "url": "day.csv"}],
        "scoring": {"scorer": "local"},
    }
    path = folder / "jobpicks.yml"
    path.write_text(yaml.safe_dump(config), encoding="utf-8")
    return path


@dataclass
class Day:
    precision: float
    """Of the day's top 10 picks, the share the reader wants."""
    used: int
    """Verdicts the day's scores used."""
    kept_out: int
    """Postings the verdicts kept out before scoring (a dismissed employer, a repost)."""
    again: int
    """Picks that are a dismissed job or a repost of one: must stay 0."""


def simulate(folder: Path, *, learn: bool, scorer_learns: bool = True, seed: int = 21) -> list[Day]:
    """The ten days; with `learn`, the reader dismisses what it dislikes after each.
    Without `scorer_learns`, only the rules (no repost, employer out) use the verdicts."""
    if not scorer_learns:
        with mock.patch.object(LocalScorer, "learn", lambda self, examples: 0):
            return simulate(folder, learn=learn, seed=seed)
    config = load_config(write_project(folder))
    rng = random.Random(seed)
    dismissed: list[dict[str, str]] = []
    out = []
    for day in range(DAYS):
        date = START + dt.timedelta(days=day)
        reposts = rng.sample(dismissed, min(8, len(dismissed)))
        with (folder / "day.csv").open("w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, FIELDS)
            writer.writeheader()
            writer.writerows(day_postings(rng, day, reposts))
        result = run_day(config, date=date, today=date)
        assert result.day is not None
        picks = result.day.picks
        top = picks[:10]
        keys = {(r["company"], r["title"], r["location"]) for r in dismissed}
        out.append(
            Day(
                precision=sum(wanted(p) for p in top) / max(1, len(top)),
                used=result.day.feedback or 0,
                kept_out=sum(result.ruled_out.values()),
                again=sum((p.company, p.title, p.location) in keys for p in picks),
            )
        )
        if not learn:
            continue
        disliked: list[tuple[Reason, list[Pick]]] = [
            ("company", [p for p in picks if p.company == UNWANTED_EMPLOYER]),
            ("skills", [p for p in picks if p.company != UNWANTED_EMPLOYER and not wanted(p)]),
        ]
        for reason, chosen in disliked:
            if chosen:
                ids = [p.id for p in chosen]
                record(
                    config.feedback,
                    config.picks_dir,
                    "dismissed",
                    ids,
                    date,
                    reason=reason,
                    today=date,
                )
            dismissed += [
                {
                    "title": p.title,
                    "company": p.company,
                    "location": p.location,
                    "job_url": p.url,
                    "description": f"{p.company} is hiring a {p.title}.",
                    "date_posted": date.isoformat(),
                }
                for p in chosen
            ]
    return out


def bench_reader() -> None:
    logging.disable(logging.WARNING)
    with tempfile.TemporaryDirectory() as a, tempfile.TemporaryDirectory() as b:
        learned = simulate(Path(a), learn=True)
        alone = simulate(Path(b), learn=False)
    with tempfile.TemporaryDirectory() as c:
        rules = simulate(Path(c), learn=True, scorer_learns=False)
    print(
        f"{PER_DAY} new postings a day, plus up to 8 reposts of dismissed jobs under new URLs\n"
        "day  precision@10: with verdicts  rules only  profile alone  verdicts used"
        "  kept out by verdicts  dismissed picked again"
    )
    for number, days in enumerate(zip(learned, rules, alone, strict=True), start=1):
        day, rule, base = days
        print(
            f"{number:3d}  {day.precision:27.1f}  {rule.precision:10.1f}  {base.precision:13.1f}"
            f"  {day.used:13d}  {day.kept_out:20d}  {day.again:22d}"
        )
    later = [day.precision for day in learned[3:]]
    print(
        f"days 4-{DAYS}: min {min(later):.1f}, mean {sum(later) / len(later):.2f} "
        f"(target >= 0.9); dismissed jobs or reposts picked again: "
        f"{sum(day.again for day in learned)} (target 0)"
    )


def bench_legacy() -> None:
    profile = load_profile(ROOT / "bench" / "legacy-profile.md")
    paths = sorted((ROOT / "tests" / "fixtures" / "legacy").glob("*.md"))
    days = {p.stem: parse_legacy(p.read_text(encoding="utf-8"), p).day for p in paths}
    postings = {job.id: (job, score) for job, score in legacy_postings()}
    print("held-out page  postings  verdicts (liked/dismissed)  rho without  rho with")
    pooled: tuple[list[int], list[int], list[int]] = ([], [], [])
    for held in days:
        examples = []
        for name, day in days.items():
            if name == held:
                continue
            for pick in day.picks:
                verdict = "liked" if pick.score >= 90 else "dismissed" if pick.score <= 70 else ""
                if verdict:
                    mark = Mark(
                        id=pick.id,
                        url=pick.url,
                        title=pick.title,
                        company=pick.company,
                        verdict=verdict,
                        date=day.date,
                    )
                    examples.append(Example(pick, mark))
        judged = {e.pick.id for e in examples}
        test = [postings[p.id] for p in days[held].picks if p.id in postings and p.id not in judged]
        jobs, model = [job for job, _ in test], [score for _, score in test]
        plain = [s.score for s in LocalScorer(profile).score(jobs)]
        scorer = LocalScorer(profile)
        scorer.learn(examples)
        taught = [s.score for s in scorer.score(jobs)]
        for into, values in zip(pooled, (model, plain, taught), strict=True):
            into.extend(values)
        liked = sum(e.mark.verdict == "liked" for e in examples)
        print(
            f"{held:13s}  {len(jobs):8d}  {liked:>10d}/{len(examples) - liked:<15d}  "
            f"{spearman(plain, model):11.3f}  {spearman(taught, model):8.3f}"
        )
    model, plain, taught = pooled
    print(
        f"{'all three':13s}  {len(model):8d}  {'each with the others':>26s}  "
        f"{spearman(plain, model):11.3f}  {spearman(taught, model):8.3f}"
    )


def bench_speed(count: int = 10_000, verdicts: int = 300) -> None:
    """`jobpicks run` over `count` sample postings (bench/run.py's run, in a fresh process),
    without and with `verdicts` marks on an earlier page's picks (a year of marks, roughly)."""
    from run import measure

    from generator.sources import collect

    print(f"jobpicks run over {count:,} sample postings, local scorer; best of 3")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        measure(count, folder)  # writes the feeds and the config
        config = load_config(folder / "jobpicks.yml")
        kinds: list[Verdict] = ["dismissed", "liked", "saved", "applied"]
        reasons: list[Reason | None] = ["skills", "place", "level", None]
        marks, earlier = [], []
        for n, job in enumerate(
            random.Random(1).sample(collect(config.sources, config.fetch).jobs, verdicts)
        ):
            pick = Pick(
                id=job.id,
                title=job.title,
                company=job.company,
                location=job.location,
                url=job.url,
                score=70,
                summary=job.description[:280],
            )
            earlier.append(pick)
            verdict = kinds[n % 4]
            reason = reasons[n // 4 % 4] if verdict == "dismissed" else None
            marks.append(mark_pick(pick, verdict, dt.date(2026, 11, 1), reason=reason))
        pages.write(DayPage(date=dt.date(2026, 11, 1), picks=tuple(earlier)), config.picks_dir)
        for label, marked in (("no verdicts", []), (f"{verdicts} verdicts", marks)):
            save_feedback(config.feedback, Feedback(tuple(marked)))
            seconds, peak, _ = min(measure(count, folder) for _ in range(3))
            print(f"  {label:>14}: {seconds:5.2f} s, peak {peak:.0f} MB")


if __name__ == "__main__":
    bench_reader()
    print()
    bench_legacy()
    if "--speed" in sys.argv:
        print()
        bench_speed()
