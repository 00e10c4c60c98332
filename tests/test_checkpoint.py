"""Binomial checkpointing: tl.grad(f, checkpoint=s) (docs/checkpointing.md).

Gradients are compared with the ordinary taped gradient (to 1e-12) and with central
finite differences; the schedule is checked against the Griewank-Walther optimum and a
brute-force dynamic program.
"""

import inspect
import re
from functools import lru_cache
from math import comb

import numpy as np
import pytest

import tangentlike as tl
from tangentlike.runtime import revolve
from tangentlike.transform.checkpoint import SPARE
from tests import checkpoint_funcs as cf
from tests.fd import assert_close, fd_grad

RNG = np.random.default_rng(7)
CASES = {
    "scalar-state": (cf.simulate, (RNG.uniform(0, 2, 37), 18.0, 2.0, 5.0, 0.1), (0, 1, 2, 3)),
    "several-states": (cf.oscillator, (RNG.normal(size=25), 0.3, -0.2, 2.0, 0.3), (0, 1, 2, 3, 4)),
    "array-in-place": (cf.heat_rod, (RNG.uniform(size=12), 0.2, 0.5), (0, 1, 2)),
    "array-elements": (cf.relax, (RNG.uniform(0.5, 1.0, size=7), 0.3), (0, 1)),
    "array-reassigned": (
        cf.rnn,
        (
            RNG.normal(size=4) * 0.5,
            RNG.normal(size=(4, 4)) * 0.4,
            RNG.normal(size=4),
            RNG.normal(size=9),
        ),
        (0, 1, 2, 3),
    ),
    "branches-continue": (cf.thermostat, (RNG.uniform(0, 3, 30), 19.0, 0.7), (0, 1, 2)),
    "callee": (cf.with_callee, (RNG.uniform(0, 2, 17), 18.0, 2.0, 5.0, 0.1), (0, 1, 2, 3)),
    "strided-range": (cf.strided, (RNG.uniform(size=15), 0.8), (0, 1)),
    "marked-loop": (cf.two_loops, (RNG.uniform(size=5), 0.8), (0, 1)),
}


def _same(actual, expected, rtol=1e-12):
    for a, e in zip(actual, expected):
        scale = max([1.0] + list(np.abs(np.ravel(e))))
        np.testing.assert_allclose(a, e, rtol=rtol, atol=rtol * scale)


@pytest.mark.parametrize("name", list(CASES))
def test_matches_taped_gradient_and_finite_differences(name):
    f, args, wrt = CASES[name]
    ref = tl.grad(f, wrt=wrt)(*args)
    for snaps in (1, 2, 3, 100, True):
        (g, value) = tl.grad(f, wrt=wrt, checkpoint=snaps, preserve_result=True)(*args)
        _same(g, ref)
        assert value == pytest.approx(f(*args), rel=1e-13)
    assert_close(g, fd_grad(f, args, wrt))


@pytest.mark.parametrize("name", ["array-elements", "branches-continue", "callee"])
def test_numba(name):
    f, args, wrt = CASES[name]
    g = tl.grad(f, wrt=wrt, checkpoint=3, compile="numba")(*args)
    _same(g, tl.grad(f, wrt=wrt)(*args))


def test_thermal_model_long_run_small_tape():
    args = (np.ones(10**5), 18.0, 2.0, 5.0, 0.1)
    d = tl.grad(cf.simulate, wrt=(0, 1, 2, 3), checkpoint=20, compile="numba")
    _same(d(*args), tl.grad(cf.simulate, wrt=(0, 1, 2, 3), compile="numba")(*args))
    small = (np.ones(5000), 18.0, 2.0, 5.0, 0.1)
    stats = tl.grad(cf.simulate, checkpoint=20).tape_stats(*small)
    assert stats["elements"] <= 3 + SPARE and stats["snapshots"] == 20
    assert stats["snapshot_bytes"] == 20 * 2 * 8  # T and cost
    assert tl.grad(cf.simulate).tape_stats(*small)["elements"] == 5001


def test_vjp_of_array_result_written_in_the_loop():
    args = (RNG.uniform(0, 2, 23), 18.0, 2.0, 5.0, 0.1)
    dy = RNG.normal(size=23)
    (g, out) = tl.vjp(cf.trajectory, wrt=(0, 1, 2), checkpoint=4, preserve_result=True)(*args, dy)
    _same(g, tl.vjp(cf.trajectory, wrt=(0, 1, 2))(*args, dy))
    np.testing.assert_array_equal(out, cf.trajectory(*args))


