"""Benchmark the OpenAI scorer against the local fake server with a fixed reply latency.

Measures what the design promises: calls run `max_concurrency` at a time (wall time close to
postings x latency / concurrency) and each posting adds at most ~600 input tokens beyond the
shared profile prefix. Token counts are the fake server's (characters / 4).
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "samples"))

from make_samples import write_feeds  # noqa: E402

from generator.config import FeedSource, FetchConfig, ScoringConfig  # noqa: E402
from generator.profile import load_profile  # noqa: E402
from generator.scoring.llm import LLMScorer, OpenAIChatModel  # noqa: E402
from generator.sources import collect  # noqa: E402


def bench_scoring(postings: int = 1000, latency: float = 0.2, concurrency: int = 8) -> None:
    profile = load_profile(ROOT / "samples" / "profile.md")
    with tempfile.TemporaryDirectory(prefix="jobpicks-bench-") as tmp:
        feeds = write_feeds(Path(tmp), postings)
        jobs = collect([FeedSource(url=str(p)) for p in feeds], FetchConfig(max_bytes=10**9)).jobs[
            :postings
        ]
    # The server runs in its own process, as a real one would: sharing this process's GIL
    # would slow the client down and measure the fake instead of the scorer.
    server = subprocess.Popen(
        [sys.executable, str(ROOT / "tests" / "fake_openai.py"), "--latency", str(latency)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert server.stdout is not None and server.stdin is not None
    base_url = server.stdout.readline().strip()
    try:
        config = ScoringConfig(
            base_url=base_url,
            llm_candidates=postings,
            max_concurrency=concurrency,
            max_calls=postings * 2,
            tokenizer="chars",
            timeout=30,
        )
        scorer = LLMScorer(config, profile, OpenAIChatModel(config, "sk-bench-key"))
        started = time.perf_counter()
        scores = scorer.score(jobs)
        wall = time.perf_counter() - started
    finally:
        server.stdin.close()
        served, peak = server.stdout.readline().split()
        server.wait(timeout=30)
    system_tokens = len(scorer.system) // 4
    per_posting = scorer.usage.input_tokens / max(1, scorer.usage.calls) - system_tokens
    ideal = len(jobs) * latency / concurrency
    print(
        f"OpenAI scorer, fake server: {len(jobs)} postings, {latency * 1000:.0f} ms latency, "
        f"concurrency {concurrency}, {dt.date.today()}"
    )
    print(
        f"  scored {len(scores)}, {scorer.usage.calls} calls in {wall:.1f} s "
        f"({scorer.usage.calls / wall:.1f} calls/s); ideal {ideal:.1f} s; "
        f"ratio {wall / ideal:.2f} (target <= 1.2)"
    )
    print(
        f"  input tokens: prefix {system_tokens}, per posting beyond it {per_posting:.0f} "
        f"(target <= 600)"
    )
    print(f"  server saw {served} requests, at most {peak} at once")
    longest = max(jobs, key=lambda j: len(j.description))
    huge = replace(longest, description=(longest.description + " ") * 40)
    message = scorer.message(huge, "judge")
    print(
        f"  a {len(huge.description):,}-character description becomes a posting message of "
        f"~{len(message) // 4} tokens (max_posting_tokens {config.max_posting_tokens})"
    )
