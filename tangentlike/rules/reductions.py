"""Adjoints of reductions: the result's adjoint is spread back over the reduced axes.

``axis`` is None, an int or a tuple; ``keepdims`` and ``dtype`` are honoured (the
adjoint is float64 whatever the result's dtype; ``cast_like`` gives the gradient its
input's dtype); ``out=`` is refused (registry.DEFAULT_ONLY).
"""

import builtins

import numpy as np

from .registry import adjoint, tangent


@adjoint(np.sum, "method:sum")
def sum(x, axis=None, dtype=None, out=None, keepdims=False):
    d[x] = unreduce(g, x, axis, keepdims)


@adjoint(np.mean, "method:mean")
def mean(x, axis=None, dtype=None, out=None, keepdims=False):
    d[x] = unreduce(g, x, axis, keepdims) / mean_count(x, axis)


@adjoint(np.prod, "method:prod")
def prod(x, axis=None, dtype=None, out=None, keepdims=False):
    # the product of the other elements (prefix and suffix products): exact at zeros
    d[x] = unreduce(g, x, axis, keepdims) * prod_others(x, axis)


@adjoint(np.max, np.amax, np.min, np.amin, "method:max", "method:min")
def max(x, axis=None, out=None, keepdims=False):
    # ties share the adjoint evenly
    d[x] = reduce_adjoint_max(g, z, x, axis, keepdims)


@adjoint(np.median, fixed=("overwrite_input",))
def median(x, axis=None, out=None, overwrite_input=False, keepdims=False):
    # the middle element of each slice, or the mean of the two middle ones
    d[x] = unreduce(g, x, axis, keepdims) * median_weights(x, axis)


@adjoint(np.var, "method:var")
def var(x, axis=None, dtype=None, out=None, ddof=0, keepdims=False):
    d[x] = unreduce(g, x, axis, keepdims) * (2.0 / (mean_count(x, axis) - ddof)) * centered(x, axis)


@adjoint(np.std, "method:std")
def std(x, axis=None, dtype=None, out=None, ddof=0, keepdims=False):
    # a constant x (zero deviation) has no derivative: std_adjoint gives 0 there
    d[x] = std_adjoint(g, z, x, axis, keepdims, ddof)


# ---------------------------------------------------------------- forward mode
@tangent(np.sum, "method:sum")
def sum_tangent(x, axis=None, dtype=None, out=None, keepdims=False):
    d[x] = sum_along(g, axis, keepdims)


@tangent(np.mean, "method:mean")
def mean_tangent(x, axis=None, dtype=None, out=None, keepdims=False):
    d[x] = sum_along(g, axis, keepdims) / mean_count(x, axis)


@tangent(np.prod, "method:prod")
def prod_tangent(x, axis=None, dtype=None, out=None, keepdims=False):
    d[x] = sum_along(prod_others(x, axis) * g, axis, keepdims)


@tangent(np.max, np.amax, np.min, np.amin, "method:max", "method:min")
def max_tangent(x, axis=None, out=None, keepdims=False):
    d[x] = sum_along(reduce_adjoint_max(unreduce_ones(z), z, x, axis, keepdims) * g, axis, keepdims)


@tangent(np.median)
def median_tangent(x, axis=None, out=None, overwrite_input=False, keepdims=False):
    d[x] = sum_along(median_weights(x, axis) * g, axis, keepdims)


@tangent(np.var, "method:var")
def var_tangent(x, axis=None, dtype=None, out=None, ddof=0, keepdims=False):
    d[x] = sum_along(centered(x, axis) * g, axis, keepdims) * (2.0 / (mean_count(x, axis) - ddof))


@tangent(np.std, "method:std")
def std_tangent(x, axis=None, dtype=None, out=None, ddof=0, keepdims=False):
    d[x] = sum_along(std_adjoint(unreduce_ones(z), z, x, axis, keepdims, ddof) * g, axis, keepdims)


# ---------------------------------------------------------------- running sums/products
@adjoint(np.cumsum, "method:cumsum")
def cumsum(x, axis=None, dtype=None, out=None):
    d[x] = cumsum_adjoint(g, x, axis)


@tangent(np.cumsum, "method:cumsum")
def cumsum_tangent(x, axis=None, dtype=None, out=None):
    d[x] = cumsum_along(g, axis)


@adjoint(np.cumprod, "method:cumprod")
def cumprod(x, axis=None, dtype=None, out=None):
    d[x] = cumprod_adjoint(g, z, x, axis)


@tangent(np.cumprod, "method:cumprod")
def cumprod_tangent(x, axis=None, dtype=None, out=None):
    d[x] = cumprod_tangent(g, z, x, axis)


# ---------------------------------------------------------------- builtins
# sum(v): over the first axis of an array, or the items of a list (literal lists and
# max/min of several values are folded into + and two-argument calls by the builder)
@adjoint(builtins.sum)
def builtin_sum(x, start=0):
    d[x] = sum_items_adjoint(g, x)
    d[start] = unbroadcast(g, start)


@tangent(builtins.sum)
def builtin_sum_tangent(x, start=0):
    d[x] = sum_items(g)
    d[start] = g
