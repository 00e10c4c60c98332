"""Reads and writes of array elements and slices, mostly inside loops, on local arrays."""

import numpy as np

from .case import Case, rnd


def elem_write_local(x):
    n = x.shape[0]
    y = np.zeros(n)
    for i in range(n):
        y[i] = x[i] ** 2 * (i + 1)
    return np.sum(y * x)


def elem_write_empty(x):
    n = x.shape[0]
    y = np.empty(n)
    for i in range(n):
        y[i] = np.sin(x[i]) + x[i]
    return np.sum(y * y)


def elem_read_2d(A):
    s = 0.0
    for i in range(A.shape[0]):
        for j in range(A.shape[1]):
            s = s + A[i, j] * A[i, j] * (i - j)
    return s


def elem_write_2d(x):
    n = x.shape[0]
    M = np.zeros((n, n))
    for i in range(n):
        for j in range(n):
            M[i, j] = x[i] * x[j] + i
    return np.sum(M * M)


def negative_index(x):
    return x[-1] * x[-2] + x[0]


def int_arg_index(x, k):
    return x[k] * x[k] * x[k - 1]


def slice_read(x):
    return np.sum(x[1:4] * x[2:5])


def slice_read_step(x):
    return np.sum(x[::2] * x[1::2])


def slice_read_negative(x):
    return np.sum(x[-3:] ** 2) + np.sum(x[:-3])


def slice_var_bounds(x, a, b):
    return np.sum(x[a:b] ** 3)


def slice_write_shift(x):
    y = np.zeros_like(x)
    y[1:] = x[:-1] * 2.0
    y[0] = x[-1]
    return np.sum(y * y * x)


def slice_write_in_loop(A):
    n = A.shape[0]
    out = np.zeros((n, A.shape[1]))
    for i in range(n):
        out[i, :] = A[i, :] * (i + 1.0) + A[n - 1 - i, :]
    return np.sum(out**2)


def row_col_slices(A):
    return np.sum(A[0, :] * A[1, :]) + np.sum(A[:, 1] ** 2) + np.sum(A[1:3, 0:2])


def cumulative_sum(x):
    n = x.shape[0]
    c = np.zeros(n)
    c[0] = x[0]
    for i in range(1, n):
        c[i] = c[i - 1] + x[i]
    return np.sum(c * c)


def prefix_product(x):
    n = x.shape[0]
    c = np.ones(n)
    for i in range(1, n):
        c[i] = c[i - 1] * x[i - 1]
    return np.sum(c)


def stencil_laplacian(x):
    y = np.zeros_like(x)
    y[1:-1] = x[:-2] - 2.0 * x[1:-1] + x[2:]
    return np.sum(y * y)


def overwrite_element(x):
    y = np.ones(4)
    y[2] = x[0]
    y[2] = y[2] * x[1]
    y[0] = y[2] + x[2]
    return np.sum(y * y)


def aug_assign_element(x):
    y = np.zeros(3)
    for i in range(x.shape[0]):
        y[i % 3] += x[i] ** 2
    return np.sum(y * y)


def aug_assign_slice(x):
    y = x * 1.0
    y[1:] += x[:-1]
    y[:2] *= 3.0
    return np.sum(y**3)


def copy_then_modify(x):
    y = x.copy()
    y[0] = 2.0 * y[0]
    y[1] = y[0] * y[2]
    return np.sum(y**3)


def recurrence_in_place(x):
    y = x.copy()
    for i in range(1, y.shape[0]):
        y[i] = 0.5 * y[i - 1] + np.sin(y[i])
    return np.sum(y)


def gather_by_int_array(x):
    s = 0.0
    idx = np.array([3, 0, 2, 2])
    for k in range(idx.shape[0]):
        s = s + x[idx[k]] * (k + 1.0)
    return s * s


def matrix_vector_loops(A, x):
    n = A.shape[0]
    y = np.zeros(n)
    for i in range(n):
        acc = 0.0
        for j in range(A.shape[1]):
            acc = acc + A[i, j] * x[j]
        y[i] = acc
    return np.sum(y * y)


def row_assign_2d_slice(A):
    B = np.zeros((2, 3))
    B[0] = A[1]
    B[1, 1:] = A[0, :2] * A[2, 1:]
    return np.sum(B * B)


def fresh_sum_written(x):  # y is new, its tangent must not be x's (found by probing)
    y = x + 1.0
    y[0] = y[0] * x[1]
    return np.sum(y * x)


def row_scaled_outer(M):  # the fuzzer's seed 818160, shrunk: hvp wrote into a row's tangent
    u = M[0, 0] * M[2]
    return np.sum(u[2] * (M + np.outer(M[1], u)))


CASES = [
    Case(elem_write_local, (rnd(30, 5),)),
    Case(elem_write_empty, (rnd(31, 4),)),
    Case(elem_read_2d, (rnd(32, (3, 4)),)),
    Case(elem_write_2d, (rnd(33, 4),)),
    Case(negative_index, (rnd(34, 5),)),
    Case(int_arg_index, (rnd(35, 6), 3)),
    Case(slice_read, (rnd(36, 6),)),
    Case(slice_read_step, (rnd(37, 6),)),
    Case(slice_read_negative, (rnd(38, 7),)),
    Case(slice_var_bounds, (rnd(39, 8), 2, 6)),
    Case(slice_write_shift, (rnd(40, 5),)),
    Case(slice_write_in_loop, (rnd(41, (4, 3)),)),
    Case(row_col_slices, (rnd(42, (4, 3)),)),
    Case(cumulative_sum, (rnd(43, 6),)),
    Case(prefix_product, (rnd(44, 5, 0.5, 1.5),)),
    Case(stencil_laplacian, (rnd(45, 7),)),
    Case(overwrite_element, (rnd(46, 3),)),
    Case(aug_assign_element, (rnd(47, 7),)),
    Case(aug_assign_slice, (rnd(48, 5),)),
    Case(copy_then_modify, (rnd(49, 4),)),
    Case(recurrence_in_place, (rnd(50, 6),)),
    Case(gather_by_int_array, (rnd(51, 4),)),
    Case(matrix_vector_loops, (rnd(52, (3, 4)), rnd(53, 4)), wrt=(0, 1)),
    Case(row_assign_2d_slice, (rnd(54, (3, 3)),)),
    Case(fresh_sum_written, (rnd(55, 4),)),
    Case(row_scaled_outer, (rnd(56, (3, 3)),)),
]
