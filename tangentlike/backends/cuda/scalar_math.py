"""Scalar math for device code: NumPy calls become ``math`` calls a real GPU compiles.

numba-cuda lacks ``np.exp``, ``np.sqrt``, ``np.abs`` and ``np.power`` on scalars (they
run in the simulator and fail in PTX generation), so device code uses ``math.*`` and
operators only. Device code is scalar: every NumPy function with no scalar ``math``
counterpart is rejected by ``check_primal`` before any code is generated.
"""

import gast

from ... import syntax as S

# np.<name> -> math.<name>
_TO_MATH = {
    "sin": "sin",
    "cos": "cos",
    "tan": "tan",
    "arcsin": "asin",
    "arccos": "acos",
    "arctan": "atan",
    "arctan2": "atan2",
    "sinh": "sinh",
    "cosh": "cosh",
    "tanh": "tanh",
    "arcsinh": "asinh",
    "arccosh": "acosh",
    "arctanh": "atanh",
    "exp": "exp",
    "expm1": "expm1",
    "log": "log",
    "log1p": "log1p",
    "log10": "log10",
    "log2": "log2",
    "sqrt": "sqrt",
    "hypot": "hypot",
    "floor": "floor",
    "ceil": "ceil",
    "trunc": "trunc",
    "fabs": "fabs",
    "copysign": "copysign",
    "erf": "erf",
    "erfc": "erfc",
    "degrees": "degrees",
    "radians": "radians",
    "isnan": "isnan",
    "isinf": "isinf",
    "rad2deg": "degrees",
    "deg2rad": "radians",
    "isfinite": "isfinite",
    "fmod": "fmod",
    # NumPy 2 spells these like math too
    "asin": "asin",
    "acos": "acos",
    "atan": "atan",
    "atan2": "atan2",
    "asinh": "asinh",
    "acosh": "acosh",
    "atanh": "atanh",
}
_CONSTANTS = {"pi": "pi", "e": "e", "inf": "inf", "nan": "nan"}


def _sign(x):
    # np.sign on a scalar: -1.0, 0.0 or 1.0
    return gast.IfExp(
        test=gast.Compare(left=x, ops=[gast.Gt()], comparators=[S.const(0.0)]),
        body=S.const(1.0),
        orelse=gast.IfExp(
            test=gast.Compare(left=S.deep(x), ops=[gast.Lt()], comparators=[S.const(0.0)]),
            body=S.const(-1.0),
            orelse=S.const(0.0),
        ),
    )


# np.<name>(args) -> an expression built from the (already lowered) arguments
_BUILDERS = {
    "abs": lambda a: S.call("abs", *a),
    "absolute": lambda a: S.call("abs", *a),
    "maximum": lambda a: S.call("max", *a),
    "fmax": lambda a: S.call("max", *a),
    "minimum": lambda a: S.call("min", *a),
    "fmin": lambda a: S.call("min", *a),
    "power": lambda a: gast.BinOp(left=a[0], op=gast.Pow(), right=a[1]),
    "pow": lambda a: gast.BinOp(left=a[0], op=gast.Pow(), right=a[1]),
    "exp2": lambda a: gast.BinOp(left=S.const(2.0), op=gast.Pow(), right=a[0]),
    "cbrt": lambda a: S.call(
        S.attr(S.name("math"), "copysign"),
        gast.BinOp(left=S.call("abs", a[0]), op=gast.Pow(), right=S.const(1.0 / 3.0)),
        S.deep(a[0]),
    ),
    "floor_divide": lambda a: gast.BinOp(left=a[0], op=gast.FloorDiv(), right=a[1]),
    "heaviside": lambda a: gast.IfExp(
        test=gast.Compare(left=a[0], ops=[gast.Gt()], comparators=[S.const(0.0)]),
        body=S.const(1.0),
        orelse=gast.IfExp(
            test=gast.Compare(left=S.deep(a[0]), ops=[gast.Lt()], comparators=[S.const(0.0)]),
            body=S.const(0.0),
            orelse=a[1],
        ),
    ),
    "equal": lambda a: gast.Compare(left=a[0], ops=[gast.Eq()], comparators=[a[1]]),
    "not_equal": lambda a: gast.Compare(left=a[0], ops=[gast.NotEq()], comparators=[a[1]]),
    "greater": lambda a: gast.Compare(left=a[0], ops=[gast.Gt()], comparators=[a[1]]),
    "greater_equal": lambda a: gast.Compare(left=a[0], ops=[gast.GtE()], comparators=[a[1]]),
    "less": lambda a: gast.Compare(left=a[0], ops=[gast.Lt()], comparators=[a[1]]),
    "less_equal": lambda a: gast.Compare(left=a[0], ops=[gast.LtE()], comparators=[a[1]]),
    "logical_and": lambda a: gast.BoolOp(op=gast.And(), values=list(a)),
    "logical_or": lambda a: gast.BoolOp(op=gast.Or(), values=list(a)),
    "logical_not": lambda a: gast.UnaryOp(op=gast.Not(), operand=a[0]),
    "square": lambda a: gast.BinOp(left=a[0], op=gast.Mult(), right=S.deep(a[0])),
    "reciprocal": lambda a: gast.BinOp(left=S.const(1.0), op=gast.Div(), right=a[0]),
    "negative": lambda a: gast.UnaryOp(op=gast.USub(), operand=a[0]),
    "positive": lambda a: a[0],
    "add": lambda a: gast.BinOp(left=a[0], op=gast.Add(), right=a[1]),
    "subtract": lambda a: gast.BinOp(left=a[0], op=gast.Sub(), right=a[1]),
    "multiply": lambda a: gast.BinOp(left=a[0], op=gast.Mult(), right=a[1]),
    "divide": lambda a: gast.BinOp(left=a[0], op=gast.Div(), right=a[1]),
    "true_divide": lambda a: gast.BinOp(left=a[0], op=gast.Div(), right=a[1]),
    "sign": lambda a: _sign(a[0]),
    "where": lambda a: gast.IfExp(test=a[0], body=a[1], orelse=a[2]),
    "float64": lambda a: S.call("float", *a),
    "float32": lambda a: S.call("float", *a),
    "int64": lambda a: S.call("int", *a),
    "rint": lambda a: S.call("round", *a),
    "round": lambda a: S.call("round", *a),
}


def supported(name):
    """Whether ``np.<name>`` has a device (scalar) form."""
    return name in _TO_MATH or name in _BUILDERS or name in _CONSTANTS


class ToScalarMath(gast.NodeTransformer):
    """Rewrites ``np.f(x)`` to ``math.f(x)`` (or an operator) and ``np.pi`` to ``math.pi``."""

    def __init__(self, numpy_names=("np", "numpy")):
        self.numpy_names = set(numpy_names)

    def _np_attr(self, node):
        if (
            isinstance(node, gast.Attribute)
            and isinstance(node.value, gast.Name)
            and node.value.id in self.numpy_names
        ):
            return node.attr
        return None

    def visit_Call(self, node):
        self.generic_visit(node)
        name = self._np_attr(node.func)
        if name is None or node.keywords:
            return node
        if name in _TO_MATH:
            return S.call(S.attr(S.name("math"), _TO_MATH[name]), *node.args)
        if name in _BUILDERS:
            return _BUILDERS[name](node.args)
        return node

    def visit_Attribute(self, node):
        self.generic_visit(node)
        name = self._np_attr(node)
        if name in _CONSTANTS:
            return S.attr(S.name("math"), _CONSTANTS[name])
        return node


def to_scalar_math(node, numpy_names=("np", "numpy")):
    return ToScalarMath(numpy_names).visit(node)
