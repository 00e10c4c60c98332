"""compile="numba": tiered execution of loop-free derivatives, and the runtime helpers'
scalar cases lowered directly (runtime/numba_scalars.py)."""

import math
import warnings

import numba
import numpy as np
import pytest

import tangentlike as tl
from tangentlike.backends import numba_backend
from tangentlike.backends.faster_of import FasterOf, signature_of
from tangentlike.runtime import (
    cast_like,
    cast_owned,
    copy_value,
    expand_like,
    own,
    stop_gradient,
    to_float,
    unbroadcast,
    unreduce_ones,
    zeros_like,
)

from . import fd
from .error_funcs import not_nopython


@pytest.fixture
def background(monkeypatch):
    monkeypatch.setattr(numba_backend, "BACKGROUND_COMPILE", True)


def loss(w, X, y):
    z = X @ w
    return np.mean(np.log1p(np.exp(-y * z))) + 0.01 * np.sum(w * w)


def looped(w, X):
    s = 0.0
    for i in range(X.shape[0]):
        s += np.tanh(X[i] @ w)
    return s


def _inner_loop(v):
    t = 0.0
    for k in range(v.shape[0]):
        t += v[k] * v[k]
    return t


def calls_loop(w):
    return _inner_loop(w) + np.sum(w)


def _data():
    rng = np.random.default_rng(3)
    X = rng.standard_normal((40, 5))
    return rng.standard_normal(5), X, np.where(rng.standard_normal(40) > 0, 1.0, -1.0)


def test_loop_free_runs_numpy_then_compiled(background):
    w, X, y = _data()
    df = tl.grad(loss, compile="numba")
    g_first = df(w, X, y)
    backend = df._compiled()
    assert backend.tiered and backend.last_run == "numpy"
    fd.assert_close(g_first, fd.fd_grad(loss, (w, X, y), 0))
    assert df.wait_compiled(timeout=120)
    backend.run_as = "numba"  # (otherwise the faster kind, once timed)
    g_compiled = df(w, X, y)
    assert backend.last_run == "numba"
    np.testing.assert_allclose(g_compiled, g_first, rtol=1e-12, atol=1e-14)


def test_after_the_compile_the_faster_kind_is_kept_per_signature(background, monkeypatch):
    monkeypatch.setattr(FasterOf, "SETTLE", 0.0)
    w, X, y = _data()
    df = tl.grad(loss, compile="numba")
    df(w, X, y)
    assert df.wait_compiled(timeout=120)
    backend = df._compiled()
    ran = []
    for _ in range(2 * FasterOf.TRIALS):
        g = df(w, X, y)
        ran.append(backend.last_run)
        fd.assert_close(g, fd.fd_grad(loss, (w, X, y), 0))
    # a block of NumPy calls, then a block of compiled calls, then the faster one
    assert ran == ["numpy"] * FasterOf.TRIALS + ["numba"] * FasterOf.TRIALS
    chosen = backend._faster.choice[signature_of((w, X, y, 1.0))]
    for _ in range(3):
        df(w, X, y)
        assert backend.last_run == chosen
    # another shape is another signature: timed afresh
    w2, X2, y2 = w, X[:7], y[:7]
    df(w2, X2, y2)
    assert backend.last_run == "numpy"
    assert signature_of((w2, X2, y2, 1.0)) not in backend._faster.choice
    # forcing one kind
    for kind in ("numpy", "numba"):
        backend.run_as = kind
        g = df(w, X, y)
        assert backend.last_run == kind
        fd.assert_close(g, fd.fd_grad(loss, (w, X, y), 0))


def test_faster_of_counts_calls_after_settling_and_keeps_the_faster():
    f = FasterOf()
    sig = ("s",)
    t = 100.0
    calls = []

    def call(seconds_by_kind):
        nonlocal t
        kind = f.next_trial(sig)
        calls.append(kind)
        f.record(sig, kind, t, seconds_by_kind[kind])
        t += seconds_by_kind[kind]

    # NumPy block: 5 ms calls; the first 0.15 s do not count (spinning BLAS threads)
    while f.next_trial(sig) == "numpy":
        call({"numpy": 0.005})
    settling = int(FasterOf.SETTLE / 0.005)  # (+1 where the float sum falls short)
    assert settling + FasterOf.TRIALS <= calls.count("numpy") <= settling + FasterOf.TRIALS + 1
    # compiled block: slow at first (a foreign thread pool), 2 ms once settled
    first = t
    while sig not in f.choice:
        call({"numba": 0.05 if t - first < FasterOf.SETTLE else 0.002})
    assert f.choice[sig] == "numba"
    # slow calls (longer than the settling time) count from the second call of a block
    g = FasterOf()
    t = 0.0
    for kind, seconds in [("numpy", 1.0)] * 4 + [("numba", 2.0)] * 4:
        assert g.next_trial(sig) == kind
        g.record(sig, kind, t, seconds)
        t += seconds
    assert g.choice[sig] == "numpy"


def test_concurrent_first_calls_start_one_compile(background, monkeypatch):
    import threading

    started = []

    class CountingThread(threading.Thread):
        def start(self):
            started.append(self.name)
            super().start()

    monkeypatch.setattr(numba_backend.threading, "Thread", CountingThread)
    w, X, y = _data()
    df = tl.grad(loss, compile="numba")
    go = threading.Barrier(4)
    results = []

    def call():
        go.wait()
        results.append(df(w, X, y))

    callers = [threading.Thread(target=call) for _ in range(4)]
    for t in callers:
        t.start()
    for t in callers:
        t.join()
    assert len([n for n in started if n.startswith("tangentlike-compile")]) == 1
    assert df.wait_compiled(timeout=120)
    for g in results:
        np.testing.assert_allclose(g, results[0], rtol=1e-14)


