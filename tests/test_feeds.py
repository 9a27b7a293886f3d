"""Feed reading against real public payloads and a real HTTP server on 127.0.0.1."""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

import pytest
from conftest import SAMPLES, FeedServer, fixture, write_config

from generator.config import FeedSource, FetchConfig, load_config
from generator.errors import SourceError
from generator.sources import collect
from generator.sources.feed import parse_feed, split_title

GOOD_RSS = (SAMPLES / "remote-board.xml").read_bytes()


def _source(url: str, name: str = "test feed") -> FeedSource:
    return FeedSource(url=url, name=name)


def test_we_work_remotely_feed_splits_company_and_role() -> None:
    data = fixture("real-feeds/rss/ikevinxie-remote-jobs-collector__wwr.xml").read_bytes()
    jobs = parse_feed(data, _source("wwr.xml"))
    assert len(jobs) == 4
    first = jobs[0]
    assert (first.company, first.title) == ("Mathmo", "Maths Coach")
    assert first.location == "London"
    assert first.url == "https://weworkremotely.com/remote-jobs/mathmo-maths-coach"
    assert first.posted == dt.date(2026, 7, 10)
    assert "<" not in first.description and "&nbsp;" not in first.description
    assert "mathematicians" in first.description
    assert any(j.company == "APEX TRADE" for j in jobs)


def test_stack_overflow_feed_uses_author_and_strips_at_company() -> None:
    data = fixture("real-feeds/rss/jobapis-jobs-stackoverflow__so_jobs_feed_2016.xml").read_bytes()
    job = parse_feed(data, _source("so.xml"))[0]
    assert (job.title, job.company, job.location) == (
        "Full Stack Engineer",
        "Sandstorm Design",
        "Chicago, IL",
    )
    assert "You’ll work in a fun" in job.description


def test_reserialised_wwr_feed_with_escaped_truncated_html() -> None:
    data = fixture("real-feeds/rss/michaeldinhmai-job-agent__wwr_feed.rss").read_bytes()
    jobs = parse_feed(data, _source("wwr2.rss"))
    assert [j.company for j in jobs][:2] == ["Remote", "Justworks"]
    assert jobs[1].title == "Account Executive - In-Territory (SF/Bay Area, CA)"
    assert all("&lt;" not in j.description for j in jobs)
    assert jobs[0].remote is True  # "Anywhere in the World"


def test_sample_atom_feed_reads_author_company_and_location() -> None:
    jobs = parse_feed((SAMPLES / "careers.atom").read_bytes(), _source("careers.atom"))
    assert len(jobs) == 100
    assert all(j.company and j.company != "Unknown" for j in jobs)
    assert all(" at " not in j.title for j in jobs)
    assert all(j.location for j in jobs)
    assert all(j.url.startswith("https://careers.example.org/") for j in jobs)


def test_sample_search_feed_repairs_mojibake() -> None:
    jobs = parse_feed((SAMPLES / "job-search.xml").read_bytes(), _source("search"))
    locations = {j.location for j in jobs}
    assert "Zürich, Switzerland" in locations
    assert not any("Ã" in j.location or "â€" in j.description for j in jobs)


@pytest.mark.parametrize(
    ("raw", "company", "expected"),
    [
        ("Dev at Acme (Berlin)", "", ("Dev", "Acme", "Berlin")),
        ("Dev at Acme (Remote (EU))", "Acme", ("Dev", "Acme", "Remote (EU)")),
        ("Acme: Dev: Backend", "", ("Dev: Backend", "Acme", "")),
        (
            "[Online Assessment] Dev (BS/MS)",
            "TikTok",
            ("[Online Assessment] Dev (BS/MS)", "TikTok", ""),
        ),
        ("Just a title", "", ("Just a title", "Unknown", "")),
    ],
)
def test_split_title(raw: str, company: str, expected: tuple[str, str, str]) -> None:
    assert split_title(raw, company) == expected


