"""``df.compiled``: a Numba dispatcher with the derivative's arguments and results,
called from the user's own ``@numba.njit`` code."""

import numba
import numpy as np
import pytest

import tangentlike as tl

from . import fd


def rosen(x):
    s = 0.0
    for i in range(x.shape[0] - 1):
        s += 100.0 * (x[i + 1] - x[i] ** 2) ** 2 + (1.0 - x[i]) ** 2
    return s


def scaled_norm(x, a):
    return a * np.sum(x * x) + a * a


def test_compiled_gradient_in_an_njit_optimizer_loop():
    df = tl.grad(rosen, compile="numba")
    grad = df.compiled

    @numba.njit
    def descend(x, n, lr):
        for _ in range(n):
            x = x - lr * grad(x)
        return x

    x0 = np.array([-1.2, 1.0, 0.5, -0.3])
    expected = x0.copy()
    for _ in range(5):
        expected = expected - 1e-3 * df(expected)
    np.testing.assert_allclose(descend(x0, 5, 1e-3), expected, rtol=1e-14)
    fd.assert_close(grad(x0), fd.fd_grad(rosen, (x0,), 0))


@pytest.mark.parametrize("preserve", [False, True])
def test_compiled_matches_df_for_tuples_and_values(preserve):
    x = np.array([0.5, -1.0, 2.0])
    df = tl.grad(scaled_norm, wrt=(0, 1), compile="numba", preserve_result=preserve)
    out = df(x, 1.5)

    @numba.njit
    def call(x, a):
        return df_compiled(x, a)

    df_compiled = df.compiled
    got = call(x, 1.5)
    grads, grads_c = (out[0], got[0]) if preserve else (out, got)
    if preserve:
        assert got[1] == pytest.approx(out[1])
    np.testing.assert_allclose(grads_c[0], grads[0])
    assert grads_c[1] == pytest.approx(grads[1])
    fd.assert_close(tuple(grads_c), fd.fd_grad(scaled_norm, (x, 1.5), (0, 1)))


def test_compiled_vjp_takes_the_cotangent():
    x = np.array([0.5, -1.0, 2.0])
    v = tl.vjp(scaled_norm, wrt=1, compile="numba")
    assert v.compiled(x, 1.5, 2.0) == pytest.approx(v(x, 1.5, 2.0))


def test_compiled_needs_numba():
    with pytest.raises(tl.TangentlikeError, match="compile='numba'"):
        tl.grad(rosen).compiled


def cube(a):
    return a * a * a


def test_direct_calls_keep_results_and_types():
    # from the second call on, tl.grad calls the dispatcher directly
    df = tl.grad(cube, compile="numba")
    first = df(1.5)
    assert df._fast is not None
    assert df(1.5) == first == pytest.approx(6.75)
    g32 = df(np.float32(2.0))  # a float32 input gets a float32 gradient
    assert type(g32) is np.float32 and g32 == pytest.approx(12.0)
    x = np.array([1.0, 2.0])  # an array output: the full path's error
    with pytest.raises(tl.TangentlikeError, match="scalar output"):
        df(x)
    assert df(1.5) == first
