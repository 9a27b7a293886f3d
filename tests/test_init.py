"""`jobpicks init`: answers from flags, prompts or a CV; every board and feed checked against
local servers before anything is written; the files load as a run loads them."""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import SAMPLES, FeedServer, fixture
from cv_helpers import (
    MODEL_DRAFT,
    PRIVATE_LINE,
    SALES_CV_LINES,
    FakeDraftServer,
    write_docx_cv,
    write_markdown_cv,
    write_pdf_cv,
    write_text_cv,
)

from generator.cli import cli
from generator.config import BoardSource, FeedSource, JobSpySource, load_config
from generator.cv import ProfileDraft, draft_locally
from generator.errors import InitError
from generator.init import Answers, SourceSpec, parse_source, render_profile
from generator.profile import load_profile
from generator.schedule import read_settings

GREENHOUSE = "/greenhouse/stripe/jobs?content=true&pay_transparency=true"
LEVER_GONE = "/lever/acme?mode=json&skip=0&limit=100"


@pytest.fixture
def boards(feed_server: FeedServer) -> FeedServer:
    """A Greenhouse board with two jobs, an unknown Lever board, a feed and an HTML page."""
    feed_server.add(
        GREENHOUSE, fixture("real-feeds/ats/michaeldinhmai-job-agent__greenhouse.json").read_bytes()
    )
    feed_server.add(LEVER_GONE, '{"ok": false, "error": "Document not found"}', status=404)
    feed_server.add("/feed.xml", (SAMPLES / "remote-board.xml").read_bytes())
    feed_server.add("/careers", "<!doctype html><html><body>Careers</body></html>")
    return feed_server


def init(*args: str, input: str | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["init", *args], input=input, catch_exceptions=False)
    return result.exit_code, result.output


def _api(server: FeedServer) -> list[str]:
    return [
        "--api-url",
        f"greenhouse={server.base}/greenhouse",
        "--api-url",
        f"lever={server.base}/lever",
    ]


ANSWERS = [
    "--title",
    "Backend Engineer",
    "--must-have",
    "Python, Kubernetes",
    "--timezone",
    "Asia/Tokyo",
]


def test_every_source_is_checked_and_a_failure_writes_nothing(
    boards: FeedServer, tmp_path: Path
) -> None:
    code, output = init(
        "--yes",
        *ANSWERS,
        *_api(boards),
        "--source", "greenhouse:stripe",
        "--source", "lever:acme",
        "--source", f"{boards.base}/feed.xml",
        "--source", f"{boards.base}/careers",
    )  # fmt: skip
    assert code == 1
    assert "ok    greenhouse stripe: 2 open jobs" in output
    assert "FAIL  lever acme: no such board (is jobs.lever.co/acme its page?)" in output
    assert f"ok    feed {boards.base}/feed.xml: 100 postings" in output
    assert (
        f"FAIL  feed {boards.base}/careers: not a feed (got an HTML page, not an RSS or Atom feed)"
        in output
    )
    assert "2 sources failed the check (above), so nothing was written" in output
    assert not (tmp_path / "jobpicks.yml").exists() and not (tmp_path / "profile.md").exists()
    # One request each (Lever's first page is its only one here).
    assert len(boards.requests) == 4


