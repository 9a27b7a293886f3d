"""The model's judgement: agreement, spread, calls, tokens and dollars; and what trimming keeps.

    .venv/bin/python bench/judge.py                      # the fake server (as CI can run it)
    .venv/bin/python bench/judge.py --base-url https://api.openai.com/v1 --model gpt-5.4-mini
    .venv/bin/python bench/judge.py --base-url http://localhost:11434/v1 --model qwen3:8b --quick
    .venv/bin/python bench/judge.py --trim               # the trimming bench only

Before any call it prints how many calls the run makes at most (and, against OpenAI's API, what
they should cost at `--prices`); `--quick` makes only the agreement's 59. A model that was given
up (jobpicks then scores with the local scorer, whose figures are not the model's) or that
skipped postings is said first, in capitals, and the bench exits 1; the scorer's warnings are
shown as they come.

Agreement: the 59 picks of the legacy fixture pages become postings (title, company, place,
the page's summary as description; never the model's reason), judged against
`bench/legacy-profile.md`; Spearman's rho and the top-10 overlap with the scores the legacy
model gave, the spread of the new scores, and what the calls cost. Against the fake server
the ratings are derived from the local score (a stand-in, so the figures test the plumbing,
not a model); against a real endpoint (key from OPENAI_API_KEY) they are the model's.

A day at the defaults: 150 candidates from the real fixture postings and the legacy pages
(local pre-filter, `ScoringConfig()` defaults), judged, then the picks described, first with
a cold cache and then on a next day where 30 postings are new; answers of the lengths a
model writes (evidence of 12 words, a 2-sentence reason, a 3-sentence summary). Dollars
come from the server's usage numbers at the README's prices; tokens are tiktoken's
o200k_base counts when its table loads (set TIKTOKEN_CACHE_DIR to a folder holding it when
offline), else about four characters a token.

Trimming: for each budget, over the fixture postings longer than it, how often the pay and
work mode the full text states (read by `generator/facts.py`), the place, the requirement
sentences and the profile's skills still reach the model, for the old head cut and for the
trimming, with the day's cost at that budget.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import logging
import os
import re
import statistics
import sys
import tempfile
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "bench"))

import extraction  # noqa: E402
from fake_openai import FakeOpenAIServer, details_for, task_of  # noqa: E402
from scorer import legacy_postings, rho_text, spearman  # noqa: E402

from generator import facts  # noqa: E402
from generator.config import ScoringConfig, SelectionConfig  # noqa: E402
from generator.models import Job  # noqa: E402
from generator.profile import Profile, load_profile  # noqa: E402
from generator.scoring.cache import ScoreCache  # noqa: E402
from generator.scoring.llm import LLMScorer, OpenAIChatModel  # noqa: E402
from generator.scoring.local import LocalScorer  # noqa: E402
from generator.scoring.prompt import CRITERIA  # noqa: E402
from generator.scoring.server import FLEX_TIERS  # noqa: E402
from generator.scoring.trim import _REQUIREMENT, Tokenizer, segments, tokenizer_for, trim  # noqa: E402
from generator.selection import select  # noqa: E402

PROFILE = ROOT / "bench" / "legacy-profile.md"
BUDGETS = (200, 300, 400, 500, 800)
NEW = 30
"""New postings on the next day."""
JUDGE_OUTPUT, DESCRIBE_OUTPUT = 35, 190
"""Output tokens of a judging and of a describing answer as measured (bench/RESULTS.md, issue
26), for the cost expected before a run; a model that reasons writes more."""
EVIDENCE = "ML internship in Seattle, PyTorch and Python; backend work matches."
REASON = (
    "A machine learning internship that uses PyTorch and Python, close to the recommender "
    "work you want. It is in Seattle, a place you named, for 2026."
)
SUMMARY = (
    "Interns join the ranking team to build and evaluate models for the home feed. The work "
    "covers training pipelines in PyTorch, offline metrics and online experiments. Twelve "
    "weeks in summer 2026, onsite in Seattle, with a mentor and a final presentation."
)


class NotBenched(Exception):
    """The model was given up and the local scorer scored instead: its figures are not the
    model's, so the bench stops (said where it happened) and exits 1."""


