"""Measure the text extractor (`generator/facts.py`) on the real fixtures' postings.

Each posting's text (title, location, description, salary text) goes through the extractor;
its answers are compared with the truth for that posting: the payload's own structured
fields where it has them (Lever `workplaceType`, Ashby `employmentType`, Himalayas
`minSalary`, ...), else the hand-checked answer key below. Per field it prints

- precision: correct / answered, over postings whose truth is known;
- recall: correct / known;
- wrong: answered but different from the truth (a defect to fix, never a figure to accept);
- unchecked: answered where nothing says what is right (add them to the answer key).

Run: `.venv/bin/python bench/extraction.py` (`--verbose` lists every answer and truth).
"""

from __future__ import annotations

import csv
import json
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import feedparser
import yaml

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "real-feeds"
sys.path.insert(0, str(ROOT))

from generator import facts  # noqa: E402
from generator.config import FeedSource  # noqa: E402
from generator.models import Pay  # noqa: E402
from generator.sources.boards import ashby_jobs, greenhouse_jobs, lever_jobs  # noqa: E402
from generator.sources.feed import parse_feed  # noqa: E402
from generator.sources.jobspy import JOB_LEVELS  # noqa: E402
from generator.text import clean_text, html_to_text  # noqa: E402

FIELDS = ("work_mode", "pay", "visa", "level", "employment")

