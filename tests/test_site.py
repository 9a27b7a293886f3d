"""The built site: a real `mkdocs build --strict` of fixture and sample pages."""

from __future__ import annotations

import gzip
import json
import re
import tempfile
from html import unescape
from pathlib import Path
from urllib.parse import urlsplit

import feedparser
import pytest
from click.testing import CliRunner
from site_helpers import (
    HOSTILE_TITLE,
    Links,
    broken_internal_links,
    build_site,
    make_project,
    parse_html,
    small_project,
)

from generator.cli import cli
from generator.site import BuildError, shell, sitemap
from generator.site.derive import CompanyPage


@pytest.fixture(scope="module")
def built(shared_site: Path) -> Path:
    """The session's shared site (conftest.py), built strictly with no warnings."""
    return shared_site / "site"


def test_home_shows_the_latest_day_with_the_recent_days_below_its_picks(built: Path) -> None:
    html = (built / "index.html").read_text()
    # One card per pick of 2026-11-23 (one of them closed: `class="jp-pick__title ...--closed"`).
    assert html.count('class="jp-pick__title') == 20
    assert html.count('<h2 class="jp-pick__title') == 20  # under the day's heading
    assert '<h1 id="latest">Picks for <a href="picks/2026/2026-11-23/">Mon 23 Nov 2026</a>' in html
    recent = html.index('class="jp-recent"')
    assert recent > html.rindex('class="jp-pick__title"')  # out of the first card's way
    for day in ("2026-11-22", "2026-11-21", "2026-02-09", "2026-01-03", "2026-01-02"):
        assert f'href="picks/{day[:4]}/{day}/"' in html
    assert "1 pick</span>" in html and "20 picks</span>" in html
    assert not re.search(r"\b1 (picks|days)", html)
    # The site's name once, not "Test Picks - Test Picks".
    assert re.findall(r"<title>(.*?)</title>", html) == ["Test Picks"]


def test_archive_lists_every_day_with_counts_and_top_companies(built: Path) -> None:
    index = (built / "archive/index.html").read_text()
    year = (built / "archive/2026/index.html").read_text()
    for html, up in ((index, "../"), (year, "../../")):
        for day in ("2026-11-23", "2026-11-22", "2026-11-21", "2026-02-09", "2026-01-02"):
            assert f'href="{up}picks/2026/{day}/"' in html
        assert "19 picks</span>" in html
        assert '<span class="jp-tops">ByteDance, TikTok, Lensa</span>' in html
        assert "1 pick</span>" in html and not re.search(r"\b1 (picks|days)", html)
    assert "6 days, 100 picks" in index
    assert year.index("November 2026") < year.index("February 2026") < year.index("January 2026")
    assert "3 days, 41 picks" in year  # November 2026


def test_day_pages_link_the_previous_and_next_day(built: Path) -> None:
    def nav(day: str) -> dict[str, str]:
        """rel -> the linked day's date."""
        found = {}
        page = built / f"picks/2026/{day}/index.html"
        for tag, attrs in parse_html(page).tags:
            if tag == "a" and attrs.get("rel") in ("prev", "next"):
                found[str(attrs["rel"])] = (page.parent / str(attrs["href"])).resolve().name
        return found

    assert nav("2026-11-23") == {"prev": "2026-11-22"}  # the newest day has no next
    assert nav("2026-11-22") == {"prev": "2026-11-21", "next": "2026-11-23"}
    assert nav("2026-02-09") == {"prev": "2026-01-03", "next": "2026-11-21"}
    assert nav("2026-01-02") == {"next": "2026-01-03"}  # the oldest has no previous
    html = (built / "picks/2026/2026-11-23/index.html").read_text()
    assert html.count('rel="prev"') == 2  # above and below the picks


def test_day_page_toc_reads_company_then_title_and_no_tags_above_the_heading(
    built: Path,
) -> None:
    from generator import pages as page_files
    from generator.site.render import pick_title_text

    html = (built / "picks/2026/2026-02-09/index.html").read_text()
    day = page_files.read(built.parent / "docs/picks/2026/2026-02-09.md")
    toc = re.findall(
        r'href="#pick-\d+" class="md-nav__link">\s*<span class="md-ellipsis">\s*(.*?)\s*</span>',
        html,
    )
    assert [unescape(label) for label in toc] == [pick_title_text(p) for p in day.picks]
    assert toc[0].startswith("ByteDance - ")
    assert "md-tag" not in html  # no tag buttons above the heading
    assert '<span class="jp-nowrap">Mon 9 Feb 2026</span>' in html  # one date style
    # Legacy: no scorer recorded, and never checked (the site's checker answered for others).
    assert "19 picks, not checked since 9 Feb · imported from an earlier digest" in html
    sample = (built / "picks/2026/2026-11-23/index.html").read_text()
    assert "scored by the local keyword scorer" in sample


