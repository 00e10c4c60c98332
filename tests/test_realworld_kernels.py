"""The real-world loop kernels of benchmarks/realworld.py, at small sizes: reverse mode
(interpreted and compiled) against finite differences and against forward mode.

They are written as people write loops (helpers taking array rows, overwrites, arrays
swapped and written in place), the styles the tape optimizations must keep right."""

import math

import numpy as np
import pytest

import tangentlike as tl
from benchmarks import realworld as R

from . import fd

SMALL = {
    "lj_helper": lambda: R.lj_inputs(6),
    "lj_periodic": lambda: R.lj_periodic_inputs(6),
    "binomial": lambda: R.binomial_inputs(12),
    "rk4_array": lambda: R.rk4_inputs(6, m=3),
    "verlet": lambda: R.verlet_inputs(6, n=5),
    "heat_pde": lambda: R.heat_inputs(7, n=8),
    "kalman": lambda: R.kalman_inputs(15),
    "mc_asian": lambda: (
        100.0,
        0.2,
        0.03,
        95.0,
        1.0,
        np.random.default_rng(3).standard_normal((4, 6)),
    ),
}

PROBLEMS = {p.name: p for p in R.REALWORLD}


def _forward(problem, args):
    """Each wrt component by forward mode (one jvp per input element)."""
    return _forward_grad(problem.func, problem.wrt, args)


def _forward_grad(func, wrt, args):
    jf = tl.jvp(func, wrt=wrt)
    wrt = wrt if isinstance(wrt, tuple) else (wrt,)
    zeros = [np.zeros_like(args[i]) if isinstance(args[i], np.ndarray) else 0.0 for i in wrt]
    out = []
    for k, i in enumerate(wrt):
        if isinstance(args[i], np.ndarray):
            g = np.zeros(args[i].shape)
            for idx in np.ndindex(args[i].shape):
                t = [z.copy() if isinstance(z, np.ndarray) else z for z in zeros]
                t[k][idx] = 1.0
                g[idx] = jf(*args, *t)[1]
            out.append(g)
        else:
            t = list(zeros)
            t[k] = 1.0
            out.append(jf(*args, *t)[1])
    return tuple(out) if len(wrt) > 1 else out[0]


@pytest.mark.parametrize("compile", [None, "numba"])
@pytest.mark.parametrize("name", sorted(SMALL))
def test_reverse_matches_fd_and_forward(name, compile):
    problem = PROBLEMS[name]
    args = SMALL[name]()
    g = tl.grad(problem.func, wrt=problem.wrt, compile=compile)(*args)
    fd.assert_close(g, fd.fd_grad(problem.func, args, problem.wrt), rtol=1e-5)
    fd.assert_close(g, _forward(problem, args))


def swap_and_write(u0, a):
    u = u0.copy()
    w = np.zeros(u0.shape[0])
    for step in range(3):
        for i in range(u0.shape[0]):
            w[i] = a * u[i] * u[i]
        u, w = w, u
    return np.sum(u)


@pytest.mark.parametrize("compile", [None, "numba"])
def test_buffer_swapped_then_written_in_place(compile):
    # the tape holds u by reference; writing into w (the old u) must be undone
    args = (np.array([0.5, -0.3, 0.8]), 1.3)
    g = tl.grad(swap_and_write, wrt=(0, 1), compile=compile)(*args)
    fd.assert_close(g, fd.fd_grad(swap_and_write, args, (0, 1)))


# ``a, b = b, a`` of plain names: the reverse sweep moves the adjoints between the names
# (transform/permutations.py) instead of accumulating into zeros; the buffers are then
# written in place, read through an alias, cycled three ways, or are arguments


def swap_written_both_read(u0, a):
    u = u0.copy()
    w = np.zeros(u0.shape[0])
    s = 0.0
    for step in range(3):
        for i in range(u0.shape[0]):
            w[i] = a * u[i] * u[i] + w[i] + u0[i]
        u, w = w, u
        u[0] = u[0] * a
        s += w[1] * u[2]
    return np.sum(u) + np.sum(w * w) + s


def cycle_three(x0, a):
    x = x0.copy()
    y = 2.0 * x0
    z = x0 * x0
    for step in range(4):
        x, y, z = z, x, y
        x[0] = a * x[1] + y[0]
        y = y * a
    return np.sum(x * y) + np.sum(z)


def swap_scalars_once(p, q):
    p, q = q * 1.0, p
    q, p = p, q
    return p * p * 3.0 + q


def swap_arguments(x, y, a):
    for step in range(3):
        x, y = y, x
        y = y * a + x
    return np.sum(x * y)


