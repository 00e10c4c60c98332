"""Engine-independent checks of the test corpus and of the finite-difference helper."""

import os

import numpy as np
import pytest

from tests import fd
from tests.corpus import ALL_CASES, ALL_IDS, MODULES, VJP_CASES, VJP_IDS
from tests.corpus.case import Case


# ------------------------------------------------------------------ FD against hand-derived derivatives


def _cube(x):
    return x**3


def _sum_sin(x):
    return np.sum(np.sin(x) * x)


def _two(x, n, y):
    return x * x * y + np.exp(y) * n


def _tree(p, s):
    return np.sum(p[0] * p[1]) + p[2]["w"] @ p[2]["w"] * s


def _vec(x):
    return np.array([x[0] * x[1], np.sin(x[1]), x[0] ** 2])


def test_fd_scalar():
    np.testing.assert_allclose(fd.fd_grad(_cube, (2.0,)), 12.0, rtol=1e-8)


def test_fd_array():
    x = np.array([0.3, -1.2, 2.0])
    np.testing.assert_allclose(fd.fd_grad(_sum_sin, (x,)), np.cos(x) * x + np.sin(x), rtol=1e-8)


def test_fd_multiple_wrt_skips_int():
    gx, gy = fd.fd_grad(_two, (1.5, 3, 0.4), wrt=(0, 2))
    np.testing.assert_allclose(gx, 2 * 1.5 * 0.4, rtol=1e-8)
    np.testing.assert_allclose(gy, 1.5**2 + 3 * np.exp(0.4), rtol=1e-8)
    g = fd.fd_grad(_two, (1.5, 3, 0.4), wrt=(2,))
    assert isinstance(g, tuple) and len(g) == 1


def test_fd_nested_structure():
    a, b, w = np.array([1.0, 2.0]), np.array([3.0, -1.0]), np.array([0.5, 0.25])
    p = (a, b, {"w": w})
    g = fd.fd_grad(_tree, (p, 2.0), wrt=0)
    assert isinstance(g, tuple) and isinstance(g[2], dict)
    np.testing.assert_allclose(g[0], b, rtol=1e-8)
    np.testing.assert_allclose(g[1], a, rtol=1e-8)
    np.testing.assert_allclose(g[2]["w"], 2 * w * 2.0, rtol=1e-8)
    gs = fd.fd_grad(_tree, (p, 2.0), wrt=1)
    np.testing.assert_allclose(gs, w @ w, rtol=1e-8)
    g_list = fd.fd_grad(lambda q: np.sum(q[0] * q[1]), ([a, b],))
    assert isinstance(g_list, list)


def test_fd_float32_upcast_and_native():
    x = np.array([0.5, 1.5], dtype=np.float32)
    g = fd.fd_grad(_sum_sin, (x,))
    exact = np.cos(x.astype(float)) * x + np.sin(x.astype(float))
    np.testing.assert_allclose(g, exact, rtol=1e-8)
    g32 = fd.fd_grad(_sum_sin, (x,), upcast=False)
    np.testing.assert_allclose(g32, exact, rtol=2e-3)
    gs = fd.fd_grad(_cube, (np.float32(1.5),), upcast=False)
    np.testing.assert_allclose(gs, 3 * 1.5**2, rtol=2e-3)


def test_fd_vjp():
    x = np.array([0.7, -0.4])
    dy = np.array([1.0, 2.0, -0.5])
    jac = np.array([[x[1], x[0]], [0.0, np.cos(x[1])], [2 * x[0], 0.0]])
    np.testing.assert_allclose(fd.fd_vjp(_vec, (x,), 0, dy), dy @ jac, rtol=1e-8)


def test_fd_does_not_mutate():
    x = np.array([0.3, 0.4])
    fd.fd_grad(_sum_sin, (x,))
    np.testing.assert_array_equal(x, [0.3, 0.4])


def test_assert_close_catches_errors():
    fd.assert_close((np.ones(3), 2.0), (np.ones(3) + 1e-9, 2.0 + 1e-9))
    with pytest.raises(AssertionError):
        fd.assert_close(np.ones(3), np.ones(3) * 1.01)
    with pytest.raises(AssertionError):
        fd.assert_close(np.ones(3), np.ones(4))
    with pytest.raises(AssertionError):
        fd.assert_close((1.0, 2.0), [1.0, 2.0])
    with pytest.raises(AssertionError):
        fd.assert_close({"a": 1.0}, {"b": 1.0})


# ------------------------------------------------------------------ the corpus itself


def test_corpus_size_and_ids():
    fns = {c.fn for c in ALL_CASES}
    assert len(fns) >= 130
    assert len(set(ALL_IDS)) == len(ALL_IDS)
    assert len(set(VJP_IDS)) == len(VJP_IDS)
    assert all(isinstance(c, Case) for c in ALL_CASES + VJP_CASES)
    for m in MODULES:
        for c in m.CASES + getattr(m, "VJP_CASES", []):
            assert c.fn.__module__ == m.__name__, "case functions must live in their own module"
            assert getattr(m, c.fn.__name__) is c.fn, "case functions must be module-level"


@pytest.mark.parametrize("case", ALL_CASES, ids=ALL_IDS)
def test_primal_runs_scalar(case):
    out = np.asarray(case.fn(*case.args))
    assert out.size == 1 and np.all(np.isfinite(out))
    for i in case.wrt_tuple:
        assert not isinstance(case.args[i], (int, np.integer)), "wrt must not point at an int"


@pytest.mark.parametrize("case", VJP_CASES, ids=VJP_IDS)
def test_primal_runs_vector(case):
    out = np.asarray(case.fn(*case.args))
    assert out.ndim >= 1 and np.all(np.isfinite(out))


@pytest.mark.skipif(
    not os.environ.get("TL_CHECK_NUMBA_PRIMAL"), reason="set TL_CHECK_NUMBA_PRIMAL=1 (~1 min)"
)
@pytest.mark.parametrize(
    "case",
    [c for c in ALL_CASES + VJP_CASES if c.numba],
    ids=[i for c, i in zip(ALL_CASES + VJP_CASES, ALL_IDS + VJP_IDS) if c.numba],
)
def test_numba_flag_primal_compiles(case):
    from tests.corpus.check import njit_primal

    out = njit_primal(case.fn)(*case.args)
    np.testing.assert_allclose(
        np.asarray(out, dtype=float), np.asarray(case.fn(*case.args), dtype=float), rtol=1e-6
    )
