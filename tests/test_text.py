from __future__ import annotations

import json

from conftest import fixture

from generator.text import (
    canonical_url,
    clean_text,
    first_sentences,
    html_to_text,
    http_url,
    job_id,
    plain_line,
    safe_url,
)


def test_mojibake_is_repaired_and_curly_quotes_kept() -> None:
    assert clean_text("candidateâ€™s strong ML background â€“ great") == (
        "candidate’s strong ML background – great"
    )


def test_control_characters_and_nul_bytes_are_dropped() -> None:
    assert clean_text("Data\x00 Engineer\x07\n\tBerlin\u2028x") == "Data Engineer Berlin x"


def test_entities_are_decoded_in_plain_fields() -> None:
    assert clean_text("Bay Plumbing &amp; Drainage") == "Bay Plumbing & Drainage"


def test_html_to_text_drops_scripts_and_collapses_whitespace() -> None:
    html = (
        "<p>Hello <b>there</b></p><script>alert(1)</script><style>p{}</style>\n<ul><li>a</li></ul>"
    )
    assert html_to_text(html) == "Hello there a"


def test_html_to_text_unescapes_greenhouse_entity_escaped_content() -> None:
    payload = json.loads(
        fixture("real-feeds/ats/michaeldinhmai-job-agent__greenhouse.json").read_text()
    )
    content = payload["jobs"][0]["content"]
    assert content.startswith("&lt;")
    text = html_to_text(content)
    assert "<" not in text and "&lt;" not in text and "&nbsp;" not in text
    assert len(text) > 100


def test_safe_url_keeps_only_absolute_http_urls() -> None:
    assert safe_url("https://example.com/a b") == "https://example.com/a%20b"
    assert safe_url("https://example.com/x_(y)") == "https://example.com/x_%28y%29"
    for bad in (
        "javascript:alert(1)",
        "data:text/html,<script>",
        "/relative/path",
        "",
        None,
        "ftp://example.com/x",
        "https://",
    ):
        assert safe_url(bad) == ""


def test_safe_url_decodes_amp_only_so_parameters_named_like_entities_survive() -> None:
    """A browser reads `&region=` in an href as a parameter; decoding every entity turned it
    into `®ion=` (`&reg` needs no semicolon), and the pick linked elsewhere."""
    for url in (
        "https://boards.example.com/jobs/1?gh_jid=1&region=emea",
        "https://x.example/?a=1&notify=1&times=2",
        "https://x.example/?a=1&lt=2&copy=3&para=4",
        "https://x.example/?q=a&amp2=b",
    ):
        assert safe_url(url) == url, url
    assert safe_url("https://x.example/?a=1&amp;b=2") == "https://x.example/?a=1&b=2"
    assert safe_url("https://x.example/?a=1&amp;amp;b=2") == "https://x.example/?a=1&b=2"
    assert safe_url("&#106;avascript:alert(1)") == ""


def test_canonical_url_drops_tracking_and_cosmetics() -> None:
    a = canonical_url("https://www.Example.com/jobs/1/?utm_source=x&b=2&a=1&refId=9#frag")
    assert a == "https://example.com/jobs/1?a=1&b=2"


def test_job_ids_use_site_ids_and_ignore_tracking() -> None:
    assert job_id("https://www.linkedin.com/jobs/view/4291503204") == "linkedin:4291503204"
    assert job_id(
        "https://de.linkedin.com/jobs/view/backend-engineer-at-acme-4291503204?trk=x"
    ) == ("linkedin:4291503204")
    assert job_id("https://www.indeed.com/viewjob?jk=6B2E7A5B9338D438&from=rss") == (
        "indeed:6b2e7a5b9338d438"
    )
    one = job_id("https://jobs.example.com/1?utm_source=feed&trackingId=abc")
    assert one == job_id("https://jobs.example.com/1/") and one.startswith("url:")
    assert job_id("", company="Acme", title="Dev", location="") == job_id(
        "", company="acme", title="DEV", location=""
    )


def test_first_sentences_cuts_at_a_word() -> None:
    text = "We build maps. You will help. Third sentence is dropped."
    assert first_sentences(text) == "We build maps. You will help."
    long = "word " * 100
    cut = first_sentences(long, limit=50)
    assert len(cut) <= 50 and cut.endswith("…")


CLEANED = [
    "Engineer &lt;Platform&gt; &amp;amp; Tools",
    "  Data\x00 Engineer\x07\n\tBerlin\u2028x ",
    "&am\x00p;lt;b&amp;gt;",
    "Senior  Engineer\u00a0(Berlin)",
    "R&D Engineer &#10; Team",
    "plain",
]


def test_the_one_cleaner_is_idempotent_and_single_line() -> None:
    """A pick is cleaned when it is made and again each time its page is read: the second
    cleaning must change nothing, or pages would drift."""
    for text in CLEANED:
        once = plain_line(text)
        assert plain_line(once) == once, text
        assert once == once.strip() and "\n" not in once and "  " not in once, text
    assert plain_line(CLEANED[0]) == "Engineer <Platform> & Tools"
    assert plain_line(CLEANED[3]) == "Senior Engineer (Berlin)"


def test_http_url_keeps_clean_urls_and_quotes_the_rest_once() -> None:
    clean = "https://www.linkedin.com/jobs/view/4300483059/?refId=abc61&trackingId=xyz61%3D%3D"
    assert http_url(clean) is clean
    for url in ("https://example.com/a b", "https://example.com/x_(y)\\z", "http://h.example/é"):
        once = http_url(url)
        assert once and http_url(once) == once, url
    assert http_url("https://example.com/x_(y)") == "https://example.com/x_%28y%29"
    assert http_url("https://x.example/?a=1&lt=2") == "https://x.example/?a=1&lt=2"  # no decoding
    for bad in ("javascript:alert(1)", "JAVASCRIPT:x", "//x.example/", "https://", "data:,x"):
        assert http_url(bad) == "", bad
