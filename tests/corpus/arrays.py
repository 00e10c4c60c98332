"""Reductions, linear algebra, reshaping/joining and array creation."""

import numpy as np

from .case import Case, rnd


# ---- reductions -----------------------------------------------------------


def red_sum(x):
    return np.sum(x * x) + np.sum(x)


def red_sum_axis0(A):
    return np.sum(np.sum(A * A, axis=0) ** 2)


def red_sum_axis1(A):
    return np.sum(np.sum(A, axis=1) ** 3)


def red_mean(x):
    return np.mean(x * x) * np.mean(x)


def red_mean_axis(A):
    return np.sum(np.mean(A, axis=0) * np.mean(A * A, axis=1)[0])


def red_prod(x):
    return np.prod(x) + np.prod(x * x)


def red_max_min(x):
    return np.max(x) * np.min(x) + np.max(x * x)


def red_max_axis(A):
    return np.sum(np.max(A, axis=1) ** 2) + np.sum(np.min(A, axis=0))


def red_sum_method(x):
    return (x * x).sum() + x.mean()


# ---- linear algebra -------------------------------------------------------


def la_dot_vec(x, y):
    return np.dot(x, y) * np.dot(x, x)


def la_dot_matvec(A, x):
    y = np.dot(A, x)
    return np.dot(y, y)


def la_matmul(A, B):
    return np.sum(np.matmul(A, B) ** 2)


def la_matmul_operator(A, x):
    y = A @ x
    z = A.T @ y
    return np.sum(z * z)


def la_outer(x, y):
    return np.sum(np.outer(x, y) ** 2 * np.outer(y, x).T)


def la_inner(x, y):
    return np.inner(x, y) ** 2


def la_quadratic_form(A, x):
    return x @ (A @ x)


# ---- shape manipulation ---------------------------------------------------


def shape_reshape(x):
    A = np.reshape(x, (2, 3))
    return np.sum(np.sum(A, axis=0) ** 2) + np.sum(x.reshape((3, 2))[:, 0] ** 3)


def shape_transpose(A):
    B = np.transpose(A)
    return np.sum(B[0, :] * A[:, 1]) + np.sum((A.T @ A) ** 2)


def shape_concatenate(x, y):
    z = np.concatenate((x, y * y))
    return np.sum(z * np.arange(z.shape[0]))


def shape_stack(x, y):
    S = np.stack((x, y * 2.0, x * y))
    return np.sum(S**2 * np.sum(S, axis=0))


def shape_ravel_sum(A):
    v = A.ravel()
    return np.sum(v * v) * v[1]


# ---- creation -------------------------------------------------------------


def create_zeros_ones(x):
    z = np.zeros(x.shape[0])
    o = np.ones(x.shape[0])
    return np.sum((z + x) * (o + x))


def create_zeros_like(x):
    y = np.zeros_like(x)
    y = y + x * 2.0
    o = np.ones_like(x)
    return np.sum(y * y + o * x)


def create_arange(x):
    w = np.arange(x.shape[0])
    return np.sum(w * x * x) + np.sum(np.arange(1.0, 4.0) * x[:3])


def create_linspace(x):
    t = np.linspace(0.0, 1.0, x.shape[0])
    return np.sum(np.sin(t * x) * x)


def create_empty_fill(x):
    y = np.empty((x.shape[0], 2))
    for i in range(x.shape[0]):
        y[i, 0] = x[i]
        y[i, 1] = x[i] * x[i]
    return np.sum(y[:, 0] * y[:, 1])


def create_zeros_2d(x):
    M = np.zeros((3, 3))
    M[0, :] = x
    M[2, :] = x * x
    return np.sum(M @ x)


def create_full_identity(x):
    eye = np.eye(3)
    F = np.full(3, 2.0)
    return np.sum((eye @ x) * F * x)


CASES = [
    Case(red_sum, (rnd(90, 5),)),
    Case(red_sum_axis0, (rnd(91, (3, 4)),)),
    Case(red_sum_axis1, (rnd(92, (3, 4)),)),
    Case(red_mean, (rnd(93, 5),)),
    Case(red_mean_axis, (rnd(94, (3, 4)),), numba=False, note="numba: np.mean has no axis="),
    Case(red_prod, (rnd(95, 4, 0.5, 1.5),)),
    Case(red_max_min, (np.array([0.3, -1.2, 0.9, 0.1, -0.4]),)),
    Case(
        red_max_axis,
        (np.array([[0.3, -1.2, 0.9], [0.1, -0.4, 0.7], [1.5, 0.2, -0.6]]),),
        numba=False,
        note="numba: np.max/np.min have no axis=",
    ),
    Case(red_sum_method, (rnd(96, 5),)),
    Case(la_dot_vec, (rnd(97, 4), rnd(98, 4)), wrt=(0, 1)),
    Case(la_dot_matvec, (rnd(99, (3, 4)), rnd(100, 4)), wrt=(0, 1)),
    Case(
        la_matmul,
        (rnd(101, (2, 3)), rnd(102, (3, 4))),
        wrt=(0, 1),
        numba=False,
        note="numba: no np.matmul (only @)",
    ),
    Case(la_matmul_operator, (rnd(103, (3, 3)), rnd(104, 3)), wrt=(0, 1)),
    Case(la_outer, (rnd(105, 3), rnd(106, 3)), wrt=(0, 1)),
    Case(la_inner, (rnd(107, 4), rnd(108, 4)), wrt=(0, 1), numba=False, note="numba: no np.inner"),
    Case(la_quadratic_form, (rnd(109, (3, 3)), rnd(110, 3)), wrt=(0, 1)),
    Case(shape_reshape, (rnd(111, 6),)),
    Case(shape_transpose, (rnd(112, (3, 2)),)),
    Case(shape_concatenate, (rnd(113, 3), rnd(114, 2)), wrt=(0, 1)),
    Case(shape_stack, (rnd(115, 4), rnd(116, 4)), wrt=(0, 1)),
    Case(shape_ravel_sum, (rnd(117, (2, 3)),)),
    Case(create_zeros_ones, (rnd(118, 4),)),
    Case(create_zeros_like, (rnd(119, 4),)),
    Case(create_arange, (rnd(120, 5),)),
    Case(create_linspace, (rnd(121, 5),)),
    Case(create_empty_fill, (rnd(122, 4),)),
    Case(create_zeros_2d, (rnd(123, 3),)),
    Case(create_full_identity, (rnd(124, 3),)),
]