# Hand-checked answers for postings whose payload says nothing structured about a field:
# (fixture file, posting index) -> field -> the right value, None meaning "the text does
# not state it" (so any answer is wrong). Read from the posting text by hand.
ANSWER_KEY: dict[tuple[str, int], dict[str, Any]] = {
    # Honeycomb: "Remote - United States"; titles name no level; no pay/visa in the text.
    ("ats/michaeldinhmai-job-agent__greenhouse.json", 0): {
        "work_mode": "remote",
        "level": None,
        "visa": None,
    },
    ("ats/michaeldinhmai-job-agent__greenhouse.json", 1): {
        "work_mode": "remote",
        "level": None,
        "visa": None,
    },
    # Lever JumpCloud: account roles, no level in the titles; no visa statement.
    ("ats/michaeldinhmai-job-agent__lever.json", 0): {"level": None, "visa": None},
    ("ats/michaeldinhmai-job-agent__lever.json", 1): {"level": None, "visa": None},
    # Remotive's free-text salary field, read by hand.
    ("jobboards-json/wule15-Job-intelligence-agent__remotive.json", 1): {
        "pay": Pay(min=18, max=22, currency="USD", period="hour"),
    },
    ("jobboards-json/ikevinxie-remote-jobs-collector__remotive.json", 0): {
        "pay": Pay(min=55_000, max=100_000, currency="USD", period="year"),
    },
    ("jobboards-json/ikevinxie-remote-jobs-collector__remotive.json", 1): {
        "pay": Pay(min=25_000, max=35_000, currency="USD", period="year"),  # OTE, a year
    },
    # "$3k - $10k" with no period: monthly commission? Not a statement we can read.
    ("jobboards-json/ikevinxie-remote-jobs-collector__remotive.json", 2): {"pay": None},
    # Render on Ashby: "Software Engineer, Product (all levels)".
    ("ats/michaeldinhmai-job-agent__ashby.json", 1): {"level": None},
    # Remotive (a remote-only board): "a talented Senior Designer looking for a remote job".
    ("jobboards-json/wule15-Job-intelligence-agent__remotive.json", 0): {
        "work_mode": "remote",
        "level": "senior",
    },
    ("jobboards-json/ikevinxie-remote-jobs-collector__workingnomads.json", 3): {
        "work_mode": "remote",  # location "Japan - Remote"
        "level": None,
    },
    # HN "Who is hiring" comments: "Company | Role | Place | Terms | Pay" headers.
    ("jobboards-json/ikevinxie-remote-jobs-collector__hn.json", 0): {
        "work_mode": "remote",
        "employment": "full-time",
    },
    ("jobboards-json/ikevinxie-remote-jobs-collector__hn.json", 1): {
        "work_mode": "remote",
        "employment": "full-time",
        "pay": None,  # "Salary up to $185,500": the top only, not a range
    },
    ("jobboards-json/ikevinxie-remote-jobs-collector__hn.json", 2): {
        "work_mode": "remote",
        "employment": None,  # "Full time or Full time contract"
    },
    ("jobboards-json/ikevinxie-remote-jobs-collector__hn.json", 3): {
        "work_mode": "remote",
        "employment": "full-time",
        "visa": None,  # "the Visa for ID" is a metaphor
    },
    ("jobboards-json/ikevinxie-remote-jobs-collector__hn.json", 5): {
        "work_mode": "onsite",
        "employment": "full-time",
        "pay": Pay(min=160_000, max=180_000, currency="USD", period="year"),
        "visa": None,  # "Visa possible for exceptional candidates"
    },
    ("jobboards-json/ikevinxie-remote-jobs-collector__hn.json", 6): {"work_mode": "remote"},
    # Titles that plainly name their level.
    ("ats/michaeldinhmai-job-agent__smartrecruiters_page0.json", 0): {"level": None},
    ("ats/michaeldinhmai-job-agent__smartrecruiters_page0.json", 1): {"level": "senior"},
    ("ats/michaeldinhmai-job-agent__smartrecruiters_page0.json", 2): {"level": "senior"},
    ("jobboards-json/michaeldinhmai-job-agent__torre_page0.json", 0): {"level": "senior"},
    ("jobboards-json/michaeldinhmai-job-agent__torre_page0.json", 1): {"level": "senior"},
    ("jobboards-json/michaeldinhmai-job-agent__torre_page0.json", 2): {"level": "senior"},
    ("jobboards-json/chrisfey-mvvm-sample-app__github_jobs_position_2019.json", 0): {
        "level": "junior"
    },
    ("jobspy/henriChevreux-FR_jobspy__jobs.csv", 8): {"level": "staff+"},
    # "ALTERNANCE" / "contrat d'alternance" is an apprenticeship, not an internship.
    ("jobspy/henriChevreux-FR_jobspy__jobs.csv", 15): {"level": None},
    ("jobspy/henriChevreux-FR_jobspy__jobs.csv", 26): {"level": None},
    # We Work Remotely and Stack Overflow feeds.
    ("rss/ikevinxie-remote-jobs-collector__wwr.xml", 0): {
        "pay": None,  # "£75 per hour for sessions and £40 per hour for additional work"
    },
    ("rss/ikevinxie-remote-jobs-collector__wwr.xml", 2): {"level": "junior"},  # Entry-Level
    ("rss/jobapis-jobs-stackoverflow__so_jobs_feed_2016.xml", 1): {"level": "senior"},
    ("rss/michaeldinhmai-job-agent__wwr_feed.rss", 2): {"level": "senior"},
    ("rss/himalayas-fixture__feed.xml", 0): {"level": "senior"},  # Senior Flutter Engineer
    ("rss/himalayas-fixture__feed.xml", 1): {"level": "manager"},  # Head of Sales
    # "communication vers les sponsors": project stakeholders, not visas.
    ("jobspy/henriChevreux-FR_jobspy__jobs.csv", 5): {"visa": None},
}
# JobSpy rows whose titles say Intern or Internship (read one by one).
for _row in (0, 4, 7, 12, 14, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 27, 28, 30, 31):
    ANSWER_KEY.setdefault(("jobspy/henriChevreux-FR_jobspy__jobs.csv", _row), {}).update(
        level="intern", employment="internship"
    )
# Where a payload's field rates something else than ours, the hand-checked answer wins:
# Jobicy's `jobLevel` is years of experience ("Midweight"), ours is the role's rung, and
# "Engineering Manager - Python and K8s" is a people manager.
OVERRIDES: dict[tuple[str, int], dict[str, Any]] = {
    ("jobboards-json/wule15-Job-intelligence-agent__jobicy.json", 0): {"level": "manager"},
}


@dataclass
class Case:
    """One posting: what the extractor reads, and the truth per field (missing = unknown)."""

    fixture: str
    index: int
    title: str
    location: str = ""
    description: str = ""
    salary_text: str = ""
    truth: dict[str, Any] = field(default_factory=dict)

    def extract(self) -> dict[str, Any]:
        pay = facts.extract_pay(self.salary_text, salary_field=True) or facts.extract_pay(
            self.description
        )
        return {
            "work_mode": facts.extract_work_mode(
                f"{self.title}. {self.description}", self.location
            ),
            "pay": pay,
            "visa": facts.extract_visa(self.description),
            "level": facts.level_from_title(self.title),
            "employment": facts.extract_employment(self.description, self.title),
        }