def test_flags_alone_write_a_config_and_profile_that_load(
    boards: FeedServer, tmp_path: Path
) -> None:
    code, output = init(
        "--yes",
        *ANSWERS,
        *_api(boards),
        "--nice-to-have", "Go", "--nice-to-have", "Kafka",
        "--location", "Tokyo", "--remote", "preferred", "--level", "senior,staff",
        "--reading-hour", "6",
        "--source", "greenhouse:stripe",
        "--source", f"{boards.base}/feed.xml",
        "--source", "jobspy:backend engineer@Tokyo",
    )  # fmt: skip
    assert code == 0, output
    assert "jobspy 'backend engineer' in Tokyo: not checked" in output
    assert "Wrote jobpicks.yml and profile.md." in output
    assert "Settings -> Pages: Deploy from a branch, gh-pages, / (root)" in output
    config = load_config(tmp_path / "jobpicks.yml")
    assert config.timezone == "Asia/Tokyo" and config.reading_hour == 6
    board, feed, search = config.sources
    assert isinstance(board, BoardSource) and board.boards == ["stripe"]
    assert board.api_url == f"{boards.base}/greenhouse"
    assert isinstance(feed, FeedSource) and feed.url == f"{boards.base}/feed.xml"
    assert isinstance(search, JobSpySource) and search.location == "Tokyo"
    text = (tmp_path / "jobpicks.yml").read_text(encoding="utf-8")
    assert "# greenhouse stripe: 2 open jobs" in text and "samples" not in text
    profile = load_profile(tmp_path / "profile.md")
    assert profile.titles == ["Backend Engineer"]
    assert profile.must_have == ["Python", "Kubernetes"]
    assert profile.nice_to_have == ["Go", "Kafka"]
    assert profile.seniority == ["senior", "staff"] and profile.remote == "preferred"
    assert "I am looking for senior or staff Backend Engineer roles" in profile.prose
    # The daily workflow's hour check reads the same answers from the file.
    settings = read_settings(text)
    assert (settings["timezone"], settings["reading_hour"]) == ("Asia/Tokyo", "6")


def test_no_source_still_writes_with_examples_and_says_the_first_run_needs_one(
    tmp_path: Path,
) -> None:
    code, output = init("--yes", *ANSWERS)
    assert code == 0, output
    assert "The first run needs a source" in output
    text = (tmp_path / "jobpicks.yml").read_text(encoding="utf-8")
    assert "#   boards: [stripe, airbnb]" in text and "samples" not in text
    run = CliRunner().invoke(cli, ["run"])
    assert run.exit_code == 1
    assert "sources: Value error, no sources yet: add a feed or a company board" in run.output


def test_it_never_overwrites_without_force(tmp_path: Path) -> None:
    (tmp_path / "profile.md").write_text("mine\n", encoding="utf-8")
    code, output = init("--yes", *ANSWERS)
    assert code == 1 and "profile.md already exists" in output and "--force" in output
    assert (tmp_path / "profile.md").read_text(encoding="utf-8") == "mine\n"
    assert not (tmp_path / "jobpicks.yml").exists()
    # A fork's root, with the site's config and the daily workflow.
    (tmp_path / "mkdocs.yml").write_text("# mine\n", encoding="utf-8")
    (tmp_path / ".github" / "workflows").mkdir(parents=True)
    (tmp_path / ".github" / "workflows" / "daily.yml").write_text("name: daily\n")
    code, output = init("--yes", "--force", *ANSWERS)
    assert code == 0, output
    assert load_profile(tmp_path / "profile.md").titles == ["Backend Engineer"]
    # A site config is never replaced, --force or not: it may be edited, or the clone's.
    assert (tmp_path / "mkdocs.yml").read_text(encoding="utf-8") == "# mine\n"
    assert "Wrote mkdocs.yml" not in output
    assert "Try it here: `jobpicks run && jobpicks serve`." in output
    assert "  1. Commit jobpicks.yml and profile.md and push" in output


