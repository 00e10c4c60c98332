"""Minimal programs the fuzzer (or the issue) found wrong or crashing, kept as regression
tests (tests/test_fuzz.py). Each module defines ``f(a, b, v, M)``; its first lines say what
was wrong, ``# args:`` gives the arguments (else the fuzzer's for seed 0) and ``# numba``
asks for the compiled checks too."""
