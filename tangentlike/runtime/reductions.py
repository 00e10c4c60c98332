"""Runtime helpers for the adjoints of products, deviations and running sums/products:
``prod_others`` (the product of the other elements, from prefix and suffix products, so
exact where an element is zero), ``centered`` and ``std_adjoint`` (var/std),
``cumsum_adjoint`` / ``cumsum_along`` and ``cumprod_adjoint`` / ``cumprod_tangent``
(recurrences, exact at zeros: no division by an element).

Plain Python with Numba ``@overload`` twins, like ``values.py``. Numba's ``np.prod``,
``np.var`` and ``np.std`` take no ``axis``, so their twins handle ``axis=None``; the
cumulative ones handle ``axis=None`` and 1-d arrays.
"""

import numpy as np
from numba import njit, types
from numba.extending import overload

from .broadcasting import _nb_is_none, reduced_axes, unreduce, mean_count
from .values import is_array as _is_array
from .declarations import helper


def _along_last(fn, x, axis):
    """``fn`` applied along the reduced axes of ``x``, gathered as one last axis."""
    if axis is None:
        return fn(x.reshape(1, -1)).reshape(x.shape)
    axes = reduced_axes(axis, x.ndim)
    kept = x.ndim - len(axes)
    moved = np.moveaxis(x, axes, range(kept, x.ndim))
    out = fn(moved.reshape(moved.shape[:kept] + (-1,))).reshape(moved.shape)
    return np.moveaxis(out, range(kept, x.ndim), axes)


def _others_last(a):
    ones = np.ones(a.shape[:-1] + (1,))
    before = np.concatenate([ones, np.cumprod(a[..., :-1], axis=-1)], axis=-1)
    after = np.concatenate([np.cumprod(a[..., :0:-1], axis=-1)[..., ::-1], ones], axis=-1)
    return before * after


# ---------------------------------------------------------------- prod
@helper()
def prod_others(x, axis=None):
    """For each element of ``x``, the product of the other elements of its reduction
    (the partial derivative of ``np.prod(x, axis)``)."""
    if not _is_array(x):
        return 1.0
    if x.size == 0:
        return np.zeros(x.shape)
    return _along_last(_others_last, x.astype(np.float64), axis)


@overload(prod_others, inline="always")
def _prod_others_nb(x, axis=None):
    if not isinstance(x, types.Array):
        return lambda x, axis=None: 1.0
    if not _nb_is_none(axis):
        return None

    def impl(x, axis=None):
        flat = x.ravel()
        out = np.empty(flat.size)
        acc = 1.0
        for i in range(flat.size):
            out[i] = acc
            acc *= flat[i]
        acc = 1.0
        for i in range(flat.size - 1, -1, -1):
            out[i] *= acc
            acc *= flat[i]
        return out.reshape(x.shape)

    return impl


def _others_tangent_last(a, t):
    """Forward mode through ``_others_last``: prefix and suffix products with their
    tangents (``(p, dp) * (x, dx) = (p x, dp x + p dx)``), exact at zeros."""
    n = a.shape[-1]
    before, dbefore = np.ones(a.shape), np.zeros(a.shape)
    after, dafter = np.ones(a.shape), np.zeros(a.shape)
    for i in range(1, n):
        before[..., i] = before[..., i - 1] * a[..., i - 1]
        dbefore[..., i] = dbefore[..., i - 1] * a[..., i - 1] + before[..., i - 1] * t[..., i - 1]
    for i in range(n - 2, -1, -1):
        after[..., i] = after[..., i + 1] * a[..., i + 1]
        dafter[..., i] = dafter[..., i + 1] * a[..., i + 1] + after[..., i + 1] * t[..., i + 1]
    return dbefore * after + before * dafter


@helper()
def prod_others_tangent(t, x, axis=None):
    """The tangent of ``prod_others(x, axis)`` along ``t`` (second derivatives of prod)."""
    if not _is_array(x):
        return 0.0 * t
    x = x.astype(np.float64)
    t = np.broadcast_to(np.asarray(t, dtype=np.float64), x.shape)
    if axis is None:
        return _others_tangent_last(x.reshape(1, -1), t.reshape(1, -1)).reshape(x.shape)
    axes = reduced_axes(axis, x.ndim)
    kept = x.ndim - len(axes)
    mx, mt = (np.moveaxis(a, axes, range(kept, x.ndim)) for a in (x, t))
    flat = _others_tangent_last(
        mx.reshape(mx.shape[:kept] + (-1,)), mt.reshape(mt.shape[:kept] + (-1,))
    )
    return np.moveaxis(flat.reshape(mx.shape), range(kept, x.ndim), axes)


