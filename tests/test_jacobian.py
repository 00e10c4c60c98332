"""tl.jacobian in both modes against finite differences, including the seed's 3x3 example."""

import numpy as np
import pytest

import tangentlike as tl


def f3(x):
    # the seed's example: f(x0, x1, x2) = (x0*x1*x2, x1^2, x0 + x2)
    out = np.zeros(3)
    out[0] = x[0] * x[1] * x[2]
    out[1] = x[1] * x[1]
    out[2] = x[0] + x[2]
    return out


def sq_plus_sqrt(x):
    return x**2 + np.sqrt(x)


def mat_fn(A, x):
    return np.tanh(A @ x)


@pytest.mark.parametrize("mode", ["reverse", "forward"])
def test_seed_3x3_jacobian(mode):
    J = tl.jacobian(f3, mode=mode)(np.array([1.0, 2.0, 3.0]))
    np.testing.assert_allclose(J, [[6.0, 3.0, 2.0], [0.0, 4.0, 0.0], [1.0, 0.0, 1.0]])


def test_seed_vjp_of_square_plus_sqrt():
    x = np.arange(1.0, 1.8, 0.1)
    g = tl.vjp(sq_plus_sqrt)(x, np.ones_like(x))
    np.testing.assert_allclose(g, 2 * x + 0.5 / np.sqrt(x), rtol=1e-12)


@pytest.mark.parametrize("mode", ["reverse", "forward"])
@pytest.mark.parametrize("wrt", [0, 1])
def test_matrix_function_jacobian_vs_fd(mode, wrt):
    rng = np.random.default_rng(0)
    A, x = rng.normal(size=(3, 4)), rng.normal(size=4)
    J = tl.jacobian(mat_fn, wrt=wrt, mode=mode)(A, x)
    args = [A, x]
    base = args[wrt]
    fd = np.zeros((3,) + base.shape)
    for idx in np.ndindex(*base.shape):
        p, m = base.copy(), base.copy()
        p[idx] += 1e-6
        m[idx] -= 1e-6
        ap, am = list(args), list(args)
        ap[wrt], am[wrt] = p, m
        fd[(slice(None),) + idx] = (mat_fn(*ap) - mat_fn(*am)) / 2e-6
    np.testing.assert_allclose(J, fd, rtol=1e-6, atol=1e-8)


def test_jacobian_forward_equals_reverse_compiled():
    x = np.array([0.3, 0.7, 1.1])
    a = tl.jacfwd(f3, compile="numba")(x)
    b = tl.jacrev(f3)(x)
    np.testing.assert_allclose(a, b, rtol=1e-12)


def test_jacobian_bad_mode():
    with pytest.raises(tl.TangentlikeError, match="mode"):
        tl.jacobian(f3, mode="sideways")
