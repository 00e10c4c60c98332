"""Vector-output functions, differentiated with tl.vjp (VJP_CASES)."""

import numpy as np

from .case import Case, rnd


def v_elementwise(x):
    return np.sin(x) * x + np.exp(-x)


def v_matvec(A, x):
    return np.tanh(A @ x)


def v_cumsum_loop(x):
    n = x.shape[0]
    c = np.zeros(n)
    c[0] = x[0]
    for i in range(1, n):
        c[i] = c[i - 1] * 0.5 + x[i] * x[i]
    return c


def v_matrix_output(x, y):
    return np.outer(x, y) * 2.0 + np.sin(x).reshape((-1, 1))


def v_scalar_input(a, x):
    return a * x * x + a * a


def v_trajectory(y0, k):
    n_steps = 6
    out = np.zeros(n_steps)
    y = y0
    for i in range(n_steps):
        y = y + 0.1 * (-k * y + np.sin(y))
        out[i] = y
    return out


def v_stencil(x):
    y = np.zeros_like(x)
    y[1:-1] = x[:-2] - 2.0 * x[1:-1] + x[2:]
    y[0] = x[0] * x[0]
    return y


def v_broadcast(c, r):
    return (c + r) ** 2


def v_float32(x):
    return x * x * np.float32(3.0)


VJP_CASES = [
    Case(v_elementwise, (rnd(200, 5),)),
    Case(v_matvec, (rnd(201, (3, 4)), rnd(202, 4)), wrt=(0, 1)),
    Case(v_cumsum_loop, (rnd(203, 5),)),
    Case(v_matrix_output, (rnd(204, 3), rnd(205, 2)), wrt=(0, 1)),
    Case(v_scalar_input, (0.7, rnd(206, 4)), wrt=(0, 1)),
    Case(v_trajectory, (0.5, 0.8), wrt=(0, 1)),
    Case(v_stencil, (rnd(207, 6),)),
    Case(v_broadcast, (rnd(208, (3, 1)), rnd(209, 4)), wrt=(0, 1)),
    Case(v_float32, (rnd(210, 4, dtype=np.float32),)),
]

CASES = []
