"""The README says what is true: its configuration table lists every key the config model
accepts, and renders as one table; its module table names every module there is, each in
its own folder's row."""

from __future__ import annotations

import re

from conftest import ROOT
from pydantic import BaseModel

from generator.config import Config, Source

README = (ROOT / "README.md").read_text(encoding="utf-8")


def _table() -> list[str]:
    match = re.search(r"<!-- config-table -->\n(.*?)\n<!-- /config-table -->", README, re.S)
    assert match, "README.md has no config table between <!-- config-table --> markers"
    return match[1].splitlines()


def _documented() -> set[str]:
    keys: set[str] = set()
    for row in _table()[2:]:
        first = row.split("|")[1]
        keys.update(re.findall(r"`([^`]+)`", first))
    return keys


def _config_keys() -> set[str]:
    keys: set[str] = set()
    for name, field in Config.model_fields.items():
        section = field.annotation
        if isinstance(section, type) and issubclass(section, BaseModel):
            keys.update(f"{name}.{key}" for key in section.model_fields)
        else:
            keys.add(name)
    for source in Source.__origin__.__args__:  # type: ignore[attr-defined]
        keys.update(f"sources[].{key}" for key in source.model_fields)
    return keys


def test_the_config_table_is_one_table() -> None:
    rows = _table()
    assert rows[0].startswith("| key |")
    broken = [row for row in rows if not row.startswith("|")]
    assert not broken, f"lines that split the config table: {broken}"


def test_every_config_key_is_in_the_readme() -> None:
    missing = sorted(_config_keys() - _documented())
    assert not missing, f"config keys missing from README's table: {missing}"
    unknown = sorted(_documented() - _config_keys())
    assert not unknown, f"README documents keys the config does not accept: {unknown}"


def _module_table() -> str:
    match = re.search(r"<!-- module-table -->\n(.*?)\n<!-- /module-table -->", README, re.S)
    assert match, "README.md has no module table between <!-- module-table --> markers"
    return match[1]


_MODULE = r"`([\w/]+(?:\.py|/))`"
"""A module (`run.py`, `check/run.py`) or folder (`check/`) in backticks."""


def _module_names() -> tuple[set[str], set[str]]:
    """What the module table documents, and what else it refers to, as paths under generator/.

    A row documents the folder or modules of its first cell, and each bare `x.py` it names in
    that folder (the `check/` row's `run.py` is `check/run.py`), or at the top level in a row
    of top-level modules. A path with a slash outside the first cell (`sources/boards.py` in
    the `check/` row) only refers to a module; its own row must document it."""
    documented: set[str] = set()
    referred: set[str] = set()
    for row in _module_table().splitlines()[2:]:
        cells = row.split("|")
        heads = re.findall(_MODULE, cells[1])
        folders = [head for head in heads if head.endswith("/")]
        names = re.findall(_MODULE, "|".join(cells[2:]))
        bare = [name for name in names if "/" not in name]
        assert not (bare and len(folders) > 1), f"which folder holds {bare}? {cells[1]}"
        folder = folders[0] if folders else ""
        documented.update(heads, (folder + name for name in bare))
        referred.update(name for name in names if "/" in name)
    return documented, referred


def test_the_module_table_names_every_module_in_its_own_folder_s_row() -> None:
    documented, referred = _module_names()
    package = ROOT / "generator"
    files = [p for p in package.rglob("*.py") if "__pycache__" not in p.parts]
    paths = {p.relative_to(package).as_posix() for p in files}
    missing = sorted(paths - documented - {"__init__.py"})
    assert not missing, f"modules missing from their folder's row of the module table: {missing}"
    folders = {p.name + "/" for p in package.iterdir() if p.is_dir() and p.name != "__pycache__"}
    missing = sorted(folders - documented)
    assert not missing, f"folders of generator/ without a row of the module table: {missing}"
    nested = {p.relative_to(package).as_posix() + "/" for p in package.rglob("*") if p.is_dir()}
    unknown = sorted((documented | referred) - paths - nested)
    assert not unknown, f"README's module table names modules that do not exist: {unknown}"
