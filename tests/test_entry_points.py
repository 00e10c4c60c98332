"""JAX-shaped entry points (value_and_grad, argnums, has_aux) and the dtype contract:
float32 in -> float32 out everywhere; integer, bool and complex wrt arguments refused."""

import numpy as np
import pytest

import tangentlike as tl
from tests.fd import assert_close, fd_grad

MODES = [None, "numba"]


def least_squares(w, X, y):
    r = X @ w - y
    return np.sum(r * r)


def least_squares_aux(w, X, y):
    r = X @ w - y
    return np.sum(r * r), r


def scaled_aux(x, s):
    loss = np.sum(np.sin(x) * x) * s
    stats = (np.max(x), x.shape[0])
    return loss, stats


def sin_sum(x):
    return np.sum(np.sin(x) * x)


def sin_vec(x):
    return np.sin(x) * 2.0


def returns_one(x):
    return np.sum(x)


def _data():
    rng = np.random.default_rng(3)
    X = rng.normal(size=(12, 3))
    return X, X @ np.array([1.0, -2.0, 0.5]) + 0.1 * rng.normal(size=12)


@pytest.mark.parametrize("compile", MODES)
def test_value_and_grad_matches_fd_and_forward(compile):
    X, y = _data()
    w = np.array([0.3, 0.1, -0.4])
    value, g = tl.value_and_grad(least_squares, compile=compile)(w, X, y)
    assert value == pytest.approx(least_squares(w, X, y))
    assert_close(g, fd_grad(least_squares, (w, X, y), 0))
    # independent mode: forward directional derivatives
    jf = tl.jvp(least_squares, compile=compile)
    for k in range(3):
        e = np.zeros(3)
        e[k] = 1.0
        assert g[k] == pytest.approx(jf(w, X, y, e)[1], rel=1e-10)


@pytest.mark.parametrize("compile", MODES)
def test_value_and_grad_drives_scipy_minimize(compile):
    scipy_optimize = pytest.importorskip("scipy.optimize")
    X, y = _data()
    res = scipy_optimize.minimize(
        tl.value_and_grad(least_squares, compile=compile),
        np.zeros(3),
        args=(X, y),
        jac=True,
        method="L-BFGS-B",
    )
    expected = np.linalg.lstsq(X, y, rcond=None)[0]
    assert res.success
    np.testing.assert_allclose(res.x, expected, atol=1e-5)


@pytest.mark.parametrize("compile", MODES)
def test_has_aux(compile):
    X, y = _data()
    w = np.array([0.3, 0.1, -0.4])
    (value, r), g = tl.value_and_grad(least_squares_aux, has_aux=True, compile=compile)(w, X, y)
    g2, r2 = tl.grad(least_squares_aux, has_aux=True, compile=compile)(w, X, y)
    np.testing.assert_allclose(r, X @ w - y)
    np.testing.assert_allclose(r2, r)
    assert value == pytest.approx(least_squares(w, X, y))
    assert_close(g, fd_grad(least_squares, (w, X, y), 0))
    np.testing.assert_allclose(g2, g)


@pytest.mark.parametrize("compile", MODES)
def test_has_aux_tuple_aux_and_argnums(compile):
    x = np.array([0.5, -1.0, 2.0])
    (gx, gs), (mx, n) = tl.grad(scaled_aux, argnums=(0, 1), has_aux=True, compile=compile)(x, 1.5)
    assert mx == 2.0 and n == 3
    assert_close(gx, fd_grad(lambda x, s: scaled_aux(x, s)[0], (x, 1.5), 0))
    assert gs == pytest.approx(np.sum(np.sin(x) * x))


def test_has_aux_needs_a_pair():
    with pytest.raises(tl.TangentlikeError, match="has_aux=True needs the function to return"):
        tl.grad(returns_one, has_aux=True)


