"""Assignments (plain, augmented, tuple unpacking, swap, chained) and arithmetic operators."""

import numpy as np

from .case import Case, rnd


def plain_assign(x):
    a = x
    b = a * 2.0
    c = b + x
    return c * c


def reassign_same_name(x):
    y = x * x
    y = y + x
    y = np.sin(y)
    return y


def aug_add(x, y):
    s = x
    s += y
    s += 3.0 * x * y
    return s * y


def aug_sub(x):
    s = 10.0
    s -= x
    s -= x * x
    return s * s


def aug_mul(x):
    p = 1.0
    p *= x
    p *= x + 1.0
    p *= 2.0
    return p


def aug_div(x, y):
    q = x
    q /= y
    q /= 2.0
    return q + x / y


def aug_ops_array(x):
    y = x * 1.0
    y += 1.0
    y *= x
    y -= 0.5
    y /= 3.0
    return np.sum(y * y)


def aug_array_elements(x):
    y = x.copy()
    y[0] += x[1]
    y[1] *= x[2]
    y[2] -= x[0] * x[0]
    y[3] /= x[1]
    return np.sum(y * y)


def tuple_unpack(x, y):
    a, b = x * y, x + y
    return a * b


def tuple_unpack_three(x):
    a, b, c = x, x * x, x * x * x
    return a + 2.0 * b + 3.0 * c


def array_unpack(x):
    a, b, c = x[0], x[1], x[2]
    return a * b + c * c


def swap(x, y):
    a, b = x, y
    a, b = b, a
    return a * 3.0 + b * b


def swap_in_loop(x, y):
    a = x
    b = y
    for _ in range(3):
        a, b = b, a * b
    return a + b


def chained_assign(x):
    a = b = x * 2.0
    a = a + 1.0
    return a * b


def chained_assign_three(x, y):
    a = b = c = x + y
    b = b * x
    c = c * c
    return a + b + c


def arith_ops(x, y):
    return x + y - x * y + x / y + x**3 - y**2.5


def floor_div(x, y):
    k = x // y
    return k * x + y * y


def floor_div_array(x):
    k = x // 0.3
    return np.sum(k * x * x)


def unary_minus(x):
    return -x * -(x + 1.0) + (-x) ** 2


def unary_minus_array(x):
    y = -x
    return np.sum(-y * x - (-x) ** 3)


def pow_variants(x, y):
    return x**2 + 2.0**x + x**y + y**0.5


def pow_int_arg(x, n):
    return x**n + x ** (n - 1)


def pow_negative_exponent(x):
    return x**-2 + x**-0.5


def float32_scalar_arith(x, y):
    z = x * y + x / y
    z = z - y * y
    return z * x


def float64_scalar_arith(x, y):
    z = (x - y) ** 2
    z /= x
    return z + y * 0.5


def operator_precedence(x, y):
    return x + y * x**2 / (1.0 + y) - -x * y


CASES = [
    Case(plain_assign, (1.3,)),
    Case(reassign_same_name, (0.7,)),
    Case(aug_add, (1.1, -0.4), wrt=(0, 1)),
    Case(aug_sub, (0.9,)),
    Case(aug_mul, (1.7,)),
    Case(aug_div, (2.0, 1.3), wrt=(0, 1)),
    Case(aug_ops_array, (rnd(1, 5),)),
    Case(aug_array_elements, (rnd(2, 4, 0.5, 1.5),)),
    Case(tuple_unpack, (0.8, 1.9), wrt=(0, 1)),
    Case(tuple_unpack_three, (1.2,)),
    Case(array_unpack, (rnd(3, 3),)),
    Case(swap, (0.7, 1.6), wrt=(0, 1)),
    Case(swap_in_loop, (1.1, 0.9), wrt=(0, 1)),
    Case(chained_assign, (0.6,)),
    Case(chained_assign_three, (0.6, 0.3), wrt=(0, 1)),
    Case(arith_ops, (1.4, 0.8), wrt=(0, 1)),
    Case(floor_div, (3.7, 1.1), wrt=(0, 1), note="x // y has zero derivative"),
    Case(floor_div_array, (np.array([0.45, 1.05, -0.75, 2.2]),)),
    Case(unary_minus, (0.9,)),
    Case(unary_minus_array, (rnd(4, 6),)),
    Case(pow_variants, (1.3, 1.7), wrt=(0, 1)),
    Case(pow_int_arg, (1.2, 4)),
    Case(pow_negative_exponent, (1.6,)),
    Case(float32_scalar_arith, (np.float32(1.25), np.float32(0.75)), wrt=(0, 1)),
    Case(float64_scalar_arith, (np.float64(2.5), np.float64(0.5)), wrt=(0, 1)),
    Case(operator_precedence, (0.9, 1.4), wrt=(0, 1)),
]
