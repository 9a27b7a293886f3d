"""Stage 5: the site. Derive every generated page and feed from the day pages, then build.

The generator, not MkDocs plugins, derives the home page, archive, company pages, explore
data and RSS feeds, in plain Python. They are written with a site rendering of each day into
a staging folder (mkdocs.yml's `docs_dir`, never committed) next to a copy of `docs/`, and the
engine only renders markdown with Material's built-in search and tags. That keeps the site
portable to Zensical, which reads mkdocs.yml but not MkDocs plugins.

Scale is designed in: navigation lists sections, not days, so a day page stays small however
long the history; the explore table loads one year at a time.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import os
import shutil
import subprocess
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import frontmatter
import yaml
from feedgen.feed import FeedGenerator
from slugify import slugify

from generator import pages
from generator.config import Config
from generator.errors import JobpicksError
from generator.models import DayPage, Pick

log = logging.getLogger(__name__)

ASSETS = Path(__file__).parent / "assets"
FEED_DAYS = 30
COMPANY_FEED_ITEMS = 50
HOME_PREVIOUS_DAYS = 14
BUILD_INFO = ".jobpicks-build.json"


class BuildError(JobpicksError):
    """Raised by `build` when the site cannot be built; the previous site is left in place."""


@dataclass(frozen=True)
class CompanyPick:
    date: dt.date
    pick: Pick


@dataclass
class Company:
    name: str
    slug: str
    picks: list[CompanyPick] = field(default_factory=list)


@dataclass
class SiteData:
    """Everything the generated pages need, computed once from the day pages."""

    days: list[DayPage]
    """Newest first."""
    companies: dict[str, Company]
    """By case-folded name; the display name is the most recent spelling."""

    def company(self, name: str) -> Company:
        return self.companies[name.casefold()]


def collect(days: Iterable[DayPage]) -> SiteData:
    newest_first = sorted(days, key=lambda d: d.date, reverse=True)
    companies: dict[str, Company] = {}
    for day in newest_first:
        for pick in day.picks:
            if not pick.company:
                continue
            key = pick.company.casefold()
            if key not in companies:
                companies[key] = Company(pick.company, "")
            companies[key].picks.append(CompanyPick(day.date, pick))
    taken: set[str] = set()
    for company in sorted(companies.values(), key=lambda c: c.name.casefold()):
        base = slugify(company.name) or "company"
        slug, n = base, 2
        while slug in taken:
            slug, n = f"{base}-{n}", n + 1
        company.slug = slug
        taken.add(slug)
    return SiteData(newest_first, companies)


# -- paths inside the staging docs folder -------------------------------------------------


def day_doc(date: dt.date) -> str:
    return f"picks/{date.year:04d}/{date.isoformat()}.md"


def company_doc(company: Company) -> str:
    return f"companies/{company.slug}.md"


def company_feed(company: Company) -> str:
    return f"feeds/companies/{company.slug}.xml"


def _rel(from_doc: str, to_doc: str) -> str:
    """A relative link between two files of the docs folder, as MkDocs validates them."""
    depth = from_doc.count("/")
    return "../" * depth + to_doc


def _md(text: str) -> str:
    return pages.escape_markdown(text)


def _front(meta: dict[str, Any], body: str) -> str:
    post = frontmatter.Post(body, **meta)
    text: str = frontmatter.dumps(post, sort_keys=False, width=2**31 - 1)
    return text + "\n"


def _top_companies(day: DayPage, n: int = 3) -> list[str]:
    counts = Counter(p.company for p in day.picks if p.company)
    order = {c: i for i, c in enumerate(day.companies)}
    return sorted(counts, key=lambda c: (-counts[c], order[c]))[:n]


# -- generated pages ---------------------------------------------------------------------


def day_page(data: SiteData, day: DayPage) -> str:
    doc = day_doc(day.date)

    def link(name: str) -> str:
        return _rel(doc, company_doc(data.company(name)))

    meta = {
        "title": day.title,
        "date": day.date,
        "description": f"{len(day.picks)} job picks for {day.date.isoformat()}",
        "companies": day.companies,
    }
    return _front(meta, pages.render_body(day, company_link=link, for_site=True))


def home_page(data: SiteData, site_title: str) -> str:
    doc = "index.md"
    lines = [f"# {_md(site_title)}", ""]
    if not data.days:
        lines += ["No picks yet. Run `jobpicks run` to write the first day.", ""]
        return _front({"title": site_title, "search": {"exclude": True}}, "\n".join(lines))
    latest = data.days[0]
    lines += [
        f"The latest picks, from **{latest.date.isoformat()}**: {len(latest.picks)} jobs. "
        # Feeds are written next to the built site, not through the engine, so links to
        # them are plain HTML that MkDocs does not try to resolve.
        f'<a href="feed.xml">Subscribe via RSS</a>, browse the [archive](archive/index.md) or '
        f"[companies](companies/index.md), or [explore](explore/index.md) every pick.",
        "",
    ]
    body = pages.render_body(
        latest, company_link=lambda name: _rel(doc, company_doc(data.company(name)))
    )
    # Demote the day's headings under the home page's own title.
    for line in body.splitlines()[1:]:
        lines.append(f"#{line}" if line.startswith("## ") else line)
    previous = data.days[1 : 1 + HOME_PREVIOUS_DAYS]
    if previous:
        lines += ["## Previous days", ""]
        for day in previous:
            tops = ", ".join(_md(c) for c in _top_companies(day))
            lines.append(
                f"- [{day.date.isoformat()}]({day_doc(day.date)}): {len(day.picks)} picks"
                + (f" ({tops})" if tops else "")
            )
        lines += ["", "[All days](archive/index.md)", ""]
    return _front({"title": site_title, "search": {"exclude": True}}, "\n".join(lines))


def archive_pages(data: SiteData) -> dict[str, str]:
    by_year: dict[int, list[DayPage]] = defaultdict(list)
    for day in data.days:
        by_year[day.date.year].append(day)
    out: dict[str, str] = {}
    index = ["# Archive", ""]
    if not data.days:
        index += ["No days yet.", ""]
    for year, days in sorted(by_year.items(), reverse=True):
        picks = sum(len(d.picks) for d in days)
        index.append(f"## [{year}]({year}.md)")
        index += ["", f"{len(days)} days, {picks} picks.", ""]
        months: dict[int, list[DayPage]] = defaultdict(list)
        for day in days:
            months[day.date.month].append(day)
        lines = [f"# Archive {year}", ""]
        for month, month_days in sorted(months.items(), reverse=True):
            name = dt.date(year, month, 1).strftime("%B %Y")
            count = sum(len(d.picks) for d in month_days)
            index.append(
                f"- [{name}]({year}.md#{name.lower().replace(' ', '-')}): "
                f"{len(month_days)} days, {count} picks"
            )
            lines += [f"## {name}", ""]
            for day in month_days:
                tops = ", ".join(_md(c) for c in _top_companies(day))
                lines.append(
                    f"- [{day.date.isoformat()}](../{day_doc(day.date)}): "
                    f"{len(day.picks)} picks" + (f": {tops}" if tops else "")
                )
            lines.append("")
        index.append("")
        out[f"archive/{year}.md"] = _front(
            {"title": f"Archive {year}", "search": {"exclude": True}}, "\n".join(lines)
        )
    out["archive/index.md"] = _front(
        {"title": "Archive", "search": {"exclude": True}}, "\n".join(index)
    )
    return out


def _letter(name: str) -> str:
    first = slugify(name)[:1].upper()
    return first if first.isalpha() else "#"


def company_pages(data: SiteData) -> dict[str, str]:
    out: dict[str, str] = {}
    companies = sorted(data.companies.values(), key=lambda c: (c.name.casefold(), c.slug))
    letters: dict[str, list[Company]] = defaultdict(list)
    for company in companies:
        letters[_letter(company.name)].append(company)
    index = ["# Companies", "", f"{len(companies)} companies with picks, A to Z.", ""]
    index.append(" · ".join(f"[{letter}](#{_anchor(letter)})" for letter in letters))
    index.append("")
    for letter, group in letters.items():
        index += [f"## {letter} {{ #{_anchor(letter)} }}", ""]
        index += [f"- [{_md(c.name)}]({c.slug}.md) ({len(c.picks)})" for c in group]
        index.append("")
    out["companies/index.md"] = _front(
        {"title": "Companies", "search": {"exclude": True}}, "\n".join(index)
    )

    for company in companies:
        doc = company_doc(company)
        rows = []
        for item in company.picks:
            pick = item.pick
            title = escape(pick.title) or "(untitled)"
            if pick.url:
                title = f'<a href="{escape(pick.url)}">{title}</a>'
            via = f" (via {escape(pick.poster)})" if pick.poster else ""
            day_href = f"../../{day_doc(item.date).removesuffix('.md')}/"
            rows.append(
                f'<tr><td><a href="{day_href}">{item.date.isoformat()}</a></td>'
                f"<td>{title}{via}</td><td>{escape(pick.location)}</td>"
                f"<td>{pick.score}</td></tr>"
            )
        first, last = company.picks[-1].date, company.picks[0].date
        count = f"{len(company.picks)} pick{'s' if len(company.picks) != 1 else ''}"
        span = first.isoformat() if first == last else f"{first.isoformat()} to {last.isoformat()}"
        body = "\n".join(
            [
                f"# {_md(company.name)}",
                "",
                f"{count}, {span}.",
                "",
                f'<a href="../../{company_feed(company)}">'
                f"Follow {escape(company.name)} via RSS</a>",
                "{ data-search-exclude }",
                "",
                # Raw HTML, not a markdown table: a company can have hundreds of picks and
                # Python-Markdown's inline processing of every cell dominated the build. Links
                # are relative to the page's directory URL (companies/<slug>/). The table is for
                # reading, not searching: the day pages index each pick.
                "<table data-search-exclude>",
                "<thead><tr><th>Date</th><th>Title</th><th>Location</th><th>Score</th></tr>"
                "</thead>",
                "<tbody>",
                *rows,
                "</tbody></table>",
                "",
            ]
        )
        meta = {
            "title": company.name,
            "description": f"Every job pick from {company.name}",
            "company_feed": company_feed(company),
            "search": {"boost": 4},
        }
        out[doc] = _front(meta, body)
    return out


def _anchor(letter: str) -> str:
    return "letter-other" if letter == "#" else f"letter-{letter.lower()}"


def explore_files(data: SiteData) -> dict[str, str]:
    by_year: dict[int, list[list[object]]] = defaultdict(list)
    for day in data.days:
        page = day_doc(day.date).removesuffix(".md") + "/"
        for pick in day.picks:
            slug = data.company(pick.company).slug if pick.company else ""
            by_year[day.date.year].append(
                [
                    day.date.isoformat(),
                    pick.company,
                    pick.title,
                    pick.location,
                    pick.score,
                    pick.url,
                    page,
                    slug,
                ]
            )
    out = {
        f"explore/data/{year}.json": json.dumps(
            {"year": year, "rows": rows}, ensure_ascii=False, separators=(",", ":")
        )
        for year, rows in by_year.items()
    }
    years = sorted(by_year, reverse=True)
    out["explore/data/index.json"] = json.dumps(
        {"years": years, "counts": {str(y): len(by_year[y]) for y in years}}
    )
    out["explore/explore.js"] = (ASSETS / "explore.js").read_text(encoding="utf-8")
    out["explore/index.md"] = (ASSETS / "explore.md").read_text(encoding="utf-8")
    out["stylesheets/jobpicks.css"] = (ASSETS / "jobpicks.css").read_text(encoding="utf-8")
    return out


# -- feeds ----------------------------------------------------------------------------------


def _absolute(base: str, doc: str) -> str:
    """The public URL of a docs file, with MkDocs' directory URLs."""
    path = doc.removesuffix(".md")
    path = path.removesuffix("index") if path.endswith("index") else f"{path}/"
    return f"{base.rstrip('/')}/{path}"


