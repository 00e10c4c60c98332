"""The gradients of the benchmark kernels under every pass selection (and compiled, and
second order) against finite differences (tests/fd.py)."""

import math

import numpy as np
import pytest

import tangentlike as tl
from tangentlike.optimize import PASSES
from benchmarks import kernels as K
from tests.fd import assert_close, fd_grad, fd_vjp

KERNELS = [
    (K.simulate, 0, K.thermal_inputs(12)),
    (K.lorenz_rk4, (0, 1, 2, 3, 4, 5), K.lorenz_inputs(20)),
    (K.lj_energy, 0, K.lj_inputs(6)),
    (K.rosenbrock, 0, K.rosenbrock_inputs(9)),
]
SELECTIONS = [True, False] + [{p} for p in PASSES] + [set(PASSES) - {p} for p in PASSES]


@pytest.mark.parametrize(
    "selection", SELECTIONS, ids=lambda s: str(sorted(s)) if isinstance(s, set) else str(s)
)
@pytest.mark.parametrize("fn, wrt, args", KERNELS, ids=[k[0].__name__ for k in KERNELS])
def test_kernel_gradients_match_finite_differences(fn, wrt, args, selection):
    g = tl.grad(fn, wrt, optimized=selection)(*args)
    assert_close(g, fd_grad(fn, args, wrt), rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("fn, wrt, args", KERNELS, ids=[k[0].__name__ for k in KERNELS])
def test_kernel_gradients_numba_and_value(fn, wrt, args):
    g = tl.grad(fn, wrt, compile="numba")(*args)
    assert_close(g, fd_grad(fn, args, wrt), rtol=1e-5, atol=1e-6)
    g2, value = tl.grad(fn, wrt, preserve_result=True)(*args)
    assert math.isclose(value, fn(*args), rel_tol=1e-12)
    assert_close(g2, g, rtol=1e-10, atol=1e-12)


def test_second_order_through_the_gradient_only_entry():
    x = np.array([0.3, -0.7, 1.1, 0.5])
    h = tl.hessian(K.rosenbrock)(x)
    g = tl.grad(K.rosenbrock)
    fd = np.stack([fd_vjp(g, (x,), 0, e) for e in np.eye(4)])  # rows of the symmetric H
    np.testing.assert_allclose(h, fd, rtol=1e-6, atol=1e-6)
