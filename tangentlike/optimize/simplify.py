"""Algebraic simplification of generated expressions.

Folds integer and float constants (``2 - 1`` -> ``1``), and removes neutral elements:
``x ** 1``, ``x * 1``, ``-(-x)``; ``d * 1.0``, ``1.0 * d``, ``d + 0.0``, ``0.0 + d`` and
``d - 0.0`` where ``d`` involves an adjoint (a float, so dropping the float constant
cannot turn it into an int); and integer offsets in ``range`` bounds
(``range(n - 1 - 1, i + 1 - 1, -1)`` -> ``range(n - 2, i, -1)``).
"""

import re

import gast

from ..trees import Transformer

_ADJOINT = re.compile(r"^(d_|_d\d|_g\d)")


def is_adjoint_name(name, protected):
    """A name the transform gave an adjoint (``d_x``, ``_d3``, ``_g1``), not a user's."""
    return bool(_ADJOINT.match(name)) and name not in protected


def _num(e):
    if (
        isinstance(e, gast.Constant)
        and isinstance(e.value, (int, float))
        and not isinstance(e.value, bool)
    ):
        return e.value
    if isinstance(e, gast.UnaryOp) and isinstance(e.op, gast.USub):
        v = _num(e.operand)
        return -v if v is not None else None
    return None


def _const(v):
    if v < 0:
        return gast.UnaryOp(op=gast.USub(), operand=gast.Constant(value=-v, kind=None))
    return gast.Constant(value=v, kind=None)


_FOLD = {gast.Add: lambda a, b: a + b, gast.Sub: lambda a, b: a - b, gast.Mult: lambda a, b: a * b}


def _offset(e):
    """``(base, k)`` with ``e == base + k`` for an int ``k`` (``n - 1 - 1`` -> ``(n, -2)``)."""
    if isinstance(e, gast.BinOp) and isinstance(e.op, (gast.Add, gast.Sub)):
        c = _num(e.right)
        if type(c) is int:
            base, k = _offset(e.left)
            return base, k + (c if isinstance(e.op, gast.Add) else -c)
    return e, 0


def _with_offset(base, k):
    if k == 0:
        return base
    return gast.BinOp(
        left=base,
        op=gast.Add() if k > 0 else gast.Sub(),
        right=gast.Constant(value=abs(k), kind=None),
    )


class _Simplifier(Transformer):
    def __init__(self, protected):
        self.protected = protected

    def _adjoint(self, e):
        """``e`` is arithmetic on at least one adjoint value (so a float)."""
        if isinstance(e, gast.Name):
            return is_adjoint_name(e.id, self.protected)
        if isinstance(e, gast.BinOp) and not isinstance(e.op, gast.MatMult):
            return self._adjoint(e.left) or self._adjoint(e.right)
        if isinstance(e, gast.UnaryOp) and isinstance(e.op, (gast.USub, gast.UAdd)):
            return self._adjoint(e.operand)
        return False

    def visit_Call(self, node):
        self.generic_visit(node)
        if isinstance(node.func, gast.Name) and node.func.id == "range":
            node.args = [_with_offset(*_offset(a)) for a in node.args]
        return node

    def visit_BinOp(self, node):
        self.generic_visit(node)
        a, b = _num(node.left), _num(node.right)
        op = type(node.op)
        if a is not None and b is not None and op in _FOLD and type(a) is type(b):
            return _const(_FOLD[op](a, b))
        if op is gast.Pow and b == 1:
            return node.left
        # x * 1 with an integer 1 keeps x's type; x * 1.0 would turn an int into a float
        if op is gast.Mult and b == 1 and type(b) is int:
            return node.left
        if op is gast.Mult and a == 1 and type(a) is int:
            return node.right
        # float neutral elements, where the other operand is sure to be a float already
        if op is gast.Mult and b == 1.0 and self._adjoint(node.left):
            return node.left
        if op is gast.Mult and a == 1.0 and self._adjoint(node.right):
            return node.right
        if op in (gast.Add, gast.Sub) and b == 0.0 and self._adjoint(node.left):
            return node.left
        if op is gast.Add and a == 0.0 and self._adjoint(node.right):
            return node.right
        return node

    def visit_UnaryOp(self, node):
        self.generic_visit(node)
        if (
            isinstance(node.op, gast.USub)
            and isinstance(node.operand, gast.UnaryOp)
            and isinstance(node.operand.op, gast.USub)
        ):
            return node.operand.operand
        return node


def simplify(fdef, protected=()):
    """``protected``: the user's variable names (never taken for adjoints)."""
    _Simplifier(set(protected)).visit(fdef)
    return fdef
