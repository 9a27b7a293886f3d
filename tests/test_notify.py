"""`jobpicks notify` through Apprise, against real servers on 127.0.0.1: an HTTP receiver for
`json://` and an SMTP server (aiosmtpd) for `mailto://`. What each received is asserted, the
failure message included, and no output or file ever holds a target's token."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import json
import shutil
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from click.testing import CliRunner, Result
from conftest import ROOT, SAMPLE_SOURCES, SAMPLES, TODAY, write_config
from local_server import LocalServer, QuietHandler

from generator import notify, pages
from generator.cli import cli
from generator.config import Config, load_config
from generator.models import DayPage, Pick

DAY = TODAY
SITE = "https://owner.github.io/jobpicks/"
TOKEN = "tk-7f3a9c1e5b2d"
"""The secret part of every json:// target below: it must show up nowhere but the receiver."""


@dataclass
class Receiver:
    """An HTTP endpoint Apprise's json:// posts to; a path under /broken answers 500."""

    posts: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    server: LocalServer | None = None

    @property
    def port(self) -> int:
        assert self.server is not None
        return int(self.server.httpd.server_address[1])

    def url(self, path: str = "hook", **query: str) -> str:
        tail = "&".join(f"{k}={v}" for k, v in query.items())
        return f"json://127.0.0.1:{self.port}/{path}/{TOKEN}" + (f"?{tail}" if tail else "")

    def messages(self) -> list[dict[str, Any]]:
        return [body for _, body in self.posts]


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    got = Receiver()

    class Handler(QuietHandler):
        def do_POST(self) -> None:
            size = int(self.headers.get("Content-Length", 0))
            body = json.loads(self.rfile.read(size) or b"{}")
            got.posts.append((self.path, body))
            status = 500 if self.path.startswith("/broken") else 200
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

    got.server = LocalServer(Handler)
    got.server.start()
    yield got
    got.server.stop()


@dataclass
class Mailbox:
    port: int
    mails: list[EmailMessage] = field(default_factory=list)

    def url(self) -> str:
        return (
            f"mailto://127.0.0.1:{self.port}?from=jobpicks@example.org&to=owner@example.org"
            "&mode=insecure"
        )


@pytest.fixture
def mailbox() -> Iterator[Mailbox]:
    with socket.socket() as probe:  # aiosmtpd needs a port it is told
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    box = Mailbox(port)
    lock = threading.Lock()

    class Handler:
        async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
            message = email.message_from_bytes(envelope.content, policy=email.policy.default)
            with lock:
                box.mails.append(message)  # type: ignore[arg-type]
            return "250 OK"

    controller = Controller(Handler(), hostname="127.0.0.1", port=port)
    controller.start()
    yield box
    controller.stop()


def _body(mail: EmailMessage, kind: str) -> str:
    part = mail.get_body(preferencelist=(kind,))
    assert part is not None, f"no {kind} part"
    return str(part.get_content())


def _project(tmp_path: Path, **extra: object) -> Path:
    config_path = write_config(tmp_path, SAMPLE_SOURCES, site={"url": SITE}, **extra)
    done = _jp({}, "run", "--config", str(config_path), "--date", DAY.isoformat())
    assert done.exit_code == 0, done.output
    return config_path


def _jp(env: dict[str, str], *args: str) -> Result:
    return CliRunner().invoke(cli, list(args), env=env, catch_exceptions=False)


def _day(config_path: Path, date: dt.date = DAY) -> DayPage:
    return pages.read(pages.page_path(load_config(config_path).picks_dir, date))


# -- the day's message ---------------------------------------------------------------------------


