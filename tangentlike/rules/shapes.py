"""Adjoints of shape operations: the adjoint takes the inverse reshaping; repetitions
(``np.repeat``, ``np.tile``) add up ``g`` over the copies."""

import numpy as np

from .registry import adjoint, nondifferentiable


@adjoint(
    np.reshape,
    np.ravel,
    np.squeeze,
    np.expand_dims,
    np.atleast_1d,
    np.atleast_2d,
    np.atleast_3d,
    "method:reshape",
    "method:ravel",
    "method:flatten",
    "method:squeeze",
)
def reshape(x, *args, **kwargs):
    d[x] = np.reshape(np.ascontiguousarray(g), np.shape(x))


@adjoint(np.transpose, "method:transpose", "attr:T")
def transpose(x, *args):
    d[x] = np.transpose(g)


@adjoint(np.concatenate, seq="arrays")
def concatenate(arrays, axis=0):
    d[arrays] = g  # expanded per element by the engine (see transform.sequences)


@adjoint(np.stack, seq="arrays")
def stack(arrays, axis=0):
    d[arrays] = g  # expanded per element by the engine (see transform.sequences)


nondifferentiable(
    np.zeros,
    np.ones,
    np.empty,
    np.zeros_like,
    np.ones_like,
    np.empty_like,
    np.full,
    np.full_like,
    np.arange,
    np.linspace,
    np.eye,
    np.identity,
)


# ---------------------------------------------------------------- forward mode
from .registry import tangent  # noqa: E402


@tangent(
    np.reshape,
    np.ravel,
    np.squeeze,
    np.expand_dims,
    np.atleast_1d,
    np.atleast_2d,
    np.atleast_3d,
    "method:reshape",
    "method:ravel",
    "method:flatten",
    "method:squeeze",
)
def reshape_tangent(x, *args, **kwargs):
    d[x] = np.reshape(np.ascontiguousarray(g), np.shape(z))


@tangent(np.transpose, "method:transpose", "attr:T")
def transpose_tangent(x, *args):
    d[x] = np.transpose(g)


@adjoint(np.repeat, "method:repeat")
def repeat(a, repeats, axis=None):
    d[a] = repeat_adjoint(g, a, repeats, axis)


@tangent(np.repeat, "method:repeat")
def repeat_tangent(a, repeats, axis=None):
    d[a] = repeated(g, repeats, axis)


@adjoint(np.tile)
def tile(A, reps):
    d[A] = tile_adjoint(g, A, reps)


@tangent(np.tile)
def tile_tangent(A, reps):
    d[A] = np.tile(g, reps)
