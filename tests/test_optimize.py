"""The optimization passes (tangentlike/optimize/), each on small functions (the kernels
under every pass selection: tests/test_optimize_kernels.py)."""

import textwrap

import gast
import numpy as np
import pytest

import tangentlike as tl
from tangentlike.emit import to_source
from tangentlike.optimize import PASSES, select_passes
from tangentlike.optimize.accumulate import accumulate_into_zeros
from tangentlike.optimize.cse import eliminate_common_subexpressions
from tangentlike.optimize.dead_code import remove_dead_stores
from tangentlike.optimize.owned import return_owned_gradients
from tangentlike.optimize.reciprocal import use_reciprocals
from tangentlike.optimize.scalars import drop_scalar_shape_helpers, scalar_facts
from tangentlike.optimize.simplify import simplify
from benchmarks import kernels as K


def fdef_of(src):
    return gast.parse(textwrap.dedent(src)).body[0]


def body_of(fdef):
    return to_source(fdef).split("\n", 1)[1]


# ------------------------------------------------------------------ pass selection


def test_select_passes():
    assert select_passes(True) == frozenset(PASSES)
    assert select_passes(False) == frozenset()
    assert select_passes({"cse", "dce"}) == {"cse", "dce"}
    assert select_passes(("simplify",)) == {"simplify"}
    assert select_passes("dce") == {"dce"}
    with pytest.raises(tl.TangentlikeError, match="unknown optimization pass"):
        select_passes({"cse", "inline"})
    with pytest.raises(tl.TangentlikeError):
        select_passes(3)


def test_grad_with_selected_passes_changes_the_code():
    none = tl.source(tl.grad(K.rosenbrock, optimized=False))
    dce = tl.source(tl.grad(K.rosenbrock, optimized={"dce"}))
    full = tl.source(tl.grad(K.rosenbrock))
    assert "def vjp_rosenbrock" in none and "zeros_like(s)" in none
    assert "def grad_rosenbrock" in dce
    assert len(full) < len(dce) < len(none)


# ------------------------------------------------------------------ simplify


def test_simplify_neutral_elements_on_adjoints_only():
    f = fdef_of("""
        def f(x, d_y, _g1):
            a = d_y * 1.0
            b = 1.0 * (_g1 * x)
            c = 0.0 + d_y
            e = d_y - 0.0
            g = x * 1.0
            h = -(-x)
            return a
        """)
    simplify(f, protected={"x", "a", "b", "c", "e", "g", "h"})
    src = body_of(f)
    assert "a = d_y\n" in src and "b = _g1 * x\n" in src and "c = d_y\n" in src
    assert "e = d_y\n" in src and "g = x * 1.0\n" in src and "h = x\n" in src


def test_simplify_range_offsets():
    f = fdef_of("""
        def f(n, i):
            for j in range(n - 1 - 1, i + 1 - 1, -1):
                pass
            for k in range(n + 2 - 1):
                pass
        """)
    simplify(f)
    src = to_source(f)
    assert "range(n - 2, i, -1)" in src and "range(n + 1)" in src


# ------------------------------------------------------------------ scalars


def test_scalar_facts():
    f = fdef_of("""
        def f(x, n, d_result):
            s = 0.0
            r = 1.0
            y = np.sin(x)
            for i in range(n):
                s = s + x[i]
                r = math.sqrt(r * 2.0)
            m = x.shape[0]
            return s
        """)
    facts = scalar_facts(f, user_names={"s", "r", "y", "m", "i"})
    assert {"s", "r", "i", "m"} <= facts.scalars
    assert "y" not in facts.scalars and "x" not in facts.scalars
    assert "d_result" not in facts.scalars
    assert "d_result" in scalar_facts(f, {"s"}, scalar_params=["d_result"]).scalars


def test_scalar_rule_for_user_variables_only():
    f = fdef_of("""
        def f(x, n):
            _t1 = 0.0
            for i in range(n):
                _t1 = _t1 + x[i]
            s = 0.0
            for i in range(n):
                s = s + x[i]
            return s
        """)
    facts = scalar_facts(f, user_names={"s"})
    assert "s" in facts.scalars and "_t1" not in facts.scalars


def test_scalar_rule_needs_an_accumulator():
    # a number then a value not computed from it: x[0] may be a row (x a matrix)
    f = fdef_of("""
        def f(x, c):
            s = 0.0
            if c:
                s = x[0]
            return s
        """)
    assert "s" not in scalar_facts(f, user_names={"s"}).scalars


