"""Writing files so that a crash, a full disk or a second run never leaves a torn file."""

from __future__ import annotations

import contextlib
import fcntl
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from generator.errors import LockError, PageError

TEMP_SUFFIX = ".tmp"
"""Temp files are `.NAME.XXXX.tmp` beside their target: a write killed half-way can leave
one, which `.gitignore` and `jobpicks commit` keep out of the history."""
FILE_MODE = 0o644
"""A new file's mode: readable by all, like any file a program writes (mkstemp's 0600 would
make pages unreadable to a web server or a second user)."""


def is_temp_file(path: Path) -> bool:
    return path.name.startswith(".") and path.name.endswith(TEMP_SUFFIX)


def atomic_write_text(path: Path, text: str) -> None:
    """Write via a temp file in the same folder, fsync, then rename over `path`; the file
    keeps the mode it had, or gets `FILE_MODE`."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        mode = path.stat().st_mode & 0o777 if path.exists() else FILE_MODE
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=TEMP_SUFFIX, dir=path.parent)
    except OSError as exc:
        raise PageError(f"{path}: cannot write: {exc.strerror or exc}") from None
    try:
        os.fchmod(fd, mode)
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise PageError(f"{path}: cannot write: {exc.strerror or exc}") from None


@contextlib.contextmanager
def exclusive_lock(folder: Path, purpose: str) -> Iterator[None]:
    """Hold a lock file in `folder` for the duration; a second holder fails at once."""
    lock_path = folder / ".jobpicks.lock"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle = lock_path.open("a+")
    except OSError as exc:
        raise PageError(f"{folder}: cannot write there: {exc.strerror or exc}") from None
    try:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise LockError(
                f"another jobpicks command is already {purpose} in {folder} "
                f"(lock {lock_path}); wait for it to finish and try again"
            ) from None
        yield
    finally:
        handle.close()


def move_tree(source: Path, target: Path) -> None:
    """Move `source`'s tree into `target` by renames, a whole folder at a time where `target`
    has none (both on one file system: no copying)."""
    for child in source.iterdir():
        there = target / child.name
        if child.is_dir() and there.is_dir():
            move_tree(child, there)
        else:
            there.parent.mkdir(parents=True, exist_ok=True)
            child.replace(there)