@njit
def _nb_others_tangent(a, t):
    n = a.size
    out = np.zeros(n)
    p, dp = 1.0, 0.0
    for i in range(n):  # prefix part
        out[i] = dp
        dp = dp * a[i] + p * t[i]
        p = p * a[i]
    before = np.empty(n)
    p = 1.0
    for i in range(n):
        before[i] = p
        p = p * a[i]
    q, dq = 1.0, 0.0
    for i in range(n - 1, -1, -1):  # d(before after) = dbefore after + before dafter
        out[i] = out[i] * q + before[i] * dq
        dq = dq * a[i] + q * t[i]
        q = q * a[i]
    return out


@overload(prod_others_tangent, inline="always")
def _prod_others_tangent_nb(t, x, axis=None):
    if not isinstance(x, types.Array):
        return lambda t, x, axis=None: 0.0 * t
    if not _nb_is_none(axis):
        return None
    return lambda t, x, axis=None: _nb_others_tangent(
        x.ravel().astype(np.float64), np.ascontiguousarray(np.broadcast_to(t, x.shape)).ravel()
    ).reshape(x.shape)


# ---------------------------------------------------------------- var / std
@helper()
def centered(x, axis=None):
    """``x`` minus its mean over ``axis`` (broadcast back)."""
    if not _is_array(x):
        return 0.0
    return x - np.mean(x, axis=axis, keepdims=True)


@overload(centered, inline="always")
def _centered_nb(x, axis=None):
    if not isinstance(x, types.Array):
        return lambda x, axis=None: 0.0
    if _nb_is_none(axis):
        return lambda x, axis=None: x - np.mean(x)


@helper()
def std_adjoint(g, z, x, axis=None, keepdims=False, ddof=0):
    """Adjoint of ``z = np.std(x, axis, ddof=ddof)``: ``g (x - mean) / ((n - ddof) z)``,
    and 0 where ``z`` is 0 (a constant ``x`` sits on a kink: 0 is the subgradient both
    one-sided derivatives average to)."""
    if not _is_array(x):
        return 0.0 * g
    zb = unreduce(z, x, axis, keepdims)
    scale = np.where(zb > 0.0, zb, 1.0) * (mean_count(x, axis) - ddof)
    return np.where(zb > 0.0, unreduce(g, x, axis, keepdims) * centered(x, axis) / scale, 0.0)


@overload(std_adjoint, inline="always")
def _std_adjoint_nb(g, z, x, axis=None, keepdims=False, ddof=0):
    if not isinstance(x, types.Array):
        return lambda g, z, x, axis=None, keepdims=False, ddof=0: 0.0 * g
    if not _nb_is_none(axis):
        return None

    def impl(g, z, x, axis=None, keepdims=False, ddof=0):
        if z > 0.0:
            return (g / ((x.size - ddof) * z)) * (x - np.mean(x))
        return np.zeros(x.shape)

    return impl


# ---------------------------------------------------------------- cumsum
@helper()
def cumsum_along(t, axis=None):
    """``np.cumsum(t, axis)`` (scalars too): the tangent of a running sum."""
    return np.cumsum(t, axis=axis)


@overload(cumsum_along, inline="always")
def _cumsum_along_nb(t, axis=None):
    if not isinstance(t, types.Array):
        return lambda t, axis=None: np.cumsum(np.array([t]))
    if _nb_is_none(axis) or t.ndim == 1:
        return lambda t, axis=None: np.cumsum(t)


@helper()
def cumsum_adjoint(g, x, axis=None):
    """Adjoint of ``np.cumsum(x, axis)``: running sums of ``g`` from the end."""
    if axis is None:
        r = np.cumsum(g[::-1])[::-1]
        return r.reshape(x.shape) if _is_array(x) else float(r[0])
    return np.flip(np.cumsum(np.flip(g, axis), axis=axis), axis)


@overload(cumsum_adjoint, inline="always")
def _cumsum_adjoint_nb(g, x, axis=None):
    if not isinstance(x, types.Array):
        return lambda g, x, axis=None: g[0]
    if _nb_is_none(axis) or x.ndim == 1:
        return lambda g, x, axis=None: np.ascontiguousarray(np.cumsum(g[::-1])[::-1]).reshape(
            x.shape
        )


