"""Calls the rules refuse at generation time (tests/test_rules_table.py)."""

import numpy as np
import scipy.special as sc


def sum_out(x):
    y = np.zeros(1)
    return np.sum(np.add(x, x, out=None)) + np.sum(np.sum(x, out=y))


def lse_b(x):
    return sc.logsumexp(x, b=x)


def einsum_ellipsis(x):
    return np.sum(np.einsum("...i->...", x))


def einsum_variable(x, spec):
    return np.sum(np.einsum(spec, x))


def norm_ord(x):
    return np.linalg.norm(x, "max")


def max_key(x):
    return max(x[0], x[1], key=abs)


def max_where(x):
    return np.max(x, initial=0.0)


def roll_tuple(x):
    m = np.outer(x, x)
    return np.sum(np.roll(m, (1, 2), axis=(0, 1)) * m)


def diff_prepend(x):
    return np.sum(np.diff(x, prepend=0.0) ** 2)


def interp_left(x):
    return np.sum(np.interp(x, np.array([0.0, 1.0]), x[:2], left=0.0))
