"""Python constructs lowered by normalize/: every derivative against finite differences and
forward vs reverse, interpreted and compiled with Numba."""
import numpy as np
import pytest

import tangentlike as tl
from tests import constructs_funcs as cf
from tests import fd

Y = np.array([0.3, 0.7, -0.4])


def _direction(args, wrt, seed=3):
    rng = np.random.default_rng(seed)
    return [rng.normal(size=np.shape(args[k])) if np.ndim(args[k]) else float(rng.normal())
            for k in wrt]


def check(fn, args, wrt=0, compile=None):
    """grad vs FD, jvp vs grad (directional), for one compile mode."""
    wrt_t = wrt if isinstance(wrt, tuple) else (wrt,)
    g = tl.grad(fn, wrt=wrt, compile=compile)(*args)
    ref = fd.fd_grad(fn, args, wrt)
    gs, refs = (g, ref) if isinstance(wrt, tuple) else ((g,), (ref,))
    for a, b in zip(gs, refs):
        np.testing.assert_allclose(a, b, rtol=2e-6, atol=1e-7)
    v = _direction(args, wrt_t)
    value, tangent = tl.jvp(fn, wrt=wrt, compile=compile)(*args, *v)
    np.testing.assert_allclose(value, fn(*args), rtol=1e-12)
    expected = sum(float(np.sum(np.asarray(a) * vk)) for a, vk in zip(gs, v))
    np.testing.assert_allclose(tangent, expected, rtol=1e-9, atol=1e-12)


MODES = [None, "numba"]

FUNCTION_ARGS = [
    (cf.euler, (cf.decay, Y, 0.1, 5), 1),
    (cf.euler, (cf.logistic, Y, 0.1, 5), 1),           # another function: another derivative
    (cf.rk2, (cf.decay, Y, 0.1, 3), (1, 2)),
    (cf.solve_through, (cf.logistic, Y), 1),
    (cf.solve_decay, (Y,), 0),
    (cf.apply_twice, (cf.logistic, cf.decay, 0.4), 2),
]


@pytest.mark.parametrize("compile", MODES)
@pytest.mark.parametrize("fn, args, wrt", FUNCTION_ARGS,
                         ids=[f"{c[0].__name__}-{k}" for k, c in enumerate(FUNCTION_ARGS)])
def test_function_arguments(fn, args, wrt, compile):
    check(fn, args, wrt, compile)


def test_one_derivative_per_function_passed():
    df = tl.grad(cf.euler, wrt=1)
    a = df(cf.decay, Y, 0.1, 5)
    b = df(cf.logistic, Y, 0.1, 5)
    np.testing.assert_allclose(a, fd.fd_grad(cf.euler, (cf.decay, Y, 0.1, 5), 1), rtol=2e-6)
    np.testing.assert_allclose(b, fd.fd_grad(cf.euler, (cf.logistic, Y, 0.1, 5), 1), rtol=2e-6)
    np.testing.assert_allclose(df(cf.decay, Y, 0.1, 5), a, rtol=0)   # the first one, kept
    assert "vjp_decay" in tl.source(df) or "_vjp_decay" in tl.source(df) or "decay" in tl.source(df)


def test_library_function_passed():
    args = (np.sin, cf.decay, 0.4)
    np.testing.assert_allclose(tl.grad(cf.apply_twice, wrt=2)(*args),
                               fd.fd_grad(cf.apply_twice, args, 2), rtol=2e-6)
    with pytest.raises(tl.TangentlikeError, match="library function"):
        tl.grad(cf.apply_twice, wrt=2, compile="numba")(*args)


def test_function_argument_refusals():
    with pytest.raises(tl.TangentlikeError, match="is a function"):
        tl.grad(cf.euler, wrt=0)(cf.decay, Y, 0.1, 5)
    with pytest.raises(tl.TangentlikeError, match="'f' is called but is an argument"):
        tl.grad(cf.euler, wrt=1)(3.0, Y, 0.1, 5)
    with pytest.raises(tl.TangentlikeError, match="call it first"):
        tl.source(tl.grad(cf.euler, wrt=1))