@dataclasses.dataclass(frozen=True)
class Endpoint:
    """Where the calls go. `base_url` "" is the fake server (started per day); `flex`: whether
    the server has OpenAI's Flex tier (OpenAI's API and the fake imitating it); `settings`
    go into every `ScoringConfig` (the prices, and no tier for a server without Flex)."""

    base_url: str
    model: str
    key: str
    flex: bool
    settings: dict[str, Any]

    @property
    def what(self) -> str:
        return f"{self.model} at {self.base_url}" if self.base_url else "the fake server"


def is_openai(base_url: str) -> bool:
    return urlsplit(base_url).hostname == "api.openai.com"


def runs(endpoint: Endpoint, budgets: Sequence[int]) -> Iterator[tuple[int, str | None]]:
    """(budget, tier) of each pair of days: the standard tier at every budget, and Flex too
    at the default budget where the server has it (it halves every figure; once is enough)."""
    default = ScoringConfig()
    for budget in budgets:
        if endpoint.flex and budget == default.max_posting_tokens:
            yield budget, default.service_tier
        yield budget, None


@dataclasses.dataclass
class Plan:
    """The most calls a run makes, and what they should cost at the configured prices: the
    prefix cached after each scorer's first call, answers at the measured lengths."""

    calls: int = 0
    cost: float = 0.0

    def add(self, config: ScoringConfig, jobs: Sequence[Job], judging: int, describing: int) -> int:
        scorer = LLMScorer(config, load_profile(PROFILE), OpenAIChatModel(config, "unused"))
        count = scorer.tokenizer.count
        prefix = count(scorer.system)
        posting = statistics.fmean(count(scorer.message(job, "judge")) for job in jobs)
        calls = judging + describing
        fresh = prefix + calls * posting
        cached = prefix * (calls - 1)
        output = judging * JUDGE_OUTPUT + describing * DESCRIBE_OUTPUT
        cost = (
            fresh * config.price_input_per_million
            + cached * config.price_cached_input_per_million
            + output * config.price_output_per_million
        ) / 1_000_000
        self.calls += calls
        self.cost += cost / 2 if config.service_tier in FLEX_TIERS else cost
        return calls


def plan(
    endpoint: Endpoint, agreement: Sequence[Job], budgets: Sequence[int], pools: Sequence[list[Job]]
) -> None:
    """Say before the first call how many calls the run makes at most and, for OpenAI's
    API, what they should cost: a real endpoint's run is some 900 calls."""
    settings = {**endpoint.settings, "model": endpoint.model}
    total = Plan()
    first = total.add(
        ScoringConfig(**settings, llm_candidates=len(agreement)), agreement, len(agreement), 0
    )
    pairs = 0
    for budget, tier in runs(endpoint, budgets):
        config = ScoringConfig(**{**settings, "max_posting_tokens": budget, "service_tier": tier})
        picks, top = SelectionConfig().picks_per_day, config.llm_candidates
        for pool in pools:
            # A next day judges only what was not a candidate the day before.
            judging = min(top, len(pool)) + min(top, NEW + max(0, len(pool) - top))
            total.add(config, pool, judging, 2 * picks)
            pairs += 1
    days = (
        f", {total.calls - first} for {pairs} pairs of days (a cold day, then the next); "
        f"--quick makes the agreement's {first} only"
        if pairs
        else " (--quick)"
    )
    print(
        f"This run makes at most {total.calls} calls to {endpoint.what}: {first} for the "
        f"agreement{days}."
    )
    config = ScoringConfig(**settings)
    prices = (
        f"${config.price_input_per_million:g} / ${config.price_cached_input_per_million:g} / "
        f"${config.price_output_per_million:g} per million input / cached input / output "
        "tokens (--prices)"
    )
    if endpoint.base_url and is_openai(endpoint.base_url):
        print(
            f"  Expected cost: about ${total.cost:.2f} at {prices}, answers at the lengths "
            "measured (a model's reasoning tokens cost more)."
        )
    elif endpoint.base_url:
        free = "" if "price_input_per_million" in settings else "; a free server: --prices 0,0,0"
        print(f"  Dollars below are at {prices}{free}.")


