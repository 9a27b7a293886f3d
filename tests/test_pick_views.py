"""One pick, one value: a pick is validated and normalised once, when it is made (from a
source, a page read from disk or an import), and every view of it (day card, home, company
row, saved-search row, feed item, Explore row) shows that value and nothing else.

The two defects this pins were visible to readers: a `javascript:` URL edited into a day
page's front matter became a live link on a saved-search page (the day page refused it), and
a title holding entities and angle brackets read one way on the day page and another in the
feeds and saved-search pages, which ran it through an HTML-to-text pass of their own.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from html import escape, unescape
from html.parser import HTMLParser
from pathlib import Path
from xml.etree import ElementTree

import feedparser
import markdown
import pytest
from conftest import SAMPLE_SOURCES, write_config
from site_helpers import ENGINE_EXTENSIONS, rendered

from generator import models, notify, pages
from generator.config import Config, load_config
from generator.models import DayPage, Pick
from generator.site import derive, feeds, saved, search

DAY = dt.date(2026, 11, 20)
URL = "https://jobs.example.com/platform-tools"
"""The engine's markdown extensions (mkdocs.yml)."""


class _Anchors(HTMLParser):
    """The text of every link, by its href; and every href seen."""

    def __init__(self) -> None:
        super().__init__()
        self.text: dict[str, list[str]] = {}
        self.hrefs: list[str] = []
        self._open: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            href = dict(attrs).get("href") or ""
            self.hrefs.append(href)
            self._open.append(href)
            self.text.setdefault(href, []).append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._open:
            self._open.pop()

    def handle_data(self, data: str) -> None:
        if self._open:
            self.text[self._open[-1]][-1] += data


def _anchors(html: str) -> _Anchors:
    parser = _Anchors()
    parser.feed(html)
    parser.close()
    return parser


def _project(tmp_path: Path, pick: Pick) -> Config:
    """A project with one day holding `pick`, and a saved search that matches it."""
    path = write_config(
        tmp_path,
        SAMPLE_SOURCES,
        site={"title": "Test Picks", "feeds": {"everything": {"name": "Everything"}}},
    )
    config = load_config(path)
    pages.write(DayPage(date=DAY, picks=(pick,), scorer="local"), config.picks_dir)
    return config


def _edit_front_matter(config: Config, old: str, new: str) -> Path:
    """Edit the day page's file by hand, as a reader fixing a page would."""
    path = pages.page_path(config.picks_dir, DAY)
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def _views(config: Config) -> dict[str, str]:
    """Every view of the project's picks, as the HTML a reader's browser or feed reader gets.
    A feed item of one pick is its title (plain text, shown here as the link it makes in a
    reader) and its body; its link as the XML holds it (feedparser decodes `&amp;` in a link
    once more than XML does)."""
    data = derive.collect(pages.read_all(config.picks_dir))
    day = data.days[0]
    out = {
        "day card": rendered(derive.day_page(data, day)),
        "home": rendered(derive.home_page(data, config.site.title)),
        **{
            f"saved-search row ({k})": markdown.markdown(v, extensions=ENGINE_EXTENSIONS)
            for k, v in saved.pages(data, config).items()
        },
    }
    for page in derive.company_pages(data):
        out[f"company row ({page.slug})"] = page.body
    base = "https://picks.example.org/"
    blobs = {**feeds.feeds(data, config, base), **saved.feeds(data, config, base)}
    for name, blob in blobs.items():
        items = ElementTree.fromstring(blob).iter("item")
        for n, (entry, item) in enumerate(zip(feedparser.parse(blob).entries, items, strict=True)):
            assert entry.title_detail.type == "text/plain", (name, entry.title)
            href = item.findtext("link") or ""
            link = (
                "" if name == "feed.xml" else f'<a href="{escape(href)}">{escape(entry.title)}</a>'
            )

            out[f"feed item ({name} #{n})"] = link + entry.summary
    return out


TITLES = ["Engineer &lt;Platform&gt; &amp;amp; Tools", "Engineer <Platform> &amp; Tools"]
"""The issue's title as a feed sends it (escaped twice), and as a source's cleaner used to
leave it (decoded once): the day page showed the second, the feeds and saved-search pages
"Engineer & Tools". Cleaned once, when the pick is made, both read as one text everywhere."""
READS = "Engineer <Platform> & Tools"


@pytest.mark.parametrize("title", TITLES)
def test_a_title_reads_the_same_in_every_view(tmp_path: Path, title: str) -> None:
    config = _project(
        tmp_path,
        Pick(id="p1", title="Placeholder", company="Acme &amp; Sons", url=URL, score=80),
    )
    _edit_front_matter(config, "title: Placeholder", f"title: '{title}'")
    views = _views(config)
    assert len(views) >= 7
    for name, html in views.items():
        links = _anchors(html).text.get(URL)
        if name.startswith("feed item (feeds/companies/"):
            assert links == [f"{READS} · 80/100"], name  # a company feed's item title
        elif name.startswith("feed item (feeds/saved/"):
            assert links == [f"Acme & Sons - {READS}"], name
        else:
            assert links == [READS], name
        assert "Acme & Sons" in unescape(html) and "&amp;amp;" not in html, name
    data = derive.collect(pages.read_all(config.picks_dir))
    explore = json.loads(derive.explore_files(data)["explore/data/2026.json"])
    assert explore["rows"][0][1:3] == ["Acme & Sons", READS]


