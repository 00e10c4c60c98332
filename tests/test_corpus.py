"""Corpus tests: tl.grad / tl.vjp against central finite differences, interpreted and numba.

Per grad case (ids = module.function):
  test_grad        interpreted gradient vs FD; gradient structure/shape/dtype; inputs not mutated
  test_grad_numba  compile="numba" (one compile per case) vs interpreted (1e-10 rel for float64)
                   and vs FD; structure/shape/dtype; inputs not mutated
Per vjp case likewise, with a random dy, against FD of dot(dy, f).

Environment knob for slow machines: TL_NUMBA_CASES=all (default) | sample | none.
'sample' keeps every third numba case plus all kernels; 'none' skips compiled tests.
"""

import copy
import os

import numpy as np
import pytest

from tests import fd
from tests.corpus import ALL_CASES, ALL_IDS, VJP_CASES, VJP_IDS

tl = pytest.importorskip("tangentlike")
if not hasattr(tl, "grad"):
    pytest.skip("tangentlike.grad not implemented yet", allow_module_level=True)

NUMBA_MODE = os.environ.get("TL_NUMBA_CASES", "all").lower()


def _numba_selected(cases, ids):
    out = []
    for k, (c, i) in enumerate(zip(cases, ids)):
        if not c.numba or NUMBA_MODE == "none":
            continue
        if NUMBA_MODE == "sample" and not (k % 3 == 0 or c.module == "kernels"):
            continue
        out.append(pytest.param(c, id=i))
    return out


GRAD_PARAMS = [pytest.param(c, id=i) for c, i in zip(ALL_CASES, ALL_IDS)]
GRAD_NUMBA_PARAMS = _numba_selected(ALL_CASES, ALL_IDS)
VJP_PARAMS = [pytest.param(c, id=i) for c, i in zip(VJP_CASES, VJP_IDS)]
VJP_NUMBA_PARAMS = _numba_selected(VJP_CASES, VJP_IDS)


# ---------------------------------------------------------------------------- helpers


def assert_unchanged(before, after, path="arg"):
    """Deep equality including dtypes, for the input-mutation check."""
    assert type(before) is type(after), f"{path}: type changed"
    if isinstance(before, (tuple, list)):
        assert len(before) == len(after), f"{path}: length changed"
        for k, (b, a) in enumerate(zip(before, after)):
            assert_unchanged(b, a, f"{path}[{k}]")
    elif isinstance(before, dict):
        assert before.keys() == after.keys(), f"{path}: keys changed"
        for k in before:
            assert_unchanged(before[k], after[k], f"{path}[{k!r}]")
    elif isinstance(before, np.ndarray):
        assert before.dtype == after.dtype and before.shape == after.shape, (
            f"{path}: dtype/shape changed"
        )
        np.testing.assert_array_equal(after, before, err_msg=f"{path} was mutated")
    else:
        assert before == after, f"{path} changed: {before!r} -> {after!r}"


def assert_grad_matches_input(g, x, path="grad"):
    """Gradient leaf g has the structure, shape and dtype of input leaf x."""
    if fd.record_fields(x) is not None:  # dataclass / namedtuple: the same class
        assert type(g) is type(x), f"{path}: expected {type(x).__name__}, got {type(g).__name__}"
        g, x = fd.record_fields(g), fd.record_fields(x)
    if isinstance(x, (tuple, list)):
        assert isinstance(g, type(x)), (
            f"{path}: expected {type(x).__name__}, got {type(g).__name__}"
        )
        assert len(g) == len(x), f"{path}: length {len(g)} != {len(x)}"
        for k, (gi, xi) in enumerate(zip(g, x)):
            assert_grad_matches_input(gi, xi, f"{path}[{k}]")
        return
    if isinstance(x, dict):
        assert isinstance(g, dict), f"{path}: expected dict, got {type(g).__name__}"
        assert set(g) == set(x), f"{path}: keys {sorted(g)} != {sorted(x)}"
        for k in x:
            assert_grad_matches_input(g[k], x[k], f"{path}[{k!r}]")
        return
    if isinstance(x, np.ndarray):
        assert isinstance(g, np.ndarray), f"{path}: array input but gradient is {type(g).__name__}"
        assert g.shape == x.shape, f"{path}: shape {g.shape} != input shape {x.shape}"
        assert g.dtype == x.dtype, f"{path}: dtype {g.dtype} != input dtype {x.dtype}"
        return
    # scalar input (float, np.float32, np.float64)
    assert np.ndim(g) == 0 and not isinstance(g, np.ndarray), (
        f"{path}: scalar input but gradient is {type(g).__name__} with shape {np.shape(g)}"
    )
    assert np.asarray(g).dtype == fd.leaf_dtype_of_input(x), (
        f"{path}: dtype {np.asarray(g).dtype} != {fd.leaf_dtype_of_input(x)} for input {type(x).__name__}"
    )


