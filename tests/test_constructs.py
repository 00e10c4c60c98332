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
    return [
        rng.normal(size=np.shape(args[k])) if np.ndim(args[k]) else float(rng.normal()) for k in wrt
    ]


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
    (cf.euler, (cf.logistic, Y, 0.1, 5), 1),  # another function: another derivative
    (cf.rk2, (cf.decay, Y, 0.1, 3), (1, 2)),
    (cf.solve_through, (cf.logistic, Y), 1),
    (cf.solve_decay, (Y,), 0),
    (cf.apply_twice, (cf.logistic, cf.decay, 0.4), 2),
]


@pytest.mark.parametrize("compile", MODES)
@pytest.mark.parametrize(
    "fn, args, wrt",
    FUNCTION_ARGS,
    ids=[f"{c[0].__name__}-{k}" for k, c in enumerate(FUNCTION_ARGS)],
)
def test_function_arguments(fn, args, wrt, compile):
    check(fn, args, wrt, compile)


def test_one_derivative_per_function_passed():
    df = tl.grad(cf.euler, wrt=1)
    a = df(cf.decay, Y, 0.1, 5)
    b = df(cf.logistic, Y, 0.1, 5)
    np.testing.assert_allclose(a, fd.fd_grad(cf.euler, (cf.decay, Y, 0.1, 5), 1), rtol=2e-6)
    np.testing.assert_allclose(b, fd.fd_grad(cf.euler, (cf.logistic, Y, 0.1, 5), 1), rtol=2e-6)
    np.testing.assert_allclose(df(cf.decay, Y, 0.1, 5), a, rtol=0)  # the first one, kept
    assert "vjp_decay" in tl.source(df) or "_vjp_decay" in tl.source(df) or "decay" in tl.source(df)


def test_library_function_passed():
    args = (np.sin, cf.decay, 0.4)
    np.testing.assert_allclose(
        tl.grad(cf.apply_twice, wrt=2)(*args), fd.fd_grad(cf.apply_twice, args, 2), rtol=2e-6
    )
    with pytest.raises(tl.TangentlikeError, match="library function"):
        tl.grad(cf.apply_twice, wrt=2, compile="numba")(*args)


def test_function_argument_refusals():
    with pytest.raises(tl.TangentlikeError, match="is a function"):
        tl.grad(cf.euler, wrt=0)(cf.decay, Y, 0.1, 5)
    with pytest.raises(tl.TangentlikeError, match="'f' is called but is an argument"):
        tl.grad(cf.euler, wrt=1)(3.0, Y, 0.1, 5)
    with pytest.raises(tl.TangentlikeError, match="call it before tl.source"):
        tl.source(tl.grad(cf.euler, wrt=1))
    with pytest.raises(tl.TangentlikeError, match="differentiate a function that passes"):
        tl.hvp(cf.euler, wrt=1)(cf.decay, Y, 0.1, 2, Y)


def test_second_order_through_a_wrapper():
    hv = tl.hvp(cf.solve_decay)(Y, np.array([1.0, -0.5, 0.2]))
    g = tl.grad(cf.solve_decay)
    v = np.array([1.0, -0.5, 0.2])
    np.testing.assert_allclose(hv, fd.fd_directional(g, (Y,), 0, v, h=1e-5), rtol=1e-5)


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

COMPREHENSIONS = [  # (fn, args, wrt, the primal compiles with Numba)
    (cf.sum_of_generator, (X,), 0, True),
    (cf.sum_with_filter, (X,), 0, True),
    (cf.assigned_list, (X,), 0, True),
    (cf.array_of_comprehension, (X, 0.4), (0, 1), True),
    (cf.rows_of_comprehension, (X, W), (0, 1), False),
    (cf.comprehension_enumerate_zip, (X, X[::-1].copy()), (0, 1), False),
    (cf.comprehension_in_loop, (X,), 0, True),
    (cf.conditional_everywhere, (0.7, 0.4), (0, 1), True),
    (cf.conditional_everywhere, (-0.6, 0.4), (0, 1), True),
]


