"""Generated text comes only from the AST: no name, ``repr`` or string of the user's can
add code to it; user names cannot collide with the module header's; what the user
passed is what is differentiated; cotangents and directions have exactly the right shape."""

import functools
import math
import math as m

import numpy as np
import pytest

import tangentlike as tl
from tangentlike import TangentlikeError
from tangentlike.emit.printer import COMMENT_PREFIX

from . import fd, names_funcs

MODES = [None, "numba"]


def _forward(f, x, *rest):
    """d f / d x by forward mode (an independent mode for scalar x)."""
    return tl.jvp(f)(x, *rest, 1.0)[1]


def _check(f, x, compile):
    g = tl.grad(f, compile=compile)(x)
    fd.assert_close(g, fd.fd_grad(f, (x,), 0))
    fd.assert_close(g, _forward(f, x))
    return g


def _no_payload(df, capfd):
    assert "PWNED" not in capfd.readouterr().out
    code = [ln for ln in df.generated.source.splitlines() if not ln.lstrip().startswith("#")]
    assert not [ln for ln in code if "print(" in ln]  # names keep no code


# --------------------------------------------------------------------------- injection
def marker_string(x):
    "#TLC# x\rprint('PWNED')"
    "#TLC# y\nprint('PWNED')"
    return x * x


@pytest.mark.parametrize("compile", MODES)
def test_a_string_statement_cannot_forge_a_comment(compile, capfd):
    df = tl.grad(marker_string, compile=compile)
    assert df(1.5) == pytest.approx(3.0)
    _no_payload(df, capfd)
    assert COMMENT_PREFIX not in df.generated.source
    assert "\r" not in df.generated.source


def _renamed(name=None, module=None):
    def f(x):
        return x * x * x

    if name is not None:
        f.__name__ = f.__qualname__ = name
    if module is not None:
        f.__module__ = module
    return f


@pytest.mark.parametrize("compile", MODES)
@pytest.mark.parametrize(
    "name, module",
    [
        ("f\nprint('PWNED')", None),
        (None, "mod\nprint('PWNED')\n#"),
        ("f(x):\n    pass\nprint('PWNED')\ndef g", "m\rprint('PWNED')"),
    ],
)
def test_names_with_code_do_not_reach_the_text(compile, name, module, capfd):
    df = tl.grad(_renamed(name, module), compile=compile)
    assert df(2.0) == pytest.approx(12.0)
    _no_payload(df, capfd)
    for line in df.generated.source.splitlines():
        assert "print(" not in line or line.lstrip().startswith("#")


class _Hostile(float):
    def __repr__(self):
        return "__import__('builtins').print('PWNED') or 2.0"

    __str__ = __repr__


HOSTILE = _Hostile(2.0)


def hostile_constant(x):
    return HOSTILE * x * x


@pytest.mark.parametrize("compile", MODES)
def test_a_float_subclass_is_printed_by_its_value(compile, capfd):
    df = tl.grad(hostile_constant, compile=compile)
    fd.assert_close(df(1.5), 6.0)
    fd.assert_close(df(1.5), _forward(hostile_constant, 1.5))
    _no_payload(df, capfd)
    assert "#   HOSTILE = 2.0" in df.generated.source
    assert "__import__" not in df.generated.source


def test_constants_are_written_as_plain_values():
    from tangentlike.emit.printer import plain_constant

    assert type(plain_constant(np.float64(0.1))) is float and plain_constant(np.float64(0.1)) == 0.1
    assert repr(plain_constant(HOSTILE)) == "2.0"
    with pytest.raises(TangentlikeError, match="cannot write a constant of type object"):
        plain_constant(object())


def _rule_named(name):
    @tl.custom_vjp
    def cube(x):
        return x * x * x

    def fwd(x):
        return x * x * x, x

    def bwd(x, g):
        return (3.0 * x * x * g,)

    fwd.__name__ = name
    bwd.__name__ = name + "_b"
    cube.defvjp(fwd, bwd)
    return cube


@pytest.mark.parametrize("compile", MODES)
def test_a_custom_rule_name_with_code_is_made_a_name(compile, capfd):
    cube = _rule_named("fwd(x)\nprint('PWNED')\n_")

    def f(x):
        return cube(x) * 2.0

    df = tl.grad(f, compile=compile)
    assert df(1.5) == pytest.approx(6.0 * 1.5 * 1.5)
    _no_payload(df, capfd)


# --------------------------------------------------------------------------- names
def local_named_like_a_helper(x):
    zeros_like = x * 2.0
    unbroadcast = zeros_like + x
    return unbroadcast * zeros_like


def uses_math_alias(x):
    return m.sin(x) * m.exp(x) + math.cos(x)


def scalar_out(x):
    return np.sum(x * x)


@pytest.mark.parametrize("compile", MODES)
@pytest.mark.parametrize(
    "f", [local_named_like_a_helper, uses_math_alias, names_funcs.uses_np_for_math]
)
def test_user_names_do_not_collide_with_the_header(f, compile):
    _check(f, 0.8, compile)


