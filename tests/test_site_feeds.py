"""The site's feeds: absolute links from the resolved address, channel links, item titles,
facts, stable company URLs; and builds that refuse to publish localhost links."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
from collections.abc import Iterator
from html import unescape
from pathlib import Path
from typing import Any

import feedparser
import pytest
import yaml
from click.testing import CliRunner
from once import made_once
from site_helpers import HOSTILE_TITLE, build_site, make_project, parse_html

from generator import pages
from generator.cli import cli
from generator.config import load_config
from generator.errors import ConfigError
from generator.models import DayPage, Pay, Pick
from generator.publish import PublishError, publish_site
from generator.site import address, build, dayline
from generator.site.derive import collect
from generator.site.feeds import day_title, feeds
from generator.site.saved import feeds as saved_feeds
from generator.site.saved import readable

BASE = "https://owner.github.io/repo/"


def _without_url(config_path: Path, **site: object) -> None:
    data = yaml.safe_load(config_path.read_text(encoding="utf-8"))
    data["site"].pop("url")
    data["site"].update(site)
    config_path.write_text(yaml.safe_dump(data), encoding="utf-8")


SAVED = {
    "remote-europe": {
        "name": "Remote in Europe",
        "work_modes": ["remote"],
        "locations": ["europe"],
    },
    "well-paid": {"min_pay": {"amount": 70000, "currency": "EUR"}},
    "senior-backend": {"levels": ["senior"], "title": "back.?end", "min_score": 60},
}


def fact_picks() -> tuple[Pick, ...]:
    def pick(n: int, title: str, location: str, **facts: Any) -> Pick:
        return Pick(
            id=f"facts-{n}",
            title=title,
            company=f"Factual {n}",
            location=location,
            url=f"https://facts.example.com/{n}",
            score=50 + 5 * n,
            **facts,
        )

    return (
        pick(1, "Backend Engineer", "Berlin, Europe", work_mode="remote", level="senior"),
        pick(
            2,
            "Backend Engineer",
            "Remote (Europe)",
            work_mode="remote",
            level="senior",
            pay=Pay(min=60000, max=90000, currency="EUR", period="year"),
        ),
        pick(
            3,
            "Frontend Engineer",
            "Europe",
            work_mode="onsite",
            pay=Pay(min=60000, max=90000, currency="USD", period="year"),
        ),
        pick(4, "Back-end Developer", "Remote, US", work_mode="remote", level="senior"),
    )


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A site built with no `site.url`, in GitHub Actions for `owner/repo`, with saved
    searches and a day of picks with facts."""

    def make(folder: Path) -> None:
        config_path = make_project(folder)
        _without_url(config_path, feeds=SAVED)
        day = DayPage(date=dt.date(2026, 11, 20), picks=fact_picks())
        pages.write(day, load_config(config_path).picks_dir)
        with pytest.MonkeyPatch.context() as patch:
            patch.setenv("GITHUB_REPOSITORY", "owner/repo")
            result = build_site(config_path)
        assert result.warnings == []

    yield made_once(tmp_path_factory, "feeds-site", make) / "site"


def _all_feeds(site: Path) -> list[Path]:
    return [site / "feed.xml", *sorted((site / "feeds").rglob("*.xml"))]


def test_every_site_url_in_every_feed_is_the_published_address(built: Path) -> None:
    postings = {
        e.link for path in _all_feeds(built) for e in feedparser.parse(path.read_bytes()).entries
    }
    for path in _all_feeds(built):
        raw = path.read_text(encoding="utf-8")
        assert "127.0.0.1" not in raw and "localhost" not in raw, path
        parsed = feedparser.parse(raw)
        assert parsed.bozo == 0, path
        urls = [parsed.feed.link, *(link.href for link in parsed.feed.links)]
        for entry in parsed.entries:
            assert entry.id.startswith("jobpicks:"), (path, entry.id)
            urls.append(entry.link)
            urls += [unescape(h) for h in re.findall(r'href="([^"]+)"', entry.summary)]
        for url in urls:
            assert url.startswith(BASE) or url in postings, (path, url)
    # The address reached the engine too: its sitemap is absolute.
    assert f"<loc>{BASE}picks/2026/2026-11-23/</loc>" in (built / "sitemap.xml").read_text()


