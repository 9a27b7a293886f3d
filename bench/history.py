"""Benchmark the history rules: what "already shown" hides over months of daily runs.

A simulated job market with a ground truth: employers of very different sizes (Zipf), each
with a few cities, teams and a habit of reusing its own texts (its "About us", benefits and
a description per title), so one employer has many jobs of one title in one city. Every day
a feed of `--feed` postings (150): 60% first seen that day (new jobs, the same job from a
second source, reposts of open jobs under a new URL, closed jobs reopened), the rest
postings seen before and still open; each open job closes with probability `--close` (3%)
a day; the checker marks a closed pick only while it is at most `--checked` (30) days old,
as `jobpicks check` does by default. Each day runs the real rules (`generator.dedupe`:
aggregators, the within-day collapse, the shown-before matching, reposts) and the real
selection over the day, and the rules as they were before this bench (employer + title
similarity >= 90 + place against every pick ever shown, closed or not) over the same feed.

    .venv/bin/python bench/history.py                 # 120 days, figures every 10 days
    .venv/bin/python bench/history.py --days 365 --every 30
    .venv/bin/python bench/history.py --scale-only    # three years of picks: timings only
    .venv/bin/python bench/history.py --pairs --days 60   # fingerprint distances by truth

Figures per period (sums over its days):
- distinct hidden: postings of jobs never picked that were hidden as already shown, of all
  such postings reaching the shown-before step (target <= 2%).
- repeats hidden / picked again: postings of a job already picked (the same opening) that
  were hidden, and the picks that showed such a job again while its pick was at most
  `--window` days old and not seen closed (target 0).
- reposts: picks of a job picked before (reopened after closing, or past the window) and
  how many of them say so (`first_seen`); false repost marks.
- merged true / false: postings the within-day collapse merged into a posting of the same
  job, or of another job (a job lost).
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import random
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from rapidfuzz import fuzz

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator import pages  # noqa: E402
from generator.config import SelectionConfig  # noqa: E402
from generator.dedupe import (  # noqa: E402
    Shown,
    ShownJobs,
    by_id,
    collapse,
    norm_company,
    norm_place,
    norm_title,
    resolve_aggregators,
    with_history,
)
from generator.fingerprint import MAX_DISTANCE, fingerprint  # noqa: E402
from generator.models import DayPage, Job, Pick, Score  # noqa: E402
from generator.selection import select  # noqa: E402

START = dt.date(2026, 1, 1)
TITLES = [
    "Software Engineer",
    "Senior Software Engineer",
    "Backend Engineer",
    "Senior Backend Engineer",
    "Frontend Engineer",
    "Full Stack Engineer",
    "Data Engineer",
    "Senior Data Engineer",
    "Data Scientist",
    "Senior Data Scientist",
    "Machine Learning Engineer",
    "Senior Machine Learning Engineer",
    "Staff Software Engineer",
    "Platform Engineer",
    "Site Reliability Engineer",
    "DevOps Engineer",
    "Security Engineer",
    "Engineering Manager",
    "Product Manager",
    "Senior Product Manager",
    "QA Engineer",
    "Mobile Engineer",
    "iOS Engineer",
    "Android Engineer",
    "Data Analyst",
    "Solutions Architect",
    "Cloud Engineer",
    "Software Engineer in Test",
    "Technical Program Manager",
    "Research Scientist",
]
TEAMS = [
    "Risk",
    "Payments",
    "Search",
    "Growth",
    "Platform",
    "Identity",
    "Billing",
    "Ads",
    "Infrastructure",
    "Mobile",
    "Data",
    "Fraud",
    "Trust and Safety",
    "Checkout",
    "Maps",
    "Messaging",
    "Storage",
    "Developer Experience",
    "Core",
    "Integrations",
]
CITIES = [
    ("Berlin", "Berlin, Germany"),
    ("Munich", "Munich, Germany"),
    ("London", "London, UK"),
    ("Paris", "Paris, France"),
    ("Amsterdam", "Amsterdam, Netherlands"),
    ("Dublin", "Dublin, Ireland"),
    ("New York", "New York, NY"),
    ("San Francisco", "San Francisco, CA"),
    ("Austin", "Austin, TX"),
    ("Seattle", "Seattle, WA"),
    ("Toronto", "Toronto, ON, Canada"),
    ("Madrid", "Madrid, Spain"),
    ("Warsaw", "Warsaw, Poland"),
    ("Stockholm", "Stockholm, Sweden"),
    ("Zurich", "Zurich, Switzerland"),
    ("Remote", "Remote"),
]
SUFFIXES = ["Labs", "Systems", "Bank", "Health", "AI", "Cloud", "Group", "Technologies", "Games"]
COMMON = (
    "the a and of to in for with you we our will be is are on as your team work "
    "experience help build across new build customers product people data systems "
    "years strong skills ability about role join what who looking world every day "
    "grow learn own ship improve design support drive lead partner great best more"
)
"""Words every posting uses, in stock phrases."""


class Texts:
    """Pseudo-English: sentences mixing words every posting uses with rarer ones (Zipf), so
    two unrelated texts share some shingles, as real postings share stock phrases."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        syllables = [c + v for c in "bcdfghjklmnprstvz" for v in "aeiou"]
        words: set[str] = set()
        while len(words) < 6000:
            words.add("".join(rng.choice(syllables) for _ in range(rng.randint(1, 4))))
        self.words = sorted(words)
        common = COMMON.split()
        self.cumulative = list(itertools.accumulate(1 / (n + 1) for n in range(len(self.words))))
        self.phrases = [" ".join(rng.choices(common, k=rng.randint(3, 6))) for _ in range(400)]

    def paragraph(self, words: int) -> str:
        out: list[str] = []
        while len(out) < words:
            out += self.rng.choice(self.phrases).split()
            out += self.rng.choices(self.words, cum_weights=self.cumulative, k=4)
            out[-1] += "."
        return " ".join(out)


