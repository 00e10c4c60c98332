"""Recompute cost and memory of binomial checkpointing (docs/checkpointing.md).

    python -m benchmarks.checkpoint            # n = 1e4, 1e5, 1e6
    python -m benchmarks.checkpoint --quick    # n = 1e4 only

For the thermal model (tests/checkpoint_funcs.simulate), compiled with Numba, and each
snapshot count: how often each step runs (untaped runs of the schedule, forward sweep
included, plus one taped run), the
best-of-5 time against the ordinary taped gradient, and the peak memory the derivative
keeps: tape plus snapshots. Memory is measured with ``tape_stats`` (plain Python) at
n <= 1e5; at 1e6 it is extrapolated from those measurements (the checkpointed tape does not
grow with n, each snapshot has the same size; the taped gradient keeps 8 (n + 1) bytes).
"""

import sys
import time

import numpy as np

import tangentlike as tl
from tangentlike.runtime import revolve
from tests.checkpoint_funcs import simulate

WRT = (0, 1, 2, 3)
SNAPSHOTS = (10, 20, 100, True)


def best_of(fn, args, repeat=5):
    fn(*args)
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn(*args)
        times.append(time.perf_counter() - t0)
    return min(times)


def memory(snaps, args, cache):
    """Peak tape + snapshot bytes: measured up to 1e5 steps, extrapolated beyond (the tape
    of a checkpointed gradient does not grow with n; its snapshots are all the same size)."""
    n = args[0].shape[0]
    if n > 10**5:
        if snaps is None:
            return 8 * (n + 1)
        tape, per_snapshot = cache[snaps]
        return tape + per_snapshot * (revolve.default_snapshots(n) if snaps is True else snaps)
    stats = tl.grad(simulate, checkpoint=snaps).tape_stats(*args)
    if snaps is not None:
        cache[snaps] = (stats["bytes"], stats["snapshot_bytes"] // stats["snapshots"])
    return stats["bytes"] + stats.get("snapshot_bytes", 0)


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    sizes = (10**4,) if "--quick" in argv else (10**4, 10**5, 10**6)
    taped = tl.grad(simulate, wrt=WRT, compile="numba")
    primal = __import__("numba").njit(simulate)
    cache = {}
    print("thermal model, Numba, gradient w.r.t. heat, T0, R, C; best of 5 calls")
    print(
        f"{'steps':>8} {'snapshots':>10} {'step runs/step':>18} {'time ms':>9} "
        f"{'x taped':>8} {'x primal':>9} {'memory':>10}"
    )
    for n in sizes:
        args = (np.ones(n), 18.0, 2.0, 5.0, 0.1)
        ref = taped(*args)
        t_primal = best_of(primal, args)
        t_taped = best_of(taped, args)
        print(
            f"{n:>8} {'(taped)':>10} {1.0:>18.2f} {t_taped * 1e3:>9.2f} {1.0:>8.2f} "
            f"{t_taped / t_primal:>9.1f} {memory(None, args, cache):>10,}"
        )
        for snaps in SNAPSHOTS:
            d = tl.grad(simulate, wrt=WRT, compile="numba", checkpoint=snaps)
            got = d(*args)
            assert all(np.array_equal(a, b) for a, b in zip(got, ref)), "gradients differ"
            s = revolve.default_snapshots(n) if snaps is True else snaps
            runs = (revolve.optimal_advances(n, s) + n) / n
            t = best_of(d, args)
            label = f"{s}" + (" (auto)" if snaps is True else "")
            print(
                f"{n:>8} {label:>10} {runs:>18.2f} {t * 1e3:>9.2f} {t / t_taped:>8.2f} "
                f"{t / t_primal:>9.1f} {memory(snaps, args, cache):>10,}"
            )
    print(
        "step runs/step: how often each step runs on average (the taped gradient: once, "
        "with its tape; checkpointed: the schedule's untaped runs plus one taped run). "
        "memory: peak tape + snapshots, bytes."
    )


if __name__ == "__main__":
    main()
