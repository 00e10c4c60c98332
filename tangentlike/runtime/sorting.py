"""Runtime helpers for the derivatives of ``np.sort`` and ``np.median``.

Both are piecewise linear in their operand: between ties, ``np.sort(x)`` is ``x`` taken
in a fixed order (its adjoint puts ``g`` back where each element came from, its tangent
takes the tangent in that order), and ``np.median(x)`` is the middle element, or the mean
of the two middle ones (its derivative is a weight of 1 or 1/2 on them). The order is a
stable argsort, so tied elements keep their positions (at a tie the function has a kink
and either one-sided derivative is a derivative).

Plain Python with Numba ``@overload`` twins for 1-D operands (and the last axis of
C-ordered ones), as Numba compiles those primals.
"""

import numpy as np
from numba import types
from numba.extending import overload, register_jitable

from .broadcasting import _nb_is_none
from .declarations import helper


def _order(x, axis):
    if axis is None:
        return np.argsort(np.ravel(x), kind="stable")
    return np.argsort(x, axis=axis, kind="stable")


@helper(pure=True, fresh=True, shape_of=1, scalar_of=1)
def unsort(g, x, axis=-1):
    """Adjoint of ``np.sort(x, axis)``: ``g`` put back where each sorted element came
    from (``axis=None``: ``g`` is flat, the result has ``x``'s shape)."""
    if np.ndim(x) == 0:
        return g
    out = np.zeros(np.shape(x))
    if axis is None:
        out.reshape(-1)[_order(x, None)] = np.ravel(g)
        return out
    np.put_along_axis(out, _order(x, axis), np.asarray(g), axis)
    return out


@helper(pure=True, fresh=True, scalar_of=1)
def sort_like(t, x, axis=-1):
    """Tangent of ``np.sort(x, axis)``: ``t`` taken in the order that sorts ``x``."""
    if np.ndim(x) == 0:
        return t
    t = np.broadcast_to(t, np.shape(x))
    if axis is None:
        return np.ravel(t)[_order(x, None)]
    return np.take_along_axis(t, _order(x, axis), axis)


@register_jitable
def _middle_weights(v):
    """The median's weights on a 1-D slice (plain Python, and callable from Numba)."""
    n = v.shape[0]
    w = np.zeros(n)
    order = np.argsort(v, kind="mergesort")
    if n % 2:
        w[order[n // 2]] = 1.0
    elif n:
        w[order[n // 2 - 1]] = 0.5
        w[order[n // 2]] = 0.5
    return w


@helper(pure=True, fresh=True, scalar_of=0)
def median_weights(x, axis=None):
    """The derivative of ``np.median(x, axis)`` with respect to each element of ``x``:
    1 on the middle element of each reduced slice, 1/2 on each of the two middle ones
    when the slice has an even length, 0 elsewhere (the shape of ``x``)."""
    if np.ndim(x) == 0:
        return 1.0
    x = np.asarray(x)
    nd = x.ndim
    if axis is None:
        axes = tuple(range(nd))
    else:
        axes = tuple(a % nd for a in ((axis,) if np.ndim(axis) == 0 else axis))
    kept = [a for a in range(nd) if a not in axes]
    moved = np.transpose(x, kept + list(axes))
    lead = moved.shape[: len(kept)]
    rows = moved.reshape(lead + (-1,))
    w = np.zeros(rows.shape)
    for idx in np.ndindex(*lead):
        w[idx] = _middle_weights(rows[idx])
    return np.transpose(w.reshape(moved.shape), np.argsort(kept + list(axes)))


# ---------------------------------------------------------------- Numba twins
def _nb_last_or_none(x, axis):
    if not isinstance(x, types.Array):
        return False
    return _nb_flat(axis) or isinstance(axis, (types.Integer, types.Omitted))


def _nb_flat(axis):
    """``axis=None`` given (an omitted axis is sort's default, the last one)."""
    return axis is None or isinstance(axis, types.NoneType)


@overload(unsort)
def _unsort_nb(g, x, axis=-1):
    if not _nb_last_or_none(x, axis):
        return None
    flat = _nb_flat(axis)

    def impl(g, x, axis=-1):
        if flat:
            order = np.argsort(x.ravel(), kind="mergesort")
            out = np.zeros(x.size)
            gf = np.ascontiguousarray(g).ravel()
            for k in range(order.size):
                out[order[k]] = gf[k]
            return out.reshape(x.shape)
        if axis != -1 and axis != x.ndim - 1:
            raise ValueError("compiled np.sort adjoints sort along the last axis")
        n = x.shape[-1]
        rows = np.ascontiguousarray(x).reshape(-1, n)
        grows = np.ascontiguousarray(g).reshape(-1, n)
        out = np.zeros(rows.shape)
        for r in range(rows.shape[0]):
            order = np.argsort(rows[r], kind="mergesort")
            for k in range(n):
                out[r, order[k]] = grows[r, k]
        return out.reshape(x.shape)

    return impl


@overload(sort_like)
def _sort_like_nb(t, x, axis=-1):
    if not _nb_last_or_none(x, axis):
        return None
    flat = _nb_flat(axis)

    def impl(t, x, axis=-1):
        tb = np.ascontiguousarray(np.broadcast_to(t, x.shape))
        if flat:
            order = np.argsort(x.ravel(), kind="mergesort")
            tf = tb.ravel()
            out = np.empty(order.size)
            for k in range(order.size):
                out[k] = tf[order[k]]
            return out
        if axis != -1 and axis != x.ndim - 1:
            raise ValueError("compiled np.sort tangents sort along the last axis")
        n = x.shape[-1]
        rows = np.ascontiguousarray(x).reshape(-1, n)
        trows = tb.reshape(-1, n)
        out = np.empty(rows.shape)
        for r in range(rows.shape[0]):
            order = np.argsort(rows[r], kind="mergesort")
            for k in range(n):
                out[r, k] = trows[r, order[k]]
        return out.reshape(x.shape)

    return impl


@overload(median_weights)
def _median_weights_nb(x, axis=None):
    if not (isinstance(x, types.Array) and _nb_is_none(axis)):
        return None

    def impl(x, axis=None):
        return _middle_weights(np.ascontiguousarray(x).ravel()).reshape(x.shape)

    return impl
