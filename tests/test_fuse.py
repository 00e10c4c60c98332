"""Whole-array fusion for compile="numba" (tangentlike/backends/fuse.py): the fused code
gives the unfused values on every length (0 and 1 included), and falls back to the
statements as they were where the lengths or kinds differ."""

import inspect

import numpy as np
import pytest

import tangentlike as tl
from tangentlike.backends import numba_backend
from tangentlike.backends.fuse_loops import fuse_arrays

from . import fd


def rosen(x):
    return np.sum(100 * (x[1:] - x[:-1] ** 2) ** 2 + (1 - x[:-1]) ** 2)


def heat(u, k):
    v = u[1:-1] + k * (u[2:] - 2.0 * u[1:-1] + u[:-2])
    return np.sum(v * v)


def softmax_ce(z, y):
    m = np.max(z)
    e = np.exp(z - m)
    s = np.sum(e)
    return np.log(s) + m - np.sum(y * z)


def weighted(a, b, c):
    r = a / (1.0 + b * b) - c * np.tanh(a)
    return np.sum(r * r) + np.sum(np.sqrt(b * b + 1.0))


@pytest.fixture
def compiled_at_once(monkeypatch):
    monkeypatch.setattr(numba_backend, "BACKGROUND_COMPILE", False)


def _runs_fused(df):
    return "for _i in range(_n)" in inspect.getsource(df._compiled().fn.py_func)


def _check(f, make, sizes):
    fused = tl.grad(f, compile="numba")
    plain = tl.grad(f)
    for n in sizes:
        args = make(n)
        np.testing.assert_allclose(fused(*args), plain(*args), rtol=1e-12, atol=1e-12)
    assert _runs_fused(fused)
    return fused


RNG = np.random.default_rng(3)


def test_rosenbrock_with_slices_on_every_length(compiled_at_once):
    df = _check(rosen, lambda n: (RNG.normal(size=n),), [5, 0, 1, 2, 3, 64, 1001])
    x = RNG.normal(size=9)
    fd.assert_close(df(x), fd.fd_grad(rosen, (x,), (0,))[0], rtol=1e-6)


def test_stencil_with_three_offsets(compiled_at_once):
    _check(heat, lambda n: (RNG.normal(size=n), 0.3), [6, 0, 1, 2, 3, 4, 257])


def test_softmax_two_arrays_and_a_max_between_runs(compiled_at_once):
    _check(softmax_ce, lambda n: (RNG.normal(size=n), RNG.normal(size=n)), [4, 1, 2, 300])


def test_three_arrays_division_and_functions(compiled_at_once):
    def make(n):
        return RNG.normal(size=n), RNG.normal(size=n), RNG.normal(size=n)

    df = _check(weighted, make, [5, 0, 1, 2, 99])
    args = make(6)
    reverse = tl.grad(weighted, argnums=(0, 1, 2), compile="numba")(*args)
    for k, r in enumerate(reverse):  # against forward mode, one direction per argument
        t = RNG.normal(size=6)
        _, dd = tl.jvp(weighted, wrt=k)(*args, t)
        np.testing.assert_allclose(np.dot(r, t), dd, rtol=1e-10)
    assert df is not None


def test_lengths_that_differ_run_the_statements_as_they_were(compiled_at_once):
    def dot(a, b):
        return np.sum(a * b + a)

    df = tl.grad(dot, argnums=(0, 1), compile="numba")
    plain = tl.grad(dot, argnums=(0, 1))
    a, b = RNG.normal(size=5), RNG.normal(size=5)
    np.testing.assert_allclose(df(a, b)[0], plain(a, b)[0], rtol=1e-12)
    assert _runs_fused(df)
    a1 = RNG.normal(size=1)  # broadcasts against b: the guard fails, NumPy's rules apply
    for got, want in zip(df(a1, b), plain(a1, b)):
        np.testing.assert_allclose(got, want, rtol=1e-12)
    with pytest.raises(Exception):
        df(RNG.normal(size=3), b)


def test_two_dimensional_arguments_after_a_fused_call(compiled_at_once):
    def total(x):
        return np.sum(x * x * 0.5 + np.exp(-x))

    df = tl.grad(total, compile="numba")
    x = RNG.normal(size=7)
    np.testing.assert_allclose(df(x), x - np.exp(-x), rtol=1e-12)
    X = RNG.normal(size=(3, 4))
    np.testing.assert_allclose(df(X), X - np.exp(-X), rtol=1e-12)


def test_division_by_zero_keeps_numpys_result(compiled_at_once):
    def inv(x):
        return np.sum(1.0 / x + x)

    df = tl.grad(inv, compile="numba")
    x = np.array([1.0, 0.0, 2.0])
    with np.errstate(divide="ignore"):
        want = tl.grad(inv)(x)
    np.testing.assert_array_equal(df(x), want)


def test_nothing_fused_without_array_arguments_or_with_a_clashing_name():
    def f(x):
        x_i = x * 2.0
        return np.sum(x_i * x_i)

    gen = tl.grad(f, compile="numba").generated
    entry = next(d for d in gen.defs if d.name == gen.entry)
    assert fuse_arrays(entry, (np.ones(3), 1.0)) is None
    gen = tl.grad(rosen, compile="numba").generated
    entry = next(d for d in gen.defs if d.name == gen.entry)
    assert fuse_arrays(entry, (1.0, 1.0)) is None
    assert fuse_arrays(entry, (np.ones(3), 1.0)) is not None


def test_offsets_of_two_arrays_of_different_lengths(compiled_at_once):
    def shifted(x, y):
        return np.sum((x[1:] - y[:-2]) ** 2 * y[2:])

    df = tl.grad(shifted, argnums=(0, 1), compile="numba")
    plain = tl.grad(shifted, argnums=(0, 1))
    for n in (4, 0, 1, 2, 50):
        x, y = RNG.normal(size=n), RNG.normal(size=n + 1)
        for got, want in zip(df(x, y), plain(x, y)):
            np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-12)
    assert _runs_fused(df)
    x, y = RNG.normal(size=6), RNG.normal(size=4)  # x[1:] has 5, y[:-2] 2: NumPy raises
    with pytest.raises(Exception):
        plain(x, y)
    with pytest.raises(Exception):
        df(x, y)
