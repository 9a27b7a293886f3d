"""The reader's marks on the site, built: where the buttons go, My picks, Applications and a
company page's applications (feedback.yml), and the repository "Send to jobpicks" opens."""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
from pathlib import Path

import pytest
import yaml
from conftest import SAMPLE_SOURCES, write_config
from mkdocs.utils.meta import get_data
from site_helpers import (
    APPLIED,
    STATUS_DATE,
    Links,
    add_applications,
    build_site,
    make_project,
    small_project,
)

from generator import pages
from generator.config import load_config
from generator.feedback import Feedback, Mark, load_feedback, save_feedback
from generator.site import address, marks
from generator.site.derive import collect, company_pages, picked

DAY = "picks/2026/2026-11-23/index.html"


def _mark(n: int, verdict: str, date: dt.date, **fields: object) -> Mark:
    return Mark.model_validate(
        {
            "id": f"url:{n}",
            "url": f"https://jobs.example.com/{n}",
            "title": f"Engineer {n}",
            "company": "Acme" if n % 2 else "Globex",
            "verdict": verdict,
            "date": date,
            **fields,
        }
    )


# -- the repository My picks sends to --------------------------------------------------------


@pytest.mark.parametrize(
    ("env", "url", "expected"),
    [
        ({"GITHUB_REPOSITORY": "reader/picks"}, "https://jobs.example.org/", "reader/picks"),
        ({}, "https://Reader.github.io/jobpicks/", "Reader/jobpicks"),
        ({}, "https://reader.github.io/", "reader/reader.github.io"),
        ({}, "https://jobs.example.org/", ""),
        ({"GITHUB_REPOSITORY": "not a repository"}, "", ""),
    ],
)
def test_the_repository_comes_from_actions_or_a_github_io_address(
    tmp_path: Path, env: dict[str, str], url: str, expected: str
) -> None:
    config = load_config(write_config(tmp_path, SAMPLE_SOURCES, site={"url": url} if url else {}))
    assert address.repository(config, tmp_path, env) == expected


def test_the_repository_comes_from_the_publish_remote_on_github(tmp_path: Path) -> None:
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    subprocess.run(
        ["git", "-C", str(tmp_path), "remote", "add", "origin", "git@github.com:reader/picks.git"],
        check=True,
    )
    config = load_config(
        write_config(tmp_path, SAMPLE_SOURCES, site={"url": "https://jobs.example.org/"})
    )
    assert address.repository(config, tmp_path, {}) == "reader/picks"


def test_my_picks_names_the_repository_for_the_browser() -> None:
    text = marks.mine_page('o/r"><script>')
    body, meta = get_data(text)
    assert meta["title"] == "My picks" and meta["search"] == {"exclude": True}
    assert 'data-repository="o/r&#34;&gt;&lt;script&gt;"' in body
    assert "needs JavaScript" in body and "jobpicks feedback VERDICT URL_OR_ID" in body


# -- Applications, from feedback.yml -----------------------------------------------------------


def test_applications_are_the_latest_applied_marks_by_status(tmp_path: Path) -> None:
    path = tmp_path / "feedback.yml"
    save_feedback(
        path,
        Feedback(
            (
                _mark(1, "applied", dt.date(2026, 11, 20)),
                _mark(1, "applied", dt.date(2026, 11, 28), status="offer"),  # replaces it
                _mark(2, "applied", dt.date(2026, 11, 21), status="rejected"),
                _mark(3, "dismissed", dt.date(2026, 11, 22), reason="pay"),
                _mark(4, "saved", dt.date(2026, 11, 22)),
                _mark(5, "applied", dt.date(2026, 11, 24)),
                _mark(6, "applied", dt.date(2025, 12, 30), status="interviewing"),
            )
        ),
    )
    where = {"url:5": (dt.date(2026, 11, 19), 3)}
    found = marks.applications(marks.recorded(path), where)
    assert [(a.title, a.status) for a in found] == [
        ("Engineer 1", "offer"),
        ("Engineer 5", "applied"),
        ("Engineer 2", "rejected"),
        ("Engineer 6", "interviewing"),
    ]
    assert found[1].day == dt.date(2026, 11, 19) and found[1].n == 3
    assert marks.recorded(tmp_path / "missing.yml") == {}
    # The browser gets the same latest marks, with the day each was picked and no note.
    shown = marks.browser_marks(marks.recorded(path), where, "Europe/Berlin")["marks"]
    assert isinstance(shown, dict)
    assert shown["url:1"] == {
        "id": "url:1",
        "url": "https://jobs.example.com/1",
        "title": "Engineer 1",
        "company": "Acme",
        "verdict": "applied",
        "status": "offer",
        "date": "2026-11-28",
    }
    assert shown["url:5"]["day"] == "2026-11-19"
    assert shown["url:3"]["reason"] == "pay" and len(shown) == 6

    body, meta = get_data(marks.applications_page(found, today=dt.date(2026, 12, 2)))
    assert meta["title"] == "Applications"
    headings = re.findall(r"^## (.*)$", body, re.M)
    assert headings == ["Applied (1)", "Interviewing (1)", "Offer (1)", "Rejected (1)"]
    applied = body[body.index("## Applied") : body.index("## Interviewing")]
    assert '<a href="../picks/2026/2026-11-19/#pick-3">Thu 19 Nov 2026</a>' in applied
    assert "<td>24 Nov</td>" in applied, "the date of the mark, without this year's year"
    assert "<td>30 Dec 2025</td>" in body
    assert "4 applications in `feedback.yml`" in body


