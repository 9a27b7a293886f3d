"""Building a real site in a temp project, shared by the site and browser tests."""

from __future__ import annotations

import atexit
import datetime as dt
import shutil
import tempfile
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import markdown
import yaml
from conftest import ROOT, SAMPLE_SOURCES, TODAY, fixtures, write_config

from generator import pages
from generator.config import load_config
from generator.legacy import import_file
from generator.models import DayPage, Pay, Pick
from generator.pipeline import run_day
from generator.site import BuildResult, build
from generator.site.fills import EnginePage, apply

HOSTILE_TITLE = "<script>window.__pwned=1</script><img src=x onerror=window.__pwned=2> Engineer"


ENGINE_EXTENSIONS = ["attr_list", "md_in_html", "tables", "toc"]
"""mkdocs.yml's markdown extensions."""


def rendered(page: EnginePage) -> str:
    """A generated page as the engine renders it (Python-Markdown with mkdocs.yml's
    extensions), its cards filled in as `build` fills them."""
    body = page.text.split("\n---\n", 1)[1] if page.text.startswith("---\n") else page.text
    return apply(markdown.markdown(body, extensions=ENGINE_EXTENSIONS), page.fills, "test")


def small_project(folder: Path, *days: DayPage) -> Path:
    """A project with just `days`: for a site built to check one thing."""
    config_path = write_config(
        folder, SAMPLE_SOURCES, site={"title": "Test Picks", "url": "https://picks.example.org/"}
    )
    shutil.copy(ROOT / "mkdocs.yml", folder / "mkdocs.yml")
    (folder / "generator").mkdir()
    shutil.copytree(ROOT / "generator" / "theme", folder / "generator" / "theme")
    (folder / "docs").mkdir()
    for day in days:
        pages.write(day, load_config(config_path).picks_dir)
    return config_path


_BASE: dict[str, Path] = {}
"""The base project, made once per test session (process) by `_base_project`."""


def _base_project() -> Path:
    """Legacy history and two sample days: two runs over the sample feeds and three imports,
    about a second, made once per session and copied into each project that needs them."""
    if "base" not in _BASE:
        folder = Path(tempfile.mkdtemp(prefix="jobpicks-base-"))
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
        config_path = write_config(
            folder,
            SAMPLE_SOURCES,
            site={"title": "Test Picks", "url": "https://picks.example.org/"},
        )
        shutil.copy(ROOT / "mkdocs.yml", folder / "mkdocs.yml")
        (folder / "generator").mkdir()
        shutil.copytree(ROOT / "generator" / "theme", folder / "generator" / "theme")
        (folder / "docs").mkdir()
        config = load_config(config_path)
        for legacy in fixtures("legacy"):
            import_file(legacy, config.picks_dir)
        run_day(config, date=dt.date(2026, 11, 22), today=TODAY)
        run_day(config, date=dt.date(2026, 11, 23), today=TODAY)
        (config.docs_dir / ".jobpicks.lock").unlink(missing_ok=True)
        _BASE["base"] = folder
    return _BASE["base"]


def make_project(folder: Path, *, hostile: bool = True) -> Path:
    """Legacy history, two sample days and (optionally) a day with a hostile pick."""
    shutil.copytree(_base_project(), folder, dirs_exist_ok=True, symlinks=True)
    config_path = folder / "jobpicks.yml"
    if hostile:
        pick = Pick(
            id="hostile-1",
            title=HOSTILE_TITLE,
            company="Evil & Co <b>",
            location="javascript:alert(1)",
            url="https://evil.example.com/job",
            score=99,
            reason="[x](javascript:alert(1)) {: onclick=alert(1) }",
            summary="---\n# not a heading",
            source="test",
        )
        picks_dir = load_config(config_path).picks_dir
        pages.write(DayPage(date=dt.date(2026, 11, 21), picks=(pick,)), picks_dir)
    return config_path


FACTS: list[dict[str, object]] = [
    {
        "work_mode": "remote",
        "pay": Pay(min=150000, max=180000, currency="USD", period="year"),
        "first_seen": dt.date(2026, 10, 2),
        "reposts": 3,
    },
    {
        "work_mode": "hybrid",
        "pay": Pay(min=60000, max=75000, currency="EUR", period="year"),
        "visa": "offered",
        "level": "senior",
        "employment": "full-time",
    },
    {
        "work_mode": "onsite",
        "pay": Pay(min=50, max=50, currency="USD", period="hour"),
        "visa": "not_offered",
        "employment": "contract",
    },
    {"level": "mid", "closed": dt.date(2026, 11, 30)},
]
"""Decision facts given to the first picks of 2026-11-23 by `add_facts`, as other stages
fill them in (the first a repost): the site renders whatever is there."""

