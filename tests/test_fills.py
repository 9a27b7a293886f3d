"""Cards put into the engine's day and home pages after it has run (`site/fills.py`)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from markupsafe import escape
from site_helpers import build_site, parse_html, rendered, small_project

from generator.errors import BuildError, FillError
from generator.models import DayPage, Pick
from generator.site import derive, fills

DAY = dt.date(2026, 11, 23)
MARKERS = '<span data-jp-fill="pick-2-title"></span><div data-jp-fill="pick-1"></div>'


def _day(*titles: str) -> DayPage:
    picks = [
        Pick(
            id=f"p{n}",
            title=title,
            company="Acme",
            url=f"https://jobs.example.com/{n}",
            score=80 - n,
            reason="Matches Python.",
            summary="Acme builds things.",
        )
        for n, title in enumerate(titles, 1)
    ]
    return DayPage(date=DAY, picks=picks)


def test_each_marker_gets_its_card_and_a_lost_or_repeated_one_names_the_page() -> None:
    where = "picks/2026/2026-11-23/index.html"
    engine = '<h2 id="pick-1"><span data-jp-fill="pick-1-title"></span></h2>\n'
    engine += '<div data-jp-fill="pick-1"></div>'
    cards = {"pick-1-title": "Title", "pick-1": '<div class="jp-pick">card</div>'}
    assert fills.apply(engine, cards, where) == (
        '<h2 id="pick-1">Title</h2>\n<div class="jp-pick">card</div>'
    )
    with pytest.raises(FillError, match=f"{where}: .* pick-1-title exactly once"):
        fills.apply('<div data-jp-fill="pick-1"></div>', cards, where)
    with pytest.raises(FillError, match="pick-1 exactly once"):
        fills.apply(engine + '<div data-jp-fill="pick-1"></div>', cards, where)
    with pytest.raises(FillError, match=r"did not write \(pick-9\)"):
        fills.apply('<div data-jp-fill="pick-9"></div>', {}, where)


def test_a_day_page_renders_with_every_card_in_place() -> None:
    day = _day("Backend Engineer", "Data Engineer")
    page = derive.day_page(derive.collect([day]), day)
    assert set(page.fills) == {"pick-1-title", "pick-1", "pick-2-title", "pick-2"}
    assert "Data Engineer" not in page.text.replace('- Data Engineer"', "")  # only its label
    html = rendered(page)
    assert "data-jp-fill" not in html and html.count('<div class="jp-pick">') == 2
    assert '<a href="https://jobs.example.com/2">Data Engineer</a></h2>' in html


def test_a_title_made_of_markers_reads_as_text() -> None:
    """A pick's text is escaped before the engine sees it, so it cannot make a marker and
    take another card's place."""
    day = _day(MARKERS, "Data Engineer")
    html = rendered(derive.day_page(derive.collect([day]), day))
    assert html.count('<div class="jp-pick">') == 2 and MARKERS not in html
    assert f'<a href="https://jobs.example.com/1">{escape(MARKERS)}</a>' in html


def test_the_built_site_keeps_no_marker(shared_site: Path) -> None:
    site = shared_site / "site"
    day_pages = sorted((site / "picks").rglob("index.html"))
    assert day_pages
    for path in [site / "index.html", *day_pages]:
        text = path.read_text(encoding="utf-8")
        assert "data-jp-fill" not in text, path
        assert text.count('class="jp-pick__title') == text.count('<div class="jp-pick'), path
    assert "pick-1" in parse_html(day_pages[-1]).ids


HOOK = '''
def on_page_content(html, page, config, files):
    """A plugin that rewrites pages and loses a card's marker on the way."""
    if not page.file.src_uri.startswith("picks/"):
        return html
    return html.replace('<div data-jp-fill="pick-2"></div>', "")
'''


def test_an_engine_that_loses_a_marker_fails_the_build_and_keeps_the_site(tmp_path: Path) -> None:
    config_path = small_project(tmp_path, _day("Backend Engineer", "Data Engineer"))
    build_site(config_path)
    site = tmp_path / "site"
    before = {p: p.read_bytes() for p in site.rglob("*") if p.is_file()}
    (tmp_path / "hooks.py").write_text(HOOK, encoding="utf-8")
    mkdocs_yml = tmp_path / "mkdocs.yml"
    mkdocs_yml.write_text(
        mkdocs_yml.read_text(encoding="utf-8") + "hooks:\n  - hooks.py\n", encoding="utf-8"
    )
    lost = r"picks/2026/2026-11-23/index.html: .* pick-2 .*previous site is unchanged"
    with pytest.raises(BuildError, match=lost):
        build_site(config_path)
    assert {p: p.read_bytes() for p in site.rglob("*") if p.is_file()} == before
