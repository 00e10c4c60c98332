"""math-module functions on scalars and numpy elementwise functions on arrays."""

import math

import numpy as np

from .case import Case, rnd


# ---- math module, scalars -------------------------------------------------


def math_trig(x):
    return math.sin(x) * math.cos(x) + math.tan(x)


def math_inverse_trig(x):
    return math.asin(x) + 2.0 * math.acos(x) + math.atan(x)


def math_atan2(y, x):
    return math.atan2(y, x) * x


def math_hyperbolic(x):
    return math.sinh(x) + math.cosh(x) * math.tanh(x)


def math_exp_log(x):
    return math.exp(x) + math.expm1(0.5 * x) + math.log(x) + math.log1p(x)


def math_log_bases(x):
    return math.log2(x) * math.log10(x + 1.0)


def math_sqrt_cbrt(x):
    return math.sqrt(x) + math.cbrt(x) * x


def math_pow_hypot(x, y):
    return math.pow(x, y) + math.hypot(x, y)


def math_erf(x):
    return math.erf(x) * x + math.erf(2.0 * x)


def builtin_abs(x, y):
    return abs(x) * y + abs(y - x)


def math_floor_round(x):
    return math.floor(x) * x + round(x) * x * x


def math_in_loop(x):
    s = 0.0
    for i in range(x.shape[0]):
        s = s + math.erf(x[i]) + math.exp(-x[i] * x[i])
    return s


# ---- numpy elementwise on arrays ------------------------------------------


def np_trig(x):
    return np.sum(np.sin(x) * np.cos(x) + np.tan(x))


def np_inverse_trig(x):
    return np.sum(np.arcsin(x) + np.arccos(x) * x + np.arctan(x))


def np_arctan2(y, x):
    return np.sum(np.arctan2(y, x) * y)


def np_hyperbolic(x):
    return np.sum(np.sinh(x) * np.cosh(x) + np.tanh(x))


def np_exp_expm1(x):
    return np.sum(np.exp(x) + np.expm1(x) * x)


def np_log_family(x):
    return np.sum(np.log(x) + np.log1p(x) + np.log2(x) * np.log10(x))


def np_sqrt_cbrt(x):
    return np.sum(np.sqrt(x) * np.cbrt(x - 0.5))


def np_power(x, y):
    return np.sum(np.power(x, y) + np.power(x, 3.0))


def np_hypot(x, y):
    return np.sum(np.hypot(x, y) * x)


def np_abs_sign(x):
    return np.sum(np.abs(x) * x + np.sign(x) * x * x)


def np_maximum_minimum(x, y):
    return np.sum(np.maximum(x, y) * np.minimum(x, y) + np.maximum(x, 0.0))


def np_clip(x):
    return np.sum(np.clip(x, -0.5, 0.5) * x)


def np_where(x, y):
    return np.sum(np.where(x > y, x * y, x - y))


def np_where_scalar_branch(x):
    return np.sum(np.where(x > 0.0, x * x, 0.0))


def np_floor_round(x):
    return np.sum(np.floor(x) * x + np.round(x) * x * x)


def np_scalar_funcs(x):
    return np.sin(x) * np.exp(x) + np.sqrt(x) + np.log(x) + np.arctan(x)


def np_float32_elementwise(x):
    return np.sum(np.exp(x) * np.sin(x) + np.sqrt(x))


def np_composite(x):
    return np.sum(np.tanh(np.exp(-x * x) + np.log1p(np.abs(x))))


CASES = [
    Case(math_trig, (0.6,)),
    Case(math_inverse_trig, (0.35,)),
    Case(math_atan2, (0.7, -1.3), wrt=(0, 1)),
    Case(math_hyperbolic, (0.8,)),
    Case(math_exp_log, (1.3,)),
    Case(math_log_bases, (2.7,)),
    Case(math_sqrt_cbrt, (1.9,), numba=False, note="numba has no math.cbrt"),
    Case(math_pow_hypot, (1.6, 0.8), wrt=(0, 1)),
    Case(math_erf, (0.45,)),
    Case(builtin_abs, (-0.7, 1.2), wrt=(0, 1)),
    Case(math_floor_round, (2.3,)),
    Case(math_in_loop, (rnd(70, 5),)),
    Case(np_trig, (rnd(71, 5),)),
    Case(np_inverse_trig, (rnd(72, 5, -0.8, 0.8),)),
    Case(np_arctan2, (rnd(73, 4), rnd(74, 4, 0.3, 1.0)), wrt=(0, 1)),
    Case(np_hyperbolic, (rnd(75, 5),)),
    Case(np_exp_expm1, (rnd(76, 5),)),
    Case(np_log_family, (rnd(77, 5, 0.5, 3.0),)),
    Case(np_sqrt_cbrt, (np.array([0.3, 1.7, 2.2, 0.9, 1.2]),)),
    Case(np_power, (rnd(78, 4, 0.5, 2.0), rnd(79, 4, 0.5, 2.0)), wrt=(0, 1)),
    Case(np_hypot, (rnd(80, 5), rnd(81, 5)), wrt=(0, 1)),
    Case(np_abs_sign, (np.array([0.7, -0.4, 1.3, -1.1]),)),
    Case(
        np_maximum_minimum,
        (np.array([0.5, -0.2, 1.2, -0.8]), np.array([0.1, 0.3, 0.6, -1.5])),
        wrt=(0, 1),
    ),
    Case(np_clip, (np.array([-0.9, -0.2, 0.3, 0.8, 0.1]),)),
    Case(np_where, (np.array([0.5, -0.2, 1.2, -0.8]), np.array([0.1, 0.3, 0.6, -1.5])), wrt=(0, 1)),
    Case(np_where_scalar_branch, (np.array([0.5, -0.2, 1.2, -0.8]),)),
    Case(np_floor_round, (np.array([0.3, 1.2, -0.7, 2.9, -1.6]),)),
    Case(np_scalar_funcs, (np.float64(0.8),)),
    Case(np_float32_elementwise, (rnd(82, 5, 0.2, 1.5, np.float32),)),
    Case(np_composite, (np.array([0.4, -0.9, 1.3, 0.2]),)),
]