# ---------------------------------------------------------------- cumprod
# z = cumprod(x): z_j = x_0 ... x_j. With the exclusive prefix p_i = z_{i-1} (p_0 = 1),
#   adjoint: a_i = p_i s_i where s_{n-1} = g_{n-1}, s_i = g_i + x_{i+1} s_{i+1}
#   tangent: t_0 = g_0, t_j = x_j t_{j-1} + p_j g_j
# both free of divisions, so exact where an element is zero.
def _cumprod_adjoint_last(g, z, x):
    out = np.empty(x.shape)
    s = g[..., -1]
    n = x.shape[-1]
    for i in range(n - 1, -1, -1):
        if i < n - 1:
            s = g[..., i] + x[..., i + 1] * s
        out[..., i] = (z[..., i - 1] if i > 0 else 1.0) * s
    return out


def _cumprod_tangent_last(g, z, x):
    out = np.empty(x.shape)
    t = g[..., 0] * 1.0
    out[..., 0] = t
    for j in range(1, x.shape[-1]):
        t = x[..., j] * t + z[..., j - 1] * g[..., j]
        out[..., j] = t
    return out


def _cumulative(fn, g, z, x, axis):
    if not _is_array(x):
        return fn(np.reshape(g, (1,)), np.reshape(z, (1,)), np.reshape(x, (1,)))[0]
    if axis is None:
        flat = fn(np.ravel(g), np.ravel(z), np.ravel(x))
        return flat.reshape(x.shape) if fn is _cumprod_adjoint_last else flat
    ax = int(axis) % x.ndim
    moved = [np.moveaxis(np.asarray(a, dtype=np.float64), ax, -1) for a in (g, z, x)]
    return np.moveaxis(fn(*moved), -1, ax)


@helper()
def cumprod_adjoint(g, z, x, axis=None):
    """Adjoint of ``z = np.cumprod(x, axis)``."""
    return _cumulative(_cumprod_adjoint_last, g, z, x, axis)


@helper()
def cumprod_tangent(g, z, x, axis=None):
    """Tangent of ``z = np.cumprod(x, axis)`` given the tangent ``g`` of ``x``."""
    return _cumulative(_cumprod_tangent_last, g, z, x, axis)


@njit
def _nb_cumprod_adjoint(g, z, x):
    n = x.size
    out = np.empty(n)
    s = 0.0
    for i in range(n - 1, -1, -1):
        s = g[i] + (x[i + 1] * s if i < n - 1 else 0.0)
        out[i] = (z[i - 1] if i > 0 else 1.0) * s
    return out


@njit
def _nb_cumprod_tangent(g, z, x):
    n = x.size
    out = np.empty(n)
    t = 0.0
    for j in range(n):
        t = (x[j] * t + z[j - 1] * g[j]) if j > 0 else g[0]
        out[j] = t
    return out


@overload(cumprod_adjoint)
def _cumprod_adjoint_nb(g, z, x, axis=None):
    if isinstance(x, types.Array) and (_nb_is_none(axis) or x.ndim == 1):
        return lambda g, z, x, axis=None: _nb_cumprod_adjoint(
            g.ravel(), z.ravel(), x.ravel()
        ).reshape(x.shape)


@overload(cumprod_tangent)
def _cumprod_tangent_nb(g, z, x, axis=None):
    if isinstance(x, types.Array) and (_nb_is_none(axis) or x.ndim == 1):
        return lambda g, z, x, axis=None: _nb_cumprod_tangent(
            np.ascontiguousarray(g).ravel(), z.ravel(), x.ravel()
        )


# ---------------------------------------------------------------- builtin sum
@helper()
def sum_items(t):
    """``sum(t)`` of an array (over its first axis) or of a list of tangents."""
    if _is_array(t):
        return np.sum(t, axis=0)
    out = t[0]
    for v in t[1:]:
        out = out + v
    return out


@helper()
def sum_items_adjoint(g, x):
    """Adjoint of ``sum(x)``: ``g`` for every item of ``x`` (rows of an array)."""
    if _is_array(x):
        return np.broadcast_to(g, x.shape).astype(np.float64)
    from .values import AdjointList

    return AdjointList(np.array(g, dtype=np.float64) if _is_array(v) else g for v in x)


@overload(sum_items, inline="always")
def _sum_items_nb(t):
    if isinstance(t, types.Array):
        if t.ndim > 1:
            return lambda t: np.sum(t, axis=0)
        return lambda t: np.sum(t)


@overload(sum_items_adjoint, inline="always")
def _sum_items_adjoint_nb(g, x):
    if isinstance(x, types.Array):
        return lambda g, x: np.broadcast_to(g, x.shape).astype(np.float64)