@dataclass
class Employer:
    name: str
    cities: list[tuple[str, str]]
    teams: list[str]
    about: str
    benefits: str
    equal: str
    role_texts: dict[str, str] = field(default_factory=dict)
    team_texts: dict[str, str] = field(default_factory=dict)


@dataclass
class Opening:
    """One job: a position an employer is filling. A reopened job is a new opening of the
    same `role` (its earlier opening closed)."""

    number: int
    role: int
    employer: Employer
    title: str
    team: str
    city: tuple[str, str]
    score: int
    parts: list[str]
    opened: int
    closed: int | None = None
    postings: list[Job] = field(default_factory=list)

    @property
    def text(self) -> str:
        return " ".join(self.parts)


@dataclass
class World:
    """The whole market, made before any rule runs, so every set of rules sees the same feed."""

    days: list[list[Job]]
    opening_of: dict[str, Opening]
    """Each posting's id to its job."""


class Market:
    def __init__(self, seed: int, employers: int, close: float) -> None:
        self.rng = random.Random(seed)
        self.texts = Texts(self.rng)
        self.close = close
        self.employers = [self._employer(n) for n in range(employers)]
        self.weights = [1 / (n + 1) ** 1.1 for n in range(employers)]
        self.openings: list[Opening] = []
        self.open: list[Opening] = []
        self.closed: list[Opening] = []
        self.opening_of: dict[str, Opening] = {}
        self.serial = 0

    def _employer(self, n: int) -> Employer:
        rng, texts = self.rng, self.texts
        name = f"{texts.words[rng.randrange(3000)].capitalize()} {rng.choice(SUFFIXES)}"
        name = f"{name} {n}" if rng.random() < 0.1 else name
        size = 3 if n < 20 else 2 if n < 100 else 1
        cities = rng.sample(CITIES, rng.randint(1, size))
        teams = rng.sample(TEAMS, rng.randint(3, 4 + 3 * size))
        return Employer(
            name, cities, teams, texts.paragraph(70), texts.paragraph(50), texts.paragraph(35)
        )

    def _id(self, prefix: str) -> str:
        self.serial += 1
        return f"{prefix}:{4_000_000 + self.serial}"

    def new_opening(self, day: int) -> Opening:
        rng, texts = self.rng, self.texts
        employer = rng.choices(self.employers, weights=self.weights)[0]
        base = rng.choice(TITLES[: rng.choice((8, 16, 30))])
        team = rng.choice(employer.teams)
        title = f"{base}, {team}" if rng.random() < 0.25 else base
        role = employer.role_texts.setdefault(base, texts.paragraph(90))
        team_text = employer.team_texts.setdefault(team, texts.paragraph(50))
        parts = [
            employer.about,
            role,
            team_text,
            texts.paragraph(45),  # requirements: this opening's own
            texts.paragraph(25),  # what this hire will do first
            employer.benefits,
            employer.equal,
        ]
        opening = Opening(
            number=len(self.openings),
            role=len(self.openings),
            employer=employer,
            title=title,
            team=team,
            city=rng.choice(employer.cities),
            score=max(0, min(100, int(rng.gauss(52, 16)))),
            parts=parts,
            opened=day,
        )
        self.openings.append(opening)
        self.open.append(opening)
        return opening

    def reopen(self, day: int) -> Opening | None:
        """A closed job opened again, its text lightly edited."""
        candidates = [o for o in self.closed[-400:] if o.closed is not None and o.closed < day - 5]
        if not candidates:
            return None
        old = self.rng.choice(candidates)
        parts = list(old.parts)
        parts[4] = self.texts.paragraph(25)
        opening = Opening(
            number=len(self.openings),
            role=old.role,
            employer=old.employer,
            title=old.title,
            team=old.team,
            city=old.city,
            score=old.score,
            parts=parts,
            opened=day,
        )
        self.openings.append(opening)
        self.open.append(opening)
        return opening

    def posting(self, opening: Opening, day: int, kind: str) -> Job:
        """A posting of `opening` as a source shows it: its board, a job site (the title and
        place written its way), an aggregator (the text prefixed with its own lines), or a
        repost under a new URL (one sentence edited)."""
        rng, employer = self.rng, opening.employer
        title, (city, place) = opening.title, opening.city
        text, company, origin, prefix = opening.text, employer.name, "site", "linkedin"
        if kind == "board":
            origin, prefix = "board", "greenhouse"
        elif kind in ("site", "repost"):
            if rng.random() < 0.2 and "Germany" in place:
                title += " (m/w/d)"
            elif rng.random() < 0.15 and city != "Remote":
                title += f" - {city}"
            if rng.random() < 0.3:
                place = city
            if kind == "repost":
                parts = list(opening.parts)
                parts[4] = self.texts.paragraph(25)
                text = " ".join(parts)
        elif kind == "aggregator":
            company = rng.choice(("Lensa", "Jobs via Dice"))
            if company == "Lensa":
                text = (
                    "Lensa is a career site that helps job seekers find great jobs in the US. "
                    "We are not a staffing firm or agency. Lensa does not hire directly for "
                    "these jobs, but promotes jobs on LinkedIn on behalf of its direct "
                    "clients, recruitment ad agencies, and marketing partners. Lensa partners "
                    f"with DirectEmployers to promote this job for {employer.name}. " + text
                )
            else:
                text = (
                    "Dice is the leading career destination for tech experts at every stage "
                    f"of their careers. Our client, {employer.name}, is seeking the "
                    "following. Apply via Dice today! " + text
                )
        job_id = self._id(prefix)
        job = Job(
            id=job_id,
            title=title,
            company=company,
            location=place,
            url=f"https://example.com/{job_id}",
            description=text,
            posted=START + dt.timedelta(days=day),
            source=kind,
            origin=origin,
        )
        opening.postings.append(job)
        self.opening_of[job_id] = opening
        return job

    def day(self, day: int, feed: int) -> list[Job]:
        rng = self.rng
        still_open = []
        for opening in self.open:
            if rng.random() < self.close:
                opening.closed = day
                self.closed.append(opening)
            else:
                still_open.append(opening)
        self.open = still_open
        older = list(self.open)
        jobs: list[Job] = []
        first_seen = round(feed * 0.6)
        while len(jobs) < first_seen:
            roll = rng.random()
            if roll < 0.04 and older:  # the same open job from another source
                opening = rng.choice(older)
                jobs.append(self.posting(opening, day, rng.choice(("site", "aggregator"))))
            elif roll < 0.08 and older:  # an open job reposted under a new URL
                jobs.append(self.posting(rng.choice(older), day, "repost"))
            elif roll < 0.11 and (reopened := self.reopen(day)):
                jobs.append(self.posting(reopened, day, rng.choice(("board", "site"))))
            else:
                opening = self.new_opening(day)
                jobs.append(self.posting(opening, day, rng.choice(("board", "site", "site"))))
                if rng.random() < 0.03:  # the same new job twice today
                    jobs.append(self.posting(opening, day, rng.choice(("site", "aggregator"))))
        today = START + dt.timedelta(days=day)
        seen = [
            job
            for opening in older
            for job in opening.postings
            if job.posted is not None and job.posted < today
        ]
        jobs += rng.sample(seen, min(feed - len(jobs), len(seen)))
        rng.shuffle(jobs)
        return jobs