def varargs(*args):
    return args[0] * 2.0


def test_star_args_are_refused_clearly():
    with pytest.raises(TangentlikeError, match=r"'\*args' parameters are not supported"):
        tl.grad(varargs)


@pytest.mark.parametrize("f", [local_named_like_a_helper, uses_math_alias, scalar_out])
def test_the_header_imports_only_what_is_used(f):
    import ast
    from tangentlike.runtime import HELPERS

    src = tl.grad(f).generated.source
    tree = ast.parse(src)
    imported = [
        a.name for node in tree.body if isinstance(node, ast.ImportFrom) for a in node.names
    ]
    modules = {
        a.asname or a.name for node in tree.body if isinstance(node, ast.Import) for a in node.names
    }
    used = {
        n.id
        for node in tree.body
        if isinstance(node, ast.FunctionDef)
        for n in ast.walk(node)
        if isinstance(n, ast.Name)
    }
    assert imported == sorted(used & set(HELPERS))
    assert modules == used & {"np", "math"}
    assert all(len(ln) <= 99 for ln in src.split("\ndef ", 1)[0].splitlines()[1:])


# --------------------------------------------------------------------------- wrappers
def _tripled(g):
    @functools.wraps(g)
    def wrapper(x):
        return 3.0 * g(x)

    return wrapper


@_tripled
def wrapped_square(x):
    return x * x


def _passing(g):
    @functools.wraps(g)
    def wrapper(*args, **kwargs):
        return g(*args, **kwargs)

    return wrapper


@_passing
def passed_square(x):
    return x * x


@pytest.mark.parametrize("compile", MODES)
def test_a_wraps_wrapper_is_differentiated_as_itself(compile):
    g = tl.grad(wrapped_square, compile=compile)(1.5)
    assert g == pytest.approx(9.0)  # d(3x^2), not d(x^2)
    fd.assert_close(g, fd.fd_grad(wrapped_square, (1.5,), 0))
    fd.assert_close(g, _forward(wrapped_square, 1.5))


def test_a_pass_through_wrapper_is_refused_not_unwrapped():
    with pytest.raises(TangentlikeError, match=r"\*args"):
        tl.grad(passed_square)
    assert tl.grad(passed_square.__wrapped__)(1.5) == pytest.approx(3.0)


# --------------------------------------------------------------------------- shapes
def vector_out(x):
    return x * 2.0


@pytest.mark.parametrize("compile", MODES)
@pytest.mark.parametrize(
    "f, dy",
    [
        (scalar_out, np.ones(1)),
        (vector_out, np.ones(1)),
        (vector_out, 1.0),
        (vector_out, np.ones((3, 1))),
    ],
)
def test_dy_must_have_the_output_shape(f, dy, compile):
    x = np.array([1.0, 2.0, 3.0])
    with pytest.raises(TangentlikeError, match="dy has .* must have exactly the output's shape"):
        tl.vjp(f, compile=compile)(x, dy)
    out = f(x)
    good = tl.vjp(f, compile=compile)(x, np.ones_like(out) if np.ndim(out) else 1.0)
    fd.assert_close(good, fd.fd_vjp(f, (x,), 0, np.ones_like(out) if np.ndim(out) else 1.0))


def test_v_must_have_the_argument_shape():
    x = np.array([1.0, 2.0])
    hv = tl.hvp(scalar_out)
    fd.assert_close(hv(x, np.array([1.0, 0.0])), np.array([2.0, 0.0]))
    for v in (np.ones(1), 1.0, np.ones((2, 1))):
        with pytest.raises(TangentlikeError, match="v has shape .* exactly the shape"):
            hv(x, v)
    with pytest.raises(TangentlikeError, match="v has shape"):
        tl.hvp(lambda_free_scalar)(2.0, np.ones(1))


def lambda_free_scalar(x):
    return x * x * x


def test_cuda_text_takes_names_from_the_def(capfd):
    pytest.importorskip("numba.cuda", reason="numba-cuda is not installed")
    import os

    if os.environ.get("NUMBA_ENABLE_CUDASIM") != "1" and os.environ.get("TL_CUDA_DEVICE") != "1":
        pytest.skip("no CUDA simulator or device configured")

    def row_energy(x):
        return x[0] * x[0] + x[1] * x[1] * x[1]

    row_energy.__name__ = "e\nprint('PWNED')"
    row_energy.__module__ = "m\nprint('PWNED')"
    g = tl.cuda.batch_grad(row_energy)
    X = np.array([[1.0, 2.0], [0.5, -1.0]])
    got = g(X)
    for x, gx in zip(X, got):
        fd.assert_close(gx, fd.fd_grad(row_energy, (x,), 0))
        fd.assert_close(gx, np.array([tl.jvp(row_energy)(x, e)[1] for e in np.eye(2)]))
    code = [ln for ln in g.source.splitlines() if not ln.lstrip().startswith("#")]
    assert not [ln for ln in code if "print(" in ln]
    assert "PWNED" not in capfd.readouterr().out
