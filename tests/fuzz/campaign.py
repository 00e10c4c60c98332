"""Run many programs and count the outcomes; shrink and print the failures."""

import collections
import multiprocessing
import time

from .checker import check
from .generator import arguments, generate

COUNTED = ("ok", "invalid", "refused", "wrong", "crash", "mutated")


def run_one(seed, numba=False, second_order=True, small=False):
    return check(
        generate(seed, small), arguments(seed), numba=numba, second_order=second_order, seed=seed
    )


def campaign(
    count,
    seed=0,
    numba_every=0,
    second_order_every=1,
    on_failure=None,
    deadline=None,
    small=False,
    progress=None,
    jobs=1,
):
    """Programs ``seed .. seed + count - 1``; ``numba_every=k`` also compiles every k-th;
    ``jobs=n`` checks them in n worker processes (the same programs, counted in seed
    order). Returns (counts, failures [(seed, Result)], seconds)."""
    counts = collections.Counter()
    failures = []
    start = time.perf_counter()
    jobs_of = [
        (
            s,
            bool(numba_every) and (s - seed) % numba_every == 0,
            bool(second_order_every) and (s - seed) % second_order_every == 0,
            small,
        )
        for s in range(seed, seed + count)
    ]
    pool = multiprocessing.get_context("fork").Pool(jobs) if jobs > 1 else None
    results = pool.imap(_run_job, jobs_of, chunksize=2) if pool else map(_run_job, jobs_of)
    try:
        for s, res in results:
            if deadline is not None and time.perf_counter() - start > deadline:
                break
            counts["programs"] += 1
            counts[res.status] += 1
            if res.status in ("wrong", "crash", "mutated"):
                failures.append((s, res))
                if on_failure:
                    on_failure(s, res)
            if progress and counts["programs"] % 50 == 0:
                progress(counts, time.perf_counter() - start)
    finally:
        if pool:
            pool.terminate()
    return counts, failures, time.perf_counter() - start


def _run_job(job):
    s, numba, second, small = job
    return s, run_one(s, numba=numba, second_order=second, small=small)