def make_world(days: int, feed: int, seed: int, employers: int, close: float) -> World:
    market = Market(seed, employers, close)
    return World([market.day(day, feed) for day in range(days)], market.opening_of)


class OldShown:
    """The rules before this bench: every pick ever shown, closed or not, matched by id and
    by employer + title similarity >= 90 + place."""

    def __init__(self, picks: Sequence[Pick], threshold: int = 90) -> None:
        self.threshold = threshold
        self.ids = {p.id for p in picks}
        self.keys: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for pick in picks:
            self.keys[norm_company(pick.company)].append(
                (norm_title(pick.title), norm_place(pick.location))
            )

    def __contains__(self, job: Job) -> bool:
        if job.id in self.ids:
            return True
        title, place = norm_title(job.title), norm_place(job.location)
        return any(
            (not p or not place or p == place) and fuzz.token_sort_ratio(title, t) >= self.threshold
            for t, p in self.keys[norm_company(job.company)]
        )


def old_collapse(jobs: Sequence[Job], threshold: int = 90) -> list[Job]:
    kept: list[Job] = []
    for job in jobs:
        company, title, place = (
            norm_company(job.company),
            norm_title(job.title),
            norm_place(job.location),
        )
        if not any(
            norm_company(k.company) == company
            and (not place or not norm_place(k.location) or norm_place(k.location) == place)
            and fuzz.token_sort_ratio(title, norm_title(k.title)) >= threshold
            for k in kept
        ):
            kept.append(job)
    return kept


