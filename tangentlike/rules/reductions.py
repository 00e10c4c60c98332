"""Adjoints of reductions: the result's adjoint is spread back over the reduced axis."""
import numpy as np

from .registry import adjoint


@adjoint(np.sum, "method:sum")
def sum(x, axis=None):
    d[x] = unreduce(g, x, axis)


@adjoint(np.mean, "method:mean")
def mean(x, axis=None):
    d[x] = unreduce(g, x, axis) / mean_count(x, axis)


@adjoint(np.prod, "method:prod")
def prod(x, axis=None):
    d[x] = unreduce(g * z, x, axis) / x


@adjoint(np.max, np.amax, np.min, np.amin, "method:max", "method:min")
def max(x, axis=None):
    # ties share the adjoint evenly
    d[x] = reduce_adjoint_max(g, z, x, axis)


@adjoint(np.linalg.norm)
def norm(x):
    d[x] = g * x / z
