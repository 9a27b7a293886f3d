"""Importing the real legacy pages: every field kept, mess repaired, errors named by line."""

from __future__ import annotations

import datetime as dt
import logging
import re
from pathlib import Path

import ftfy
import markdown
import pytest
from click.testing import CliRunner
from conftest import LEGACY, fixture, fixtures, write_config

from generator import pages
from generator.cli import cli
from generator.legacy import LegacyFormatError, aggregated_employer, import_file, parse_legacy
from generator.models import DayPage, Pick
from generator.text import job_id

FIXTURES = fixtures("legacy")


def _fixed(path: Path) -> str:
    return ftfy.fix_text(path.read_text(encoding="utf-8"), uncurl_quotes=False)


def _sections(text: str) -> list[str]:
    """The legacy body as pick sections, first line `## [...](...)`."""
    chunks = (s[s.find("## [") :].strip() for s in re.split(r"\n---\n", text) if "## [" in s)
    return list(chunks)


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.name)
def test_every_pick_field_matches_the_legacy_text(path: Path) -> None:
    parsed = parse_legacy(path.read_text(encoding="utf-8"), path)
    sections = _sections(_fixed(path))
    assert len(parsed.day.picks) + len(parsed.duplicates) == len(sections) == 20
    assert str(parsed.day.date) == path.stem
    seen: dict[str, str] = {}
    for section in sections:
        seen.setdefault(section.splitlines()[0], section)
    for pick, section in zip(parsed.day.picks, seen.values(), strict=True):
        lines = [line for line in section.splitlines() if line.strip()]
        assert lines[0] == f"## [{pick.title}]({pick.url})"
        written = pick.poster or pick.company  # the aggregator the legacy page showed
        assert lines[1] == (
            f"**Company:** {written} | **Location:** {pick.location} | **Score:** {pick.score}/100"
        )
        assert lines[2] == f"**Reason:** {pick.reason}"
        assert lines[3] == f"**Summary:** {pick.summary}"
        assert pick.source == "legacy" and pick.posted is None
    assert len(seen) == len(parsed.day.picks)


def test_specific_messy_cases_from_the_fixtures() -> None:
    jan2 = parse_legacy(
        (fixture("legacy/2026-01-02.md")).read_text(), fixture("legacy/2026-01-02.md")
    ).day
    first = jan2.picks[0]
    assert first.model_dump() == {
        "id": "linkedin:4291503204",
        "title": "Software Engineer Intern (AI Model Optimization) - 2026 Summer (BS/MS)",
        "company": "TikTok",
        "location": "San Jose, CA",
        "url": "https://www.linkedin.com/jobs/view/4291503204",
        "score": 95,
        "reason": "Direct match with ML model optimization and large-scale AI systems; aligns "
        "exceptionally well with ML/AI and reinforcement learning background; early career role.",
        "summary": "Internship focused on improving performance and efficiency of large AI "
        "models across training, inference, and deployment; hands-on experience with "
        "high-performance ML systems.",
        "source": "legacy",
        "posted": None,
        "poster": "",
        # Imported picks get no decision facts invented: the legacy pages state none.
        "work_mode": None,
        "pay": None,
        "visa": None,
        "level": None,
        "employment": None,
        "closed": None,
        "source_kind": None,
        "board": "",
        "checked": None,
        "first_seen": None,
        "reposts": 0,
        "fingerprint": "",
    }
    github = next(p for p in jan2.picks if p.company == "GitHub")
    assert github.location == ""

    feb9 = parse_legacy(
        (fixture("legacy/2026-02-09.md")).read_text(), fixture("legacy/2026-02-09.md")
    )
    assert feb9.day.picks[0].reason.startswith("Direct match with candidate’s strong ML")
    assert not any("â€" in p.reason + p.summary + p.title for p in feb9.day.picks)
    titles = [p.title for p in feb9.day.picks]
    assert (
        "[Online Assessment] Software Engineer Intern (NoSQL Databases) - 2026 Summer (BS/MS)"
        in titles
    )
    assert len(feb9.duplicates) == 1

    jan3 = parse_legacy(
        (fixture("legacy/2026-01-03.md")).read_text(), fixture("legacy/2026-01-03.md")
    ).day
    assert sum(p.company == "Lensa" for p in jan3.picks) >= 3  # aggregators kept as written
    indeed = [p for p in jan3.picks + jan2.picks + feb9.day.picks if "indeed" in p.url]
    assert all(p.id.startswith("indeed:") for p in indeed)


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.name)
def test_round_trip_reads_the_same_as_the_legacy_page(path: Path, tmp_path: Path) -> None:
    outcome = import_file(path, tmp_path)
    assert outcome.status == "written", outcome.error
    assert outcome.target is not None
    day = pages.read(outcome.target)
    ours = markdown.markdown(pages.render_body(day))
    legacy_sections: dict[str, str] = {}
    for section in _sections(_fixed(path)):
        legacy_sections.setdefault(section.splitlines()[0], section)
    for pick in day.picks:  # an aggregator's pick now names the employer behind it
        if pick.poster:
            key = f"## [{pick.title}]({pick.url})"
            legacy_sections[key] = legacy_sections[key].replace(
                f"**Company:** {pick.poster} |",
                f"**Company:** {pick.company} (via {pick.poster}) |",
            )
    heading = f"# Daily Job Picks - {path.stem}\n\n"
    legacy = heading + "\n\n---\n\n".join(legacy_sections.values()) + "\n\n---\n"
    assert ours == markdown.markdown(legacy)