@pytest.mark.parametrize("compile", MODES)
@pytest.mark.parametrize(
    "fn, args, wrt, compiles",
    COMPREHENSIONS,
    ids=[f"{c[0].__name__}-{k}" for k, c in enumerate(COMPREHENSIONS)],
)
def test_comprehensions(fn, args, wrt, compiles, compile):
    if compile == "numba" and not compiles:
        with pytest.raises(tl.TangentlikeError, match="Numba compiles"):
            tl.grad(fn, wrt=wrt, compile="numba")(*args)
        return
    check(fn, args, wrt, compile)


@pytest.mark.parametrize(
    "fn, marker, words",
    [
        (cf.comprehension_used_as_list, "list_plus", "used as a list"),
        (cf.comprehension_two_fors, "two_fors", "more than one 'for'"),
        (cf.filtered_list, "filtered", "'if' filter"),
    ],
)
def test_comprehension_refusals(fn, marker, words):
    with pytest.raises(tl.TangentlikeError, match=words) as info:
        tl.grad(fn)(X)
    assert info.value.lineno == _line_of(fn, marker)


@pytest.mark.parametrize("compile", MODES)
def test_append_of_values_without_derivative(compile):
    check(cf.append_inactive, (0.7,), 0, compile)


@pytest.mark.parametrize("compile", MODES)
def test_append_of_values_with_a_derivative(compile):
    check(cf.append_active, (0.7,), 0, compile)


def test_append_forward_mode():
    value, tangent = tl.jvp(cf.append_active)(0.7, 1.0)
    np.testing.assert_allclose(tangent, 4.0 * 0.7, rtol=1e-12)


@pytest.mark.parametrize(
    "fn, marker, words, modes",
    [
        (cf.list_concatenation, "concat", "concatenation is not supported", ("grad", "jvp")),
        (cf.list_extend, "extend", "changes 'out' in place", ("grad", "jvp")),
    ],
)
def test_list_building_refusals(fn, marker, words, modes):
    for mode in modes:
        with pytest.raises(tl.TangentlikeError, match=words) as info:
            if mode == "grad":
                tl.grad(fn)(0.7)
            else:
                tl.jvp(fn)(0.7, 1.0)
        assert info.value.lineno == _line_of(fn, marker)


@pytest.mark.parametrize("compile", MODES)
def test_keywords_and_defaults(compile):
    f = cf.with_defaults
    for kwargs in ({}, {"dt": 0.2}, {"n": 4, "dt": 0.05}):
        ref = fd.fd_grad(lambda x: f(x, **kwargs), (Y,), 0)
        g = tl.grad(f, compile=compile)(Y, **kwargs)
        np.testing.assert_allclose(g, ref, rtol=2e-6, atol=1e-8)
        v = np.array([0.5, -1.0, 0.25])
        value, tangent = tl.jvp(f, compile=compile)(Y, v, **kwargs)
        np.testing.assert_allclose(value, f(Y, **kwargs), rtol=1e-12)
        np.testing.assert_allclose(tangent, float(g @ v), rtol=1e-9)
    value, tangent = tl.jvp(f, compile=compile)(Y, 0.3, v)  # positional default
    np.testing.assert_allclose(tangent, float(tl.grad(f)(Y, 0.3) @ v), rtol=1e-9)
    g = tl.grad(f, wrt=1, compile=compile)(Y, dt=0.2)
    np.testing.assert_allclose(g, fd.fd_grad(lambda dt: f(Y, dt), (0.2,), 0), rtol=2e-6)
    with pytest.raises(tl.TangentlikeError, match="bad arguments"):
        tl.grad(f)(Y, bogus=1.0)


@pytest.mark.parametrize("compile", MODES)
def test_keyword_only_parameters(compile):
    """A helper's keyword-only parameters are passed in its signature's order; Numba
    cannot call a jitted function that has them, which is refused with its line."""
    if compile == "numba":
        with pytest.raises(tl.TangentlikeError, match="keyword-only parameters") as info:
            tl.grad(cf.calls_keyword_only, compile=compile)(Y)
        assert info.value.lineno == cf.scaled_step.__code__.co_firstlineno
    else:
        check(cf.calls_keyword_only, (Y,), compile=compile)
    f = cf.keyword_only_top
    for kwargs in ({}, {"dt": 0.7}):
        ref = fd.fd_grad(lambda x: f(x, **kwargs), (Y,), 0)
        np.testing.assert_allclose(tl.grad(f, compile=compile)(Y, **kwargs), ref, rtol=2e-6)


