"""Benchmark the site at 30, 365 and 1,095 days of synthetic history (20 picks a day).

For each size: `jobpicks build` (staging every derived page and feed, then a real MkDocs
build) side by side with python-markdown alone rendering the same day pages, plus the
site's size, largest page, page count, search payload and feed sizes.
Targets (issue "The searchable site"): a day page under 60 KB; the site under 100 MB at
1,095 days; build time at most 2x render-only; peak memory under 1 GB; search payload at most
500 KB compressed; a company search answering in under 300 ms once the index is loaded.
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import markdown
import yaml

from generator import pages
from generator.config import load_config
from generator.models import DayPage, Pay, Pick
from generator.site import build

sys.path.insert(0, str(Path(__file__).resolve().parent))
from search_latency import first_search_payload, search_latency

ROOT = Path(__file__).resolve().parent.parent
ROLES = [
    "Backend Engineer",
    "Senior Backend Engineer",
    "Platform Engineer",
    "Data Engineer",
    "Machine Learning Engineer",
    "Site Reliability Engineer",
    "Software Engineer Intern",
    "Staff Software Engineer",
    "Frontend Engineer",
    "Full Stack Developer",
    "DevOps Engineer",
    "Security Engineer",
    "Android Engineer",
    "iOS Engineer",
    "Engineering Manager",
    "Research Scientist",
    "Data Scientist",
    "QA Engineer",
]
TEAMS = [
    "Payments",
    "Search",
    "Ads",
    "Infrastructure",
    "Growth",
    "Core",
    "ML Platform",
    "Identity",
    "Storage",
    "Observability",
    "Mobile",
    "Risk",
]
PLACES = [
    "Berlin, Germany",
    "London, UK",
    "Remote",
    "San Francisco, CA",
    "New York, NY",
    "Amsterdam, Netherlands",
    "Paris, France",
    "Seattle, WA",
    "",
]


SYLLABLES = ["vel", "or", "ix", "qua", "nt", "ra", "zen", "do", "lu", "mi", "ka", "stra", "po"]
SYLLABLES += ["ne", "tri", "ven", "sol", "ar", "cy", "ber", "nor", "dyn", "ex", "ta", "li", "mo"]
SUFFIXES = ["Labs", "Inc", "GmbH", "AI", "Systems", "", "", ""]


def company_names(count: int, rng: random.Random) -> list[str]:
    """Distinct, made-up employer names ("Velorix Labs", "Quantra"): a reader searches for a
    name's first word, so each must be its own word, not a shared prefix and a number."""
    names: dict[str, str] = {}
    while len(names) < count:
        word = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()
        if word.casefold() not in names:
            names[word.casefold()] = f"{word} {rng.choice(SUFFIXES)}".strip()
    return list(names.values())


def synthetic_days(count: int, seed: int = 11) -> list[DayPage]:
    """`count` days ending 2026-11-23, 20 picks each, companies drawn Zipf-like from 3,000."""
    rng = random.Random(seed)
    facts = random.Random(seed + 1)  # its own stream: the same companies and roles as before
    companies = company_names(3000, rng)
    weights = [1 / (rank + 1) for rank in range(len(companies))]
    end = dt.date(2026, 11, 23)
    days = []
    serial = 0
    for offset in range(count):
        date = end - dt.timedelta(days=offset)
        picks = []
        for _ in range(20):
            serial += 1
            company = rng.choices(companies, weights)[0]
            role = f"{rng.choice(ROLES)}, {rng.choice(TEAMS)}"
            picks.append(
                Pick(
                    id=f"linkedin:{4000000000 + serial}",
                    title=role,
                    company=company,
                    location=rng.choice(PLACES),
                    url=f"https://www.linkedin.com/jobs/view/{4000000000 + serial}",
                    score=rng.randint(60, 98),
                    reason=(
                        "Strong match with Python, Kubernetes and distributed systems; "
                        "remote friendly and at the right level for the candidate's experience."
                    ),
                    summary=(
                        f"{role} at {company}, building and operating large-scale services "
                        "with a small team; owns features end to end from design to on-call "
                        "and works closely with product and data science."
                    ),
                    source="bench",
                    posted=date - dt.timedelta(days=facts.randint(0, 9)),
                    # Decision facts on some picks, as sources and scorers state them.
                    work_mode=facts.choice([None, "remote", "hybrid", "onsite"]),
                    pay=facts.choice(
                        [None, None, Pay(min=70000, max=95000, currency="EUR", period="year")]
                    ),
                    level=facts.choice([None, "mid", "senior"]),
                )
            )
        days.append(DayPage(date=date, picks=tuple(picks), scorer="local"))
    return days


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def _gz(path: Path) -> int:
    return len(gzip.compress(path.read_bytes(), 6))


def synthetic_project(count: int, workdir: Path) -> Path:
    """A project in `workdir` with `count` synthetic days written; returns its config."""
    config_path = workdir / "jobpicks.yml"
    config_path.write_text(
        yaml.safe_dump(
            {
                "profile": str(ROOT / "samples" / "profile.md"),
                "sources": [{"url": "unused.xml"}],
                "site": {"url": "https://picks.example.org/"},
            }
        ),
        encoding="utf-8",
    )
    shutil.copy(ROOT / "mkdocs.yml", workdir / "mkdocs.yml")
    shutil.copytree(ROOT / "generator" / "theme", workdir / "generator" / "theme")
    shutil.copytree(ROOT / "docs", workdir / "docs", ignore=shutil.ignore_patterns("picks"))
    config = load_config(config_path)
    for day in synthetic_days(count):
        pages.write(day, config.picks_dir)
    return config_path