def test_channel_links_point_at_the_site_and_the_company_page(built: Path) -> None:
    main = feedparser.parse((built / "feed.xml").read_bytes())
    assert main.feed.link == BASE
    assert [(x.rel, x.href) for x in main.feed.links if x.rel == "self"] == [
        ("self", f"{BASE}feed.xml")
    ]
    tiktok = feedparser.parse((built / "feeds/companies/tiktok.xml").read_bytes())
    assert tiktok.feed.link == f"{BASE}companies/tiktok/"


def test_day_items_are_titled_with_count_and_top_companies(built: Path) -> None:
    main = feedparser.parse((built / "feed.xml").read_bytes())
    first = main.entries[0]
    # The project's newest day is the bundled samples' (site_helpers.make_project), so said.
    found = re.fullmatch(
        r"20 picks from (\d+) companies: [^,]+, [^,]+, [^,]+ and (\d+) more"
        + re.escape(f" · {dayline.SAMPLE_TEXT}"),
        first.title,
    )
    assert found, first.title
    assert int(found[1]) == 3 + int(found[2])
    assert first.link == f"{BASE}picks/2026/2026-11-23/"
    assert not any(e.title.startswith("Daily Job Picks") for e in main.entries)


def test_item_titles_are_plain_text(built: Path) -> None:
    """An item's title is the pick's own text, the words its card shows (issue #23: feeds
    once ran titles through an HTML-to-text pass of their own, so a title read differently
    in a feed). Plain text to a feed reader, with no entity text to read two ways."""
    for path in _all_feeds(built):
        for entry in feedparser.parse(path.read_bytes()).entries:
            assert entry.title_detail.type == "text/plain", (path, entry.title)
            assert "&lt;" not in entry.title and "&amp;" not in entry.title, (path, entry.title)
    hostile = next(
        e
        for path in (built / "feeds/companies").glob("*.xml")
        for e in feedparser.parse(path.read_bytes()).entries
        if e.link == "https://evil.example.com/job"
    )
    assert hostile.title == f"{HOSTILE_TITLE} · 99/100"
    # In a day's item, which is HTML, the same words arrive escaped, as on the site.
    day = next(
        e for e in feedparser.parse((built / "feed.xml").read_bytes()).entries if "11-21" in e.link
    )
    assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in day.summary


def test_day_title_counts_companies_beyond_the_top_three() -> None:
    picks = [
        Pick(id=f"p{n}", title="Engineer", company=name, url="https://x.example/", score=50)
        for n, name in enumerate(["Globex", "Acme", "Acme", "Initech", "Umbrella", "Hooli"])
    ]
    day = DayPage(date=dt.date(2026, 11, 23), picks=tuple(picks))
    assert day_title(day) == "6 picks from 5 companies: Acme, Globex, Initech and 2 more"

    def title(*n: int) -> str:
        return day_title(DayPage(date=dt.date(2026, 11, 23), picks=tuple(picks[i] for i in n)))

    assert title(0) == "1 pick from Globex"
    assert title(1, 2) == "2 picks from Acme"
    assert title(0, 1, 2) == "3 picks from 2 companies: Acme and Globex"
    assert title(0, 1, 3, 4) == "4 picks from 4 companies: Globex, Acme, Initech and 1 more"


def _feed_ids(out: dict[str, bytes]) -> dict[str, list[str]]:
    return {path: [e.id for e in feedparser.parse(xml).entries] for path, xml in out.items()}


def test_feed_ids_do_not_depend_on_the_sites_address(tmp_path: Path) -> None:
    """A reader subscribed before `site.url` changed sees no item again after it: every
    item's guid names the day or pick, not its page (issue 25), and is no permalink."""
    days = [
        DayPage(date=dt.date(2026, 11, 20), picks=fact_picks()),
        DayPage(date=dt.date(2026, 11, 21), picks=fact_picks()[:2]),
    ]
    data = collect(days)
    config = load_config(_config(tmp_path, url="https://a.example.org", feeds=SAVED))
    before = {
        **feeds(data, config, "https://a.example.org/"),
        **saved_feeds(data, config, "https://a.example.org/"),
    }
    after = {
        **feeds(data, config, "https://b.example.net/x/"),
        **saved_feeds(data, config, "https://b.example.net/x/"),
    }
    assert {"feed.xml", "feeds/saved/remote-europe.xml"} <= set(before)
    assert _feed_ids(before) == _feed_ids(after)
    main = feedparser.parse(after["feed.xml"])
    assert [e.id for e in main.entries] == ["jobpicks:day:2026-11-21", "jobpicks:day:2026-11-20"]
    assert main.entries[0].guidislink is False
    assert main.entries[0].link == "https://b.example.net/x/picks/2026/2026-11-21/"
    assert b'isPermaLink="false"' in after["feeds/companies/factual-1.xml"]


