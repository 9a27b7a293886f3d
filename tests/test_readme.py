"""The README says what is true: its configuration table lists every key the config model
accepts, and renders as one table; its module table names every module there is."""

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


def test_the_module_table_names_every_module_and_only_those() -> None:
    table = _module_table()
    named = set(re.findall(r"`([\w/]+(?:\.py)?/?)`", table))
    package = ROOT / "generator"
    files = [p for p in package.rglob("*.py") if "__pycache__" not in p.parts]
    missing = sorted(
        str(p.relative_to(package))
        for p in files
        if p.name not in named and not (p.name == "__init__.py" and p.parent == package)
    )
    assert not missing, f"modules missing from README's module table: {missing}"
    folders = {p.relative_to(package).parts[0] + "/" for p in package.iterdir() if p.is_dir()}
    assert folders - {"__pycache__/"} <= named, "a folder of generator/ is not in the table"
    nested = {f"{p.relative_to(package).as_posix()}/" for p in package.rglob("*") if p.is_dir()}
    paths = {p.relative_to(package).as_posix() for p in files}
    existing = {p.name for p in files} | paths | nested
    unknown = sorted(n for n in named if n.endswith((".py", "/")) and n not in existing)
    assert not unknown, f"README's module table names modules that do not exist: {unknown}"