def _feed(title: str, link: str, description: str, self_url: str) -> FeedGenerator:
    feed = FeedGenerator()
    feed.title(title)
    feed.link(href=link, rel="alternate")
    feed.link(href=self_url, rel="self")
    feed.description(description)
    feed.language("en")
    feed.generator("jobpicks")
    return feed


def _day_html(day: DayPage) -> str:
    items = []
    for pick in day.picks:
        title = escape(pick.title) or "(untitled)"
        if pick.url:
            title = f'<a href="{escape(pick.url)}">{title}</a>'
        where = f", {escape(pick.location)}" if pick.location else ""
        via = f" via {escape(pick.poster)}" if pick.poster else ""
        items.append(
            f"<li>{title}: {escape(pick.company)}{via}{where} "
            f"({pick.score}/100)<br/>{escape(pick.reason)}</li>"
        )
    return f"<ol>{''.join(items)}</ol>" if items else "<p>No new picks today.</p>"


def _stamp(date: dt.date, timezone: str) -> dt.datetime:
    return dt.datetime.combine(date, dt.time(6, 0), ZoneInfo(timezone))


def feeds(data: SiteData, config: Config, base_url: str) -> dict[str, bytes]:
    out: dict[str, bytes] = {}
    main = _feed(
        f"{config.site.title}: daily job picks",
        base_url,
        config.site.description,
        f"{base_url.rstrip('/')}/feed.xml",
    )
    for day in reversed(data.days[:FEED_DAYS]):  # feedgen prepends: add oldest first
        entry = main.add_entry()
        url = _absolute(base_url, day_doc(day.date))
        entry.id(url)
        entry.guid(url, permalink=True)
        entry.title(day.title)
        entry.link(href=url)
        entry.published(_stamp(day.date, config.timezone))
        entry.description(_day_html(day))
    if data.days:  # the newest item's time, not the build's: identical pages, identical feed
        main.lastBuildDate(_stamp(data.days[0].date, config.timezone))
    out["feed.xml"] = main.rss_str(pretty=True)

    for company in data.companies.values():
        url = _absolute(base_url, company_doc(company))
        feed = _feed(
            f"{config.site.title}: {company.name}",
            url,
            f"Job picks from {company.name}",
            f"{base_url.rstrip('/')}/{company_feed(company)}",
        )
        for item in reversed(company.picks[:COMPANY_FEED_ITEMS]):
            pick = item.pick
            entry = feed.add_entry()
            day_url = _absolute(base_url, day_doc(item.date))
            entry.id(f"{day_url}#{pick.id}")
            entry.guid(f"{item.date.isoformat()}:{pick.id}", permalink=False)
            entry.title(f"{pick.title} ({pick.score}/100)")
            entry.link(href=pick.url or day_url)
            entry.published(_stamp(item.date, config.timezone))
            where = f" in {escape(pick.location)}" if pick.location else ""
            entry.description(
                f"<p>{escape(pick.company)}{where}, picked on "
                f'<a href="{day_url}">{item.date.isoformat()}</a>.</p>'
                f"<p>{escape(pick.reason)}</p><p>{escape(pick.summary)}</p>"
            )
        feed.lastBuildDate(_stamp(company.picks[0].date, config.timezone))
        out[company_feed(company)] = feed.rss_str(pretty=True)
    return out


