"""One pick renderer: cards, company rows and plain titles, from the Jinja2 templates."""

from __future__ import annotations

import datetime as dt
import re

import markdown
import pytest

from generator.models import Pay, Pick
from generator.site import fills, render

DAY = dt.date(2026, 11, 23)


def _pick(**fields: object) -> Pick:
    base: dict[str, object] = {
        "id": "x-1",
        "title": "Senior Backend Engineer",
        "company": "Northwind Cloud",
        "location": "Berlin, Germany",
        "url": "https://jobs.example.com/1?a=1&b=2",
        "score": 91,
        "reason": "Matches Python, Kubernetes, PostgreSQL.",
        "summary": "Northwind Cloud builds a metrics platform.",
        "posted": dt.date(2026, 11, 20),
    }
    return Pick.model_validate(base | fields)


@pytest.mark.parametrize(
    ("pay", "text"),
    [
        (Pay(min=150000, max=180000, currency="USD", period="year"), "$150k-$180k a year"),
        (Pay(min=60000, max=75000, currency="EUR", period="year"), "€60k-€75k a year"),
        (Pay(min=50, max=50, currency="USD", period="hour"), "$50 an hour"),
        (Pay(min=42.5, max=55, currency="GBP", period="hour"), "£42.50-£55 an hour"),
        (Pay(min=9500, max=9500, currency="CHF", period="month"), "CHF 9.5k a month"),
        (Pay(min=90000, max=110000, currency="SEK", period="month"), "SEK 90k-110k a month"),
    ],
)
def test_pay_reads_as_a_person_would_say_it(pay: Pay, text: str) -> None:
    assert render.pay_text(pay) == text


def test_plurals() -> None:
    assert render.plural(1, "pick") == "1 pick"
    assert render.plural(0, "pick") == "0 picks"
    assert render.plural(2, "day") == "2 days"
    assert render.plural(1, "company", "companies") == "1 company"
    assert render.plural(1095, "day") == "1,095 days"
    assert render.posted_text(dt.date(2026, 11, 22), DAY) == "posted 1 day before the pick"
    assert render.posted_text(DAY, DAY) == "posted the day of the pick"


def test_score_bands() -> None:
    assert [render.band(s) for s in (100, 85, 84, 70, 69, 55, 54, 0)] == [
        "top",
        "top",
        "high",
        "high",
        "mid",
        "mid",
        "low",
        "low",
    ]


def test_a_card_has_every_known_fact_and_keeps_the_summary_one_click_away() -> None:
    pick = _pick(
        work_mode="hybrid",
        pay=Pay(min=60000, max=75000, currency="EUR", period="year"),
        visa="offered",
        level="senior",
        employment="full-time",
        closed=dt.date(2026, 11, 30),
        poster="Lensa",
    )
    html = render.pick_html(pick, day=DAY, company_href="../companies/northwind-cloud/")
    assert '<a href="https://jobs.example.com/1?a=1&amp;b=2">Senior Backend Engineer</a>' in html
    assert '<a class="jp-company" href="../companies/northwind-cloud/">Northwind Cloud</a>' in html
    assert "via Lensa" in html and "Berlin, Germany" in html
    assert '<time datetime="2026-11-20"' in html and "3 days before the pick" in html
    for label in ("Hybrid", "€60k-€75k a year", "Visa sponsorship", "Senior", "Full-time"):
        assert f">{label}</span>" in html
    assert "Closed 30 Nov</span>" in html and "jp-pick--closed" in html
    assert re.search(
        r"<details class=\"jp-more\"><summary>Matches Python, Kubernetes, PostgreSQL\.</summary>"
        r"<p>Northwind Cloud builds a metrics platform\.</p></details>",
        html,
    )
    assert '<span class="jp-score jp-score--top"><span class="jp-sr">Score </span>91</span>' in html
    plain = render.pick_html(_pick(), day=DAY, company_href=None)
    assert "jp-fact" not in plain and "closed" not in plain.lower()
    assert '<span class="jp-company">Northwind Cloud</span>' in plain  # no link without href


def test_hostile_text_is_escaped_and_unsafe_links_are_not_links() -> None:
    pick = _pick(
        title='<script>alert(1)</script> "Engineer"',
        company="Evil & Co <b>",
        url="javascript:alert(1)",
        reason="<img src=x onerror=alert(1)>",
        summary="",
    )
    html = render.pick_html(pick, day=DAY, company_href='x" onclick="alert(1)')
    assert "<script>" not in html and "<img" not in html and "<b>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "Evil &amp; Co &lt;b&gt;" in html
    assert "javascript:" not in html
    assert 'href="x&#34; onclick=&#34;alert(1)"' in html
    assert "<details" not in html  # no summary: the reason is plain text