def test_bozo_feed_keeps_what_parsed_with_a_warning(caplog: pytest.LogCaptureFixture) -> None:
    broken = GOOD_RSS.replace(b"</channel>", b"<unclosed></channel>")
    with caplog.at_level(logging.WARNING):
        jobs = parse_feed(broken, _source("x", name="Half Broken"))
    assert len(jobs) == 100
    assert "feed Half Broken: parsed with errors" in caplog.text


def test_valid_feed_with_no_items_is_a_warning_not_a_failure(
    caplog: pytest.LogCaptureFixture,
) -> None:
    data = b'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title></channel></rss>'
    with caplog.at_level(logging.WARNING):
        assert parse_feed(data, _source("x", name="Quiet")) == []
    assert "feed Quiet: the feed has no entries" in caplog.text


def test_entries_without_title_are_skipped_and_relative_links_resolved(
    feed_server: FeedServer,
) -> None:
    body = (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>'
        "<item><title>Dev at Acme</title><link>/jobs/1</link></item>"
        "<item><description>no title</description></item>"
        "<item><title>Ops at Acme</title><link>javascript:alert(1)</link></item>"
        "</channel></rss>"
    )
    url = feed_server.add("/feed.xml", body)
    result = collect([_source(url)], FetchConfig())
    assert [j.title for j in result.jobs] == ["Dev", "Ops"]
    assert result.jobs[0].url == f"{feed_server.base}/jobs/1"
    assert result.jobs[1].url == ""


def test_a_link_keeps_parameters_named_like_entities() -> None:
    """`&amp;region=` in the XML is the parameter `region`, not `®ion`; a link escaped twice
    (`&amp;amp;`) reads once."""
    data = (
        b'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>'
        b"<item><title>Dev at Acme</title>"
        b"<link>https://boards.example.com/jobs/1?gh_jid=1&amp;region=emea</link></item>"
        b"<item><title>Ops at Acme</title><link>https://x.example/?a=1&amp;amp;times=2</link>"
        b"</item></channel></rss>"
    )
    jobs = parse_feed(data, _source("x.xml"))
    assert [j.url for j in jobs] == [
        "https://boards.example.com/jobs/1?gh_jid=1&region=emea",
        "https://x.example/?a=1&times=2",
    ]


def test_broken_feeds_are_named_warnings_and_good_ones_still_read(
    feed_server: FeedServer, caplog: pytest.LogCaptureFixture
) -> None:
    good = feed_server.add("/good.xml", GOOD_RSS, headers={"Content-Type": "application/rss+xml"})
    cases = {
        "missing": (feed_server.add("/missing.xml", "nope", status=404), "HTTP 404"),
        "server": (feed_server.add("/boom.xml", "err", status=500), "HTTP 500"),
        "html": (
            feed_server.add("/page.xml", "<!DOCTYPE html><html><body>Login</body></html>"),
            "got an HTML page, not an RSS or Atom feed",
        ),
        "malformed": (
            feed_server.add("/bad.xml", "<rss><channel><item><title>x</ti"),
            "malformed XML",
        ),
        "empty": (feed_server.add("/empty.xml", ""), "empty response"),
        "slow": (feed_server.add("/slow.xml", stall=True), "timed out after 0.5 s"),
        "huge": (
            feed_server.add("/huge.xml", b"<rss>" + b" " * 3000 + b"</rss>"),
            "response is over the 0.002 MB size cap",
        ),
    }
    sources = [_source(good, "good")] + [_source(url, name) for name, (url, _) in cases.items()]
    config = FetchConfig(timeout=0.5, max_bytes=2000)
    with caplog.at_level(logging.WARNING):
        result = collect(sources, config)
    for name, (_, reason) in cases.items():
        assert reason in result.failures[f"feed {name}"], (name, result.failures)
        assert f"{name}: {reason}" in caplog.text
    # The good feed is over this tiny cap too; read it again with a normal cap.
    assert "feed good" in result.failures
    assert len(collect([_source(good, "good")], FetchConfig()).jobs) == 100


