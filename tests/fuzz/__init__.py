"""Differential fuzzer: random programs (generator.py), checked against finite differences
and independent modes (checker.py), failures shrunk to minimal reproducers (shrinker.py).

``python -m tests.fuzz --count 20000 [--seed S] [--numba]`` runs a campaign (campaign.py);
tests/test_fuzz.py runs a fixed-seed sample and the kept regressions (regressions/).
"""