def model_like(local: dict[str, int]) -> Callable[[str], dict[str, Any]]:
    """The fake's answers, at a model's lengths, ratings from the local score (0-4)."""

    def answer(user: str) -> dict[str, Any]:
        if task_of(user) == "describe":
            return {**details_for(user), "reason": REASON, "summary": SUMMARY}
        title = re.search(r"Title: (.*)", user)
        score = next((s for t, s in local.items() if title and t == title[1]), 50)
        rating = min(4, max(0, round(score / 25)))
        return {"evidence": EVIDENCE, **dict.fromkeys(CRITERIA, rating), "dealbreakers": 4}

    return answer


def fixture_postings() -> list[Job]:
    jobs = []
    for i, case in enumerate(extraction.cases()):
        jobs.append(
            Job(
                id=f"fixture-{i}",
                title=case.title or "Untitled",
                company=case.fixture.split("__")[-1].split(".")[0],
                location=case.location,
                url=f"https://example.com/fixture/{i}",
                description=case.description,
                posted=None,
                source=case.fixture,
            )
        )
    return jobs


@dataclasses.dataclass
class Day:
    calls: int
    describe_calls: int
    cache_hits: int
    input_tokens: int
    cached_tokens: int
    output_tokens: int
    cost: float
    picks: set[str]
    fallback: str
    """Why the model was given up and the day scored by the local scorer; "" when it was not."""
    skipped: int
    tier_dropped: bool
    """The server refused the service tier, or was busy or slow on it: standard from then on."""


def run_day(
    base_url: str,
    model: str,
    key: str,
    profile: Profile,
    jobs: Sequence[Job],
    cache_dir: Path,
    **settings: Any,
) -> Day:
    config = ScoringConfig(base_url=base_url, model=model, cache_dir=cache_dir, **settings)
    chat = OpenAIChatModel(config, key)
    scorer = LLMScorer(config, profile, chat, ScoreCache(cache_dir, max_age_days=30))
    scores = scorer.score(jobs)
    fallback = scorer.fallback
    picks = select(jobs, scores, SelectionConfig(), describe=scorer.describe)
    u = scorer.usage
    return Day(
        u.calls,
        u.describe_calls,
        u.cache_hits,
        u.input_tokens,
        u.cached_tokens,
        u.output_tokens,
        u.cost_usd,
        {p.id for p in picks},
        fallback,
        u.skipped,
        config.service_tier is not None and "service_tier" not in chat.settings,
    )


def next_day(jobs: Sequence[Job], shown: set[str], new: int) -> list[Job]:
    """Yesterday's postings less its picks, plus `new` postings not seen before."""
    kept = [j for j in jobs if j.id not in shown]
    fresh = [
        dataclasses.replace(
            j, id=f"{j.id}-new", url=f"{j.url}-new", description=f"{j.description} (new)"
        )
        for j in jobs[:new]
    ]
    return kept + fresh


def _spread(scores: Sequence[int]) -> str:
    return (
        f"min {min(scores)}, max {max(scores)}, {len(set(scores))} distinct values, "
        f"stdev {statistics.pstdev(scores):.1f}"
    )


