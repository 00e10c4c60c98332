"""Runtime helpers for shapes: reducing a broadcast gradient back to an input
(``unbroadcast``), undoing reductions (``unreduce``, ``mean_count``, the adjoint of
max/min), and forward mode's ``expand_like`` / ``sum_along`` / ``unreduce_ones``.

Plain Python with Numba ``@overload`` twins, like ``values.py``.
"""

import numpy as np
from numba import types
from numba.extending import overload

from .values import is_array as _is_array, is_numba_scalar as _scalar_nb
from .declarations import helper


# ---------------------------------------------------------------- unbroadcast
@helper(
    pure=True,
    may_alias=(0,),
    shape_only_args=(1,),
    shape_of=1,
    scalar_of=1,
    cuda="value",
    cuda_like=-1,
    forward="first",
    sets=True,
)
def unbroadcast(g, x):
    """Sum a broadcast gradient ``g`` back to the shape of ``x`` (scalar or array)."""
    if not _is_array(x):
        if _is_array(g):
            return float(np.sum(g))
        return g
    if not _is_array(g):
        return np.full(x.shape, g, dtype=np.float64)
    if g.shape == x.shape:
        return g
    lead = g.ndim - x.ndim
    if lead > 0:
        g = g.sum(axis=tuple(range(lead)))
    axes = tuple(k for k, n in enumerate(x.shape) if n == 1 and g.shape[k] != 1)
    if axes:
        g = g.sum(axis=axes, keepdims=True)
    return np.broadcast_to(g, x.shape).copy() if g.shape != x.shape else g


_UNBROADCAST_CACHE = {}


def _make_unbroadcast_impl(gnd, xnd, same_type):
    """Source for reducing a gnd-dimensional gradient to an xnd-dimensional input.
    ``same_type``: ``g`` is a C-contiguous float64 array, returned as it is when the
    shapes agree (as the Python version does; the optimizer treats the result as
    possibly ``g`` itself)."""
    key = (gnd, xnd, same_type)
    if key in _UNBROADCAST_CACHE:
        return _UNBROADCAST_CACHE[key]
    lead = gnd - xnd
    idx = ", ".join(f"(0 if xs[{k}] == 1 else idx[{lead + k}])" for k in range(xnd))
    same = "g" if same_type else "g.astype(np.float64)"
    fast = (f"    if g.shape == x.shape:\n        return {same}\n") if lead == 0 else ""
    src = (
        "def impl(g, x):\n" + fast + "    xs = x.shape\n"
        "    out = np.zeros(xs)\n"
        "    for idx in np.ndindex(g.shape):\n"
        f"        out[{idx},] += g[idx]\n"
        "    return out\n"
    )
    ns = {"np": np}
    exec(src, ns)
    _UNBROADCAST_CACHE[key] = ns["impl"]
    return ns["impl"]


def _unbroadcast_arrays(g, x):
    return unbroadcast(g, x)


@overload(unbroadcast, inline="always")
def _unbroadcast_nb(g, x):
    # scalar cases inline to nothing; the array loop stays a separate function
    g_arr = isinstance(g, types.Array)
    x_arr = isinstance(x, types.Array)
    if not x_arr:
        if g_arr:
            return lambda g, x: np.sum(g)
        if not (_scalar_nb(g) and _scalar_nb(x)):
            return lambda g, x: g
        return None
    if not g_arr:
        return lambda g, x: np.full(x.shape, g, np.float64)
    return lambda g, x: _unbroadcast_arrays(g, x)


@overload(_unbroadcast_arrays)
def _unbroadcast_arrays_nb(g, x):
    if g.ndim < x.ndim:
        return lambda g, x: np.broadcast_to(g, x.shape).astype(np.float64)
    same_type = g.dtype == types.float64 and g.layout == "C"
    return _make_unbroadcast_impl(g.ndim, x.ndim, same_type)


