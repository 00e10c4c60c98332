"""Every error path: unsupported constructs, calls without derivative rules, bad arguments.

Each test accepts the error either when the gradient is built (tl.grad) or when it is first
called, since both are legitimate places for the engine to detect it.
"""

import inspect
import math
import re

import numpy as np
import pytest

from tests import error_funcs as ef
from tests import fd

tl = pytest.importorskip("tangentlike")
if not hasattr(tl, "grad"):
    pytest.skip("tangentlike.grad not implemented yet", allow_module_level=True)

X = np.array([0.3, 0.7, 1.2, 0.9])


def _line_of(marker):
    lines, _ = inspect.findsource(ef)
    hits = [k + 1 for k, line in enumerate(lines) if f"# MARK:{marker}" in line]
    assert len(hits) == 1, marker
    return hits[0]


def _raise_grad(fn, *args, **kw):
    """Build and call the gradient; return the TangentlikeError raised somewhere on the way."""
    with pytest.raises(tl.TangentlikeError) as info:
        df = tl.grad(fn, **kw)
        df(*args)
    return info.value


def _assert_located(err, fn_name, marker):
    msg = str(err)
    line = _line_of(marker)
    assert fn_name in msg, f"message does not name {fn_name!r}: {msg}"
    assert re.search(rf"(:|line ){line}\b", msg), f"message does not give line {line}: {msg}"
    assert getattr(err, "lineno", line) == line


# ------------------------------------------------------------------ calls without a rule


@pytest.mark.parametrize(
    "fn, args, marker, called",
    [
        (ef.call_fft, (X,), "fft", "fft"),
        (ef.call_c_function, (0.4,), "ccall", "c_cos"),
        (ef.call_scipy_special, (0.4,), "j0", "j0"),
    ],
    ids=["np.fft.fft", "ctypes-C-function", "scipy.special.j0"],
)
def test_no_derivative_rule(fn, args, marker, called):
    err = _raise_grad(fn, *args)
    _assert_located(err, fn.__name__, marker)
    assert called in str(err), f"message does not name the call {called!r}: {err}"


def test_no_rule_in_callee_names_callee():
    err = _raise_grad(ef.callee_without_rule, X)
    assert "rfft" in str(err)
    _assert_located(err, "_inner_fft", "inner_fft")


def test_no_rule_numba_mode_too():
    with pytest.raises(tl.TangentlikeError):
        tl.grad(ef.call_fft, compile="numba")(X)


# ------------------------------------------------------------------ unsupported constructs


@pytest.mark.parametrize(
    "fn, args, marker",
    [
        (ef.uses_yield, (0.5,), "yield"),
        (ef.uses_try, (0.5,), "try"),
        (ef.uses_with, (X,), "with"),
        (ef.uses_dict_comprehension, (X,), "dictcomp"),
        (ef.uses_global, (0.5,), "global"),
        (ef.uses_del, (0.5,), "del"),
    ],
    ids=lambda v: v.__name__ if callable(v) else None,
)
def test_unsupported_construct(fn, args, marker):
    err = _raise_grad(fn, *args)
    _assert_located(err, fn.__name__, marker)


@pytest.mark.parametrize(
    "fn, marker", [(ef.pops_a_stack, "stack_pop"), (ef.pops_inside_an_expression, "pop_expr")]
)
def test_list_pop_refused_in_reverse_mode_with_its_line(fn, marker):
    err = _raise_grad(fn, X)
    _assert_located(err, fn.__name__, marker)
    assert err.construct == "list.pop"
    value, tangent = tl.jvp(fn)(X, np.ones(4))  # forward mode differentiates it
    np.testing.assert_allclose(tangent, np.sum(fd.fd_grad(fn, (X,), 0)), rtol=1e-6)


def test_nonlocal_or_nested_def_rejected():
    # the nested def may be rejected before the nonlocal statement is seen; either is fine
    err = _raise_grad(ef.uses_nonlocal, 0.5)
    assert "uses_nonlocal" in str(err) or "bump" in str(err)


def test_unsupported_construct_in_callee_names_callee():
    err = _raise_grad(ef.caller_of_bad_callee, 0.5)
    _assert_located(err, "_callee_with_try", "callee_try")