SWAPS = {
    "swap_written_both_read": (swap_written_both_read, (np.array([0.5, -0.3, 0.8]), 1.3), (0, 1)),
    "cycle_three": (cycle_three, (np.array([0.4, -0.7, 1.1]), 0.9), (0, 1)),
    "swap_scalars_once": (swap_scalars_once, (0.7, -1.2), (0, 1)),
    "swap_arguments": (
        swap_arguments,
        (np.array([0.3, 0.5]), np.array([-0.2, 0.9]), 1.1),
        (0, 1, 2),
    ),
}


@pytest.mark.parametrize("checkpoint", [None, 2])
@pytest.mark.parametrize("compile", [None, "numba"])
@pytest.mark.parametrize("name", sorted(SWAPS))
def test_permutation_moves_adjoints(name, compile, checkpoint):
    func, args, wrt = SWAPS[name]
    if checkpoint and name == "swap_scalars_once":
        pytest.skip("no loop to checkpoint")
    g = tl.grad(func, wrt=wrt, compile=compile, checkpoint=checkpoint)(*args)
    fd.assert_close(g, fd.fd_grad(func, args, wrt), rtol=1e-6)
    fd.assert_close(g, _forward_grad(func, wrt, args))


def alias_read_after_write(u0, a):
    u = u0.copy()
    v = u
    s = 0.0
    for step in range(2):
        for i in range(u0.shape[0]):
            u[i] = a * u[i] * u[i]
        s += v[0]
    return np.sum(u) + s


# fixed by normalize/copies.py: the copy's reads are reads of the array's own name
def test_alias_read_after_in_place_write():
    args = (np.array([0.5, -0.3, 0.8]), 1.3)
    g = tl.grad(alias_read_after_write, wrt=(0, 1))(*args)
    fd.assert_close(g, fd.fd_grad(alias_read_after_write, args, (0, 1)), rtol=1e-6)


def test_permutation_allocates_no_zeros():
    # heat_pde's swap: no zeros_like of the grid per step, in either sweep
    src = str(tl.source(tl.grad(R.heat_explicit, wrt=(0, 1))))
    loop = src.split("for step in range")
    assert len(loop) == 3
    assert "zeros_like" not in loop[1].split("total = 0.0")[0]
    assert "zeros_like" not in loop[2]


# branch tests of loop counters and fixed names are evaluated again by the reverse sweep
# (transform/flow_sweeps.py) instead of taping a flag per branch and iteration


def branch_on_counters(x, a, n):
    m = n - 1
    s = 0.0
    for i in range(n):
        for j in range(n):
            if i > 0 and j < m or i == j:
                s += a * x[i] * x[j]
            elif j > i + 1:
                s += math.sin(x[j] * a)
            else:
                s -= x[i] * x[i]
            if not j < n // 2:
                s = s * 0.9
    return s


def branch_on_changing_names(x, a, n):
    # the tests read names the loops change: they keep their flags
    s = 0.0
    t = 0.0
    k = 0
    for i in range(n):
        t = t + x[i] * a
        if t > 0.3:
            s += t * t
        k = k + 1
        if k > 2:
            s += a * x[i]
        while k > 3:
            k = k - 2
            if i > 1:
                s = s * x[i]
    return s


def branch_on_reused_counter(x, a, n):
    # the inner loop reuses the outer counter: the test after it must keep its flag
    s = 0.0
    for i in range(n):
        for i in range(2):
            s += x[i] * a
        if i > 0:
            s = s * x[1]
        else:
            s = s + a
    return s


BRANCHES = {
    "branch_on_counters": (branch_on_counters, (np.array([0.4, -0.7, 1.1, 0.3]), 0.9, 4)),
    "branch_on_reused_counter": (branch_on_reused_counter, (np.array([0.4, -0.7]), 0.9, 3)),
    "branch_on_changing_names": (
        branch_on_changing_names,
        (np.array([0.4, -0.7, 1.1, 0.3, 0.8]), 0.9, 5),
    ),
}


@pytest.mark.parametrize("checkpoint", [None, 2])
@pytest.mark.parametrize("compile", [None, "numba"])
@pytest.mark.parametrize("name", sorted(BRANCHES))
def test_branch_tests_evaluated_again(name, compile, checkpoint):
    func, args = BRANCHES[name]
    g = tl.grad(func, wrt=(0, 1), compile=compile, checkpoint=checkpoint)(*args)
    fd.assert_close(g, fd.fd_grad(func, args, (0, 1)), rtol=1e-6)
    fd.assert_close(g, _forward_grad(func, (0, 1), args))


def test_branch_flags_only_where_needed():
    src = str(tl.source(tl.grad(branch_on_counters, wrt=(0, 1))))
    assert "_tape_flow" not in src
    src = str(tl.source(tl.grad(R.rk4_pendulums, wrt=(0, 1, 2))))
    assert "_tape_flow" not in src
    src = str(tl.source(tl.grad(branch_on_changing_names, wrt=(0, 1))))
    assert src.count("push_flow") + src.count("_tape_flow.append") >= 3
