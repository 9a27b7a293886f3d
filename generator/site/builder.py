"""Build the site: stage the engine's docs folder, run the engine, then add what bypasses it.

The generator, not MkDocs plugins, derives the home page, archive, company pages, explore
data and RSS feeds (see `derive.py` and `feeds.py`). Pages the engine renders are written with
a site rendering of each day into a staging folder (mkdocs.yml's `docs_dir`, never committed)
next to a copy of `docs/`; the engine only renders markdown with Material's built-in search,
which keeps the site portable to Zensical (`engine.py` lists what the site relies on).
Feeds, explore data and company pages are written into the built site afterwards, computed
while the engine runs.

Scale is designed in: navigation lists sections, not days, so a day page stays small however
long the history; the explore table loads one year at a time; company pages cost a string
replacement each, not an engine page each.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import hashlib
import json
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from generator import health, pages
from generator.children import ForkedWork, cores, die_with_parent, split
from generator.config import Config
from generator.errors import AddressError, BuildError, FillError, SamplePageError
from generator.files import move_tree
from generator.models import DayPage
from generator.site import address, marks, saved, search, shards, shell
from generator.site.derive import (
    ASSETS,
    CompanyPage,
    SiteData,
    archive_pages,
    collect,
    companies_index,
    company_pages,
    day_page,
    explore_files,
    explore_page,
    home_page,
    picked,
    without_reasons,
)
from generator.site.engine import DOCS_DIR_ENV, ENGINES, Adapter, Engine, engine_paths
from generator.site.feeds import feeds
from generator.site.fills import Fills, apply
from generator.site.urls import day_doc, day_url
from generator.text import plural

BUILD_INFO = ".jobpicks-build.json"


# -- staging and build ----------------------------------------------------------------------


def stage(
    config: Config,
    engine: Engine,
    data: SiteData,
    shard_count: int = 1,
    *,
    processes: int = 1,
    per_process: int = pages.PAGES_PER_PROCESS,
) -> None:
    """Assemble the staging folder with what the engine renders: a copy of docs/, the site
    rendering of every day, the home page, archive, companies index, explore page and the
    company shell. With shards, days are dealt out round-robin and every other shard's
    folder gets stand-ins for the navigation's pages (see `shards.py`). With `processes`
    and at least `per_process` days for each, the days are rendered in that many processes
    (2.8 s of Jinja at three years, before any engine can start)."""
    shards.clear_others(engine.staging)
    for folder in (engine.staging, fills_of(engine).root):
        if folder.exists():
            shutil.rmtree(folder)
    if config.docs_dir.is_dir():
        shutil.copytree(
            config.docs_dir,
            engine.staging,
            ignore=shutil.ignore_patterns(".*", "picks"),
        )
    engine.staging.mkdir(parents=True, exist_ok=True)
    if not (engine.staging / "about.md").exists():  # a docs/about.md of the user's wins
        shutil.copy(ASSETS / "about.md", engine.staging / "about.md")
    days = [
        (shards.folder(engine.staging, n % shard_count) / day_doc(day.date), n, day)
        for n, day in enumerate(data.days)
    ]
    mine, *theirs = split(days, processes, per_process)
    fills = fills_of(engine)
    others = [
        ForkedWork(functools.partial(_write_days, data, fills, run), BuildError) for run in theirs
    ]
    try:
        _write_days(data, fills, mine)
    finally:
        for other in others:
            other.wait()
    texts: dict[Path, str] = {}
    home = home_page(data, config.site.title, saved.home_links(config))
    fills.write("", home.fills)
    site_pages = {
        "index.md": home.text,
        **archive_pages(data),
        **saved.pages(data, config),
        "companies/index.md": companies_index(data),
        shell.DOC: shell.markdown(),
        "explore/index.md": explore_page(),
        marks.MINE_DOC: marks.mine_page(address.repository(config, engine.mkdocs_yml.parent)),
        marks.APPLICATIONS_DOC: marks.applications_page(
            data.applications, shown=config.site.verdicts
        ),
        "stylesheets/jobpicks.css": (ASSETS / "jobpicks.css").read_text(encoding="utf-8"),
        "javascripts/search-explore.js": (ASSETS / "search-explore.js").read_text(encoding="utf-8"),
        **{rel: (ASSETS / Path(rel).name).read_text(encoding="utf-8") for rel in marks.ASSETS},
    }
    texts.update((engine.staging / rel, text) for rel, text in site_pages.items())
    for path, text in texts.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    for shard in range(1, shard_count):
        for doc in engine.nav_docs:
            source = engine.staging / doc
            # Generated pages are in hand; hand-written ones were copied from docs/.
            real = texts.get(source) or (
                source.read_text(encoding="utf-8") if source.is_file() else None
            )
            if real is not None:
                target = shards.folder(engine.staging, shard) / doc
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(shards.stand_in(real), encoding="utf-8")


def fills_of(engine: Engine) -> Fills:
    """Where the staged pages' cards wait for the engine's output: beside the staging folder,
    which the engine reads whole."""
    return Fills(engine.staging.with_name(engine.staging.name + "-fills"))


def _write_days(data: SiteData, fills: Fills, days: Sequence[tuple[Path, int, DayPage]]) -> None:
    for path, n, day in days:
        page = day_page(data, day, n)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(page.text, encoding="utf-8")
        fills.write(day_url(day.date), page.fills)


def _write_files(folder: Path, files: dict[str, bytes]) -> None:
    for rel, blob in files.items():
        path = folder / rel
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
    engine_processes: int = 1

    def summary(self) -> str:
        processes = (
            f", {self.engine_processes} engine processes" if self.engine_processes > 1 else ""
        )
        counts = ", ".join(
            [
                plural(self.days, "day"),
                plural(self.picks, "pick"),
                plural(self.companies, "company", "companies"),
            ]
        )
        return f"Built {self.site_dir}: {counts} in {self.seconds:.1f} s{processes}"


class _EngineRun:
    """The engine building the staged docs into `fresh`, in a subprocess, so the generator
    can write everything that bypasses the engine meanwhile."""

    def __init__(
        self,
        engine: Engine,
        adapter: Adapter,
        fresh: Path,
        log: IO[str],
        *,
        strict: bool,
        env: dict[str, str],
        docs_dir: Path | None = None,
    ) -> None:
        self.engine, self.adapter, self.fresh, self.log = engine, adapter, fresh, log
        self.kept = _sibling(engine.site_dir, ".keep")
        if adapter.in_place and engine.site_dir.exists():
            shutil.rmtree(self.kept, ignore_errors=True)
            engine.site_dir.rename(self.kept)
        env = {**os.environ, **env}
        # The staging folder is mkdocs.yml's default; only shards are pointed elsewhere.
        env.pop(DOCS_DIR_ENV, None)
        if docs_dir is not None:
            env[DOCS_DIR_ENV] = os.path.relpath(docs_dir, engine.mkdocs_yml.parent)
        try:
            self.process = subprocess.Popen(
                adapter.command(engine.mkdocs_yml, fresh, strict=strict),
                stdout=self.log,
                stderr=subprocess.STDOUT,
                cwd=engine.mkdocs_yml.parent,
                env=env,
                preexec_fn=die_with_parent(),  # a killed build leaves no engine behind
            )
        except BaseException:
            self._restore()
            raise

    def finish(self) -> tuple[int, list[str]]:
        """Wait for the engine: (exit code, output lines)."""
        try:
            code = self.process.wait()
            self.log.seek(0)
            output = self.log.read().splitlines()
            if self.adapter.in_place and code == 0:
                self.engine.site_dir.rename(self.fresh)
        finally:
            self._restore()
        return code, output

    def _restore(self) -> None:
        if self.adapter.in_place:
            shutil.rmtree(self.engine.site_dir, ignore_errors=True)
            if self.kept.exists():
                self.kept.rename(self.engine.site_dir)


def _sibling(folder: Path, suffix: str) -> Path:
    return folder.with_name(folder.name + suffix)


def _home(
    config: Config, root: Path, *, strict: bool, preview_url: str | None
) -> tuple[address.SiteAddress, list[str]]:
    """The address feeds link to, and a warning when it is only a fallback. `preview_url`
    builds for `jobpicks serve`; without an address, `strict` fails."""
    if preview_url:
        return address.SiteAddress(preview_url, "preview"), []
    found = address.resolve(config, root)
    if found is not None:
        return found, []
    if strict:
        raise AddressError(address.MISSING)
    warning = (
        f"WARNING: feeds link to {address.PREVIEW_URL} and cannot be published: "
        + address.HOW_TO_FIX
    )
    return address.SiteAddress(address.PREVIEW_URL, "preview"), [warning]


def _engine_env(config: Config, home: address.SiteAddress) -> dict[str, str]:
    """What mkdocs.yml reads from the environment (`!ENV`): the site's title, description,
    address and feed links, from jobpicks.yml."""
    return {
        "JOBPICKS_SITE_TITLE": config.site.title,
        "JOBPICKS_SITE_DESCRIPTION": config.site.description,
        # A preview's localhost address is not the site's: the engine gets none.
        "JOBPICKS_SITE_URL": "" if home.is_preview else home.url,
        "JOBPICKS_FEED_LINKS": saved.head_links(config, home.url),
    }


def _shard_count(engine: Engine, adapter: Adapter, days: int, processes: int | None) -> int:
    """Engine processes for the day pages: one unless the engine and mkdocs.yml allow more;
    `processes` fixes the number, else one per core when the history is long enough."""
    if not (engine.shardable and adapter.shards):
        return 1
    if processes is not None:
        return max(1, min(processes, days or 1))
    return shards.count(days, shardable=True)


@dataclass
class _Bypass:
    """What goes into the site beside the engine's output, made while it runs: the feeds and
    explore data already written to the folder `extra`, the company pages and their search
    entries to be filled in once the engine is done."""

    companies: list[CompanyPage]
    entries: list[search.Entry]


def _bypass(data: SiteData, config: Config, home: address.SiteAddress, extra: Path) -> _Bypass:
    files = feeds(data, config, home.url)
    files.update(saved.feeds(data, config, home.url))
    files.update((k, v.encode("utf-8")) for k, v in explore_files(data).items())
    files[marks.RECORDED_FILE] = json.dumps(data.recorded, ensure_ascii=False).encode("utf-8")
    _write_files(extra, files)
    return _Bypass(company_pages(data), search.entries(data))


def _run_engines(
    engine: Engine,
    adapter: Adapter,
    sites: list[Path],
    *,
    strict: bool,
    env: dict[str, str],
    meanwhile: Callable[[], _Bypass],
) -> tuple[_Bypass, list[str]]:
    """Run one engine process per site folder (the first renders the whole site, the others
    their shard's days), compute `meanwhile` as they run, and return it with the engines'
    warnings; a failed engine is a `BuildError` with its own words."""
    with contextlib.ExitStack() as stack:
        runs = [
            _EngineRun(
                engine,
                adapter,
                site,
                stack.enter_context(tempfile.TemporaryFile("w+", encoding="utf-8")),
                strict=strict,
                env=env,
                docs_dir=shards.folder(engine.staging, n) if len(sites) > 1 else None,
            )
            for n, site in enumerate(sites)
        ]
        try:
            bypass = meanwhile()
        finally:
            finished = [run.finish() for run in runs]
    output = [line for _, lines in finished for line in lines]
    warnings = [line for line in output if line.startswith(("WARNING", "ERROR"))]
    for returncode, lines in finished:
        if returncode != 0:
            detail = "\n".join([w for w in lines if w in warnings] or lines[-15:])
            raise BuildError(
                f"{adapter.name} build failed; the previous site is unchanged:\n{detail}"
            )
    return bypass, warnings


def _assemble(
    fresh: Path,
    shard_sites: list[Path],
    extra: Path,
    bypass: _Bypass,
    adapter: Adapter,
    fills: Fills,
) -> None:
    """Into the engine's output: the other shards' day pages, the cards of the day and home
    pages (`fills.py`), the feeds and explore data (written to `extra` meanwhile), the
    company pages and their search entries."""
    for shard_site in shard_sites:
        shards.merge(fresh, shard_site, "picks")
    # The engine's pages get their cards and lose their indentation (`shell.dedent`) while
    # ours are written: in another process for a long history (1,095 day pages: 0.5 s). The
    # company shell is left to `shell.write_pages`, which reads it meanwhile and dedents it.
    shell_page = shell.page_path(fresh)
    engine_pages = [p for p in fresh.rglob("*.html") if p != shell_page]
    filled = fills.pages()
    unrendered = filled - {p.relative_to(fresh) for p in engine_pages}
    if unrendered:
        raise FillError(f"the engine did not render {min(unrendered)}, a page jobpicks staged")
    finish = functools.partial(_finish_pages, fresh, engine_pages, fills, filled)
    other = (
        ForkedWork(finish, BuildError)
        if cores() > 1 and len(engine_pages) >= pages.PAGES_PER_PROCESS
        else None
    )
    try:
        if other is None:
            finish()
        move_tree(extra, fresh)
        shell.write_pages(fresh, bypass.companies)
        search.add_entries(fresh, bypass.entries, adapter.index)
    finally:
        if other is not None:
            other.wait()


def _finish_pages(site: Path, paths: list[Path], fills: Fills, filled: set[Path]) -> None:
    for path in paths:
        html = path.read_text(encoding="utf-8")
        page = path.relative_to(site)
        lean = shell.dedent(apply(html, fills.read(page), str(page)) if page in filled else html)
        if lean != html:
            path.write_text(lean, encoding="utf-8")


def _swap(site_dir: Path, fresh: Path) -> None:
    """Put `fresh` where the site was, removing the old one only once the new is in place."""
    old = _sibling(site_dir, ".old")
    if site_dir.exists():
        shutil.rmtree(old, ignore_errors=True)
        site_dir.rename(old)
    fresh.rename(site_dir)
    shutil.rmtree(old, ignore_errors=True)


def require_docs_dir(config: Config, config_path: Path | None = None) -> None:
    """A missing docs folder is a typo in `docs_dir` or the wrong folder, not an empty
    history (that is a docs folder without pages): building from it would replace the site
    with an empty one, for `publish` to push. Callers that lock the folder, which creates
    it, ask first."""
    if config.docs_dir.is_dir():
        return
    where = f" in {config_path}" if config_path is not None else ""
    raise BuildError(
        f"{config.docs_dir}: no such folder (the config's `docs_dir`{where}), so there is "
        "nothing to build; the previous site is unchanged. Correct `docs_dir`, or run "
        "`jobpicks run` first: it writes the first day's page there"
    )


def _sample_pages(config: Config, days: Sequence[DayPage], *, strict: bool) -> list[str]:
    """A warning naming the sample days left among the reader's own; `strict` refuses."""
    found = health.sample_pages(config, days)
    if not found:
        return []
    message = health.sample_pages_warning(found)
    if strict:
        raise SamplePageError(f"{message}; the previous site is unchanged")
    return [f"WARNING: {message}"]


def build(
    config: Config,
    mkdocs_yml: Path,
    *,
    strict: bool = False,
    engine_name: str = "mkdocs",
    processes: int | None = None,
    preview_url: str | None = None,
    site_dir: Path | None = None,
) -> BuildResult:
    """Stage, build into a fresh folder, then swap it in: a failed build leaves the previous
    site exactly as it was. `processes` fixes the number of engine processes (by default,
    one per core when the history is long enough; see `shards.py`). `preview_url` builds for
    `jobpicks serve`: feeds link to that local address, and `publish` refuses the result.
    Otherwise feeds link to the site's address (`address.py`); without one, `strict` fails
    and a lenient build falls back to localhost with a warning. `site_dir` builds somewhere
    else than mkdocs.yml's site_dir (`jobpicks serve`'s preview)."""
    started = time.perf_counter()
    require_docs_dir(config)
    adapter = ENGINES[engine_name]
    engine = engine_paths(mkdocs_yml, config.docs_dir)
    if site_dir is not None:
        engine = dataclasses.replace(engine, site_dir=site_dir.resolve())
    home, extra_warnings = _home(config, mkdocs_yml.parent, strict=strict, preview_url=preview_url)
    days = pages.read_all(config.picks_dir, processes=cores())
    extra_warnings += _sample_pages(config, days, strict=strict)
    data = collect(days if config.site.reasons else without_reasons(days), config.liveness)
    data.engine = adapter
    latest = marks.recorded(config.feedback) if config.site.verdicts else {}
    where = picked(data)
    data.applications = marks.applications(latest, where)
    data.recorded = marks.browser_marks(latest, where, config.timezone)
    shard_count = _shard_count(engine, adapter, len(data.days), processes)
    stage(config, engine, data, shard_count, processes=cores())
    fresh, extra = _sibling(engine.site_dir, ".new"), _sibling(engine.site_dir, ".extra")
    shard_sites = [_sibling(engine.site_dir, f".shard-{n}") for n in range(1, shard_count)]
    for folder in (extra, fresh, *shard_sites):
        shutil.rmtree(folder, ignore_errors=True)
    try:
        # Meanwhile: feeds and explore data go to a folder beside the site (the engine
        # empties its site folder first) and are moved in afterwards.
        bypass, warnings = _run_engines(
            engine,
            adapter,
            [fresh, *shard_sites],
            strict=strict,
            env=_engine_env(config, home),
            meanwhile=lambda: _bypass(data, config, home, extra),
        )
        _assemble(fresh, shard_sites, extra, bypass, adapter, fills_of(engine))
        info = {
            "newest_day": data.days[0].date.isoformat() if data.days else None,
            "days": len(data.days),
            "pages_fingerprint": pages_fingerprint(config.picks_dir),
            "site_url": home.url,
            "site_url_source": home.source,
        }
        (fresh / BUILD_INFO).write_text(json.dumps(info), encoding="utf-8")
    except BaseException:
        shutil.rmtree(fresh, ignore_errors=True)
        raise
    finally:
        for folder in (extra, *shard_sites):
            shutil.rmtree(folder, ignore_errors=True)
    _swap(engine.site_dir, fresh)
    return BuildResult(
        engine.site_dir,
        len(data.days),
        sum(len(d.picks) for d in data.days),
        len(data.companies),
        time.perf_counter() - started,
        warnings + extra_warnings,
        shard_count,
    )


def pages_fingerprint(picks_dir: Path) -> str:
    """Changes when any day page changes: publish refuses a site built from older pages."""
    digest = hashlib.sha256()
    for path in pages.iter_page_paths(picks_dir):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:20]
