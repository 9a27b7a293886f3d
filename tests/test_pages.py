"""Day pages: round trips, MkDocs' own front-matter parser, and text that tries to break out."""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

import frontmatter
import markdown
import pytest
from mkdocs.utils.meta import get_data
from site_helpers import Links

from generator import pages
from generator.errors import PageError
from generator.models import DayPage, Pay, Pick, ScoringUsage, SourceOutcome
from generator.text import plain_line

HOSTILE = [
    "[Online Assessment] Software Engineer (BS/ MS)",
    "]](javascript:alert(1)) [x](data:text/html,hi)",
    "---",
    "# Heading\n---\nkey: value",
    "<script>alert('x')</script><img src=x onerror=alert(1)>",
    "key: value & *bold* _em_ `code` {: onclick=alert(1) } | a | b |",
    "&anchor *alias !!python/object:os.system",
    "שלום עולם 🚀 مرحبا",
    "...",
    "2026-11-23",
    "yes",
]


def _pick(n: int, text: str = "Engineer") -> Pick:
    return Pick(
        id=f"id{n}",
        title=text,
        company=f"Co {text}"[:60],
        location=text,
        url=f"https://example.com/{n}?a=1&b=2",
        score=n % 101,
        reason=text,
        summary=text,
        source="test",
        posted=dt.date(2026, 11, 20),
    )


def _day(*picks: Pick) -> DayPage:
    return DayPage(date=dt.date(2026, 11, 23), picks=picks, scorer="local", model="")


def test_round_trip_with_hostile_text(tmp_path: Path) -> None:
    day = _day(*(_pick(i, text) for i, text in enumerate(HOSTILE)))
    path = pages.write(day, tmp_path)
    assert path == tmp_path / "2026" / "2026-11-23.md"
    assert pages.read(path) == day


def test_mkdocs_and_frontmatter_parse_the_same_metadata(tmp_path: Path) -> None:
    day = _day(*(_pick(i, text) for i, text in enumerate(HOSTILE)))
    text = pages.render(day)
    body, meta = get_data(text)
    assert meta["title"] == "Daily Job Picks - 2026-11-23"
    assert meta["date"] == dt.date(2026, 11, 23)
    # Each title as the pick holds it: cleaned once, when the pick was made (one line).
    titles = [p.title for p in day.picks]
    assert [p["title"] for p in meta["picks"]] == titles == [plain_line(t) for t in HOSTILE]
    assert meta["tags"] == day.companies
    assert body.startswith("# Daily Job Picks - 2026-11-23\n")
    assert frontmatter.loads(text).metadata == meta


def test_rendered_body_has_no_live_markup_and_one_section_per_pick() -> None:
    day = _day(*(_pick(i, text) for i, text in enumerate(HOSTILE)))
    html = markdown.markdown(pages.render_body(day), extensions=["attr_list", "tables", "toc"])
    collector = Links()
    collector.feed(html)
    tags = [tag for tag, _ in collector.tags]
    assert "script" not in tags and "img" not in tags
    assert tags.count("h2") == len(HOSTILE) and tags.count("hr") == len(HOSTILE)
    hrefs = [link for _, link in collector.links]
    assert hrefs == [f"https://example.com/{i}?a=1&b=2" for i in range(len(HOSTILE))]
    assert not any(k.startswith("on") for _, attrs in collector.tags for k in attrs)
    assert "&lt;script&gt;" in html
    assert "[Online Assessment] Software Engineer (BS/ MS)</a>" in html


def test_body_reads_like_the_legacy_format() -> None:
    pick = Pick(
        id="linkedin:1",
        title="Software Engineer Intern",
        company="TikTok",
        location="San Jose, CA",
        url="https://www.linkedin.com/jobs/view/1",
        score=95,
        reason="Direct match.",
        summary="Internship focused on models.",
    )
    assert pages.render_body(_day(pick)) == (
        "# Daily Job Picks - 2026-11-23\n\n"
        "## [Software Engineer Intern](https://www.linkedin.com/jobs/view/1)\n"
        "**Company:** TikTok | **Location:** San Jose, CA | **Score:** 95/100\n\n"
        "**Reason:** Direct match.\n\n"
        "**Summary:** Internship focused on models.\n\n"
        "---\n"
    )


def test_empty_day_says_so() -> None:
    assert "No new picks today." in pages.render_body(_day())


def test_broken_front_matter_is_named(tmp_path: Path) -> None:
    path = tmp_path / "2026" / "2026-11-20.md"
    path.parent.mkdir(parents=True)
    path.write_text("---\ndate: 2026-11-20\npicks: [unclosed\n---\n# x\n")
    with pytest.raises(PageError, match=r"2026-11-20\.md:\d+: broken front matter"):
        pages.read(path)
    path.write_text(
        "---\ndate: 2026-11-20\npicks:\n- id: a\n  title: t\n  company: c\n"
        "  url: u\n  score: 150\n---\n"
    )
    with pytest.raises(PageError, match=r"picks\[0\]\.score"):
        pages.read(path)
    path.write_text("# just markdown\n")
    with pytest.raises(PageError, match="not a jobpicks page"):
        pages.read(path)