def _load(name: str) -> Any:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def _known(**values: Any) -> dict[str, Any]:
    """Structured truths, leaving out the ones the payload does not state."""
    return {k: v for k, v in values.items() if v is not None}


def _single(values: object) -> object:
    return values[0] if isinstance(values, list) and len(values) == 1 else None


_SENIORITY = {"senior": "senior", "manager": "manager", "mid-level": "mid", "midweight": "mid"}
_SENIORITY |= {"junior": "junior", "entry-level": "junior", "director": "manager"}


def board_cases() -> Iterator[Case]:
    name = "ats/michaeldinhmai-job-agent__lever.json"
    raw = _load(name)
    for i, job in enumerate(lever_jobs(raw, "jumpcloud", "JumpCloud", "lever")):
        truth = _known(work_mode=job.work_mode, employment=job.employment, pay=job.pay)
        yield Case(name, i, job.title, job.location, job.description, truth=truth)
    name = "ats/michaeldinhmai-job-agent__ashby.json"
    raw = _load(name)
    for i, item in enumerate(raw["jobs"]):
        for job in ashby_jobs({"jobs": [item]}, "render", "Render", "ashby"):
            truth = _known(work_mode=job.work_mode, employment=job.employment, pay=job.pay)
            yield Case(name, i, job.title, job.location, job.description, truth=truth)
    name = "ats/michaeldinhmai-job-agent__greenhouse.json"
    for i, job in enumerate(greenhouse_jobs(_load(name), "honeycomb", "Honeycomb", "gh")):
        yield Case(name, i, job.title, job.location, job.description)
    name = "greenhouse/grnhse-greenhouse_io__cassette_jobs_with_content.yml"
    cassette = yaml.safe_load((FIXTURES / name).read_text(encoding="utf-8"))
    payload = json.loads(cassette["http_interactions"][0]["response"]["body"]["string"])
    for i, job in enumerate(greenhouse_jobs(payload, "ga", "General Assembly", "gh")):
        yield Case(name, i, job.title, job.location, job.description)


def other_ats_cases() -> Iterator[Case]:
    name = "ats/michaeldinhmai-job-agent__workable.json"
    for i, item in enumerate(_load(name)["jobs"]):
        truth = _known(
            work_mode="remote" if item.get("telecommuting") is True else None,
            employment=facts.employment_value(item.get("employment_type")),
        )
        place = ", ".join(filter(None, (item.get("city"), item.get("country"))))
        yield Case(
            name, i, item["title"], place, html_to_text(item.get("description")), truth=truth
        )
    name = "ats/michaeldinhmai-job-agent__recruitee.json"
    for i, item in enumerate(_load(name)["offers"]):
        flags = [
            m
            for m, k in (("onsite", "on_site"), ("remote", "remote"), ("hybrid", "hybrid"))
            if item.get(k)
        ]
        salary = item.get("salary") or {}
        code = str(item.get("employment_type_code") or "")
        truth = _known(
            work_mode=flags[0] if len(flags) == 1 else None,
            employment="full-time" if code.startswith("fulltime") else None,
            pay=facts.pay_value(
                salary.get("min"), salary.get("max"), salary.get("currency"), salary.get("period")
            ),
        )
        text = html_to_text(f"{item.get('description')} {item.get('requirements')}")
        yield Case(name, i, item["title"], clean_text(item.get("location")), text, truth=truth)
    name = "ats/michaeldinhmai-job-agent__comeet.json"
    for i, item in enumerate(_load(name)):
        details = " ".join(html_to_text(d.get("value")) for d in item.get("details") or [])
        truth = _known(work_mode=facts.work_mode_value(item.get("workplace_type")))
        place = clean_text((item.get("location") or {}).get("name"))
        yield Case(name, i, item["name"], place, details, truth=truth)
    name = "ats/michaeldinhmai-job-agent__smartrecruiters_page0.json"
    for i, item in enumerate(_load(name)["content"]):
        truth = _known(
            employment=facts.employment_value((item.get("typeOfEmployment") or {}).get("label"))
        )
        place = clean_text((item.get("location") or {}).get("fullLocation"))
        yield Case(name, i, item["name"], place, truth=truth)


