"""Functions for tests/test_semantics.py (module-level: tangentlike reads their source)."""

import math

import numpy as np


def shape_change(x):  # a vector, then its sum, then the square
    x = np.sum(x)
    x = x * x
    return x


def shape_change_arg_rows(x, w):  # a matrix argument becomes a row, then a number
    x = x[1] * w
    x = np.sum(x * x)
    return x + w[0]


def number_then_array(x):  # a number, then an array (s = 0.0; s = s + ...)
    s = 0.0
    s = s + x * x
    s = np.sum(s)
    return s * s


def list_append(a, b):
    xs = []
    xs.append(a * 2.0)
    xs.append(b * a)
    return xs[0] + xs[1]


def list_extend(a, b):
    xs = [a]
    xs += [b * a, math.sin(b)]
    return xs[0] * xs[1] + xs[2]


def list_in_loop(x):
    xs = []
    for i in range(3):
        t = x[i] * x[i]
        xs.append(t * x[0])
    s = 0.0
    for k in range(3):
        s = s + xs[k] * x[k]
    return s


def list_reads_last(a, b):
    xs = [a]
    xs.append(xs[-1] * b)
    xs.append(xs[-1] * b)
    return xs[-1] + xs[0]


def list_literal_index(a, b, c):
    i = 1
    return [a, b, c][i] * a + [[a, b], [c, a]][1][0] * b


def list_nested(a, b):
    m = [[a, b], [b * a, a]]
    return m[1][0] + m[0][1] * a


def list_concatenated(a, b):
    xs = [a]
    xs = xs + [b]
    return xs[0] * xs[1]


G = np.zeros(3)


def writes_global(x):
    G[0] = x * 2.0
    return G[0] * x


def writes_global_alias(x):
    g = G
    g[1] = x
    return x * 2.0


def writes_view_of_input(x, y):  # y is not differentiated; z is a view of it
    z = y.reshape(2, 2)
    z[0, 0] = x[0]
    return np.sum(z * x[1])


def writes_input(x):
    x[0] = x[0] * 3.0
    return np.sum(x * x)


def reassigns_other_arg(x, s):  # s is not in wrt, but varies with x in the loop
    for i in range(2):
        s = s * x
    return x * s


def reassigns_other_arg_branch(x, s):
    if x > 0:
        s = s * 2.0
    s = s + x
    return x * x * s


def wrong_rule_primal(x):
    return np.sin(x)


def kinked(x):
    return np.abs(x) * 2.0


def list_in_branch(a, v):  # the list exists on one path only
    if a < -0.5:
        return a
    xs = []
    xs.append(v[2] * a)
    return xs[-1]


def _scale_param(x, y, c=0.5):  # reassigns a parameter the caller passes a constant to
    x *= y
    return (c, x)


def calls_helper_with_constant(a, v):
    c, s = _scale_param(0.3, a)
    return c * s + s * a + np.sum(v) * s


def reassigns_matrix_arg(a, v, M):  # M is not in wrt; its new value depends on v
    M = np.outer(v, M[1])
    return np.sum(M * M) * a


def writes_through_transpose(x):
    D = np.ones((3, 3))
    D.T[:] -= x
    return np.sum(D * D)


def writes_row_alias_then_reads(x):
    M = np.ones((2, 3))
    row = M[0]
    row[1] = x[0] * 2.0
    return np.sum(M * x)


def row_from_number(x):  # a number broadcast into a row
    h = np.zeros((3, 4))
    for t in range(3):
        h[t] = x[t]
    return np.sum(h * h)


def _pair(x):
    return x * 2.0, x * x


def indexes_tuple_result(x):
    return _pair(x)[1] + _pair(x * 3.0)[-2]


def conditional_argument(x):
    a, b = _pair(x if x > 0 else -x)
    return a + b * x


def adds_into_other_input(x, y):  # y is not differentiated, but written from x
    y[1:3] += x[0:2]
    return np.sum(y * y) + np.sum(x)


def overwrites_other_input(x, y):
    y[:] = x * 2.0
    y[0] = y[1] * x[2]
    return np.sum(y * x)


def argument_becomes_row_in_branch(x, c):  # Numba would refuse: x's type changes
    if c > 0:
        x = x[0] * 2.0
    return np.sum(x * x)
