"""Runtime helpers for the adjoints and tangents of ``np.linalg``: ``det``, ``solve``,
``cholesky`` and ``norm`` (vector norms of any order along any axes; matrix norms
'fro', 'nuc', 1, -1, 2, -2, inf, -inf of a 2-d array).

The bodies use only what Numba compiles (2-d ``np.linalg``), so each helper's Numba twin
is the same code, compiled; batched (3-d and up) operands work interpreted. At a kink
(a zero vector, tied extrema, a repeated singular value) the adjoint is the average of
the one-sided derivatives over the tie: 0 at a zero vector, shared evenly at ties.
"""

import numpy as np
from numba import njit, types
from numba.extending import overload

from .broadcasting import _nb_is_none, unreduce
from .values import is_array as _is_array
from .declarations import helper


# ---------------------------------------------------------------- det / solve
@helper()
def det_adjoint(g, z, a):
    """Adjoint of ``z = np.linalg.det(a)``: ``g z inv(a).T`` (a singular ``a`` raises
    NumPy's LinAlgError)."""
    if a.ndim == 2:
        return (g * z) * np.linalg.inv(a).T
    return (np.asarray(g * z)[..., None, None]) * np.swapaxes(np.linalg.inv(a), -1, -2)


@helper()
def det_tangent(t, z, a):
    """Tangent of ``np.linalg.det(a)`` along ``t``: ``z tr(solve(a, t))``."""
    if a.ndim == 2:
        return z * np.trace(np.linalg.solve(a, t))
    return z * np.trace(np.linalg.solve(a, t), axis1=-2, axis2=-1)


@helper()
def solve_adjoint_a(gb, z):
    """Adjoint of ``z = np.linalg.solve(a, b)`` w.r.t. ``a``, given ``gb = solve(a.T, g)``."""
    if z.ndim == 1:
        return -np.outer(gb, z)
    return -(gb @ z.T)


# ---------------------------------------------------------------- cholesky
@helper()
def cholesky_adjoint(g, L):
    """Adjoint of ``L = np.linalg.cholesky(a)`` (Murray 2016). NumPy reads only the
    lower triangle of ``a``: an entry below the diagonal stands for itself and its
    mirror, so it gets both halves of the symmetric adjoint; the upper triangle gets 0."""
    P = np.tril(L.T @ g)
    P = P - 0.5 * np.diag(np.diag(P))
    S = np.linalg.solve(L.T, np.linalg.solve(L.T, P.T).T)
    S = 0.5 * (S + S.T)
    return np.tril(2.0 * S) - np.diag(np.diag(S))


@helper()
def cholesky_tangent(t, L):
    """Tangent of ``L = np.linalg.cholesky(a)`` along ``t`` (of which only the lower
    triangle counts): ``L Phi(L^-1 T L^-T)``, Phi the lower triangle with half diagonal."""
    T = np.tril(t) + np.tril(t, -1).T
    X = np.linalg.solve(L, np.linalg.solve(L, T).T).T
    X = np.tril(X) - 0.5 * np.diag(np.diag(X))
    return L @ X


def _det_adjoint_2d(g, z, a):
    return (g * z) * np.linalg.inv(a).T


def _det_tangent_2d(t, z, a):
    return z * np.trace(np.linalg.solve(a, t))


def _solve_adjoint_a_nb(gb, z):
    if z.ndim == 1:
        return lambda gb, z: -np.outer(gb, z)
    return lambda gb, z: -(gb @ z.T)


# Numba's np.linalg takes 2-d arrays: these twins are the 2-d code, compiled
overload(det_adjoint)(lambda g, z, a: _det_adjoint_2d)
overload(det_tangent)(lambda t, z, a: _det_tangent_2d)
overload(solve_adjoint_a)(_solve_adjoint_a_nb)
overload(cholesky_adjoint)(lambda g, L: cholesky_adjoint)
overload(cholesky_tangent)(lambda t, L: cholesky_tangent)