def test_company_pages_list_every_pick_across_days(built: Path) -> None:
    html = (built / "companies/tiktok/index.html").read_text()
    assert html.count("<tr>") - 1 == html.count('href="../../picks/2026/') == 13
    for day in ("2026-01-02", "2026-01-03", "2026-02-09"):
        assert f"../../picks/2026/{day}/" in html
    assert "https://www.linkedin.com/jobs/view/4291503204" in html
    index = (built / "companies/index.html").read_text()
    assert 'href="tiktok/"' in index and "TikTok</a> (" in index
    assert '<a href="../../companies/">All companies</a>' in html


def test_a_company_row_links_to_the_picks_card_on_its_day(built: Path) -> None:
    """The date of each row goes to that pick's card on the day page, not the page's top."""
    page = built / "companies/tiktok/index.html"
    rows = re.findall(
        r'<tr[^>]*><td><a href="([^"]+)"><time[^>]*>[^<]+</time></a></td><td>.*?</td>'
        r'<td><a href="([^"]+)"',
        page.read_text(),
    )
    assert len(rows) == 13
    for day_href, posting in rows:
        path, _, anchor = day_href.partition("#")
        assert anchor.startswith("pick-"), day_href
        day = (page.parent / path / "index.html").resolve().read_text()
        card = day[day.index(f'id="{anchor}"') :][:2000]
        assert f'href="{posting}"' in card, (day_href, posting)


def test_company_pages_have_the_engine_layout_and_no_shell_left(built: Path) -> None:
    """Company pages are filled into a shell the engine rendered: same theme, navigation and
    assets as an engine page, their own title, description and heading, and no trace of the
    shell anywhere in the site."""
    page = parse_html(built / "companies/tiktok/index.html")
    engine_page = parse_html(built / "archive/2026/index.html")  # same depth

    def layout(parsed: Links) -> list[tuple[str, str | None]]:
        return [
            (t, a.get("href") or a.get("src") or a.get("class"))
            for t, a in parsed.tags
            if t == "script" or a.get("rel") == "stylesheet" or "md-nav--primary" in str(a)
        ]

    assert layout(page) == layout(engine_page)
    html = (built / "companies/tiktok/index.html").read_text()
    assert "<title>TikTok - Test Picks</title>" in html
    assert '<meta name="description" content="Every job pick from TikTok">' in html
    assert '<h1 id="tiktok">TikTok' in html
    assert 'href="https://picks.example.org/companies/tiktok/"' in html  # canonical
    evil = (built / "companies/evil-co-b/index.html").read_text()
    assert "<title>Evil &amp; Co &lt;b&gt; - Test Picks</title>" in evil
    for path in built.rglob("*"):
        assert shell.SLUG not in str(path)
        if path.suffix in (".html", ".json", ".xml"):
            text = path.read_text()
            assert shell.SLUG not in text and "JOBPICKSSHELL" not in text, path


def test_sitemap_lists_every_company_page(built: Path) -> None:
    sitemap = (built / "sitemap.xml").read_text()
    assert "<loc>https://picks.example.org/companies/tiktok/</loc>" in sitemap
    companies = {p.parent.name for p in (built / "companies").glob("*/index.html")}
    assert sitemap.count("<loc>https://picks.example.org/companies/") == len(companies) + 1  # A-Z
    assert gzip.decompress((built / "sitemap.xml.gz").read_bytes()).decode() == sitemap


def test_filling_the_shell_never_replaces_a_company_s_own_text() -> None:
    """A title or table that happens to contain a placeholder is written as it is."""
    rendered = (
        f"<title>{shell.TITLE}</title><a href='../{shell.SLUG}.xml'>"
        f"<h1 id='{shell.SLUG}'>{shell.TITLE}</h1><p>{shell.BODY}</p>"
    )
    folder = Path(tempfile.mkdtemp()) / "companies" / shell.SLUG
    folder.mkdir(parents=True)
    (folder / "index.html").write_text(rendered)
    filled = shell.Shell.read(folder.parent.parent).fill(
        CompanyPage(
            slug="odd-co",
            title=f"Odd {shell.BODY} <Co>",
            description="",
            summary="",
            body=f"<table><td>{shell.TITLE} {shell.SLUG}</td></table>",
        )
    )
    assert filled == (
        f"<title>Odd {shell.BODY} &lt;Co&gt;</title><a href='../odd-co.xml'>"
        f"<h1 id='odd-co'>Odd {shell.BODY} &lt;Co&gt;</h1>"
        f"<table><td>{shell.TITLE} {shell.SLUG}</td></table>"
    )


