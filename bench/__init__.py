"""Benchmark of xxgk-archive against baselines on this machine (issue 9): ``python -m bench``."""
