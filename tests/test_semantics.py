"""Regression tests for the promise: a right derivative or a TangentlikeError, never a
wrong number, a crash inside generated code or a mutated input (issue 11).

Each derivative is checked against finite differences and against the other mode,
interpreted and with compile="numba" where Numba compiles the primal.
"""

import copy

import numpy as np
import pytest

import tangentlike as tl
from tests import fd
from tests import semantics_funcs as F

MODES = [None, "numba"]


def _forward_gradient(f, args, wrt, compile):
    """The gradient of a scalar function by forward mode, one unit tangent per element."""
    x = args[wrt]
    jvp = tl.jvp(f, wrt, compile=compile)
    if not np.shape(x):
        return jvp(*args, 1.0)[1]
    out = np.zeros(np.shape(x))
    for idx in np.ndindex(*np.shape(x)):
        t = np.zeros(np.shape(x))
        t[idx] = 1.0
        out[idx] = jvp(*copy.deepcopy(args), t)[1]
    return out


def check(f, args, wrt=0, compile=None):
    before = copy.deepcopy(args)
    g = tl.grad(f, wrt, compile=compile)(*args)
    for a, b in zip(args, before):
        np.testing.assert_array_equal(a, b)  # grad did not write into an input
    ref = fd.fd_grad(f, copy.deepcopy(before), wrt)
    np.testing.assert_allclose(g, ref, rtol=1e-6, atol=1e-8)
    fwd = _forward_gradient(f, args, wrt, compile)
    for a, b in zip(args, before):
        np.testing.assert_array_equal(a, b)  # neither did jvp
    np.testing.assert_allclose(g, fwd, rtol=1e-10, atol=1e-12)


# ------------------------------------------------------------------ 1. shape changes
@pytest.mark.parametrize("compile", MODES)
def test_reassignment_that_changes_shape(compile):
    check(F.shape_change, (np.array([1.0, 2.0, 3.0]),), compile=compile)
    X = np.arange(1.0, 7.0).reshape(2, 3)
    check(F.shape_change_arg_rows, (X, np.array([0.5, -1.0, 2.0])), 0, compile)
    check(F.shape_change_arg_rows, (X, np.array([0.5, -1.0, 2.0])), 1, compile)
    check(F.number_then_array, (np.array([1.0, -2.0, 0.5]),), compile=compile)


@pytest.mark.parametrize("c", [1.0, -1.0])
def test_argument_changes_shape_in_a_branch(c):
    # interpreted only: Numba cannot type a variable that is a matrix or a row
    check(F.argument_becomes_row_in_branch, (np.arange(1.0, 7.0).reshape(2, 3), c), 0)


def test_straight_line_versions_are_not_taped():
    src = tl.source(tl.grad(F.shape_change))
    assert "_tape" not in src and "x_1 = np.sum(x)" in src


# ------------------------------------------------------------------ 2. Python lists
LIST_CASES = [
    (F.list_append, (1.5, 2.0), 0),
    (F.list_append, (1.5, 2.0), 1),
    (F.list_extend, (1.5, 2.0), 0),
    (F.list_extend, (1.5, 2.0), 1),
    (F.list_in_loop, (np.array([1.0, 2.0, 3.0]),), 0),
    (F.list_reads_last, (1.5, 2.0), 1),
    (F.list_literal_index, (1.5, 2.0, 3.0), 0),
    (F.list_literal_index, (1.5, 2.0, 3.0), 1),
    (F.list_nested, (1.5, 2.0), 0),
    (F.list_in_branch, (0.3, np.array([1.0, 2.0, 3.0])), 0),
    (F.list_in_branch, (0.3, np.array([1.0, 2.0, 3.0])), 1),
]


NESTED = (F.list_literal_index, F.list_nested)


@pytest.mark.parametrize("compile", MODES)
@pytest.mark.parametrize("f,args,wrt", LIST_CASES)
def test_local_lists(f, args, wrt, compile):
    if compile == "numba" and f in NESTED:
        with pytest.raises(
            tl.TangentlikeError, match=r"semantics_funcs.py:\d+\).*interpreted mode only"
        ):
            tl.grad(f, wrt, compile="numba")(*args)
    else:
        check(f, args, wrt, compile)


