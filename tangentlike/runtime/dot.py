"""Runtime helpers for the adjoints of ``np.dot(a, b)`` / ``a @ b`` on 0-, 1- and 2-d
operands (plain Python with Numba ``@overload`` twins; under Numba ``np.dot`` picks BLAS
calls with transposed flags, no transposed copies)."""

import numpy as np
from numba import types
from numba.extending import overload

from .values import is_array as _is_array
from .declarations import helper


# ---------------------------------------------------------------- dot
@helper(pure=True, fresh=True, shape_of=1)
def dot_adjoint_a(g, a, b):
    """Adjoint of ``np.dot(a, b)`` (and ``a @ b``) w.r.t. ``a`` for 0/1/2-d operands."""
    if not _is_array(a):
        return np.sum(g * b)
    if not _is_array(b):
        return g * b
    if a.ndim == 1 and b.ndim == 1:
        return g * b
    if a.ndim == 1:  # (k,) @ (k, n) -> (n,)
        return b @ g
    if b.ndim == 1:  # (m, k) @ (k,) -> (m,)
        return np.outer(g, b)
    return g @ b.T


@helper(pure=True, fresh=True, shape_of=2)
def dot_adjoint_b(g, a, b):
    """Adjoint of ``np.dot(a, b)`` w.r.t. ``b``."""
    if not _is_array(b):
        return np.sum(g * a)
    if not _is_array(a):
        return g * a
    if a.ndim == 1 and b.ndim == 1:
        return g * a
    if a.ndim == 1:  # (k,) @ (k, n)
        return np.outer(a, g)
    if b.ndim == 1:  # (m, k) @ (k,)
        return g @ a
    return a.T @ g


def _dot_nb_factory(which):
    # np.dot picks BLAS calls with transposed flags; no explicit transposed copies
    def ol(g, a, b):
        a_arr, b_arr = isinstance(a, types.Array), isinstance(b, types.Array)
        if which == "a":
            if not a_arr:
                return lambda g, a, b: np.sum(g * b)
            if not b_arr:
                return lambda g, a, b: g * b
            if a.ndim == 1 and b.ndim == 1:
                return lambda g, a, b: g * b
            if a.ndim == 1:  # (k,) @ (k, n)
                return lambda g, a, b: np.dot(b, g)
            if b.ndim == 1:  # (m, k) @ (k,)
                return lambda g, a, b: np.outer(g, b)
            return lambda g, a, b: np.dot(g, b.T)
        if not b_arr:
            return lambda g, a, b: np.sum(g * a)
        if not a_arr:
            return lambda g, a, b: g * a
        if a.ndim == 1 and b.ndim == 1:
            return lambda g, a, b: g * a
        if a.ndim == 1:  # (k,) @ (k, n)
            return lambda g, a, b: np.outer(a, g)
        if b.ndim == 1:  # (m, k) @ (k,)
            return lambda g, a, b: np.dot(g, a)
        return lambda g, a, b: np.dot(a.T, g)

    return ol


overload(dot_adjoint_a)(_dot_nb_factory("a"))
overload(dot_adjoint_b)(_dot_nb_factory("b"))


# ---------------------------------------------------------------- matmul
def _matmul_parts(g, a, b):
    """Operands of ``a @ b`` as stacks of matrices (1-d ones promoted as NumPy does)
    and ``g`` shaped like their product."""
    if a.ndim == 1:
        a, g = a[None, :], np.expand_dims(g, -2)
    if b.ndim == 1:
        b, g = b[:, None], np.expand_dims(g, -1)
    return g, a, b


@helper(pure=True, fresh=True, shape_of=1)
def matmul_adjoint_a(g, a, b):
    """Adjoint of ``a @ b`` (``np.matmul``) w.r.t. ``a``, stacks of matrices included."""
    if not (_is_array(a) and _is_array(b)) or (a.ndim <= 2 and b.ndim <= 2):
        return dot_adjoint_a(g, a, b)
    from .broadcasting import unbroadcast

    g2, a2, b2 = _matmul_parts(g, a, b)
    return unbroadcast(g2 @ np.swapaxes(b2, -1, -2), a2).reshape(a.shape)


@helper(pure=True, fresh=True, shape_of=2)
def matmul_adjoint_b(g, a, b):
    """Adjoint of ``a @ b`` w.r.t. ``b``."""
    if not (_is_array(a) and _is_array(b)) or (a.ndim <= 2 and b.ndim <= 2):
        return dot_adjoint_b(g, a, b)
    from .broadcasting import unbroadcast

    g2, a2, b2 = _matmul_parts(g, a, b)
    return unbroadcast(np.swapaxes(a2, -1, -2) @ g2, b2).reshape(b.shape)


# Numba's ``@`` takes 1-d and 2-d operands only: there the two products agree
overload(matmul_adjoint_a)(_dot_nb_factory("a"))
overload(matmul_adjoint_b)(_dot_nb_factory("b"))
