"""Benchmark the daily run with the local scorer: wall time and peak memory.

    .venv/bin/python bench/run.py                 # everything
    .venv/bin/python bench/run.py --only scoring  # the OpenAI scorer against a fake server
    .venv/bin/python bench/run.py --counts 50000  # any sizes

Each size runs `jobpicks run` in a fresh process over synthetic feeds on local disk (made by
samples/make_samples.py), so the figures include start-up, parsing, scoring and the page write.
Target (issue "The daily pipeline"): 10,000 postings in under 10 s and under 300 MB.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "samples"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from make_samples import write_feeds  # noqa: E402
from scoring import bench_scoring  # noqa: E402


def measure(count: int, workdir: Path) -> tuple[float, float, str]:
    """(seconds, peak MB, summary line) for one run over `count` postings."""
    feeds = write_feeds(workdir / "feeds", count)
    config = {
        "profile": str(ROOT / "samples" / "profile.md"),
        "docs_dir": str(workdir / "docs"),
        "sources": [{"type": "feed", "name": p.name, "url": str(p)} for p in feeds],
        "fetch": {"max_bytes": 500_000_000},
    }
    config_path = workdir / "jobpicks.yml"
    config_path.write_text(yaml.safe_dump(config), encoding="utf-8")
    command = [
        sys.executable,
        "-m",
        "generator",
        "run",
        "--config",
        str(config_path),
        "--date",
        "2026-11-23",
        "--force",
        "--scorer",
        "local",
    ]
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.perf_counter()
    done = subprocess.run(
        command,
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "OPENAI_API_KEY": ""},
    )
    seconds = time.perf_counter() - started
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    # ru_maxrss for children is the largest child so far; runs go smallest first.
    peak_mb = max(peak_kb, before) / 1024
    return seconds, peak_mb, done.stdout.strip().splitlines()[-1]


def main() -> None:
    parser = argparse.ArgumentParser(description="Benchmark the daily run.")
    parser.add_argument("--counts", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--only", choices=["pipeline", "scoring"], default=None)
    args = parser.parse_args()
    if args.only != "pipeline":
        bench_scoring()
    if args.only == "scoring":
        return
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores")
    print(f"{'postings':>9} {'wall s':>8} {'peak MB':>8}  summary")
    for count in sorted(args.counts):
        with tempfile.TemporaryDirectory(prefix="jobpicks-bench-") as tmp:
            seconds, peak, summary = measure(count, Path(tmp))
        print(f"{count:>9} {seconds:>8.2f} {peak:>8.0f}  {summary}")


if __name__ == "__main__":
    main()
