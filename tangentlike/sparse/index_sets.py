"""Index sets: the value a tangent takes while the sparsity pattern is found.

The generated forward code is linear in its tangents: every tangent statement is a sum
of tangents times primal factors. Running it with each tangent element replaced by the
*set of input indices it depends on* (``+``, ``-``, ``*``, ``/`` take the union, a number
counts as the empty set, a primal factor keeps the set even when it is 0 at this input)
gives the structural pattern: entry ``(i, j)`` can be nonzero only if ``j`` is in the set
of output ``i``. Tangent arrays are NumPy object arrays of :class:`IndexSet`; anything that
needs a number from a set (``float()``, a comparison, a math function) raises
:class:`SetUnsupported`, and the caller falls back to a dense (safe) pattern.

The set-aware runtime helpers below replace ``tangentlike.runtime``'s in that run: each
one handles sets and hands primal (float) values to the original helper.
"""

import numpy as np

from .. import runtime as rt
from ..runtime.broadcasting import reduced_axes


class SetUnsupported(TypeError):
    """An operation that would need a number from an index set."""


class IndexSet:
    """The input indices one tangent element depends on (an immutable frozenset)."""

    __slots__ = ("s",)

    def __init__(self, s=frozenset()):
        self.s = s

    def _join(self, other):
        if type(other) is IndexSet:
            if other.s is self.s or not other.s:
                return self
            if not self.s:
                return other
            return IndexSet(self.s | other.s)
        if isinstance(other, (int, float, complex, np.number, np.bool_)):
            return self
        return NotImplemented

    __add__ = __radd__ = __sub__ = __rsub__ = _join
    __mul__ = __rmul__ = __truediv__ = __rtruediv__ = _join

    def _self(self):
        return self

    __neg__ = __pos__ = __abs__ = _self
    conjugate = _self

    def _refuse(self, *args):
        raise SetUnsupported("a number was asked of a tangent's index set")

    __float__ = __int__ = __bool__ = __index__ = __complex__ = _refuse
    __lt__ = __le__ = __gt__ = __ge__ = __pow__ = __rpow__ = __mod__ = __floordiv__ = _refuse

    def __repr__(self):
        return f"IndexSet({sorted(self.s)})"


EMPTY = IndexSet()


def is_sets(v):
    return type(v) is IndexSet or (isinstance(v, np.ndarray) and v.dtype == object)


def seed(shape):
    """The tangent of the input: element ``k`` (C order) depends on input index ``k``."""
    size = int(np.prod(shape)) if shape else 1
    flat = np.empty(size, dtype=object)
    for k in range(size):
        flat[k] = IndexSet(frozenset((k,)))
    return flat.reshape(shape) if shape else flat[0]


def empty_sets(shape):
    out = np.empty(shape, dtype=object)
    out.fill(EMPTY)
    return out


def union(items):
    """One set from many (sets and numbers), in one pass (a chain of ``+`` is quadratic)."""
    sets = [e.s for e in items if type(e) is IndexSet and e.s]
    if not sets:
        return EMPTY
    if len(sets) == 1:
        return IndexSet(sets[0])
    return IndexSet(frozenset().union(*sets))


def union_along(a, axis=None, keepdims=False):
    """``np.sum(a, axis)`` for an object array of sets."""
    a = np.asarray(a, dtype=object)
    if axis is None:
        out = union(a.ravel())
        return np.full((1,) * a.ndim, out, dtype=object) if keepdims else out
    axes = tuple(ax % a.ndim for ax in (axis if isinstance(axis, tuple) else (axis,)))
    keep = [k for k in range(a.ndim) if k not in axes]
    moved = np.transpose(a, keep + list(axes))
    rows = moved.reshape((int(np.prod([a.shape[k] for k in keep])), -1))
    out = np.empty(rows.shape[0], dtype=object)
    for r in range(rows.shape[0]):
        out[r] = union(rows[r])
    out = out.reshape(tuple(a.shape[k] for k in keep))
    if keepdims:
        out = out.reshape(tuple(1 if k in axes else a.shape[k] for k in range(a.ndim)))
    return out