def scalar_loss(a, b):
    return math.sin(a) * b + a * a


def test_loop_free_on_scalars_compiles_at_the_first_call(background):
    df = tl.grad(scalar_loss, wrt=(0, 1), compile="numba")
    ga, gb = df(0.3, 2.0)
    assert not df._compiled().tiered and df._compiled().last_run == "numba"
    np.testing.assert_allclose([ga, gb], [math.cos(0.3) * 2.0 + 0.6, math.sin(0.3)], rtol=1e-14)


def test_loops_compile_at_the_first_call(background):
    w, X, _ = _data()
    df = tl.grad(looped, compile="numba")
    g = df(w, X)
    assert not df._compiled().tiered and df._compiled().last_run == "numba"
    fd.assert_close(g, fd.fd_grad(looped, (w, X), 0))


def test_a_loop_in_a_called_function_counts(background):
    w = _data()[0]
    df = tl.grad(calls_loop, compile="numba")
    g = df(w)
    assert not df._compiled().tiered and df._compiled().last_run == "numba"
    np.testing.assert_allclose(g, 2.0 * w + 1.0, rtol=1e-14)


def test_switch_off_compiles_at_the_first_call(monkeypatch):
    monkeypatch.setattr(numba_backend, "BACKGROUND_COMPILE", False)
    w, X, y = _data()
    df = tl.grad(loss, compile="numba")
    df(w, X, y)
    assert not df._compiled().tiered and df._compiled().last_run == "numba"


def test_failed_background_compile_warns_and_keeps_numpy(background):
    x = np.array([0.5, -1.0, 2.0])
    df = tl.grad(not_nopython, compile="numba")
    g = df(x)
    fd.assert_close(g, fd.fd_grad(not_nopython, (x,), 0))
    with pytest.warns(tl.TangentlikeWarning, match="(?i)numba"):
        assert df.wait_compiled(timeout=120) is False
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # reported once, not at every call
        fd.assert_close(df(x), g)
    assert df._compiled().last_run == "numpy"


def test_jvp_and_hvp_wait_compiled(background):
    w, X, y = _data()
    v = np.linspace(-1.0, 1.0, 5)
    jf = tl.jvp(loss, compile="numba")
    value, tangent = jf(w, X, y, v)
    assert jf._compiled().last_run == "numpy"
    assert jf.wait_compiled(timeout=120)
    jf._compiled().run_as = "numba"
    value2, tangent2 = jf(w, X, y, v)
    assert jf._compiled().last_run == "numba"
    np.testing.assert_allclose([value2, tangent2], [value, tangent], rtol=1e-12)
    hv = tl.hvp(loss, compile="numba")(w, X, y, v)
    g = tl.grad(loss)
    fd.assert_close(hv, fd.fd_directional(g, (w, X, y), 0, v))


# ------------------------------------------------------------- scalar helper lowering


@numba.njit
def _helpers_on_scalars(x, n, b, h):
    return (
        zeros_like(x),
        zeros_like(n),
        zeros_like(b),
        unreduce_ones(x),
        to_float(n),
        to_float(b),
        copy_value(x),
        own(n),
        stop_gradient(x),
        unbroadcast(x, n),
        unbroadcast(n, x),
        expand_like(x, h),
        cast_like(x, h),
        cast_like(x, n),
        cast_owned(n, x),
        cast_owned(x, h),
    )


def test_scalar_helpers_lowered_like_python():
    args = (1.5, 7, True, np.float32(2.0))
    got = _helpers_on_scalars(*args)
    x, n, b, h = args
    want = (
        zeros_like(x),
        zeros_like(n),
        zeros_like(b),
        unreduce_ones(x),
        to_float(n),
        to_float(b),
        copy_value(x),
        own(n),
        stop_gradient(x),
        unbroadcast(x, n),
        unbroadcast(n, x),
        expand_like(x, h),
        cast_like(x, h),
        cast_like(x, n),
        cast_owned(n, x),
        cast_owned(x, h),
    )
    assert got == want
    sig = _helpers_on_scalars.nopython_signatures[0]
    assert str(sig.return_type) == (
        "Tuple(float64, float64, float64, float64, float64, "
        "float64, float64, int64, float64, float64, int64, float64, "
        "float32, float64, float64, float32)"
    )


@numba.njit
def _helpers_on_arrays(a, x):
    return zeros_like(a), unbroadcast(a, x), cast_like(a.sum(), a), copy_value(a)


def test_array_cases_still_overloads():
    a = np.arange(6.0).reshape(2, 3)
    z, u, c, cp = _helpers_on_arrays(a, 2.0)
    assert z.shape == (2, 3) and not z.any()
    assert u == a.sum()
    assert c.shape == (2, 3) and np.all(c == a.sum())
    assert cp is not a and np.array_equal(cp, a)


@numba.njit
def _unbroadcast_same_shape(g, x):
    return unbroadcast(g, x)


def test_unbroadcast_same_shape_returns_the_gradient_itself():
    g = np.arange(6.0).reshape(2, 3)
    out = _unbroadcast_same_shape(g, np.ones((2, 3)))
    assert np.shares_memory(out, g)  # as the Python version: no copy
    g32 = g.astype(np.float32)
    out32 = _unbroadcast_same_shape(g32, np.ones((2, 3)))
    assert out32.dtype == np.float64 and np.array_equal(out32, g)
    summed = _unbroadcast_same_shape(g, np.ones((1, 3)))
    assert np.array_equal(summed, g.sum(axis=0, keepdims=True))