SAVED_SEARCH = {"remote-anywhere": {"work_modes": ["remote"]}}
"""The shared site's saved search (`add_saved`): no `name`, so its title is the key in words."""


def add_saved(config_path: Path) -> None:
    """Give the project a saved search (`site.feeds`)."""
    data = yaml.safe_load(config_path.read_text(encoding="utf-8"))
    data["site"]["feeds"] = SAVED_SEARCH
    config_path.write_text(yaml.safe_dump(data), encoding="utf-8")


def add_facts(config_path: Path) -> DayPage:
    """Give the first picks of the 20-pick day decision facts (and one a closed date)."""
    config = load_config(config_path)
    day = pages.read(pages.page_path(config.picks_dir, dt.date(2026, 11, 23)))
    picks = list(day.picks)
    # Exactly these facts: the sample picks' own (read from their text) are replaced.
    unknown = dict.fromkeys(("work_mode", "pay", "visa", "level", "employment", "closed"))
    for n, facts in enumerate(FACTS):
        picks[n] = picks[n].model_copy(update={**unknown, **facts})
    day = day.model_copy(update={"picks": tuple(picks)})
    pages.write(day, config.picks_dir)
    return day


APPLIED = (8, "interviewing", dt.date(2026, 11, 25))
"""`add_applications`: the 20-pick day's pick at this place (from 0), its status, the day
applied; below the cards with decision facts (0-3) and the ones the marks tests press (0-7)."""
STATUS_DATE = dt.date(2026, 11, 27)
"""`add_applications`: the day the application's status was set, after the day applied."""


def add_applications(config_path: Path) -> Pick:
    """A feedback.yml with one application, to the 20-pick day's ninth pick, whose status was
    set later, as `jobpicks feedback applied ID --status S` sets it (plus a dismissed mark,
    which the site's Applications page leaves out); returns the pick."""
    from generator.feedback import Feedback, mark_pick, save_feedback

    config = load_config(config_path)
    day = pages.read(pages.page_path(config.picks_dir, dt.date(2026, 11, 23)))
    n, status, date = APPLIED
    marks = (
        mark_pick(day.picks[n], "applied", date),
        mark_pick(day.picks[n + 1], "dismissed", date, reason="pay"),
    )
    later = mark_pick(day.picks[n], "applied", STATUS_DATE, status=status)  # type: ignore[arg-type]
    save_feedback(config.feedback, Feedback(marks).merged([later]).feedback)
    return day.picks[n]


def build_site(config_path: Path, strict: bool = True) -> BuildResult:
    return build(load_config(config_path), config_path.parent / "mkdocs.yml", strict=strict)


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[tuple[str, str]] = []
        self.ids: set[str] = set()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.scripts[-1] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attr = dict(attrs)
        self.tags.append((tag, attr))
        if tag == "script":
            self._in_script = True
            self.scripts.append("")
        if attr.get("id"):
            self.ids.add(str(attr["id"]))
        for key in ("href", "src"):
            if attr.get(key):
                self.links.append((tag, str(attr[key])))


def parse_html(path: Path) -> Links:
    parser = Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def broken_internal_links(site: Path) -> list[str]:
    """Every relative href/src of every page that does not resolve to a file (or anchor)."""
    problems = []
    parsed = {path: parse_html(path) for path in site.rglob("*.html")}
    for path, links in parsed.items():
        for _tag, link in links.links:
            parts = urlsplit(link)
            if parts.scheme or parts.netloc or link.startswith(("mailto:", "#", "data:")):
                continue
            base = site if parts.path.startswith("/") else path.parent
            target = (base / unquote(parts.path).lstrip("/")).resolve()
            if target.is_dir():
                target = target / "index.html"
            if not target.exists():
                problems.append(f"{path.relative_to(site)}: {link}")
            elif parts.fragment and target in parsed and parts.fragment not in parsed[target].ids:
                problems.append(f"{path.relative_to(site)}: {link} (no such anchor)")
    return problems