def test_drop_scalar_shape_helpers():
    f = fdef_of("""
        def f(x, g):
            s = 0.0
            d_s = zeros_like(s)
            d_x = zeros_like(x)
            a = unbroadcast(d_s, s)
            b = unbroadcast(g, s)
            return a, b, d_x
        """)
    drop_scalar_shape_helpers(f, scalar_facts(f, {"s"}))
    src = to_source(f)
    assert "d_s = 0.0" in src and "d_x = zeros_like(x)" in src
    assert "a = d_s" in src and "b = unbroadcast(g, s)" in src  # g may be an array


# ------------------------------------------------------------------ accumulate


def test_accumulate_into_fresh_zeros():
    f = fdef_of("""
        def f(x, y, g):
            _t1 = g * 2.0
            d_x = zeros_like(x)
            d_y = zeros_like(y)
            d_x = d_x + unbroadcast(_t1 * y, x)
            d_y = d_y + _t1
            return d_x, d_y
        """)
    assert accumulate_into_zeros(f, protected={"x", "y"})
    src = to_source(f)
    assert "d_x = unbroadcast(_t1 * y, x)" in src and "zeros_like(x)" not in src
    # d_y + _t1 could broadcast to a bigger shape than y: left alone
    assert "d_y = zeros_like(y)" in src and "d_y = d_y + _t1" in src


def test_accumulate_into_zeros_from_dot_adjoints():
    f = fdef_of("""
        def f(A, B, g):
            d_A = zeros_like(A)
            d_B = zeros_like(B)
            d_A = d_A + dot_adjoint_a(g, A, B)
            d_B = d_B + dot_adjoint_b(g, A, B)
            d_C = zeros_like(B)
            d_C = d_C + dot_adjoint_a(g, A, B)
            return d_A, d_B, d_C
        """)
    assert accumulate_into_zeros(f, protected={"A", "B"})
    src = to_source(f)
    assert "d_A = dot_adjoint_a(g, A, B)" in src and "d_B = dot_adjoint_b(g, A, B)" in src
    # the adjoint w.r.t. A is shaped like A, not like B: left alone
    assert "d_C = zeros_like(B)" in src and "d_C = d_C + dot_adjoint_a(g, A, B)" in src


def test_accumulate_not_across_a_read_or_into_a_mutated_alias():
    f = fdef_of("""
        def f(x, g, i):
            d_x = zeros_like(x)
            h = d_x
            d_x = d_x + unbroadcast(g * 2.0, x)
            d_z = zeros_like(x)
            d_z = d_z + unbroadcast(_g1, x)
            _g1[i] += 1.0
            return d_x, h, d_z
        """)
    accumulate_into_zeros(f, protected={"x"})
    src = to_source(f)
    assert "d_x = zeros_like(x)" in src  # read by h in between
    assert "d_z = zeros_like(x)" in src  # _g1 is written into later


def test_accumulate_leaves_user_variables_alone():
    f = fdef_of("""
        def f(n, d_result):
            s = 0.0
            s = s + 2
            d_s = 0.0
            d_s = d_s + d_result
            return s, d_s
        """)
    facts = scalar_facts(f, {"s", "n"}, scalar_params=["d_result"])
    accumulate_into_zeros(f, facts, protected={"s", "n"})
    src = to_source(f)
    assert "s = 0.0" in src and "s = s + 2" in src  # s = 2 would be an int
    assert "d_s = d_result" in src and "d_s = 0.0" not in src


# ------------------------------------------------------------------ cse


def test_cse_reuses_pure_expressions():
    f = fdef_of("""
        def f(T, x):
            _t1 = math.sqrt(T)
            _t2 = x * 2.0
            _t7 = math.sqrt(T)
            _t8 = (x * 2.0 + 1.0) * _t7
            return _t7 + _t8 + _t2
        """)
    eliminate_common_subexpressions(f)
    remove_dead_stores(f, protected={"T", "x"})
    src = to_source(f)
    assert src.count("math.sqrt") == 1 and "_t7" not in src
    assert "_t8 = (_t2 + 1.0) * _t1" in src


def test_cse_respects_reassignment_branches_and_allocation():
    f = fdef_of("""
        def f(T, x, c):
            _t1 = math.sqrt(T)
            T = T + 1.0
            _t2 = math.sqrt(T)
            if c:
                _t3 = math.sqrt(T)
            else:
                T = 0.0
            _t4 = math.sqrt(T)
            d_a = zeros_like(x)
            d_b = zeros_like(x)
            d_a[0] += 1.0
            return _t1 + _t2 + _t3 + _t4, d_a, d_b
        """)
    eliminate_common_subexpressions(f, protected={"T", "x", "c"})
    src = to_source(f)
    assert src.count("math.sqrt(T)") == 4  # T changes; a branch may change it
    assert src.count("zeros_like(x)") == 2  # two arrays, never one shared


