"""Forward mode (tl.jvp) over the whole corpus, against central finite differences of
the directional derivative, interpreted and (for a sample) compiled with Numba."""

import numpy as np
import pytest

import tangentlike as tl
from tests.corpus import ALL_CASES, ALL_IDS

CASES = [
    pytest.param(c, id=i)
    for c, i in zip(ALL_CASES, ALL_IDS)
    if all(
        isinstance(c.args[k], (float, int, np.floating, np.ndarray))
        for k in ((c.wrt,) if isinstance(c.wrt, int) else c.wrt)
    )
]


def _wrt(case):
    return (case.wrt,) if isinstance(case.wrt, int) else tuple(case.wrt)


def _direction(case, seed=7):
    rng = np.random.default_rng(seed)
    out = []
    for k in _wrt(case):
        a = case.args[k]
        if isinstance(a, np.ndarray):
            out.append(rng.normal(size=a.shape).astype(np.float64))
        else:
            out.append(float(rng.normal()))
    return out


def _fd_directional(case, v, h=None):
    f32 = any(getattr(case.args[k], "dtype", None) == np.float32 for k in _wrt(case))
    h = h or (1e-3 if f32 else 1e-6)

    def shifted(s):
        args = list(case.args)
        for k, vk in zip(_wrt(case), v):
            a = (
                np.asarray(args[k], dtype=np.float64)
                if isinstance(args[k], np.ndarray)
                else float(args[k])
            )
            args[k] = a + s * h * vk
        return case.fn(*args)

    return (
        np.asarray(shifted(1.0), dtype=np.float64) - np.asarray(shifted(-1.0), dtype=np.float64)
    ) / (2 * h)


def _tol(case):
    f32 = any(getattr(case.args[k], "dtype", None) == np.float32 for k in _wrt(case))
    return (3e-3, 3e-3) if f32 else (2e-5, 2e-6)


@pytest.mark.parametrize("case", CASES)
def test_jvp(case):
    v = _direction(case)
    jf = tl.jvp(case.fn, wrt=case.wrt)
    value, tangent = jf(*case.args, *v)
    np.testing.assert_allclose(value, case.fn(*case.args), rtol=1e-12)
    expected = _fd_directional(case, v)
    rtol, atol = _tol(case)
    scale = max(1.0, float(np.max(np.abs(expected))))
    np.testing.assert_allclose(tangent, expected, rtol=rtol, atol=atol * scale)


NUMBA_CASES = [
    p
    for k, p in enumerate(CASES)
    if p.values[0].numba and (k % 4 == 0 or p.values[0].module == "kernels")
]


@pytest.mark.parametrize("case", NUMBA_CASES)
def test_jvp_numba_matches_interpreted(case):
    v = _direction(case)
    a = tl.jvp(case.fn, wrt=case.wrt)(*case.args, *v)
    b = tl.jvp(case.fn, wrt=case.wrt, compile="numba")(*case.args, *v)
    f32 = any(getattr(case.args[k], "dtype", None) == np.float32 for k in _wrt(case))
    np.testing.assert_allclose(b[1], a[1], rtol=1e-5 if f32 else 1e-10, atol=1e-12)


def test_jvp_wrong_number_of_tangents():
    from tests.corpus.kernels import CASES as K

    case = K[0]
    with pytest.raises(tl.TangentlikeError, match="tangent"):
        tl.jvp(case.fn)(*case.args)
