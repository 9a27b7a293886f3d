"""feedback.yml: the reader's verdicts, read with errors that name line and key, written in a
stable order, and what a run does with them."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from generator import pages
from generator.errors import FeedbackError
from generator.feedback import (
    HEADER,
    Feedback,
    Mark,
    PickIndex,
    Verdicts,
    load_feedback,
    load_verdicts,
    prompt_line,
    prompt_section,
    record,
    save_feedback,
)
from generator.models import DayPage, Job, Pick

DAY = dt.date(2026, 11, 28)


def pick(n: int, title: str = "Backend Engineer", company: str = "Acme", **kw: object) -> Pick:
    return Pick(
        id=f"url:{n:016x}",
        title=title,
        company=company,
        location=str(kw.pop("location", "Berlin, Germany")),
        url=f"https://jobs.example/{n}",
        score=80,
        **kw,  # type: ignore[arg-type]
    )


def job(n: int, title: str = "Backend Engineer", company: str = "Acme", **kw: object) -> Job:
    return Job(
        id=f"url:{n:016x}",
        title=title,
        company=company,
        location=str(kw.pop("location", "Berlin, Germany")),
        url=str(kw.pop("url", f"https://jobs.example/{n}")),
        description="",
        posted=None,
        source="test",
    )


def mark(n: int, verdict: str = "dismissed", date: dt.date = DAY, **kw: object) -> Mark:
    return Mark.model_validate(
        {
            "id": f"url:{n:016x}",
            "url": f"https://jobs.example/{n}",
            "verdict": verdict,
            "date": date,
            **kw,
        }
    )


def write_day(picks_dir: Path, date: dt.date, *picks: Pick) -> None:
    pages.write(DayPage(date=date, picks=picks), picks_dir)


def test_no_file_is_no_verdicts(tmp_path: Path) -> None:
    assert load_feedback(tmp_path / "feedback.yml") == Feedback()


def test_written_one_per_job_in_date_order_and_read_back(tmp_path: Path) -> None:
    path = tmp_path / "feedback.yml"
    later = mark(1, "liked", DAY + dt.timedelta(days=1))
    feedback = Feedback((mark(2, "applied", status="interviewing"), mark(1), later))
    save_feedback(path, feedback)
    text = path.read_text()
    assert text.startswith("# Your verdicts")
    assert load_feedback(path).marks == (mark(2, "applied", status="interviewing"), later)
    save_feedback(path, load_feedback(path))
    assert path.read_text() == text  # stable: rewriting changes nothing


def test_a_later_entry_replaces_an_earlier_one_and_an_older_one_is_ignored() -> None:
    feedback = Feedback((mark(1, "saved"), mark(1, "applied")))  # same date: the last given
    assert feedback.latest()[mark(1).id].verdict == "applied"
    older = mark(1, "liked", DAY - dt.timedelta(days=1))
    merged = feedback.merged([older])
    assert merged.changed == [] and merged.feedback.latest()[mark(1).id].verdict == "applied"
    assert merged.overruled == [(older, mark(1, "applied"))]  # said to take no effect
    merged = feedback.merged([mark(1, "dismissed", DAY + dt.timedelta(days=1))])
    assert [m.verdict for m in merged.changed] == ["dismissed"] and merged.overruled == []
    assert len(merged.feedback.marks) == 1


def test_a_job_marked_again_with_the_same_verdict_keeps_what_the_new_mark_does_not_say() -> None:
    """An application marked "interviewing" with `jobpicks feedback`, then Applied pressed on
    another device: the status, the note and the day it was applied stay."""
    applied = mark(1, "applied", status="interviewing", note="call on Monday")
    feedback = Feedback((applied, mark(2, "dismissed", reason="pay", note="too low")))
    later = DAY + dt.timedelta(days=4)
    merged = feedback.merged([mark(1, "applied", later), mark(2, "dismissed", later)])
    assert merged.changed == [] and merged.feedback.latest()[applied.id] == applied
    assert merged.feedback.latest()[mark(2).id].reason == "pay"
    merged = feedback.merged([mark(1, "applied", later, status="offer")])
    kept = merged.feedback.latest()[applied.id]
    assert (kept.status, kept.note, kept.date) == ("offer", "call on Monday", later)
    merged = feedback.merged([mark(1, "saved", later)])
    assert merged.feedback.latest()[applied.id] == mark(1, "saved", later)  # a new verdict


def test_a_new_status_keeps_the_day_applied() -> None:
    """A status set days later is no new application: the first applied mark's date stays
    (`applied`), while `date` moves on and orders the marks. A new verdict, or an application
    made again after one taken back, starts afresh."""
    first, second, third = (DAY + dt.timedelta(days=n) for n in (0, 1, 6))
    feedback = Feedback((mark(1, "applied", first),))
    feedback = feedback.merged([mark(1, "applied", second, status="interviewing")]).feedback
    feedback = feedback.merged([mark(1, "applied", third, status="offer")]).feedback
    (entry,) = feedback.marks
    assert (entry.status, entry.date, entry.applied, entry.applied_on) == (
        "offer",
        third,
        first,
        first,
    )
    assert entry.when() == "applied on 2026-11-28, offer on 2026-12-04"
    assert prompt_line(entry).endswith(", now offer (applied 2026-11-28; 2026-12-04)")
    # Applied again, saying nothing new: the entry stands as it was.
    merged = feedback.merged([mark(1, "applied", third + dt.timedelta(days=1))])
    assert merged.changed == [] and merged.feedback.marks == (entry,)
    # On the day applied, a status is all a mark changes.
    same_day = Feedback((mark(2, "applied"),)).merged([mark(2, "applied", status="offer")])
    assert same_day.changed == [mark(2, "applied", status="offer")]
    assert same_day.changed[0].applied is None and same_day.changed[0].when() == (
        "applied on 2026-11-28"
    )
    # Taken back, then applied again: a new application, on its own date.
    later = third + dt.timedelta(days=2)
    feedback = feedback.merged([mark(1, "cleared", third + dt.timedelta(days=1))]).feedback
    (again,) = feedback.merged([mark(1, "applied", later)]).feedback.marks
    assert again.applied_on == later and again.applied is None


def test_the_day_applied_is_written_and_read_back_and_an_older_file_reads_as_before(
    tmp_path: Path,
) -> None:
    """A file written before `applied` existed: an application was made on its date, and the
    file is rewritten unchanged; once a status moves the date on, `applied` is written
    after it and read back the same."""
    path = tmp_path / "feedback.yml"
    path.write_text(
        HEADER + "verdicts:\n"
        "- id: url:0000000000000001\n"
        "  url: https://jobs.example/1\n"
        "  verdict: applied\n"
        "  status: interviewing\n"
        "  date: 2026-11-28\n"
    )
    before = path.read_text()
    (old,) = load_feedback(path).marks
    assert (old.applied, old.applied_on) == (None, DAY)
    save_feedback(path, load_feedback(path))
    assert path.read_text() == before
    later = DAY + dt.timedelta(days=3)
    merged = load_feedback(path).merged([mark(1, "applied", later, status="offer")])
    save_feedback(path, merged.feedback)
    text = path.read_text()
    assert text.endswith("  status: offer\n  date: 2026-12-01\n  applied: 2026-11-28\n")
    (entry,) = load_feedback(path).marks
    assert entry == mark(1, "applied", later, status="offer", applied=DAY)
    save_feedback(path, load_feedback(path))
    assert path.read_text() == text
    # Written by hand as the mark's own date, it says nothing: one way to say it.
    assert mark(1, "applied", later, applied=later).applied is None


def test_bad_entries_are_errors_naming_file_line_and_key(tmp_path: Path) -> None:
    path = tmp_path / "feedback.yml"
    path.write_text(
        "verdicts:\n"
        "- id: url:1\n"
        "  url: https://jobs.example/1\n"
        "  verdict: appled\n"  # line 4
        "  date: 2026-11-30\n"
        "- id: url:2\n"
        "  url: https://jobs.example/2\n"
        "  verdict: liked\n"
        "  reason: pay\n"  # line 9: a reason only goes with dismissed
        "  date: 2026-11-31\n"  # line 10: no such day
        "  colour: red\n"  # line 11
        "- id: url:3\n"  # line 12: no url, no date
        "  verdict: applied\n"
    )
    with pytest.raises(FeedbackError) as caught:
        load_feedback(path)
    message = str(caught.value)
    assert f"{path}:4: verdicts[0].verdict: Input should be 'applied'" in message
    assert (
        f"{path}:9: verdicts[1].reason: a reason goes with verdict dismissed, not liked" in message
    )
    assert f"{path}:10: verdicts[1].date:" in message
    assert f"{path}:11: verdicts[1].colour: unknown key" in message
    assert f"{path}:12: verdicts[2].url: Field required" in message
    assert f"{path}:12: verdicts[2].date: Field required" in message


_ENTRY = "verdicts:\n- id: url:1\n  url: https://jobs.example/1\n"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("verdicts:\n- id: [unclosed\n", ":3: not valid YAML"),
        ("- id: x\n", ":1: expected `verdicts:`"),
        ("verdicts: {id: x}\n", ":1: verdicts: expected a list of marks"),
        ("verdicts: []\npicks: []\n", ":2: picks: unknown key"),
        ("verdicts:\n- just text\n", ":2: verdicts[0]: expected a mark"),
        ("verdicts:\n- id: a\n  id: b\n", ":3: verdicts[0].id: given twice"),
        (
            f"{_ENTRY}  verdict: saved\n  date: 2026-12-02\n  applied: 2026-12-01\n",
            ":6: verdicts[0].applied: the day applied goes with verdict applied, not saved",
        ),
        (
            f"{_ENTRY}  verdict: applied\n  date: 2026-12-02\n  applied: 2026-12-03\n",
            ":6: verdicts[0].applied: 2026-12-03 is after the mark's date, 2026-12-02",
        ),
    ],
)
def test_broken_files_name_the_line(tmp_path: Path, text: str, expected: str) -> None:
    path = tmp_path / "feedback.yml"
    path.write_text(text)
    with pytest.raises(FeedbackError) as caught:
        load_feedback(path)
    assert f"{path}{expected}" in str(caught.value)


def test_record_takes_ids_and_addresses_and_refuses_an_unknown_one(tmp_path: Path) -> None:
    picks_dir, path = tmp_path / "picks", tmp_path / "feedback.yml"
    write_day(picks_dir, DAY, pick(1), pick(2, "Data Engineer", "Globex"))
    with pytest.raises(FeedbackError, match=r"https://jobs\.example/9: no pick on any day page"):
        record(path, picks_dir, "dismissed", [pick(1).id, "https://jobs.example/9"], DAY, today=DAY)
    assert not path.exists()
    done = record(
        path,
        picks_dir,
        "dismissed",
        [pick(1).id, "https://jobs.example/2?utm_source=mail"],
        DAY,
        reason="company",
        note="no",
        today=DAY,
    )
    assert done.summary().startswith("Recorded 2 verdicts")
    marks = load_feedback(path).marks
    assert [(m.id, m.title, m.company, m.reason) for m in marks] == [
        (pick(1).id, "Backend Engineer", "Acme", "company"),
        (pick(2).id, "Data Engineer", "Globex", "company"),
    ]
    again = record(
        path, picks_dir, "dismissed", [pick(1).id], DAY, reason="company", note="no", today=DAY
    )
    assert again.summary() == f"{path} already holds these verdicts; nothing written"


def test_record_refuses_a_date_after_today_and_says_an_older_mark_takes_no_effect(
    tmp_path: Path,
) -> None:
    picks_dir, path = tmp_path / "picks", tmp_path / "feedback.yml"
    write_day(picks_dir, DAY, pick(1), pick(2, "Data Engineer", "Globex"))
    ahead = DAY + dt.timedelta(days=1)
    with pytest.raises(FeedbackError) as caught:
        record(path, picks_dir, "applied", [pick(1).id], ahead, today=DAY)
    assert str(caught.value).startswith(
        "--date 2026-11-29 is after today (2026-11-28 in the configured `timezone`)"
    )
    assert not path.exists()
    record(path, picks_dir, "applied", [pick(1).id], DAY, today=DAY)
    before = path.read_text()
    earlier = DAY - dt.timedelta(days=1)
    done = record(path, picks_dir, "saved", [pick(1).id, pick(2).id], earlier, today=DAY)
    assert done.summary() == (
        f"Recorded 1 verdict in {path}: saved Data Engineer at Globex; "
        f"saved Backend Engineer at Acme (2026-11-27) does not take effect: {path} holds a "
        "later mark for it, applied on 2026-11-28"
    )
    done = record(path, picks_dir, "liked", [pick(1).id], earlier, today=DAY)
    assert done.summary().endswith(
        "holds a later mark for it, applied on 2026-11-28; nothing written"
    )
    assert load_feedback(path).latest()[pick(1).id].verdict == "applied"
    assert before != path.read_text()  # pick 2's saved mark went in


def _verdicts(tmp_path: Path, *marks: Mark, picks: tuple[Pick, ...] = ()) -> Verdicts:
    return Verdicts.build(Feedback(marks), PickIndex(picks), threshold=90)


def test_applied_and_dismissed_jobs_and_their_reposts_are_ruled_out(tmp_path: Path) -> None:
    judged = (pick(1), pick(2, "Data Engineer"), pick(3, "Platform Engineer"))
    verdicts = _verdicts(
        tmp_path, mark(1, "applied"), mark(2, "dismissed"), mark(3, "saved"), picks=judged
    )
    assert verdicts.rule_out(job(1)) == "applied"
    assert verdicts.rule_out(job(2, "Data Engineer")) == "dismissed"
    repost = job(40, "Data Engineer (m/w/d)", url="https://other.example/new-address")
    assert verdicts.rule_out(repost) == "dismissed"
    assert verdicts.rule_out(job(3, "Platform Engineer")) == ""  # saved: still wanted
    assert verdicts.rule_out(job(41, "Data Engineer", company="Initech")) == ""


def test_a_cleared_mark_takes_a_verdict_back_and_an_older_one_cannot_return_it(
    tmp_path: Path,
) -> None:
    """The site's Undo of a mark already sent: the job may be picked again, the scorer and
    the model's prompt forget it, and the file keeps the cleared entry so the old verdict,
    arriving late from another issue, stays taken back."""
    judged = (pick(1), pick(2, "Data Engineer"))
    later = DAY + dt.timedelta(days=2)
    marks = (
        mark(1, "applied", note="went well"),
        mark(2, "dismissed", reason="company"),
        mark(1, "cleared", later),
        mark(2, "cleared", later),
    )
    verdicts = _verdicts(tmp_path, *marks, picks=judged)
    assert verdicts.rule_out(job(1)) == "" and verdicts.rule_out(job(2, "Data Engineer")) == ""
    assert verdicts.examples == () and verdicts.blocked == {}
    feedback = Feedback(marks)
    assert feedback.standing() == {} and prompt_section(feedback, 600) == ""
    merged = feedback.merged([mark(2, "dismissed", DAY + dt.timedelta(days=1))])
    assert merged.changed == [] and merged.feedback.standing() == {}
    assert [later.verdict for _, later in merged.overruled] == ["cleared"]
    path = tmp_path / "feedback.yml"
    save_feedback(path, merged.feedback)
    assert [m.verdict for m in load_feedback(path).marks] == ["cleared", "cleared"]


def test_a_verdict_holds_for_reposts_whatever_the_pick_s_age_or_state(tmp_path: Path) -> None:
    """Unlike "already shown", which lets a closed or old pick's job back in on its merits."""
    closed = pick(2, "Data Engineer", closed=dt.date(2026, 6, 1))
    verdicts = _verdicts(tmp_path, mark(2, "dismissed", dt.date(2026, 5, 1)), picks=(closed,))
    repost = job(42, "Data Engineer", url="https://other.example/reposted")
    assert verdicts.rule_out(repost) == "dismissed"


