"""compile="numba" lowers tapes of floats to growing float64 arrays
(tangentlike/backends/array_tapes.py): same numbers as the list tapes, checked against
finite differences and forward mode, and the cases that must stay lists."""

import re

import numpy as np
import pytest

import tangentlike as tl
from tangentlike.backends.array_tapes import lower_float_tapes
from tangentlike.emit import to_source

from . import fd


def _lowered(f, wrt, args):
    gen = tl.grad(f, wrt=wrt).generated
    entry = next(d for d in gen.defs if d.name == gen.entry)
    low = lower_float_tapes(entry, tuple(args) + (1.0,))
    return "" if low is None else to_source(low)


def decay(x, rate, n_steps):
    s = 0.0
    for t in range(n_steps):
        s = s * rate + x[t % x.shape[0]]
        s = s * s * 0.5
    return s


def newton_sqrt(a):
    # a while loop: its appends check the capacity themselves (and grow past 256)
    y = a
    k = 0
    while k < 300:
        y = 0.5 * (y + a / y)
        k += 1
    return y * y


def vec_state(x, n_steps):
    y = x.copy()
    for t in range(n_steps):
        y = np.sin(y) * 0.9
    return np.sum(y)


def int_state(x, n):
    m = n
    s = 0.0
    for t in range(3):
        m = m - 1
        s += x[m] * x[m]
    return s


def _jvp_all(f, args, wrt):
    jf = tl.jvp(f, wrt=wrt)
    a = args[wrt]
    if isinstance(a, np.ndarray):
        out = np.zeros(a.shape)
        for i in range(a.size):
            e = np.zeros(a.shape)
            e.flat[i] = 1.0
            out.flat[i] = jf(*args, e)[1]
        return out
    return jf(*args, 1.0)[1]


@pytest.mark.parametrize(
    "f, args, wrt",
    [
        (decay, (np.array([0.3, -0.2, 0.5]), 0.7, 400), 1),
        (decay, (np.array([0.3, -0.2, 0.5]), 0.7, 400), 0),
        (newton_sqrt, (2.0,), 0),
    ],
)
def test_array_tapes_same_gradient(f, args, wrt):
    src = _lowered(f, wrt, args)
    assert "np.empty(256)" in src and "_tape_" in src  # the tape was lowered
    lists = tl.grad(f, wrt=wrt)(*args)
    compiled = tl.grad(f, wrt=wrt, compile="numba")(*args)
    np.testing.assert_array_equal(compiled, lists)
    fd.assert_close(compiled, fd.fd_grad(f, args, wrt))
    fd.assert_close(compiled, _jvp_all(f, args, wrt))


def test_trip_count_reserves_room_before_the_loop():
    src = _lowered(decay, 1, (np.ones(3), 0.7, 10))
    # the loop's appends store without a check; one reservation sits before the loop
    assert re.search(r"if _tape_s_n \+ len\(range\(n_steps\)\) \* 2 > _tape_s\.shape\[0\]:", src)
    assert "_tape_s_n == _tape_s.shape[0]" not in src.split("for t in range")[1]


def test_tapes_of_arrays_and_ints_stay_lists():
    assert _lowered(vec_state, 0, (np.ones(3), 4)) == ""
    assert _lowered(int_state, 0, (np.ones(5), 5)) == ""
    # an int argument is not known to be a float
    assert _lowered(scaled, 1, (np.ones(3), 1)) == ""


@pytest.mark.parametrize(
    "f, args, wrt",
    [
        (vec_state, (np.array([0.2, 0.4]), 5), 0),
        (int_state, (np.array([1.0, 2.0, 3.0, 4.0]), 4), 0),
    ],
)
def test_list_tapes_still_right(f, args, wrt):
    g = tl.grad(f, wrt=wrt, compile="numba")(*args)
    fd.assert_close(g, fd.fd_grad(f, args, wrt))


def scaled(x, a):
    y = a
    for i in range(x.shape[0]):
        y = y * y * 0.5 + x[i]
    return np.sum(y)


def test_other_argument_types_fall_back_to_lists():
    # lowered for a float ``a`` at the first call; an array ``a`` (the tape then holds
    # arrays) does not compile with it, and the call runs the list version
    x = np.array([0.5, -1.0, 0.3])
    df = tl.grad(scaled, wrt=1, compile="numba")
    fd.assert_close(df(x, 0.4), fd.fd_grad(scaled, (x, 0.4), 1))
    backend = df._compiled()
    assert backend._lists_fn is not None
    a = np.array([0.4, -0.2])
    fd.assert_close(df(x, a), fd.fd_grad(scaled, (x, a), 1))
    assert backend._lists_fn is None
    fd.assert_close(df(x, 0.4), fd.fd_grad(scaled, (x, 0.4), 1))
