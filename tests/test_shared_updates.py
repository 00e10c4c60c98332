"""Augmented assignments to an array that another name shares (analyze/shared_updates.py).

``y *= 2`` on an array changes it in place: an alias ``t = y``, a view ``t = y[1:]``, a row
of a loop over it and the result of a helper that returns its argument all see the
change, which the normalized code (a rebinding ``y = y * 2``) does not follow. Refused at
the update's line in both modes when such a name is read later; where the name is an
array only if arguments are (``s = x; t = s; s += y``) the call refuses array arguments
and numbers are differentiated. Found by the differential fuzzer (seed 7010: a helper
returning its argument) and by probes."""

import numpy as np
import pytest

import tangentlike as tl
from tests.fd import fd_grad

A = 0.7
V = np.array([0.3, -1.2, 2.0])


def same_array(a, x):
    y = x * a
    t = y
    y *= 2.0
    return np.sum(t)


def through_a_view(a, x):
    y = x * a
    t = y[1:]
    t *= a
    return np.sum(y)


def returns_argument(x, c):
    return x, c * 2.0


def through_a_helper(a, x):  # the fuzzer's program (seed 7010), shrunk
    w = np.zeros(3)
    w[1] += a
    u, s = returns_argument(w, a)
    w *= 0.5 + np.tanh(x * a)
    return np.sum(w) + np.sum(u) + s


def rows_of_a_loop(a, x):
    m = np.outer(x, x) * a
    for r in m:
        r *= a
    return np.sum(m)


REFUSED = [(same_array, 4), (through_a_view, 4), (through_a_helper, 5), (rows_of_a_loop, 4)]


def _line(fn, offset):
    return fn.__code__.co_firstlineno + offset - 1


@pytest.mark.parametrize("fn, line", REFUSED, ids=lambda v: getattr(v, "__name__", ""))
def test_refused_at_the_update_in_both_modes(fn, line):
    for call in (lambda: tl.grad(fn)(A, V), lambda: tl.jvp(fn)(A, V, 1.0)):
        with pytest.raises(tl.TangentlikeError, match="in place") as info:
            call()
        assert info.value.filename == __file__
        assert info.value.lineno == _line(fn, line)


def alias_of_an_argument(x, y):  # tests/corpus/assign.py's aug_add, with the alias read
    s = x
    t = s
    s += y
    return t * s + s * y


@pytest.mark.parametrize("compile", [None, "numba"])
def test_numbers_are_differentiated_and_arrays_refused_at_the_call(compile):
    g = tl.grad(alias_of_an_argument, wrt=(0, 1), compile=compile)(1.5, -0.4)
    np.testing.assert_allclose(g[0], fd_grad(alias_of_an_argument, (1.5, -0.4), wrt=0), rtol=1e-7)
    np.testing.assert_allclose(g[1], fd_grad(alias_of_an_argument, (1.5, -0.4), wrt=1), rtol=1e-7)
    np.testing.assert_allclose(tl.jvp(alias_of_an_argument)(1.5, -0.4, 1.0)[1], g[0], rtol=1e-10)
    x = np.array([1.5, 2.0])
    for call in (
        lambda: tl.grad(lambda_free_sum, compile=compile)(x, 0.5),
        lambda: tl.jvp(alias_of_an_argument)(x, 0.5, np.ones(2)),
    ):
        with pytest.raises(tl.TangentlikeError, match="'s \\+= ...' changes the array") as info:
            call()
        assert info.value.lineno == _line(alias_of_an_argument, 4)
    np.testing.assert_array_equal(x, [1.5, 2.0])


def lambda_free_sum(x, y):  # an array argument: the same refusal, at the call
    return np.sum(alias_of_an_argument(x, y))


def running_values(a, x):  # numbers: ``+=`` rebinds in Python too
    acc = 0.0
    total = 0.0
    for i in range(3):
        old = acc
        acc += a * x[i]
        total += old * acc
    return total


def swapped_buffers(a, x):  # the swap's temporaries are dead when ``u +=`` runs
    u = x * a
    v = x * 2.0
    for _ in range(3):
        u += a * v
        u, v = v, u
    return np.sum(u * v)


