"""Runtime helpers: Python implementations plus their Numba overloads.

Generated code uses these for the few operations whose right form depends on whether
a value is a scalar or an array (zero adjoints, reducing a broadcast gradient back to an
input's shape, undoing a reduction). Under Numba each call is specialised per type and
inlined, so for scalars they cost nothing.
"""
import numpy as np
from numba import types
from numba.extending import overload


def _is_array(x):
    return isinstance(x, np.ndarray)


def _scalar_nb(ty):
    """Numba scalar types: their helper cases are lowered directly (numba_scalars.py)."""
    return isinstance(ty, (types.Number, types.Boolean))


# ---------------------------------------------------------------- containers
class AdjointList(list):
    """The adjoint of a tuple or list argument: ``+`` adds element-wise (interpreted mode)."""

    def __add__(self, other):
        if isinstance(other, (list, tuple)):
            return AdjointList(a + b for a, b in zip(self, other))
        return NotImplemented

    __radd__ = __add__


class AdjointDict(dict):
    """The adjoint of a dict argument: ``+`` adds value-wise (interpreted mode)."""

    def __add__(self, other):
        if isinstance(other, dict):
            return AdjointDict({k: v + other[k] for k, v in self.items()})
        return NotImplemented

    __radd__ = __add__


# ---------------------------------------------------------------- zeros_like
def zeros_like(x):
    """A float64 zero with the shape of ``x``; containers map to containers of zeros."""
    if _is_array(x):
        return np.zeros(x.shape)
    if isinstance(x, dict):
        return AdjointDict({k: zeros_like(v) for k, v in x.items()})
    if isinstance(x, (list, tuple)):
        return AdjointList(zeros_like(v) for v in x)
    return 0.0


@overload(zeros_like, inline="always")
def _zeros_like_nb(x):
    if isinstance(x, types.Array):
        return lambda x: np.zeros(x.shape)
    if isinstance(x, types.BaseTuple):            # e.g. the gradients a vjp returns
        items = ", ".join(f"zeros_like(x[{k}])" for k in range(len(x)))
        ns = {"zeros_like": zeros_like}
        exec(f"def impl(x):\n    return ({items},)\n", ns)
        return ns["impl"]


# ---------------------------------------------------------------- to_float
def to_float(x):
    """Adjoint accumulators are float64: turn a float32/int result into float64."""
    if _is_array(x):
        return x.astype(np.float64)
    return float(x)


@overload(to_float, inline="always")
def _to_float_nb(x):
    if isinstance(x, types.Array):
        return lambda x: x.astype(np.float64)


# ---------------------------------------------------------------- copy_value
def copy_value(x):
    """A private copy of an array (a slice is a view); scalars pass through."""
    if _is_array(x):
        return x.copy()
    return x


@overload(copy_value, inline="always")
def _copy_value_nb(x):
    if isinstance(x, types.Array):
        return lambda x: x.copy()
    if not _scalar_nb(x):
        return lambda x: x


def own(x):
    """Copy an argument the generated code writes into, so user inputs are never mutated."""
    if _is_array(x):
        return x.copy()
    if isinstance(x, dict):
        return {k: own(v) for k, v in x.items()}
    if isinstance(x, list):
        return [own(v) for v in x]
    return x


@overload(own, inline="always")
def _own_nb(x):
    if isinstance(x, types.Array):
        return lambda x: x.copy()
    if not _scalar_nb(x):
        return lambda x: x


# ---------------------------------------------------------------- cast_like
def cast_like(g, x):
    """The final gradient in the dtype of its input (float32 in, float32 out)."""
    if _is_array(x):
        if x.dtype.kind == "f" and x.dtype != np.float64:
            return np.asarray(g, dtype=x.dtype).reshape(x.shape)
        return np.asarray(g, dtype=np.float64).reshape(x.shape)
    if isinstance(x, np.floating) and not isinstance(x, np.float64):
        return type(x)(g)
    if isinstance(x, dict):
        return {k: cast_like(g[k], v) for k, v in x.items()}
    if isinstance(x, tuple):
        return tuple(cast_like(gi, xi) for gi, xi in zip(g, x))
    if isinstance(x, list):
        return [cast_like(gi, xi) for gi, xi in zip(g, x)]
    if _is_array(g):
        return float(np.sum(g))
    return g


@overload(cast_like, inline="always")
def _cast_like_nb(g, x):
    if isinstance(x, types.Array):
        dt = x.dtype if isinstance(x.dtype, types.Float) else types.float64
        if isinstance(g, types.Array):
            return lambda g, x: g.astype(dt)
        return lambda g, x: np.full(x.shape, g, dt)
    if isinstance(x, types.Float) and isinstance(g, types.Array):
        fl = x
        return lambda g, x: fl(np.sum(g))
    if not (_scalar_nb(g) and _scalar_nb(x)):
        return lambda g, x: g


def cast_owned(g, x):
    """``cast_like`` for a gradient array the generated function made itself and shares
    with nothing: returned as it is when it already has the right dtype (no copy)."""
    if _is_array(x) and _is_array(g) and g.shape == x.shape and g.dtype == (
            x.dtype if x.dtype.kind == "f" else np.float64):
        return g
    return cast_like(g, x)


@overload(cast_owned, inline="always")
def _cast_owned_nb(g, x):
    if isinstance(x, types.Array) and isinstance(g, types.Array):
        dt = x.dtype if isinstance(x.dtype, types.Float) else types.float64
        if g.dtype == dt:
            return lambda g, x: g
    if not (_scalar_nb(g) and _scalar_nb(x)):
        return lambda g, x: cast_like(g, x)