def test_the_days_best_picks_reach_an_http_receiver_and_a_mailbox_once(
    tmp_path: Path, receiver: Receiver, mailbox: Mailbox
) -> None:
    config_path = _project(tmp_path)
    day = _day(config_path)
    best = [p for p in day.picks if p.score >= 80][:5]
    assert len(best) == 5
    env = {"JOBPICKS_NOTIFY": f"{receiver.url()}, {mailbox.url()}"}

    done = _jp(env, "notify", "--config", str(config_path), "--date", "2026-11-30")
    assert done.exit_code == 0, done.output
    assert done.stdout.strip() == "Sent the message of 2026-11-30 to 2 targets"

    [(path, posted)] = receiver.posts
    assert path == f"/hook/{TOKEN}"
    assert posted["type"] == "info"
    assert posted["title"] == "Job Picks: 20 strong picks on 2026-11-30"
    text = posted["message"]  # JSON's first format is plain text
    assert text.startswith("20 picks on 2026-11-30; the best 5 of 20 score 80 or more:")
    for pick in best:
        assert f"{pick.score}  {pick.title}" in text
        assert f"    {pick.company} · {pick.location}" in text
        assert pick.url.split("?")[0] in text
    assert "Remote" in text or "Hybrid" in text or "a year" in text  # the facts labels
    assert f"All 20 picks of 2026-11-30: {SITE}picks/2026/2026-11-30/" in text
    assert "<" not in text and "**" not in text

    [mail] = mailbox.mails
    assert mail["Subject"] == posted["title"]
    assert mail["To"] == "owner@example.org"
    html = _body(mail, "html")  # e-mail takes HTML
    assert f'<a href="{SITE}picks/2026/2026-11-30/">All 20 picks of 2026-11-30</a>' in html
    assert f"<li><b>{best[0].score}</b> <a href=" in html
    assert _day(config_path).notified is not None

    again = _jp(env, "notify", "--config", str(config_path), "--date", "2026-11-30")
    assert again.exit_code == 0, again.output
    assert "was already sent at 2026-" in again.stdout and "nothing sent again" in again.stdout
    assert len(receiver.posts) == 1 and len(mailbox.mails) == 1

    # `run --force` recomputes the day and keeps the record: still nothing twice.
    forced = _jp({}, "run", "--force", "--config", str(config_path), "--date", "2026-11-30")
    assert forced.exit_code == 0, forced.output
    assert _day(config_path).notified == _day(config_path).notified is not None
    _jp(env, "notify", "--config", str(config_path), "--date", "2026-11-30")
    assert len(receiver.posts) == 1


def test_a_service_that_takes_markdown_gets_markdown(tmp_path: Path, receiver: Receiver) -> None:
    config_path = _project(tmp_path, notify={"max_picks": 2})
    env = {"JOBPICKS_NOTIFY": receiver.url(format="markdown")}
    done = _jp(env, "notify", "--config", str(config_path))
    assert done.exit_code == 0, done.output
    message = receiver.messages()[0]["message"]
    lines = message.splitlines()
    best = _day(config_path).picks[0]
    assert lines[2].startswith(f"- **{best.score}** [{best.title}](https://")
    assert lines[-1] == f"[All 20 picks of 2026-11-30]({SITE}picks/2026/2026-11-30/)"
    assert sum(1 for line in lines if line.startswith("- **")) == 2


def test_a_quiet_day_sends_nothing_unless_asked_to(tmp_path: Path, receiver: Receiver) -> None:
    config_path = _project(tmp_path, notify={"min_score": 99})
    env = {"JOBPICKS_NOTIFY": receiver.url()}
    done = _jp(env, "notify", "--config", str(config_path))
    assert done.exit_code == 0, done.output
    assert done.stdout.startswith("A quiet day: no pick at 99 or more (best score 95)")
    assert receiver.posts == [] and _day(config_path).notified is None

    write_config(
        tmp_path, SAMPLE_SOURCES, site={"url": SITE}, notify={"min_score": 99, "quiet_days": False}
    )
    done = _jp(env, "notify", "--config", str(config_path))
    assert done.exit_code == 0, done.output
    [posted] = receiver.messages()
    assert posted["title"] == "Job Picks: a quiet day, 2026-11-30"
    assert posted["message"].startswith(
        "A quiet day: 20 picks on 2026-11-30, none at 99 or more (best score 95)."
    )


def test_a_source_failing_three_days_running_reaches_the_owner_on_a_quiet_day(
    tmp_path: Path, receiver: Receiver, mailbox: Mailbox
) -> None:
    """Three real runs with one source gone, then notify on a day with nothing strong: the
    health section is a message of its own."""
    gone = f"http://127.0.0.1:{receiver.port}/no-such-feed.xml"  # answers 501 to a GET
    sources = [*SAMPLE_SOURCES[:1], {"type": "rss", "name": "Gone", "url": gone}]
    config_path = write_config(tmp_path, sources, site={"url": SITE}, notify={"min_score": 99})
    for date in ("2026-11-28", "2026-11-29", "2026-11-30"):
        done = _jp({}, "run", "--config", str(config_path), "--date", date)
        assert done.exit_code == 0, done.output
    env = {"JOBPICKS_NOTIFY": f"{receiver.url()} {mailbox.url()}"}
    done = _jp(env, "notify", "--config", str(config_path))
    assert done.exit_code == 0, done.output
    [posted] = receiver.messages()
    assert posted["type"] == "warning"
    assert posted["title"] == "Job Picks: a quiet day, 2026-11-30 (1 problem)"
    message = posted["message"]
    assert (
        "\n\nNeeds your attention:\n- source feed Gone has failed on each of the last 3 " in message
    )
    assert "since 2026-11-28: HTTP 501" in message
    html = _body(mailbox.mails[0], "html")
    assert "<p><b>Needs your attention:</b></p><ul><li>source feed Gone has failed" in html