def test_argnums_is_wrt():
    X, y = _data()
    w = np.ones(3)
    g1 = tl.grad(least_squares, argnums=1)(w, X, y)
    g2 = tl.grad(least_squares, wrt=1)(w, X, y)
    np.testing.assert_allclose(g1, g2)
    assert tl.grad(least_squares, wrt=1, argnums=1)(w, X, y).shape == X.shape
    with pytest.raises(tl.TangentlikeError, match="name different arguments"):
        tl.grad(least_squares, wrt=1, argnums=0)
    with pytest.raises(tl.TangentlikeError, match="name different arguments"):
        tl.value_and_grad(least_squares, argnums=0, wrt=2)
    with pytest.raises(tl.TangentlikeError, match="unknown options"):
        tl.value_and_grad(least_squares, preserve=True)


# ------------------------------------------------------------------ dtypes
@pytest.mark.parametrize("compile", MODES)
def test_float32_in_float32_out_everywhere(compile):
    x = np.array([0.5, 1.0, 2.0], dtype=np.float32)
    ones = np.ones(3, np.float32)
    assert tl.grad(sin_sum, compile=compile)(x).dtype == np.float32
    value, g = tl.value_and_grad(sin_sum, compile=compile)(x)
    assert g.dtype == np.float32
    assert tl.vjp(sin_vec, compile=compile)(x, ones).dtype == np.float32
    assert np.asarray(tl.jvp(sin_vec, compile=compile)(x, ones)[1]).dtype == np.float32
    H = tl.hessian(sin_sum, compile=compile)(x)
    assert H.dtype == np.float32
    np.testing.assert_allclose(H, np.diag(2 * np.cos(x) - x * np.sin(x)), rtol=1e-5)
    assert tl.hvp(sin_sum, compile=compile)(x, ones).dtype == np.float32
    for jac in (tl.jacfwd, tl.jacrev):
        J = jac(sin_vec, compile=compile)(x)
        assert J.dtype == np.float32
        np.testing.assert_allclose(J, np.diag(2 * np.cos(x)), rtol=1e-6)
    s = np.float32(0.7)
    assert type(tl.grad(tl.grad(sin_sum), compile=compile)(s)) is np.float32
    assert type(tl.hessian(sin_sum, compile=compile)(s)) is np.float32


@pytest.mark.parametrize("compile", MODES)
@pytest.mark.parametrize(
    "bad,what",
    [
        (np.arange(3), "integer"),
        (np.ones(3, bool), "bool"),
        (3, "integer"),
        (True, "bool"),
        ([1.0, 2], "integer"),
    ],
)
def test_integer_and_bool_wrt_refused(compile, bad, what):
    with pytest.raises(tl.TangentlikeError, match=f"holds {what} values.*pass floats"):
        tl.grad(sin_sum, compile=compile)(bad)


@pytest.mark.parametrize(
    "entry",
    [
        lambda: tl.jvp(sin_vec),
        lambda: tl.hessian(sin_sum),
        lambda: tl.jacrev(sin_vec),
        lambda: tl.jacfwd(sin_vec),
        lambda: tl.grad(tl.grad(sin_sum)),
    ],
)
def test_integer_wrt_refused_by_every_entry(entry):
    f = entry()
    args = (np.arange(3), np.ones(3)) if "jvp" in getattr(f, "__name__", "") else (np.arange(3),)
    with pytest.raises(tl.TangentlikeError, match="pass floats"):
        f(*args)


@pytest.mark.parametrize("compile", MODES)
@pytest.mark.parametrize("bad", [np.ones(3) * (1 + 1j), 1j, np.complex64(2.0)])
def test_complex_refused(compile, bad):
    with pytest.raises(tl.TangentlikeError, match="complex"):
        tl.grad(sin_sum, compile=compile)(bad)


def test_integer_non_wrt_arguments_still_fine():
    X, y = _data()
    Xi = np.rint(X * 3).astype(np.int64)
    g = tl.grad(least_squares)(np.ones(3), Xi, y)
    assert_close(g, fd_grad(least_squares, (np.ones(3), Xi, y), 0))