def test_a_shell_the_engine_mangled_is_a_named_error(tmp_path: Path) -> None:
    folder = tmp_path / "companies" / shell.SLUG
    folder.mkdir(parents=True)
    (folder / "index.html").write_text(f"<h1>{shell.TITLE}</h1><div>{shell.SLUG}</div>")
    with pytest.raises(shell.ShellError, match=f"no <p>{shell.BODY}</p> placeholder"):
        shell.Shell.read(tmp_path)


def test_rss_feed_is_valid_newest_first_with_whole_days(built: Path) -> None:
    feed = feedparser.parse((built / "feed.xml").read_bytes())
    assert feed.bozo == 0
    dates = [entry.published_parsed for entry in feed.entries]
    assert dates == sorted(dates, reverse=True) and len(dates) == 6
    first = feed.entries[0]
    assert first.title.startswith("20 picks from ")  # details in test_site_feeds.py
    assert first.link == "https://picks.example.org/picks/2026/2026-11-23/"
    assert first.summary.count("<li>") == 20


def test_company_feeds_hold_only_that_company(built: Path) -> None:
    feeds = list((built / "feeds/companies").glob("*.xml"))
    assert len(feeds) > 40
    tiktok = feedparser.parse((built / "feeds/companies/tiktok.xml").read_bytes())
    assert tiktok.bozo == 0 and tiktok.entries
    assert all(" · TikTok · " in e.summary for e in tiktok.entries)
    html = (built / "companies/tiktok/index.html").read_text()
    assert 'type="application/rss+xml"' in html and "feeds/companies/tiktok.xml" in html


def test_every_page_advertises_the_feed(built: Path) -> None:
    for path in built.rglob("*.html"):
        alternates = [
            a
            for t, a in parse_html(path).tags
            if t == "link"
            and a.get("rel") == "alternate"
            and a.get("type") == "application/rss+xml"
        ]
        assert alternates, path
        href = str(alternates[0]["href"])
        base = built if href.startswith("/") else path.parent
        target = (base / href.lstrip("/")).resolve()
        assert target == (built / "feed.xml").resolve(), path


def test_no_broken_internal_links(built: Path) -> None:
    assert broken_internal_links(built) == []


def test_pages_load_nothing_from_other_hosts(built: Path) -> None:
    """A reader's browser asks only the site for what a page needs: no fonts, scripts or
    styles from third parties (Material loads Google Fonts unless told not to)."""
    fetched = {"script": "src", "img": "src", "iframe": "src"}
    named = {"canonical", "alternate", "prev", "next"}  # addresses, not fetched
    day = built / "picks/2026/2026-11-23/index.html"
    for path in [built / "index.html", built / "companies/tiktok/index.html", day]:
        for tag, attr in parse_html(path).tags:
            rel = str(attr.get("rel") or "")
            url = attr.get("href") if tag == "link" and rel not in named else None
            url = url or attr.get(fetched.get(tag, ""))
            assert not urlsplit(str(url or "")).netloc, (path, tag, attr)


def test_search_index_has_one_entry_per_company_and_no_reasons(built: Path) -> None:
    """One entry per company page, its name, and one per distinct job title: few words keep
    the browser's index build short (`bench/search_index.py`)."""
    index = json.loads((built / "search/search_index.json").read_text())
    docs = index["docs"]
    tiktok = next(d for d in docs if d["location"] == "companies/tiktok/")
    assert (tiktok["title"], tiktok["text"], tiktok["boost"]) == ("TikTok", "", 4)
    assert not any("#pick-" in d["location"] for d in docs)
    assert not any(d["location"].startswith("picks/") for d in docs)
    companies = [d for d in docs if d["location"].startswith("companies/")]
    assert all(d["text"] == "" for d in companies if d["title"].isascii())
    assert all("Reason" not in d["text"] and "Summary" not in d["text"] for d in docs)
    assert all("tags" not in d for d in docs)
    # Search results show titles and text as HTML: hostile names arrive escaped.
    evil = next(d for d in docs if d["location"] == "companies/evil-co-b/")
    assert evil["title"] == "Evil &amp; Co &lt;b&gt;"
    assert "<script>" not in json.dumps(docs) and "<b>" not in json.dumps(docs)