@pytest.mark.parametrize("compile", MODES)
def test_list_concatenation_is_refused(compile):
    with pytest.raises(tl.TangentlikeError, match="concatenation"):
        tl.grad(F.list_concatenated, compile=compile)(1.5, 2.0)


# ------------------------------------------------------------------ 3. writes into arrays not owned
@pytest.mark.parametrize("compile", MODES)
@pytest.mark.parametrize("f", [F.writes_global, F.writes_global_alias])
def test_writes_into_globals_are_refused(f, compile):
    before = F.G.copy()
    for derivative in (tl.grad, tl.jvp):
        with pytest.raises(tl.TangentlikeError, match=r"global array 'G'.*|.*:\d+\): writing"):
            d = derivative(f, compile=compile)
            d(1.5) if derivative is tl.grad else d(1.5, 1.0)
    np.testing.assert_array_equal(F.G, before)


@pytest.mark.parametrize("compile", MODES)
def test_writes_through_a_view_of_an_input(compile):
    args = (np.array([1.0, 2.0]), np.ones(4))
    check(F.writes_view_of_input, args, 0, compile)


@pytest.mark.parametrize("compile", MODES)
@pytest.mark.parametrize(
    "f,match",
    [
        (F.writes_through_transpose, "D.T"),
        (F.writes_row_alias_then_reads, "while 'M', which may be the same array"),
    ],
)
def test_writes_through_views_read_elsewhere_are_refused(f, match, compile):
    for derivative in (tl.grad, tl.jvp):
        with pytest.raises(tl.TangentlikeError, match=r"semantics_funcs.py:\d+\): writing.*"):
            d = derivative(f, compile=compile)
            x = np.array([1.0, 2.0, 3.0])
            d(x) if derivative is tl.grad else d(x, np.ones(3))
    with pytest.raises(tl.TangentlikeError, match=match):
        tl.grad(f)(np.array([1.0, 2.0, 3.0]))


@pytest.mark.parametrize("compile", MODES)
def test_a_number_written_into_a_row(compile):
    check(F.row_from_number, (np.array([0.5, 1.0, -2.0]),), 0, compile)


# ------------------------------------------------------------------ 5. tuple results
@pytest.mark.parametrize("compile", MODES)
@pytest.mark.parametrize("x", [1.5, -0.7])
def test_tuple_results_indexed_and_conditional_arguments(x, compile):
    check(F.indexes_tuple_result, (x,), 0, compile)
    check(F.conditional_argument, (x,), 0, compile)


@pytest.mark.parametrize("compile", MODES)
@pytest.mark.parametrize("f", [F.adds_into_other_input, F.overwrites_other_input])
def test_slice_writes_into_an_input_outside_wrt(f, compile):
    x, y = np.array([1.0, 2.0, 3.0]), np.ones(3)
    check(f, (x, y), 0, compile)
    check(f, (x, y), 1, compile)
    v = np.array([1.0, -2.0, 0.5])
    got = tl.hvp(f, 0)(x, y, v)
    g = tl.grad(f, 0)
    np.testing.assert_allclose(
        got, (g(x + 1e-6 * v, y) - g(x - 1e-6 * v, y)) / 2e-6, rtol=1e-6, atol=1e-6
    )
    np.testing.assert_array_equal(y, np.ones(3))


# ------------------------------------------------------------------ 4. no derivative mutates an input
@pytest.mark.parametrize("compile", MODES)
def test_no_derivative_writes_into_its_input(compile):
    x = np.array([1.0, 2.0, 3.0])
    check(F.writes_input, (x,), 0, compile)
    for run in (
        lambda: tl.jvp(F.writes_input, compile=compile)(x, np.ones(3)),
        lambda: tl.jacfwd(F.writes_input, compile=compile)(x),
        lambda: tl.jacrev(F.writes_input, compile=compile)(x),
        lambda: tl.hvp(F.writes_input)(x, np.ones(3)),
    ):
        run()
        np.testing.assert_array_equal(x, [1.0, 2.0, 3.0])
    np.testing.assert_allclose(tl.jacrev(F.writes_input)(x), tl.jacfwd(F.writes_input)(x))


