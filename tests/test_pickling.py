"""Every derivative pickles as a recipe (function by reference + options) and the loaded
copy gives identical results; derivatives work in fork, spawn and forkserver pools."""

import multiprocessing as mp
import pickle

import numpy as np
import pytest

import tangentlike as tl
from tangentlike.backends import numba_backend
from tests import pickle_funcs as pf
from tests.fd import assert_close, fd_grad

X5 = np.linspace(0.1, 1.3, 5)


def _roundtrip(df):
    data = pickle.dumps(df)
    assert b"tl_" not in data or b"tangentlike" in data  # no generated module by name
    return pickle.loads(data)


def _same(a, b):
    if isinstance(a, tuple):
        assert isinstance(b, tuple) and len(a) == len(b)
        for u, v in zip(a, b):
            _same(u, v)
    else:
        np.testing.assert_array_equal(np.asarray(a), np.asarray(b))
        assert np.asarray(a).dtype == np.asarray(b).dtype


CASES = [
    ("grad", lambda c: tl.grad(pf.rosen, compile=c), (X5,)),
    ("grad-loop", lambda c: tl.grad(pf.loop_energy, wrt=(0, 1), compile=c), (X5, 2.0)),
    (
        "value_and_grad-aux",
        lambda c: tl.value_and_grad(pf.loss_aux, has_aux=True, compile=c),
        (np.ones(3), np.eye(3) * 2.0),
    ),
    ("vjp", lambda c: tl.vjp(pf.vector_field, compile=c), (X5, np.ones(5))),
    ("jvp", lambda c: tl.jvp(pf.vector_field, compile=c), (X5, np.ones(5))),
    ("grad-grad", lambda c: tl.grad(tl.grad(pf.cubic_sin), compile=c), (0.7,)),
    ("hessian", lambda c: tl.hessian(pf.rosen, compile=c), (X5,)),
    ("hvp", lambda c: tl.hvp(pf.rosen, compile=c), (X5, np.ones(5))),
    ("jacfwd", lambda c: tl.jacfwd(pf.vector_field, compile=c), (X5,)),
    ("jacrev", lambda c: tl.jacrev(pf.vector_field, compile=c), (X5,)),
    ("custom_vjp", lambda c: tl.grad(pf.uses_custom, compile=c), (X5,)),
]


@pytest.mark.parametrize("compile", [None, "numba"])
@pytest.mark.parametrize("name,make,args", CASES, ids=[c[0] for c in CASES])
def test_roundtrip_identical_results(name, make, args, compile):
    df = make(compile)
    before = _roundtrip(df)  # pickles before its first call ...
    expected = df(*args)
    after = _roundtrip(df)  # ... and after (a compiled callable inside)
    _same(before(*args), expected)
    _same(after(*args), expected)
    assert tl.source(after) == tl.source(df)
    assert type(after) is type(df) and after.__name__ == df.__name__


def test_roundtrip_gradient_is_right():
    df = _roundtrip(tl.grad(pf.rosen, compile="numba"))
    assert_close(df(X5), fd_grad(pf.rosen, (X5,), 0))


def test_cuda_batch_pickles():
    pytest.importorskip("numba.cuda")
    g = tl.cuda.batch_value_and_grad(pf.loop_energy)
    X = np.random.default_rng(0).normal(size=(4, 3))
    loaded = _roundtrip(g)
    _same(loaded(X, 2.0), g(X, 2.0))
    assert tl.source(loaded) == tl.source(g)


def test_rebuilt_with_different_source_says_so(caplog, monkeypatch):
    from tangentlike import pickling

    data = pickle.dumps(tl.grad(pf.rosen))
    monkeypatch.setattr(pickling, "digest", lambda source: "0" * 16)
    with caplog.at_level("WARNING", logger="tangentlike"):
        pickle.loads(data)
    assert "generated different code" in caplog.text


# ------------------------------------------------------------------ process pools
def _pool_roundtrip(method):
    df = tl.grad(pf.loop_energy, compile="numba")
    loop_free = tl.grad(pf.rosen, compile="numba")
    expected = [df(X5, 2.0), df(X5 * 2, 2.0)]  # the parent has called them
    expected_free = loop_free(X5)
    ctx = mp.get_context(method)
    with ctx.Pool(2) as pool:
        got = pool.starmap(pf.call, [(df, X5, 2.0), (df, X5 * 2, 2.0)])
        got_free = pool.apply_async(pf.call, (loop_free, X5)).get(timeout=120)
        got_global = pool.map_async(pf.call_global, [X5]).get(timeout=120)
    for a, b in zip(got, expected):
        np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(got_free, expected_free)
    np.testing.assert_array_equal(got_global[0], expected[0])


def test_fork_pool():
    _pool_roundtrip("fork")


@pytest.mark.slow
@pytest.mark.parametrize("method", ["spawn", "forkserver"])
def test_spawn_and_forkserver_pools(method):
    _pool_roundtrip(method)


def _fork_child_compiles(_):
    # a derivative first built and compiled in the child
    return tl.grad(pf.vector_field_sum, compile="numba")(X5)


def test_fork_during_background_compile(monkeypatch):
    """A fork while a background compile runs: children compile without errors."""
    monkeypatch.setattr(numba_backend, "BACKGROUND_COMPILE", True)
    df = tl.grad(pf.tanh_layer, compile="numba")
    W = np.random.default_rng(1).normal(size=(6, 5))
    df(W, X5)  # starts compiling in a thread
    with mp.get_context("fork").Pool(2) as pool:
        results = pool.map(_fork_child_compiles, range(4))
    expected = fd_grad(pf.vector_field_sum, (X5,), 0)
    for r in results:
        assert_close(r, expected)
    assert df.wait_compiled(60)
