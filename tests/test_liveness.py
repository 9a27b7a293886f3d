"""`jobpicks check` against real HTTP servers on 127.0.0.1, one per "host" (its own port)."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from conftest import ROOT, SAMPLE_SOURCES, write_config
from git_project import commits, git, make_repo
from local_server import LocalServer, QuietHandler

from generator import pages
from generator.check.classify import classify
from generator.check.polite import retry_after_seconds
from generator.check.run import CheckResult, check_picks
from generator.cli import cli
from generator.config import USER_AGENT, Config, FilterConfig, load_config
from generator.errors import ConfigError
from generator.filters import apply_filters
from generator.models import DayPage, Job, Pick

TODAY = dt.date(2026, 11, 23)
YESTERDAY = TODAY - dt.timedelta(days=1)
TITLE = "Backend Engineer"


@dataclass
class Reply:
    status: int = 200
    body: str = ""
    headers: dict[str, str] = field(default_factory=dict)
    stall: bool = False
    """Hold the reply until the test ends: only the client's deadline can end the wait."""


def posting(title: str = TITLE, extra: str = "") -> str:
    return (
        f"<html><head><title>{title} - Acme</title></head><body><h1>{title}</h1>"
        f"<p>Build our APIs in Python.</p>{extra}<a href='#apply'>Apply</a></body></html>"
    )


class Host:
    """A web host: scripted replies per path (the last one repeats), every request recorded
    with its headers and time, and the most requests it ever had in flight at once."""

    def __init__(self) -> None:
        self.script: dict[str, list[Reply]] = {}
        self.default: Reply | None = None
        self.requests: list[tuple[str, dict[str, str], float]] = []
        self.release = threading.Event()
        self.pairs: threading.Barrier | None = None
        """When set, each request waits for a partner: requests meet only if they overlap."""
        self.in_flight = 0
        self.max_in_flight = 0
        lock = threading.Lock()
        host = self

        class Handler(QuietHandler):
            def do_GET(self) -> None:
                with lock:
                    host.requests.append((self.path, dict(self.headers.items()), time.monotonic()))
                    host.in_flight += 1
                    host.max_in_flight = max(host.max_in_flight, host.in_flight)
                    replies = host.script.get(self.path)
                    if replies:
                        reply = replies.pop(0) if len(replies) > 1 else replies[0]
                    else:
                        reply = host.default or Reply(404, "not found")
                if host.pairs is not None and self.path != "/robots.txt":
                    with contextlib.suppress(threading.BrokenBarrierError):
                        host.pairs.wait(timeout=10)
                if reply.stall:
                    host.release.wait(timeout=30)
                with lock:
                    host.in_flight -= 1  # before replying: the client may ask again at once
                if reply.stall:
                    return
                body = reply.body.encode("utf-8")
                try:
                    self.send_response(reply.status)
                    for key, value in reply.headers.items():
                        self.send_header(key, value)
                    self.send_header("Content-Type", "text/html; charset=utf-8")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass

        self.server = LocalServer(Handler)

    @property
    def base(self) -> str:
        return self.server.origin

    def add(self, path: str, *replies: Reply) -> str:
        self.script[path] = list(replies)
        return self.base + path

    def paths(self) -> list[str]:
        """The paths asked for, robots.txt aside."""
        return [path for path, _, _ in self.requests if path != "/robots.txt"]


@pytest.fixture
def hosts() -> Iterator[Any]:
    started: list[Host] = []

    def make() -> Host:
        host = Host()
        host.server.start()
        started.append(host)
        return host

    try:
        yield make
    finally:
        for host in started:
            host.release.set()
            if host.pairs is not None:
                host.pairs.abort()
            host.server.stop()


def pick(pick_id: str, url: str, *, title: str = TITLE, source: str = "feed", **kw: Any) -> Pick:
    return Pick(id=pick_id, title=title, company="Acme", url=url, score=80, source=source, **kw)


def project(
    tmp_path: Path, sources: list[dict[str, object]] | None = None, **liveness: Any
) -> Config:
    # The hosts are 127.0.0.1: internal addresses, which the checker refuses unless told.
    path = write_config(
        tmp_path, sources or SAMPLE_SOURCES, liveness={"allow_private": True, **liveness}
    )
    return load_config(path)


def write_days(config: Config, days: dict[dt.date, list[Pick]]) -> None:
    for date, picks in days.items():
        pages.write(DayPage(date=date, picks=tuple(picks), scorer="local"), config.picks_dir)


def closed_dates(config: Config) -> dict[str, dt.date | None]:
    return {p.id: p.closed for day in pages.read_all(config.picks_dir) for p in day.picks}


