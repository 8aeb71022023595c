"""Timing for tests that compare costs: always against a baseline measured in the same run (a loaded
machine slows both), never against a wall-clock limit."""
from __future__ import annotations

import time
from typing import Callable


def best_of(fn: Callable[[], object], runs: int = 3) -> float:
    "The shortest of ``runs`` timings of ``fn()``, in seconds: a loaded machine slows one run, not all."
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best
