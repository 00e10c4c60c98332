"""Runtime helpers for the derivatives of ``np.repeat`` and ``np.tile``.

Both are linear in their operand and copy each element to several places: the adjoint
adds up ``g`` over the copies of each element. ``repeated`` is ``np.repeat`` with an
explicit axis (the tangent of a repetition, and the adjoint of ``repeat_adjoint``).
Numba compiles ``np.repeat`` without an axis (its twins take that form) and has no
``np.tile``, so a compiled derivative of a tile is refused with the primal.
"""

import numpy as np
from numba import types
from numba.extending import overload

from .declarations import helper


def _spread(n, repeats):
    """The 0/1 matrix (copies x n) that repeats n items ``repeats`` times."""
    idx = np.repeat(np.arange(n), np.broadcast_to(repeats, (n,)))
    out = np.zeros((idx.size, n))
    out[np.arange(idx.size), idx] = 1.0
    return out


@helper(pure=True, fresh=True)
def repeated(v, repeats, axis=None):
    """``np.repeat(v, repeats, axis)``: the tangent of a repetition."""
    return np.repeat(v, repeats, axis)


@helper(pure=True, fresh=True, shape_of=1, scalar_of=1)
def repeat_adjoint(g, x, repeats, axis=None):
    """Adjoint of ``np.repeat(x, repeats, axis)``: ``g`` summed over each element's
    copies (``axis=None``: the copies of the flattened ``x``)."""
    if np.ndim(x) == 0:
        return float(np.sum(g))
    x = np.asarray(x)
    if axis is None:
        return (np.ravel(g) @ _spread(x.size, repeats)).reshape(x.shape)
    gm = np.moveaxis(np.asarray(g, dtype=np.float64), axis, -1)
    out = gm @ _spread(x.shape[axis], repeats)
    return np.moveaxis(out, -1, axis)


@helper(pure=True, fresh=True, shape_of=1)
def tile_adjoint(g, x, reps):
    """Adjoint of ``np.tile(x, reps)``: ``g`` summed over the tiles."""
    reps = tuple(int(r) for r in np.atleast_1d(reps))
    shape = np.shape(x)
    d = max(len(shape), len(reps))
    xs = (1,) * (d - len(shape)) + tuple(shape)
    rs = (1,) * (d - len(reps)) + reps
    split = [n for pair in zip(rs, xs) for n in pair]
    total = np.reshape(g, split).sum(axis=tuple(range(0, 2 * d, 2)))
    out = np.reshape(total, shape)
    return float(out) if not shape else out


# ---------------------------------------------------------------- Numba twins
def _no_axis(axis):
    return axis is None or isinstance(axis, (types.NoneType, types.Omitted))


@overload(repeated)
def _repeated_nb(v, repeats, axis=None):
    if isinstance(v, types.Array) and _no_axis(axis):
        return lambda v, repeats, axis=None: np.repeat(v, repeats)
    return None


@overload(repeat_adjoint)
def _repeat_adjoint_nb(g, x, repeats, axis=None):
    if not (isinstance(x, types.Array) and _no_axis(axis)):
        return None

    def impl(g, x, repeats, axis=None):
        counts = np.broadcast_to(np.asarray(repeats), (x.size,))
        gf = np.ascontiguousarray(g).ravel()
        out = np.zeros(x.size)
        k = 0
        for i in range(x.size):
            for _ in range(counts[i]):
                out[i] += gf[k]
                k += 1
        return out.reshape(x.shape)

    return impl