@pytest.mark.parametrize("compile", MODES)
@pytest.mark.parametrize("f", [F.reassigns_other_arg, F.reassigns_other_arg_branch])
def test_reassigned_argument_outside_wrt(f, compile):
    check(f, (1.5, 2.0), 0, compile)
    h = tl.hvp(f)(1.5, 2.0, 1.0)
    gg = tl.grad(tl.grad(f))(1.5, 2.0)
    ref = (tl.grad(f)(1.5 + 1e-5, 2.0) - tl.grad(f)(1.5 - 1e-5, 2.0)) / 2e-5
    np.testing.assert_allclose([h, gg], [ref, ref], rtol=1e-6)


@pytest.mark.parametrize("compile", MODES)
def test_helper_reassigns_a_constant_parameter(compile):
    args = (0.7, np.array([1.0, 2.0, 3.0]))
    check(F.calls_helper_with_constant, args, 0, compile)
    check(F.calls_helper_with_constant, args, 1, compile)


def test_second_order_when_an_argument_outside_wrt_is_reassigned():
    a, v, M = 0.7, np.array([0.1, 0.5, -0.3]), np.arange(9.0).reshape(3, 3) / 10
    check(F.reassigns_matrix_arg, (a, v, M), 1)
    dv = np.array([1.0, -2.0, 0.5])
    got = tl.hvp(F.reassigns_matrix_arg, 1)(a, v, M, dv)
    g = tl.grad(F.reassigns_matrix_arg, 1)
    ref = (g(a, v + 1e-6 * dv, M) - g(a, v - 1e-6 * dv, M)) / 2e-6
    np.testing.assert_allclose(got, ref, rtol=1e-6)


# ------------------------------------------------------------------ 6. check_grads
@tl.custom_vjp
def _sin_wrong(x):
    return np.sin(x)


def _sin_wrong_fwd(x):
    return np.sin(x), x


def _sin_wrong_bwd(x, g):
    return (g * np.cos(x) * 1.5,)  # deliberately wrong by 50%


_sin_wrong.defvjp(_sin_wrong_fwd, _sin_wrong_bwd)


def wrong_gradient(x):
    return _sin_wrong(x) * 2.0


@pytest.mark.parametrize("modes", [["rev"], ("reverse",), "rev", "reverse"])
def test_check_grads_fails_on_a_wrong_gradient(modes):
    with pytest.raises(AssertionError, match="reverse mode"):
        tl.check_grads(wrong_gradient, (0.3,), modes=modes)


@pytest.mark.parametrize("modes", [["fwd"], ["rev", "fwd"], ("forward", "reverse")])
def test_check_grads_accepts_jax_spellings(modes):
    assert tl.check_grads(F.wrong_rule_primal, (0.3,), modes=modes)


@pytest.mark.parametrize("modes", [["backward"], "revv", [], ["rev", "jvp"]])
def test_check_grads_rejects_unknown_modes(modes):
    with pytest.raises(ValueError, match="mode"):
        tl.check_grads(F.wrong_rule_primal, (0.3,), modes=modes)


def test_check_grads_names_a_kink():
    with pytest.raises(AssertionError, match="kink"):
        tl.check_grads(F.kinked, (1e-7,), modes=["rev"])
    with pytest.raises(AssertionError, match="kink"):
        tl.check_grads(F.kinked, (1e-7,), modes=["fwd"])


# ------------------------------------------------------------------ second order
@pytest.mark.parametrize(
    "f,args",
    [
        (F.list_append, (1.5, 2.0)),
        (F.list_extend, (1.5, 2.0)),
        (F.list_in_loop, (np.array([1.0, 2.0, 3.0]),)),
        (F.list_reads_last, (1.5, 2.0)),
        (F.list_nested, (1.5, 2.0)),
        (F.shape_change, (np.array([1.0, 2.0, 3.0]),)),
        (F.indexes_tuple_result, (1.5,)),
        (F.row_from_number, (np.array([0.5, 1.0, -2.0]),)),
        (F.conditional_argument, (1.5,)),
    ],
)
def test_second_order(f, args):
    """Hessian-vector products (forward over the generated reverse code) against finite
    differences of the gradient; an unpaired tangent-stack pop would misalign them."""
    assert tl.check_grads(f, args, order=2)
