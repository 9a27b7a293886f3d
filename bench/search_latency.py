"""Search in headless Chromium over a built site: index readiness and query latency."""

from __future__ import annotations

import gzip
import re
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from browser import chromium, serve  # noqa: E402

# Material's search index is built in a web worker; the page learns it is ready from the
# worker's READY message (type 1). Record when it arrives, before any page script runs: the
# "Initializing search" text can change before the worker is ready, and a query typed then
# waits for the whole index build.
_WATCH_WORKER = """
window.__jobpicksReady = null;
const NativeWorker = window.Worker;
window.Worker = function (url, options) {
  const worker = new NativeWorker(url, options);
  worker.addEventListener("message", (event) => {
    if (event.data && event.data.type === 1) window.__jobpicksReady = performance.now();
  });
  return worker;
};
"""

_MEASURE = """
const [query, done] = arguments;
const input = document.querySelector("input.md-search__input");
const list = document.querySelector(".md-search-result__list");
const started = performance.now();
const observer = new MutationObserver(() => {
  if (list.querySelector(".md-search-result__item")) {
    observer.disconnect();
    done(performance.now() - started);
  }
});
observer.observe(list, {childList: true, subtree: true});
input.value = query;
input.dispatchEvent(new Event("input", {bubbles: true}));
input.dispatchEvent(new KeyboardEvent("keyup", {bubbles: true, key: query.slice(-1)}));
"""


def first_search_payload(site: Path) -> int:
    """Gzipped bytes a reader downloads before the first result: the home page, its CSS and
    JS, the search worker and the search index."""
    html = (site / "index.html").read_text(encoding="utf-8")
    files = [site / "index.html", site / "search/search_index.json"]
    files += [site / ref for ref in re.findall(r'(?:href|src)="(assets/[^"]+\.(?:css|js))"', html)]
    files += list((site / "assets/javascripts/workers").glob("search.*.min.js"))
    return sum(len(gzip.compress(f.read_bytes(), 6)) for f in files if f.exists())


def search_timings(site: Path, query: str) -> dict[str, float]:
    """Milliseconds from navigation: `loaded` (the page's load event), `ready` (the search
    worker's index built), `result` (`query`'s first result on screen, typed once ready);
    and `query`, from typing to that result."""
    from selenium.webdriver.support.ui import WebDriverWait

    with serve(site) as url, chromium() as driver:
        d: Any = driver
        d.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": _WATCH_WORKER})
        d.get(url)
        WebDriverWait(d, 60, poll_frequency=0.02).until(
            lambda drv: drv.execute_script("return window.__jobpicksReady") is not None
        )
        ready = float(d.execute_script("return window.__jobpicksReady"))
        loaded = float(
            d.execute_script("return performance.getEntriesByType('navigation')[0].loadEventEnd")
        )
        d.set_script_timeout(30)
        latency = float(d.execute_async_script(_MEASURE, query))
    return {"loaded": loaded, "ready": ready, "query": latency, "result": ready + latency}


def search_latency(site: Path, query: str) -> tuple[float, float]:
    """(seconds from navigation until the search worker is ready, ms from typing `query` to
    its first result on screen)."""
    timings = search_timings(site, query)
    return timings["ready"] / 1000, timings["query"]
