"""Scalars of several dtypes, broadcasting (gradients reduced to each input's shape), multiple wrt."""

import numpy as np

from .case import Case, rnd


def scalar_times_array(a, x):
    return np.sum(a * x * x) + a * a


def array_plus_scalar(x, b):
    return np.sum((x + b) ** 2)


def col_plus_row(c, r):
    return np.sum((c + r) ** 2 * r)


def matrix_times_row(A, v):
    return np.sum(np.sin(A * v))


def matrix_times_col(A, c):
    return np.sum((A - c) ** 2)


def broadcast_3d(A, v):
    return np.sum((A * v) ** 2)


def broadcast_in_loop(A, v):
    B = A
    for _ in range(3):
        B = np.tanh(B * v + 0.1)
    return np.sum(B)


def float32_array(x):
    return np.sum(x * x * np.float32(0.5) + np.sin(x))


def float32_scalar_array(a, x):
    return np.sum(a * x * x)


def float32_loop(x):
    s = np.float32(0.0)
    for i in range(x.shape[0]):
        s = s + x[i] * x[i]
    return s


def float64_scalar_array(a, x):
    return np.sum(np.exp(a * x))


def wrt_first_and_third(x, n, y):
    s = 0.0
    for i in range(n):
        s = s + x * y**i
    return s


def wrt_reversed_order(x, y, z):
    return x * y * y + np.sin(z) * x


def wrt_single_tuple(x, y):
    return np.sum(x * y)


def wrt_middle_only(x, y, z):
    return np.sum(x * y * z)


def wrt_all_three_arrays(x, y, z):
    return np.sum(x * y) + np.dot(y, z) ** 2 + np.sum(x * z * z)


def wrt_scalar_and_array(a, x, b):
    return np.sum(np.exp(-a * x) * b) + a * b


CASES = [
    Case(scalar_times_array, (1.3, rnd(130, 4)), wrt=(0, 1)),
    Case(array_plus_scalar, (rnd(131, 5), 0.4), wrt=(0, 1)),
    Case(col_plus_row, (rnd(132, (3, 1)), rnd(133, 4)), wrt=(0, 1), note="(3,1)+(4,)"),
    Case(matrix_times_row, (rnd(134, (2, 3)), rnd(135, 3)), wrt=(0, 1)),
    Case(matrix_times_col, (rnd(136, (3, 2)), rnd(137, (3, 1))), wrt=(0, 1)),
    Case(broadcast_3d, (rnd(138, (2, 1, 3)), rnd(139, (4, 1))), wrt=(0, 1)),
    Case(broadcast_in_loop, (rnd(140, (3, 1)), rnd(141, 2)), wrt=(0, 1)),
    Case(float32_array, (rnd(142, 5, dtype=np.float32),)),
    Case(float32_scalar_array, (np.float32(1.5), rnd(143, 4, dtype=np.float32)), wrt=(0, 1)),
    Case(float32_loop, (rnd(144, 5, dtype=np.float32),)),
    Case(float64_scalar_array, (np.float64(0.7), rnd(145, 4)), wrt=(0, 1)),
    Case(wrt_first_and_third, (0.8, 4, 1.1), wrt=(0, 2)),
    Case(wrt_reversed_order, (0.8, 1.2, 0.4), wrt=(2, 0)),
    Case(wrt_single_tuple, (rnd(146, 3), rnd(147, 3)), wrt=(1,)),
    Case(wrt_middle_only, (rnd(148, 3), rnd(149, 3), rnd(150, 3)), wrt=1),
    Case(wrt_all_three_arrays, (rnd(151, 3), rnd(152, 3), rnd(153, 3)), wrt=(0, 1, 2)),
    Case(wrt_scalar_and_array, (0.6, rnd(154, 4), 1.2), wrt=(0, 2)),
]