def test_a_mark_whose_page_is_gone_still_keeps_the_job_and_reposts_out(tmp_path: Path) -> None:
    gone = mark(5, title="Data Engineer", company="Acme")
    verdicts = _verdicts(tmp_path, gone)
    assert verdicts.unknown == (gone.id,)
    assert verdicts.rule_out(job(50, "Data Engineer")) == "dismissed"


def test_not_for_me_for_the_company_holds_until_a_later_liked_mark(tmp_path: Path) -> None:
    judged = (pick(1, company="Globex Inc."), pick(2, "Platform Engineer", company="Globex"))
    out = mark(1, reason="company")
    verdicts = _verdicts(tmp_path, out, picks=judged)
    assert verdicts.rule_out(job(60, "Designer", company="GLOBEX")) == "company"
    liked_before = mark(2, "liked", DAY - dt.timedelta(days=1))
    assert _verdicts(tmp_path, out, liked_before, picks=judged).rule_out(job(60, company="Globex"))
    liked_after = mark(2, "liked", DAY + dt.timedelta(days=1))
    verdicts = _verdicts(tmp_path, out, liked_after, picks=judged)
    assert verdicts.rule_out(job(60, "Designer", company="Globex")) == ""


def test_load_verdicts_reads_no_page_without_verdicts(tmp_path: Path) -> None:
    picks_dir = tmp_path / "picks"
    (picks_dir / "2026").mkdir(parents=True)
    (picks_dir / "2026" / "2026-11-28.md").write_text("broken")
    assert load_verdicts(tmp_path / "feedback.yml", picks_dir, 90).examples == ()


