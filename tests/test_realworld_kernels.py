"""The real-world loop kernels of benchmarks/realworld.py, at small sizes: reverse mode
(interpreted and compiled) against finite differences and against forward mode.

They are written as people write loops (helpers taking array rows, overwrites, arrays
swapped and written in place), the styles the tape optimizations must keep right."""

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
    jf = tl.jvp(problem.func, wrt=problem.wrt)
    wrt = problem.wrt_tuple
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
