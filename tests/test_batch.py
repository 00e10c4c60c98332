"""tl.batch_grad / tl.batch_value_and_grad on the CPU: every row's gradient against finite
differences and against forward mode, the CUDA contract (shapes, dtypes, errors)."""

import pickle

import numba
import numpy as np
import pytest

import tangentlike as tl
from tests.fd import assert_close, fd_grad
from tests.pickle_funcs import loop_energy as spring_chain


def rosen(x):
    return np.sum(100.0 * (x[1:] - x[:-1] ** 2) ** 2 + (1.0 - x[:-1]) ** 2)


def weighted(x, w, offset):
    return np.sum(w * np.tanh(x)) + offset * x[0] ** 2


ROWS = np.random.default_rng(5).normal(size=(37, 4))


def _forward_grad(f, x, rest):
    jf = tl.jvp(f)
    out = np.zeros_like(x)
    for k in range(x.shape[0]):
        e = np.zeros_like(x)
        e[k] = 1.0
        out[k] = jf(x, *rest, e)[1]
    return out


@pytest.mark.parametrize(
    "f,rest", [(spring_chain, (2.0,)), (rosen, ()), (weighted, (np.linspace(1, 2, 4), 0.5))]
)
def test_rows_against_fd_and_forward(f, rest):
    V, G = tl.batch_value_and_grad(f)(ROWS, *rest)
    assert G.shape == ROWS.shape and V.shape == (ROWS.shape[0],)
    assert V.dtype == np.float64
    for i in (0, 17, 36):
        assert_close(G[i], fd_grad(f, (ROWS[i], *rest), 0))
        np.testing.assert_allclose(G[i], _forward_grad(f, ROWS[i], rest), rtol=1e-10, atol=1e-12)
        assert V[i] == pytest.approx(f(ROWS[i], *rest), rel=1e-12)
    np.testing.assert_allclose(tl.batch_grad(f)(ROWS, *rest), G, rtol=0, atol=0)


def test_same_as_one_thread():
    g = tl.batch_grad(spring_chain)
    many = g(ROWS, 2.0)
    before = numba.get_num_threads()
    numba.set_num_threads(1)
    try:
        one = g(ROWS, 2.0)
    finally:
        numba.set_num_threads(before)
    np.testing.assert_array_equal(one, many)


def test_float32_rows_and_integer_rows():
    g = tl.batch_grad(spring_chain)
    G32 = g(ROWS.astype(np.float32), 2.0)
    assert G32.dtype == np.float32
    np.testing.assert_allclose(G32, g(ROWS.astype(np.float32).astype(np.float64), 2.0), rtol=1e-5)
    Gi = g(np.arange(12).reshape(3, 4), 2.0)  # as tl.cuda.batch_grad: taken as float64
    assert Gi.dtype == np.float64
    np.testing.assert_allclose(Gi, g(np.arange(12.0).reshape(3, 4), 2.0))


def test_errors():
    g = tl.batch_grad(spring_chain)
    with pytest.raises(tl.TangentlikeError, match="2-D array"):
        g(np.ones(4), 2.0)
    with pytest.raises(tl.TangentlikeError, match="1 shared argument"):
        g(ROWS)
    with pytest.raises(tl.TangentlikeError, match="complex"):
        g(ROWS * 1j, 2.0)
    with pytest.raises(tl.TangentlikeError, match="wrt=0"):
        tl.batch_grad(spring_chain, wrt=1)


def test_source_pickle_and_empty_batch():
    g = tl.batch_value_and_grad(spring_chain)
    assert "numba.prange" in tl.source(g) and "def vjp_loop_energy" in tl.source(g)
    loaded = pickle.loads(pickle.dumps(g))
    V, G = loaded(ROWS, 2.0)
    V2, G2 = g(ROWS, 2.0)
    np.testing.assert_array_equal(G, G2)
    np.testing.assert_array_equal(V, V2)
    V0, G0 = g(np.zeros((0, 4)), 2.0)
    assert G0.shape == (0, 4) and V0.shape == (0,)
