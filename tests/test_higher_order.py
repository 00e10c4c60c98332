"""Second and third derivatives by composition, Hessians and Hessian-vector products,
checked against finite differences of lower-order derivatives and analytic formulas."""

import math

import numpy as np
import pytest

import tangentlike as tl


def cubic_sin(x):
    return x**3 * math.sin(x)


def loop_poly(x, A):
    s = 0.0
    for i in range(x.shape[0]):
        for j in range(x.shape[0]):
            s += A[i, j] * x[i] * x[j] * x[j]
    return s


def branchy(x):
    s = 0.0
    k = 0
    while s < 3.0:
        s = s + np.exp(0.1 * x[k % x.shape[0]])
        k += 1
    if x[0] > 0.0:
        s = s * np.tanh(x[1])
    else:
        s = s + x[1] ** 3
    return s * np.sum(x * x)


def calls_helper(x):
    return _helper(x, 2.0) + np.sum(np.sin(x)) ** 2


def _helper(x, a):
    return np.sum(a * x**3)


def matrix_fn(X, Y):
    # seed 000: Z(X, Y) = X X Y, mixed partials of its sum
    return np.sum((X @ X) @ Y)


def test_second_and_third_order_scalar():
    x = 0.7
    d2 = tl.grad(tl.grad(cubic_sin))(x)
    assert d2 == pytest.approx(
        6 * x * math.sin(x) + 6 * x**2 * math.cos(x) - x**3 * math.sin(x), rel=1e-12
    )
    d3 = tl.grad(tl.grad(tl.grad(cubic_sin)))(x)
    exact = 6 * math.sin(x) + 18 * x * math.cos(x) - 9 * x**2 * math.sin(x) - x**3 * math.cos(x)
    assert d3 == pytest.approx(exact, rel=1e-12)


def _fd_hessian(f, args, wrt, h=1e-5):
    g = tl.grad(f, wrt)
    x = args[wrt]
    rows = []
    for idx in np.ndindex(*x.shape):
        e = np.zeros(x.shape)
        e[idx] = h
        ap, am = list(args), list(args)
        ap[wrt], am[wrt] = x + e, x - e
        rows.append((g(*ap) - g(*am)) / (2 * h))
    return np.stack(rows).reshape(x.shape + x.shape)


@pytest.mark.parametrize(
    "f, args",
    [
        (loop_poly, (np.array([0.3, -0.5, 0.8]), np.arange(9.0).reshape(3, 3))),
        (branchy, (np.array([0.4, 0.9, -0.3]),)),
        (branchy, (np.array([-0.4, 0.9, -0.3]),)),
        (calls_helper, (np.array([0.2, -0.7]),)),
    ],
)
def test_hessian_against_fd_of_gradient(f, args):
    H = tl.hessian(f)(*args)
    np.testing.assert_allclose(H, _fd_hessian(f, args, 0), rtol=1e-6, atol=1e-6)
    np.testing.assert_allclose(H, H.T, rtol=1e-10, atol=1e-10)


def test_hvp_compiled_matches_interpreted():
    x, A = np.array([0.3, -0.5, 0.8]), np.arange(9.0).reshape(3, 3)
    v = np.array([1.0, -2.0, 0.5])
    a = tl.hvp(loop_poly)(x, A, v)
    b = tl.hvp(loop_poly, compile="numba")(x, A, v)
    np.testing.assert_allclose(b, a, rtol=1e-12)
    np.testing.assert_allclose(a, tl.hessian(loop_poly)(x, A) @ v, rtol=1e-12)


def test_jvp_of_grad_is_hessian_vector_product():
    x = np.array([0.4, 0.9, -0.3])
    v = np.array([0.5, 0.1, -1.0])
    g, hv = tl.jvp(tl.grad(branchy))(x, v)
    np.testing.assert_allclose(g, tl.grad(branchy)(x), rtol=1e-14)
    np.testing.assert_allclose(hv, tl.hessian(branchy)(x) @ v, rtol=1e-10)


def test_mixed_partials_of_matrix_function():
    rng = np.random.default_rng(3)
    X, Y = rng.normal(size=(2, 2)), rng.normal(size=(2, 2))
    J = tl.jacobian(tl.grad(matrix_fn, wrt=0), wrt=1)(X, Y)
    gX = tl.grad(matrix_fn, wrt=0)
    fd = np.zeros((2, 2, 2, 2))
    h = 1e-6
    for idx in np.ndindex(2, 2):
        e = np.zeros((2, 2))
        e[idx] = h
        fd[..., idx[0], idx[1]] = (gX(X, Y + e) - gX(X, Y - e)) / (2 * h)
    np.testing.assert_allclose(J, fd, rtol=1e-6, atol=1e-8)


def test_vjp_of_a_gradient_is_an_error():
    with pytest.raises(tl.TangentlikeError, match="jvp|hvp"):
        tl.vjp(tl.grad(cubic_sin))