def test_hostile_text_is_inert_in_the_built_html(built: Path) -> None:
    for path in [
        built / "picks/2026/2026-11-21/index.html",
        built / "companies/evil-co-b/index.html",
        built / "index.html",
    ]:
        html = path.read_text()
        parsed = parse_html(path)
        assert not any("pwned" in script for script in parsed.scripts), path
        assert all("pwned" not in str(a.get("src")) for t, a in parsed.tags if t == "script")
        assert not any(t == "img" for t, _ in parsed.tags), path
        assert not any(k.startswith("on") for _, a in parsed.tags for k in a), path
        assert not any(
            str(v).lower().startswith("javascript:") for _, a in parsed.tags for v in a.values()
        ), path
        if "2026-11-21" in str(path):
            assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in html


def test_explore_data_is_sliced_by_year(built: Path) -> None:
    index = json.loads((built / "explore/data/index.json").read_text())
    assert index["years"] == [2026] and index["counts"]["2026"] == 100
    rows = json.loads((built / "explore/data/2026.json").read_text())["rows"]
    assert len(rows) == 100 and any(r[2] == HOSTILE_TITLE for r in rows)


def test_day_page_stays_small(built: Path) -> None:
    sizes = [p.stat().st_size for p in (built / "picks").rglob("index.html")]
    assert max(sizes) < 60_000
    assert len(gzip.compress((built / "search/search_index.json").read_bytes())) < 100_000


def test_failed_build_leaves_the_previous_site(tmp_path: Path) -> None:
    config_path = make_project(tmp_path, hostile=False)
    build_site(config_path)
    site = tmp_path / "site"
    before = {p: p.read_bytes() for p in site.rglob("*") if p.is_file()}
    (tmp_path / "docs" / "about.md").write_text("[broken](nowhere.md)\n")
    with pytest.raises(BuildError, match="previous site is unchanged") as info:
        build_site(config_path, strict=True)
    assert "nowhere.md" in info.value.message
    assert {p: p.read_bytes() for p in site.rglob("*") if p.is_file()} == before


def test_cli_build_strict(tmp_path: Path) -> None:
    config_path = make_project(tmp_path, hostile=False)
    result = CliRunner().invoke(
        cli, ["build", "--strict", "--config", str(config_path)], catch_exceptions=False
    )
    assert result.exit_code == 0, result.output
    assert "Built " in result.output and "6 days" not in result.output
    assert "5 days, 99 picks" in result.output


def test_a_missing_docs_dir_is_named_and_the_site_kept(tmp_path: Path) -> None:
    """A docs folder without pages is a first day and builds; no docs folder at all is a
    mistake in `docs_dir`, which must not replace the site with an empty one."""
    config_path = small_project(tmp_path)
    first = CliRunner().invoke(cli, ["build", "--config", str(config_path)])
    assert first.exit_code == 0, first.output
    assert "0 days, 0 picks, 0 companies" in first.output
    site = {p: p.read_bytes() for p in (tmp_path / "site").rglob("*") if p.is_file()}
    text = config_path.read_text(encoding="utf-8").replace("docs_dir: docs", "docs_dir: missing")
    config_path.write_text(text, encoding="utf-8")
    for command in (["build"], ["serve", "--port", "0"]):
        result = CliRunner().invoke(cli, [*command, "--config", str(config_path)])
        assert result.exit_code == 1, result.output
        assert (
            f"Error: {tmp_path / 'missing'}: no such folder (the config's `docs_dir` in "
            f"{config_path})" in result.output
        )
        assert "the previous site is unchanged" in result.output
    assert not (tmp_path / "missing").exists()
    assert {p: p.read_bytes() for p in (tmp_path / "site").rglob("*") if p.is_file()} == site


def test_zensical_builds_the_same_docs_and_config(tmp_path: Path) -> None:
    """Stretch: the site stays portable to Material's successor. Runs where Zensical is
    installed (pip install 'jobpicks[zensical]')."""
    pytest.importorskip("zensical")
    from generator.config import load_config
    from generator.site import build

    config_path = make_project(tmp_path)
    result = build(
        load_config(config_path), tmp_path / "mkdocs.yml", strict=True, engine_name="zensical"
    )
    site = result.site_dir
    assert (site / "index.html").exists() and (site / "companies/tiktok/index.html").exists()
    tiktok = (site / "companies/tiktok/index.html").read_text()
    assert 'type="application/rss+xml"' in tiktok and "<title>TikTok - Test Picks</title>" in tiktok
    assert "<title>Test Picks</title>" in (site / "index.html").read_text()
    assert not (site / "companies" / shell.SLUG).exists()
    items = json.loads((site / "search.json").read_text())["items"]
    assert any(i["location"] == "companies/tiktok/" and i["title"] == "TikTok" for i in items)
    assert not any(shell.SLUG in i["location"] for i in items)
    assert feedparser.parse((site / "feed.xml").read_bytes()).bozo == 0
    day = (site / "picks/2026/2026-11-21/index.html").read_text()
    assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in day
    assert not (tmp_path / "site.keep").exists() and not (tmp_path / "site.new").exists()
    # Zensical resolves links in raw HTML from the source file (engine.py, rule 6): generated
    # pages follow it; the hand-written About page's one text suits MkDocs.
    assert broken_internal_links(site) == ["about/index.html: ../../feed.xml"]


