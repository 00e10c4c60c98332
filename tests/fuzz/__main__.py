"""python -m tests.fuzz --count N [--seed S] [--numba] [--shrink] [--time-limit SEC]"""

import argparse
import os

os.environ.setdefault("TANGENTLIKE_GENERATION_CACHE", "0")  # thousands of one-off programs

from tangentlike.backends import numba_backend  # noqa: E402

from .campaign import campaign  # noqa: E402
from .checker import check  # noqa: E402
from .generator import arguments, generate  # noqa: E402

numba_backend.BACKGROUND_COMPILE = False


def main():
    p = argparse.ArgumentParser(prog="python -m tests.fuzz")
    p.add_argument("--count", type=int, default=1000)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--numba", action="store_true", help="also compile every --numba-every-th")
    p.add_argument("--numba-every", type=int, default=10)
    p.add_argument("--shrink", action="store_true", help="shrink and print each failure")
    p.add_argument("--time-limit", type=float, default=None, help="stop after SEC seconds")
    p.add_argument("--progress", action="store_true", help="print the counts every 50")
    p.add_argument("--jobs", type=int, default=1, help="worker processes (seed order kept)")
    p.add_argument("--show", type=int, default=None, help="print program SEED and its result")
    a = p.parse_args()
    if a.show is not None:
        src = generate(a.show)
        print(src)
        print(check(src, arguments(a.show), numba=a.numba, seed=a.show))
        return

    def report(s, res):
        print(f"seed {s}: {res.status} {res.check} {res.detail[:200]}", flush=True)
        if a.shrink:
            from .shrinker import shrink

            small = shrink(
                generate(s), arguments(s), res, numba=res.check.startswith("numba"), seed=s
            )
            print(small, flush=True)

    def line(counts, secs):
        keys = ("programs", "ok", "refused", "invalid", "wrong", "crash", "mutated")
        print(" ".join(f"{k}={counts.get(k, 0)}" for k in keys) + f" time={secs:.1f}s", flush=True)

    counts, failures, secs = campaign(
        a.count,
        a.seed,
        a.numba_every if a.numba else 0,
        on_failure=report,
        deadline=a.time_limit,
        progress=line if a.progress else None,
        jobs=a.jobs,
    )
    line(counts, secs)


if __name__ == "__main__":
    main()