def test_no_applications_says_how_to_make_one() -> None:
    body, _ = get_data(marks.applications_page([]))
    assert "No applications yet" in body and "<table>" not in body


def test_a_company_page_lists_its_own_applications(tmp_path: Path) -> None:
    config = load_config(write_config(tmp_path, SAMPLE_SOURCES))
    from generator.models import DayPage, Pick

    day = DayPage(
        date=dt.date(2026, 11, 23),
        picks=tuple(
            Pick(
                id=f"url:{n}",
                title=f"Engineer {n}",
                company="Acme" if n % 2 else "Globex",
                url=f"https://jobs.example.com/{n}",
                score=80,
            )
            for n in (1, 2, 3)
        ),
    )
    pages.write(day, config.picks_dir)
    data = collect(pages.read_all(config.picks_dir))
    save_feedback(
        config.feedback,
        Feedback((_mark(3, "applied", dt.date(2026, 11, 25), status="interviewing"),)),
    )
    data.applications = marks.applications(marks.recorded(config.feedback), picked(data))
    bodies = {page.slug: page.body for page in company_pages(data)}
    acme = bodies["acme"]
    assert "Your applications" in acme and "Interviewing" in acme
    assert '<a href="../../applications/">all your applications</a>' in acme
    assert '<a href="../../picks/2026/2026-11-23/#pick-3">Mon 23 Nov 2026</a>' in acme
    assert acme.index("Your applications") < acme.index("Every pick") < acme.rindex("<tbody>")
    assert "Your applications" not in bodies["globex"]


URL = "https://jobs.example.com/"


def _row(html: str, title: str) -> list[str]:
    """The cells of the first table row that names `title` (on a company page, its
    application's, above its picks)."""
    row = next(r for r in re.findall(r"<tr>(.*?)</tr>", html, re.S) if title in r)
    return re.findall(r"<td>(.*?)</td>", row, re.S)


