"""The hostile-input catalogue: each case names what broke and loses nothing.

dev/guarantees.md lists these cases and what each guarantees; keep the two in step.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import logging
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import SAMPLE_SOURCES, FeedServer, Route, write_config
from git_project import make_repo
from local_server import DribbleServer
from site_helpers import Links, rendered

from generator import pages
from generator.cli import cli
from generator.config import FeedSource, FetchConfig, load_config
from generator.errors import ConfigError, PageError
from generator.models import DayPage, Pick
from generator.pipeline import run_day
from generator.site import derive
from generator.sources import collect
from generator.sources import feed as feed_module
from generator.sources.feed import parse_feed

DAY = dt.date(2026, 11, 23)
RSS = (
    '<?xml version="1.0" encoding="{enc}"?><rss version="2.0"><channel><title>t</title>'
    "{items}</channel></rss>"
)


def _item(title: str, link: str = "https://jobs.example.com/1", extra: str = "") -> str:
    return f"<item><title>{title}</title><link>{link}</link>{extra}</item>"


def _feed(items: str, enc: str = "UTF-8") -> str:
    return RSS.format(enc=enc, items=items)


def _collect(server: FeedServer, path: str, body: bytes | str = b"", **route: object):  # type: ignore[no-untyped-def]
    url = server.add(path, body, **route)  # type: ignore[arg-type]
    return collect([FeedSource(url=url, name="hostile")], FetchConfig(timeout=1, max_bytes=50_000))


# -- feeds ---------------------------------------------------------------------------------


def test_entity_expansion_bomb_does_not_expand(
    feed_server: FeedServer, caplog: pytest.LogCaptureFixture
) -> None:
    entities = "".join(f'<!ENTITY l{i} "{("&l" + str(i - 1) + ";") * 10}">' for i in range(1, 10))
    bomb = (
        f'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY l0 "lollollollol">{entities}]>'
        '<rss version="2.0"><channel><title>t</title>'
        "<item><title>&l9;</title><link>https://x.example/1</link></item></channel></rss>"
    )
    with caplog.at_level(logging.WARNING):
        result = _collect(feed_server, "/bomb.xml", bomb)
    assert all(len(j.title) < 100 for j in result.jobs)
    assert "hostile" in caplog.text


def test_redirect_loop_is_named(feed_server: FeedServer) -> None:
    feed_server.routes["/loop"] = Route(302, b"", {"Location": "/loop"})
    result = _collect(feed_server, "/start", b"", status=302, headers={"Location": "/loop"})
    assert result.failures == {"feed hostile": "too many redirects"}


def test_body_over_the_cap_stops_the_download(feed_server: FeedServer) -> None:
    """With and without Content-Length: the cap holds while streaming too."""
    big = _feed(_item("x") * 20_000).encode()
    result = _collect(feed_server, "/big.xml", big, unsized=True)
    assert "size cap" in result.failures["feed hostile"]
    sized = _collect(feed_server, "/big2.xml", big)
    assert "size cap" in sized.failures["feed hostile"]


@pytest.mark.parametrize("encoding", ["UTF-16", "ISO-8859-1", "windows-1252"])
def test_non_utf8_feeds_read_correctly(encoding: str) -> None:
    text = _feed(_item("Développeur at Société Générale"), enc=encoding)
    (job,) = parse_feed(text.encode(encoding), FeedSource(url="x"))
    assert (job.title, job.company) == ("Développeur", "Société Générale")


def test_wrong_declared_encoding_keeps_what_it_can(caplog: pytest.LogCaptureFixture) -> None:
    text = _feed(_item("Développeur at Société"), enc="UTF-8")
    with caplog.at_level(logging.WARNING):
        (job,) = parse_feed(text.encode("latin-1"), FeedSource(url="x", name="liar"))
    assert job.company == "Société" and "feed liar: parsed with errors" in caplog.text


def test_ten_thousand_entries_and_repeats(feed_server: FeedServer) -> None:
    items = "".join(
        _item(f"Role {n} at Co{n % 50}", f"https://jobs.example.com/{n}") for n in range(10_000)
    )
    items += _item("Role 1 at Co1", "https://jobs.example.com/1") * 5
    (job_count,) = {len(parse_feed(_feed(items).encode(), FeedSource(url="x")))}
    assert job_count == 10_005


def test_entries_without_link_or_title(caplog: pytest.LogCaptureFixture) -> None:
    items = (
        "<item><title>No link at Acme</title></item>"
        "<item><link>https://x.example/2</link></item>" + _item("Relative at Acme", "/jobs/3")
    )
    with caplog.at_level(logging.WARNING):
        jobs = parse_feed(_feed(items).encode(), FeedSource(url="x", name="gaps"))
    assert [(j.title, j.url) for j in jobs] == [("No link", ""), ("Relative", "")]
    assert jobs[0].id.startswith("job:")
    assert "feed gaps: skipped 1 entries with no title" in caplog.text


def test_a_link_with_an_unusable_port_costs_only_its_entry(
    feed_server: FeedServer, caplog: pytest.LogCaptureFixture
) -> None:
    """Issue 27, item 2: `:99999` passed `safe_url`, then the id raised "Port out of range"
    and the whole run ended with no page and no source named."""
    items = (
        _item("Dev at Acme", "https://jobs.example.com:99999/x")
        + _item("Ops at Acme", "https://jobs.example.com/2")
        + _item("QA at Acme", "https://jobs.example.com/3")
    )
    with caplog.at_level(logging.WARNING):
        result = _collect(feed_server, "/ports.xml", _feed(items))
    assert result.failures == {}
    assert [(j.title, j.url) for j in result.jobs] == [
        ("Dev", ""),
        ("Ops", "https://jobs.example.com/2"),
        ("QA", "https://jobs.example.com/3"),
    ]
    assert "feed hostile: entry 'Dev at Acme' links to 'https://jobs.example.com:99999/x'" in (
        caplog.text
    )


def test_an_entry_that_trips_the_mapper_is_skipped_by_name(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    real = feed_module.entry_to_job

    def fragile(entry: object, source: FeedSource) -> object:
        if "Boom" in str(entry.get("title")):  # type: ignore[attr-defined]
            raise ValueError("something a stranger sent")
        return real(entry, source)  # type: ignore[arg-type]

    monkeypatch.setattr(feed_module, "entry_to_job", fragile)
    data = _feed(_item("Boom at Acme") + _item("Dev at Acme")).encode()
    with caplog.at_level(logging.WARNING):
        jobs = parse_feed(data, FeedSource(url="x", name="fragile"))
    assert [j.title for j in jobs] == ["Dev"]
    assert (
        "feed fragile: skipped entry 1 ('Boom at Acme'): ValueError: something a stranger sent"
        in caplog.text
    )


def test_a_redirect_to_an_unusable_address_is_named(feed_server: FeedServer) -> None:
    result = _collect(feed_server, "/moved", status=302, headers={"Location": "http://[oops/"})
    # httpx reads the host as `%5Boops`: a name no DNS knows, said as such; the run goes on.
    assert result.failures["feed hostile"] == (
        "cannot find the host %5Boops (DNS lookup failed: check the URL and network)"
    )


def test_fetch_timeout_bounds_headers_dribbled_a_byte_at_a_time() -> None:
    """Issue 27, item 3: with `fetch.timeout: 5` and headers a byte every 2 s, a run took
    94 s. Here the headers alone would take about 90 s; the timeout is 0.5 s."""
    with DribbleServer(interval=0.05) as server:
        started = time.monotonic()
        result = collect(
            [FeedSource(url=f"{server.origin}/feed.xml", name="dribble")],
            FetchConfig(timeout=0.5),
        )
        elapsed = time.monotonic() - started
    assert result.failures == {"feed dribble": "timed out after 0.5 s (fetch.timeout)"}
    assert elapsed < 5  # the timeout, not the server, ended it


def test_the_sources_stage_has_one_deadline(feed_server: FeedServer) -> None:
    good = feed_server.add("/good.xml", _feed(_item("Dev at Acme")))
    stalled = feed_server.add("/stalled.xml", stall=True)
    config = FetchConfig(timeout=30, deadline=0.5)
    result = collect(
        [FeedSource(url=good, name="good"), FeedSource(url=stalled, name="stalled")], config
    )
    assert [j.title for j in result.jobs] == ["Dev"]
    assert result.failures["feed stalled"].startswith(
        "not finished within the sources' deadline of 0.5 s (fetch.deadline)"
    )


@pytest.mark.parametrize("url", ["ftp://jobs.example.com/feed.xml", "file:///etc/passwd"])
def test_ftp_and_file_urls_are_refused_not_read_as_paths(tmp_path: Path, url: str) -> None:
    config_path = write_config(tmp_path, [{"url": url, "name": "odd"}])
    with pytest.raises(ConfigError, match=r"sources\[0\]\.url: .*URLs are not supported"):
        load_config(config_path)
    # And at fetch time, for a source made in code.
    result = collect([FeedSource.model_construct(type="feed", url=url, name="odd")], FetchConfig())
    assert "is not supported: use an http(s) URL or a local path" in result.failures["feed odd"]


# -- postings --------------------------------------------------------------------------------

HOSTILE_POSTINGS = [
    ("<script>alert(1)</script>Dev", "javascript:alert(1)"),
    ('<img src=x onerror="alert(1)">Ops', "data:text/html,<b>x</b>"),
    ("Lead ]]( --- # heading | a | b", "https://x.example/ok"),
    ("key: value &anchor *alias", "https://x.example/yaml"),
    ("مهندس برمجيات 🚀 שלום", "https://x.example/rtl"),
    ("Ctrl\x00\x07\x1b chars", "https://x.example/ctrl"),
    ("T" * 100_000, "https://x.example/long"),
]


def test_hostile_postings_round_trip_through_a_page(tmp_path: Path) -> None:
    items = "".join(
        f"<item><title><![CDATA[{title} at Evil Co]]></title><link><![CDATA[{link}]]></link>"
        f"<description><![CDATA[{title}<script>steal()</script>{'D' * 100_000}]]></description>"
        "</item>"
        for title, link in HOSTILE_POSTINGS
    )
    jobs = parse_feed(_feed(items).encode(), FeedSource(url="x"))
    assert len(jobs) == len(HOSTILE_POSTINGS)
    assert [j.url for j in jobs[:2]] == ["", ""]  # javascript: and data: never become links
    assert all("\x00" not in j.title and "\x1b" not in j.title for j in jobs)
    assert all("steal()" not in j.description for j in jobs)
    picks = tuple(
        Pick(
            id=j.id,
            title=j.title,
            company=j.company,
            location=j.location,
            url=j.url,
            score=50,
            reason=j.title,
            summary=j.description[:500],
        )
        for j in jobs
    )
    day = DayPage(date=DAY, picks=picks)
    path = pages.write(day, tmp_path)
    assert pages.read(path) == day
    body = path.read_text().split("\n# Daily Job Picks", 1)[1]
    assert body.count("\n---\n") == len(HOSTILE_POSTINGS)
    # The site's rendering of the day, through the same markdown extensions as the engine.
    html = Links()
    html.feed(rendered(derive.day_page(derive.collect([day]), day)))
    allowed = {"h1", "h2", "div", "p", "a", "span", "nav", "details", "summary", "time"}
    assert {tag for tag, _ in html.tags} <= allowed
    assert not any(k.startswith("on") for _, attrs in html.tags for k in attrs)
    links = [link for _, link in html.links]
    assert [link for link in links if not link.startswith("../")] == [j.url for j in jobs if j.url]
    site_links = [link for link in links if link.startswith("..")]
    assert all(link.startswith(("../../../companies/", "../../../archive/")) for link in site_links)


# -- config and state ------------------------------------------------------------------------


def test_missing_profile_and_unreadable_feed_file(tmp_path: Path) -> None:
    feed = tmp_path / "locked.xml"
    feed.write_text(_feed(_item("Dev at Acme")))
    feed.chmod(0)
    config_path = write_config(tmp_path, [{"url": str(feed), "name": "locked"}])
    (tmp_path / "profile.md").unlink()
    code, output = _invoke("run", "--config", str(config_path), "--date", "2026-11-23")
    assert code == 1 and "profile.md: profile not found" in output
    if os.geteuid() != 0:  # root reads anything; the permission case needs a normal user
        write_config(tmp_path, [{"url": str(feed), "name": "locked"}])
        code, output = _invoke("run", "--config", str(config_path), "--date", "2026-11-23")
        assert "feed locked: cannot read the file" in output


def test_read_only_docs_directory_is_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = load_config(write_config(tmp_path, SAMPLE_SOURCES))

    def refuse(*args: object, **kwargs: object) -> tuple[int, str]:
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr("tempfile.mkstemp", refuse)
    with pytest.raises(PageError, match=r"2026-11-23\.md: cannot write: Permission denied"):
        run_day(config, date=DAY)
    assert not pages.page_path(config.picks_dir, DAY).exists()


def test_full_disk_during_the_write_leaves_no_partial_page(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = load_config(write_config(tmp_path, SAMPLE_SOURCES))
    pages.write(DayPage(date=DAY, picks=()), config.picks_dir)  # yesterday's state
    before = pages.page_path(config.picks_dir, DAY).read_bytes()
    real_fsync = os.fsync

    def full(fd: int) -> None:
        real_fsync(fd)
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("os.fsync", full)
    with pytest.raises(PageError, match="No space left on device"):
        run_day(config, date=DAY, force=True)
    assert pages.page_path(config.picks_dir, DAY).read_bytes() == before
    assert not list(config.picks_dir.rglob("*.tmp"))


# -- process faults --------------------------------------------------------------------------


class Killed(BaseException):
    """Stands in for SIGKILL at a fault point: nothing after it runs, no handler catches it."""


@pytest.mark.parametrize(
    "stage",
    [
        "generator.sources.collect",
        "generator.scoring.local.LocalScorer.score",
        "generator.pages.render",
    ],
)
def test_run_killed_at_each_stage_leaves_no_partial_page_and_the_next_run_completes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, stage: str
) -> None:
    config = load_config(write_config(tmp_path, SAMPLE_SOURCES))

    def die(*args: object, **kwargs: object) -> None:
        raise Killed

    with monkeypatch.context() as patch:
        patch.setattr(stage, die)
        with pytest.raises(Killed):
            run_day(config, date=DAY)
    assert not pages.page_path(config.picks_dir, DAY).exists()
    assert not list(tmp_path.rglob("*.tmp"))
    result = run_day(config, date=DAY)
    assert result.written and result.day is not None and len(result.day.picks) == 20


def _children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(child) for child in text.split()]


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _until(condition: Callable[[], object], seconds: float = 30) -> object:
    """Poll for something a child process does (not for time to pass)."""
    ends = time.monotonic() + seconds
    while time.monotonic() < ends:
        found = condition()
        if found:
            return found
        time.sleep(0.01)
    raise AssertionError("the condition never held")


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs Linux's /proc")
def test_a_killed_build_leaves_no_engine_writing_site_new(tmp_path: Path) -> None:
    """Issue 27, item 8: a killed `build` left MkDocs processes writing `site.new`."""
    _, work = make_repo(tmp_path)
    assert _invoke("run", "--config", str(work / "jobpicks.yml"), "--date", "2026-11-23")[0] == 0
    # An engine that never finishes on its own: only its parent's death can end it.
    (work / "hang.py").write_text("import time\n\ndef on_config(config):\n    time.sleep(600)\n")
    with (work / "mkdocs.yml").open("a") as settings:
        settings.write("\nhooks:\n  - hang.py\n")
    engines: object = []
    build = subprocess.Popen(
        [sys.executable, "-m", "generator", "build", "--config", str(work / "jobpicks.yml")],
        cwd=work,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        engines = _until(lambda: _children(build.pid))
        build.kill()
        build.wait()
        assert isinstance(engines, list)
        _until(lambda: not any(_alive(pid) for pid in engines))
    finally:
        build.kill()
        for pid in engines if isinstance(engines, list) else []:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)


# -- secrets ---------------------------------------------------------------------------------

KEY = "sk-test-CATALOGUE-SECRET-9f8e7d6c5b4a"


def _invoke(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.output


def test_the_key_appears_in_no_output_or_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    config_path = write_config(
        tmp_path,
        SAMPLE_SOURCES,
        scoring={
            "scorer": "openai",
            "base_url": "http://127.0.0.1:9/v1",
            "max_retries": 0,
            "timeout": 1,
            "tokenizer": "chars",
            "llm_candidates": 3,
            "cache_dir": "cache",
        },
    )
    outputs = [
        _invoke("run", "--config", str(config_path), "--date", "2026-11-23"),
        _invoke("run", "--config", str(config_path), "--dry-run", "--api-key", KEY),
        _invoke("run", "--config", str(config_path), "--scorer", "local"),
        _invoke("build", "--config", str(config_path)),
        _invoke("publish", "--config", str(config_path)),
        _invoke("commit", "--config", str(config_path)),
        _invoke("import", "--config", str(config_path), str(tmp_path / "profile.md")),
    ]
    # The model is unreachable: the day is scored locally, with one warning naming base_url.
    assert outputs[0][0] == 0 and "cannot reach the model at http://127.0.0.1:9/v1" in outputs[0][1]
    for _code, output in outputs:
        assert KEY not in output and KEY[8:] not in output
    for path in tmp_path.rglob("*"):
        if path.is_file():
            assert KEY.encode() not in path.read_bytes(), path
