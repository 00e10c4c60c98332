"""Adjoints of elementwise math and NumPy functions.

``m`` is the module the user called (``math`` or ``np``), so ``math.sin(x)`` gets a
``math.cos(x)`` adjoint and ``np.sin(x)`` an ``np.cos(x)`` one.
"""

import builtins
import math

import numpy as np
import scipy.special as sc

from .registry import adjoint, nondifferentiable, tangent


@adjoint(np.sin, math.sin)
def sin(x):
    d[x] = g * m.cos(x)


@adjoint(np.cos, math.cos)
def cos(x):
    d[x] = -g * m.sin(x)


@adjoint(np.tan, math.tan)
def tan(x):
    d[x] = g * (1.0 + z * z)


@adjoint(np.arcsin, math.asin)
def arcsin(x):
    d[x] = g / m.sqrt(1.0 - x * x)


@adjoint(np.arccos, math.acos)
def arccos(x):
    d[x] = -g / m.sqrt(1.0 - x * x)


@adjoint(np.arctan, math.atan)
def arctan(x):
    d[x] = g / (1.0 + x * x)


@adjoint(np.sinh, math.sinh)
def sinh(x):
    d[x] = g * m.cosh(x)


@adjoint(np.cosh, math.cosh)
def cosh(x):
    d[x] = g * m.sinh(x)


@adjoint(np.tanh, math.tanh)
def tanh(x):
    d[x] = g * (1.0 - z * z)


@adjoint(np.arcsinh, math.asinh)
def arcsinh(x):
    d[x] = g / m.sqrt(x * x + 1.0)


@adjoint(np.arccosh, math.acosh)
def arccosh(x):
    d[x] = g / m.sqrt(x * x - 1.0)


@adjoint(np.arctanh, math.atanh)
def arctanh(x):
    d[x] = g / (1.0 - x * x)


@adjoint(np.exp, math.exp)
def exp(x):
    d[x] = g * z


@adjoint(np.exp2)
def exp2(x):
    d[x] = g * z * 0.6931471805599453


@adjoint(np.expm1, math.expm1)
def expm1(x):
    d[x] = g * (z + 1.0)


@adjoint(np.log, math.log)
def log(x):
    d[x] = g / x


@adjoint(np.log1p, math.log1p)
def log1p(x):
    d[x] = g / (1.0 + x)


@adjoint(np.log2, math.log2)
def log2(x):
    d[x] = g / (x * 0.6931471805599453)


@adjoint(np.log10, math.log10)
def log10(x):
    d[x] = g / (x * 2.302585092994046)


@adjoint(np.sqrt, math.sqrt)
def sqrt(x):
    d[x] = g / (2.0 * z)


@adjoint(np.cbrt, math.cbrt)
def cbrt(x):
    d[x] = g / (3.0 * z * z)


@adjoint(np.square)
def square(x):
    d[x] = g * 2.0 * x


@adjoint(np.reciprocal)
def reciprocal(x):
    d[x] = -g * z * z


@adjoint(math.erf, sc.erf)
def erf(x):
    d[x] = g * 1.1283791670955126 * m.exp(-x * x)


@adjoint(math.erfc, sc.erfc)
def erfc(x):
    d[x] = -g * 1.1283791670955126 * m.exp(-x * x)


@adjoint(np.abs, np.absolute, builtins.abs, math.fabs, np.fabs)
def abs(x):
    d[x] = g * np.sign(x)


@adjoint(
    builtins.float,
    np.float64,
    np.float32,
    "method:astype",
    "method:copy",
    np.copy,
    np.asarray,
    np.array,
    np.ascontiguousarray,
)
def identity(x, *args):
    d[x] = g


@adjoint(np.arctan2, math.atan2)
def arctan2(y, x):
    d[y] = unbroadcast(g * x / (x * x + y * y), y)
    d[x] = unbroadcast(-g * y / (x * x + y * y), x)


@adjoint(np.hypot, math.hypot)
def hypot(x, y):
    d[x] = unbroadcast(g * x / z, x)
    d[y] = unbroadcast(g * y / z, y)


@adjoint(np.power, math.pow)
def power(x, y):
    d[x] = unbroadcast(g * y * x ** (y - 1), x)
    d[y] = unbroadcast(g * z * np.log(x), y)


@adjoint(np.maximum, np.fmax, builtins.max)
def maximum(x, y):
    d[x] = unbroadcast(g * (x >= y), x)
    d[y] = unbroadcast(g * (x < y), y)


@adjoint(np.minimum, np.fmin, builtins.min)
def minimum(x, y):
    d[x] = unbroadcast(g * (x <= y), x)
    d[y] = unbroadcast(g * (x > y), y)


@adjoint(np.where)
def where(cond, x, y):
    d[x] = unbroadcast(np.where(cond, g, 0.0), x)
    d[y] = unbroadcast(np.where(cond, 0.0, g), y)


nondifferentiable(
    math.comb,
    math.factorial,
    math.perm,
    math.gcd,
    math.isclose,
    np.isclose,
    np.allclose,
    np.not_equal,
    np.greater_equal,
    np.less_equal,
    np.signbit,
    np.floor,
    np.ceil,
    np.round,
    np.around,
    np.rint,
    np.trunc,
    np.fix,
    math.floor,
    math.ceil,
    math.trunc,
    builtins.round,
    np.sign,
    builtins.int,
    builtins.bool,
    builtins.len,
    builtins.range,
    np.isnan,
    np.isinf,
    np.isfinite,
    math.isnan,
    math.isinf,
    math.isfinite,
    np.heaviside,
    np.greater,
    np.less,
    np.equal,
    np.logical_and,
    np.logical_or,
    np.logical_not,
    builtins.isinstance,
    builtins.print,
    np.argmax,
    np.argmin,
    np.argsort,
    np.shape,
    np.size,
    np.ndim,
    "method:argmax",
    "method:argmin",
    "method:argsort",
    "attr:shape",
    "attr:ndim",
    "attr:size",
    "attr:dtype",
)

from ..runtime.values import stop_gradient  # noqa: E402

nondifferentiable(stop_gradient)


@tangent(np.where, expand=True)
def where_tangent(cond, x, y):
    d[x] = np.where(cond, g, 0.0)
    d[y] = np.where(cond, 0.0, g)


@tangent("method:copy", np.copy, np.array, "method:astype")
def copy_tangent(x, *args):
    # the primal makes a new array, so its tangent must not alias the operand's
    d[x] = copy_value(g)