def measure(count: int, workdir: Path) -> dict[str, float]:
    config_path = synthetic_project(count, workdir)
    config = load_config(config_path)

    started = time.perf_counter()
    for path in pages.iter_page_paths(config.picks_dir):
        body = path.read_text(encoding="utf-8").split("\n---\n", 1)[1]
        markdown.markdown(body, extensions=["attr_list", "md_in_html", "tables", "toc"])
    render = time.perf_counter() - started

    result = build(config, workdir / "mkdocs.yml", strict=True)
    site = result.site_dir
    # Does rendering the days in one MkDocs process per core pay? The same build with one
    # and with two processes, alternated, best of two each (this machine is noisy).
    # Wall time is what a reader waits for; the engines' CPU time shows what the second
    # process costs, which is what decides it on a machine whose other core is busy.
    one: list[tuple[float, float]] = []
    two: list[tuple[float, float]] = []
    for _ in range(2):
        for processes, runs in ((1, one), (2, two)):
            before = _children_cpu()
            seconds = build(
                config, workdir / "mkdocs.yml", strict=True, processes=processes
            ).seconds
            runs.append((seconds, _children_cpu() - before))
    html = list(site.rglob("*.html"))
    # Before the browser starts: its processes would count as our children too.
    peak_child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    peak_self = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    counts = Counter(p.company for d in synthetic_days(count) for p in d.picks)
    heaviest = counts.most_common(1)[0][0]
    typical = min(counts, key=lambda c: (abs(counts[c] - 20), c))
    ready, latency = search_latency(site, typical.split()[0])
    _, latency_full = search_latency(site, heaviest.split()[0])
    return {
        "days": count,
        "build_s": result.seconds,
        "render_s": render,
        "ratio": result.seconds / render,
        "site_mb": _size(site) / 1e6,
        "largest_kb": max(p.stat().st_size for p in html) / 1e3,
        "largest_day_kb": max(p.stat().st_size for p in (site / "picks").rglob("*.html")) / 1e3,
        "pages": len(html),
        "index_kb_gz": _gz(site / "search/search_index.json") / 1e3,
        "search_kb_gz": first_search_payload(site) / 1e3,
        "ready_s": ready,
        "query_ms": latency,
        "query_full_ms": latency_full,
        "typical_picks": counts[typical],
        "heaviest_picks": counts[heaviest],
        "feed_kb": (site / "feed.xml").stat().st_size / 1e3,
        "company_feeds_mb": _size(site / "feeds") / 1e6,
        # ru_maxrss of children is the largest one's peak; engine processes run side by
        # side, so parent + each process at that peak bounds the machine's peak from above.
        "peak_mb": peak_self + result.engine_processes * peak_child,
        "processes": result.engine_processes,
        "one_process_s": min(one)[0],
        "one_process_cpu_s": min(one)[1],
        "two_processes_s": min(two)[0],
        "two_processes_cpu_s": min(two)[1],
        "load": os.getloadavg()[0],
    }


def measure_in_child(count: int) -> dict[str, float]:
    """One size in a fresh process, so peak memory is that size's alone (and no browser's)."""
    done = subprocess.run(
        [sys.executable, __file__, "--one", str(count)], check=True, capture_output=True, text=True
    )
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main(counts: list[int]) -> None:
    print(
        f"{'days':>5} {'build s':>8} {'md s':>6} {'ratio':>5} {'site MB':>8} "
        f"{'largest KB':>10} {'day KB':>7} {'pages':>6} {'search KB gz':>12} "
        f"{'feed KB':>7} {'co. feeds MB':>12} {'peak MB':>7} {'ready s':>7} {'query ms':>8} "
        f"{'heavy ms':>9}"
    )
    for count in counts:
        m = measure_in_child(count)
        print(
            f"{m['days']:>5.0f} {m['build_s']:>8.1f} {m['render_s']:>6.1f} "
            f"{m['ratio']:>5.2f} {m['site_mb']:>8.1f} {m['largest_kb']:>10.0f} "
            f"{m['largest_day_kb']:>7.0f} {m['pages']:>6.0f} {m['search_kb_gz']:>12.0f} "
            f"{m['feed_kb']:>7.0f} {m['company_feeds_mb']:>12.1f} {m['peak_mb']:>7.0f} "
            f"{m['ready_s']:>7.2f} {m['query_ms']:>8.0f} {m['query_full_ms']:>9.0f}  "
            f"(engine processes {m['processes']:.0f}; typical company "
            f"{m['typical_picks']:.0f} picks, heaviest {m['heaviest_picks']:.0f}; "
            f"build with 1 engine process {m['one_process_s']:.1f} s "
            f"(engine CPU {m['one_process_cpu_s']:.1f} s), with 2 {m['two_processes_s']:.1f} s "
            f"(engine CPU {m['two_processes_cpu_s']:.1f} s); load average {m['load']:.1f})"
        )
        sys.stdout.flush()


if __name__ == "__main__":
    if sys.argv[1:2] == ["--one"]:
        with tempfile.TemporaryDirectory(prefix="jobpicks-site-") as tmp:
            print(json.dumps(measure(int(sys.argv[2]), Path(tmp))))
    else:
        main([int(a) for a in sys.argv[1:]] or [30, 365, 1095])
