"""Adjoints of Python's arithmetic operators (on scalars and broadcasting arrays), and of
NumPy's function forms of them (``np.add``, ``np.multiply``, ...)."""

import numpy as np

from .registry import adjoint, nondifferentiable, tangent

# In every template: z is the result, g its adjoint, d[x] the contribution to x.
# unbroadcast(v, x) sums v back to the shape of x when x was broadcast.


@adjoint("op:Add", np.add)
def add(x, y):
    d[x] = unbroadcast(g, x)
    d[y] = unbroadcast(g, y)


@adjoint("op:Sub", np.subtract)
def sub(x, y):
    d[x] = unbroadcast(g, x)
    d[y] = unbroadcast(-g, y)


@adjoint("op:Mult", np.multiply)
def mul(x, y):
    d[x] = unbroadcast(g * y, x)
    d[y] = unbroadcast(g * x, y)


@adjoint("op:Div", np.divide, np.true_divide)
def truediv(x, y):
    d[x] = unbroadcast(g / y, x)
    # -(x / y) / y rather than -x / y**2: y**2 underflows for tiny y (float32 ratios)
    d[y] = unbroadcast(-(z / y) * g, y)


@adjoint("op:Pow")
def pow(x, y):
    d[x] = unbroadcast(g * y * x ** (y - 1), x)
    d[y] = unbroadcast(g * z * np.log(x), y)


@adjoint("op:Mod", np.mod, np.remainder)
def mod(x, y):
    d[x] = unbroadcast(g, x)
    d[y] = unbroadcast(-g * np.floor(x / y), y)


@adjoint("op:USub", np.negative)
def neg(x):
    d[x] = -g


@adjoint("op:UAdd", np.positive)
def pos(x):
    d[x] = g


@adjoint("op:MatMult", np.matmul)
def matmul(x, y):
    d[x] = matmul_adjoint_a(g, x, y)
    d[y] = matmul_adjoint_b(g, x, y)


nondifferentiable(
    np.floor_divide,
    "op:FloorDiv",
    "op:Not",
    "op:Invert",
    "op:BitAnd",
    "op:BitOr",
    "op:BitXor",
    "op:LShift",
    "op:RShift",
)


# ---------------------------------------------------------------- forward mode
# (products, quotients and powers derive theirs from the adjoints above)
@tangent("op:Add", np.add, expand=True)
def add_tangent(x, y):
    d[x] = g
    d[y] = g


@tangent("op:Sub", np.subtract, expand=True)
def sub_tangent(x, y):
    d[x] = g
    d[y] = -g


@tangent("op:Mod", np.mod, np.remainder, expand=True)
def mod_tangent(x, y):
    d[x] = g
    d[y] = -g * np.floor(x / y)