JAVASCRIPT_PAGE = """# Daily Job Picks - 2026-03-04

## [Backend Engineer](javascript:alert(document.domain))
**Company:** Acme | **Location:** Berlin | **Score:** 88/100

**Reason:** Fits the profile.

**Summary:** A backend role.

---
"""


def test_a_pick_with_a_javascript_link_is_kept_without_it_and_named(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """The rule of every page (`Pick`'s one check): the pick stays, shown without a link, and
    a warning names the file, the line and the pick; the file is not refused."""
    source = tmp_path / "in" / "a.md"
    source.parent.mkdir()
    source.write_text(JAVASCRIPT_PAGE, encoding="utf-8")
    with caplog.at_level(logging.WARNING):
        outcome = import_file(source, tmp_path / "picks")
    assert outcome.status == "written", outcome.error
    assert outcome.target is not None
    [pick] = pages.read(outcome.target).picks
    assert (pick.title, pick.company, pick.url, pick.score) == ("Backend Engineer", "Acme", "", 88)
    # The id a source gives a posting without a URL: the same job imported twice is one pick.
    assert pick.id == job_id("", company="Acme", title="Backend Engineer", location="Berlin")
    [warning] = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert f"{source}:3: " in warning and "Backend Engineer" in warning, warning
    assert "javascript:alert(document.domain)" in warning, warning


def test_the_import_line_counts_in_words(tmp_path: Path) -> None:
    """A page of one pick said "1 picks"."""
    source = tmp_path / "in" / "a.md"
    source.parent.mkdir()
    source.write_text(JAVASCRIPT_PAGE, encoding="utf-8")
    outcome = import_file(source, tmp_path / "picks")
    assert outcome.line().endswith(": 1 pick"), outcome.line()
    outcome.duplicates = ["Backend Engineer at Acme"]
    assert outcome.line().endswith(": 1 pick, 1 duplicate dropped"), outcome.line()


def test_a_body_written_by_render_body_imports_as_the_same_picks() -> None:
    """`pages.render_body` escapes markdown (`Data\\_Engineer \\[Remote\\]`) and `&`; importing
    that body gives back the text, not the escapes."""
    awkward = [
        ("Data_Engineer [Remote] *urgent*", "A_B & Co", "Remote (EU) <hybrid>"),
        ("[Online Assessment] Backend", "Foo{bar}", "Berlin"),
        (r"C\C++ `dev` & <ops>", "A & B", "Paris, France"),
    ]
    day = DayPage(
        date=dt.date(2026, 3, 4),
        picks=tuple(
            Pick(
                id=f"p{n}",
                title=title,
                company=company,
                location=location,
                url=f"https://jobs.example.com/{n}?a=1&b=2",
                score=90 - n,
                reason=f"Reason {n}: *strong* match for {title}",
                summary=f"Summary {n} with `code`, {{braces}} & a_b",
            )
            for n, (title, company, location) in enumerate(awkward)
        ),
    )
    body = pages.render_body(day)
    assert r"Data\_Engineer \[Remote\] \*urgent\*" in body  # it was escaped
    parsed = parse_legacy(body, Path("2026-03-04.md")).day
    fields = ("title", "company", "location", "url", "score", "reason", "summary")
    assert [[getattr(p, f) for f in fields] for p in parsed.picks] == [
        [getattr(p, f) for f in fields] for p in day.picks
    ]


def _variant(tmp_path: Path, name: str, edit: object) -> Path:
    text = (fixture("legacy/2026-01-02.md")).read_text(encoding="utf-8")
    path = tmp_path / "in" / name
    path.parent.mkdir(exist_ok=True)
    path.write_text(edit(text), encoding="utf-8")  # type: ignore[operator]
    return path


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (
            lambda t: t.replace(" | **Score:** 95/100", "", 1),
            r"2026-01-02\.md:4: expected `\*\*Company:\*\* \.\.\. \| \*\*Location:\*\* \.\.\. \| "
            r"\*\*Score:\*\* N/100`",
        ),
        (
            lambda t: t.replace(
                "](https://www.linkedin.com/jobs/view/4291503204)",
                "(https://www.linkedin.com/jobs/view/4291503204)",
                1,
            ),
            r"2026-01-02\.md:3: expected a pick heading `## \[title\]\(url\)`",
        ),
        (
            lambda t: t[: t.index("**Summary:** Internship working on TikTok Search")],
            r"2026-01-02\.md:\d+: expected `\*\*Summary:\*\* \.\.\.` for the pick at line 12, "
            r"got 'end of file'",
        ),
        (
            lambda t: t.replace("# Daily Job Picks - 2026-01-02", "# Picks"),
            r"expected a pick heading",
        ),
    ],
    ids=["missing-score", "broken-link", "truncated", "bad-heading"],
)
def test_malformed_variants_name_file_and_line(tmp_path: Path, edit: object, message: str) -> None:
    path = _variant(tmp_path, "2026-01-02.md", edit)
    with pytest.raises(LegacyFormatError, match=message):
        parse_legacy(path.read_text(), path)