def test_global_statement_leaves_global_untouched():
    before = ef.COUNTER
    with pytest.raises(tl.TangentlikeError):
        tl.grad(ef.uses_global)(0.5)
    assert ef.COUNTER == before


# ------------------------------------------------------------------ non-scalar output


def test_grad_of_vector_output_points_to_vjp():
    err = _raise_grad(ef.vector_output, X)
    assert "vjp" in str(err)


def test_grad_of_vector_output_numba_points_to_vjp():
    with pytest.raises(tl.TangentlikeError, match="vjp"):
        tl.grad(ef.vector_output, compile="numba")(X)


def test_vjp_of_same_function_works():
    dy = np.ones_like(X)
    g = tl.vjp(ef.vector_output)(X, dy)
    np.testing.assert_allclose(g, 2.0 * np.cos(X), rtol=1e-12)


# ------------------------------------------------------------------ bad wrt


@pytest.mark.parametrize(
    "fn, wrt",
    [
        (ef.one_arg, 1),
        (ef.one_arg, 5),
        (ef.two_args, 2),
        (ef.two_args, (0, 2)),
        (ef.two_args, (3,)),
        (ef.two_args, ()),
        (ef.two_args, 1.0),
    ],
    ids=[
        "1arg-wrt1",
        "1arg-wrt5",
        "2arg-wrt2",
        "2arg-wrt(0,2)",
        "2arg-wrt(3,)",
        "empty-tuple",
        "float-wrt",
    ],
)
def test_bad_wrt(fn, wrt):
    n = len(inspect.signature(fn).parameters)
    with pytest.raises(tl.TangentlikeError):
        tl.grad(fn, wrt=wrt)(*([0.5] * n))


def test_bad_wrt_vjp():
    with pytest.raises(tl.TangentlikeError):
        tl.vjp(ef.vector_output, wrt=1)(X, np.ones_like(X))


def test_bad_wrt_message_names_function():
    with pytest.raises(tl.TangentlikeError, match="one_arg"):
        tl.grad(ef.one_arg, wrt=3)(0.5)


# ------------------------------------------------------------------ numba / compile


def test_numba_on_non_nopython_primal():
    # interpreted mode handles it ...
    g = tl.grad(ef.not_nopython)(X)
    assert np.shape(g) == X.shape
    # ... but compile="numba" must say why it cannot
    with pytest.raises(tl.TangentlikeError, match=r"(?i)numba|nopython"):
        tl.grad(ef.not_nopython, compile="numba")(X)


def test_numba_lowering_failure_of_the_primal_is_refused():
    """Fuzzer seed 1011200: Numba fails in its lowering (not its typing) on the primal;
    the derivative call says so instead of leaking Numba's NotImplementedError."""
    M = np.array([[0.1, 0.2, 0.3], [0.4, 0.5, 0.6], [0.7, 0.8, 0.9]])
    fd.assert_close(tl.grad(ef.transposed_in_loop)(M), fd.fd_grad(ef.transposed_in_loop, (M,), 0))
    with pytest.raises(tl.TangentlikeError, match="needs a primal that Numba compiles"):
        tl.grad(ef.transposed_in_loop, compile="numba")(M)


def test_numba_with_dict_argument():
    p = {"a": X.copy(), "b": X[::-1].copy()}
    with pytest.raises(tl.TangentlikeError, match=r"(?i)numba|nopython"):
        tl.grad(ef.dict_arg, compile="numba")(p)


def test_unknown_compile_backend():
    with pytest.raises(tl.TangentlikeError):
        tl.grad(ef.one_arg, compile="no-such-backend")(0.5)


# ------------------------------------------------------------------ things that are not differentiable functions


@pytest.mark.parametrize("obj", [math.sin, np.sin, len], ids=["math.sin", "np.sin", "len"])
def test_grad_of_builtin_rejected(obj):
    with pytest.raises(tl.TangentlikeError):
        tl.grad(obj)(0.5)


def test_source_of_non_gradient_rejected():
    with pytest.raises((tl.TangentlikeError, TypeError)):
        tl.source(ef.one_arg)


def test_error_is_exception_subclass_with_fields():
    err = _raise_grad(ef.call_fft, X)
    assert isinstance(err, Exception)
    assert err.function == "call_fft"
    assert err.lineno == _line_of("fft")
