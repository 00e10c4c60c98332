"""tangentlike demo: generate a readable adjoint, check it, compile it with Numba.

Run: python examples/demo.py
"""

import os
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import tangentlike as tl  # noqa: E402
from tangentlike.checking import finite_difference_check  # noqa: E402
from thermal import simulate  # noqa: E402


def main():
    dsim = tl.grad(simulate)  # gradient w.r.t. argument 0 (heat)
    print("=" * 72)
    print("Generated adjoint of examples/thermal.py:simulate")
    print("=" * 72)
    print(tl.source(dsim))

    heat = np.linspace(0.0, 2.0, 50)
    args = (heat, 18.0, 2.0, 5.0, 0.1)
    print("Interpreted gradient vs central finite differences:")
    report = finite_difference_check(simulate, dsim, args)
    print(report.text)

    fast = tl.grad(simulate, compile="numba")
    t0 = time.perf_counter()
    g_fast = fast(*args)
    first = time.perf_counter() - t0
    diff = np.max(np.abs(g_fast - dsim(*args))) / np.max(np.abs(g_fast))
    print(
        f"\nNumba-compiled gradient: first call {first:.2f} s (generation + compile, "
        f"or a disk-cache hit), max relative difference to interpreted {diff:.1e}"
    )

    all_grads = tl.grad(simulate, wrt=(0, 1, 2, 3), compile="numba")
    big = (np.ones(10000), 18.0, 2.0, 5.0, 0.1)
    all_grads(*big)
    import numba

    primal = numba.njit(simulate)
    primal(*big)
    reps = 200
    t0 = time.perf_counter()
    for _ in range(reps):
        primal(*big)
    tp = (time.perf_counter() - t0) / reps
    t0 = time.perf_counter()
    for _ in range(reps):
        all_grads(*big)
    tg = (time.perf_counter() - t0) / reps
    print(
        f"10000 steps: Numba primal {tp * 1e6:.1f} us, gradient w.r.t. heat, T0, R, C "
        f"{tg * 1e6:.1f} us (ratio {tg / tp:.1f}x)"
    )
    ok = report.ok and diff < 1e-12
    print("\nDEMO", "PASSED" if ok else "FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
