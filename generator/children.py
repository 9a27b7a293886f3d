"""Child processes that end with jobpicks: a killed `jobpicks build` must not leave site
engines writing into `site.new` while the next build starts over in the same folder."""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import multiprocessing
import os
import signal
import sys
from collections.abc import Callable, Sequence
from typing import TypeVar

T = TypeVar("T")

_PR_SET_PDEATHSIG = 1


def _linux_prctl() -> Callable[..., int] | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
    except OSError:
        return None
    prctl: Callable[..., int] = libc.prctl
    return prctl


_PRCTL = _linux_prctl()
"""Resolved before any fork: the child may then only call it."""


def die_with_parent() -> Callable[[], None] | None:
    """A `preexec_fn` that has the kernel kill the child when its parent dies (Linux), or
    None where that cannot be asked for (then a killed build can leave its engines)."""
    if _PRCTL is None:
        return None
    prctl, parent = _PRCTL, os.getpid()

    def in_child() -> None:
        prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        if os.getppid() != parent:  # the parent died before the line above
            os._exit(1)

    return in_child


def cores() -> int:
    """The cores this process may run on."""
    found = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return found or 1


def split(items: Sequence[T], processes: int, per_process: int) -> list[Sequence[T]]:
    """`items` in order, in up to `processes` runs of at least `per_process` each: one run
    (the caller's own) when there are too few to be worth another process."""
    count = max(1, min(processes, len(items) // max(1, per_process)))
    size = max(1, -(-len(items) // count))
    return [items[start : start + size] for start in range(0, len(items), size)] or [items]


class ForkedWork:
    """`work` started now in a forked child, which inherits everything it reads (no
    pickling) and dies with this process; `wait` returns once it is done, or raises
    `error` with the child's own words."""

    def __init__(self, work: Callable[[], None], error: type[Exception]) -> None:
        context = multiprocessing.get_context("fork")
        self._error = error
        self._receive, send = context.Pipe(duplex=False)
        setup = die_with_parent()

        def child() -> None:
            if setup is not None:
                setup()
            try:
                work()
            except BaseException as exc:  # the parent says it, once
                send.send(str(exc) or type(exc).__name__)
                raise SystemExit(1) from None

        self._process = context.Process(target=child, daemon=True)
        self._process.start()
        send.close()

    def wait(self) -> None:
        self._process.join()
        code, said = self._process.exitcode, ""
        with self._receive:
            if code == 0:
                return
            with contextlib.suppress(EOFError):  # killed before it could say why
                said = self._receive.recv() if self._receive.poll() else ""
        raise self._error(said or f"a child process ended with {code}")