def test_cse_not_past_a_store_into_the_array():
    f = fdef_of("""
        def f(x, i):
            _t1 = x[i] * 2.0
            x[i] = 0.0
            _t2 = x[i] * 2.0
            return _t1 + _t2
        """)
    eliminate_common_subexpressions(f)
    assert to_source(f).count("x[i] * 2.0") == 2


# ------------------------------------------------------------------ dead code


def test_reciprocal_replaces_divisions_in_adjoints():
    f = fdef_of("""
        def f(r, g, d_z):
            t = 1.0 / r
            d_r = -(t / r) * d_z
            _d1 = d_r / (2.0 * r)
            _d2 = d_r / (3.0 * r)
            y = g / r
            return y, d_r, _d1, _d2
    """)
    use_reciprocals(f, protected={"r", "g", "t", "y"})
    body = body_of(f)
    assert "d_r = -(t * t) * d_z" in body
    assert "_d1 = d_r * (0.5 * t)" in body
    assert "_d2 = d_r / (3.0 * r)" in body  # 1/3 is not exact: left alone
    assert "y = g / r" in body  # the user's arithmetic is kept


def test_reciprocal_not_after_reassignment_or_across_a_changing_loop():
    f = fdef_of("""
        def f(r, n, d_z):
            t = 1.0 / r
            for k in range(n):
                _d1 = d_z / r
                r = r + 1.0
            _d2 = d_z / r
            s = 1.0 / d_z
            for k in range(n):
                _d3 = n / d_z
            if n > 1:
                d_z = 2.0
            _d4 = n / d_z
            return _d1, _d2, _d3, _d4
    """)
    use_reciprocals(f, protected={"r", "n", "t", "s", "k"})
    body = body_of(f)
    assert "_d1 = d_z / r" in body and "_d2 = d_z / r" in body
    assert "_d3 = n * s" in body  # d_z and s unchanged in that loop
    assert "_d4 = n / d_z" in body  # d_z may have changed in the branch


def test_reciprocal_not_of_an_array_changed_in_place():
    f = fdef_of("""
        def f(r, d_z):
            t = 1.0 / r
            r[0] = 2.0
            _d1 = d_z / r
            return _d1
    """)
    use_reciprocals(f, protected={"r", "t"})
    assert "_d1 = d_z / r" in body_of(f)


def test_dead_user_variables_and_empty_loops_go():
    f = fdef_of("""
        def f(x, n, d_result):
            s = 0.0
            for i in range(n):
                s = s + math.sin(x[i])
            k = 0
            for j in range(n):
                k = j
            u = user_fn(x)
            return j, d_result
        """)
    remove_dead_stores(f, protected={"s", "i", "j", "k", "u", "x", "n"})
    src = to_source(f)
    assert "s =" not in src and "range(n):\n        s" not in src and "for i" not in src
    assert "for j in range(n)" in src  # j is read after the loop
    assert "u = user_fn(x)" in src  # a call that may have side effects


# ------------------------------------------------------------------ owned gradients


def test_owned_gradient_returned_without_copy_only_when_unshared():
    f = fdef_of("""
        def f(a, b, d_result):
            d_a = zeros_like(a)
            d_a[0] += d_result
            _g = d_a * 2.0
            d_b = unbroadcast(_g, b)
            d_c = unbroadcast(_g, b)
            return cast_like(d_a, a), cast_like(d_b, b), cast_like(d_c, b)
        """)
    return_owned_gradients(f)
    src = to_source(f)
    assert "cast_owned(d_a, a)" in src
    assert "cast_like(d_b, b)" in src and "cast_like(d_c, b)" in src


def sum_of_both(a, b):
    return np.sum(a + b)


def identity(x):
    return x


def test_returned_gradients_are_distinct_and_never_the_cotangent():
    a, b = np.ones(3), np.ones(3)
    for compile in (None, "numba"):
        ga, gb = tl.grad(sum_of_both, (0, 1), compile=compile)(a, b)
        assert ga is not gb and not np.shares_memory(ga, gb)
        dy = np.arange(3.0)
        g = tl.vjp(identity, compile=compile)(a, dy)
        g[0] = 7.0
        assert dy[0] == 0.0