def test_a_day_item_lists_each_pick_with_score_company_place_and_posted_date(
    tmp_path: Path,
) -> None:
    pick = Pick(
        id="p1",
        title="Backend Engineer",
        company="Ivy Legal",
        location="Remote (Europe)",
        url="https://ivy.example/jobs/1",
        score=54,
        posted=dt.date(2026, 11, 16),
        reason="Python and Django, as asked.",
    )
    data = collect([DayPage(date=dt.date(2026, 11, 18), picks=(pick,))])
    config = load_config(_config(tmp_path, url="https://picks.example.org"))
    out = feeds(data, config, "https://picks.example.org/")
    (day,) = feedparser.parse(out["feed.xml"]).entries
    text = re.sub(r"<[^>]+>", "", day.summary)
    assert "54/100 Backend Engineer · Ivy Legal · Remote (Europe) · posted 16 Nov" in text
    assert "(Europe) (" not in text and "in Remote" not in text
    (one,) = feedparser.parse(out["feeds/companies/ivy-legal.xml"]).entries
    text = re.sub(r"<[^>]+>", "", one.summary)
    assert "54/100 · Ivy Legal · Remote (Europe) · posted 16 Nov · picked on 18 Nov 2026" in text
    assert one.title == "Backend Engineer · 54/100"


def _config(tmp_path: Path, **site: object) -> Path:
    path = tmp_path / "jobpicks.yml"
    path.write_text(
        yaml.safe_dump({"sources": [{"url": "x.xml"}], "site": {"title": "T", **site}}),
        encoding="utf-8",
    )
    return path


def test_feed_items_carry_the_facts(tmp_path: Path) -> None:
    pick = Pick(
        id="p1",
        title="Backend Engineer",
        company="Acme",
        url="https://acme.example/jobs/1",
        score=80,
        work_mode="remote",
        pay=Pay(min=60000, max=80000, currency="EUR", period="year"),
        visa="offered",
        level="senior",
        closed=dt.date(2026, 11, 20),
    )
    data = collect([DayPage(date=dt.date(2026, 11, 18), picks=(pick,))])
    config = load_config(_config(tmp_path, url="https://picks.example.org"))
    out = feeds(data, config, "https://picks.example.org/")
    for path in ("feed.xml", "feeds/companies/acme.xml"):
        (entry,) = feedparser.parse(out[path]).entries
        # The same words as the site's cards (render.py), in the same order.
        facts = "Closed 20 Nov · Remote · €60k-€80k a year · Visa sponsorship · Senior"
        assert facts in entry.summary, path


# -- the address -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("remote", "expected"),
    [
        ("https://github.com/Owner/jobpicks.git", "https://owner.github.io/jobpicks/"),
        ("https://github.com/owner/jobpicks", "https://owner.github.io/jobpicks/"),
        ("git@github.com:owner/jobpicks.git", "https://owner.github.io/jobpicks/"),
        ("ssh://git@github.com/owner/jobpicks.git", "https://owner.github.io/jobpicks/"),
        ("git@github.com:owner/owner.github.io.git", "https://owner.github.io/"),
        ("https://gitlab.com/owner/jobpicks.git", None),
    ],
)
def test_address_from_the_origin_remote(tmp_path: Path, remote: str, expected: str | None) -> None:
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    subprocess.run(["git", "remote", "add", "origin", remote], cwd=tmp_path, check=True)
    config = load_config(_config(tmp_path))
    found = address.resolve(config, tmp_path, env={})
    assert (found.url if found else None) == expected