# -- staging and build ----------------------------------------------------------------------


class _LenientLoader(yaml.SafeLoader):
    """Reads mkdocs.yml without executing or rejecting its `!ENV` / `!!python` tags."""


def _ignore_tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> None:
    return None


_LenientLoader.add_multi_constructor("!", _ignore_tag)
_LenientLoader.add_multi_constructor("tag:yaml.org,2002:python/", _ignore_tag)


@dataclass(frozen=True)
class Engine:
    mkdocs_yml: Path
    staging: Path
    site_dir: Path


def engine_paths(mkdocs_yml: Path, docs_dir: Path) -> Engine:
    try:
        data = yaml.load(mkdocs_yml.read_text(encoding="utf-8"), Loader=_LenientLoader)
    except FileNotFoundError:
        raise BuildError(f"{mkdocs_yml}: not found (the site needs a mkdocs.yml)") from None
    except yaml.YAMLError as exc:
        raise BuildError(f"{mkdocs_yml}: invalid YAML: {exc}") from None
    root = mkdocs_yml.parent
    staging = (root / str(data.get("docs_dir", "docs"))).resolve()
    site_dir = (root / str(data.get("site_dir", "site"))).resolve()
    if staging == docs_dir.resolve():
        raise BuildError(
            f"{mkdocs_yml}: docs_dir is {docs_dir}, the page sources; point it at a staging "
            "folder such as build/docs (jobpicks assembles the site there)"
        )
    return Engine(mkdocs_yml, staging, site_dir)