def test_each_kind_of_answer_decides_its_pick(tmp_path: Path, hosts: Any) -> None:
    host, linkedin = hosts(), hosts()  # a 999 makes the client leave its host alone
    cases = {
        "open": (host.add("/acme/jobs/1", Reply(body=posting())), None),
        "gone": (host.add("/acme/jobs/2", Reply(404, "Not Found")), TODAY),
        "removed": (host.add("/acme/jobs/3", Reply(410, "Gone")), TODAY),
        "to-listing": (
            host.add("/acme/jobs/4", Reply(302, headers={"Location": "/acme"})),
            TODAY,
        ),
        "to-error": (
            host.add("/acme/jobs/5", Reply(301, headers={"Location": "/acme?error=true"})),
            TODAY,
        ),
        "says-closed": (
            host.add(
                "/acme/jobs/6",
                Reply(body=posting(extra="<p>No longer accepting applications</p>")),
            ),
            TODAY,
        ),
        "until-filled": (
            host.add(
                "/acme/jobs/7",
                Reply(
                    body=posting(
                        extra="<p>We accept applications until the position has been filled.</p>"
                    )
                ),
            ),
            None,
        ),
        "moved": (
            host.add("/old/jobs/8", Reply(301, headers={"Location": "/new/jobs/8"})),
            None,
        ),
        "linkedin-999": (linkedin.add("/jobs/view/9", Reply(999, "")), None),
        "forbidden": (host.add("/acme/jobs/10", Reply(403, "Forbidden")), None),
        "server-error": (host.add("/acme/jobs/11", Reply(500, "Oops")), None),
        "empty-shell": (host.add("/acme/jobs/12", Reply(body="<div id='app'></div>")), None),
    }
    host.add("/acme", Reply(body="<h1>Open roles at Acme</h1>"))
    host.add("/acme?error=true", Reply(body="<h1>Open roles at Acme</h1>"))
    host.add("/new/jobs/8", Reply(body=posting()))
    config = project(tmp_path)
    write_days(config, {YESTERDAY: [pick(name, url) for name, (url, _) in cases.items()]})

    result = check_picks(config, today=TODAY)

    assert closed_dates(config) == {name: closed for name, (_, closed) in cases.items()}
    status = {name: v.status for name, v in result.verdicts.items()}
    assert status["open"] == status["until-filled"] == status["moved"] == "open"
    unknown = ["linkedin-999", "forbidden", "server-error", "empty-shell"]
    assert [name for name in unknown if status[name] == "unknown"] == unknown
    assert result.verdicts["to-listing"].reason.startswith("redirected to the listing")
    assert {headers["User-Agent"] for _, headers, _ in host.requests} == {USER_AGENT}
    assert result.summary().startswith(
        "Checked 12 picks of the 30 days before 2026-11-23: 3 open, 5 closed (new), 4 unknown; "
        "skipped 0 by the request cap, 0 by the deadline; 0 closed earlier; 17 requests in "
    )  # 15 pages and redirects, and each host's robots.txt once
    assert result.summary().endswith("s; 1 page updated")


@pytest.mark.parametrize(
    ("url", "status", "final", "page", "expected"),
    [
        # Greenhouse sends a closed job to its board with ?error=true.
        (
            "https://job-boards.greenhouse.io/acme/jobs/123",
            200,
            "https://job-boards.greenhouse.io/acme?error=true",
            "<h1>Current openings at Acme</h1>",
            "closed",
        ),
        (
            "https://boards.greenhouse.io/acme/jobs/123",
            200,
            "https://boards.greenhouse.io/acme/jobs/123",
            "<p>The job you are looking for is no longer open.</p>",
            "closed",
        ),
        (
            "https://jobs.lever.co/acme/0b6c",
            200,
            "https://jobs.lever.co/acme/0b6c",
            "<h2>Sorry, we couldn\u2019t find anything here</h2>"
            "<p>The job posting you\u2019re looking for might have closed.</p>",
            "closed",
        ),
        (
            "https://jobs.ashbyhq.com/acme/7d1e",
            200,
            "https://jobs.ashbyhq.com/acme/7d1e",
            "<h1>Job not found</h1>",
            "closed",
        ),
        (
            "https://acme.wd5.myworkdayjobs.com/en-US/External/job/Berlin/Engineer_R1",
            200,
            "https://acme.wd5.myworkdayjobs.com/en-US/External/job/Berlin/Engineer_R1",
            "<p>The page you are looking for doesn't exist.</p>",
            "closed",
        ),
        (
            "https://www.linkedin.com/jobs/view/4312345678",
            200,
            "https://www.linkedin.com/jobs/view/4312345678",
            f"<h1>{TITLE}</h1><figcaption>No longer accepting applications</figcaption>",
            "closed",
        ),
        # LinkedIn sends guests to its search or login whether or not the job is open.
        (
            "https://www.linkedin.com/jobs/view/4312345678",
            200,
            "https://www.linkedin.com/jobs/search?keywords=engineer",
            "<h1>Jobs you may be interested in</h1>",
            "unknown",
        ),
        (
            "https://www.linkedin.com/jobs/view/4312345678",
            999,
            "https://www.linkedin.com/jobs/view/4312345678",
            "",
            "unknown",
        ),
        (
            "https://www.indeed.com/viewjob?jk=abc123",
            200,
            "https://www.indeed.com/viewjob?jk=abc123",
            "<h1>This job has expired on Indeed</h1>",
            "closed",
        ),
        (
            "https://www.indeed.com/viewjob?jk=abc123",
            200,
            "https://www.indeed.com/jobs?q=backend",
            f"<h1>{TITLE}</h1>",
            "open",
        ),
        # Never closed on ambiguity: bot walls, prose about closing, a homepage redirect.
        (
            "https://careers.acme.com/jobs/42",
            200,
            "https://careers.acme.com/jobs/42",
            "<title>Just a moment...</title><p>Checking your browser before accessing</p>",
            "unknown",
        ),
        (
            "https://careers.acme.com/jobs/42",
            200,
            "https://careers.acme.com/jobs/42",
            f"<h1>{TITLE}</h1><p>This role is closed-loop control of our robots.</p>",
            "open",
        ),
        (
            "https://careers.acme.com/jobs/42",
            200,
            "https://careers.acme.com/",
            "<h1>Welcome to Acme</h1>",
            "unknown",
        ),
        (
            "https://careers.acme.com/jobs/42",
            200,
            "https://careers.acme.com/jobs",
            "<h1>All jobs</h1>",
            "closed",
        ),
        (
            "https://careers.acme.com/jobs/42",
            200,
            "https://careers.acme.com/jobs/42",
            f"<h1>{TITLE}</h1><p>This job is no longer available.</p>",
            "closed",
        ),
    ],
)
def test_site_rules(url: str, status: int, final: str, page: str, expected: str) -> None:
    assert classify(url, status, final, page, TITLE).status == expected


