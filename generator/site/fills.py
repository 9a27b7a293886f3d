"""Cards filled in after the engine, on the pages it renders (day pages and the home page).

Python-Markdown parses every raw HTML tag of a page twice (MkDocs' anchor scan and
`md_in_html`), and inline HTML in a heading once more. A day's 20 cards are about 90 tags:
at three years of history that was 60% of the engine's time, for markup the engine only
copies. So the engine gets each card as its heading (for the table of contents and the
anchor) with two empty markers, `<span data-jp-fill="pick-1-title"></span>` as the heading's
text and `<div data-jp-fill="pick-1"></div>` after it, and the card's own HTML replaces
them in the engine's output: the page the engine would have made from the whole card
(raw HTML passes through Markdown verbatim; engine rule 9), at string-replacement speed.

A page's fills wait beside the staging folder, one JSON file per page (`Fills.write`), as
the days are staged in several processes and filled in once the engine is done.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from generator.errors import FillError

MARKER = re.compile(r'<(span|div) data-jp-fill="([a-z0-9-]+)"></\1>')
"""A marker as the engine copies it. A pick's own text never makes one: it is escaped."""
_FILE = "fills.json"


@dataclass(frozen=True)
class EnginePage:
    """A generated page for the engine: its markdown, and what replaces its markers."""

    text: str
    fills: dict[str, str] = field(default_factory=dict)


def apply(html: str, fills: Mapping[str, str], where: str) -> str:
    """`html` with each marker replaced by its fill, in one pass (a fill is never searched
    for markers). The engine dropping or repeating a marker is a `FillError` naming `where`:
    a card would be missing or shown twice."""
    seen: list[str] = []

    def fill(found: re.Match[str]) -> str:
        key = found.group(2)
        if key not in fills:
            raise FillError(f"{where}: the engine made a marker jobpicks did not write ({key})")
        seen.append(key)
        return fills[key]

    filled = MARKER.sub(fill, html)
    if len(seen) != len(fills) or set(seen) != set(fills):
        lost = sorted(set(fills) - set(seen)) or sorted(k for k in seen if seen.count(k) > 1)
        raise FillError(
            f"{where}: the engine did not copy the card marker {lost[0]} exactly once "
            "(engine rule 9: raw HTML comes out of Markdown as written); the previous site "
            "is unchanged"
        )
    return filled


@dataclass(frozen=True)
class Fills:
    """The staged pages' fills, by the page's URL (`picks/2026/2026-11-23/`, `` for home)."""

    root: Path

    def write(self, url: str, fills: Mapping[str, str]) -> None:
        path = self.root / url / _FILE
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(fills, ensure_ascii=False), encoding="utf-8")

    def pages(self) -> set[Path]:
        """Each page with fills, as its file in a site (`picks/2026/2026-11-23/index.html`)."""
        return {p.parent.relative_to(self.root) / "index.html" for p in self.root.rglob(_FILE)}

    def read(self, page: Path) -> dict[str, str]:
        """The fills of the site page `page` (relative to the site), as `pages` names it."""
        loaded: dict[str, str] = json.loads(
            (self.root / page.parent / _FILE).read_text(encoding="utf-8")
        )
        return loaded
