"""Adjoints of ``np.linalg``: determinants, inverses, solves, Cholesky factors, norms.

``solve``'s adjoint solves with the transpose once (``gb``) for both operands. A
singular matrix makes ``det``'s, ``slogdet``'s and ``inv``'s adjoints raise NumPy's
LinAlgError (as the primal ``inv`` and ``solve`` do).
"""

import numpy as np

from .registry import adjoint, constant_value, tangent


@adjoint(np.linalg.det)
def det(a):
    d[a] = det_adjoint(g, z, a)


@tangent(np.linalg.det)
def det_tangent(a):
    d[a] = det_tangent(g, z, a)


@adjoint(np.linalg.slogdet)
def slogdet(a):
    # the result is (sign, log|det|); the sign is locally constant
    d[a] = g[1] * np.linalg.inv(a).T


@tangent(np.linalg.slogdet)
def slogdet_tangent(a):
    d[a] = (0.0, np.trace(np.linalg.solve(a, g)))


@adjoint(np.linalg.inv)
def inv(a):
    d[a] = -(z.T @ (g @ z.T))


@tangent(np.linalg.inv)
def inv_tangent(a):
    d[a] = -(z @ (g @ z))


@adjoint(np.linalg.solve)
def solve(a, b):
    gb = np.linalg.solve(a.T, g)
    d[a] = solve_adjoint_a(gb, z)
    d[b] = gb


@tangent(np.linalg.solve)
def solve_tangent(a, b):
    d[a] = np.linalg.solve(a, -(g @ z))
    d[b] = np.linalg.solve(a, g)


@adjoint(np.linalg.cholesky)
def cholesky(a):
    d[a] = cholesky_adjoint(g, z)


@tangent(np.linalg.cholesky)
def cholesky_tangent(a):
    d[a] = cholesky_tangent(g, z)


def _norm_check(args):
    """String orders other than 'fro' and 'nuc' are refused (numbers are read at run
    time: any vector order, and 1, -1, 2, -2, inf, -inf for matrices)."""
    ord_ = constant_value(args.get("ord"), default=None) if args.get("ord") is not None else None
    if isinstance(ord_, str) and ord_ not in ("fro", "nuc"):
        return f"np.linalg.norm with ord={ord_!r} is not supported"
    return None


@adjoint(np.linalg.norm, check=_norm_check)
def norm(x, ord=None, axis=None, keepdims=False):
    d[x] = norm_adjoint(g, z, x, ord, axis, keepdims)


@tangent(np.linalg.norm)
def norm_tangent(x, ord=None, axis=None, keepdims=False):
    d[x] = sum_along(norm_adjoint(unreduce_ones(z), z, x, ord, axis, keepdims) * g, axis, keepdims)