def helper_result_written(a, x):  # u is x itself: x is copied on entry, not mutated
    u, s = returns_argument(x, a)
    u[0] = 5.0 * a
    return np.sum(u) * s


@pytest.mark.parametrize("fn", [running_values, swapped_buffers, helper_result_written])
@pytest.mark.parametrize("compile", [None, "numba"])
def test_not_refused_where_no_other_name_sees_the_change(fn, compile):
    x = V.copy()
    g = tl.grad(fn, wrt=(0, 1), compile=compile)(A, x)
    np.testing.assert_array_equal(x, V)
    np.testing.assert_allclose(g[0], fd_grad(fn, (A, V), wrt=0), rtol=1e-6)
    np.testing.assert_allclose(g[1], fd_grad(fn, (A, V), wrt=1), rtol=1e-6, atol=1e-9)
    np.testing.assert_allclose(tl.jvp(fn)(A, x, 1.0)[1], g[0], rtol=1e-10)
    np.testing.assert_array_equal(x, V)


def element_or_row(m, a):  # m[0]: a number for a vector m, a row (a view) for a matrix
    r = m[0]
    t = r
    r *= a
    return np.sum(t) * a + np.sum(m)


def test_an_element_is_a_number_and_a_row_is_refused_at_the_call():
    g = tl.grad(element_or_row, wrt=(0, 1))(V, A)
    np.testing.assert_allclose(g[0], fd_grad(element_or_row, (V, A), wrt=0), rtol=1e-7)
    np.testing.assert_allclose(g[1], fd_grad(element_or_row, (V, A), wrt=1), rtol=1e-7)
    with pytest.raises(tl.TangentlikeError, match="'r \\*= ...' changes the array") as info:
        tl.grad(element_or_row)(np.outer(V, V), A)
    assert info.value.lineno == _line(element_or_row, 4)


GRID = np.ones((2, 3))


def row_of_a_global(a):  # a module-level matrix: its rows are arrays, refused when made
    r = GRID[0] * 1.0
    t = r
    r *= a
    return np.sum(t)


def test_module_level_arrays_have_their_dimensions():
    with pytest.raises(tl.TangentlikeError, match="in place"):
        tl.grad(row_of_a_global)


# ------------------------------------------- writes into part of an array another name shares
def helper_result_read_after_write(a, x):  # the fuzzer's program (seed 815650), shrunk
    w = x * a
    u, s = returns_argument(w, a)
    w[1] = a * a
    return np.sum(u * x) * s


def conditional_alias(a, x):  # u is w on one branch only
    w = x * a
    v = x * 2.0
    u = w if a > 0 else v
    w[0] = a * 3.0
    return np.sum(u * x)


def loop_carried_alias(a, x):  # u is w from the second iteration on: taped, not refused
    w = x * a
    u = x * 1.0
    for i in range(2):
        w[i] = u[i] * a
        u = w
    return np.sum(u * x)


@pytest.mark.parametrize(
    "fn, line",
    [(helper_result_read_after_write, 4), (conditional_alias, 5)],
    ids=lambda v: getattr(v, "__name__", ""),
)
def test_element_writes_seen_through_another_name_refused_in_reverse(fn, line):
    with pytest.raises(tl.TangentlikeError, match="which may be the same array") as info:
        tl.grad(fn)(A, V)
    assert info.value.filename == __file__
    assert info.value.lineno == _line(fn, line)
    x = V.copy()  # forward mode follows the shared tangent
    np.testing.assert_allclose(tl.jvp(fn)(A, x, 1.0)[1], fd_grad(fn, (A, V), wrt=0), rtol=1e-7)
    np.testing.assert_array_equal(x, V)


@pytest.mark.parametrize("compile", [None, "numba"])
def test_a_loop_carried_alias_is_taped(compile):
    g = tl.grad(loop_carried_alias, compile=compile)(A, V)
    np.testing.assert_allclose(g, fd_grad(loop_carried_alias, (A, V), wrt=0), rtol=1e-7)
    np.testing.assert_allclose(tl.jvp(loop_carried_alias)(A, V, 1.0)[1], g, rtol=1e-10)