def bench_agreement(endpoint: Endpoint, what: str) -> str:
    """Agreement with the legacy model's scores. Returns why the figures do not cover every
    posting ("" when they do); raises NotBenched when the model was given up, as the local
    scorer's figures would otherwise pass for the model's. Either is said first, in capitals."""
    postings = legacy_postings()
    jobs = [job for job, _ in postings]
    legacy = {job.id: score for job, score in postings}
    profile = load_profile(PROFILE)
    with tempfile.TemporaryDirectory(prefix="jobpicks-judge-") as tmp:
        config = ScoringConfig(
            base_url=endpoint.base_url,
            model=endpoint.model,
            cache_dir=Path(tmp),
            llm_candidates=len(jobs),
            **endpoint.settings,
        )
        scorer = LLMScorer(config, profile, OpenAIChatModel(config, endpoint.key))
        scores = {s.job_id: s.score for s in scorer.score(jobs)}
    u = scorer.usage
    calls = (
        f"  {u.calls} calls, {u.input_tokens:,} input tokens ({u.cached_tokens:,} cached), "
        f"{u.output_tokens:,} output ({u.reasoning_tokens:,} reasoning), ${u.cost_usd:.4f}; "
        f"scorer {scorer.name!r}"
    )
    if scorer.fallback:
        problem = f"{what} was given up after {u.calls} calls: {scorer.fallback}"
        print(f"MODEL NOT BENCHED: {problem}.")
        print(
            "  No agreement figure: every score is the local scorer's (jobpicks' fallback), "
            "not the model's; the warnings above say more. Nothing more is run."
        )
        print(calls)
        raise NotBenched(problem)
    ids = [j.id for j in jobs if j.id in scores]
    problem = ""
    if len(ids) < len(jobs):
        problem = (
            f"{what} scored {len(ids)} of {len(jobs)} postings ({len(jobs) - len(ids)} "
            "skipped; the warnings above say why)"
        )
        print(
            f"INCOMPLETE: {problem}. The figures below cover those {len(ids)} only and do "
            "not compare with a full run's."
        )
    ours = [scores[i] for i in ids]
    theirs = [legacy[i] for i in ids]
    rho = spearman(ours, theirs)
    top = sorted(ids, key=lambda i: (-scores[i], i))[:10]
    best = set(sorted(ids, key=lambda i: (-legacy[i], i))[:10])
    print(
        f"Agreement with the legacy pages' model scores, {len(ids)} of {len(jobs)} "
        f"postings, {what}:"
    )
    print(
        f"  Spearman rho {rho_text(rho)}; top-10 overlap {len(set(top) & best)}/10; "
        f"top 10 the legacy model scored 80+: {sum(legacy[i] >= 80 for i in top)}/10"
    )
    if ids:
        print(f"  spread: new {_spread(ours)}; legacy {_spread(theirs)}")
    print(calls)
    return problem


def long_pool(tokenizer: Tokenizer, size: int = 161) -> list[Job]:
    """`size` postings made from the fixture postings with full text (over 500 tokens),
    each copy its own posting: a day of company-board postings, the costly case."""
    long = [j for j in fixture_postings() if tokenizer.count(j.description) > 500]
    return [
        dataclasses.replace(
            long[i % len(long)],
            id=f"long-{i}",
            url=f"https://example.com/long/{i}",
            title=f"{long[i % len(long)].title} #{i}",
            company=f"Employer {i}",
        )
        for i in range(size)
    ]


