"""Views of arrays written in place afterwards (``t = y[1:]`` then ``y[2] = ...`` or
``y *= 2``, with ``t`` read): refused with the line in reverse mode (the view's adjoint
would not see the write); forward mode is right for element writes (the tangent of a
view is a view of the tangent), and refuses ``y *= 2`` (performed as a rebinding).
Found by the differential fuzzer (seed 400411)."""

import numpy as np
import pytest

import tangentlike as tl
from tests.fd import fd_grad

A = 0.3
V = np.arange(4.0) / 3
M = np.arange(9.0).reshape(3, 3) / 7


def slice_view_then_element_write(a, x):
    y = x * a
    t = y[1:]
    y[2] = 5.0 * a
    return np.sum(t * t)


def row_view_then_element_write(a, m):
    w = m * a
    r = w[1]
    w[1, 0] = a * a
    return np.sum(r * r)


def transpose_view_then_row_write(a, x):
    y = x * a
    t = y.T
    y[0] = a
    return np.sum(t * t)


def column_view_in_loop(a, m):  # the fuzzer's program, shrunk
    w = m.copy()
    u = w[:, 2]
    w -= -np.dot(m[0], w[2])
    for i in range(1, 3):
        for k in range(3):
            w[0] += -a * u
    return 0.9 * np.sum(w) + 0.9 * np.sum(u)


def slice_view_then_augmented(a, x):
    y = x * a
    t = y[1:]
    y *= 2.0
    return np.sum(t * t)


def copied_slice_then_write(a, x):
    y = x * a
    t = y[1:].copy()
    y[2] = 5.0 * a
    return np.sum(t * t) + np.sum(y)


def element_read_then_write(a, x):  # x[i] of a vector is a number, not a view
    y = x * a
    s = 0.0
    for i in range(3):
        yi = y[i]
        y[i + 1] = y[i + 1] * yi
        s = s + yi * y[i + 1]
    return s


def plain_copy_then_write(a, x):  # one array, two names (normalize/copies.py)
    y = x * a
    v = y
    y[0] = a * y[0] * y[0]
    w = v
    return v[0] + np.sum(w * y)


ELEMENT_WRITES = [  # (function, argument, line of the write: the def is line 1)
    (slice_view_then_element_write, V, 4),
    (row_view_then_element_write, M, 4),
    (transpose_view_then_row_write, V, 4),
]


def _line(fn, offset):
    return fn.__code__.co_firstlineno + offset - 1


@pytest.mark.parametrize("fn, x, line", ELEMENT_WRITES, ids=lambda v: getattr(v, "__name__", ""))
def test_reverse_refuses_a_write_seen_through_a_view(fn, x, line):
    with pytest.raises(tl.TangentlikeError, match="a view of it") as info:
        tl.grad(fn)(A, x)
    assert info.value.filename == __file__
    assert info.value.lineno == _line(fn, line)  # the write, not the view


@pytest.mark.parametrize("fn, x, line", ELEMENT_WRITES, ids=lambda v: getattr(v, "__name__", ""))
def test_forward_follows_the_view(fn, x, line):
    tangent = tl.jvp(fn)(A, x, 1.0)[1]
    expected = fd_grad(fn, (A, x), wrt=0)
    np.testing.assert_allclose(tangent, expected, rtol=1e-7)


@pytest.mark.parametrize(
    "fn, x", [(slice_view_then_augmented, V), (column_view_in_loop, M)], ids=["slice", "fuzz"]
)
def test_augmented_assignment_refused_in_both_modes(fn, x):
    for call in (lambda: tl.grad(fn)(A, x), lambda: tl.jvp(fn)(A, x, 1.0)):
        with pytest.raises(tl.TangentlikeError, match="changes the array 'w?y?' in place") as info:
            call()
        assert info.value.lineno == _line(fn, 4)


@pytest.mark.parametrize(
    "fn", [copied_slice_then_write, element_read_then_write, plain_copy_then_write]
)
@pytest.mark.parametrize("compile", [None, "numba"])
def test_copies_and_elements_are_not_views(fn, compile):
    g = tl.grad(fn, wrt=(0, 1), compile=compile)(A, V)
    np.testing.assert_allclose(g[0], fd_grad(fn, (A, V), wrt=0), rtol=1e-6)
    np.testing.assert_allclose(g[1], fd_grad(fn, (A, V), wrt=1), rtol=1e-6, atol=1e-9)
    np.testing.assert_allclose(tl.jvp(fn)(A, V, 1.0)[1], g[0], rtol=1e-10)
