"""Every runtime helper has one declaration (tangentlike/runtime/declarations.py), every
table about helpers is derived from it, and each declared property holds when the helper
runs on the row below. Adding a helper: its ``@helper(...)`` line plus a row here."""

import ast
import builtins
import inspect
import pathlib

import gast
import numpy as np
import pytest

import tangentlike  # noqa: F401  (registers every rule)
from tangentlike import runtime as rt
from tangentlike.rules import registry
from tangentlike.runtime.declarations import DECLARED
from tangentlike.sparse import index_sets

PACKAGE = pathlib.Path(tangentlike.__file__).parent
RNG = np.random.default_rng(0)
A = RNG.normal(size=(3, 4))
A32 = A.astype(np.float32)
ROW = RNG.normal(size=4)
COL = RNG.normal(size=3)

# sample operands for each helper that declares a property (a row per helper)
ROWS = {
    "zeros_like": (A,),
    "to_float": (A32,),
    "copy_value": (A,),
    "own": (A,),
    "cast_like": (A, A32),
    "cast_owned": (A, A32),
    "stop_gradient": (A,),
    "unbroadcast": (A, ROW),
    "unreduce": (ROW, A, 0),
    "mean_count": (A, 0),
    "reduce_adjoint_max": (ROW, A.max(axis=0), A, 0),
    "expand_like": (ROW, A),
    "sum_along": (A, 0),
    "unreduce_ones": (A,),
    "dot_adjoint_a": (COL, A, ROW),
    "dot_adjoint_b": (COL, A, ROW),
    "matmul_adjoint_a": (COL, A, ROW),
    "matmul_adjoint_b": (COL, A, ROW),
    "unsort": (A, A, -1),
    "sort_like": (A, A, -1),
    "median_weights": (A, 0),
    "flipped": (A, 1),
    "rolled": (A, 2, 1),
    "differenced": (A, 2, -1),
    "diff_adjoint": (np.diff(A, 2), A, 2, -1),
    "repeated": (A, 2, 1),
    "repeat_adjoint": (np.repeat(A, 2, 1), A, 2, 1),
    "tile_adjoint": (np.tile(A, (2, 1, 3)), A, (2, 1, 3)),
    "interp_slope": (A, np.linspace(-1.0, 1.0, 5), ROW[:1] + np.arange(5.0) ** 2),
    "interp_adjoint": (A, A, np.linspace(-1.0, 1.0, 5)),
}


def _has_properties(h):
    return any((h.pure, h.fresh, h.may_alias, h.shape_only_args, h.cuda, h.forward, h.sets)) or (
        h.shape_of,
        h.scalar_of,
    ) != (None, None)


def _arrays(args):
    return [a for a in args if isinstance(a, np.ndarray)]


def test_every_helper_with_properties_has_a_row():
    missing = [n for n, h in DECLARED.items() if _has_properties(h) and n not in ROWS]
    assert not missing, f"helpers without a row in {__file__}: {missing}"
    assert set(ROWS) <= set(DECLARED)


def test_every_bound_name_is_declared():
    assert set(rt.HELPERS) == {n for n, h in DECLARED.items() if h.bound}
    for n, h in DECLARED.items():
        assert getattr(rt, n) is h.impl


def _template_calls():
    out = {}
    for rule in set(registry._RULES.values()) | set(registry._TANGENTS.values()):
        params = set(rule.signature.parameters)
        for s in rule.body:
            for n in gast.walk(s):
                if isinstance(n, gast.Call) and isinstance(n.func, gast.Name):
                    if n.func.id not in params and not hasattr(builtins, n.func.id):
                        out.setdefault(n.func.id, rule.name)
    return out


def test_every_helper_called_in_rule_templates_is_declared():
    calls = _template_calls()
    assert "unbroadcast" in calls and "dot_adjoint_a" in calls  # the walk sees templates
    undeclared = {n: r for n, r in calls.items() if n not in DECLARED}
    assert not undeclared, f"names called in rule templates that no @helper declares: {undeclared}"


def test_no_module_spells_a_table_of_helper_names():
    """A literal set/dict/list/tuple naming two or more helpers is a copied table: derive it
    from the declarations instead (runtime/declarations.py)."""
    copies = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            elts = node.keys if isinstance(node, ast.Dict) else getattr(node, "elts", None)
            if not isinstance(node, (ast.Dict, ast.Set, ast.List, ast.Tuple)) or not elts:
                continue
            named = [e.value for e in elts if isinstance(e, ast.Constant) and e.value in DECLARED]
            if len(named) >= 2:
                copies.append(f"{path.relative_to(PACKAGE)}:{node.lineno} {named}")
    assert not copies, copies


def test_derived_tables_are_the_declarations():
    from tangentlike.backends.cuda import lower
    from tangentlike.analyze import aliases
    from tangentlike.optimize import accumulate, scalars
    from tangentlike.transform import reads

    assert aliases._PURE_HELPERS == {n for n, h in DECLARED.items() if h.pure}
    assert aliases._FRESH_HELPERS == {n for n, h in DECLARED.items() if h.fresh}
    assert reads._SHAPE_ARGS == {
        n: h.shape_only_args for n, h in DECLARED.items() if h.shape_only_args
    }
    assert accumulate._SHAPED_BY_ARG == {
        n: h.shape_of for n, h in DECLARED.items() if h.shape_of is not None
    }
    assert scalars._SCALAR_OF == {
        n: h.scalar_of for n, h in DECLARED.items() if h.scalar_of is not None
    }
    assert lower._CUDA == {n: h.cuda for n, h in DECLARED.items() if h.cuda}
    assert registry._DROPPED_IN_FORWARD == {n for n, h in DECLARED.items() if h.forward}


@pytest.mark.parametrize("name", sorted(ROWS))
def test_declared_properties_hold(name):
    h, args = DECLARED[name], ROWS[name]
    before = [a.copy() for a in _arrays(args)]
    z = h.impl(*args)
    for a, b in zip(_arrays(args), before):
        np.testing.assert_array_equal(a, b)  # no helper mutates an operand
    if h.pure:
        np.testing.assert_array_equal(h.impl(*args), z)
    if h.fresh:
        assert not any(np.shares_memory(z, a) for a in _arrays(args))
    if h.may_alias is not None:
        others = [a for k, a in enumerate(args) if k not in h.may_alias]
        assert not any(np.shares_memory(z, a) for a in _arrays(others))
    if h.shape_of is not None:
        assert np.shape(z) == np.shape(args[h.shape_of])
    for k in h.shape_only_args:  # another value of the same shape: the same result
        other = list(args)
        other[k] = args[k] * 2.0 + 1.0
        np.testing.assert_array_equal(h.impl(*other), z)
    required = [p for p in inspect.signature(h.impl).parameters.values() if p.default is p.empty]
    scalars = [1.5, 2.0, 3.0, 4.0][: len(required)]
    if h.scalar_of is not None:
        assert np.ndim(h.impl(*scalars)) == 0
    if h.cuda == "zero":
        assert h.impl(*scalars) == 0.0
    if h.cuda == "float":
        assert type(h.impl(np.float32(1.5))) is float
    if h.cuda in ("value", "cast"):
        assert h.impl(*scalars) == 1.5  # a thread computes its first operand
    if h.forward == "first":
        np.testing.assert_array_equal(h.impl(A, A), A)
    if h.sets:
        assert index_sets.HELPER_TWINS[name] is not h.impl
    else:
        assert index_sets.HELPER_TWINS.get(name, h.impl) is h.impl