def bench_days(
    endpoint: Endpoint,
    tokenizer: Tokenizer,
    budgets: Sequence[int],
    pool: list[Job],
    what: str,
) -> dict[int, float]:
    """A first day (cold cache) and a next one at each budget; the cold day's cost at the
    standard tier by budget. A day the model was given up on raises NotBenched."""
    profile = load_profile(PROFILE)
    local = {j.title: s.score for j, s in zip(pool, LocalScorer(profile).score(pool), strict=True)}
    default = ScoringConfig()
    costs: dict[int, float] = {}
    print(
        f"A day at the defaults, {what} ({len(pool)} postings, 150 candidates, 20 picks), "
        f"tokens by {tokenizer.name}:"
    )
    if not endpoint.flex:
        print("  one tier: Flex is OpenAI's, so this server is sent no service_tier")
    print(
        "  | budget | tier | day | judging calls | describing calls | cache hits | "
        "input tokens | cached | output tokens | $ |"
    )
    no_flex: set[int] = set()
    for budget, tier in runs(endpoint, budgets):
        if not tier and budget in no_flex:
            continue  # the Flex row was already at the standard tier
        settings: dict[str, Any] = {
            **endpoint.settings,
            "max_posting_tokens": budget,
            "service_tier": tier,
        }
        with contextlib.ExitStack() as stack:
            url = endpoint.base_url
            if not url:
                answer = model_like(local)
                fake = FakeOpenAIServer(count=tokenizer.count, answer=answer, modes={"flex"})
                url = stack.enter_context(fake).base_url
            tmp = Path(stack.enter_context(tempfile.TemporaryDirectory()))
            first = run_day(url, endpoint.model, endpoint.key, profile, pool, tmp, **settings)
            second = None
            if not first.fallback:
                tomorrow = next_day(pool, first.picks, NEW)
                second = run_day(
                    url, endpoint.model, endpoint.key, profile, tomorrow, tmp, **settings
                )
        label = f"{tier} (default)" if tier == default.service_tier else (tier or "standard")
        if tier and first.tier_dropped:
            label = f"{tier} refused: standard"
            no_flex.add(budget)
        days = [("first (cold)", first)] + ([(f"next ({NEW} new)", second)] if second else [])
        for name, day in days:
            print(
                f"  | {budget} | {label} | {name} | {day.calls} | {day.describe_calls} | "
                f"{day.cache_hits} | {day.input_tokens:,} | {day.cached_tokens:,} | "
                f"{day.output_tokens:,} | {day.cost:.4f} |"
            )
            if day.skipped:
                print(f"    ^ {day.skipped} postings skipped (see the warnings above)")
        if budget in no_flex:
            print(
                f"    ^ the server would not serve {tier} (see the warning above): one row, "
                "at the standard tier from then on"
            )
        if not tier or budget in no_flex:
            costs[budget] = first.cost
        for day in (first, second):
            if day and day.fallback:
                problem = f"{endpoint.what} was given up on a day: {day.fallback}"
                print(
                    f"MODEL NOT BENCHED: {problem}. The row above is the local scorer's "
                    "picks with the model's few calls; the rest was not run."
                )
                raise NotBenched(problem)
    return costs


# The bench's own readings of a stated pay and work mode, broader than facts.py's (there are
# French postings among the fixtures): sentences naming an amount of money, or where the
# work is done.
_AMOUNT = re.compile(
    r"[$€£]\s?\d|\d[\d.,]*\s?k?\s?(?:€|EUR|USD|GBP)\b|\b(?:salary|salaire)\b", re.I
)
_MODE = re.compile(
    r"\b(?:remote|hybrid|hybride|t[ée]l[ée]travail\w*|on-?site|au bureau|in the office)", re.I
)


@dataclasses.dataclass
class Reach:
    """Over the postings that state something: how much of it the head cut and the trimming
    let through, as shares summed over postings."""

    postings: int = 0
    head: float = 0.0
    trimmed: float = 0.0

    def add(self, wanted: Sequence[str], head: str, trimmed: str) -> None:
        if wanted:
            self.postings += 1
            self.head += sum(w in head for w in wanted) / len(wanted)
            self.trimmed += sum(w in trimmed for w in wanted) / len(wanted)

    def __str__(self) -> str:
        if not self.postings:
            return "-"
        n = self.postings
        return f"{self.head / n:.0%} -> {self.trimmed / n:.0%} (of {n})"


def bench_trimming(tokenizer: Tokenizer, costs: dict[int, float]) -> None:
    profile = load_profile(PROFILE)
    terms = (*profile.must_have, *profile.nice_to_have)
    skills = [re.compile(rf"(?<![\w+#]){re.escape(t)}(?![\w+#])", re.IGNORECASE) for t in terms]
    cases = extraction.cases()
    print(
        f"Trimming over {len(cases)} fixture postings ({tokenizer.name}): of the postings over "
        "the budget that state it, the share that reaches the model, head cut -> trimmed"
    )
    print(
        "  | budget | postings over it | pay sentences | work-mode sentences | place words | "
        "requirement sentences | profile skills | a cold day of full-text postings, standard |"
    )
    for budget in BUDGETS:
        reach = {k: Reach() for k in ("pay", "mode", "place", "requirements", "skills")}
        over = 0
        for case in cases:
            text = case.description
            if tokenizer.count(text) <= budget:
                continue
            over += 1
            head = tokenizer.cut(text, budget)
            trimmed = trim(text, budget, tokenizer, terms=terms, location=case.location).text
            parts = segments(text)
            places = sorted(set(re.findall(r"\w{3,}", case.location)) - {"Remote", "remote"})
            found = [m[0] for p in skills if (m := p.search(text))]
            wanted = {
                "pay": [s for s in parts if facts.extract_pay(s) or _AMOUNT.search(s)],
                "mode": [s for s in parts if _MODE.search(s)],
                "place": [w for w in places if w in text],
                "requirements": [s for s in parts if _REQUIREMENT.search(s)],
                "skills": found,
            }
            for name, items in wanted.items():
                reach[name].add(items, head, trimmed)
        cost = f"${costs[budget]:.4f}" if budget in costs else ""
        print(
            f"  | {budget} | {over} | {reach['pay']} | {reach['mode']} | {reach['place']} | "
            f"{reach['requirements']} | {reach['skills']} | {cost} |"
        )