CLOSURES = [
    (cf.closure_reads_argument, (0.7, 1.3), (0, 1)),
    (cf.closure_late_binding, (0.7,), 0),
    (cf.local_lambda, (0.7,), 0),
    (cf.nested_calls_nested, (0.7, 1.3), (0, 1)),
    (cf.closure_in_loop, (Y, 0.8), (0, 1)),
    (cf.lambda_passed, (Y,), 0),
    (cf.local_def_passed, (Y,), 0),
]


@pytest.mark.parametrize("compile", MODES)
@pytest.mark.parametrize("fn, args, wrt", CLOSURES, ids=[c[0].__name__ for c in CLOSURES])
def test_nested_functions(fn, args, wrt, compile):
    check(fn, args, wrt, compile)


def _line_of(fn, marker):
    import inspect
    lines, start = inspect.getsourcelines(fn)
    return start + next(k for k, ln in enumerate(lines) if f"MARK:{marker}" in ln)


def test_closure_passed_as_value_refused():
    with pytest.raises(tl.TangentlikeError, match="reads the local variables k") as info:
        tl.grad(cf.closure_passed_refused)(Y, 2.0)
    assert info.value.lineno == _line_of(cf.closure_passed_refused, "closure_value")


X = np.array([0.3, -0.7, 0.2, 0.9])
W = np.arange(8.0).reshape(2, 4) * 0.1 - 0.3

COMPREHENSIONS = [                         # (fn, args, wrt, the primal compiles with Numba)
    (cf.sum_of_generator, (X,), 0, False),
    (cf.sum_with_filter, (X,), 0, False),
    (cf.assigned_list, (X,), 0, True),
    (cf.array_of_comprehension, (X, 0.4), (0, 1), True),
    (cf.rows_of_comprehension, (X, W), (0, 1), False),
    (cf.comprehension_enumerate_zip, (X, X[::-1].copy()), (0, 1), False),
    (cf.comprehension_in_loop, (X,), 0, True),
    (cf.conditional_everywhere, (0.7, 0.4), (0, 1), True),
    (cf.conditional_everywhere, (-0.6, 0.4), (0, 1), True),
]


@pytest.mark.parametrize("compile", MODES)
@pytest.mark.parametrize("fn, args, wrt, compiles", COMPREHENSIONS,
                         ids=[f"{c[0].__name__}-{k}" for k, c in enumerate(COMPREHENSIONS)])
def test_comprehensions(fn, args, wrt, compiles, compile):
    if compile == "numba" and not compiles:
        with pytest.raises(tl.TangentlikeError, match="Numba compiles"):
            tl.grad(fn, wrt=wrt, compile="numba")(*args)
        return
    check(fn, args, wrt, compile)


@pytest.mark.parametrize("fn, marker, words", [
    (cf.comprehension_used_as_list, "list_plus", "used as a list"),
    (cf.comprehension_two_fors, "two_fors", "more than one 'for'"),
    (cf.filtered_list, "filtered", "'if' filter"),
])
def test_comprehension_refusals(fn, marker, words):
    with pytest.raises(tl.TangentlikeError, match=words) as info:
        tl.grad(fn)(X)
    assert info.value.lineno == _line_of(fn, marker)


@pytest.mark.parametrize("compile", MODES)
def test_append_of_values_without_derivative(compile):
    check(cf.append_inactive, (0.7,), 0, compile)


def test_append_forward_mode():
    value, tangent = tl.jvp(cf.append_active)(0.7, 1.0)
    np.testing.assert_allclose(tangent, 4.0 * 0.7, rtol=1e-12)


@pytest.mark.parametrize("fn, marker, words, modes", [
    (cf.append_active, "append", r"out.append\(...\)' builds a list", ("grad",)),
    (cf.list_concatenation, "concat", "concatenation is not supported", ("grad", "jvp")),
    (cf.list_extend, "extend", "changes 'out' in place", ("grad", "jvp")),
])
def test_list_building_refusals(fn, marker, words, modes):
    for mode in modes:
        with pytest.raises(tl.TangentlikeError, match=words) as info:
            if mode == "grad":
                tl.grad(fn)(0.7)
            else:
                tl.jvp(fn)(0.7, 1.0)
        assert info.value.lineno == _line_of(fn, marker)