def _tree(site: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(site)): p.read_bytes()
        for p in site.rglob("*")
        if p.is_file() and p.name not in ("sitemap.xml", "sitemap.xml.gz")
    }


def test_several_engine_processes_build_the_same_site(tmp_path: Path) -> None:
    """Days dealt out to three MkDocs processes give byte-identical pages, search index and
    feeds, and a sitemap with the same entries, as one process; no shard folder is left."""
    from generator.config import load_config
    from generator.site import build

    config_path = make_project(tmp_path)
    config = load_config(config_path)
    one = build(config, tmp_path / "mkdocs.yml", strict=True, processes=1)
    assert one.engine_processes == 1
    single = _tree(one.site_dir)
    single_sitemap = sitemap.entries(one.site_dir)
    three = build(config, tmp_path / "mkdocs.yml", strict=True, processes=3)
    assert three.engine_processes == 3 and three.warnings == []
    assert (tmp_path / "build/docs-2/picks").is_dir()  # the shards really had days
    sharded = _tree(three.site_dir)
    assert sorted(sharded) == sorted(single)
    assert [name for name in single if sharded[name] != single[name]] == []
    assert sorted(sitemap.entries(three.site_dir)) == sorted(single_sitemap)
    assert not list(tmp_path.glob("site.*"))


def test_a_failed_build_in_several_processes_keeps_the_site(tmp_path: Path) -> None:
    from generator.config import load_config
    from generator.site import build

    config_path = make_project(tmp_path, hostile=False)
    config = load_config(config_path)
    build(config, tmp_path / "mkdocs.yml", strict=True)
    before = _tree(tmp_path / "site")
    # A navigation page with a link the strict build rejects.
    (tmp_path / "mkdocs.yml").write_text(
        (tmp_path / "mkdocs.yml")
        .read_text()
        .replace("  - About: about.md", "  - About: about.md\n  - Extra: extra.md")
    )
    (tmp_path / "docs/extra.md").write_text("# Extra\n\n[broken](nowhere.md)\n")
    with pytest.raises(BuildError, match=r"nowhere\.md"):
        build(config, tmp_path / "mkdocs.yml", strict=True, processes=2)
    assert _tree(tmp_path / "site") == before
    assert not list(tmp_path.glob("site.*"))


def test_an_older_mkdocs_yml_without_the_docs_dir_variable_builds_in_one_process(
    tmp_path: Path,
) -> None:
    from generator.config import load_config
    from generator.site import build, engine_paths

    config_path = make_project(tmp_path, hostile=False)
    mkdocs_yml = tmp_path / "mkdocs.yml"
    text = mkdocs_yml.read_text()
    assert "docs_dir: !ENV [JOBPICKS_DOCS_DIR, build/docs]" in text
    mkdocs_yml.write_text(text.replace("!ENV [JOBPICKS_DOCS_DIR, build/docs]", "build/docs"))
    config = load_config(config_path)
    engine = engine_paths(mkdocs_yml, config.docs_dir)
    assert not engine.shardable and engine.staging == (tmp_path / "build/docs").resolve()
    assert engine.nav_docs == (
        "index.md",
        "archive/index.md",
        "companies/index.md",
        "explore/index.md",
        "mine/index.md",
        "about.md",
    )
    result = build(config, mkdocs_yml, strict=True, processes=3)
    assert result.engine_processes == 1 and result.warnings == []
    assert (result.site_dir / "picks/2026/2026-01-02/index.html").exists()


def test_company_pages_carry_no_indentation(built: Path) -> None:
    """The shell's chrome is dedented once (thousands of company pages share it); every
    line break stays, so nothing runs together."""
    page = (built / "companies/tiktok/index.html").read_text()
    lines = page.splitlines()
    assert all(line == line.lstrip() for line in lines)
    assert "Follow TikTok via RSS" in page and "<script>" in page