@dataclass
class Tally:
    distinct: int = 0
    distinct_hidden: int = 0
    reopened_hidden: int = 0
    repeats: int = 0
    repeats_hidden: int = 0
    picked_again: int = 0
    reposts: int = 0
    reposts_marked: int = 0
    false_marks: int = 0
    merged_true: int = 0
    merged_false: int = 0
    missed_duplicates: int = 0

    def add(self, other: Tally) -> None:
        for key, value in vars(other).items():
            setattr(self, key, getattr(self, key) + value)


def _tally_collapse(tally: Tally, jobs: list[Job], kept: list[Job], world: World) -> list[Job]:
    """Count the collapse's merges, true (into a posting of the same job) and false."""
    kept_openings = Counter(world.opening_of[j.id].number for j in kept)
    kept_ids = {j.id for j in kept}
    for job in jobs:
        if job.id not in kept_ids:
            if kept_openings[world.opening_of[job.id].number]:
                tally.merged_true += 1
            else:
                tally.merged_false += 1
    tally.missed_duplicates += sum(n - 1 for n in kept_openings.values())
    return kept


def _tally_shown(
    tally: Tally,
    jobs: list[Job],
    shown: ShownJobs | OldShown,
    world: World,
    picked: dict[int, int],
    picked_roles: set[int],
) -> list[Job]:
    """Count what "already shown" hid, by the truth; returns the postings it let through."""
    fresh = []
    for job in jobs:
        opening = world.opening_of[job.id]
        hidden = job in shown
        if opening.number in picked:
            tally.repeats += 1
            tally.repeats_hidden += hidden
        else:
            tally.distinct += 1
            tally.distinct_hidden += hidden
            tally.reopened_hidden += hidden and opening.role in picked_roles
        if not hidden:
            fresh.append(job)
    return fresh


def run_rules(world: World, *, new: bool, window: int, checked: int) -> list[Tally]:
    """Every day of `world` through one set of rules; one tally per day."""
    history: list[Shown] = []
    picked: dict[int, int] = {}  # opening -> the last day it was picked
    picked_roles: set[int] = set()
    tallies = []
    for day, feed in enumerate(world.days):
        today = START + dt.timedelta(days=day)
        tally = Tally()
        resolved, _ = resolve_aggregators(by_id(feed).jobs)
        if new:  # as `pipeline.run_day`: shown before per posting, then the collapse
            shown: ShownJobs | OldShown = ShownJobs(
                history, today=today, window_days=window, threshold=90
            )
            unshown = _tally_shown(tally, resolved, shown, world, picked, picked_roles)
            fresh = _tally_collapse(tally, unshown, collapse(unshown, threshold=90).jobs, world)
        else:  # the collapse, then shown before
            kept = _tally_collapse(tally, resolved, old_collapse(resolved), world)
            shown = OldShown([item.pick for item in history])
            fresh = _tally_shown(tally, kept, shown, world, picked, picked_roles)
        scores = [Score(j.id, world.opening_of[j.id].score, "", "") for j in fresh]
        chosen = select(fresh, scores, SelectionConfig())
        picks = with_history(chosen, fresh, shown) if isinstance(shown, ShownJobs) else chosen
        for pick in picks:
            opening = world.opening_of[pick.id]
            last = picked.get(opening.number)
            if last is not None and last >= day - window:
                tally.picked_again += 1
            elif last is not None or opening.role in picked_roles:
                tally.reposts += 1
                tally.reposts_marked += pick.first_seen is not None
            elif pick.first_seen is not None:
                tally.false_marks += 1
            picked[opening.number] = day
            picked_roles.add(opening.role)
            history.append(Shown(today, pick))
        # The checker: a pick at most `checked` days old whose job has closed is marked.
        for n, item in enumerate(history):
            opening = world.opening_of[item.pick.id]
            recent = item.date >= today - dt.timedelta(days=checked)
            gone = opening.closed is not None and opening.closed <= day
            if item.pick.closed is None and gone and recent:
                closed = START + dt.timedelta(days=opening.closed)
                history[n] = Shown(item.date, item.pick.model_copy(update={"closed": closed}))
        tallies.append(tally)
    return tallies


