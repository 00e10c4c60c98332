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


# ---------------------------------------------------------------- forward mode
from .registry import tangent  # noqa: E402


@tangent(np.sum, "method:sum")
def sum_tangent(x, axis=None):
    d[x] = sum_along(g, axis)


@tangent(np.mean, "method:mean")
def mean_tangent(x, axis=None):
    d[x] = sum_along(g, axis) / mean_count(x, axis)


@tangent(np.prod, "method:prod")
def prod_tangent(x, axis=None):
    d[x] = sum_along(unreduce(z, x, axis) * g / x, axis)


@tangent(np.max, np.amax, np.min, np.amin, "method:max", "method:min")
def max_tangent(x, axis=None):
    d[x] = sum_along(reduce_adjoint_max(unreduce_ones(z), z, x, axis) * g, axis)


@tangent(np.linalg.norm)
def norm_tangent(x):
    d[x] = np.sum(x * g) / z