def test_the_sample_guard_and_a_model_given_up_are_in_the_message(
    tmp_path: Path, receiver: Receiver
) -> None:
    config_path = _project(tmp_path, allow_samples=False)
    config = load_config(config_path)
    day = _day(config_path)
    pages.write(day.model_copy(update={"fallback": "connection refused"}), config.picks_dir)
    done = _jp({"JOBPICKS_NOTIFY": receiver.url()}, "notify", "--config", str(config_path))
    assert done.exit_code == 0, done.output
    message = receiver.messages()[0]["message"]
    attention = message.split("Needs your attention:\n")[1].splitlines()
    assert len(attention) == 3
    assert "are the bundled sample feeds of invented jobs" in attention[0]
    assert "the profile is the bundled sample (Sample Candidate)" in attention[1]
    assert attention[2].endswith("scored by the local scorer: connection refused")


# -- a failed workflow ---------------------------------------------------------------------------


def test_a_failed_workflow_names_its_step_and_links_the_run(
    tmp_path: Path, receiver: Receiver, mailbox: Mailbox
) -> None:
    workflows = tmp_path / ".github" / "workflows"
    workflows.mkdir(parents=True)
    shutil.copy(ROOT / ".github" / "workflows" / "daily.yml", workflows / "daily.yml")
    steps = {"install": {"outcome": "success"}, "run": {"outcome": "failure"}}
    env = {
        "JOBPICKS_NOTIFY": f"{receiver.url()},{mailbox.url()}",
        "GITHUB_SERVER_URL": "https://github.com",
        "GITHUB_REPOSITORY": "owner/jobpicks",
        "GITHUB_RUN_ID": "4242",
        "GITHUB_WORKFLOW_REF": "owner/jobpicks/.github/workflows/daily.yml@refs/heads/main",
    }
    # No config at all: a broken or missing one is a failure worth reporting too.
    done = _jp(
        env, "notify", "--failure", "--date", "2026-11-30", "--steps-json", json.dumps(steps)
    )
    assert done.exit_code == 0, done.output
    assert done.stdout.strip() == "Sent the failure message to 2 targets"
    [posted] = receiver.messages()
    assert posted["type"] == "failure"
    assert posted["title"] == "jobpicks: the daily run failed at the step “Write the day's picks”"
    assert posted["message"] == (
        "The daily run of 2026-11-30 failed at the step “Write the day's picks”; the site was "
        "not updated.\n\nThe run's log: https://github.com/owner/jobpicks/actions/runs/4242"
    )
    [mail] = mailbox.mails
    assert mail["Subject"] == posted["title"]
    assert 'href="https://github.com/owner/jobpicks/actions/runs/4242"' in _body(mail, "html")


def test_the_failed_step_is_found_by_id_and_named_from_the_workflow(tmp_path: Path) -> None:
    failed = json.dumps({"build": {"outcome": "failure", "conclusion": "failure"}})
    ref = {"GITHUB_WORKFLOW_REF": "o/r/.github/workflows/daily.yml@refs/heads/main"}
    assert notify.failed_step(failed, ref, ROOT) == "Build the site"
    assert notify.failed_step(failed, {}, ROOT) == "build"
    assert notify.failed_step('{"run": {"outcome": "success"}}', ref, ROOT) == ""
    assert notify.failed_step("not json", ref, ROOT) == ""
    message = notify.failure_message("", "", DAY)
    assert message.text() == "The daily run of 2026-11-30 failed; the site was not updated."


# -- targets, formats and secrets ----------------------------------------------------------------


def test_targets_split_on_spaces_and_commas_between_urls_only() -> None:
    env = {
        "JOBPICKS_NOTIFY": " ntfy://topic-one,  mailto://u:pw@example.org?to=a@x.org,b@x.org "
        "tgram://123456:ABCDEFsecret/987 ,"
    }
    assert notify.targets_from(env) == [
        "ntfy://topic-one",
        "mailto://u:pw@example.org?to=a@x.org,b@x.org",
        "tgram://123456:ABCDEFsecret/987",
    ]
    assert notify.targets_from({}) == [] and notify.targets_from({"JOBPICKS_NOTIFY": " "}) == []
    secrets = notify.secrets_of(notify.targets_from(env))
    assert {"topic-one", "123456:ABCDEFsecret", "ABCDEFsecret"} <= set(secrets)