def _legacy_answer() -> Callable[[str], dict[str, Any]]:
    profile = load_profile(PROFILE)
    jobs = [job for job, _ in legacy_postings()]
    local = {j.title: s.score for j, s in zip(jobs, LocalScorer(profile).score(jobs), strict=True)}
    return model_like(local)


def _prices(text: str) -> dict[str, float]:
    """`--prices IN,CACHED,OUT` (USD per million tokens) as ScoringConfig's settings."""
    if not text:
        return {}
    names = ("price_input_per_million", "price_cached_input_per_million")
    values = [float(v) for v in text.split(",")]
    if len(values) != 3:
        sys.exit("--prices takes three numbers: input,cached input,output per million tokens")
    return dict(zip((*names, "price_output_per_million"), values, strict=True))


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--base-url", help="a real endpoint (key from OPENAI_API_KEY)")
    parser.add_argument("--model", default=ScoringConfig().model)
    parser.add_argument("--trim", action="store_true", help="the trimming bench only")
    parser.add_argument(
        "--quick", action="store_true", help="the agreement only (59 calls), no days"
    )
    parser.add_argument("--budgets", default="", help="comma-separated budgets for the days")
    parser.add_argument(
        "--prices",
        default="",
        help="USD per million input,cached input,output tokens (default gpt-5.4-mini's "
        "list prices, 0.75,0.075,4.5); 0,0,0 for a server that costs nothing",
    )
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s: %(message)s")
    tokenizer = tokenizer_for(args.model, "auto")
    key = os.environ.get("OPENAI_API_KEY", "") if args.base_url else "sk-bench"
    if not key:
        sys.exit(
            "set OPENAI_API_KEY for a real endpoint (any non-empty value for a server that "
            "takes none, e.g. OPENAI_API_KEY=local)"
        )
    if args.trim:
        bench_trimming(tokenizer, {})
        return
    flex = not args.base_url or is_openai(args.base_url)
    settings: dict[str, Any] = {**_prices(args.prices), **({} if flex else {"service_tier": None})}
    endpoint = Endpoint(args.base_url or "", args.model, key, flex, settings)
    default_budgets = BUDGETS if not args.base_url else (ScoringConfig().max_posting_tokens,)
    budgets = [int(b) for b in args.budgets.split(",") if b] or list(default_budgets)
    agreement = [job for job, _ in legacy_postings()]
    pools: dict[str, list[Job]] = {}
    if not args.quick:
        pools["the fixture and legacy postings"] = fixture_postings() + agreement
        pools["full-text postings only"] = long_pool(tokenizer)
    plan(endpoint, agreement, budgets, list(pools.values()))
    try:
        if args.base_url:
            problem = bench_agreement(endpoint, endpoint.what)
        else:
            with FakeOpenAIServer(count=tokenizer.count, answer=_legacy_answer()) as server:
                fake = dataclasses.replace(endpoint, base_url=server.base_url)
                problem = bench_agreement(fake, "fake server (ratings from the local score)")
        costs: dict[int, float] = {}
        for name, pool in pools.items():
            costs = bench_days(endpoint, tokenizer, budgets, pool, name)  # the last: full text
    except NotBenched as exc:
        sys.exit(f"judge.py: {exc}")
    if not args.quick:
        bench_trimming(tokenizer, costs)
    if problem:
        sys.exit(f"judge.py: {problem}")


if __name__ == "__main__":
    main()
