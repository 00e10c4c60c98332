"""Runtime helpers for adjoint values: zeros, copies, float64 accumulators, casts back to
the input's dtype, and ``stop_gradient``.

Each helper is plain Python (for ``compile=None``) with a Numba ``@overload`` twin (for
``compile="numba"``), so one generated text runs in both modes. The overloads handle
arrays and containers; scalar cases are lowered directly (``numba_scalars.py``).
"""

import numpy as np
from numba import types
from numba.extending import overload
from .declarations import helper


def is_array(x):
    return isinstance(x, np.ndarray)


def is_numba_scalar(ty):
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
    __iadd__ = __add__  # ``d_xs[k] += g`` on a nested list adds, never extends


class AdjointDict(dict):
    """The adjoint of a dict argument: ``+`` adds value-wise (interpreted mode)."""

    def __add__(self, other):
        if isinstance(other, dict):
            return AdjointDict({k: v + other[k] for k, v in self.items()})
        return NotImplemented

    __radd__ = __add__


# ---------------------------------------------------------------- zeros_like
@helper(pure=True, fresh=True, shape_only_args=(0,), scalar_of=0, cuda="zero")
def zeros_like(x):
    """A float64 zero with the shape of ``x``; containers map to containers of zeros."""
    if is_array(x):
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
    if isinstance(x, types.List) and is_numba_scalar(x.dtype):  # a local list of numbers
        return lambda x: [0.0 for _ in range(len(x))]
    if isinstance(x, (types.UniTuple, types.NamedUniTuple)) and is_numba_scalar(x.dtype):
        # numbers (slogdet's (sign, logdet)): an array, written item by item as the
        # interpreted AdjointList is (a tuple cannot be)
        return lambda x: np.zeros(len(x))
    if isinstance(x, types.BaseTuple):  # e.g. the gradients a vjp returns
        items = ", ".join(f"zeros_like(x[{k}])" for k in range(len(x)))
        ns = {"zeros_like": zeros_like}
        exec(f"def impl(x):\n    return ({items},)\n", ns)
        return ns["impl"]


# ---------------------------------------------------------------- to_float
@helper(pure=True, fresh=True, scalar_of=0, cuda="float", sets=True)
def to_float(x):
    """Adjoint accumulators are float64: turn a float32/int result into float64."""
    if is_array(x):
        return x.astype(np.float64)
    return float(x)


@overload(to_float, inline="always")
def _to_float_nb(x):
    if isinstance(x, types.Array):
        return lambda x: x.astype(np.float64)


# ---------------------------------------------------------------- copy_value
@helper(pure=True, fresh=True, scalar_of=0, cuda="value")
def copy_value(x):
    """A private copy of an array (a slice is a view); scalars pass through."""
    if is_array(x):
        return x.copy()
    return x


def _copy_array_nb(x):
    """Under Numba (no dicts or lists of arrays), ``copy_value`` and ``own`` agree."""
    if isinstance(x, types.Array):
        return lambda x: x.copy()
    if not is_numba_scalar(x):
        return lambda x: x


overload(copy_value, inline="always")(_copy_array_nb)


@helper(pure=True, fresh=True, scalar_of=0, cuda="value")
def own(x):
    """Copy an argument the generated code writes into, so user inputs are never mutated."""
    if is_array(x):
        return x.copy()
    if isinstance(x, dict):
        return {k: own(v) for k, v in x.items()}
    if isinstance(x, list):
        return [own(v) for v in x]
    return x


overload(own, inline="always")(_copy_array_nb)


# ---------------------------------------------------------------- cast_like
@helper(pure=True, may_alias=(0,), scalar_of=1, cuda="cast", cuda_like=-1, sets=True)
def cast_like(g, x):
    """The final gradient in the dtype of its input (float32 in, float32 out)."""
    if is_array(x):
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
    if is_array(g):
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
    if not (is_numba_scalar(g) and is_numba_scalar(x)):
        return lambda g, x: g


@helper(pure=True, may_alias=(0,), scalar_of=1, cuda="cast", cuda_like=-1, sets=True)
def cast_owned(g, x):
    """``cast_like`` for a gradient array the generated function made itself and shares
    with nothing: returned as it is when it already has the right dtype (no copy)."""
    if (
        is_array(x)
        and is_array(g)
        and g.shape == x.shape
        and g.dtype == (x.dtype if x.dtype.kind == "f" else np.float64)
    ):
        return g
    return cast_like(g, x)


@overload(cast_owned, inline="always")
def _cast_owned_nb(g, x):
    if isinstance(x, types.Array) and isinstance(g, types.Array):
        dt = x.dtype if isinstance(x.dtype, types.Float) else types.float64
        if g.dtype == dt:
            return lambda g, x: g
    if not (is_numba_scalar(g) and is_numba_scalar(x)):
        return lambda g, x: cast_like(g, x)


@helper(pure=True, scalar_of=0, cuda="value", bound=False)
def stop_gradient(x):
    """The value of ``x``, with a zero derivative (PyTorch's ``detach``)."""
    return x


@overload(stop_gradient, inline="always")
def _stop_gradient_nb(x):
    if not is_numba_scalar(x):
        return lambda x: x
