"""Rules for what generated derivative code calls, so it can be differentiated again
(forward over reverse: Hessian-vector products, ``tl.grad(tl.grad(f))``).

These helpers are linear in their adjoint/tangent argument; only forward-mode templates
are needed (``reverse=False`` marks the registration as forward-only).
"""

from .. import runtime as H
from .registry import adjoint, nondifferentiable, tangent

nondifferentiable(H.zeros_like, H.mean_count, H.unreduce_ones)


@adjoint(H.unbroadcast, reverse=False)
def unbroadcast(v, x):
    d[v] = g


@tangent(H.unbroadcast)
def unbroadcast_tangent(v, x):
    d[v] = unbroadcast(g, x)


@adjoint(H.cast_like, H.cast_owned, reverse=False)
def cast_like(v, x):
    d[v] = g


@tangent(H.cast_like, H.cast_owned)
def cast_like_tangent(v, x):
    d[v] = cast_like(g, x)  # a copy: the tangent may share an array with the inputs


@adjoint(H.copy_value, H.own, H.to_float, reverse=False)
def copy_value(x):
    d[x] = g


@tangent(H.copy_value, H.own, H.to_float)
def copy_value_tangent(x):
    d[x] = copy_value(g)


@adjoint(H.expand_like, reverse=False)
def expand_like(v, z):
    d[v] = g


@tangent(H.expand_like)
def expand_like_tangent(v, z):
    d[v] = expand_like(g, z)


@adjoint(H.sum_along, reverse=False)
def sum_along(v, axis=None, keepdims=False):
    d[v] = g


@tangent(H.sum_along)
def sum_along_tangent(v, axis=None, keepdims=False):
    d[v] = sum_along(g, axis, keepdims)


@adjoint(H.unreduce, reverse=False)
def unreduce(v, x, axis=None, keepdims=False):
    d[v] = g


@tangent(H.unreduce)
def unreduce_tangent(v, x, axis=None, keepdims=False):
    d[v] = unreduce(g, x, axis, keepdims)


@adjoint(H.reduce_adjoint_max, reverse=False)
def reduce_adjoint_max(v, z, x, axis=None, keepdims=False):
    d[v] = g


@tangent(H.reduce_adjoint_max)
def reduce_adjoint_max_tangent(v, z, x, axis=None, keepdims=False):
    # the arg-max pattern is locally constant: linear in the adjoint only
    d[v] = reduce_adjoint_max(g, z, x, axis, keepdims)


@adjoint(H.dot_adjoint_a, H.matmul_adjoint_a, reverse=False)
def dot_adjoint_a(v, a, b):
    d[v] = g
    d[b] = g


@tangent(H.dot_adjoint_a)
def dot_adjoint_a_tangent(v, a, b):
    d[v] = dot_adjoint_a(g, a, b)
    d[b] = dot_adjoint_a(v, a, g)


@tangent(H.matmul_adjoint_a)
def matmul_adjoint_a_tangent(v, a, b):
    d[v] = matmul_adjoint_a(g, a, b)
    d[b] = matmul_adjoint_a(v, a, g)


@adjoint(H.dot_adjoint_b, H.matmul_adjoint_b, reverse=False)
def dot_adjoint_b(v, a, b):
    d[v] = g
    d[a] = g


@tangent(H.dot_adjoint_b)
def dot_adjoint_b_tangent(v, a, b):
    d[v] = dot_adjoint_b(g, a, b)
    d[a] = dot_adjoint_b(v, g, b)


@tangent(H.matmul_adjoint_b)
def matmul_adjoint_b_tangent(v, a, b):
    d[v] = matmul_adjoint_b(g, a, b)
    d[a] = matmul_adjoint_b(v, g, b)


# ---------------------------------------------------------------- reductions' helpers
@adjoint(H.prod_others, reverse=False)
def prod_others(x, axis=None):
    d[x] = g


@tangent(H.prod_others)
def prod_others_tangent(x, axis=None):
    d[x] = prod_others_tangent(g, x, axis)