def test_address_precedence(tmp_path: Path) -> None:
    env = {"GITHUB_REPOSITORY": "owner/repo"}
    config = load_config(_config(tmp_path, url="https://jobs.example.org/picks"))
    assert address.resolve(config, tmp_path, env) == address.SiteAddress(
        "https://jobs.example.org/picks/", "site.url"
    )
    config = load_config(_config(tmp_path))
    cname = config.model_copy(
        update={"publish": config.publish.model_copy(update={"cname": "jobs.example.org"})}
    )
    assert address.resolve(cname, tmp_path, env).url == "https://jobs.example.org/"  # type: ignore[union-attr]
    assert address.resolve(config, tmp_path, env).url == BASE  # type: ignore[union-attr]
    user_site = {"GITHUB_REPOSITORY": "Owner/owner.github.io"}
    assert address.resolve(config, tmp_path, user_site).url == "https://owner.github.io/"  # type: ignore[union-attr]
    assert address.resolve(config, tmp_path, {}) is None


def test_a_relative_site_url_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(Exception, match=r"site\.url: .*absolute http\(s\) address"):
        load_config(_config(tmp_path, url="you.github.io/jobpicks"))


@pytest.fixture
def unresolvable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project outside any git repository, with no site.url, outside GitHub Actions."""
    monkeypatch.delenv("GITHUB_REPOSITORY", raising=False)
    config_path = make_project(tmp_path, hostile=False)
    _without_url(config_path)
    return config_path


def test_strict_build_without_an_address_fails_saying_to_set_site_url(
    unresolvable: Path,
) -> None:
    result = CliRunner().invoke(cli, ["build", "--strict", "--config", str(unresolvable)])
    assert result.exit_code == 1
    assert "set site.url in jobpicks.yml" in result.output
    assert not (unresolvable.parent / "site").exists()


def test_lenient_build_warns_and_publish_refuses_it(unresolvable: Path) -> None:
    result = build_site(unresolvable, strict=False)
    assert any("set site.url" in w for w in result.warnings)
    with pytest.raises(PublishError, match=r"set site\.url in jobpicks\.yml"):
        publish_site(load_config(unresolvable), result.site_dir)


def test_serve_builds_a_preview_with_localhost_links(unresolvable: Path) -> None:
    config = load_config(unresolvable)
    result = build(config, unresolvable.parent / "mkdocs.yml", preview_url="http://127.0.0.1:8123/")
    assert result.warnings == []
    main = feedparser.parse((result.site_dir / "feed.xml").read_bytes())
    assert main.feed.link == "http://127.0.0.1:8123/"
    assert main.entries[0].link == "http://127.0.0.1:8123/picks/2026/2026-11-23/"
    with pytest.raises(PublishError, match=r"set site\.url"):
        publish_site(config, result.site_dir)


# -- stable company URLs -----------------------------------------------------------------


def _day(date: str, *companies: str) -> DayPage:
    picks = tuple(
        Pick(id=f"{date}-{n}", title="Engineer", company=c, url="https://x.example/", score=60)
        for n, c in enumerate(companies)
    )
    return DayPage(date=dt.date.fromisoformat(date), picks=picks)


def test_a_colliding_company_keeps_its_url_when_a_new_one_sorts_before_it() -> None:
    history = [_day("2026-01-02", "Müller AG", "Acme"), _day("2026-01-03", "Acme")]
    before = {c.name: c.slug for c in collect(history).companies.values()}
    assert before == {"Müller AG": "muller-ag", "Acme": "acme"}
    # "Muller AG" sorts before "Müller AG" and slugifies alike; it arrives later.
    history.append(_day("2026-02-01", "Muller AG", "MULLER AG!"))
    after = {c.name: c.slug for c in collect(history).companies.values()}
    assert after["Müller AG"] == "muller-ag" and after["Acme"] == "acme"
    assert re.fullmatch(r"muller-ag-[0-9a-f]{6}", after["Muller AG"])
    assert len(set(after.values())) == len(after)
    # Another build, another order of arrival of the pages: the same URLs.
    assert {c.name: c.slug for c in collect(reversed(history)).companies.values()} == after


# -- saved searches ------------------------------------------------------------------------


def _links(path: Path) -> list[str]:
    """The fact picks' links in a feed; the sample day's picks (which now carry facts read
    from their text) may match a saved search too, and are checked by their own tests."""
    links = [e.link for e in feedparser.parse(path.read_bytes()).entries]
    return [link for link in links if link.startswith("https://facts.example.com/")]


def test_saved_search_feeds_hold_the_matching_picks(built: Path) -> None:
    saved = built / "feeds/saved"
    # In the day's order (best first), newest day first.
    assert _links(saved / "remote-europe.xml") == [
        "https://facts.example.com/1",
        "https://facts.example.com/2",
    ]
    assert _links(saved / "well-paid.xml") == ["https://facts.example.com/2"]
    assert _links(saved / "senior-backend.xml") == [
        "https://facts.example.com/2",
        "https://facts.example.com/4",
    ]
    feed = feedparser.parse((saved / "remote-europe.xml").read_bytes())
    assert feed.feed.title == "Test Picks: Remote in Europe"
    assert feed.feed.link == f"{BASE}saved/remote-europe/"
    entry = next(e for e in feed.entries if e.link == "https://facts.example.com/2")
    assert entry.title == "Factual 2 - Backend Engineer"
    assert "€60k-€90k a year" in entry.summary


def test_saved_searches_have_pages_listed_on_home_and_in_every_head(built: Path) -> None:
    page = (built / "saved/remote-europe/index.html").read_text()
    assert re.search(r"\b\d+ picks? match(es)? this saved search", page) and "Factual 1" in page
    assert "Factual 3" not in page
    home = (built / "index.html").read_text()
    assert 'href="saved/well-paid/"' in home and 'href="feeds/saved/well-paid.xml"' in home
    for path in [
        built / "index.html",
        built / "about/index.html",
        built / "companies/tiktok/index.html",
    ]:
        heads = [
            a["href"]
            for t, a in parse_html(path).tags
            if t == "link" and a.get("rel") == "alternate"
        ]
        saved = [str(h) for h in heads if "feeds/saved/" in str(h)]
        assert len(saved) == 3, (path, heads)
        for href in saved:
            assert href.startswith(f"{BASE}feeds/saved/"), (path, href)
            assert (built / href.removeprefix(BASE)).is_file(), (path, href)


@pytest.mark.parametrize(
    ("feeds", "message"),
    [
        ({"Remote Europe": {}}, "site.feeds: .*'Remote Europe' cannot name a feed"),
        ({"x": {"work_modes": ["anywhere"]}}, r"site.feeds.x.work_modes\[0\]: "),
        ({"x": {"title": "("}}, r"site.feeds.x.title: .*not a valid regular expression"),
        ({"x": {"min_pay": {"amount": 1, "currency": "euro"}}}, r"site.feeds.x.min_pay.currency"),
        ({"x": {"colour": "red"}}, r"site.feeds.x.colour: unknown key"),
    ],
)
def test_saved_search_errors_name_the_key(tmp_path: Path, feeds: object, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        load_config(_config(tmp_path, feeds=feeds))


def test_a_saved_search_without_a_name_is_titled_in_words(built: Path) -> None:
    """Issue 25: a page titled `senior-backend`."""
    assert readable("remote-europe") == "Remote Europe"
    assert readable("senior_python") == "Senior Python"
    assert readable("ml") == "Ml"
    page = (built / "saved/senior-backend/index.html").read_text()
    title = re.search(r"<title>([^<]*)</title>", page)
    assert title and "Senior Backend" in title[1], title
    assert re.search(r"<h1[^>]*>Senior Backend<", page)
    home = (built / "index.html").read_text()
    assert ">Senior Backend<" in home


def test_saved_search_rows_are_drawn_like_a_company_pages(built: Path) -> None:
    """The same table and columns as a company page (`jp-company-picks`: cards on a phone,
    see test_browser.py), the score as its coloured badge, the company linked."""
    html = (built / "saved/remote-europe/index.html").read_text()
    assert '<div class="jp-company-picks"><table>' in html
    assert "<th>Picked</th><th>Score</th><th>Job</th><th>Location</th><th>Facts</th>" in html
    assert re.search(r'<span class="jp-score jp-score--\w+">\d+</span>', html)
    assert re.search(r'<a class="jp-company" href="[^"]*companies/factual-1/">Factual 1</a>', html)