def _broadcast(t, shape):
    return np.array(np.broadcast_to(np.asarray(t, dtype=object), shape), dtype=object)


def _to_shape(g, shape):
    """Sets ``g`` summed (united) back to ``shape``: ``unbroadcast`` on sets."""
    if not isinstance(g, np.ndarray):
        return _broadcast(g, shape) if shape != () else g
    if g.shape == shape:
        return g
    lead = g.ndim - len(shape)
    if lead > 0:
        g = union_along(g, tuple(range(lead)))
    if not shape:
        return g if type(g) is IndexSet else union(np.ravel(g))
    axes = tuple(k for k, n in enumerate(shape) if n == 1 and g.shape[k] != 1)
    if axes:
        g = union_along(g, axes, keepdims=True)
    return _broadcast(g, shape) if g.shape != shape else g


# ------------------------------------------------ set-aware twins of the runtime helpers
def unbroadcast(g, x):
    if not is_sets(g):
        return rt.unbroadcast(g, x)
    return _to_shape(g, np.shape(x))


def unreduce(g, x, axis=None, keepdims=False):
    if not is_sets(g):
        return rt.unreduce(g, x, axis, keepdims)
    if not isinstance(x, np.ndarray):
        return g
    if axis is None and not keepdims:
        return _broadcast(g, x.shape)
    g = np.asarray(g, dtype=object)
    if not keepdims:
        g = np.expand_dims(g, reduced_axes(axis, x.ndim))
    return _broadcast(g, x.shape)


def reduce_adjoint_max(g, z, x, axis=None, keepdims=False):
    """The adjoint of max/min goes to the extrema at these values; as sets, to every
    element (any of them can be the extremum)."""
    if not is_sets(g):
        return rt.reduce_adjoint_max(g, z, x, axis, keepdims)
    return unreduce(g, x, axis, keepdims)


def expand_like(t, z):
    if not is_sets(t):
        return rt.expand_like(t, z)
    if isinstance(z, np.ndarray) and np.shape(t) != z.shape:
        return _broadcast(t, z.shape)
    return t


def sum_along(t, axis=None, keepdims=False):
    if not is_sets(t) or type(t) is IndexSet:
        return rt.sum_along(t, axis, keepdims)
    return union_along(t, axis, keepdims)


def cast_like(g, x):
    if not is_sets(g):
        return rt.cast_like(g, x)
    if isinstance(x, np.ndarray):
        return _to_shape(g, x.shape) if np.shape(g) != x.shape else g
    if isinstance(g, np.ndarray):
        return union(g.ravel())
    return g


def cast_owned(g, x):
    return cast_like(g, x)


def to_float(x):
    return x if is_sets(x) else rt.to_float(x)


def zeros_like_sets(x):
    """A tangent's initial value: empty sets shaped like ``x`` (containers mapped)."""
    if isinstance(x, np.ndarray):
        return empty_sets(x.shape)
    if isinstance(x, dict):
        return rt.values.AdjointDict({k: zeros_like_sets(v) for k, v in x.items()})
    if isinstance(x, (list, tuple)):
        return rt.values.AdjointList(zeros_like_sets(v) for v in x)
    return EMPTY


# the helpers declared ``sets=True`` (runtime/declarations.py) have a twin above, by name
_TWINS = {name: globals()[name] for name in rt.declarations.names(sets=True)}
HELPER_TWINS = dict(rt.HELPERS, **_TWINS)


class NumpyForSets:
    """``np`` in the set run: NumPy, except that ``np.where`` with set operands unites
    both branches (the branch taken depends on values; the pattern must not)."""

    def __getattr__(self, name):
        return getattr(np, name)

    @staticmethod
    def where(cond, *branches):
        if len(branches) == 2 and any(is_sets(b) for b in branches):
            a, b = branches
            shape = np.broadcast_shapes(np.shape(cond), np.shape(a), np.shape(b))
            return (
                np.asarray(_broadcast(a, shape) + _broadcast(b, shape), dtype=object)
                if shape
                else union([a, b])
            )
        return np.where(cond, *branches)


NUMPY_FOR_SETS = NumpyForSets()
