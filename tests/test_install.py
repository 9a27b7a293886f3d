"""Reproducible installs: the lock files follow pyproject.toml and every install uses them,
so the daily job runs exactly the versions the tests ran. And nothing reads outside the
repository, because a user's clone and GitHub's CI have nothing beside it."""

from __future__ import annotations

import re
import subprocess
import tomllib
from pathlib import Path

import pytest
from conftest import ROOT
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

LOCKS = ROOT / "requirements"
_PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)")


def _pins(lock: Path) -> dict[str, Version]:
    text = lock.read_text(encoding="utf-8")
    pins: dict[str, Version] = {}
    for block in re.split(r"\n(?=\S)", text):
        match = _PIN.match(block)
        if match is None:
            continue
        assert "--hash=sha256:" in block, f"{lock.name}: {match[1]} has no hash"
        pins[canonicalize_name(match[1])] = Version(match[2])
    assert pins, f"{lock} pins nothing"
    return pins


def _declared() -> tuple[list[Requirement], list[Requirement]]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    run = [Requirement(r) for r in project["dependencies"]]
    extras = project["optional-dependencies"]
    dev = [Requirement(r) for name in ("dev", "zensical") for r in extras[name]]
    return run, dev


def _assert_locked(requirements: list[Requirement], pins: dict[str, Version], lock: str) -> None:
    for requirement in requirements:
        name = canonicalize_name(requirement.name)
        assert name in pins, f"{requirement.name} is in pyproject.toml but not in {lock}"
        assert requirement.specifier.contains(pins[name], prereleases=True), (
            f"{lock} pins {name}=={pins[name]}, outside pyproject's {requirement}: "
            "run `bash requirements/compile.sh`"
        )


def test_the_locks_follow_pyproject_and_agree() -> None:
    run, dev = _declared()
    run_pins, dev_pins = _pins(LOCKS / "run.txt"), _pins(LOCKS / "dev.txt")
    _assert_locked(run, run_pins, "requirements/run.txt")
    _assert_locked(run + dev, dev_pins, "requirements/dev.txt")
    differing = {n: (v, dev_pins.get(n)) for n, v in run_pins.items() if dev_pins.get(n) != v}
    assert not differing, f"run.txt and dev.txt disagree: {differing}"


@pytest.mark.parametrize(
    ("path", "lock"),
    [
        (".github/workflows/daily.yml", "requirements/run.txt"),
        (".github/workflows/ci.yml", "requirements/dev.txt"),
        (".ci/run", "requirements/dev.txt"),
        ("README.md", "requirements/run.txt"),
        ("README.md", "requirements/dev.txt"),
    ],
)
def test_every_install_uses_a_lock(path: str, lock: str) -> None:
    text = (ROOT / path).read_text(encoding="utf-8")
    options = r"(?:-q |--quiet |--disable-pip-version-check )*"
    assert re.search(rf"pip install {options}-r {re.escape(lock)}\b", text), path
    unpinned = re.findall(rf"pip install {options}(?:-e )?'?\.(?:\[[^\]]*\])?'?", text)
    assert not unpinned, f"{path} installs the project with its dependencies unlocked"


def test_nothing_reads_outside_the_repository() -> None:
    tracked = subprocess.run(
        ["git", "ls-files", "tests", "bench", ".ci", "generator", "samples", ".github"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    offenders = [
        name
        for name in tracked
        if name != "tests/test_install.py"
        and not name.startswith("tests/fixtures/")
        and re.search(r"\.\./shared|\"shared\"|parent\.parent\.parent", _text(ROOT / name))
    ]
    assert not offenders, f"these read outside the repository: {offenders}"


def _text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (UnicodeDecodeError, FileNotFoundError):
        return ""
