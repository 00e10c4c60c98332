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