@dataclass
class Staged:
    """The data the site was made from, and the static files that bypass the engine."""

    data: SiteData
    static: dict[str, bytes]


def stage(config: Config, engine: Engine) -> Staged:
    """Assemble the staging folder: a copy of docs/, the site rendering of every day, and
    every derived page. Feeds and explore data are returned rather than staged: the engine
    would only copy them, thousands of files at 1,095 days, so `build` writes them into the
    built site directly."""
    data = collect(pages.read_all(config.picks_dir))
    if engine.staging.exists():
        shutil.rmtree(engine.staging)
    if config.docs_dir.is_dir():
        shutil.copytree(
            config.docs_dir,
            engine.staging,
            ignore=shutil.ignore_patterns(".*", "picks"),
        )
    engine.staging.mkdir(parents=True, exist_ok=True)
    base_url = config.site.url or "http://127.0.0.1:8000/"
    texts: dict[str, str] = {day_doc(day.date): day_page(data, day) for day in data.days}
    texts["index.md"] = home_page(data, config.site.title)
    texts.update(archive_pages(data))
    texts.update(company_pages(data))
    static = feeds(data, config, base_url)
    for rel, text in explore_files(data).items():
        if rel.endswith(".md"):
            texts[rel] = text
        else:
            static[rel] = text.encode("utf-8")
    for rel, text in texts.items():
        path = engine.staging / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return Staged(data, static)


