"""Child processes that end with jobpicks: a killed `jobpicks build` must not leave site
engines writing into `site.new` while the next build starts over in the same folder."""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import signal
import sys
from collections.abc import Callable

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
