"""Calls to other module-level functions (kwargs, defaults, nesting, in loops), globals, integer values."""

import math

import numpy as np

from .case import Case, rnd

SCALE = 2.5
OFFSET = 0.75
N_STEPS = 5
COEFFS = np.array([0.5, -1.0, 2.0, 0.25])
WEIGHTS = np.array([1.0, 2.0, -0.5, 0.3, 1.5])


def _sq(x):
    return x * x


def _affine(x, a=2.0, b=1.0):
    return a * x + b


def _pair(x):
    return x * 2.0, x + 1.0


def _f1(x):
    return np.sin(x) + x


def _f2(x, k=3.0):
    return _f1(x * k) * x


def _f3(x):
    return _f2(x, k=0.5) + _f1(x)


def _horner(x, c):
    acc = 0.0
    for i in range(c.shape[0]):
        acc = acc * x + c[i]
    return acc


def _norm2(v):
    return np.sum(v * v)


def _soft_relu(x, threshold=0.0):
    if x > threshold:
        return x * x
    return 0.1 * x


def _scaled(x):
    return SCALE * x + OFFSET


def _step(y, dt):
    return y + dt * (-0.5 * y + np.sin(y))


def call_simple(x):
    return _sq(x) + _sq(2.0 * x)


def call_kwargs(x, y):
    return _affine(x, b=y) * _affine(y, a=x)


def call_defaults(x):
    return _affine(x) + _affine(x, 3.0) + _affine(x, b=-2.0)


def call_all_kwargs_reordered(x, y):
    return _affine(b=x * x, x=y, a=x)


def call_nested(x):
    return _sq(_affine(_sq(x), a=0.5))


def call_chain_depth3(x):
    return _f3(x) * x


def call_returns_tuple(x):
    a, b = _pair(x)
    return a * b


def call_in_loop(x):
    s = 0.0
    for i in range(4):
        s = s + _affine(x, a=i + 1.0, b=s)
    return s


def call_in_loop_array(y0):
    y = y0
    for _ in range(N_STEPS):
        y = _step(y, 0.1)
    return np.sum(y)


def call_with_branch(x, y):
    return _soft_relu(x) + _soft_relu(y, threshold=-1.0) + _soft_relu(y)


def call_with_loop_and_array(x):
    return _horner(x, COEFFS)


def call_array_callee(x):
    return _norm2(x) / _norm2(x + 1.0)


def call_uses_global(x):
    return _scaled(x) * _scaled(x * x)


def global_constants(x):
    return SCALE * x**2 + OFFSET * x + math.pi


def global_array(x):
    return np.sum(WEIGHTS * x * x)


def global_loop_bound(x):
    s = x
    for _ in range(N_STEPS):
        s = s * 0.5 + np.cos(s)
    return s


def int_len_shape(x):
    n = len(x)
    m = x.shape[0]
    return np.sum(x * x) * n / m + x[n - 1] * m


def int_size_ndim(A):
    return np.sum(A**2) / A.size + A.ndim * A[0, 0]


def int_arithmetic_index(x):
    n = x.shape[0]
    mid = n // 2
    last = n - 1
    return x[mid] * x[last] + x[mid - 1] * (mid + last)


def int_counter_weights(x):
    s = 0.0
    k = 0
    for v in x:
        k += 2
        s = s + k * v * v
    return s / k


def math_callee(x):
    return _sq(math.sin(x)) + math.exp(_affine(x, a=-1.0))


CASES = [
    Case(call_simple, (0.8,)),
    Case(call_kwargs, (0.7, 1.3), wrt=(0, 1)),
    Case(call_defaults, (1.1,)),
    Case(call_all_kwargs_reordered, (0.6, 1.4), wrt=(0, 1)),
    Case(call_nested, (0.9,)),
    Case(call_chain_depth3, (0.4,)),
    Case(call_returns_tuple, (1.2,)),
    Case(call_in_loop, (0.5,)),
    Case(call_in_loop_array, (rnd(60, 4),)),
    Case(call_with_branch, (0.6, -0.4), wrt=(0, 1)),
    Case(call_with_loop_and_array, (1.3,)),
    Case(call_array_callee, (rnd(61, 5),)),
    Case(call_uses_global, (0.9,)),
    Case(global_constants, (1.4,)),
    Case(global_array, (rnd(62, 5),)),
    Case(global_loop_bound, (0.3,)),
    Case(int_len_shape, (rnd(63, 5),)),
    Case(int_size_ndim, (rnd(64, (2, 3)),)),
    Case(int_arithmetic_index, (rnd(65, 6),)),
    Case(int_counter_weights, (rnd(66, 4),)),
    Case(math_callee, (0.7,)),
]
