"""Second order over the corpus: Hessian-vector products (forward over the generated
reverse code) against central differences of the gradient."""

import numpy as np
import pytest

import tangentlike as tl
from tests.corpus import ALL_CASES, ALL_IDS
from tests.fd import fd_directional


def _ok(case):
    k = case.wrt if isinstance(case.wrt, int) else None
    if k is None:
        return False
    a = case.args[k]
    if isinstance(a, np.ndarray):
        return a.dtype == np.float64 and a.size <= 64
    return isinstance(a, float) and not isinstance(a, np.float32)


CASES = [pytest.param(c, id=i) for c, i in zip(ALL_CASES, ALL_IDS) if _ok(c)]


def _direction(x, seed=11):
    rng = np.random.default_rng(seed)
    return rng.normal(size=np.shape(x)) if np.ndim(x) else float(rng.normal())


@pytest.mark.parametrize("case", CASES)
def test_hvp_against_fd_of_gradient(case):
    k = case.wrt
    x = case.args[k]
    v = _direction(x)
    hv = tl.hvp(case.fn, wrt=k)(*case.args, v)
    g = tl.grad(case.fn, wrt=k)
    h = 1e-5 * max(1.0, float(np.max(np.abs(x))))
    fd = fd_directional(g, case.args, k, v, h=h)
    scale = max(1.0, float(np.max(np.abs(fd))))
    np.testing.assert_allclose(hv, fd, rtol=1e-4, atol=1e-5 * scale)


NUMBA = [p for j, p in enumerate(CASES) if p.values[0].numba and j % 6 == 0]


@pytest.mark.parametrize("case", NUMBA)
def test_hvp_numba_matches_interpreted(case):
    k = case.wrt
    v = _direction(case.args[k])
    a = tl.hvp(case.fn, wrt=k)(*case.args, v)
    b = tl.hvp(case.fn, wrt=k, compile="numba")(*case.args, v)
    np.testing.assert_allclose(b, a, rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize(
    "name", ["det_hvp", "std_hvp", "norm_hvp", "einsum_hvp", "solve_hvp", "special_hvp"]
)
def test_hvp_through_adjoint_helpers(name):
    """The adjoints of det, std, norm, einsum, solve, gammaln and xlogy are differentiated
    again: forward over reverse against central differences of the gradient, and the
    symmetry of the Hessian."""
    from tests import second_order_funcs as funcs

    f = getattr(funcs, name)
    x = np.random.default_rng(3).uniform(0.2, 1.0, size=9)
    v = _direction(x)
    hv = tl.hvp(f)(x, v)
    g = tl.grad(f)
    h = 1e-5
    fd = (g(x + h * v) - g(x - h * v)) / (2 * h)
    np.testing.assert_allclose(hv, fd, rtol=1e-5, atol=1e-6 * max(1.0, np.max(np.abs(fd))))
    w = _direction(x, seed=5)
    assert float(w @ hv) == pytest.approx(float(v @ tl.hvp(f)(x, w)), rel=1e-8)  # symmetric


@pytest.mark.parametrize(
    "name, words, called",
    [
        ("cholesky_hvp", "np.linalg.cholesky", "cholesky"),
        ("cumprod_hvp", "np.cumprod", "cumprod"),
        ("norm_inf_hvp", "ord=np.inf", "norm"),
    ],
)
def test_second_order_refused_by_name(name, words, called):
    from tests import second_order_funcs as funcs

    f = getattr(funcs, name)
    x = np.array([0.5, 1.2, -0.3, 0.8, 1.1, 0.4, 0.9, -0.7, 1.5])
    tl.grad(f)(x)  # first order is supported
    with pytest.raises(tl.TangentlikeError) as info:
        tl.hvp(f)(x, x)
    assert words in str(info.value) and "second-order" in str(info.value)
    # named at the user's line, as a first-order refusal is (not the generated module's)
    assert info.value.filename == funcs.__file__ and info.value.function == name
    lines = open(funcs.__file__).read().splitlines()
    assert called in lines[info.value.lineno - 1]


def test_second_order_numba_through_solve():
    from tests import second_order_funcs as funcs

    x = np.random.default_rng(4).uniform(0.2, 1.0, size=9)
    v = _direction(x)
    a = tl.hvp(funcs.solve_hvp)(x, v)
    b = tl.hvp(funcs.solve_hvp, compile="numba")(x, v)
    np.testing.assert_allclose(b, a, rtol=1e-11)