# ---------------------------------------------------------------- unbroadcast
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
    fast = ("    if g.shape == x.shape:\n"
            f"        return {same}\n") if lead == 0 else ""
    src = (
        "def impl(g, x):\n"
        + fast +
        "    xs = x.shape\n"
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
def unreduce(g, x, axis=None):
    """Spread the adjoint of a reduction of ``x`` over ``axis`` back to ``x``'s shape."""
    if not _is_array(x):
        return g
    if axis is None:
        return np.full(x.shape, g, dtype=np.float64)
    return np.broadcast_to(np.expand_dims(g, axis), x.shape).astype(np.float64)


@overload(unreduce, inline="always")
def _unreduce_nb(g, x, axis=None):
    if not isinstance(x, types.Array):
        return lambda g, x, axis=None: g
    if axis is None or isinstance(axis, (types.NoneType, types.Omitted)):
        return lambda g, x, axis=None: np.full(x.shape, g, np.float64)
    return lambda g, x, axis=None: np.broadcast_to(np.expand_dims(g, axis), x.shape).astype(np.float64)


def mean_count(x, axis=None):
    """How many elements each entry of ``np.mean(x, axis)`` averages."""
    if not _is_array(x):
        return 1.0
    if axis is None:
        return float(x.size)
    return float(x.shape[axis])


@overload(mean_count, inline="always")
def _mean_count_nb(x, axis=None):
    if not isinstance(x, types.Array):
        return lambda x, axis=None: 1.0
    if axis is None or isinstance(axis, (types.NoneType, types.Omitted)):
        return lambda x, axis=None: float(x.size)
    return lambda x, axis=None: float(x.shape[axis])


def reduce_adjoint_max(g, z, x, axis=None):
    """Adjoint of max/min: the gradient is shared evenly among the tied extrema."""
    if not _is_array(x):
        return g
    zb = unreduce(z, x, axis)
    mask = (x == zb).astype(np.float64)
    if axis is None:
        return mask * (g / np.sum(mask))
    count = unreduce(np.sum(mask, axis=axis), x, axis)
    return mask * unreduce(g, x, axis) / count


@overload(reduce_adjoint_max)
def _reduce_adjoint_max_nb(g, z, x, axis=None):
    if not isinstance(x, types.Array):
        return lambda g, z, x, axis=None: g
    if axis is None or isinstance(axis, (types.NoneType, types.Omitted)):
        def impl(g, z, x, axis=None):
            mask = (x == z).astype(np.float64)
            return mask * (g / np.sum(mask))
        return impl

    def impl_axis(g, z, x, axis=None):
        zb = np.broadcast_to(np.expand_dims(z, axis), x.shape)
        mask = (x == zb).astype(np.float64)
        count = np.broadcast_to(np.expand_dims(np.sum(mask, axis=axis), axis), x.shape)
        gb = np.broadcast_to(np.expand_dims(g, axis), x.shape)
        return mask * gb / count
    return impl_axis


# ---------------------------------------------------------------- dot
def dot_adjoint_a(g, a, b):
    """Adjoint of ``np.dot(a, b)`` (and ``a @ b``) w.r.t. ``a`` for 0/1/2-d operands."""
    if not _is_array(a):
        return np.sum(g * b)
    if not _is_array(b):
        return g * b
    if a.ndim == 1 and b.ndim == 1:
        return g * b
    if a.ndim == 1:                     # (k,) @ (k, n) -> (n,)
        return b @ g
    if b.ndim == 1:                     # (m, k) @ (k,) -> (m,)
        return np.outer(g, b)
    return g @ b.T


def dot_adjoint_b(g, a, b):
    """Adjoint of ``np.dot(a, b)`` w.r.t. ``b``."""
    if not _is_array(b):
        return np.sum(g * a)
    if not _is_array(a):
        return g * a
    if a.ndim == 1 and b.ndim == 1:
        return g * a
    if a.ndim == 1:                     # (k,) @ (k, n)
        return np.outer(a, g)
    if b.ndim == 1:                     # (m, k) @ (k,)
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
            if a.ndim == 1:                         # (k,) @ (k, n)
                return lambda g, a, b: np.dot(b, g)
            if b.ndim == 1:                         # (m, k) @ (k,)
                return lambda g, a, b: np.outer(g, b)
            return lambda g, a, b: np.dot(g, b.T)
        if not b_arr:
            return lambda g, a, b: np.sum(g * a)
        if not a_arr:
            return lambda g, a, b: g * a
        if a.ndim == 1 and b.ndim == 1:
            return lambda g, a, b: g * a
        if a.ndim == 1:                             # (k,) @ (k, n)
            return lambda g, a, b: np.outer(a, g)
        if b.ndim == 1:                             # (m, k) @ (k,)
            return lambda g, a, b: np.dot(g, a)
        return lambda g, a, b: np.dot(a.T, g)
    return ol


overload(dot_adjoint_a)(_dot_nb_factory("a"))
overload(dot_adjoint_b)(_dot_nb_factory("b"))


# ---------------------------------------------------------------- forward mode
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


def sum_along(t, axis=None):
    """``np.sum(t, axis)``, also for scalars and ``axis=None`` under Numba."""
    if not _is_array(t):
        return t
    if axis is None:
        return np.sum(t)
    return np.sum(t, axis=axis)


@overload(sum_along, inline="always")
def _sum_along_nb(t, axis=None):
    if not isinstance(t, types.Array):
        return lambda t, axis=None: t
    if axis is None or isinstance(axis, (types.NoneType, types.Omitted)):
        return lambda t, axis=None: np.sum(t)
    return lambda t, axis=None: np.sum(t, axis=axis)


def stop_gradient(x):
    """The value of ``x``, with a zero derivative (PyTorch's ``detach``)."""
    return x


@overload(stop_gradient, inline="always")
def _stop_gradient_nb(x):
    if not _scalar_nb(x):
        return lambda x: x


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
