"""How well the local scorer ranks postings the way a real model did, and how fast a run
gives up on an unreachable model.

The legacy fixture pages carry a model's 0-100 scores for 59 postings. Each pick becomes a
posting (title, company, place, and the page's summary as its description; never the model's
reason), scored by the local scorer against `bench/legacy-profile.md`. Prints Spearman's rank
correlation with the model's scores and how many of the local top 10 the model scored 80+.

    .venv/bin/python bench/scorer.py
"""

from __future__ import annotations

import logging
import math
import socket
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

from generator.config import ScoringConfig  # noqa: E402
from generator.legacy import parse_legacy  # noqa: E402
from generator.models import Job  # noqa: E402
from generator.profile import load_profile  # noqa: E402
from generator.scoring.llm import LLMScorer, OpenAIChatModel  # noqa: E402
from generator.scoring.local import LocalScorer  # noqa: E402


def legacy_postings() -> list[tuple[Job, int]]:
    """Every legacy pick as a posting, with the score the model gave it."""
    out: list[tuple[Job, int]] = []
    for path in sorted((ROOT / "tests" / "fixtures" / "legacy").glob("*.md")):
        day = parse_legacy(path.read_text(encoding="utf-8"), path).day
        for pick in day.picks:
            job = Job(
                id=pick.id,
                title=pick.title,
                company=pick.company,
                location=pick.location,
                url=pick.url,
                description=pick.summary,
                posted=None,
                source="legacy",
            )
            out.append((job, pick.score))
    return out


def _ranks(values: Sequence[float]) -> list[float]:
    """Ranks from 1, ties sharing their average rank (as Spearman's rho needs)."""
    order = sorted(range(len(values)), key=lambda i: values[i])
    ranks = [0.0] * len(values)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
            j += 1
        for k in range(i, j + 1):
            ranks[order[k]] = (i + j) / 2 + 1
        i = j + 1
    return ranks


def spearman(a: Sequence[float], b: Sequence[float]) -> float:
    """Spearman's rho; NaN when it is undefined (fewer than two values, or every value on
    one side the same: there is no order to agree with), as scipy gives, without dividing
    by zero. `rho_text` words it."""
    if len(set(a)) < 2 or len(set(b)) < 2:
        return math.nan
    try:
        from scipy.stats import spearmanr

        return float(spearmanr(a, b).statistic)
    except ImportError:  # Pearson's r of the ranks
        ra, rb = _ranks(a), _ranks(b)
        ma, mb = sum(ra) / len(ra), sum(rb) / len(rb)
        cov = sum((x - ma) * (y - mb) for x, y in zip(ra, rb, strict=True))
        va = sum((x - ma) ** 2 for x in ra) ** 0.5
        vb = sum((y - mb) ** 2 for y in rb) ** 0.5
        return cov / (va * vb)


def rho_text(rho: float) -> str:
    return "undefined (every score the same)" if math.isnan(rho) else f"{rho:.3f}"


def bench_agreement() -> None:
    postings = legacy_postings()
    profile = load_profile(ROOT / "bench" / "legacy-profile.md")
    scores = LocalScorer(profile).score([job for job, _ in postings])
    local = [s.score for s in scores]
    model = [m for _, m in postings]
    rho = spearman(local, model)
    ranked = sorted(range(len(postings)), key=lambda i: (-local[i], postings[i][0].id))
    top = ranked[:10]
    hits = sum(model[i] >= 80 for i in top)
    print(f"legacy postings: {len(postings)}; Spearman rho local vs model: {rho_text(rho)}")
    print(f"local top 10 that the model scored 80 or more: {hits}/10")
    for i in top:
        job = postings[i][0]
        print(f"  local {local[i]:3d}  model {model[i]:3d}  {job.company} - {job.title}"[:110])


def bench_unreachable() -> None:
    """Default settings against a closed port and an unknown host: seconds to fall back."""
    logging.disable(logging.WARNING)
    profile = load_profile(ROOT / "bench" / "legacy-profile.md")
    jobs = [job for job, _ in legacy_postings()] * 3
    for host in ("127.0.0.1", "no-such-host.invalid"):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        with tempfile.TemporaryDirectory() as tmp:
            config = ScoringConfig(base_url=f"http://{host}:{port}/v1", cache_dir=Path(tmp))
            scorer = LLMScorer(config, profile, OpenAIChatModel(config, "sk-bench"))
            started = time.perf_counter()
            scored = scorer.score(jobs)
            seconds = time.perf_counter() - started
        print(
            f"unreachable model at {host}: {scorer.name!r} scored {len(scored)} postings "
            f"in {seconds:.1f} s after {scorer.usage.calls} calls (target: decided within 15 s)"
        )


if __name__ == "__main__":
    bench_agreement()
    if "--agreement-only" not in sys.argv:
        bench_unreachable()
