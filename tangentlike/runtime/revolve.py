"""Binomial checkpointing schedule (Griewank & Walther, "revolve", ACM TOMS 26, 2000).

A checkpointed derivative reverses ``n`` loop steps while holding at most ``s`` snapshots
of the loop state. The schedule is an online state machine: its whole state is one small
int64 array (``6 + s`` entries), so memory stays O(s) however many steps there are, and
the same functions run as plain Python and, through the ``@overload`` twins below, inside
Numba-compiled derivatives. Generated code calls, in this order:

* ``new(n, s)`` -> the schedule;
* forward sweep: ``first_snapshot(sched)`` gives the first step before which to store a
  snapshot (or -1), ``stored(sched, k)`` records that one was stored before step ``k`` and
  gives the next; steps ``0 .. n-2`` run without a tape, the last step with one (the
  first "turn");
* reverse sweep: ``next_action(sched) -> (action, a, b)`` until ``DONE``:
  ``ADVANCE`` run steps ``a .. b-1`` without a tape; ``SNAPSHOT`` store the live state
  (it is the state before step ``a``); ``RESTORE`` load the newest snapshot (state before
  step ``a``); ``FREE`` drop the newest snapshot; ``TURN`` run step ``a`` with its tape and
  then its adjoint.

Steps are reversed in the order ``n-1, n-2, ..., 0``, each exactly once. The split points
are revolve's, so the number of steps run without a tape is the binomial optimum
``optimal_advances(n, s)`` (forward sweep included), at most ``r * n`` where ``r`` is the
smallest integer with ``binom(s + r, s) >= n``.
"""

import inspect
from math import comb

import numpy as np
from numba.extending import overload

ADVANCE, SNAPSHOT, RESTORE, FREE, TURN, DONE = 1, 2, 3, 4, 5, 6
ACTION_NAMES = {
    ADVANCE: "advance",
    SNAPSHOT: "snapshot",
    RESTORE: "restore",
    FREE: "free",
    TURN: "turn",
    DONE: "done",
}

# layout of the schedule array
_STEPS, _CAP, _END, _POS, _COUNT, _STACK = 0, 1, 2, 3, 4, 6


def split(length, snaps):
    """Revolve's step count to advance from a snapshot, reversing ``length`` steps with
    ``snaps`` snapshots (the one holding the start included); ``1 <= result < length``."""
    reps = 0
    rng = 1
    while rng < length:
        reps += 1
        rng = rng * (reps + snaps) // reps
    bino1 = rng * reps // (snaps + reps)
    bino2 = bino1 * snaps // (snaps + reps - 1) if snaps > 1 else 1
    if snaps == 1:
        bino3 = 0
    else:
        bino3 = bino2 * (snaps - 1) // (snaps + reps - 2) if snaps > 2 else 1
    bino4 = bino2 * (reps - 1) // snaps
    if snaps < 3:
        bino5 = 0
    else:
        bino5 = bino3 * (snaps - 2) // reps
    if length <= bino1 + bino3:
        m = bino4
    elif length >= rng - bino5:
        m = bino1
    else:
        m = length - bino2 - bino3
    if m < 1:
        m = 1
    if m > length - 1:
        m = length - 1
    return m


def new(steps, snapshots):
    """A schedule for ``steps`` steps and at most ``snapshots`` (>= 1) snapshots."""
    cap = min(max(snapshots, 1), max(steps, 1))
    sched = np.zeros(_STACK + cap, np.int64)
    sched[_STEPS] = steps
    sched[_CAP] = cap
    sched[_END] = steps - 1 if steps > 0 else 0  # the forward sweep turns the last step
    sched[_POS] = -1  # the live state is after the last step
    return sched


def _planned(sched):
    """Where the forward sweep stores its next snapshot (revolve's first descent), or -1."""
    steps = sched[_STEPS]
    count = sched[_COUNT]
    if count == 0:
        return 0 if steps >= 2 else -1
    top = sched[_STACK + count - 1]
    free = sched[_CAP] - count
    if free == 0 or steps - top < 3:
        return -1
    m = top + split(steps - top, free + 1)
    return m if m < steps - 1 else -1


def first_snapshot(sched):
    return _planned(sched)


def stored(sched, step):
    """The forward sweep stored a snapshot before ``step``; the next one (or -1)."""
    count = sched[_COUNT]
    sched[_STACK + count] = step
    sched[_COUNT] = count + 1
    return _planned(sched)


def next_action(sched):
    """The reverse sweep's next action ``(action, a, b)``; see the module docstring."""
    end = sched[_END]
    count = sched[_COUNT]
    pos = sched[_POS]
    if count > 0 and sched[_STACK + count - 1] >= end:
        sched[_COUNT] = count - 1  # every step after it is reversed
        return FREE, sched[_STACK + count - 1], 0
    if end <= 0:
        return DONE, 0, 0
    top = sched[_STACK + count - 1]
    if pos == end - 1:
        sched[_END] = end - 1
        sched[_POS] = -1  # a taped step leaves mixed state
        return TURN, end - 1, 0
    if pos > top:  # reached a split point: keep it
        sched[_STACK + count] = pos
        sched[_COUNT] = count + 1
        return SNAPSHOT, pos, 0
    if pos != top:
        sched[_POS] = top
        return RESTORE, top, 0
    free = sched[_CAP] - count
    m = end - 1
    if free > 0:
        m = top + split(end - top, free + 1)
    sched[_POS] = m
    return ADVANCE, top, m


def default_snapshots(steps):
    """``checkpoint=True``: the fewest snapshots with which no step runs more than three
    times without a tape (``binom(s + 3, 3) >= steps``, about (6 n)^(1/3))."""
    s = 1
    while comb(s + 3, 3) < steps:
        s += 1
    return s


def _numba_twin(fn):
    """Register ``fn`` (written in the subset Numba compiles) as its own overload."""
    params = ", ".join(inspect.signature(fn).parameters)
    ns = {"impl": fn}
    exec(f"def typing({params}):\n    return impl\n", ns)
    overload(fn)(ns["typing"])


for _fn in (split, new, first_snapshot, stored, next_action, _planned):
    _numba_twin(_fn)


@overload(default_snapshots)
def _default_snapshots_nb(steps):
    def impl(steps):
        s = 1
        while (s + 3) * (s + 2) * (s + 1) // 6 < steps:
            s += 1
        return s

    return impl


# ---------------------------------------------------------------- host-side analysis
def optimal_advances(steps, snapshots):
    """Griewank-Walther minimum of untaped step runs: ``r*n - binom(s + r, s + 1)``."""
    if steps <= 1:
        return 0
    s = min(snapshots, steps)
    r = 0
    while comb(s + r, s) < steps:
        r += 1
    return r * steps - comb(s + r, s + 1)


def actions(steps, snapshots):
    """The whole schedule as a list of ``(name, a, b)``, forward sweep included (for
    tests and documentation; generated code walks it one action at a time)."""
    sched = new(steps, snapshots)
    out = []
    nxt = first_snapshot(sched)
    for k in range(steps - 1):
        if k == nxt:
            out.append(("snapshot", k, 0))
            nxt = stored(sched, k)
        out.append(("advance", k, k + 1))
    if steps > 0:
        out.append(("turn", steps - 1, 0))
    while True:
        act, a, b = next_action(sched)
        if act == DONE:
            return out
        out.append((ACTION_NAMES[act], int(a), int(b)))
