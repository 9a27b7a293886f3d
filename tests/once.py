"""A folder made once per test run, however many xdist workers read it."""

from __future__ import annotations

import fcntl
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest


def made_once(factory: pytest.TempPathFactory, name: str, make: Callable[[Path], object]) -> Path:
    """`make(folder)` for the first worker that asks; the others wait for it and read the
    same folder. Each of the suite's read-only sites was built by both workers, 2-3 s of
    CPU apiece on a machine the suite keeps busy. Without xdist: a folder of this
    session's own. A `make` that fails leaves nothing marked done, so the next asker
    tries again and fails the same way, by name."""
    if "PYTEST_XDIST_WORKER" not in os.environ:
        folder = factory.mktemp(name)
        make(folder)
        return folder
    root = factory.getbasetemp().parent  # this run's, shared by its workers
    folder, done = root / name, root / f"{name}.done"
    with (root / f"{name}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not done.exists():
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir()
            make(folder)
            done.touch()
    return folder
