"""CPU batch benchmark: ``tl.batch_grad`` (rows over Numba's prange threads) against a
Python loop of ``tl.grad(f, compile="numba")`` calls, on 1 and 2 cores.

    python -m benchmarks.cpu_batch [--rows 10000] [--reps 5] [--json PATH]

The models are the GPU benchmark's (a damped pendulum integrated with RK4 for 100 steps,
a Black-Scholes price, a 16-dimensional Rosenbrock function). Every batched gradient is
checked against the loop's (1e-12 relative). Times are the best of ``--reps``; the
speed-up column is the loop's time over the batch's.
"""

import argparse
import json
import os
import time

import numba
import numpy as np

import tangentlike as tl
from .gpu import MODELS, _rows


def best_of(call, reps):
    best = float("inf")
    for _ in range(reps):
        t0 = time.perf_counter()
        call()
        best = min(best, time.perf_counter() - t0)
    return best


def bench(name, n, reps, threads):
    f, rest = MODELS[name]
    X = _rows(name, n, np.random.default_rng(0))
    df = tl.grad(f, compile="numba")
    g = tl.batch_grad(f)
    G = g(X, *rest)  # compile both first
    loop = np.array([df(x, *rest) for x in X])
    np.testing.assert_allclose(G, loop, rtol=1e-12, atol=1e-12)
    rec = {
        "model": name,
        "rows": n,
        "loop_s": best_of(lambda: [df(x, *rest) for x in X], max(1, reps // 2)),
    }
    for t in threads:
        numba.set_num_threads(t)
        g(X, *rest)
        rec[f"batch_{t}_s"] = best_of(lambda: g(X, *rest), reps)
    numba.set_num_threads(max(threads))
    return rec


def table(recs, threads):
    head = (
        "| model | rows | loop of df calls | "
        + " | ".join(f"batch_grad, {t} core{'s' if t > 1 else ''} (speed-up)" for t in threads)
        + " |"
    )
    lines = [head, "|" + "---|" * (3 + len(threads))]
    for r in recs:
        cells = [
            f"{r[f'batch_{t}_s'] * 1e3:.2f} ms ({r['loop_s'] / r[f'batch_{t}_s']:.0f}x)"
            for t in threads
        ]
        lines.append(
            f"| {r['model']} | {r['rows']} | {r['loop_s'] * 1e3:.1f} ms | "
            + " | ".join(cells)
            + " |"
        )
    return "\n".join(lines)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=10000)
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--models", default=",".join(MODELS))
    ap.add_argument("--json")
    a = ap.parse_args(argv)
    threads = sorted({1, min(2, numba.config.NUMBA_NUM_THREADS)})
    recs = [bench(m, a.rows, a.reps, threads) for m in a.models.split(",")]
    print(
        f"threads available: {numba.config.NUMBA_NUM_THREADS}, cpu count {os.cpu_count()}, "
        f"threading layer {numba.threading_layer()}"
    )
    print(table(recs, threads))
    if a.json:
        with open(a.json, "w") as fh:
            json.dump(recs, fh, indent=1)


if __name__ == "__main__":
    main()