def test_fetch_sends_a_clear_user_agent(feed_server: FeedServer) -> None:
    url = feed_server.add("/ua.xml", GOOD_RSS)
    collect([_source(url)], FetchConfig())
    assert feed_server.requests[0][1]["User-Agent"].startswith("jobpicks/")


def test_missing_local_file_is_named(tmp_path: object) -> None:
    result = collect([_source("/nonexistent/feed.xml", "local")], FetchConfig())
    assert result.failures == {"feed local": "file not found"}


def test_source_error_message_is_plain() -> None:
    assert SourceError("HTTP 404").message == "HTTP 404"


def test_vendor_namespaced_company_and_place_are_read() -> None:
    """Himalayas names the company and place only in its own `himalayasJobs:` elements."""
    data = fixture("real-feeds/rss/himalayas-fixture__feed.xml").read_bytes()
    jobs = parse_feed(data, _source("himalayas.xml"))
    assert [(j.title, j.company) for j in jobs] == [
        ("Senior Flutter Engineer", "Acme Inc"),
        ("Head of Sales", "Secret"),
    ]
    assert jobs[0].location == "United States"  # the last of the repeated elements
    assert jobs[1].location == ""


def test_vendor_salary_and_employer_elements_in_any_namespace() -> None:
    data = b"""<?xml version="1.0"?>
<rss version="2.0" xmlns:job="https://jobs.example/ns"><channel><title>t</title>
<item><title>Data Engineer</title><link>https://jobs.example/1</link>
<job:employerName>Northwind</job:employerName><job:employerLogo>x.png</job:employerLogo>
<job:jobLocation>Berlin, Germany</job:jobLocation><job:locationType>hybrid</job:locationType>
<job:salaryRange>EUR 70,000 - 85,000 a year</job:salaryRange></item></channel></rss>"""
    (job,) = parse_feed(data, _source("vendor.xml"))
    assert (job.company, job.location) == ("Northwind", "Berlin, Germany")
    assert job.salary_text == "EUR 70,000 - 85,000 a year"


def test_html_typed_atom_title_is_reduced_to_text() -> None:
    data = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title><id>urn:x</id><updated>2026-11-20T00:00:00Z</updated>
<entry><title type="html">Example &lt;b&gt;Atom&lt;/b&gt; Engineer</title><id>urn:1</id>
<link href="https://jobs.example/1"/><author><name>Acme</name></author>
<updated>2026-11-20T00:00:00Z</updated></entry>
<entry><title type="text">C++ &lt;b&gt; literal</title><id>urn:2</id>
<link href="https://jobs.example/2"/><author><name>Acme</name></author>
<updated>2026-11-20T00:00:00Z</updated></entry></feed>"""
    jobs = parse_feed(data, _source("atom.xml"))
    assert [j.title for j in jobs] == ["Example Atom Engineer", "C++ <b> literal"]


def test_network_failures_are_plain_words_naming_the_host_and_where_the_source_points(
    tmp_path: object, caplog: pytest.LogCaptureFixture
) -> None:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed = probe.getsockname()[1]
    refused = f"http://127.0.0.1:{closed}/jobs.rss"
    unknown = "http://no-such-host.invalid/jobs.rss"
    with caplog.at_level(logging.WARNING):
        result = collect(
            [_source(refused, "Refused"), _source(unknown, "Unknown host")], FetchConfig()
        )
    assert result.failures["feed Refused"].startswith("connection refused by 127.0.0.1")
    assert result.failures["feed Unknown host"].startswith(
        "cannot find the host no-such-host.invalid"
    )
    assert "Errno" not in caplog.text
    assert "feed Refused: connection refused by 127.0.0.1" in caplog.text
    assert f"({refused})" in caplog.text and f"({unknown})" in caplog.text


def test_a_local_source_warning_shows_its_resolved_path(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    config_path = write_config(tmp_path, [{"url": "feeds/missing.xml", "name": "Mine"}])
    config = load_config(config_path)
    with caplog.at_level(logging.WARNING):
        collect(config.sources, config.fetch)
    assert f"feed Mine: file not found ({tmp_path / 'feeds' / 'missing.xml'})" in caplog.text