def job_board_cases() -> Iterator[Case]:
    for name in sorted(
        p.relative_to(FIXTURES).as_posix() for p in FIXTURES.glob("jobboards-json/*himalayas*")
    ):
        for i, item in enumerate(_load(name)["jobs"]):
            period = {"annual": "yearly", "hourly": "hourly", "monthly": "monthly"}.get(
                item.get("salaryPeriod")
            )
            truth = _known(
                work_mode="remote",
                employment=facts.employment_value(item.get("employmentType")),
                pay=facts.pay_value(
                    item.get("minSalary"), item.get("maxSalary"), item.get("currency"), period
                ),
                level=_SENIORITY.get(str(_single(item.get("seniority"))).casefold()),
            )
            yield Case(
                name, i, item["title"], "", html_to_text(item.get("description")), truth=truth
            )
    for name in sorted(
        p.relative_to(FIXTURES).as_posix() for p in FIXTURES.glob("jobboards-json/*jobicy*")
    ):
        for i, item in enumerate(_load(name)["jobs"]):
            truth = _known(
                employment=facts.employment_value(_single(item.get("jobType"))),
                level=_SENIORITY.get(str(item.get("jobLevel")).casefold()),
            )
            text = html_to_text(item.get("jobDescription"))
            yield Case(
                name,
                i,
                clean_text(item["jobTitle"]),
                clean_text(item.get("jobGeo")),
                text,
                truth=truth,
            )
    for name in sorted(
        p.relative_to(FIXTURES).as_posix() for p in FIXTURES.glob("jobboards-json/*remotive*")
    ):
        for i, item in enumerate(_load(name)["jobs"]):
            truth = _known(employment=facts.employment_value(item.get("job_type")))
            yield Case(
                name,
                i,
                clean_text(item["title"]),
                "",
                html_to_text(item.get("description")),
                salary_text=clean_text(item.get("salary")),
                truth=truth,
            )
    for name in sorted(
        p.relative_to(FIXTURES).as_posix() for p in FIXTURES.glob("jobboards-json/*remoteok*")
    ):
        for i, item in enumerate(x for x in _load(name) if x.get("position")):
            low, high = item.get("salary_min") or None, item.get("salary_max") or None
            truth = _known(pay=facts.pay_value(low, high, "USD", "yearly") if low else None)
            text = html_to_text(item.get("description"))
            yield Case(
                name,
                i,
                clean_text(item["position"]),
                clean_text(item.get("location")),
                text,
                truth=truth,
            )
    name = "jobboards-json/michaeldinhmai-job-agent__torre_page0.json"
    for i, item in enumerate(_load(name)["results"]):
        data = (item.get("compensation") or {}).get("data") or {}
        pay = None
        if data.get("code") == "range":
            pay = facts.pay_value(
                data.get("minAmount"),
                data.get("maxAmount"),
                data.get("currency"),
                data.get("periodicity"),
            )
        truth = _known(
            work_mode="remote" if item.get("remote") is True else None,
            employment=facts.employment_value(item.get("commitment")),
            pay=pay,
        )
        yield Case(
            name, i, clean_text(item["objective"]), "", clean_text(item.get("tagline")), truth=truth
        )
    name = "jobboards-json/chrisfey-mvvm-sample-app__github_jobs_position_2019.json"
    item = _load(name)
    truth = _known(employment=facts.employment_value(item.get("type")))
    yield Case(
        name,
        0,
        item["title"],
        item.get("location", ""),
        html_to_text(item.get("description")),
        truth=truth,
    )
    name = "jobboards-json/ikevinxie-remote-jobs-collector__hn.json"
    for i, hit in enumerate(_load(name)["hits"]):
        text = html_to_text(hit.get("comment_text"))
        yield Case(name, i, text.split("|")[0][:120] if "|" in text else "", "", text)
    name = "jobboards-json/ikevinxie-remote-jobs-collector__workingnomads.json"
    for i, item in enumerate(_load(name)):
        text = html_to_text(item.get("description"))
        yield Case(name, i, clean_text(item["title"]), clean_text(item.get("location")), text)