def test_a_link_the_client_normalises_is_no_redirect(tmp_path: Path, hosts: Any) -> None:
    host = hosts()
    host.add("/jobs/%C3%BC", Reply(body=posting()))  # the client asks for /jobs/ü encoded
    config = project(tmp_path)
    write_days(config, {YESTERDAY: [pick("p", f"{host.base}/jobs/ü")]})

    result = check_picks(config, today=TODAY)

    assert result.verdicts["p"].status == "open"


def test_at_most_per_host_requests_at_once(tmp_path: Path, hosts: Any) -> None:
    busy, other = hosts(), hosts()
    busy.pairs = threading.Barrier(2)
    busy.default = other.default = Reply(body=posting())
    picks = [pick(f"b{i}", f"{busy.base}/jobs/{i}") for i in range(6)]
    picks += [pick(f"o{i}", f"{other.base}/jobs/{i}") for i in range(3)]
    config = project(tmp_path, per_host=2)
    write_days(config, {YESTERDAY: picks})

    result = check_picks(config, today=TODAY)

    assert result.counts()["open"] == 9
    assert busy.max_in_flight == 2 and len(busy.paths()) == 6
    assert other.max_in_flight <= 2


def test_a_429_storm_closes_nothing_and_stops_asking(tmp_path: Path, hosts: Any) -> None:
    storm, calm = hosts(), hosts()
    storm.default = Reply(429, "slow down", {"Retry-After": "3600"})
    storm.add("/robots.txt", Reply(404))
    calm.default = Reply(body=posting())
    picks = [pick(f"s{i}", f"{storm.base}/jobs/{i}") for i in range(8)]
    picks += [pick(f"c{i}", f"{calm.base}/jobs/{i}") for i in range(2)]
    config = project(tmp_path, deadline=30)
    write_days(config, {YESTERDAY: picks})

    result = check_picks(config, today=TODAY)

    assert all(closed is None for closed in closed_dates(config).values())
    assert [result.verdicts[f"s{i}"].status for i in range(8)] == ["unknown"] * 8
    assert [result.verdicts[f"c{i}"].status for i in range(2)] == ["open"] * 2
    assert len(storm.paths()) <= 2  # what was in flight when the host said stop
    assert "Retry-After 3600 s is past the deadline" in result.verdicts["s7"].reason


def test_retry_after_is_honoured_within_the_deadline(tmp_path: Path, hosts: Any) -> None:
    host = hosts()
    url = host.add("/jobs/1", Reply(429, "slow down", {"Retry-After": "1"}), Reply(body=posting()))
    config = project(tmp_path, deadline=30)
    write_days(config, {YESTERDAY: [pick("p", url)]})

    result = check_picks(config, today=TODAY)

    assert result.verdicts["p"].status == "open"
    first, second = (at for path, _, at in host.requests if path == "/jobs/1")
    assert second - first >= 0.95


def test_a_stalled_host_costs_only_its_own_picks(tmp_path: Path, hosts: Any) -> None:
    stalled, fine = hosts(), hosts()
    stalled.default = Reply(stall=True)
    stalled.add("/robots.txt", Reply(404))
    fine.add("/jobs/1", Reply(body=posting()))
    fine.add("/jobs/2", Reply(404))
    picks = [pick(f"s{i}", f"{stalled.base}/jobs/{i}") for i in range(3)]
    picks += [pick("open", f"{fine.base}/jobs/1"), pick("gone", f"{fine.base}/jobs/2")]
    config = project(tmp_path, deadline=1, per_host=2)
    write_days(config, {YESTERDAY: picks})

    result = check_picks(config, today=TODAY)

    assert closed_dates(config) == {"s0": None, "s1": None, "s2": None, "open": None, "gone": TODAY}
    assert result.counts() == {"open": 1, "closed": 1, "unknown": 2, "skipped_deadline": 1}
    assert "no answer within" in result.verdicts["s0"].reason
    assert result.seconds < 1 + 5  # the deadline, not the server, ended the wait


def test_board_payloads_decide_board_picks_without_visiting_them(
    tmp_path: Path, hosts: Any
) -> None:
    api, web = hosts(), hosts()
    api.add(
        "/gh/acme/jobs",
        Reply(
            body=json.dumps(
                {
                    "jobs": [
                        {"id": 1, "title": TITLE, "application_deadline": None},
                        {"id": 3, "title": TITLE, "application_deadline": "2026-11-20T23:59:00Z"},
                        {"id": 4, "title": TITLE, "application_deadline": "2026-11-23"},
                    ]
                }
            )
        ),
    )
    api.add("/gh/empty/jobs", Reply(body='{"jobs": []}'))
    api.add("/gh/down/jobs", Reply(500, "Internal Server Error"))
    first_page = [{"id": f"l{i}", "text": "x"} for i in range(100)]
    api.add("/lever/beta?mode=json&skip=0&limit=100", Reply(body=json.dumps(first_page)))
    api.add("/lever/beta?mode=json&skip=100&limit=100", Reply(body='[{"id": "aaa", "text": "x"}]'))
    api.add(
        "/ashby/gamma?includeCompensation=false",
        Reply(body='{"jobs": [{"id": "x", "isListed": true}, {"id": "y", "isListed": false}]}'),
    )
    web.default = Reply(body=posting())
    sources: list[dict[str, object]] = [
        {"type": "greenhouse", "boards": ["acme", "empty", "down"], "api_url": f"{api.base}/gh"},
        {"type": "lever", "boards": ["beta"], "api_url": f"{api.base}/lever"},
        {"type": "ashby", "boards": ["gamma"], "api_url": f"{api.base}/ashby"},
    ]
    config = project(tmp_path, sources)
    expected = {
        "greenhouse:1": ("greenhouse acme", None),
        "greenhouse:2": ("greenhouse acme", TODAY),  # dropped from the payload
        "greenhouse:3": ("greenhouse acme", TODAY),  # deadline passed
        "greenhouse:4": ("greenhouse acme", None),  # deadline is today: still open
        "greenhouse:9": ("greenhouse empty", None),  # empty board: checked by its page
        "greenhouse:10": ("greenhouse down", None),  # board failed: checked by its page
        "lever:aaa": ("lever beta", None),  # on the second page
        "lever:bbb": ("lever beta", TODAY),
        "ashby:x": ("ashby gamma", None),
        "ashby:y": ("ashby gamma", TODAY),  # unlisted
    }
    write_days(
        config,
        {
            YESTERDAY: [
                pick(i, f"{web.base}/{i}", source=source) for i, (source, _) in expected.items()
            ]
        },
    )

    result = check_picks(config, today=TODAY)

    assert closed_dates(config) == {i: closed for i, (_, closed) in expected.items()}
    assert "deadline 2026-11-20 has passed" in result.verdicts["greenhouse:3"].reason
    assert sorted(api.paths()) == sorted(
        [
            "/gh/acme/jobs",
            "/gh/empty/jobs",
            "/gh/down/jobs",
            "/lever/beta?mode=json&skip=0&limit=100",
            "/lever/beta?mode=json&skip=100&limit=100",
            "/ashby/gamma?includeCompensation=false",
        ]
    )
    assert sorted(web.paths()) == ["/greenhouse:10", "/greenhouse:9"]