def _write_static(site_dir: Path, files: dict[str, bytes]) -> None:
    for rel, blob in files.items():
        path = site_dir / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(blob)


@dataclass
class BuildResult:
    site_dir: Path
    days: int
    picks: int
    companies: int
    seconds: float
    warnings: list[str]

    def summary(self) -> str:
        return (
            f"Built {self.site_dir}: {self.days} days, {self.picks} picks, "
            f"{self.companies} companies in {self.seconds:.1f} s"
        )


ENGINES = {
    "mkdocs": [sys.executable, "-m", "mkdocs", "build"],
    "zensical": [sys.executable, "-m", "zensical", "build"],
}


def build(
    config: Config, mkdocs_yml: Path, *, strict: bool = False, engine_name: str = "mkdocs"
) -> BuildResult:
    """Stage, build into a fresh folder, then swap it in: a failed build leaves the previous
    site exactly as it was."""
    started = time.perf_counter()
    engine = engine_paths(mkdocs_yml, config.docs_dir)
    staged = stage(config, engine)
    data = staged.data
    fresh = engine.site_dir.with_name(engine.site_dir.name + ".new")
    if fresh.exists():
        shutil.rmtree(fresh)
    command = [*ENGINES[engine_name], "--config-file", str(engine.mkdocs_yml)]
    command += ["--strict"] if strict else []
    if engine_name == "mkdocs":
        command += ["--site-dir", str(fresh)]
    env = {
        **os.environ,
        "JOBPICKS_SITE_TITLE": config.site.title,
        "JOBPICKS_SITE_DESCRIPTION": config.site.description,
        "JOBPICKS_SITE_URL": config.site.url,
    }
    # Zensical has no --site-dir: it builds into site_dir itself, so the previous site waits
    # beside it and comes back whatever happens.
    kept = engine.site_dir.with_name(engine.site_dir.name + ".keep")
    in_place = engine_name != "mkdocs"
    if in_place and engine.site_dir.exists():
        shutil.rmtree(kept, ignore_errors=True)
        engine.site_dir.rename(kept)
    try:
        done = subprocess.run(
            command, capture_output=True, text=True, cwd=mkdocs_yml.parent, env=env
        )
        if in_place and done.returncode == 0:
            engine.site_dir.rename(fresh)
    finally:
        if in_place:
            shutil.rmtree(engine.site_dir, ignore_errors=True)
            if kept.exists():
                kept.rename(engine.site_dir)
    output = (done.stdout + done.stderr).splitlines()
    warnings = [line for line in output if line.startswith(("WARNING", "ERROR"))]
    if done.returncode != 0:
        shutil.rmtree(fresh, ignore_errors=True)
        detail = "\n".join(warnings or output[-15:])
        raise BuildError(f"{engine_name} build failed; the previous site is unchanged:\n{detail}")
    _write_static(fresh, staged.static)
    newest = data.days[0].date.isoformat() if data.days else None
    (fresh / BUILD_INFO).write_text(
        json.dumps(
            {
                "newest_day": newest,
                "days": len(data.days),
                "pages_fingerprint": pages_fingerprint(config.picks_dir),
            }
        ),
        encoding="utf-8",
    )
    old = engine.site_dir.with_name(engine.site_dir.name + ".old")
    if engine.site_dir.exists():
        shutil.rmtree(old, ignore_errors=True)
        engine.site_dir.rename(old)
    fresh.rename(engine.site_dir)
    shutil.rmtree(old, ignore_errors=True)
    picks = sum(len(d.picks) for d in data.days)
    return BuildResult(
        engine.site_dir,
        len(data.days),
        picks,
        len(data.companies),
        time.perf_counter() - started,
        warnings,
    )


def pages_fingerprint(picks_dir: Path) -> str:
    """Changes when any day page changes: publish refuses a site built from older pages."""
    digest = hashlib.sha256()
    for path in pages.iter_page_paths(picks_dir):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:20]
