"""Build the site: stage the engine's docs folder, run the engine, then add what bypasses it.

The generator, not MkDocs plugins, derives the home page, archive, company pages, explore
data and RSS feeds (see `derive.py` and `feeds.py`). Pages the engine renders are written with
a site rendering of each day into a staging folder (mkdocs.yml's `docs_dir`, never committed)
next to a copy of `docs/`; the engine only renders markdown with Material's built-in search
and tags, which keeps the site portable to Zensical. Feeds, explore data and company pages
are written into the built site afterwards, computed while the engine runs.

Scale is designed in: navigation lists sections, not days, so a day page stays small however
long the history; the explore table loads one year at a time; company pages cost a string
replacement each, not an engine page each.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import yaml

from generator import pages
from generator.config import Config
from generator.errors import JobpicksError
from generator.site import search, shell
from generator.site.derive import (
    ASSETS,
    SiteData,
    archive_pages,
    collect,
    companies_index,
    company_pages,
    day_doc,
    day_page,
    explore_files,
    home_page,
)
from generator.site.feeds import feeds

BUILD_INFO = ".jobpicks-build.json"


class BuildError(JobpicksError):
    """Raised by `build` when the site cannot be built; the previous site is left in place."""


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


def stage(config: Config, engine: Engine) -> SiteData:
    """Assemble the staging folder with what the engine renders: a copy of docs/, the site
    rendering of every day, the home page, archive, companies index, explore page and the
    company shell."""
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
    texts: dict[str, str] = {day_doc(day.date): day_page(data, day) for day in data.days}
    texts["index.md"] = home_page(data, config.site.title)
    texts.update(archive_pages(data))
    texts["companies/index.md"] = companies_index(data)
    texts[shell.DOC] = shell.markdown()
    texts["explore/index.md"] = (ASSETS / "explore.md").read_text(encoding="utf-8")
    texts["stylesheets/jobpicks.css"] = (ASSETS / "jobpicks.css").read_text(encoding="utf-8")
    for rel, text in texts.items():
        path = engine.staging / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return data


def _write_files(folder: Path, files: dict[str, bytes]) -> None:
    for rel, blob in files.items():
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(blob)


def _move_into(source: Path, target: Path) -> None:
    """Move `source`'s tree into `target`, a whole folder at a time where `target` has none."""
    for child in source.iterdir():
        there = target / child.name
        if child.is_dir() and there.is_dir():
            _move_into(child, there)
        else:
            child.replace(there)


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


class _EngineRun:
    """The engine building the staged docs into `fresh`, in a subprocess, so the generator
    can write everything that bypasses the engine meanwhile."""

    def __init__(
        self, engine: Engine, name: str, config: Config, fresh: Path, log: IO[str], *, strict: bool
    ) -> None:
        command = [*ENGINES[name], "--config-file", str(engine.mkdocs_yml)]
        command += ["--strict"] if strict else []
        # Zensical has no --site-dir: it builds into site_dir itself, so the previous site
        # waits beside it and comes back whatever happens.
        self.in_place = name != "mkdocs"
        if not self.in_place:
            command += ["--site-dir", str(fresh)]
        self.engine, self.fresh = engine, fresh
        self.kept = _sibling(engine.site_dir, ".keep")
        if self.in_place and engine.site_dir.exists():
            shutil.rmtree(self.kept, ignore_errors=True)
            engine.site_dir.rename(self.kept)
        env = {
            **os.environ,
            "JOBPICKS_SITE_TITLE": config.site.title,
            "JOBPICKS_SITE_DESCRIPTION": config.site.description,
            "JOBPICKS_SITE_URL": config.site.url,
        }
        self.log = log
        try:
            self.process = subprocess.Popen(
                command,
                stdout=self.log,
                stderr=subprocess.STDOUT,
                cwd=engine.mkdocs_yml.parent,
                env=env,
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
            if self.in_place and code == 0:
                self.engine.site_dir.rename(self.fresh)
        finally:
            self._restore()
        return code, output

    def _restore(self) -> None:
        if self.in_place:
            shutil.rmtree(self.engine.site_dir, ignore_errors=True)
            if self.kept.exists():
                self.kept.rename(self.engine.site_dir)


def _sibling(folder: Path, suffix: str) -> Path:
    return folder.with_name(folder.name + suffix)


def build(
    config: Config, mkdocs_yml: Path, *, strict: bool = False, engine_name: str = "mkdocs"
) -> BuildResult:
    """Stage, build into a fresh folder, then swap it in: a failed build leaves the previous
    site exactly as it was."""
    started = time.perf_counter()
    engine = engine_paths(mkdocs_yml, config.docs_dir)
    data = stage(config, engine)
    fresh, extra = _sibling(engine.site_dir, ".new"), _sibling(engine.site_dir, ".extra")
    for folder in (fresh, extra):
        shutil.rmtree(folder, ignore_errors=True)
    try:
        with tempfile.TemporaryFile("w+", encoding="utf-8") as log:
            run = _EngineRun(engine, engine_name, config, fresh, log, strict=strict)
            try:
                # Meanwhile, on the other core: feeds and explore data go to a folder beside the
                # site (the engine empties its site folder first) and are moved in afterwards.
                files = feeds(data, config, config.site.url or "http://127.0.0.1:8000/")
                files.update((k, v.encode("utf-8")) for k, v in explore_files(data).items())
                _write_files(extra, files)
                companies = company_pages(data)
                entries = search.day_entries(data) + search.company_entries(companies)
                info = {
                    "newest_day": data.days[0].date.isoformat() if data.days else None,
                    "days": len(data.days),
                    "pages_fingerprint": pages_fingerprint(config.picks_dir),
                }
            finally:
                returncode, output = run.finish()
        warnings = [line for line in output if line.startswith(("WARNING", "ERROR"))]
        if returncode != 0:
            detail = "\n".join(warnings or output[-15:])
            raise BuildError(
                f"{engine_name} build failed; the previous site is unchanged:\n{detail}"
            )
        _move_into(extra, fresh)
        shell.write_pages(fresh, companies)
        search.add_entries(fresh, entries)
        (fresh / BUILD_INFO).write_text(json.dumps(info), encoding="utf-8")
    except BaseException:
        shutil.rmtree(fresh, ignore_errors=True)
        raise
    finally:
        shutil.rmtree(extra, ignore_errors=True)
    old = _sibling(engine.site_dir, ".old")
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