@pytest.mark.parametrize("n", [0, 1, 2, 5])
def test_short_loops(n):
    args = (np.linspace(0.0, 1.0, n), 18.0, 2.0, 5.0, 0.1)
    _same(
        tl.grad(cf.simulate, wrt=(0, 1), checkpoint=2)(*args),
        tl.grad(cf.simulate, wrt=(0, 1))(*args),
    )


def test_source_is_readable_and_documents_the_schedule():
    src = tl.source(tl.grad(cf.simulate, checkpoint=20))
    assert "checkpoint=20" in src.splitlines()[0]
    assert "# checkpointed loop (binomial schedule, at most 20 snapshots of T, cost)" in src
    assert "revolve.next_action(_schedule)" in src and "_ckpt_T.append(T)" in src
    assert "# T = T + dt * ((10.0 - T) / (R * C) + heat[t] / C)" in src


# ------------------------------------------------------------------ the schedule
@lru_cache(None)
def _dp(length, snaps):
    """Brute force: fewest untaped steps to reverse ``length`` steps with ``snaps``
    snapshots (the one at the start included)."""
    if length <= 1:
        return 0
    if snaps == 1:
        return length * (length - 1) // 2
    return min(m + _dp(m, snaps) + _dp(length - m, snaps - 1) for m in range(1, length))


def _replay(n, s):
    """Run the schedule on a model of the state; check every action is legal."""
    live, snaps, turns, advances, held = 0, [], [], 0, 0
    for name, a, b in revolve.actions(n, s):
        if name == "snapshot":
            assert live == a
            snaps.append(a)
            held = max(held, len(snaps))
        elif name == "advance":
            assert live == a and b > a
            advances += b - a
            live = b
        elif name == "restore":
            assert snaps[-1] == a
            live = a
        elif name == "free":
            snaps.pop()
        elif name == "turn":
            assert live == a
            turns.append(a)
            live = None  # a taped step leaves mixed state
    assert not snaps and held <= s
    return advances, turns


@pytest.mark.parametrize("s", [1, 2, 3, 4, 6])
def test_schedule_is_binomially_optimal(s):
    for n in range(0, 90):
        advances, turns = _replay(n, s)
        assert turns == list(range(n - 1, -1, -1))  # each step once, last to first
        assert advances == revolve.optimal_advances(n, s) == _dp(n, min(s, max(n, 1)))


def test_schedule_bound_for_long_runs():
    for n, s in [(10**4, 5), (4 * 10**4, 20), (2 * 10**4, 100)]:
        advances, turns = _replay(n, s)
        r = next(r for r in range(100) if comb(s + r, s) >= n)
        assert len(turns) == n and advances == revolve.optimal_advances(n, s) <= r * n


def test_default_snapshots():
    assert revolve.default_snapshots(10**6) == 180
    assert revolve.optimal_advances(10**6, 180) <= 3 * 10**6


# ------------------------------------------------------------------ errors
def _line(marker):
    lines, _ = inspect.findsource(cf)
    return next(k + 1 for k, ln in enumerate(lines) if f"MARK:{marker}" in ln)


@pytest.mark.parametrize(
    "fn, marker, words",
    [
        (cf.no_loop, None, "needs a 'for"),
        (cf.breaks, "break", "cannot end early"),
        (cf.returns_early, "return", "cannot end early"),
        (cf.carried_undefined, "undefined", "'s' is carried"),
        (cf.appends, "append", "list"),
        (cf.two_marks, "twomarks", "more than one loop"),
    ],
)
def test_errors_name_the_line(fn, marker, words):
    with pytest.raises(tl.TangentlikeError) as info:
        tl.grad(fn, checkpoint=4)
    msg = str(info.value)
    assert fn.__name__ in msg and words in msg
    if marker:
        assert re.search(rf":{_line(marker)}\)", msg), msg


@pytest.mark.parametrize("bad", [0, -3, 2.5, "many"])
def test_bad_checkpoint_values(bad):
    with pytest.raises(tl.TangentlikeError, match="checkpoint"):
        tl.grad(cf.simulate, checkpoint=bad)


def test_checkpointed_gradient_is_not_differentiated_again():
    with pytest.raises(tl.TangentlikeError, match="checkpoint"):
        tl.grad(tl.grad(cf.simulate, checkpoint=3))