def test_a_project_in_another_folder_is_told_to_cd_there_and_builds_there(
    boards: FeedServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Outside the clone, init writes the clone's mkdocs.yml with its theme pointed back,
    so the advice it prints (cd there, run, serve) works as printed."""
    code, output = init(
        "--yes", *ANSWERS, "--dir", "project", "--source", f"{boards.base}/feed.xml"
    )
    assert code == 0, output
    assert "Try it there: `cd project && jobpicks run && jobpicks serve`." in output
    assert "Try it here" not in output
    assert "Wrote project/mkdocs.yml" in output
    assert "Copy jobpicks.yml and profile.md to the root of your fork" in output
    project = tmp_path / "project"
    monkeypatch.chdir(project)
    done = CliRunner().invoke(cli, ["run"])
    assert done.exit_code == 0, done.output
    built = CliRunner().invoke(cli, ["build"])
    assert built.exit_code == 0, built.output
    assert f"Built {project / 'site'}: 1 day, " in built.output
    assert (project / "site" / "index.html").is_file()


def test_without_a_mkdocs_yml_to_copy_the_advice_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("generator.init.CLONE", tmp_path / "installed")
    code, output = init("--yes", *ANSWERS, "--no-check", "--source", "https://example.org/x.rss")
    assert code == 0, output
    assert f"No mkdocs.yml written: {tmp_path / 'installed'} has none to copy" in output
    assert "Try it here: `jobpicks run`." in output and "serve" not in output
    assert not (tmp_path / "mkdocs.yml").exists()


def test_in_a_terminal_it_asks_and_checks_each_source_as_it_comes(
    boards: FeedServer, tmp_path: Path
) -> None:
    answers = [
        "Backend Engineer, SRE",  # titles
        "Python",  # must-have
        "",  # nice-to-have
        "Berlin",  # places
        "sometimes",  # remote: not a choice, asked again
        "any",
        "senior",  # levels
        "Mars/Olympus",  # not a time zone, asked again
        "Europe/Berlin",
        "8",  # reading hour
        "lever:acme",  # fails its check...
        "n",  # ...and is dropped
        "bogus",  # not a source
        "greenhouse:stripe",
        "",  # done
    ]
    code, output = init(*_api(boards), input="\n".join(answers) + "\n")
    assert code == 0, output
    assert "Error: choose one of required, preferred, any, onsite" in output
    assert "is not an IANA time zone" in output
    assert "FAIL  lever acme: no such board" in output and "Keep it anyway?" in output
    assert "'bogus' is not a source" in output
    assert "ok    greenhouse stripe: 2 open jobs" in output
    config = load_config(tmp_path / "jobpicks.yml")
    assert [s.boards for s in config.sources] == [["stripe"]]  # type: ignore[union-attr]
    assert config.timezone == "Europe/Berlin" and config.reading_hour == 8
    profile = load_profile(tmp_path / "profile.md")
    assert profile.titles == ["Backend Engineer", "SRE"] and profile.locations == ["Berlin"]


def test_a_profile_without_titles_is_warned_about_and_reads_well(tmp_path: Path) -> None:
    code, output = init(
        "--yes", "--no-check", "--must-have", "Salesforce", "--location", "Berlin",
        "--timezone", "UTC", "--source", "https://example.org/jobs.rss",
    )  # fmt: skip
    assert code == 0, output
    assert "Warning: profile.md has no target titles (`titles:`)" in output
    assert "profile.md has no titles or skills yet" not in output
    prose = load_profile(tmp_path / "profile.md").prose
    assert prose.endswith("I am looking for a role in Berlin. My strongest skill is Salesforce.")
    code, output = init("--yes", "--force", *ANSWERS)
    assert code == 0 and "no target titles" not in output


_SUBSETS = list(
    itertools.product(
        [[], ["Backend Engineer"], ["Backend Engineer", "SRE"]],
        [[], ["Python"], ["Python", "Go"]],
        [[], ["Kafka"], ["Kafka", "AWS"]],
        [[], ["Berlin"], ["Remote"], ["Berlin", "Remote", "Munich"]],
        ["required", "preferred", "any", "onsite"],
        [[], ["senior"], ["senior", "staff"]],
    )
)


def test_the_drafted_summary_reads_well_with_any_answer_left_out() -> None:
    """Every sentence of the About me paragraph is whole (capital, subject, full stop) and
    names every title, skill and place given, whichever answers are empty."""
    for titles, must, nice, places, remote, levels in _SUBSETS:
        draft = ProfileDraft(
            titles=titles, must_have=must, nice_to_have=nice, locations=places,
            remote=remote, seniority=levels, summary="",
        )  # fmt: skip
        text = " ".join(render_profile(Answers(profile=draft), "").split("# About me\n")[1].split())
        case = f"{draft!r}: {text!r}"
        if not titles and not must and not nice:
            assert text.startswith("Write here, in a few sentences"), case
            continue
        sentences = re.split(r"(?<=\.) ", text)
        assert all(re.fullmatch(r"(I|My) [^.]+\.", s) for s in sentences), case
        assert not re.search(r" [,.;]|[,;]\.|, ,| ,", text), case
        named = [*titles, *must, *nice, *(p for p in places if p != "Remote"), *levels]
        assert all(word in text for word in named), case


@pytest.mark.parametrize(
    "write",
    [write_pdf_cv, write_docx_cv, write_markdown_cv, write_text_cv],
    ids=lambda f: f.__name__,
)
def test_a_cv_in_each_format_drafts_the_profile_locally(
    tmp_path: Path, write: Callable[[Path], Path]
) -> None:
    suffix = {"write_pdf_cv": ".pdf", "write_docx_cv": ".docx", "write_markdown_cv": ".md"}
    home = tmp_path / "home"
    home.mkdir()
    cv = write(home / f"cv{suffix.get(write.__name__, '.txt')}")
    project = tmp_path / "project"
    code, output = init("--yes", "--dir", str(project), "--cv", str(cv), "--timezone", "UTC")
    assert code == 0, output
    assert f"Drafted from {cv.name} locally" in output
    profile = load_profile(project / "profile.md")
    assert profile.titles == ["Backend Engineer", "Platform Engineer"]
    assert profile.must_have == ["PostgreSQL", "Python", "Kubernetes"]
    assert {"Kafka", "Terraform", "AWS", "Go"} <= set(profile.nice_to_have)
    assert profile.locations == ["Berlin", "Remote"] and profile.remote == "preferred"
    assert profile.seniority == ["senior"]
    # The CV is read, never copied: no file of the project holds a line of it, or the name.
    assert sorted(p.name for p in project.iterdir()) == ["jobpicks.yml", "mkdocs.yml", "profile.md"]
    for path in project.iterdir():
        text = path.read_text(encoding="utf-8")
        assert PRIVATE_LINE not in text and "Jane" not in text and "jane@" not in text


def test_the_local_draft_is_confirmed_in_a_terminal(tmp_path: Path) -> None:
    cv = write_text_cv(tmp_path / "cv.txt")
    answers = ["", "Python, Go", "", "", "", "", "", "", ""]  # Enter keeps the draft's answer
    code, output = init("--cv", str(cv), "--no-check", input="\n".join(answers) + "\n")
    assert code == 0, output
    assert (
        "Job titles to look for (comma-separated) [Backend Engineer, Platform Engineer]" in output
    )
    assert "Note: cv.txt is inside" in output  # it sits in the project folder: keep it out of git
    profile = load_profile(tmp_path / "profile.md")
    assert profile.titles == ["Backend Engineer", "Platform Engineer"]
    assert profile.must_have == ["Python", "Go"]


def test_with_a_key_the_model_fills_the_profile_through_structured_output(tmp_path: Path) -> None:
    cv = write_pdf_cv(tmp_path / "cv.pdf")
    project = tmp_path / "project"
    with FakeDraftServer() as server:
        code, output = init(
            "--yes", "--dir", str(project), "--cv", str(cv), "--timezone", "UTC",
            "--api-key", "sk-test-0123456789", "--base-url", server.base_url, "--model", "tiny",
            "--no-check", "--source", "https://example.org/jobs.rss",
        )  # fmt: skip
    assert code == 0, output
    assert "Drafted the profile from cv.pdf with tiny" in output
    (request,) = server.requests
    assert request["model"] == "tiny"
    schema = request["response_format"]
    assert schema["type"] == "json_schema" and schema["json_schema"]["strict"] is True
    assert schema["json_schema"]["schema"]["required"] == list(MODEL_DRAFT)
    assert PRIVATE_LINE in request["messages"][-1]["content"]  # the CV went to the model...
    profile = load_profile(project / "profile.md")
    assert profile.titles == MODEL_DRAFT["titles"] and profile.seniority == ["senior"]
    assert profile.prose.endswith(MODEL_DRAFT["summary"])
    text = (project / "profile.md").read_text(encoding="utf-8")
    assert PRIVATE_LINE not in text and "sk-test" not in text  # ...and stayed out of the repo
    config = load_config(project / "jobpicks.yml")
    assert config.scoring.model == "tiny" and config.scoring.base_url == server.base_url


def test_a_model_that_fails_leaves_the_local_draft(tmp_path: Path) -> None:
    cv = write_text_cv(tmp_path / "cv.txt")
    with FakeDraftServer(status=401) as server:
        code, output = init(
            "--yes", "--cv", str(cv), "--timezone", "UTC",
            "--api-key", "sk-test-0123456789", "--base-url", server.base_url,
        )  # fmt: skip
    assert code == 0, output
    assert "The model could not draft the profile (HTTP 401" in output
    assert "drafting locally" in output and "sk-test-0123456789" not in output
    assert load_profile(tmp_path / "profile.md").titles[0] == "Backend Engineer"


def test_an_unreadable_cv_is_named(tmp_path: Path) -> None:
    (tmp_path / "cv.pdf").write_bytes(b"%PDF-1.4 not really")
    code, output = init("--yes", "--cv", str(tmp_path / "cv.pdf"))
    assert code == 1 and "cv.pdf: not a readable PDF" in output
    (tmp_path / "cv.docx").write_bytes(b"PK no zip")
    code, output = init("--yes", "--cv", str(tmp_path / "cv.docx"))
    assert code == 1 and "cv.docx: not a readable DOCX" in output
    code, output = init("--yes", "--cv", str(write_pdf_cv(tmp_path / "blank.pdf", [])))
    assert code == 1 and "no text in this CV" in output
    assert not (tmp_path / "jobpicks.yml").exists()


@pytest.mark.parametrize(
    ("typed", "spec"),
    [
        ("greenhouse:stripe", SourceSpec("greenhouse", "stripe")),
        ("Lever: jumpcloud", SourceSpec("lever", "jumpcloud")),
        ("https://job-boards.greenhouse.io/stripe", SourceSpec("greenhouse", "stripe")),
        ("https://jobs.lever.co/jumpcloud/", SourceSpec("lever", "jumpcloud")),
        ("https://jobs.ashbyhq.com/render", SourceSpec("ashby", "render")),
        ("https://example.org/jobs.rss", SourceSpec("feed", "https://example.org/jobs.rss")),
        ("jobspy:data engineer @ Berlin", SourceSpec("jobspy", "data engineer", "Berlin")),
    ],
)
def test_sources_as_typed(typed: str, spec: SourceSpec) -> None:
    assert parse_source(typed) == spec


@pytest.mark.parametrize("typed", ["stripe", "workday:acme", "greenhouse:", "jobspy:"])
def test_a_source_that_is_none_of_them(typed: str) -> None:
    with pytest.raises(InitError, match="is not a source: give greenhouse:NAME"):
        parse_source(typed)


def test_the_written_config_round_trips_odd_values(boards: FeedServer, tmp_path: Path) -> None:
    url = f"{boards.base}/feed.xml"
    code, output = init(
        "--yes", "--no-check", "--title", "C# Developer: Games", "--must-have", "C#",
        "--location", "Zürich", "--timezone", "Europe/Zurich", "--source", url,
    )  # fmt: skip
    assert code == 0, output
    assert json.dumps(load_profile(tmp_path / "profile.md").titles) == '["C# Developer: Games"]'
    assert load_profile(tmp_path / "profile.md").locations == ["Zürich"]
    assert load_config(tmp_path / "jobpicks.yml").sources[0].url == url  # type: ignore[union-attr]


def test_the_local_draft_of_another_layout() -> None:
    cv = """# Maria Rossi
maria.rossi@example.com · London, UK · linkedin.com/in/mariarossi

## Work
**Lead Data Scientist** at ShopCo, London (2020–now)
- Built demand forecasting in Python (pandas, scikit-learn) and SQL on BigQuery; Go live in May.
**Data Analyst** at RetailMax, Milan (2016–2020)

## Technical skills
Python · SQL · R · scikit-learn · Pandas · BigQuery · Airflow · Tableau
"""
    draft = draft_locally(cv)
    assert draft.titles == ["Data Scientist", "Data Analyst"]
    assert draft.seniority == ["lead"] and draft.locations == ["London"]
    assert draft.must_have == ["Python", "SQL", "Pandas"]
    assert "R" in draft.nice_to_have and "Go" not in draft.nice_to_have  # "Go live" is no skill
    assert draft.remote == "any"


def test_a_sales_cv_drafts_its_titles_locally(tmp_path: Path) -> None:
    # No tech word in it: the local draft found no title and took the current role, "Senior
    # Account Executive", for a place.
    cv = write_docx_cv(tmp_path / "cv.docx", SALES_CV_LINES)
    project = tmp_path / "project"
    code, output = init("--yes", "--dir", str(project), "--cv", str(cv), "--timezone", "UTC")
    assert code == 0, output
    profile = load_profile(project / "profile.md")
    assert profile.titles == ["Account Executive", "Sales Development Representative"]
    assert profile.seniority == ["senior"] and profile.locations == ["Hamburg"]
    assert "Salesforce" in profile.must_have


MIXED_CV = """# Sam Rivera

Munich, Germany · sam.rivera@example.com

## Summary

Former Backend Engineer, now selling developer tools to engineering teams across DACH.

## Experience

### Senior Account Executive — DevTools GmbH (2021–present)

- Closed new business with platform teams; 130% of quota in 2023.
- Reported to the Chief Executive

### Backend Engineer — Logistics AG (2015–2021)

- Built Python services on Kubernetes and PostgreSQL.
- Led Enterprise Sales for DACH

## Skills

Salesforce, HubSpot, Python, Kubernetes, PostgreSQL
"""


def test_a_career_change_drafts_the_current_role_first() -> None:
    draft = draft_locally(MIXED_CV)
    # Neither the summary's sentence nor a bullet's capitalised words are a title.
    assert draft.titles == ["Account Executive", "Backend Engineer"]
    assert draft.seniority == ["senior"] and draft.locations == ["Munich"]
    # Written oldest first, the role "to present" still comes first.
    oldest_first = """Sam Rivera
Experience
Backend Engineer, Logistics AG (2015 - 2021)
Senior Account Executive, DevTools GmbH (2021 - present)
Executive Summary
Sales
"""
    draft = draft_locally(oldest_first)
    assert draft.titles == ["Account Executive", "Backend Engineer"]
    assert draft.seniority == ["senior"]


@pytest.mark.parametrize(
    ("line", "title"),
    [
        ("Registered Nurse, St Mary's Hospital (2019 - present)", "Registered Nurse"),
        ("Senior Accountant at KPMG, 2018 - 2023", "Accountant"),
        ("2016 - 2020 Secondary School Teacher, Hamburg", "Secondary School Teacher"),
        ("Head of Sales | Foo GmbH", "Head of Sales"),
        ("Customer Success Manager, Acme", "Customer Success Manager"),
    ],
)
def test_role_lines_outside_tech_draft_a_title(line: str, title: str) -> None:
    assert draft_locally(f"Kim Lee\n{line}\n").titles == [title]