def check_structure(g, case):
    if isinstance(case.wrt, tuple):
        assert isinstance(g, tuple), (
            f"wrt={case.wrt}: expected a tuple of gradients, got {type(g).__name__}"
        )
        assert len(g) == len(case.wrt)
        for gi, i in zip(g, case.wrt):
            assert_grad_matches_input(gi, case.args[i], f"grad[{i}]")
    else:
        assert_grad_matches_input(g, case.args[case.wrt], f"grad[{case.wrt}]")


def _fd_tol_dtype(case):
    """float32 tolerances if any differentiated input leaf is float32."""
    for i in case.wrt_tuple:
        for _, leaf in fd._leaves(case.args[i]):
            if fd.leaf_dtype_of_input(leaf) == np.float32:
                return np.float32
    return np.float64


def _is_f32(case):
    return _fd_tol_dtype(case) == np.float32


def _compare_compiled(g_nb, g_py, case):
    """numba vs interpreted: the same numbers up to rounding (1e-10 relative in float64)."""
    if _is_f32(case):
        fd.assert_close(g_nb, g_py, rtol=1e-5, atol=1e-6)
    else:
        fd.assert_close(g_nb, g_py, rtol=1e-10, atol=1e-12)


def _snapshot(args):
    return copy.deepcopy(args)


# ---------------------------------------------------------------------------- grad


@pytest.mark.parametrize("case", GRAD_PARAMS)
def test_grad(case):
    before = _snapshot(case.args)
    df = tl.grad(case.fn, wrt=case.wrt)
    g = df(*case.args)
    for k, (b, a) in enumerate(zip(before, case.args)):
        assert_unchanged(b, a, f"arg[{k}]")
    check_structure(g, case)
    expected = fd.fd_grad(case.fn, before, case.wrt)
    fd.assert_close(g, expected, dtype=_fd_tol_dtype(case))


@pytest.mark.parametrize("case", GRAD_NUMBA_PARAMS)
def test_grad_numba(case):
    before = _snapshot(case.args)
    g_py = tl.grad(case.fn, wrt=case.wrt)(*_snapshot(case.args))
    df_nb = tl.grad(case.fn, wrt=case.wrt, compile="numba")
    g_nb = df_nb(*case.args)
    for k, (b, a) in enumerate(zip(before, case.args)):
        assert_unchanged(b, a, f"arg[{k}]")
    check_structure(g_nb, case)
    _compare_compiled(g_nb, g_py, case)
    expected = fd.fd_grad(case.fn, before, case.wrt)
    fd.assert_close(g_nb, expected, dtype=_fd_tol_dtype(case))


# ---------------------------------------------------------------------------- vjp


def _dy_for(case):
    out = np.asarray(case.fn(*_snapshot(case.args)))
    dtype = out.dtype if out.dtype.kind == "f" else np.float64
    return np.random.default_rng(1234).standard_normal(out.shape).astype(dtype)


