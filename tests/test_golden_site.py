"""Golden outputs, in pelican's manner: a small project's site, compared file by file as a diff.

What the generator makes for the engine (the staging tree: every generated page's markdown,
and `cards/`, the cards put into the day and home pages after it), the daily feed, one
company feed and the Explore data are compared with the committed copies in
`tests/golden/site/`, so a change to any of them is reviewed as a diff, not by reading
assertions. The engine's own rendering is not compared (it changes with every Material
release); `test_site.py` checks the built site.

After an intended change, regenerate them and review the diff:

    JOBPICKS_REGOLD=1 .venv/bin/pytest tests/test_golden_site.py
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
import os
import shutil
from pathlib import Path

import pytest
from conftest import ROOT, SAMPLE_SOURCES, fixture, write_config
from site_helpers import HOSTILE_TITLE

from generator import pages
from generator.config import load_config
from generator.errors import BuildError
from generator.legacy import import_file
from generator.models import DayPage, Pay, Pick
from generator.site.builder import fills_of, stage
from generator.site.derive import ASSETS, collect, explore_files
from generator.site.engine import engine_paths
from generator.site.feeds import feeds
from generator.site.urls import day_doc

GOLDEN = Path(__file__).parent / "golden" / "site"
SITE_URL = "https://picks.example.org/"
SAVED = {
    "remote": {"name": "Remote jobs", "work_modes": ["remote"]},
    "well-paid": {"min_pay": {"amount": 70000, "currency": "EUR"}},
}
COMPANY_FEED = "feeds/companies/muller-zeppelinwerke.xml"


def _facts_day() -> DayPage:
    """A day of picks with every kind of fact, a closed one, and text that tries to break out."""

    def pick(n: int, **fields: object) -> Pick:
        base: dict[str, object] = {
            "id": f"golden-{n}",
            "title": f"Golden Engineer {n}",
            "company": f"Golden {n}",
            "location": "Berlin, Germany",
            "url": f"https://golden.example.com/{n}",
            "score": 90 - 7 * n,
            "reason": "Matches Python and Kubernetes.",
            "summary": "Golden builds things.",
            "source": "test",
            "posted": dt.date(2026, 11, 18),
        }
        return Pick.model_validate(base | fields)

    return DayPage(
        date=dt.date(2026, 11, 20),
        scorer="openai",
        model="gpt-5.4-mini",
        picks=(
            pick(
                1,
                company="Müller Zeppelinwerke",
                work_mode="remote",
                pay=Pay(min=60000, max=80000, currency="EUR", period="year"),
                visa="offered",
                level="senior",
                employment="full-time",
            ),
            pick(
                2,
                company="Müller Zeppelinwerke",
                work_mode="hybrid",
                pay=Pay(min=45, max=45, currency="USD", period="hour"),
                closed=dt.date(2026, 11, 25),
            ),
            pick(3, title=HOSTILE_TITLE, company="Evil & Co <b>", reason="[x](javascript:1)"),
            pick(4, title="", company="Ørsted", location="", posted=None, summary=""),
            pick(5, company="", poster="Lensa", level="staff+", employment="contract"),
        ),
    )


def golden_project(folder: Path) -> Path:
    """The sample day (the run's own golden page), one legacy day and `_facts_day`."""
    config_path = write_config(
        folder,
        SAMPLE_SOURCES,
        site={"title": "Golden Picks", "url": SITE_URL, "feeds": SAVED},
    )
    shutil.copy(ROOT / "mkdocs.yml", folder / "mkdocs.yml")
    (folder / "docs").mkdir()
    config = load_config(config_path)
    day = Path(__file__).parent / "golden" / "2026-11-23.md"
    (config.picks_dir / "2026").mkdir(parents=True)
    shutil.copy(day, config.picks_dir / "2026" / day.name)
    import_file(fixture("legacy/2026-01-03.md"), config.picks_dir)
    pages.write(_facts_day(), config.picks_dir)
    return config_path


def outputs(config_path: Path, processes: int = 1) -> dict[str, bytes]:
    """What the generator makes of the project, by path: the staging tree (less the assets it
    copies verbatim, checked to be copies), the daily feed, one company feed, Explore's data.
    With `processes`, the pages are read and the days staged in that many, as at a long
    history."""
    config = load_config(config_path)
    engine = engine_paths(config_path.parent / "mkdocs.yml", config.docs_dir)
    data = collect(pages.read_all(config.picks_dir, processes=processes, per_process=1))
    stage(config, engine, data, processes=processes, per_process=1)
    copies = {path.read_bytes() for path in ASSETS.iterdir() if path.suffix in (".js", ".css")}
    out: dict[str, bytes] = {}
    for path in sorted(engine.staging.rglob("*")):
        if path.is_file() and path.read_bytes() not in copies:
            out[f"staging/{path.relative_to(engine.staging).as_posix()}"] = path.read_bytes()
    fills = fills_of(engine)
    for page in sorted(fills.pages()):  # the cards that replace each staged page's markers
        cards = "".join(f"<!-- {key} -->\n{html}\n" for key, html in fills.read(page).items())
        out[(Path("cards") / page.parent / "cards.html").as_posix()] = cards.encode("utf-8")
    made = feeds(data, config, SITE_URL)
    out["feed.xml"] = _indented(made["feed.xml"])
    out[COMPANY_FEED] = _indented(made[COMPANY_FEED])
    for name, text in explore_files(data).items():
        if name.endswith(".json"):
            out[name] = _lines(json.loads(text)).encode("utf-8")
    return out


def _indented(xml: bytes) -> bytes:
    """A feed an element to a line, so a changed item is a small diff (the site's feeds
    are written without indentation: 0.7 MB of 13.9 MB at three years)."""
    from lxml import etree

    return etree.tostring(
        etree.fromstring(xml), pretty_print=True, xml_declaration=True, encoding="UTF-8"
    )


def _lines(data: dict[str, object]) -> str:
    """JSON one key, and one row of a list, to a line, so a changed row is a one-line diff
    (the site's own files are compact; their content is what is compared)."""

    def dump(value: object) -> str:
        return json.dumps(value, ensure_ascii=False, sort_keys=True)

    lines = ["{"]
    for n, (key, value) in enumerate(data.items()):
        comma = "," if n < len(data) - 1 else ""
        if isinstance(value, list) and value and isinstance(value[0], list | str):
            rows = ",\n".join(f"  {dump(row)}" for row in value)
            lines.append(f"{dump(key)}: [\n{rows}\n]{comma}")
        elif isinstance(value, dict) and len(value) > 8:
            items = ",\n".join(f"  {dump(k)}: {dump(v)}" for k, v in value.items())
            lines.append(f"{dump(key)}: {{\n{items}\n}}{comma}")
        else:
            lines.append(f"{dump(key)}: {dump(value)}{comma}")
    return "\n".join([*lines, "}", ""])


def _diff(name: str, expected: bytes, got: bytes) -> str:
    lines = difflib.unified_diff(
        expected.decode("utf-8").splitlines(keepends=True),
        got.decode("utf-8").splitlines(keepends=True),
        f"golden/{name}",
        f"made/{name}",
        n=2,
    )
    return "".join(lines)


def test_the_golden_site(tmp_path: Path) -> None:
    made = outputs(golden_project(tmp_path))
    if os.environ.get("JOBPICKS_REGOLD") == "1":
        shutil.rmtree(GOLDEN, ignore_errors=True)
        for name, blob in made.items():
            (GOLDEN / name).parent.mkdir(parents=True, exist_ok=True)
            (GOLDEN / name).write_bytes(blob)
    expected = {
        path.relative_to(GOLDEN).as_posix(): path.read_bytes()
        for path in sorted(GOLDEN.rglob("*"))
        if path.is_file()
    }
    assert sorted(made) == sorted(expected), "files made differ from tests/golden/site/"
    diffs = [_diff(n, expected[n], made[n]) for n in sorted(made) if made[n] != expected[n]]
    assert not diffs, (
        "the site differs from tests/golden/site/ (JOBPICKS_REGOLD=1 to accept):\n"
        + ("\n".join(diffs))
    )


def test_several_processes_make_the_golden_site_too(tmp_path: Path) -> None:
    """Reading the pages and staging the days split over three processes (what a build on
    several cores does from 600 days) changes no byte of what is made."""
    (tmp_path / "one").mkdir()
    (tmp_path / "three").mkdir()
    one = outputs(golden_project(tmp_path / "one"))
    three = outputs(golden_project(tmp_path / "three"), processes=3)
    assert sorted(three) == sorted(one) and [n for n in one if three[n] != one[n]] == []


def test_a_day_that_cannot_be_staged_in_another_process_fails_the_build(tmp_path: Path) -> None:
    config_path = golden_project(tmp_path)
    config = load_config(config_path)
    engine = engine_paths(config_path.parent / "mkdocs.yml", config.docs_dir)
    data = collect(pages.read_all(config.picks_dir))
    last = engine.staging / day_doc(data.days[-1].date)
    real_mkdir = Path.mkdir

    def refuse(path: Path, *args: object, **kwargs: object) -> None:
        if path == last.parent and os.getpid() != parent:
            raise PermissionError(f"no room in {path}")
        real_mkdir(path, *args, **kwargs)  # type: ignore[arg-type]

    parent = os.getpid()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Path, "mkdir", refuse)
        with pytest.raises(BuildError, match="no room in"):
            stage(config, engine, data, processes=len(data.days), per_process=1)
