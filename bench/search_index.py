"""Search: the index as it is against the one before it and its worst case, in one run, at
30, 365 and 1,095 days of synthetic history.

Each size is built once with `jobpicks build --strict` (the index as it is: one entry per
company page, its name, and one per distinct job title, issue 25). Two other indexes are
then written into the same site from the same data, so the three differ only in the search
index: "names only", the index before issue 25 (companies only), and "titles at cap", the
names with `TITLE_ENTRIES` title entries (the synthetic history has only a few hundred
distinct titles; a real one reaches the cap). Page loads take turns between the
three, in an order that reverses each round. For each: entries, the index's gzipped size,
everything gzipped a reader downloads before the first result (home page, CSS/JS, worker,
index); then, in ms from navigation, the page's load event, the search worker ready, and a
typical company's first result on screen (typed as soon as the worker is ready); the query
alone; and the first result's time after the load event. Medians of seven page loads each,
each in a fresh headless Chromium (a first visit: nothing cached or compiled).
Target: first result within 500 ms of page load at 1,095 days, with at most 500 KB
gzipped downloaded before it. Results in bench/RESULTS.md.

    .venv/bin/python bench/search_index.py [DAYS ...]
"""

from __future__ import annotations

import gzip
import importlib.util
import json
import statistics
import subprocess
import sys
import tempfile
from collections import Counter
from html import escape
from pathlib import Path

from generator import pages
from generator.config import load_config
from generator.models import DayPage
from generator.site import build
from generator.site.derive import collect
from generator.site.search import TITLE_ENTRIES, company_entries, title_entries

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
from search_latency import first_search_payload, search_timings  # noqa: E402


def _bench_site() -> object:
    """bench/site.py's synthetic history (loaded by path: `site` is also a stdlib module)."""
    spec = importlib.util.spec_from_file_location("bench_site", ROOT / "bench" / "site.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def docs_names(days: list[DayPage]) -> list[dict[str, object]]:
    """The company entries alone, as before issue 25 (the box found companies only)."""
    return [
        {"location": e.location, "title": escape(e.title, quote=False), "text": "", "boost": 4}
        | ({"text": f"<p>{escape(e.text, quote=False)}</p>"} if e.text else {})
        for e in company_entries(collect(days))
    ]


def docs_cap(days: list[DayPage]) -> list[dict[str, object]]:
    """The title entries at their cap: the synthetic history has few distinct titles (its
    roles times its teams), a real one thousands, so this variant fills the index up to
    `TITLE_ENTRIES` with made-up distinct titles of the same shape."""
    data = collect(days)
    titles = title_entries(data)
    extra = TITLE_ENTRIES - len(titles)
    words = ["Senior", "Staff", "Lead", "Principal", "Junior", "Platform", "Product", "Cloud"]
    made = [
        f"{words[n % len(words)]} {_made_word(n)} Engineer, {_made_word(n * 7 + 3)}"
        for n in range(extra)
    ]
    out = []
    for title in [e.title for e in titles] + made:
        out.append(
            {
                "location": "explore/?text=x&year=all",
                "title": escape(title, quote=False),
                "text": "<p>2 picks, last 23 Nov 2026</p>",
                "boost": 2,
            }
        )
    return out


def _made_word(n: int) -> str:
    syllables = ["vel", "or", "ix", "qua", "nt", "ra", "zen", "do", "lu", "mi", "ka", "po"]
    return "".join(syllables[(n // 12**i) % 12] for i in range(3)).capitalize()


RUNS = 7
"""Page loads per index, alternating between the indexes; the median is reported (this
2-core machine is shared and noisy)."""


def _measure(site: Path, indexes: dict[str, str], query: str) -> dict[str, dict[str, float]]:
    path = site / "search/search_index.json"
    runs: dict[str, list[dict[str, float]]] = {name: [] for name in indexes}
    order = list(indexes)
    for _ in range(RUNS):
        for name in order:
            path.write_text(indexes[name], encoding="utf-8")
            runs[name].append(search_timings(site, query))
        order.reverse()  # neither index always goes first
    out = {}
    for name, text in indexes.items():
        path.write_text(text, encoding="utf-8")
        timings = {k: statistics.median(r[k] for r in runs[name]) for k in runs[name][0]}
        out[name] = {
            "entries": len(json.loads(text)["docs"]),
            "index_kb_gz": len(gzip.compress(text.encode("utf-8"))) / 1e3,
            "payload_kb_gz": first_search_payload(site) / 1e3,
            "loaded_ms": timings["loaded"],
            "ready_ms": timings["ready"],
            "query_ms": timings["query"],
            "first_ms": timings["result"],
            "after_load_ms": statistics.median(r["result"] - r["loaded"] for r in runs[name]),
        }
    return out


def measure(count: int, workdir: Path) -> dict[str, dict[str, float]]:
    bench = _bench_site()
    config_path = bench.synthetic_project(count, workdir)  # type: ignore[attr-defined]
    config = load_config(config_path)
    days = pages.read_all(config.picks_dir)
    site = build(config, workdir / "mkdocs.yml", strict=True).site_dir
    counts = Counter(p.company for d in days for p in d.picks)
    typical = min(counts, key=lambda c: (abs(counts[c] - 20), c))
    query = typical.split()[0]
    path = site / "search/search_index.json"
    now = path.read_text(encoding="utf-8")
    index = json.loads(now)
    own = [
        d
        for d in index["docs"]
        if not d["location"].startswith(("picks/", "companies/", "explore/?"))
    ]

    def variant(docs: list[dict[str, object]]) -> str:
        return json.dumps({**index, "docs": own + docs}, ensure_ascii=False, separators=(",", ":"))

    indexes = {
        "now (names+titles)": now,
        "names only": variant(docs_names(days)),
        "titles at cap": variant(docs_names(days) + docs_cap(days)),
    }
    results = _measure(site, indexes, query)
    return results


def main(counts: list[int]) -> None:
    print(
        f"{'days':>5} {'index':<18} {'entries':>7} {'index KB gz':>11} {'payload KB gz':>13} "
        f"{'load ms':>7} {'ready ms':>8} {'query ms':>8} {'result ms':>9} {'after load ms':>13}"
    )
    for count in counts:
        done = subprocess.run(
            [sys.executable, __file__, "--one", str(count)],
            check=True,
            capture_output=True,
            text=True,
        )
        results: dict[str, dict[str, float]] = json.loads(done.stdout.strip().splitlines()[-1])
        for name, m in results.items():
            print(
                f"{count:>5} {name:<18} {m['entries']:>7.0f} {m['index_kb_gz']:>11.0f} "
                f"{m['payload_kb_gz']:>13.0f} {m['loaded_ms']:>7.0f} {m['ready_ms']:>8.0f} "
                f"{m['query_ms']:>8.0f} {m['first_ms']:>9.0f} {m['after_load_ms']:>13.0f}"
            )
        sys.stdout.flush()


if __name__ == "__main__":
    if sys.argv[1:2] == ["--one"]:
        with tempfile.TemporaryDirectory(prefix="jobpicks-search-") as tmp:
            print(json.dumps(measure(int(sys.argv[2]), Path(tmp))))
    else:
        main([int(a) for a in sys.argv[1:]] or [30, 365, 1095])
