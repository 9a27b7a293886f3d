"""The benchmarks' own arithmetic, where a wrong figure would pass for a model's."""

from __future__ import annotations

import importlib.util
import math
import sys
from pathlib import Path
from types import ModuleType

import pytest

BENCH = Path(__file__).resolve().parent.parent / "bench"


def _bench_module(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"bench_{name}", BENCH / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_spearman_of_scores_all_the_same_is_undefined_not_a_crash() -> None:
    """A model that gives every posting the same score has no order to agree with."""
    scorer = _bench_module("scorer")
    rho = scorer.spearman([50, 50, 50, 50], [60, 70, 80, 90])
    assert math.isnan(rho)
    assert scorer.rho_text(rho) == "undefined (every score the same)"
    assert math.isnan(scorer.spearman([1], [2]))
    assert scorer.spearman([1, 2, 3, 4], [10, 20, 40, 30]) == pytest.approx(0.8)
    assert scorer.rho_text(scorer.spearman([1, 2, 3], [3, 2, 1])) == "-1.000"
