"""Functions whose Hessian-vector products go through the adjoint helpers of det, std,
norm, einsum, solve, gammaln and xlogy (tests/test_second_order.py), and three that are
refused."""

import numpy as np
import scipy.special


def det_hvp(x):
    a = np.reshape(x, (3, 3)) + 3.0 * np.eye(3)
    return np.sin(np.linalg.det(a)) + np.linalg.det(a * a)


def std_hvp(x):
    m = np.reshape(x, (3, 3))
    return np.sin(np.std(x)) + np.sum(np.cos(np.std(m, axis=0, ddof=1))) + np.var(m)


def norm_hvp(x):
    m = np.reshape(x, (3, 3))
    rows = np.linalg.norm(m, axis=1, keepdims=True)
    return np.sin(np.linalg.norm(x)) + np.linalg.norm(m, "fro") ** 3 + np.sum(np.cos(rows))


def einsum_hvp(x):
    m = np.reshape(x, (3, 3))
    a = np.einsum("ij,jk->ik", m, np.sin(m))
    b = np.einsum("i,i->", x, np.cos(x))
    c = np.einsum("ij,jk,k->i", m, m, x[:3])
    return np.sum(np.sin(a)) + b * np.einsum("ii", m) + np.sum(c * c)


def cholesky_hvp(x):
    m = np.reshape(x, (3, 3))
    return np.sum(np.linalg.cholesky(m @ m.T + 3.0 * np.eye(3)))


def cumprod_hvp(x):
    return np.sum(np.cumprod(x))


def norm_inf_hvp(x):
    return np.linalg.norm(x, np.inf) ** 2


def solve_hvp(x):
    m = np.reshape(x, (3, 3))
    a = m @ m.T + 3.0 * np.eye(3)
    return np.sum(np.sin(np.linalg.solve(a, x[:3]))) + np.sum(np.linalg.solve(a, m))


def special_hvp(x):
    return np.sum(scipy.special.gammaln(x + 1.5)) + np.sum(scipy.special.xlogy(x, x + 2.0))