def test_no_date_anywhere_is_an_error(tmp_path: Path) -> None:
    path = _variant(tmp_path, "digest.md", lambda t: t.replace("- 2026-01-02", ""))
    with pytest.raises(LegacyFormatError, match=r"digest\.md: no date"):
        parse_legacy(path.read_text(), path)


def test_date_falls_back_to_the_file_name(tmp_path: Path) -> None:
    path = _variant(
        tmp_path, "2025-12-31.md", lambda t: t.replace("# Daily Job Picks - 2026-01-02\n", "")
    )
    assert str(parse_legacy(path.read_text(), path).day.date) == "2025-12-31"


def test_cli_imports_good_files_and_reports_bad_ones(tmp_path: Path) -> None:
    config = write_config(tmp_path, [{"url": "unused.xml"}])
    bad = _variant(
        tmp_path,
        "2026-03-01.md",
        lambda t: t.replace("2026-01-02", "2026-03-01").replace("**Score:** 80", "**S"),
    )
    runner = CliRunner()
    result = runner.invoke(
        cli, ["import", "--config", str(config), str(LEGACY), str(bad)], catch_exceptions=False
    )
    assert result.exit_code == 1
    assert "Imported 4 files: 3 written, 0 unchanged, 0 skipped, 1 failed" in result.output
    assert "2026-03-01.md:" in result.output
    written = sorted(p.name for p in (tmp_path / "docs/picks/2026").iterdir())
    assert written == ["2026-01-02.md", "2026-01-03.md", "2026-02-09.md"]
    before = {p: p.read_bytes() for p in (tmp_path / "docs/picks/2026").iterdir()}

    again = runner.invoke(
        cli, ["import", "--config", str(config), str(LEGACY)], catch_exceptions=False
    )
    assert again.exit_code == 0
    assert "0 written, 3 unchanged" in again.output
    assert {p: p.read_bytes() for p in (tmp_path / "docs/picks/2026").iterdir()} == before


def test_existing_different_page_needs_force(tmp_path: Path) -> None:
    source = fixture("legacy/2026-01-02.md")
    import_file(source, tmp_path)
    target = tmp_path / "2026" / "2026-01-02.md"
    target.write_text(target.read_text().replace("score: 95", "score: 94", 1))
    assert import_file(source, tmp_path).status == "exists"
    assert "score: 94" in target.read_text()
    assert import_file(source, tmp_path, force=True).status == "written"
    assert "score: 94" not in target.read_text()


def test_imported_picks_count_as_shown_at_once(tmp_path: Path) -> None:
    for path in FIXTURES:
        import_file(path, tmp_path)
    shown = pages.shown_ids(tmp_path)
    assert "linkedin:4291503204" in shown and len(shown) == 59


def test_aggregator_picks_go_under_the_employer_their_summary_names() -> None:
    picks = [
        pick
        for path in fixtures("legacy")
        for pick in parse_legacy(path.read_text(encoding="utf-8"), path).day.picks
    ]
    moved = {(p.company, p.poster) for p in picks if p.poster}
    assert moved == {
        ("IBM", "Jobs via Dice"),
        ("Branch International", "Lensa"),
        ("Microsoft", "Lensa"),
        ("Siemens", "Lensa"),
    }
    assert sum(p.poster == "Jobs via Dice" for p in picks) == 5
    # No employer named: the pick stays under the aggregator, never a guess.
    kept = {p.title: p.company for p in picks if p.company in ("Lensa", "Jobs via Dice")}
    assert kept["Data Science Summer Intern (Remote & Paid)"] == "Lensa"
    assert kept["Research Scientist Intern, PyTorch On-Device (PhD)"] == "Lensa"
    assert kept["Data Science Intern"] == "Lensa"


@pytest.mark.parametrize(
    ("summary", "employer"),
    [
        ("Recruiters promote this job for Capital One. Apply now.", "Capital One"),
        ("Data science internship analysing data.", ""),
        ("Internship with Branch International focusing on lending.", "Branch International"),
    ],
)
def test_aggregated_employer(summary: str, employer: str) -> None:
    assert aggregated_employer("Lensa", "Data Science Intern", summary) == employer
    assert aggregated_employer("Acme", "Data Science Intern", summary) == ""