@adjoint(H.centered, H.cumsum_along, reverse=False)
def centered(v, axis=None):
    d[v] = g


@tangent(H.centered)
def centered_tangent(v, axis=None):
    d[v] = centered(g, axis)


@tangent(H.cumsum_along)
def cumsum_along_tangent(v, axis=None):
    d[v] = cumsum_along(g, axis)


@adjoint(H.cumsum_adjoint, reverse=False)
def cumsum_adjoint(v, x, axis=None):
    d[v] = g


@tangent(H.cumsum_adjoint)
def cumsum_adjoint_tangent(v, x, axis=None):
    d[v] = cumsum_adjoint(g, x, axis)


# clip's masks are locally constant; selections' adjoints are linear in the adjoint
nondifferentiable(H.clip_inside, H.clip_below, H.clip_above)
# the median's weights are locally constant (they change only where two elements tie)
nondifferentiable(H.median_weights)


@adjoint(H.take_adjoint, reverse=False)
def take_adjoint(v, x, indices, axis=None):
    d[v] = g


@tangent(H.take_adjoint)
def take_adjoint_tangent(v, x, indices, axis=None):
    d[v] = take_adjoint(g, x, indices, axis)


@adjoint(H.unsort, H.sort_like, reverse=False)
def unsort(v, x, axis=-1):
    d[v] = g


@tangent(H.unsort)
def unsort_tangent(v, x, axis=-1):
    d[v] = unsort(g, x, axis)


@tangent(H.sort_like)
def sort_like_tangent(v, x, axis=-1):
    d[v] = sort_like(g, x, axis)


@adjoint(H.flipped, reverse=False)
def flipped(v, axis=None):
    d[v] = g


@tangent(H.flipped)
def flipped_tangent(v, axis=None):
    d[v] = flipped(g, axis)


@adjoint(H.rolled, reverse=False)
def rolled(v, shift, axis=None):
    d[v] = g


@tangent(H.rolled)
def rolled_tangent(v, shift, axis=None):
    d[v] = rolled(g, shift, axis)


@adjoint(H.differenced, reverse=False)
def differenced(v, n=1, axis=-1):
    d[v] = g


@adjoint(H.diff_adjoint, reverse=False)
def diff_adjoint(v, x, n=1, axis=-1):
    d[v] = g


@tangent(H.differenced)
def differenced_tangent(v, n=1, axis=-1):
    d[v] = differenced(g, n, axis)


@tangent(H.diff_adjoint)
def diff_adjoint_tangent(v, x, n=1, axis=-1):
    d[v] = diff_adjoint(g, x, n, axis)


@adjoint(H.repeated, reverse=False)
def repeated(v, repeats, axis=None):
    d[v] = g


@tangent(H.repeated)
def repeated_tangent(v, repeats, axis=None):
    d[v] = repeated(g, repeats, axis)


@adjoint(H.repeat_adjoint, reverse=False)
def repeat_adjoint(v, x, repeats, axis=None):
    d[v] = g


@tangent(H.repeat_adjoint)
def repeat_adjoint_tangent(v, x, repeats, axis=None):
    d[v] = repeat_adjoint(g, x, repeats, axis)


@adjoint(H.tile_adjoint, reverse=False)
def tile_adjoint(v, x, reps):
    d[v] = g


@tangent(H.tile_adjoint)
def tile_adjoint_tangent(v, x, reps):
    d[v] = tile_adjoint(g, x, reps)


@adjoint(H.diagonal_adjoint, reverse=False)
def diagonal_adjoint(v, x, offset=0, axis1=0, axis2=1):
    d[v] = g


@tangent(H.diagonal_adjoint)
def diagonal_adjoint_tangent(v, x, offset=0, axis1=0, axis2=1):
    d[v] = diagonal_adjoint(g, x, offset, axis1, axis2)


@adjoint(H.sum_items_adjoint, reverse=False)
def sum_items_adjoint(v, x):
    d[v] = g


@tangent(H.sum_items_adjoint)
def sum_items_adjoint_tangent(v, x):
    d[v] = sum_items_adjoint(g, x)