def test_the_markdown_card_gives_the_toc_company_then_title_whatever_the_text() -> None:
    """The engine's table of contents lists a pick by its `data-toc-label`; markdown syntax,
    quotes and braces in a title or company cannot break out of the heading's attributes."""
    picks = [
        _pick(),
        _pick(title='C++ *and* _Rust_ "Lead" {: #x } [x](y)', company="A & B <i>"),
        _pick(title="", company=""),
    ]
    md = markdown.Markdown(extensions=["attr_list", "md_in_html", "toc"])
    cards = [
        render.pick_markdown(p, n=n, day=DAY, company_href="c/") for n, p in enumerate(picks, 1)
    ]
    html = fills.apply(
        md.convert("\n".join(c.text for c in cards)),
        {k: v for c in cards for k, v in c.fills.items()},
        "test",
    )
    labels = [token["name"] for token in md.toc_tokens]  # type: ignore[attr-defined]
    assert labels == [
        "Northwind Cloud - Senior Backend Engineer",
        "A &amp; B &lt;i&gt; - C++ *and* _Rust_ &quot;Lead&quot; {: #x } [x](y)",  # HTML
        "(untitled)",
    ]
    assert [t["id"] for t in md.toc_tokens] == ["pick-1", "pick-2", "pick-3"]  # type: ignore[attr-defined]
    assert "<em>" not in html and "<i>" not in html and 'id="x"' not in html
    assert html.count('<h2 class="jp-pick__title"') == 3
    closed = render.pick_markdown(
        _pick(closed=dt.date(2026, 11, 30)), n=1, day=DAY, company_href=""
    )
    assert '<h2 class="jp-pick__title jp-pick__title--closed" id="pick-1"' in markdown.markdown(
        closed.text, extensions=["attr_list", "md_in_html", "toc"]
    )


def test_a_company_row_has_the_date_score_job_place_and_facts() -> None:
    """Lean: the reason and summary are on the day page the date links to; the posted date
    is under the title (the README promised it, issue 25)."""
    pick = _pick(work_mode="remote", pay=Pay(min=50, max=50, currency="USD", period="hour"))
    row = render.pick_row(pick, day=DAY, day_href="../../picks/2026/2026-11-23/")
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
    assert len(cells) == 5
    assert cells[0] == (
        '<a href="../../picks/2026/2026-11-23/"><time datetime="2026-11-23">23 Nov 2026</time></a>'
    )
    assert cells[1] == '<span class="jp-score jp-score--top">91</span>'
    link, marks = cells[2].split("<span data-pick", 1)
    assert link == (
        '<a href="https://jobs.example.com/1?a=1&amp;b=2">Senior Backend Engineer</a>'
        '<br/><time datetime="2026-11-20">posted 20 Nov</time>'
    )
    assert marks.startswith('="'), "where marks.js puts its buttons"
    assert cells[3] == "Berlin, Germany"
    assert ">Remote</span>" in cells[4] and ">$50 an hour</span>" in cells[4]


def test_plain_title() -> None:
    assert render.pick_title_text(_pick()) == "Northwind Cloud - Senior Backend Engineer"
    assert render.pick_title_text(_pick(company="", title=" a\nb ")) == "a b"
    assert render.pick_title_text(_pick(title="")) == "Northwind Cloud - (untitled)"


def test_a_repost_says_so_on_its_card_row_and_feed_item() -> None:
    """Issue 25: a job open for two months and reposted three times is a warning sign."""
    day = dt.date(2026, 11, 20)
    pick = Pick(
        id="r1",
        title="Data Engineer",
        company="Acme",
        url="https://acme.example/r1",
        score=70,
        first_seen=dt.date(2026, 10, 2),
        reposts=3,
    )
    label = "first seen 2 Oct, reposted 3 times"
    assert render.repost_text(pick, day) == label
    assert f'<span class="jp-fact jp-fact--repost jp-repost">{label}</span>' in (
        render.pick_html(pick, day=day, company_href="")
    )
    assert label in render.pick_row(pick, day=day, day_href="x/")
    assert f" · {label}" in render.feed_html([render.card(pick, day=day)], day=True)
    once = pick.model_copy(update={"reposts": 1, "first_seen": dt.date(2025, 12, 30)})
    assert render.repost_text(once, day) == "first seen 30 Dec 2025, reposted once"
    twice = pick.model_copy(update={"reposts": 2})
    assert render.repost_text(twice, day).endswith("reposted twice")
    plain = pick.model_copy(update={"reposts": 0, "first_seen": None})
    assert "jp-repost" not in render.pick_html(plain, day=day, company_href="")