def test_a_javascript_url_edited_into_a_page_is_no_link_anywhere(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    config = _project(
        tmp_path,
        Pick(id="p1", title="Backend Engineer", company="Acme", url=URL, score=80),
    )
    path = _edit_front_matter(config, f"url: {URL}", "url: javascript:alert(document.domain)")
    with caplog.at_level(logging.WARNING):
        views = _views(config)
    for name, html in views.items():
        hrefs = _anchors(html).hrefs
        assert not [h for h in hrefs if "javascript" in h.casefold()], (name, hrefs)
        assert "Backend Engineer" in html, name  # still shown, as text
    warned = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert warned, "reading the page said nothing"
    assert all(str(path) in w and "Backend Engineer" in w for w in warned), warned
    assert any("javascript:alert(document.domain)" in w for w in warned), warned


PLACEHOLDER = "Untitled posting"
"""`models.UNTITLED` for the test below: a view that wrote "(untitled)" itself, or the empty
title, would show something else."""
U1 = "https://jobs.example.com/view?id=7&amp;b=2"
"""A URL as a page may hold it; `text.safe_url`, a second cleaner, would make it `&b=2`: a
view that cleaned it again would link elsewhere than the day card."""


def _two_picks(tmp_path: Path) -> tuple[Config, Path]:
    """A day with an untitled pick and, edited in by hand, a pick whose URL is javascript:."""
    path = write_config(
        tmp_path,
        SAMPLE_SOURCES,
        site={"title": "Test Picks", "feeds": {"everything": {"name": "Everything"}}},
    )
    config = load_config(path)
    picks = (
        Pick(id="p1", title="", company="Acme", location="Berlin", url=U1, score=90),
        Pick(id="p2", title="Backend Engineer", company="Globex", url=URL, score=85),
    )
    pages.write(DayPage(date=DAY, picks=picks, scorer="local"), config.picks_dir)
    page = _edit_front_matter(config, f"url: {URL}", "url: javascript:alert(document.domain)")
    return config, page


def test_an_untitled_pick_and_a_javascript_url_are_the_picks_own_values_in_every_view(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every view, the notification included, shows the placeholder `Pick.display_title`
    gives, links the untitled pick to its URL as the pick holds it, and links the other
    pick nowhere: each draws from the pick read from disk, and cleans nothing again."""
    monkeypatch.setattr(models, "UNTITLED", PLACEHOLDER)
    config, page = _two_picks(tmp_path)
    views = _views(config)
    day = pages.read(page)
    message = notify.day_message(day, config, findings=[], page_url="https://p.example/d/")
    assert message is not None
    views["notification (html)"] = message.html()

    untitled = {name: _anchors(html).text.get(U1) for name, html in views.items()}
    saved_items = sorted(
        (v for k, v in untitled.items() if k.startswith("feed item (feeds/saved/")), key=str
    )
    assert saved_items == [None, [f"Acme - {PLACEHOLDER}"]]
    assert {k: v for k, v in untitled.items() if not k.startswith("feed item (feeds/saved/")} == {
        "day card": [PLACEHOLDER],
        "home": [PLACEHOLDER],
        "saved-search row (saved/everything.md)": [PLACEHOLDER],
        "company row (acme)": [PLACEHOLDER],
        "company row (globex)": None,
        "feed item (feed.xml #0)": [PLACEHOLDER],
        "feed item (feeds/companies/acme.xml #0)": [f"{PLACEHOLDER} · 90/100"],
        "feed item (feeds/companies/globex.xml #0)": None,
        "notification (html)": [PLACEHOLDER],
    }
    for name, html in views.items():
        hrefs = _anchors(html).hrefs
        assert not [h for h in hrefs if "javascript" in h.casefold()], (name, hrefs)
        if "acme" not in name and untitled[name] != [f"Acme - {PLACEHOLDER}"]:
            assert "Backend Engineer" in html, name  # shown, as text
        assert "(untitled)" not in html, name

    text, md = message.text(), message.markdown()
    assert f"90  {PLACEHOLDER}\n    Acme · Berlin\n    {U1}\n\n85  Backend Engineer\n" in text
    assert f"- **90** [{PLACEHOLDER}]({U1}) · Acme · Berlin\n- **85** Backend Engineer" in md
    assert "javascript" not in text + md

    data = derive.collect(pages.read_all(config.picks_dir))
    explore = json.loads(derive.explore_files(data)["explore/data/2026.json"])
    assert [row[1:6] for row in explore["rows"]] == [
        ["Acme", PLACEHOLDER, "Berlin", 90, U1],
        ["Globex", "Backend Engineer", "", 85, ""],
    ]
    titles = {e.title: e.location for e in search.title_entries(data)}
    assert titles == {
        PLACEHOLDER: search.explore_url(PLACEHOLDER),
        "Backend Engineer": search.explore_url("Backend Engineer"),
    }