def test_the_prompt_section_is_newest_first_and_capped() -> None:
    marks = tuple(
        mark(
            n,
            "dismissed",
            DAY + dt.timedelta(days=n),
            reason="skills",
            note=f"note {n}",
            title=f"Role {n}",
            company="Acme",
        )
        for n in range(1, 40)
    )
    section = prompt_section(Feedback(marks), token_budget=200)
    lines = section.splitlines()
    assert lines[0].startswith("What the reader said")
    assert lines[1] == '- Not for me (reason: skills): Role 39 at Acme - "note 39" (2027-01-06)'
    assert lines[-1].endswith("older verdicts left out.)")
    assert len(section) / 4 <= 200
    applied = mark(1, "applied", status="interviewing", title="Role", company="Acme")
    assert "Applied: Role at Acme, now interviewing" in prompt_section(Feedback((applied,)), 500)
    assert prompt_section(Feedback(), 500) == "" and prompt_section(Feedback(marks), 10) == ""
    words = prompt_section(Feedback(marks), 200, count_tokens=lambda text: len(text.split()))
    assert len(words.split()) <= 200 and len(words) > len(section)


def test_the_command_records_a_verdict_and_refuses_what_it_cannot_use(tmp_path: Path) -> None:
    from click.testing import CliRunner
    from conftest import SAMPLE_SOURCES, write_config

    from generator.cli import cli

    config = str(write_config(tmp_path, SAMPLE_SOURCES))
    write_day(tmp_path / "docs" / "picks", DAY, pick(1))
    runner = CliRunner()

    def feedback(*args: str) -> tuple[int, str]:
        done = runner.invoke(cli, ["feedback", *args, "--config", config])
        return done.exit_code, done.output

    code, out = feedback("dismissed", "url:nope")
    assert code == 1 and "url:nope: no pick on any day page" in out
    assert feedback("applied", pick(1).id, "--reason", "pay")[0] == 2
    assert "--reason goes with dismissed" in feedback("applied", pick(1).id, "--reason", "pay")[1]
    assert "--status goes with applied" in feedback("liked", pick(1).id, "--status", "offer")[1]
    assert "give a VERDICT" in feedback()[1]
    assert "takes no VERDICT" in feedback("liked", pick(1).id, "--from-github")[1]
    assert not (tmp_path / "feedback.yml").exists()
    code, out = feedback("applied", pick(1).url, "--status", "interviewing", "--date", "2026-11-29")
    assert code == 0 and "Recorded 1 verdict" in out and "applied Backend Engineer at Acme" in out
    (only,) = load_feedback(tmp_path / "feedback.yml").marks
    assert (only.status, only.date) == ("interviewing", dt.date(2026, 11, 29))


