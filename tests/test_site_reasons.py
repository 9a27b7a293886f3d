"""`site.reasons: false` (#24): a public site that says nothing of what the reader lacks.
No reason or summary on any page, feed, search entry or Explore data file, in any encoding
the site writes text in; the scores and facts stay, and the day pages keep them."""

from __future__ import annotations

import html
import json
from pathlib import Path

import yaml
from site_helpers import build_site, make_project

from generator import pages
from generator.config import load_config


def _forms(text: str) -> set[str]:
    """The ways the site may write `text`: as is, HTML-escaped, JSON-escaped."""
    return {text, html.escape(text), html.escape(text, quote=False), json.dumps(text)[1:-1]}


def test_no_reason_or_summary_anywhere_in_the_built_site(tmp_path: Path) -> None:
    config_path = make_project(tmp_path, hostile=False)
    config = yaml.safe_load(config_path.read_text(encoding="utf-8"))
    config["site"]["reasons"] = False
    config_path.write_text(yaml.safe_dump(config), encoding="utf-8")
    assert build_site(config_path).warnings == []

    days = pages.read_all(load_config(config_path).picks_dir)
    texts = {
        text
        for day in days
        for pick in day.picks
        for text in (pick.reason, pick.summary)
        if len(text) >= 12  # long enough to be this pick's own words
    }
    assert len(texts) > 100  # the legacy history and two sample days
    site = tmp_path / "site"
    built = {
        path: path.read_text(encoding="utf-8")
        for path in site.rglob("*")
        if path.suffix in (".html", ".xml", ".json", ".js")
    }
    assert any(p.match("explore/data/text-*.json") for p in built)
    assert any(p.match("search/*.json") for p in built)
    leaks = [
        (str(path.relative_to(site)), text)
        for text in texts
        for path, body in built.items()
        if any(form in body for form in _forms(text))
    ]
    assert leaks == []
    # The scores and facts stay, and the repository's pages keep the reasons.
    day = built[site / "picks/2026/2026-11-23/index.html"]
    assert day.count('class="jp-score ') == 20 and "jp-fact" in day
    assert "<details" not in day and 'class="jp-more"' not in day
    stored = (tmp_path / "docs/picks/2026/2026-11-23.md").read_text(encoding="utf-8")
    assert "reason:" in stored
