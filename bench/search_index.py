"""Search: the index as it is against the two before it, in one run, at 30, 365 and 1,095
days of synthetic history.

Each size is built once with `jobpicks build --strict` (the index as it is: one entry per
company page, its name). Two earlier indexes are then written into the same site from the
same data, so the three differ only in the search index: "names + titles", the index of
the last round (each company's name and up to 12 of its job titles), and "before (issue
14)", the index as the issue found it (the same, with each entry's text repeated whole in
folded form and words split at spaces and hyphens only). Page loads take turns between the
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

from text_unidecode import unidecode

from generator import pages
from generator.config import load_config
from generator.models import DayPage
from generator.site import build
from generator.site.derive import collect, company_url
from generator.site.search import folded_words

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


def _fold(text: str) -> str:
    return str(unidecode(text))


def _entry(slug: str, name: str, text: str) -> dict[str, object]:
    return {
        "location": company_url(slug),
        "title": escape(name, quote=False),
        "text": f"<p>{escape(text, quote=False)}</p>",
        "boost": 4,
    }


def docs_titles(days: list[DayPage]) -> list[dict[str, object]]:
    """The company entries of the last round (the previous `search.py`, copied here to
    compare): the name, then up to 12 distinct job titles, then the words folding changes."""
    data = collect(days)
    out: list[dict[str, object]] = []
    for company in sorted(data.companies.values(), key=lambda c: c.slug):
        titles = list(dict.fromkeys(p.pick.title for p in company.picks if p.pick.title))
        text = " · ".join(titles[:12])
        out.append(
            _entry(
                company.slug,
                company.name,
                " ".join([text, *folded_words(company.name, text)]).strip(),
            )
        )
    return out


def docs_before(days: list[DayPage]) -> list[dict[str, object]]:
    """The company entries as issue 14 found them: the whole text folded again whenever
    folding changed any of it, which it always did ("·" folds to "*")."""
    data = collect(days)
    out: list[dict[str, object]] = []
    for company in sorted(data.companies.values(), key=lambda c: c.slug):
        titles = list(dict.fromkeys(p.pick.title for p in company.picks if p.pick.title))
        text = " · ".join(titles[:12])
        folded = (_fold(t) for t in (company.name, text))
        also = [f for f in folded if f not in (text, company.name)]
        text = " ".join([text, *dict.fromkeys(also)]).strip()
        out.append(_entry(company.slug, company.name, text))
    return out


SEPARATOR_BEFORE = r"[\s\-]+"
"""The engine's default word separator, used before issue 14."""

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
    own = [d for d in index["docs"] if not d["location"].startswith(("picks/", "companies/"))]

    def variant(docs: list[dict[str, object]], separator: str | None = None) -> str:
        config = dict(index["config"], separator=separator or index["config"]["separator"])
        return json.dumps(
            {**index, "config": config, "docs": own + docs},
            ensure_ascii=False,
            separators=(",", ":"),
        )

    indexes = {
        "now (names)": now,
        "names + titles": variant(docs_titles(days)),
        "before (issue 14)": variant(docs_before(days), SEPARATOR_BEFORE),
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