# ---------------------------------------------------------------- reductions
# ``axis`` is None, an int or a tuple of ints (negative ones too); ``keepdims`` says
# whether the reduction kept the reduced axes with length one.
def reduced_axes(axis, ndim):
    """The non-negative axes a reduction over ``axis`` removes, as a tuple."""
    if axis is None:
        return tuple(range(ndim))
    axes = axis if isinstance(axis, tuple) else (axis,)
    return tuple(sorted(int(a) % ndim for a in axes))


@helper(pure=True, may_alias=(0,), shape_only_args=(1,), shape_of=1, scalar_of=1, sets=True)
def unreduce(g, x, axis=None, keepdims=False):
    """Spread the adjoint of a reduction of ``x`` over ``axis`` back to ``x``'s shape."""
    if not _is_array(x):
        return g
    if not keepdims:
        if axis is None:
            return np.full(x.shape, g, dtype=np.float64)
        g = np.expand_dims(g, reduced_axes(axis, x.ndim))
    return np.broadcast_to(g, x.shape).astype(np.float64)


def _nb_is_none(axis):
    return axis is None or isinstance(axis, (types.NoneType, types.Omitted))


def _nb_kept_shape(nd):
    """Numba source: ``shp``, the shape of ``x`` with the axes in the tuple ``axis`` set
    to one (a fixed-length tuple, for reshape)."""
    return (
        "    s = np.empty(%d, np.int64)\n"
        "    for k in range(%d):\n"
        "        s[k] = x.shape[k]\n"
        "    for a in axis:\n"
        "        s[a %% %d] = 1\n"
        "    shp = to_fixed_tuple(s, %d)\n"
    ) % (nd, nd, nd, nd)


def _nb_impl(src, **names):
    from numba.np.unsafe.ndarray import to_fixed_tuple

    ns = {"np": np, "to_fixed_tuple": to_fixed_tuple, **names}
    exec(src, ns)
    return ns["impl"]


@overload(unreduce, inline="always")
def _unreduce_nb(g, x, axis=None, keepdims=False):
    if not isinstance(x, types.Array):
        return lambda g, x, axis=None, keepdims=False: g
    if not isinstance(g, types.Array):
        return lambda g, x, axis=None, keepdims=False: np.full(x.shape, g, np.float64)
    if _nb_is_none(axis):
        return lambda g, x, axis=None, keepdims=False: np.broadcast_to(g, x.shape).astype(
            np.float64
        )
    if isinstance(axis, types.Integer):
        return lambda g, x, axis=None, keepdims=False: np.broadcast_to(
            np.expand_dims(g, axis), x.shape
        ).astype(np.float64)
    return _nb_impl(
        "def impl(g, x, axis=None, keepdims=False):\n"
        + _nb_kept_shape(x.ndim)
        + "    return np.broadcast_to(np.ascontiguousarray(g).reshape(shp), "
        "x.shape).astype(np.float64)\n"
    )


@helper(pure=True, shape_only_args=(0,))
def mean_count(x, axis=None):
    """How many elements each entry of ``np.mean(x, axis)`` averages."""
    if not _is_array(x):
        return 1.0
    if axis is None:
        return float(x.size)
    n = 1
    for a in reduced_axes(axis, x.ndim):
        n *= x.shape[a]
    return float(n)


@overload(mean_count, inline="always")
def _mean_count_nb(x, axis=None):
    if not isinstance(x, types.Array):
        return lambda x, axis=None: 1.0
    if _nb_is_none(axis):
        return lambda x, axis=None: float(x.size)
    if isinstance(axis, types.Integer):
        return lambda x, axis=None: float(x.shape[axis])

    def impl(x, axis=None):
        n = 1
        for a in axis:
            n *= x.shape[a]
        return float(n)

    return impl