def _pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "-"


def report(name: str, tallies: list[Tally], every: int) -> Tally:
    print(f"\n{name}")
    print(
        "| days | distinct | distinct hidden (reopened) | repeats | repeats hidden | picked again "
        "| reposts picked (marked) | false marks | merged true / false | duplicates kept |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    total = Tally()
    for start in range(0, len(tallies), every):
        period = Tally()
        for tally in tallies[start : start + every]:
            period.add(tally)
        total.add(period)
        end = min(start + every, len(tallies))
        print(
            f"| {start + 1}-{end} | {period.distinct} | {period.distinct_hidden} "
            f"({_pct(period.distinct_hidden, period.distinct)}; {period.reopened_hidden}) | "
            f"{period.repeats} | "
            f"{period.repeats_hidden} ({_pct(period.repeats_hidden, period.repeats)}) | "
            f"{period.picked_again} | {period.reposts} ({period.reposts_marked}) | "
            f"{period.false_marks} | {period.merged_true} / {period.merged_false} | "
            f"{period.missed_duplicates} |"
        )
    print(
        f"| all | {total.distinct} | {total.distinct_hidden} "
        f"({_pct(total.distinct_hidden, total.distinct)}; {total.reopened_hidden}) | "
        f"{total.repeats} | "
        f"{total.repeats_hidden} ({_pct(total.repeats_hidden, total.repeats)}) | "
        f"{total.picked_again} | {total.reposts} ({total.reposts_marked}) | "
        f"{total.false_marks} | {total.merged_true} / {total.merged_false} | "
        f"{total.missed_duplicates} |"
    )
    return total


def scale(days: int, per_day: int, seed: int, employers: int) -> None:
    """Three years of picks on disk: how long reading them, matching a day against them and
    collapsing a big day take."""
    market = Market(seed, employers, close=0.03)
    history: list[Shown] = []
    postings: list[Job] = []
    for day in range(days):
        date = START + dt.timedelta(days=day)
        for _ in range(per_day):
            job = market.posting(market.new_opening(day), day, "board")
            postings.append(job)
            pick = Pick(
                id=job.id,
                title=job.title,
                company=job.company,
                location=job.location,
                url=job.url,
                score=60,
                fingerprint=fingerprint(job.description),
            )
            history.append(Shown(date, pick))
    today = START + dt.timedelta(days=days)
    top = Counter(item.pick.company for item in history).most_common(1)[0]
    print(f"\nScale: {len(history):,} picks over {days} days; most frequent employer {top[1]:,}")
    reads = {}
    for label, keep in (("with fingerprints", True), ("without (as before)", False)):
        with tempfile.TemporaryDirectory(prefix="jobpicks-history-") as tmp:
            by_day: dict[dt.date, list[Pick]] = defaultdict(list)
            for item in history:
                pick = item.pick if keep else item.pick.model_copy(update={"fingerprint": ""})
                by_day[item.date].append(pick)
            for date, picks in by_day.items():
                pages.write(DayPage(date=date, picks=tuple(picks)), Path(tmp))
            started = time.perf_counter()
            read = ShownJobs.from_pages(Path(tmp), today=today, window_days=60, threshold=90)
            reads[label] = time.perf_counter() - started
            if keep:
                shown = read
    started = time.perf_counter()
    ShownJobs(history, today=today, window_days=60, threshold=90)
    build = time.perf_counter() - started
    print(
        "- reading the pages into the index: "
        + ", ".join(f"{seconds:.2f} s {label}" for label, seconds in reads.items())
        + f" (indexing alone {build:.2f} s)"
    )
    # A day's feed: new jobs, and as many of the same employers' older jobs under new URLs.
    rng = random.Random(seed)
    for size in (150, 10_000):
        feed = [market.posting(market.new_opening(days), days, "site") for _ in range(size // 2)]
        feed += [
            market.posting(market.opening_of[rng.choice(postings).id], days, "site")
            for _ in range(size - size // 2)
        ]
        started = time.perf_counter()
        unshown = [job for job in feed if job not in shown]
        match = time.perf_counter() - started
        started = time.perf_counter()
        kept = collapse(unshown, threshold=90).jobs
        collapsing = time.perf_counter() - started
        started = time.perf_counter()
        chosen = select(kept, [Score(j.id, 50, "", "") for j in kept], SelectionConfig())
        with_history(chosen, kept, shown)
        reposts = time.perf_counter() - started
        line = (
            f"- {size:,} postings: shown-before {match:.2f} s ({size - len(unshown):,} hidden; "
            f"the postings' fingerprints computed here), collapse {collapsing:.2f} s "
            f"({len(unshown) - len(kept):,} merged), selection and reposts {reposts:.2f} s"
        )
        if size <= 1000:
            old = OldShown([item.pick for item in history])
            started = time.perf_counter()
            hidden = sum(job in old for job in feed)
            line += f"; the old rule: {time.perf_counter() - started:.2f} s ({hidden:,} hidden)"
        print(line)


def pairs(world: World) -> None:
    """How far apart (bits) the fingerprints of two postings of one employer, place and title
    are: the same job from two sources or reposted, a reopened job, or two jobs."""
    from generator.dedupe import _Side  # the rules' own view of a posting

    jobs, _ = resolve_aggregators(list({j.id: j for day in world.days for j in day}.values()))
    groups: dict[tuple[str, str, str], list[tuple[Job, _Side]]] = defaultdict(list)
    for job in jobs:
        side = _Side.of_job(job)
        groups[side.company, side.place, side.title].append((job, side))
    found: dict[str, list[int]] = defaultdict(list)
    for group in groups.values():
        for n, (a, side_a) in enumerate(group):
            for b, side_b in group[:n]:
                if side_a.bits is None or side_b.bits is None:
                    continue
                first, second = world.opening_of[a.id], world.opening_of[b.id]
                if first.number == second.number:
                    kind = "same job: " + " + ".join(sorted((a.source, b.source)))
                else:
                    kind = "reopened job" if first.role == second.role else "another job"
                found[kind].append((side_a.bits ^ side_b.bits).bit_count())
    print(f"\nFingerprint distances (bits of 256; near-identical: <= {MAX_DISTANCE})")
    print("| pair | pairs | min | median | max | within the line |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for kind, values in sorted(found.items()):
        values.sort()
        within = sum(v <= MAX_DISTANCE for v in values)
        print(
            f"| {kind} | {len(values):,} | {values[0]} | {values[len(values) // 2]} | "
            f"{values[-1]} | {within:,} |"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=120)
    parser.add_argument("--every", type=int, default=10)
    parser.add_argument("--feed", type=int, default=150)
    parser.add_argument("--close", type=float, default=0.03)
    parser.add_argument("--window", type=int, default=60)
    parser.add_argument("--checked", type=int, default=30)
    parser.add_argument("--employers", type=int, default=400)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--scale-days", type=int, default=1095)
    parser.add_argument("--scale-only", action="store_true")
    parser.add_argument("--pairs", action="store_true", help="fingerprint distances only")
    args = parser.parse_args()
    if args.pairs:
        pairs(make_world(args.days, args.feed, args.seed, args.employers, args.close))
        return
    if not args.scale_only:
        started = time.perf_counter()
        world = make_world(args.days, args.feed, args.seed, args.employers, args.close)
        seconds = time.perf_counter() - started
        print(f"World: {args.days} days of {args.feed} postings in {seconds:.1f} s")
        before = "Before (every pick ever shown, title >= 90, place)"
        for name, new in ((before, False), ("Now", True)):
            started = time.perf_counter()
            tallies = run_rules(world, new=new, window=args.window, checked=args.checked)
            report(f"{name}: {time.perf_counter() - started:.1f} s", tallies, args.every)
    scale(args.scale_days, 20, args.seed, args.employers)


if __name__ == "__main__":
    main()
