"""Timing a call: best per-call time after a warm-up (``measure``) and, for a tool too
slow to time at full size, an extrapolation from smaller sizes (``estimate``)."""

import math
import time

SINGLE_CALL_LIMIT = 1.0  # a call slower than this is timed once


def measure(call, target=0.5, max_reps=7, jit=True):
    """Time ``call()``: the first call is timed separately and excluded (warm-up).

    Returns dict(time_s=best per-call time, reps, number, first_call_s).
    The number of calls per repetition is scaled so one repetition lasts >= ~20 ms,
    the number of repetitions so the whole measurement lasts ~``target`` seconds
    (3 to ``max_reps``).  A call slower than SINGLE_CALL_LIMIT is timed once; for
    tools without a compile step (``jit=False``) that one timed call is the first one.
    """
    t0 = time.perf_counter()
    call()
    first = time.perf_counter() - t0
    if not jit and first > SINGLE_CALL_LIMIT:
        return dict(time_s=first, reps=1, number=1, first_call_s=first)
    t0 = time.perf_counter()
    call()
    one = time.perf_counter() - t0
    if one > SINGLE_CALL_LIMIT:
        return dict(time_s=one, reps=1, number=1, first_call_s=first)
    number = max(1, int(0.02 / max(one, 1e-9)))
    reps = int(min(max_reps, max(3, target / max(one * number, 1e-9))))
    best = one
    for _ in range(reps):
        t0 = time.perf_counter()
        for _ in range(number):
            call()
        best = min(best, (time.perf_counter() - t0) / number)
    return dict(time_s=best, reps=reps, number=number, first_call_s=first)


def estimate(timed_at, problem, size, budget):
    """Extrapolated time of one call of a slow tool at ``size``.

    Times one call at a ladder of growing sizes (the two ``calib_sizes``, then x4 steps
    below ``size``), fits t = a * size**p (p clamped to [1, 3]) to the last two points
    and extrapolates with a 25% margin.  Stops climbing as soon as the estimate exceeds
    ``budget``, so a tool that is far too slow costs little.  The fit catches tools
    whose cost per step grows with the array size (e.g. a full-size zero array per
    indexed element); the ladder keeps the last extrapolation within a factor 4.
    """
    s1, s2 = problem.calib_sizes
    ladder = [s1, s2]
    while ladder[-1] * 4 < size:
        ladder.append(ladder[-1] * 4)
    timed_at(s1)  # warm-up (imports, caches, code generation)
    est = None
    prev = None
    for s in ladder:
        t = timed_at(s)
        if prev is not None:
            p = math.log(max(t, 1e-9) / max(prev[1], 1e-9)) / math.log(s / prev[0])
            p = min(3.0, max(1.0, p))
            est = 1.25 * t * (size / s) ** p
            if est > budget:
                return est
        prev = (s, t)
    return est