@helper(pure=True, sets=True)
def reduce_adjoint_max(g, z, x, axis=None, keepdims=False):
    """Adjoint of max/min: the gradient is shared evenly among the tied extrema (of an
    array, or of the items of a list: ``max(xs)``)."""
    if isinstance(x, (list, tuple)):
        from .values import AdjointList

        ties = [float(v == z) for v in x]
        return AdjointList(g * t / sum(ties) for t in ties)
    if not _is_array(x):
        return g
    zb = unreduce(z, x, axis, keepdims)
    mask = (x == zb).astype(np.float64)
    if axis is None and not keepdims:
        return mask * (g / np.sum(mask))
    axes = reduced_axes(axis, x.ndim)
    count = np.broadcast_to(np.sum(mask, axis=axes, keepdims=True), x.shape)
    return mask * unreduce(g, x, axis, keepdims) / count


@overload(reduce_adjoint_max)
def _reduce_adjoint_max_nb(g, z, x, axis=None, keepdims=False):
    if not isinstance(x, types.Array):
        return lambda g, z, x, axis=None, keepdims=False: g
    if _nb_is_none(axis):

        def impl(g, z, x, axis=None, keepdims=False):
            mask = (x == z).astype(np.float64)
            return mask * (g / np.sum(mask))

        return impl

    def impl_axis(g, z, x, axis=None, keepdims=False):
        zb = np.broadcast_to(np.expand_dims(z, axis), x.shape)
        mask = (x == zb).astype(np.float64)
        count = np.broadcast_to(np.expand_dims(np.sum(mask, axis=axis), axis), x.shape)
        gb = np.broadcast_to(np.expand_dims(g, axis), x.shape)
        return mask * gb / count

    return impl_axis


# ---------------------------------------------------------------- forward mode
@helper(pure=True, cuda="value", cuda_like=-1, sets=True)
def expand_like(t, z):
    """A tangent broadcast to the shape of the result ``z`` (``x + C`` with a constant
    ``C`` of larger shape gives the tangent of ``x`` that shape)."""
    if _is_array(z) and (not _is_array(t) or t.shape != z.shape):
        return np.broadcast_to(t, z.shape).astype(np.float64)
    return t


@overload(expand_like, inline="always")
def _expand_like_nb(t, z):
    if isinstance(z, types.Array):
        if isinstance(t, types.Array) and t.ndim == z.ndim:

            def impl(t, z):
                if t.shape == z.shape:
                    return t.astype(np.float64)
                return np.broadcast_to(t, z.shape).astype(np.float64)

            return impl
        return lambda t, z: np.broadcast_to(t, z.shape).astype(np.float64)
    if not (_scalar_nb(t) and _scalar_nb(z)):
        return lambda t, z: t


@helper(pure=True, sets=True)
def sum_along(t, axis=None, keepdims=False):
    """``np.sum(t, axis, keepdims=keepdims)``, also for scalars and ``axis=None`` under
    Numba (where reductions never keep their axes: Numba's have no ``keepdims``)."""
    if not _is_array(t):
        return t
    if axis is None and not keepdims:
        return np.sum(t)
    return np.sum(t, axis=axis, keepdims=keepdims)


@overload(sum_along, inline="always")
def _sum_along_nb(t, axis=None, keepdims=False):
    if not isinstance(t, types.Array):
        return lambda t, axis=None, keepdims=False: t
    if _nb_is_none(axis):
        return lambda t, axis=None, keepdims=False: np.sum(t)
    return lambda t, axis=None, keepdims=False: np.sum(t, axis=axis)


@helper(pure=True, fresh=True)
def unreduce_ones(z):
    """Ones shaped like a reduction's result ``z`` (1.0 for a scalar)."""
    if _is_array(z):
        return np.ones(z.shape)
    return 1.0


@overload(unreduce_ones, inline="always")
def _unreduce_ones_nb(z):
    if isinstance(z, types.Array):
        return lambda z: np.ones(z.shape)
    if not _scalar_nb(z):
        return lambda z: 1.0