def rss_cases() -> Iterator[Case]:
    """Feeds as the feed reader maps them; We Work Remotely's `<type>` is the employment."""
    for path in sorted((FIXTURES / "rss").iterdir()):
        name = path.relative_to(FIXTURES).as_posix()
        data = path.read_bytes()
        entries = feedparser.parse(data).entries
        jobs = parse_feed(data, FeedSource(url=str(path)))
        for i, (entry, job) in enumerate(zip(entries, jobs, strict=True)):
            wwr = "weworkremotely" in name or "wwr" in name
            truth = _known(
                employment=facts.employment_value(entry.get("type")),
                work_mode="remote" if wwr else None,  # a remote-only board
            )
            yield Case(name, i, job.title, job.location, job.description, truth=truth)


def jobspy_cases() -> Iterator[Case]:
    name = "jobspy/henriChevreux-FR_jobspy__jobs.csv"
    with (FIXTURES / name).open(newline="", encoding="utf-8") as handle:
        for i, row in enumerate(csv.DictReader(handle)):
            truth = _known(
                work_mode="remote" if row["is_remote"] == "True" else None,
                employment=facts.employment_value(row["job_type"]),
                pay=facts.pay_value(
                    row["min_amount"], row["max_amount"], row["currency"], row["interval"]
                ),
                level=JOB_LEVELS.get(row["job_level"].casefold()),
            )
            text = row["description"].replace("\\\\", "\\")
            yield Case(name, i, row["title"], row["location"], html_to_text(text), truth=truth)


def cases() -> list[Case]:
    found = [
        *board_cases(),
        *other_ats_cases(),
        *job_board_cases(),
        *rss_cases(),
        *jobspy_cases(),
    ]
    for case in found:
        key = (case.fixture, case.index)
        case.truth = {**ANSWER_KEY.get(key, {}), **case.truth, **OVERRIDES.get(key, {})}
    return found


@dataclass
class Tally:
    known: int = 0
    answered: int = 0
    correct: int = 0
    wrong: list[str] = field(default_factory=list)
    unchecked: list[str] = field(default_factory=list)


def measure(verbose: bool = False) -> dict[str, Tally]:
    tallies = {name: Tally() for name in FIELDS}
    for case in cases():
        got = case.extract()
        for name in FIELDS:
            tally, value = tallies[name], got[name]
            label = f"{case.fixture}#{case.index} {case.title[:50]!r}: {name}={value!r}"
            if name not in case.truth:
                if value is not None:
                    tally.unchecked.append(label)
                continue
            truth = case.truth[name]
            if truth is not None:
                tally.known += 1
            if value is None:
                continue
            tally.answered += 1
            if value == truth:
                tally.correct += 1
            else:
                tally.wrong.append(f"{label}, truth {truth!r}")
            if verbose:
                print(label, "truth", repr(truth))
    return tallies


def main() -> None:
    verbose = "--verbose" in sys.argv
    all_cases = cases()
    tallies = measure(verbose)
    print(f"{len(all_cases)} postings from {len({c.fixture for c in all_cases})} fixture files")
    print(f"{'field':<11} {'known':>5} {'answered':>8} {'correct':>7} {'wrong':>5} "
          f"{'precision':>9} {'recall':>6} {'unchecked':>9}")  # fmt: skip
    for name, t in tallies.items():
        precision = f"{t.correct / t.answered:.0%}" if t.answered else "-"
        recall = f"{t.correct / t.known:.0%}" if t.known else "-"
        print(
            f"{name:<11} {t.known:>5} {t.answered:>8} {t.correct:>7} {len(t.wrong):>5} "
            f"{precision:>9} {recall:>6} {len(t.unchecked):>9}"
        )
    started = time.perf_counter()
    for case in all_cases:
        case.extract()
    per_posting = (time.perf_counter() - started) / len(all_cases) * 1000
    hostile = "Salary: $1 - " * 8000  # 100,000 characters of near-salaries
    started = time.perf_counter()
    Case("hostile", 0, "Senior " * 40, "", hostile, hostile).extract()
    print(
        f"time: {per_posting:.2f} ms per fixture posting; "
        f"{time.perf_counter() - started:.2f} s for a hostile 100,000-character text"
    )
    for t in tallies.values():
        for line in t.wrong:
            print("WRONG", line)
        for line in t.unchecked:
            print("unchecked", line)


if __name__ == "__main__":
    main()
