"""Runtime helpers for the derivatives of ``np.flip``, ``np.roll`` and ``np.diff``.

All three are linear in their operand. A reversal is its own adjoint, a cyclic shift by
``s`` has the shift by ``-s`` as adjoint, and the adjoint of an ``n``-th difference
(``diff_adjoint``) spreads each difference back onto the elements it subtracts, one
order at a time. ``differenced`` is ``np.diff`` with an explicit axis (the tangent of a
difference, and the adjoint of ``diff_adjoint``).

Plain Python with Numba ``@overload`` twins for the forms Numba compiles as primals
(no axis for ``np.flip``/``np.roll``, the last axis for ``np.diff``) and, for
``flipped``/``rolled``, an integer axis of a 1-D or 2-D array.
"""

import numpy as np
from numba import types
from numba.extending import overload

from .declarations import helper


@helper(pure=True, fresh=True, scalar_of=0)
def flipped(v, axis=None):
    """``np.flip(v, axis)`` as a new array (the adjoint and tangent of a reversal)."""
    if np.ndim(v) == 0:
        return v
    return np.flip(v, axis).copy()


@helper(pure=True, fresh=True, scalar_of=0)
def rolled(v, shift, axis=None):
    """``np.roll(v, shift, axis)`` (the adjoint of a roll by ``s`` rolls by ``-s``)."""
    if np.ndim(v) == 0:
        return v
    return np.roll(v, shift, axis)


@helper(pure=True, fresh=True, scalar_of=0)
def differenced(v, n=1, axis=-1):
    """``np.diff(v, n, axis)``: the tangent of a difference."""
    if np.ndim(v) == 0:
        return v
    return np.diff(v, n, axis)


@helper(pure=True, fresh=True, shape_of=1, scalar_of=1)
def diff_adjoint(g, x, n=1, axis=-1):
    """Adjoint of ``np.diff(x, n, axis)``: ``g`` has ``n`` fewer elements than ``x``
    along ``axis``; each order sends ``+g`` to the later and ``-g`` to the earlier
    element of each difference."""
    if np.ndim(x) == 0:
        return g
    g = np.moveaxis(np.asarray(g, dtype=np.float64), axis, -1)
    for _ in range(n):
        out = np.zeros(g.shape[:-1] + (g.shape[-1] + 1,))
        out[..., 1:] += g
        out[..., :-1] -= g
        g = out
    return np.moveaxis(g, -1, axis).reshape(np.shape(x))


# ---------------------------------------------------------------- Numba twins
def _none(axis):
    return axis is None or isinstance(axis, (types.NoneType, types.Omitted))


def _small(v):
    return isinstance(v, types.Array) and v.ndim in (1, 2)


@overload(flipped)
def _flipped_nb(v, axis=None):
    if not isinstance(v, types.Array):
        return None
    if _none(axis):
        return lambda v, axis=None: np.flip(v).copy()
    if not (_small(v) and isinstance(axis, types.Integer)):
        return None
    if v.ndim == 1:
        return lambda v, axis=None: v[::-1].copy()

    def impl(v, axis=None):
        if axis % 2 == 0:
            return v[::-1].copy()
        return v[:, ::-1].copy()

    return impl


@overload(rolled)
def _rolled_nb(v, shift, axis=None):
    if not isinstance(v, types.Array):
        return None
    if _none(axis):
        return lambda v, shift, axis=None: np.roll(v, shift)
    if not (_small(v) and isinstance(axis, types.Integer)):
        return None
    if v.ndim == 1:
        return lambda v, shift, axis=None: np.roll(v, shift)

    def impl(v, shift, axis=None):
        out = np.empty(v.shape)
        rows, cols = v.shape
        for i in range(rows):
            for j in range(cols):
                if axis % 2 == 0:
                    out[(i + shift) % rows, j] = v[i, j]
                else:
                    out[i, (j + shift) % cols] = v[i, j]
        return out

    return impl


def _last_axis(v, axis):
    return isinstance(v, types.Array) and (
        isinstance(axis, (types.Integer, types.Omitted)) or axis is None
    )


@overload(differenced)
def _differenced_nb(v, n=1, axis=-1):
    if not _last_axis(v, axis):
        return None

    def impl(v, n=1, axis=-1):
        if axis != -1 and axis != v.ndim - 1:
            raise ValueError("compiled np.diff derivatives take the last axis")
        return np.diff(v, n)

    return impl


@overload(diff_adjoint)
def _diff_adjoint_nb(g, x, n=1, axis=-1):
    if not _last_axis(x, axis):
        return None

    def impl(g, x, n=1, axis=-1):
        if axis != -1 and axis != x.ndim - 1:
            raise ValueError("compiled np.diff derivatives take the last axis")
        m = x.shape[-1]
        rows = np.ascontiguousarray(g).reshape(-1, m - n)
        cur = rows.copy()
        for k in range(n):
            width = m - n + k + 1
            out = np.zeros((rows.shape[0], width))
            for r in range(rows.shape[0]):
                for j in range(width - 1):
                    out[r, j + 1] += cur[r, j]
                    out[r, j] -= cur[r, j]
            cur = out
        return cur.reshape(x.shape)

    return impl