# ---------------------------------------------------------------- norm
def _vector_norm_adjoint(x, z, p):
    """d norm(x, p) / dx for a 1-d ``x`` (``p`` a number; inf and -inf included)."""
    if p == 0:
        return np.zeros(x.shape)
    if z == 0.0:
        return np.zeros(x.shape)
    a = np.abs(x)
    if p == np.inf or p == -np.inf:
        mask = (a == z) * 1.0  # ties share evenly
        return np.sign(x) * (mask / np.sum(mask))
    if p == 1:
        return np.sign(x)
    return np.sign(x) * (a / z) ** (p - 1)


def _matrix_norm_adjoint(x, p):
    """d norm(x, p) / dx for a 2-d ``x`` (p in 1, -1, 2, -2, inf, -inf)."""
    if p == 2 or p == -2:
        u, s, vt = np.linalg.svd(x, full_matrices=False)
        k = 0 if p == 2 else s.size - 1
        return np.outer(u[:, k], vt[k])
    if p == 1 or p == -1:
        cols = np.sum(np.abs(x), axis=0)
        pick = np.max(cols) if p == 1 else np.min(cols)
        mask = (cols == pick) * 1.0
        return np.sign(x) * (mask / np.sum(mask)).reshape((1, -1))
    rows = np.sum(np.abs(x), axis=1)
    pick = np.max(rows) if p == np.inf else np.min(rows)
    mask = (rows == pick) * 1.0
    return np.sign(x) * (mask / np.sum(mask)).reshape((-1, 1))


def _nuclear_adjoint(x):
    u, s, vt = np.linalg.svd(x, full_matrices=False)
    return u @ vt


def is_matrix_norm(x, ord, axis):
    return (axis is None and ord is not None and x.ndim == 2) or (
        isinstance(axis, tuple) and len(axis) == 2
    )


@helper()
def norm_adjoint(g, z, x, ord=None, axis=None, keepdims=False):
    """Adjoint of ``z = np.linalg.norm(x, ord, axis, keepdims)``."""
    if not _is_array(x):
        return g * np.sign(x)
    gb, zb = unreduce(g, x, axis, keepdims), unreduce(z, x, axis, keepdims)
    if ord is None or ord == "fro" or (ord == 2 and not is_matrix_norm(x, ord, axis)):
        return np.where(zb > 0.0, gb * x / np.where(zb > 0.0, zb, 1.0), 0.0)
    if is_matrix_norm(x, ord, axis):
        if axis is not None and sorted(a % x.ndim for a in axis) != [0, 1] or x.ndim != 2:
            from ..errors import TangentlikeError

            raise TangentlikeError(
                f"np.linalg.norm with ord={ord!r} is differentiated for "
                "2-d arrays over both axes only",
                construct="norm",
            )
        if ord == "nuc":
            return gb * _nuclear_adjoint(x)
        return gb * _matrix_norm_adjoint(x, ord)
    if ord == 0:
        return np.zeros(x.shape)
    a = np.abs(x)
    safe = np.where(zb > 0.0, zb, 1.0)
    if ord == np.inf or ord == -np.inf:
        mask = (a == zb) * 1.0
        count = np.broadcast_to(np.sum(mask, axis=axis, keepdims=True), x.shape)
        d = np.sign(x) * mask / count
    elif ord == 1:
        d = np.sign(x)
    else:
        d = np.sign(x) * (a / safe) ** (ord - 1)
    return np.where(zb > 0.0, gb * d, 0.0)


_vector_norm_adjoint_nb = njit(_vector_norm_adjoint)
_matrix_norm_adjoint_nb = njit(_matrix_norm_adjoint)


@overload(norm_adjoint)
def _norm_adjoint_nb(g, z, x, ord=None, axis=None, keepdims=False):
    # Numba's norm takes no axis; its matrix orders are these numbers (no 'fro', 'nuc')
    if not isinstance(x, types.Array) or not _nb_is_none(axis):
        return None
    if _nb_is_none(ord):

        def impl_2(g, z, x, ord=None, axis=None, keepdims=False):
            if z > 0.0:
                return (g / z) * x
            return np.zeros(x.shape)

        return impl_2
    if x.ndim == 1:
        return lambda g, z, x, ord=None, axis=None, keepdims=False: (
            g * _vector_norm_adjoint_nb(x, z, ord)
        )
    if x.ndim == 2:
        return lambda g, z, x, ord=None, axis=None, keepdims=False: (
            g * _matrix_norm_adjoint_nb(x, ord)
        )