def test_each_format_escapes_feed_text_its_own_way() -> None:
    pick = Pick(
        id="x",
        title="Engineer <script>*bold*</script> [x](y)",
        company="A & B",
        url="javascript:alert(1)",
        score=90,
    )
    message = notify.Message(
        title="t", intro="intro", picks=(notify.PickLine.of(pick),), health=("<b>h</b>",)
    )
    assert "<script>" not in message.html() and "&lt;script&gt;" in message.html()
    assert "href" not in message.html()  # no link for a URL that is not http(s)
    assert r"\*bold\*" in message.markdown() and r"\[x\]\(y\)" in message.markdown()
    assert "90  Engineer <script>*bold*</script> [x](y)" in message.text()
    assert "javascript" not in message.text() + message.markdown() + message.html()


def test_no_targets_is_said_and_sends_nothing(tmp_path: Path) -> None:
    config_path = _project(tmp_path)
    done = _jp({}, "notify", "--config", str(config_path))
    assert done.exit_code == 0
    assert done.stdout.startswith("JOBPICKS_NOTIFY is not set: nothing sent")
    assert _day(config_path).notified is None


def test_a_missing_page_is_an_error_naming_it(tmp_path: Path, receiver: Receiver) -> None:
    config_path = write_config(tmp_path, SAMPLE_SOURCES, site={"url": SITE})
    done = _jp({"JOBPICKS_NOTIFY": receiver.url()}, "notify", "--config", str(config_path))
    assert done.exit_code == 1
    assert "2026-11-30.md: no page for 2026-11-30: run `jobpicks run` first" in done.stderr
    assert receiver.posts == []


def test_a_refusing_target_fails_the_command_after_the_others_got_it(
    tmp_path: Path, receiver: Receiver, mailbox: Mailbox
) -> None:
    config_path = _project(tmp_path)
    env = {"JOBPICKS_NOTIFY": f"{receiver.url('broken')} bogus://{TOKEN}@nowhere {mailbox.url()}"}
    done = _jp(env, "notify", "--config", str(config_path))
    assert done.exit_code == 1
    assert done.stderr.startswith("Error: could not notify target 1 (JSON): ")
    assert "target 2 (bogus://...): not a URL Apprise knows" in done.stderr
    assert TOKEN not in done.output
    assert len(mailbox.mails) == 1 and len(receiver.posts) == 1
    assert _day(config_path).notified is not None  # the mailbox is not sent it twice


def test_no_file_or_output_ever_holds_a_targets_token(
    tmp_path: Path, receiver: Receiver, mailbox: Mailbox
) -> None:
    """The whole day with a token in the targets, a refusing one among them, then a build and
    a failure: the token is in no output, no page, no site file and no cache."""
    env = {"JOBPICKS_NOTIFY": f"{receiver.url()} {receiver.url('broken')} {mailbox.url()}"}
    config_path = write_config(tmp_path, SAMPLE_SOURCES, site={"url": SITE})
    shutil.copy(ROOT / "mkdocs.yml", tmp_path / "mkdocs.yml")
    shutil.copytree(ROOT / "generator" / "theme", tmp_path / "generator" / "theme")
    outputs = []
    for args in (
        ["run"],
        ["-v", "notify"],
        ["notify"],
        ["build"],
        ["--debug", "notify", "--failure", "--step", "Publish to gh-pages"],
    ):
        done = CliRunner().invoke(
            cli, [*args, "--config", str(config_path)], env={**env, "JOBPICKS_DEBUG": "1"}
        )
        outputs.append(done.output)
    assert "could not notify target 2 (JSON)" in outputs[1]
    assert "already sent" in outputs[2]
    assert "Sent" not in outputs[4] and "target 2 (JSON)" in outputs[4]
    assert len(mailbox.mails) == 2 and len(receiver.posts) == 4
    assert all(TOKEN not in output for output in outputs)
    holding = [
        path
        for path in tmp_path.rglob("*")
        if path.is_file() and TOKEN.encode() in path.read_bytes()
    ]
    assert holding == []
    assert (tmp_path / "site" / "index.html").is_file()
    assert SAMPLES.is_dir()


def test_the_link_to_a_thin_day_does_not_say_all_of_one_pick() -> None:
    config = Config.model_validate(
        {"profile": "profile.md", "sources": [{"type": "feed", "url": "f.xml"}]}
    )
    one = DayPage(
        date=dt.date(2026, 12, 3),
        picks=(Pick(id="p", title="Engineer", company="Acme", url="https://a.example/", score=95),),
    )
    url = "https://x.example/picks/2026/2026-12-03/"
    message = notify.day_message(one, config, findings=(), page_url=url)
    assert message is not None and message.link == ("The page of 2026-12-03", url)