def test_a_later_status_keeps_the_day_applied(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The README's tip: applied on 1 Dec, then `--status interviewing` on 2 Dec and `--status
    offer` on 6 Dec. feedback.yml keeps one entry, dated 6 Dec, that says the day applied;
    the built site says "1 Dec" wherever it says when (Applications, the company page, the
    browser's recorded marks), and a mark older than the entry is told both days."""
    from click.testing import CliRunner

    from generator.cli import cli
    from generator.config import Config
    from generator.models import DayPage, Pick

    monkeypatch.setattr(Config, "today", lambda self: dt.date(2026, 12, 6))
    job = Pick(id="url:1", title="Data Engineer", company="Acme", url=f"{URL}1", score=80)
    config_path = small_project(tmp_path, DayPage(date=dt.date(2026, 11, 30), picks=(job,)))

    def feedback(*args: str) -> str:
        done = CliRunner().invoke(cli, ["feedback", *args, "--config", str(config_path)])
        assert done.exit_code == 0, done.output
        return " ".join(done.output.split())

    feedback("applied", job.id, "--date", "2026-12-01")
    feedback("applied", job.id, "--status", "interviewing", "--date", "2026-12-02")
    feedback("applied", job.id, "--status", "offer", "--date", "2026-12-06")
    path = tmp_path / "feedback.yml"
    text = path.read_text(encoding="utf-8")
    assert text.endswith("  status: offer\n  date: 2026-12-06\n  applied: 2026-12-01\n")
    (entry,) = load_feedback(path).marks
    assert (entry.date, entry.applied_on) == (dt.date(2026, 12, 6), dt.date(2026, 12, 1))
    save_feedback(path, load_feedback(path))
    assert path.read_text(encoding="utf-8") == text, "read back and written, the same file"
    said = feedback("saved", job.id, "--date", "2026-12-03")
    assert said.endswith(
        f"{path} holds a later mark for it, applied on 2026-12-01, offer on 2026-12-06; "
        "nothing written"
    )

    assert build_site(config_path).warnings == []
    site = tmp_path / "site"
    html = (site / "applications/index.html").read_text(encoding="utf-8")
    assert "Offer (1)" in html
    assert _row(html, job.title)[-2:] == ["1 Dec 2026", "Offer"]  # Applied, Status
    company = (site / "companies/acme/index.html").read_text(encoding="utf-8")
    assert "Your applications" in company
    assert _row(company, job.title)[-2:] == ["1 Dec 2026", "Offer"]
    recorded = json.loads((site / marks.RECORDED_FILE).read_text(encoding="utf-8"))["marks"]
    assert {k: recorded[job.id][k] for k in ("status", "date", "applied")} == {
        "status": "offer",
        "date": "2026-12-06",
        "applied": "2026-12-01",
    }


# -- the built site (the session's shared site) --------------------------------------------------


def _html(site: Path, rel: str) -> Links:
    links = Links()
    links.feed((site / rel).read_text(encoding="utf-8"))
    return links


def test_every_card_and_row_has_an_empty_place_for_its_actions(shared_site: Path) -> None:
    """With JavaScript off nothing shows: each place is empty, and every page loads
    marks.js and marks.css; each carries its pick's id."""
    site = shared_site / "site"
    config = load_config(shared_site / "jobpicks.yml")
    day = pages.read(pages.page_path(config.picks_dir, dt.date(2026, 11, 23)))
    html = (site / DAY).read_text(encoding="utf-8")
    places = re.findall(r"<div (data-pick[^>]*)></div>", html)
    assert len(places) == len(day.picks) == 20
    assert [re.search(r'data-pick="([^"]*)"', p)[1] for p in places] == [  # type: ignore[index]
        p.id for p in day.picks
    ]
    assert "<button" not in html.split('<article class="md-content__inner', 1)[1]
    tags = _html(site, DAY).tags
    assert ("script", {"src": "../../../javascripts/marks.js"}) in tags
    assert any(
        t == "link" and (a.get("href") or "").endswith("stylesheets/marks.css") for t, a in tags
    )
    company = (site / "companies/tiktok/index.html").read_text(encoding="utf-8")
    # Its day is the row's date cell, a card's the page's day line: not written per pick.
    assert re.search(r'<td><a href="[^"]+"><time datetime="[-0-9]+">[^<]+</time></a></td>', company)
    assert re.search(r'<span data-pick="[^"]+"></span>', company) and "data-day" not in company
    assert '<p class="jp-dayline" data-day="2026-11-23">' in html


def test_the_built_applications_page_and_company_page(shared_site: Path) -> None:
    site = shared_site / "site"
    config = load_config(shared_site / "jobpicks.yml")
    day = pages.read(pages.page_path(config.picks_dir, dt.date(2026, 11, 23)))
    n, status, applied = APPLIED
    pick = day.picks[n]
    html = (site / "applications/index.html").read_text(encoding="utf-8")
    assert "Interviewing (1)" in html and pick.title in html
    # Its status was set on STATUS_DATE: the page says the day applied.
    assert _row(html, pick.title)[-2:] == ["25 Nov 2026", status.title()]
    assert f'href="../picks/2026/2026-11-23/#pick-{n + 1}"' in html
    assert day.picks[n + 1].title not in html, "a dismissed mark is no application"
    slug = collect(pages.read_all(config.picks_dir)).company(pick.company).slug
    company = (site / "companies" / slug / "index.html").read_text(encoding="utf-8")
    assert "Your applications" in company and status.title() in company
    assert _row(company, pick.title)[-2:] == ["25 Nov 2026", status.title()]
    nav = _html(site, "index.html").links
    assert ("a", "mine/") in nav and ("a", "applications/") not in nav, "My picks links it"
    # The same marks go to every browser, by pick id, with the day each was picked.
    recorded = json.loads((site / marks.RECORDED_FILE).read_text(encoding="utf-8"))["marks"]
    assert set(recorded) == {pick.id, day.picks[n + 1].id}
    assert recorded[pick.id]["status"] == status and recorded[pick.id]["day"] == "2026-11-23"
    assert (recorded[pick.id]["date"], recorded[pick.id]["applied"]) == (
        STATUS_DATE.isoformat(),
        applied.isoformat(),
    )
    assert recorded[day.picks[n + 1].id]["verdict"] == "dismissed"


def test_site_verdicts_false_keeps_feedback_off_the_site(tmp_path: Path) -> None:
    config_path = make_project(tmp_path, hostile=False)
    pick = add_applications(config_path)
    config = yaml.safe_load(config_path.read_text(encoding="utf-8"))
    config["site"]["verdicts"] = False
    config_path.write_text(yaml.safe_dump(config), encoding="utf-8")
    assert build_site(config_path).warnings == []
    site = tmp_path / "site"
    kept = json.loads((site / marks.RECORDED_FILE).read_text(encoding="utf-8"))
    assert kept["marks"] == {}
    html = (site / "applications/index.html").read_text(encoding="utf-8")
    assert "leaves your verdicts off" in html and pick.title not in html
    leaks = [
        path.relative_to(site)
        for path in site.rglob("*.html")
        if "Your applications" in path.read_text(encoding="utf-8")
    ]
    assert leaks == []