def test_the_command_refuses_a_later_date_than_today_and_names_a_later_mark(
    tmp_path: Path,
) -> None:
    """Today is the configured time zone's, as `jobpicks run` decides it (the tests' today
    is conftest.TODAY, 2026-11-30). A mark dated later, edited in by hand, still wins; a
    newer command says its mark takes no effect rather than "already holds these"."""
    from click.testing import CliRunner
    from conftest import SAMPLE_SOURCES, TODAY, write_config

    from generator.cli import cli

    config = str(write_config(tmp_path, SAMPLE_SOURCES))
    write_day(tmp_path / "docs" / "picks", DAY, pick(1))
    runner = CliRunner()
    done = runner.invoke(
        cli, ["feedback", "applied", pick(1).id, "--date", "2027-01-01", "--config", config]
    )
    assert done.exit_code == 1
    assert "--date 2027-01-01 is after today (2026-11-30 in the configured `timezone`)" in (
        done.output
    )
    assert not (tmp_path / "feedback.yml").exists()
    save_feedback(tmp_path / "feedback.yml", Feedback((mark(1, "applied", dt.date(2027, 1, 1)),)))
    before = (tmp_path / "feedback.yml").read_text()
    done = runner.invoke(cli, ["feedback", "saved", pick(1).id, "--config", config])
    assert done.exit_code == 0
    assert " ".join(done.output.split()) == (
        f"saved Backend Engineer at Acme ({TODAY.isoformat()}) does not take effect: "
        f"{tmp_path / 'feedback.yml'} holds a later mark for it, applied on 2027-01-01; "
        "nothing written"
    )
    assert (tmp_path / "feedback.yml").read_text() == before


def test_the_sample_config_keeps_verdicts_at_the_project_root() -> None:
    from conftest import ROOT

    from generator.config import load_config

    config = load_config(ROOT / "samples" / "jobpicks.yml")
    assert config.feedback.resolve() == (ROOT / "feedback.yml").resolve()