def test_higher_order_derivatives_fill_defaults_and_keywords():
    f = cf.with_defaults
    for kwargs in ({}, {"dt": 0.2}):
        g = lambda x: tl.grad(f)(x, **kwargs)  # noqa: E731
        ref = np.array([fd.fd_grad(lambda x: g(x)[i], (Y,), 0) for i in range(3)])
        H = tl.hessian(f)(Y, **kwargs)
        np.testing.assert_allclose(H, ref, rtol=1e-5, atol=1e-7)
        v = np.array([0.5, -1.0, 0.25])
        np.testing.assert_allclose(tl.hvp(f)(Y, v, **kwargs), ref @ v, rtol=1e-5, atol=1e-7)
        value, tangent = tl.jvp(tl.grad(f))(Y, v, **kwargs)
        np.testing.assert_allclose(tangent, ref @ v, rtol=1e-5, atol=1e-7)
        J = tl.jacobian(lambda_free_step, mode="forward")(Y, **kwargs)
        np.testing.assert_allclose(J, tl.jacobian(lambda_free_step)(Y, **kwargs), rtol=1e-12)
    x = 0.7
    d2 = tl.grad(tl.grad(cf.keyword_only_top))(x, dt=0.3)
    ref = fd.fd_grad(lambda t: tl.grad(cf.keyword_only_top)(t, dt=0.3), (x,), 0)
    np.testing.assert_allclose(d2, ref, rtol=1e-6)


def lambda_free_step(y, dt=0.1, n=3):
    for _ in range(n):
        y = y + dt * np.sin(y)
    return y


def _fields(rec):
    import dataclasses

    if dataclasses.is_dataclass(rec):
        return tuple(getattr(rec, f.name) for f in dataclasses.fields(rec))
    return tuple(rec)


def _record_fd(fn, args, k):
    """FD of fn w.r.t. each field of the record argument k, as a tuple."""
    rec = args[k]
    fields = (
        [f for f in type(rec).__dataclass_fields__]
        if hasattr(rec, "__dataclass_fields__")
        else list(rec._fields)
    )
    vals = [getattr(rec, f) for f in fields]
    out = []
    for j in range(len(fields)):

        def g(v, j=j):
            parts = list(vals)
            parts[j] = v
            a = list(args)
            a[k] = type(rec)(*parts)
            return fn(*a)

        out.append(fd.fd_grad(g, (vals[j],), 0))
    return tuple(out)


@pytest.mark.parametrize(
    "fn, args, compiles",
    [
        (cf.oscillator_energy, (cf.Oscillator(2.0, 0.3, 1.5), 0.4, -0.2), True),
        (cf.spring_chain, (cf.Spring(3.0, 0.1), X), True),
    ],
)
def test_record_arguments(fn, args, compiles):
    g = tl.grad(fn, wrt=(0, 1))(*args)
    assert type(g[0]) is type(args[0])  # the gradient in the argument's structure
    np.testing.assert_allclose(_fields(g[0]), _record_fd(fn, args, 0), rtol=2e-6)
    np.testing.assert_allclose(
        g[1], fd.fd_grad(lambda x1: fn(args[0], x1, *args[2:]), (args[1],), 0), rtol=2e-6, atol=1e-8
    )
    # forward mode, with a tangent of the same structure
    rng = np.random.default_rng(5)
    t0 = type(args[0])(*rng.normal(size=len(_fields(g[0]))))
    t1 = rng.normal(size=np.shape(args[1])) if np.ndim(args[1]) else float(rng.normal())
    value, tangent = tl.jvp(fn, wrt=(0, 1))(*args, t0, t1)
    np.testing.assert_allclose(value, fn(*args), rtol=1e-12)
    expected = float(np.dot(_fields(g[0]), _fields(t0))) + float(np.sum(g[1] * t1))
    np.testing.assert_allclose(tangent, expected, rtol=1e-9)
    if compiles:  # a dataclass or namedtuple of floats is a namedtuple to Numba too
        gc = tl.grad(fn, wrt=(0, 1), compile="numba")(*args)
        assert type(gc[0]) is type(args[0])
        np.testing.assert_allclose(_fields(gc[0]), _fields(g[0]), rtol=1e-12)
        np.testing.assert_allclose(gc[1], g[1], rtol=1e-12)
        return
    with pytest.raises(tl.TangentlikeError, match="numbers and arrays|Numba compiles"):
        tl.grad(fn, wrt=(0, 1), compile="numba")(*args)