def test_pages_read_in_several_processes_are_the_pages_read_in_one(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """Oldest first, equal, and a child's warning (a link that is not http) or broken page
    reaches this process, as when the build reads a long history on several cores."""
    for n in range(9):
        day = DayPage(date=dt.date(2026, 11, 1 + n), picks=(_pick(n),))
        pages.write(day, tmp_path)
    late = tmp_path / "2026" / "2026-11-08.md"
    late.write_text(late.read_text().replace("url: https://", "url: javascript://"))
    with caplog.at_level(logging.WARNING, logger="generator"):
        alone = pages.read_all(tmp_path)
        alone_said = [r.getMessage() for r in caplog.records]
        caplog.clear()
        together = pages.read_all(tmp_path, processes=3, per_process=2)
        together_said = [r.getMessage() for r in caplog.records]
    assert together == alone and [d.date.day for d in together] == list(range(1, 10))
    assert together_said == alone_said and len(together_said) == 1
    assert "2026-11-08.md" in together_said[0]

    late.write_text("# just markdown\n")
    with pytest.raises(PageError, match=r"2026-11-08\.md: not a jobpicks page"):
        pages.read_all(tmp_path, processes=3, per_process=2)


def test_shown_ids_reads_every_other_page(tmp_path: Path) -> None:
    for day, ids in ((20, ["a", "b"]), (21, ["c"]), (23, ["d"])):
        picks = tuple(_pick(0).model_copy(update={"id": i}) for i in ids)
        pages.write(DayPage(date=dt.date(2026, 11, day), picks=picks), tmp_path)
    (tmp_path / "2026" / "notes.md").write_text("not a day page")
    assert pages.shown_ids(tmp_path, except_date=dt.date(2026, 11, 23)) == {"a", "b", "c"}
    assert pages.shown_ids(tmp_path / "missing") == set()


def test_page_whose_name_and_date_disagree_is_an_error(tmp_path: Path) -> None:
    path = pages.write(_day(_pick(1)), tmp_path)
    wrong = path.with_name("2026-11-24.md")
    path.rename(wrong)
    with pytest.raises(PageError, match="file name differs"):
        pages.read(wrong)


def test_a_date_shared_by_picks_is_written_in_full_not_as_a_yaml_alias(tmp_path: Path) -> None:
    date = dt.date(2026, 11, 23)
    picks = tuple(
        Pick(
            id=f"x:{n}",
            title="Dev",
            company="Acme",
            url="https://a.example/",
            score=80,
            posted=date,
        )
        for n in range(2)
    )
    path = pages.write(DayPage(date=date, picks=picks), tmp_path)
    text = path.read_text()
    assert "&id" not in text and "*id" not in text
    assert text.count("posted: 2026-11-23") == 2
    assert pages.read(path).picks == picks


def test_decision_facts_round_trip_and_stay_out_of_the_file_when_unknown(tmp_path: Path) -> None:
    known = _pick(1).model_copy(
        update={
            "work_mode": "hybrid",
            "pay": Pay(min=60000, max=75000, currency="EUR", period="year"),
            "visa": "not_offered",
            "level": "staff+",
            "employment": "full-time",
            "closed": dt.date(2026, 11, 30),
        }
    )
    day = _day(known, _pick(2))
    path = pages.write(day, tmp_path)
    assert pages.read(path) == day
    meta = frontmatter.loads(path.read_text()).metadata
    assert meta["picks"][0]["pay"] == {
        "min": 60000,
        "max": 75000,
        "currency": "EUR",
        "period": "year",
    }
    assert meta["picks"][0]["closed"] == dt.date(2026, 11, 30)
    assert set(meta["picks"][1]) == {
        "id", "title", "company", "location", "url", "score", "reason", "summary", "source",
        "posted",
    }  # fmt: skip


@pytest.mark.parametrize(
    ("pay", "message"),
    [
        ({"min": 9, "max": 5, "currency": "USD", "period": "year"}, "above max"),
        ({"min": 5, "max": 9, "currency": "usd", "period": "year"}, "currency"),
        ({"min": 5, "max": 9, "currency": "USD", "period": "fortnight"}, "period"),
    ],
)
def test_a_bad_pay_on_a_page_is_an_error_naming_the_field(
    tmp_path: Path, pay: dict[str, object], message: str
) -> None:
    path = pages.write(_day(_pick(1)), tmp_path)
    text = path.read_text().replace(
        "  posted: 2026-11-20\n", f"  posted: 2026-11-20\n  pay: {pay}\n", 1
    )
    path.write_text(text)
    with pytest.raises(PageError, match=rf"picks\[0\]\.pay.*{message}|{message}.*picks"):
        pages.read(path)


def test_run_history_and_pick_history_round_trip(tmp_path: Path) -> None:
    pick = _pick(1).model_copy(
        update={
            "source_kind": "greenhouse",
            "board": "stripe",
            "checked": dt.date(2026, 11, 22),
            "first_seen": dt.date(2026, 10, 2),
            "reposts": 3,
        }
    )
    day = _day(pick).model_copy(
        update={
            "sources": (
                SourceOutcome(name="Remote Board", postings=120),
                SourceOutcome(name="greenhouse stripe", error="HTTP 503"),
            ),
            "new_postings": 57,
            "usage": ScoringUsage(calls=150, input_tokens=90_000, cost_usd=0.031),
            "warnings": 1,
        }
    )
    path = pages.write(day, tmp_path)
    assert pages.read(path) == day
    meta = get_data(path.read_text(encoding="utf-8"))[1]
    assert meta["sources"][1] == {
        "name": "greenhouse stripe",
        "postings": None,
        "error": "HTTP 503",
    }


def test_keys_at_their_default_are_not_written(tmp_path: Path) -> None:
    text = pages.write(_day(_pick(1)), tmp_path).read_text(encoding="utf-8")
    for key in ("sources:", "usage:", "warnings:", "reposts:", "first_seen:", "board:", "closed:"):
        assert key not in text
