"""Corpus of module-level functions for testing tangentlike.

Each module defines functions and a list CASES (scalar output, for tl.grad);
vjp_cases also defines VJP_CASES (vector output, for tl.vjp).
"""

from . import (
    arrays,
    assign,
    broadcast,
    calls,
    control,
    indexing,
    kernels,
    loops,
    mathfns,
    realworld,
    structs,
    vjp_cases,
)

MODULES = [
    assign,
    control,
    loops,
    indexing,
    calls,
    mathfns,
    arrays,
    broadcast,
    kernels,
    structs,
    realworld,
    vjp_cases,
]


def _unique_ids(cases):
    seen = {}
    ids = []
    for c in cases:
        k = seen.get(c.name, 0)
        seen[c.name] = k + 1
        ids.append(c.name if k == 0 else f"{c.name}-{k}")
    return ids


ALL_CASES = [c for m in MODULES for c in m.CASES]
ALL_IDS = _unique_ids(ALL_CASES)
VJP_CASES = list(vjp_cases.VJP_CASES)
VJP_IDS = _unique_ids(VJP_CASES)