@pytest.mark.parametrize(
    "fn, args, compiles",
    [
        (cf.bonds_energy, (cf.Bonds(3.0, 3, np.array([0.5, 1.0, 1.5])), X[:4]), False),
        (cf.bonds_through_helper, (cf.Bonds(3.0, 3, np.array([0.5, 1.0, 1.5])), X[:4]), False),
        (cf.wave_sum, (cf.Wave(2.0, 0.7), 0.9), True),
    ],
)
def test_record_methods_and_properties(fn, args, compiles):
    """``p.energy(x)``, ``p.pin`` and a helper the forward sweep calls with the record:
    the helper reads the fields by name (it crashed on the tuple before)."""
    rec, x = args
    g = tl.grad(fn, wrt=1)(*args)
    np.testing.assert_allclose(g, fd.fd_grad(lambda x1: fn(rec, x1), (x,), 0), rtol=2e-6, atol=1e-8)
    _, tangent = tl.jvp(fn, wrt=1)(*args, np.ones_like(np.asarray(x, float)))
    np.testing.assert_allclose(tangent, np.sum(g), rtol=1e-10)
    grec = tl.grad(fn, wrt=0)(*args)
    assert type(grec) is type(rec)
    dk = fd.fd_grad(
        lambda k: fn(
            rec._replace(a=k) if hasattr(rec, "_replace") else cf.Bonds(k, rec.n, rec.rest), x
        ),
        (_fields(rec)[0],),
        0,
    )
    np.testing.assert_allclose(_fields(grec)[0], dk, rtol=2e-6)
    if not compiles:  # fields of mixed kinds (float, int, array)
        with pytest.raises(tl.TangentlikeError, match="numbers and arrays"):
            tl.grad(fn, wrt=1, compile="numba")(*args)
        return
    gc = tl.grad(fn, wrt=(0, 1), compile="numba")(*args)
    np.testing.assert_allclose(_fields(gc[0]), _fields(grec), rtol=1e-12)
    np.testing.assert_allclose(gc[1], g, rtol=1e-12)


def test_method_of_a_plain_object_is_refused():
    with pytest.raises(tl.TangentlikeError, match="calls a method of an argument") as info:
        tl.grad(cf.plain_method, wrt=1)(cf.Plain(2.0), 0.5)
    assert info.value.lineno == _line_of(cf.plain_method, "plain_method")


def test_record_refusals():
    with pytest.raises(tl.TangentlikeError, match="writing the field") as info:
        tl.grad(cf.writes_field, wrt=1)(cf.Oscillator(1.0, 1.0, 1.0), 0.5)
    assert info.value.lineno == _line_of(cf.writes_field, "field_write")
    with pytest.raises(tl.TangentlikeError, match="pass a dataclass or namedtuple"):
        tl.grad(cf.oscillator_energy, wrt=1)(object(), 0.4, 0.2)


@pytest.mark.parametrize("compile", MODES)
@pytest.mark.parametrize(
    "fn, args, wrt",
    [
        (cf.dict_of_terms, (0.6, -0.3), (0, 1)),
        (cf.dict_of_terms, (-0.6, -0.3), (0, 1)),
        (cf.dict_constructor, (Y,), 0),
    ],
)
def test_local_dicts(fn, args, wrt, compile):
    check(fn, args, wrt, compile)


def test_local_dict_refusal():
    with pytest.raises(tl.TangentlikeError, match="used other than indexed") as info:
        tl.grad(cf.dict_passed_on)(0.5)
    assert info.value.lineno == _line_of(cf.dict_passed_on, "dict_use")
