"""Lower ``np.hstack``, ``np.vstack``, ``np.column_stack`` and ``np.dstack`` of a literal
list or tuple to ``np.concatenate`` along a constant axis (whose adjoint the transforms
know), as NumPy defines them::

    np.vstack((a, b))        -> np.concatenate((np.atleast_2d(a), np.atleast_2d(b)), axis=0)
    np.dstack((a, b))        -> np.concatenate((np.atleast_3d(a), np.atleast_3d(b)), axis=2)
    np.hstack((a, b))        -> front(np.concatenate((front(np.atleast_1d(a)), ...), axis=0))
    np.column_stack((a, b))  -> np.concatenate((column(a), column(b)), axis=1)

where ``front(x)`` is ``np.swapaxes(x, 0, min(1, x.ndim - 1))`` (axis 1 to the front,
vectors unchanged: Numba types each branch of a test on ``ndim``, so there is none), and
``column(v)`` is ``np.atleast_2d(v).T`` for a vector (or number) and ``v``
otherwise. Another argument (not a literal sequence, ``dtype=``, ``casting=``) is refused
with the line.
"""

import builtins

import gast
import numpy as np

from .. import syntax as S
from ..trees import Transformer, clone

_STACKS = {"hstack": np.hstack, "vstack": np.vstack, "column_stack": np.column_stack}
_STACKS["dstack"] = np.dstack


def _stack_kind(obj):
    """Which stacking function ``obj`` is (by identity: a callee may be unhashable)."""
    return next((kind for kind, fn in _STACKS.items() if obj is fn), None)


def lower_stacking(parsed):
    _Stacking(parsed).visit(parsed.node)


def _np(fn, *args, axis=None):
    kw = [] if axis is None else [gast.keyword(arg="axis", value=S.const(axis))]
    return S.call(S.attr(S.name("np"), fn), *args, keywords=kw)


def _is_vector(e):
    """``np.asarray(e).ndim <= 1``: a number or a vector."""
    ndim = S.attr(_np("asarray", clone(e)), "ndim")
    return gast.Compare(left=ndim, ops=[gast.LtE()], comparators=[S.const(1)])


def _swap_front(x, like):
    """``np.swapaxes(x, 0, min(1, like.ndim - 1))``: a vector as it is, axis 1 of an
    array first (an involution: the same call puts it back)."""
    last = gast.BinOp(left=S.attr(clone(like), "ndim"), op=gast.Sub(), right=S.const(1))
    return _np("swapaxes", x, S.const(0), S.call(S.name("min"), S.const(1), last))


def _concat(parts, axis):
    return _np("concatenate", gast.Tuple(elts=parts, ctx=gast.Load()), axis=axis)


class _Stacking(Transformer):
    def __init__(self, parsed):
        self.parsed = parsed

    def visit_Call(self, node):
        self.generic_visit(node)
        kind = _stack_kind(self._resolve(node.func))
        if kind is None:
            return node
        seq = node.args[0] if len(node.args) == 1 else None
        if node.keywords or not isinstance(seq, (gast.List, gast.Tuple)) or not seq.elts:
            raise self.parsed.error(
                f"np.{kind} is supported on a literal list or tuple of arrays, "
                "without other arguments",
                node,
                construct=f"np.{kind}",
            )
        elts = seq.elts
        if kind == "vstack":
            return _concat([_np("atleast_2d", e) for e in elts], 0)
        if kind == "dstack":
            return _concat([_np("atleast_3d", e) for e in elts], 2)
        if kind == "hstack":
            parts = [_np("atleast_1d", e) for e in elts]
            front = [_swap_front(p, p) for p in parts]
            return _swap_front(_concat(front, 0), parts[0])
        columns = [
            gast.IfExp(
                test=_is_vector(e),
                body=S.attr(_np("atleast_2d", clone(e)), "T"),
                orelse=_np("atleast_2d", e),  # 2-d already: the same array, typed alike
            )
            for e in elts
        ]
        return _concat(columns, 1)

    def _resolve(self, func):
        name = S.dotted(func)
        if name is None:
            return None
        head, *rest = name.split(".")
        obj = self.parsed.namespace.get(head, getattr(builtins, head, None))
        for part in rest:
            obj = getattr(obj, part, None)
        return obj
