"""The rule table: every differentiable primitive in the registry has a row in
tests/rules_table.py, and every row is checked in reverse mode against central finite
differences, in forward mode against reverse mode, and (rows whose primal Numba
compiles) with compile="numba" against the interpreted derivative.

The functions are written from the rows into a module of their own (their source must
be a file for tangentlike to read). The Numba checks of all rows are slow (a compile
each); a quick subset runs unmarked.
"""

import importlib.util
import os
import tempfile

import numpy as np
import pytest

import tangentlike as tl
from tangentlike.rules import registry
from tests.fd import fd_grad
from tests.rules_table import ROWS, make_arg

NAMES = "abc"


def _module():
    lines = [
        "import builtins",
        "import math",
        "import numpy as np",
        "import scipy.special as sc",
        "",
    ]
    for k, row in enumerate(ROWS):
        params = ", ".join(NAMES[: len(row.args)])
        lines += [f"def row_{k}({params}):", f"    return np.sum(np.sin({row.expr}))", ""]
    path = os.path.join(tempfile.mkdtemp(prefix="tl_rules_table_"), "rules_table_funcs.py")
    with open(path, "w") as fh:
        fh.write("\n".join(lines))
    spec = importlib.util.spec_from_file_location("rules_table_funcs", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


FUNCS = _module()


def _case(k):
    row = ROWS[k]
    rng = np.random.default_rng(1000 + k)
    args = tuple(make_arg(s, rng) for s in row.args)
    wrt = tuple(range(len(args)))
    return getattr(FUNCS, f"row_{k}"), args, wrt


def _label(k):
    key = ROWS[k].keys[0]
    return f"{k}-" + (key if isinstance(key, str) else getattr(key, "__name__", "?"))


IDS = [_label(k) for k in range(len(ROWS))]
NUMBA_ROWS = [k for k, r in enumerate(ROWS) if r.numba]
QUICK_NUMBA = NUMBA_ROWS[::6]


def _flat(g):
    return np.concatenate([np.ravel(np.asarray(x, dtype=np.float64)) for x in g])


def test_every_primitive_has_a_row():
    covered = {registry._key(k) for row in ROWS for k in row.keys}
    missing = []
    for rule in set(registry._RULES.values()):
        if rule.extra.get("forward_only"):
            continue  # generated code's helpers: tests/test_second_order.py
        for key in rule.extra["keys"]:
            if registry._key(key) not in covered:
                missing.append(key if isinstance(key, str) else getattr(key, "__name__", key))
    assert not missing, f"primitives without a row in tests/rules_table.py: {missing}"


@pytest.mark.parametrize("k", range(len(ROWS)), ids=IDS)
def test_reverse_against_differences_and_forward(k):
    f, args, wrt = _case(k)
    grads = tl.grad(f, wrt=wrt)(*args)
    expected = fd_grad(f, args, wrt)
    got, want = _flat(grads), _flat(expected)
    scale = max(1.0, float(np.max(np.abs(want))))
    np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6 * scale)
    rng = np.random.default_rng(7)
    direction = [
        rng.normal(size=np.shape(a)) if isinstance(a, np.ndarray) else float(rng.normal())
        for a in args
    ]
    value, tangent = tl.jvp(f, wrt=wrt)(*args, *direction)
    assert value == pytest.approx(f(*args), rel=1e-12)
    along = float(np.dot(got, _flat(direction)))
    assert tangent == pytest.approx(along, rel=1e-9, abs=1e-10 * scale)


def _check_numba(k):
    f, args, wrt = _case(k)
    interpreted = _flat(tl.grad(f, wrt=wrt)(*args))
    compiled = _flat(tl.grad(f, wrt=wrt, compile="numba")(*args))
    np.testing.assert_allclose(compiled, interpreted, rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("k", QUICK_NUMBA, ids=[IDS[k] for k in QUICK_NUMBA])
def test_numba_quick(k):
    _check_numba(k)


@pytest.mark.slow
@pytest.mark.parametrize(
    "k",
    [k for k in NUMBA_ROWS if k not in QUICK_NUMBA],
    ids=[IDS[k] for k in NUMBA_ROWS if k not in QUICK_NUMBA],
)
def test_numba(k):
    _check_numba(k)


def test_supported_primitives_doc_is_current():
    """docs/supported.md is what docs/make_supported.py writes from the registry."""
    import importlib.util as iu

    path = os.path.join(os.path.dirname(os.path.dirname(__file__)), "docs", "make_supported.py")
    spec = iu.spec_from_file_location("make_supported", path)
    mod = iu.module_from_spec(spec)
    spec.loader.exec_module(mod)
    with open(mod.OUT) as fh:
        assert fh.read() == mod.render(), "run: python docs/make_supported.py"


def test_function_forms_of_operators_lower_to_device_operators():
    """CUDA device code is scalar: np.add, np.multiply, ... become the operators."""
    import astor
    import gast
    from tangentlike.backends.cuda.scalar_math import to_scalar_math

    tree = gast.parse(
        "y = np.add(np.multiply(a, b), np.true_divide(np.subtract(a, b), "
        "np.positive(np.divide(b, 2.0))))"
    )
    text = astor.to_source(gast.gast_to_ast(to_scalar_math(tree))).strip()
    assert text == "y = a * b + (a - b) / (b / 2.0)"


@pytest.mark.parametrize(
    "name, words",
    [
        ("sum_out", "out="),
        ("lse_b", "b="),
        ("einsum_ellipsis", "ellipsis"),
        ("einsum_variable", "string constant"),
        ("norm_ord", "ord='max'"),
        ("max_key", "key="),
        ("max_where", "initial"),
        ("roll_tuple", "tuple of shifts"),
        ("diff_prepend", "prepend="),
        ("interp_left", "left="),
    ],
)
def test_refused_arguments_name_the_construct_and_line(name, words):
    from tests import rules_refusals_funcs as funcs

    fn = getattr(funcs, name)
    with pytest.raises(tl.TangentlikeError) as info:
        tl.grad(fn)(np.array([0.5, -1.0, 2.0]), *(("i->",) if name == "einsum_variable" else ()))
    assert words in str(info.value) and "rules_refusals_funcs.py" in str(info.value)


@pytest.mark.parametrize("compile", [None, "numba"])
def test_reversed_loops(compile):
    from tests.builtins_funcs import reversed_loops as f

    x = np.array([0.3, -1.2, 2.0, 0.5])
    g = tl.grad(f, compile=compile)(x)
    np.testing.assert_allclose(g, fd_grad(f, (x,), 0), rtol=1e-6, atol=1e-8)
    v = np.array([0.1, 0.7, -0.4, 1.3])
    _, t = tl.jvp(f, compile=compile)(x, v)
    assert t == pytest.approx(float(g @ v), rel=1e-10)