def test_a_lever_board_past_the_page_limit_is_not_used_and_is_warned_about(
    tmp_path: Path, hosts: Any, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """A listing cut short would close every pick on the pages not read: the board's picks
    are checked by their pages instead, and the warning names the board."""
    from generator.sources import boards

    monkeypatch.setattr(boards, "LEVER_MAX_PAGES", 2)
    api, web = hosts(), hosts()
    api.default = Reply(body=json.dumps([{"id": f"l{i}", "text": "x"} for i in range(100)]))
    web.default = Reply(body=posting())
    sources: list[dict[str, object]] = [
        {"type": "lever", "boards": ["huge"], "api_url": f"{api.base}/lever"}
    ]
    config = project(tmp_path, sources)
    write_days(config, {YESTERDAY: [pick("lever:gone", f"{web.base}/gone", source="lever huge")]})
    caplog.set_level("WARNING", logger="generator.sources.boards")

    result = check_picks(config, today=TODAY)

    assert result.verdicts["lever:gone"].status == "open"  # by its page, not the listing
    assert web.paths() == ["/gone"]
    assert api.paths() == [
        "/lever/huge?mode=json&skip=0&limit=100",
        "/lever/huge?mode=json&skip=100&limit=100",
    ]
    assert [r.getMessage() for r in caplog.records if r.levelname == "WARNING"] == [
        "lever board huge: still full after 2 pages of 100 postings; "
        "not used: its picks are checked by their pages"
    ]


def test_a_rerun_rewrites_nothing_and_keeps_first_closed_dates(tmp_path: Path, hosts: Any) -> None:
    host = hosts()
    config = project(tmp_path)
    write_days(
        config,
        {
            YESTERDAY: [
                pick("a", host.add("/a", Reply(404))),
                pick("b", host.add("/b", Reply(body=posting()))),
            ],
            TODAY - dt.timedelta(days=2): [pick("c", host.add("/c", Reply(500)))],
        },
    )
    first = check_picks(config, today=TODAY)
    assert first.counts() == {"closed": 1, "open": 1, "unknown": 1}
    before = {
        p: (p.read_bytes(), p.stat().st_mtime_ns) for p in pages.iter_page_paths(config.picks_dir)
    }

    again = check_picks(config, today=TODAY)  # the same answers on the same day

    after = {
        p: (p.read_bytes(), p.stat().st_mtime_ns) for p in pages.iter_page_paths(config.picks_dir)
    }
    assert after == before and again.written == []
    # What had a clear answer today is not asked again today; the unknown one is.
    assert again.counts() == {"unknown": 1} and again.already_closed == 1

    later = check_picks(config, today=TODAY + dt.timedelta(days=1))
    assert later.counts() == {"open": 1, "unknown": 1} and later.already_closed == 1
    assert host.paths().count("/a") == 1  # a closed pick is not asked about again
    assert closed_dates(config)["a"] == TODAY
    checked = {p.id: p.checked for day in pages.read_all(config.picks_dir) for p in day.picks}
    # The last clear answer: the closed pick's day, the open one's today, none for "c".
    assert checked == {"a": TODAY, "b": TODAY + dt.timedelta(days=1), "c": None}


def test_only_the_recent_days_before_today_are_checked(tmp_path: Path, hosts: Any) -> None:
    host = hosts()
    host.default = Reply(404)
    config = project(tmp_path, days=30, weekly_until=0, monthly_until=0)
    ages = [0, 1, 30, 31]
    write_days(
        config,
        {TODAY - dt.timedelta(days=age): [pick(f"age{age}", f"{host.base}/{age}")] for age in ages},
    )

    check_picks(config, today=TODAY)

    assert closed_dates(config) == {"age31": None, "age30": TODAY, "age1": TODAY, "age0": None}


def test_the_request_cap_checks_the_newest_days_first(tmp_path: Path, hosts: Any) -> None:
    host = hosts()
    host.default = Reply(404)
    config = project(tmp_path, max_requests=3)  # robots.txt, then two pages
    write_days(
        config,
        {
            TODAY - dt.timedelta(days=age): [pick(f"age{age}", f"{host.base}/{age}")]
            for age in range(1, 6)
        },
    )

    result = check_picks(config, today=TODAY)

    assert result.counts() == {"closed": 2, "skipped_cap": 3}
    assert [i for i, closed in closed_dates(config).items() if closed] == ["age2", "age1"]
    assert "skipped 3 by the request cap" in result.summary()


def test_check_command_then_commit_commits_only_real_changes(tmp_path: Path, hosts: Any) -> None:
    host = hosts()
    bare, work = make_repo(tmp_path)
    settings = yaml.safe_load((work / "jobpicks.yml").read_text())
    settings["liveness"] = {"allow_private": True}  # the host is on 127.0.0.1
    (work / "jobpicks.yml").write_text(yaml.safe_dump(settings))
    config = load_config(work / "jobpicks.yml")
    write_days(
        config,
        {
            YESTERDAY: [
                pick("a", host.add("/a", Reply(410))),
                pick("b", host.add("/b", Reply(body=posting()))),
            ]
        },
    )
    git(work, "add", "-A")
    git(work, "commit", "-q", "-m", "A day of picks")
    git(work, "push", "-q", "origin", "main")
    start = commits(bare, "main")

    def jp(*args: str) -> str:
        done = CliRunner().invoke(
            cli, [*args, "--config", str(work / "jobpicks.yml")], catch_exceptions=False
        )
        assert done.exit_code == 0, done.output
        return done.output

    out = jp("-v", "check", "--date", TODAY.isoformat())
    assert "1 open, 1 closed (new), 0 unknown" in out and "1 page updated" in out
    assert f"closed: Acme - {TITLE} <{host.base}/a> (HTTP 410)" in out
    assert jp("commit").startswith("Committed and pushed: Daily picks for 2026-11-22")
    assert len(commits(bare, "main")) == len(start) + 1
    out = jp("check", "--date", TODAY.isoformat())  # again the same day: nothing new
    assert "Checked 0 picks" in out and "1 closed earlier" in out
    assert jp("commit").strip() == "No page changes to commit"
    assert len(commits(bare, "main")) == len(start) + 1
    out = jp("check", "--date", (TODAY + dt.timedelta(days=1)).isoformat())
    assert "0 closed (new)" in out and "1 closed earlier" in out
    assert jp("commit").startswith("Committed and pushed")  # the open pick's `checked`
    assert len(commits(bare, "main")) == len(start) + 2


def test_liveness_settings_are_validated(tmp_path: Path) -> None:
    path = write_config(tmp_path, SAMPLE_SOURCES, liveness={"per_host": 0, "speed": 9})
    with pytest.raises(ConfigError) as error:
        load_config(path)
    assert "liveness.per_host: Input should be greater than or equal to 1" in error.value.message
    assert "liveness.speed: unknown key" in error.value.message
    defaults = project(tmp_path).liveness
    assert (defaults.days, defaults.deadline, defaults.per_host) == (30, 60.0, 2)


def test_postings_past_their_deadline_are_filtered_before_scoring() -> None:
    def job(job_id: str, deadline: dt.date | None) -> Job:
        return Job(job_id, TITLE, "Acme", "", "", "", None, "s", deadline=deadline)

    jobs = [job("past", YESTERDAY), job("today", TODAY), job("none", None)]
    filtered = apply_filters(jobs, FilterConfig(), TODAY)
    assert [j.id for j in filtered.jobs] == ["today", "none"]
    assert filtered.summary() == "past_deadline 1"


def test_a_job_seen_closed_is_never_picked_again(sample_project: Path) -> None:
    runner = CliRunner()
    args = ["--config", str(sample_project)]
    assert runner.invoke(cli, ["run", "--date", "2026-11-22", *args]).exit_code == 0
    config = load_config(sample_project)
    day = pages.read_all(config.picks_dir)[0]
    closed = {p.id for p in day.picks[:3]}
    pages.write(
        day.model_copy(
            update={
                "picks": tuple(
                    p.model_copy(update={"closed": YESTERDAY}) if p.id in closed else p
                    for p in day.picks
                )
            }
        ),
        config.picks_dir,
    )

    assert runner.invoke(cli, ["run", "--date", "2026-11-23", *args]).exit_code == 0
    later = pages.read(pages.page_path(config.picks_dir, TODAY))
    assert later.picks and not closed & {p.id for p in later.picks}


def test_daily_workflow_commits_after_run_and_again_after_check() -> None:
    workflow = yaml.safe_load((ROOT / ".github/workflows/daily.yml").read_text())
    commands = [
        word
        for step in workflow["jobs"]["daily"]["steps"]
        for word in ("run", "check", "commit", "build")
        if f"jobpicks {word}" in step.get("run", "")
    ]
    # Then `notify` commits again at the end, to record that the day was sent.
    assert commands[:5] == ["run", "commit", "check", "commit", "build"]


def test_retry_after_in_seconds_or_as_a_date() -> None:
    now = dt.datetime(2026, 11, 23, 12, 0, tzinfo=dt.UTC)
    assert retry_after_seconds("120", now) == 120
    assert retry_after_seconds("Mon, 23 Nov 2026 12:00:30 GMT", now) == 30
    assert retry_after_seconds("soon", now) is None and retry_after_seconds("", now) is None


def test_result_summary_counts_each_kind_once() -> None:
    result = CheckResult(date=TODAY, days=30)
    assert result.summary().startswith("Checked 0 picks of the 30 days before 2026-11-23: 0 open")


def test_force_keeps_the_closed_dates_of_the_page_it_replaces(sample_project: Path) -> None:
    """`run --force` recomputes a day; a posting `check` saw closed stays closed on it."""
    runner = CliRunner()
    args = ["--config", str(sample_project), "--date", "2026-11-22"]
    assert runner.invoke(cli, ["run", *args]).exit_code == 0
    config = load_config(sample_project)
    path = pages.page_path(config.picks_dir, YESTERDAY)
    day = pages.read(path)
    first = day.picks[0].id
    pages.write(
        day.model_copy(
            update={
                "picks": tuple(
                    p.model_copy(update={"closed": YESTERDAY}) if p.id == first else p
                    for p in day.picks
                )
            }
        ),
        config.picks_dir,
    )
    before = path.read_bytes()

    assert runner.invoke(cli, ["run", *args, "--force"]).exit_code == 0
    assert path.read_bytes() == before
    again = pages.read(path)
    assert {p.id: p.closed for p in again.picks}[first] == YESTERDAY


# -- what strangers send (issue 27) and the checker's HTTP layer (issues 23, 25) -------------


def test_a_redirect_to_an_unusable_address_costs_only_its_pick(tmp_path: Path, hosts: Any) -> None:
    """Issue 27, item 1: `Location: http://[oops/` raised outside the try block and
    `jobpicks check` exited 1 with every verdict dropped."""
    host = hosts()
    bad = host.add("/jobs/1", Reply(302, headers={"Location": "http://[oops/"}))
    gone = host.add("/jobs/2", Reply(404))
    port = host.add("/jobs/3", Reply(302, headers={"Location": "http://x.example:99999/"}))
    config = project(tmp_path)
    write_days(config, {YESTERDAY: [pick("bad", bad), pick("gone", gone), pick("port", port)]})

    done = CliRunner().invoke(
        cli, ["check", "--config", str(tmp_path / "jobpicks.yml"), "--date", TODAY.isoformat()]
    )

    assert done.exit_code == 0, done.output
    assert "0 open, 1 closed (new), 2 unknown" in done.output
    assert closed_dates(config) == {"bad": None, "gone": TODAY, "port": None}


INTERNAL = [
    ("http://127.0.0.1:{port}/jobs/1", "127.0.0.1 is a loopback address"),
    ("http://169.254.169.254/latest/meta-data/", "169.254.169.254 is a link-local address"),
    ("http://10.1.2.3/jobs/1", "10.1.2.3 is a private address"),
    ("http://192.168.0.10/jobs/1", "192.168.0.10 is a private address"),
    ("http://0.0.0.0:{port}/jobs/1", "0.0.0.0 is an unspecified address"),
    ("http://240.0.0.1/jobs/1", "240.0.0.1 is a reserved address"),
    ("http://[::1]:{port}/jobs/1", "::1 is a loopback address"),
    ("http://[::ffff:127.0.0.1]:{port}/jobs/1", "::ffff:7f00:1 is a loopback address"),
    ("http://localhost:{port}/jobs/1", "localhost is an internal name"),
    ("http://metadata.google.internal/computeMetadata/v1/", "is an internal name"),
    ("http://intranet/jobs/1", "intranet is an internal name (no domain)"),
    ("http://jobs.internal-dns.example/jobs/1", "resolves to 127.0.0.1, a loopback address"),
]


@pytest.fixture
def fake_dns(monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """Names the test makes resolve (to any address): a public-looking name can still point
    inside; everything else resolves as usual."""
    import socket

    names: dict[str, str] = {}
    real = socket.getaddrinfo

    def getaddrinfo(host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
        name = host.decode() if isinstance(host, bytes) else host  # anyio sends IDNA bytes
        return real(names.get(name, host), port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return names


def test_internal_addresses_are_refused_unknown_and_never_fetched(
    tmp_path: Path, hosts: Any, fake_dns: dict[str, str]
) -> None:
    """Issue 27, item 5: loopback, link-local, private, reserved and unspecified addresses
    and internal names, also after DNS; refused is "unknown" and says why, never closed."""
    host = hosts()
    host.default = Reply(404)  # what a fetch would have made "closed"
    fake_dns["jobs.internal-dns.example"] = "127.0.0.1"
    port = host.base.rsplit(":", 1)[1]
    urls = {f"p{n}": url.format(port=port) for n, (url, _) in enumerate(INTERNAL)}
    config = project(tmp_path, allow_private=False, timeout=2)
    write_days(config, {YESTERDAY: [pick(i, url) for i, url in urls.items()]})

    result = check_picks(config, today=TODAY)

    assert host.requests == []
    for n, (_, reason) in enumerate(INTERNAL):
        verdict = result.verdicts[f"p{n}"]
        assert verdict.status == "unknown" and "not fetched" in verdict.reason, verdict
        assert reason in verdict.reason, verdict
    assert all(closed is None for closed in closed_dates(config).values())


def test_internal_addresses_are_refused_at_every_redirect_hop(
    tmp_path: Path, hosts: Any, fake_dns: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from generator.check import guard

    public = hosts()  # plays a site on the internet: its address passes, and only its
    real_kind = guard.address_kind
    monkeypatch.setattr(
        guard, "address_kind", lambda a: "" if str(a) == "127.0.0.1" else real_kind(a)
    )
    fake_dns["careers.example.com"] = "127.0.0.1"
    fake_dns["inside.example.com"] = "10.9.9.9"
    public.add("/robots.txt", Reply(404))
    start = f"http://careers.example.com:{public.base.rsplit(':', 1)[1]}"
    cases = {
        "metadata": "http://169.254.169.254/latest/meta-data/",
        "inside": "http://inside.example.com/jobs/1",
        "loopback": "http://[::1]/jobs/1",
    }
    config = project(tmp_path, allow_private=False)
    for name, target in cases.items():
        public.add(f"/{name}", Reply(302, headers={"Location": target}))
    write_days(config, {YESTERDAY: [pick(name, f"{start}/{name}") for name in cases]})

    result = check_picks(config, today=TODAY)

    assert "169.254.169.254 is a link-local address" in result.verdicts["metadata"].reason
    assert "inside.example.com resolves to 10.9.9.9, a private address" in (
        result.verdicts["inside"].reason
    )
    assert "::1 is a loopback address" in result.verdicts["loopback"].reason
    assert {v.status for v in result.verdicts.values()} == {"unknown"}
    assert sorted(public.paths()) == ["/inside", "/loopback", "/metadata"]  # the first hops


def test_allow_private_lets_the_checker_reach_a_name_that_resolves_inside(
    tmp_path: Path, hosts: Any, fake_dns: dict[str, str]
) -> None:
    host = hosts()
    host.add("/jobs/1", Reply(body=posting()))
    fake_dns["jobs.corp-board.example"] = "127.0.0.1"
    url = f"http://jobs.corp-board.example:{host.base.rsplit(':', 1)[1]}/jobs/1"
    config = project(tmp_path, allow_private=True)
    write_days(config, {YESTERDAY: [pick("p", url)]})

    assert check_picks(config, today=TODAY).verdicts["p"].reason == "the posting is there"


def test_the_owners_board_api_stays_trusted_on_an_internal_address(
    tmp_path: Path, hosts: Any
) -> None:
    api = hosts()
    api.add("/gh/acme/jobs", Reply(body=json.dumps({"jobs": [{"id": 1, "title": TITLE}]})))
    sources: list[dict[str, object]] = [
        {"type": "greenhouse", "boards": ["acme"], "api_url": f"{api.base}/gh"}
    ]
    config = project(tmp_path, sources, allow_private=False)
    board = {"source": "greenhouse acme", "source_kind": "greenhouse", "board": "acme"}
    write_days(
        config,
        {
            YESTERDAY: [
                pick("greenhouse:1", "https://x.example/1", **board),
                pick("greenhouse:2", "https://x.example/2", **board),
            ]
        },
    )

    result = check_picks(config, today=TODAY)

    assert result.verdicts["greenhouse:1"].status == "open"
    assert result.verdicts["greenhouse:2"].reason == "no longer on the greenhouse board 'acme'"


def test_a_picks_board_is_read_from_its_fields_and_old_pages_fall_back_to_the_label() -> None:
    from generator.check.listings import board_of

    recorded = pick("lever:a", "u", source="Renamed feed", source_kind="lever", board="beta")
    old = pick("lever:b", "u", source="lever beta")
    feed = pick("lever:c", "u", source="lever beta", source_kind="feed")
    assert board_of(recorded) == ("lever", "beta")
    assert board_of(old) == ("lever", "beta")
    assert board_of(feed) is None  # recorded as a feed: its label proves nothing


CLOSING_WORDS = [
    # A sidebar of other jobs with their own banners: the posting is open.
    (
        posting(
            extra="<aside><h2>Similar jobs</h2><ul><li>Data Engineer - No longer accepting "
            "applications</li></ul></aside>"
        ),
        "open",
    ),
    # The same list, in a plain div after a heading.
    (
        posting(
            extra="<div><h3>Similar jobs</h3><p>Platform Engineer</p>"
            "<p>No longer accepting applications</p></div>"
        ),
        "open",
    ),
    (posting(extra="<div class='related-jobs'><p>This job has expired</p></div>"), "open"),
    # A note about who may apply.
    (
        posting(extra="<p>We are no longer accepting applications from recruitment agencies.</p>"),
        "open",
    ),
    (posting(extra="<p>Agencies: we are no longer accepting applications.</p>"), "open"),
    # The posting's own banner still closes it.
    (posting(extra="<p>No longer accepting applications</p>"), "closed"),
    # A closing phrase only in another job's list, and the title missing: never closed.
    (
        "<h1>Acme careers</h1><aside>Similar jobs: No longer accepting applications</aside>",
        "unknown",
    ),
]


@pytest.mark.parametrize(("page", "expected"), CLOSING_WORDS)
def test_closing_words_count_only_in_the_postings_own_text(page: str, expected: str) -> None:
    """Issue 27, item 7: a sidebar's or an agency note's words closed open jobs for good."""
    url = "https://careers.acme.com/jobs/42"
    assert classify(url, 200, url, page, TITLE).status == expected


def test_closing_words_on_served_pages(tmp_path: Path, hosts: Any) -> None:
    host = hosts()
    urls = {
        f"p{n}": host.add(f"/jobs/{n}", Reply(body=page))
        for n, (page, _) in enumerate(CLOSING_WORDS)
    }
    config = project(tmp_path)
    write_days(config, {YESTERDAY: [pick(i, url) for i, url in urls.items()]})

    result = check_picks(config, today=TODAY)

    assert [result.verdicts[f"p{n}"].status for n in range(len(CLOSING_WORDS))] == [
        expected for _, expected in CLOSING_WORDS
    ]


def test_robots_txt_is_honoured_for_page_checks(tmp_path: Path, hosts: Any) -> None:
    polite, broken, absent = hosts(), hosts(), hosts()
    polite.add("/robots.txt", Reply(body="User-agent: *\nDisallow: /private/\n"))
    open_url = polite.add("/jobs/1", Reply(body=posting()))
    hidden = polite.add("/private/2", Reply(404))
    broken.add("/robots.txt", Reply(500, "oops"))
    unreadable = broken.add("/jobs/3", Reply(404))
    fine = absent.add("/jobs/4", Reply(404))  # no robots.txt at all (404): anything goes
    config = project(tmp_path)
    write_days(
        config,
        {
            YESTERDAY: [
                pick("open", open_url),
                pick("hidden", hidden),
                pick("unreadable", unreadable),
                pick("fine", fine),
            ]
        },
    )

    result = check_picks(config, today=TODAY)

    status = {i: (v.status, v.reason) for i, v in result.verdicts.items()}
    assert status["open"] == ("open", "the posting is there")
    assert status["hidden"] == (
        "unknown",
        f"not fetched: {polite.base}/robots.txt disallows it",
    )
    assert status["unreadable"][0] == "unknown"
    assert "robots.txt cannot be read (HTTP 500)" in status["unreadable"][1]
    assert status["fine"] == ("closed", "HTTP 404")
    assert polite.paths() == ["/jobs/1"] and broken.paths() == []
    assert [p for p, _, _ in polite.requests].count("/robots.txt") == 1  # once per check


def test_robots_txt_is_matched_against_the_user_agent_sent(tmp_path: Path, hosts: Any) -> None:
    """A site's rules for the owner's `fetch.user_agent` hold, not only those for "jobpicks"."""
    host = hosts()
    host.add("/robots.txt", Reply(body="User-agent: AcmeBot\nDisallow: /\n"))
    url = host.add("/jobs/1", Reply(body=posting()))
    path = write_config(
        tmp_path,
        SAMPLE_SOURCES,
        fetch={"user_agent": "AcmeBot/1.0 (+https://acme.example)"},
        liveness={"allow_private": True},
    )
    config = load_config(path)
    write_days(config, {YESTERDAY: [pick("acme", url)]})

    result = check_picks(config, today=TODAY)

    verdict = result.verdicts["acme"]
    assert (verdict.status, verdict.reason) == (
        "unknown",
        f"not fetched: {host.base}/robots.txt disallows it",
    )
    assert [(p, h["User-Agent"]) for p, h, _ in host.requests] == [
        ("/robots.txt", "AcmeBot/1.0 (+https://acme.example)")
    ]


class JumpingClock:
    """The check's clock, jumping over pauses instead of waiting them out."""

    def __init__(self) -> None:
        self.at = 0.0
        self.slept: list[float] = []

    def now(self) -> float:
        return self.at

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.at += seconds


def test_a_429_without_retry_after_pauses_the_host_and_asks_again(
    tmp_path: Path, hosts: Any
) -> None:
    """Issue 25: one 429 without Retry-After blanked its host for the rest of the check."""
    from generator.check.polite import Clock

    host = hosts()
    busy = Reply(429, "slow down")
    urls = [host.add(f"/jobs/{n}", busy, Reply(body=posting())) for n in range(3)]
    config = project(tmp_path, deadline=200, per_host=1)
    write_days(config, {YESTERDAY: [pick(f"p{n}", url) for n, url in enumerate(urls)]})
    clock = JumpingClock()

    result = check_picks(config, today=TODAY, clock=Clock(clock.now, clock.sleep))

    assert [result.verdicts[f"p{n}"].status for n in range(3)] == ["open"] * 3
    assert clock.slept == [15.0, 30.0, 60.0]  # each further 429 doubles the pause
    assert host.paths().count("/jobs/0") == 2


def test_a_429_pause_past_the_deadline_leaves_the_host_unknown(tmp_path: Path, hosts: Any) -> None:
    from generator.check.polite import Clock

    host = hosts()
    host.default = Reply(429, "slow down")
    host.add("/robots.txt", Reply(404))
    config = project(tmp_path, deadline=10)
    write_days(config, {YESTERDAY: [pick("p", f"{host.base}/jobs/1")]})
    clock = JumpingClock()

    result = check_picks(config, today=TODAY, clock=Clock(clock.now, clock.sleep))

    assert result.verdicts["p"].reason.endswith(
        "HTTP 429 without Retry-After; a 15 s pause is past the deadline"
    )


def test_the_lock_is_taken_before_any_network_work(tmp_path: Path, hosts: Any) -> None:
    from generator.errors import LockError
    from generator.files import exclusive_lock

    host = hosts()
    config = project(tmp_path)
    write_days(config, {YESTERDAY: [pick("p", host.add("/jobs/1", Reply(404)))]})

    with exclusive_lock(config.docs_dir, "running"), pytest.raises(LockError):
        check_picks(config, today=TODAY)

    assert host.requests == []


def test_older_picks_are_checked_weekly_then_monthly_then_no_more(
    tmp_path: Path, hosts: Any
) -> None:
    """Issue 25: a pick that closed after the 30 checked days was never marked."""
    host = hosts()
    host.default = Reply(404)
    config = project(tmp_path, days=30, weekly_until=120, monthly_until=365)
    ages = {
        "day-10": (10, YESTERDAY),  # daily: checked yesterday, due again
        "week-due": (40, TODAY - dt.timedelta(days=7)),
        "week-not-yet": (40, TODAY - dt.timedelta(days=6)),
        "week-never": (100, None),
        "month-due": (200, TODAY - dt.timedelta(days=30)),
        "month-not-yet": (200, TODAY - dt.timedelta(days=29)),
        "too-old": (400, None),
    }
    days: dict[dt.date, list[Pick]] = {}
    for i, (age, checked) in ages.items():
        days.setdefault(TODAY - dt.timedelta(days=age), []).append(
            pick(i, f"{host.base}/{i}", checked=checked)
        )
    write_days(config, days)

    result = check_picks(config, today=TODAY)

    assert sorted(result.verdicts) == ["day-10", "month-due", "week-due", "week-never"]
    assert result.older == 3 and "and 3 older ones due" in result.summary()
    closed = closed_dates(config)
    assert [i for i in ages if closed[i] == TODAY] == sorted(result.verdicts, key=list(ages).index)


def test_a_header_dribbling_host_costs_only_its_pick_within_the_timeout(
    tmp_path: Path, hosts: Any
) -> None:
    from local_server import DribbleServer

    fine = hosts()
    gone = fine.add("/jobs/1", Reply(404))
    with DribbleServer(interval=0.05) as slow:
        config = project(tmp_path, timeout=0.5, deadline=30)
        write_days(config, {YESTERDAY: [pick("slow", f"{slow.origin}/jobs/2"), pick("gone", gone)]})
        result = check_picks(config, today=TODAY)
    assert result.verdicts["gone"].status == "closed"
    assert result.verdicts["slow"].status == "unknown"
    assert "no answer within 0.5 s" in result.verdicts["slow"].reason
    assert result.seconds < 10