@pytest.mark.parametrize("case", VJP_PARAMS)
def test_vjp(case):
    dy = _dy_for(case)
    before = _snapshot(case.args)
    dy_before = dy.copy()
    g = tl.vjp(case.fn, wrt=case.wrt)(*case.args, dy)
    for k, (b, a) in enumerate(zip(before, case.args)):
        assert_unchanged(b, a, f"arg[{k}]")
    assert_unchanged(dy_before, dy, "dy")
    check_structure(g, case)
    expected = fd.fd_vjp(case.fn, before, case.wrt, dy)
    fd.assert_close(g, expected, dtype=_fd_tol_dtype(case))


@pytest.mark.parametrize("case", VJP_NUMBA_PARAMS)
def test_vjp_numba(case):
    dy = _dy_for(case)
    before = _snapshot(case.args)
    g_py = tl.vjp(case.fn, wrt=case.wrt)(*_snapshot(case.args), dy.copy())
    g_nb = tl.vjp(case.fn, wrt=case.wrt, compile="numba")(*case.args, dy)
    for k, (b, a) in enumerate(zip(before, case.args)):
        assert_unchanged(b, a, f"arg[{k}]")
    check_structure(g_nb, case)
    _compare_compiled(g_nb, g_py, case)
    expected = fd.fd_vjp(case.fn, before, case.wrt, dy)
    fd.assert_close(g_nb, expected, dtype=_fd_tol_dtype(case))


# ---------------------------------------------------------------------------- API details on a few cases

_BY_NAME = {c.name: c for c in ALL_CASES}
API_CASES = [
    pytest.param(_BY_NAME[n], id=n)
    for n in (
        "assign.plain_assign",
        "loops.for_zip",
        "kernels.pendulum_euler",
        "broadcast.col_plus_row",
        "structs.dict_of_arrays",
    )
]


@pytest.mark.parametrize("case", API_CASES)
def test_preserve_result(case):
    value = case.fn(*_snapshot(case.args))
    g_plain = tl.grad(case.fn, wrt=case.wrt)(*_snapshot(case.args))
    res = tl.grad(case.fn, wrt=case.wrt, preserve_result=True)(*_snapshot(case.args))
    assert isinstance(res, tuple) and len(res) == 2
    g, v = res
    fd.assert_close(g, g_plain, rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(
        np.asarray(v, dtype=float), np.asarray(value, dtype=float), rtol=1e-12
    )


@pytest.mark.parametrize("case", API_CASES)
def test_wrt_tuple_of_one(case):
    i = case.wrt_tuple[0]
    g_bare = tl.grad(case.fn, wrt=i)(*_snapshot(case.args))
    g_tup = tl.grad(case.fn, wrt=(i,))(*_snapshot(case.args))
    assert isinstance(g_tup, tuple) and len(g_tup) == 1
    fd.assert_close(g_tup[0], g_bare, rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("case", API_CASES)
def test_source_text(case):
    df = tl.grad(case.fn, wrt=case.wrt)
    src = tl.source(df)
    assert isinstance(src, str) and "def " in src


def test_unoptimized_matches_optimized():
    case = _BY_NAME["kernels.rk4_lotka_volterra"]
    g1 = tl.grad(case.fn, wrt=case.wrt, optimized=True)(*_snapshot(case.args))
    g2 = tl.grad(case.fn, wrt=case.wrt, optimized=False)(*_snapshot(case.args))
    fd.assert_close(g1, g2, rtol=1e-10, atol=1e-12)


def test_numba_preserve_result():
    case = _BY_NAME["kernels.thermal_rc"]
    value = case.fn(*case.args)
    g_py = tl.grad(case.fn, wrt=case.wrt)(*case.args)
    g, v = tl.grad(case.fn, wrt=case.wrt, preserve_result=True, compile="numba")(*case.args)
    _compare_compiled(g, g_py, case)
    np.testing.assert_allclose(float(v), float(value), rtol=1e-12)
