"""Adjoints of selections: triangles, diagonals, ``np.take``, ``np.sort``, axis swaps,
``np.clip``.

Each is linear in its operand (``clip`` piecewise): the adjoint puts ``g`` back where
the selection took it from, the tangent selects from the operand's tangent.
"""

import numpy as np

from .registry import adjoint, tangent


@adjoint(np.triu)
def triu(x, k=0):
    d[x] = np.triu(g, k)


@tangent(np.triu)
def triu_tangent(x, k=0):
    d[x] = np.triu(g, k)


@adjoint(np.tril)
def tril(x, k=0):
    d[x] = np.tril(g, k)


@tangent(np.tril)
def tril_tangent(x, k=0):
    d[x] = np.tril(g, k)


@adjoint(np.diagonal, "method:diagonal")
def diagonal(x, offset=0, axis1=0, axis2=1):
    d[x] = diagonal_adjoint(g, x, offset, axis1, axis2)


@tangent(np.diagonal, "method:diagonal")
def diagonal_tangent(x, offset=0, axis1=0, axis2=1):
    d[x] = np.diagonal(g, offset, axis1, axis2)


@adjoint(np.take, "method:take", fixed=("mode",))
def take(x, indices, axis=None, out=None, mode=None):
    d[x] = take_adjoint(g, x, indices, axis)


@tangent(np.take, "method:take")
def take_tangent(x, indices, axis=None, out=None, mode=None):
    d[x] = np.take(g, indices, axis)


@adjoint(np.sort, fixed=("kind", "order", "stable"))
def sort(x, axis=-1, kind=None, order=None, stable=None):
    # between ties a fixed permutation of x: g goes back where each element came from
    d[x] = unsort(g, x, axis)


@tangent(np.sort)
def sort_tangent(x, axis=-1, kind=None, order=None, stable=None):
    d[x] = sort_like(g, x, axis)


@adjoint(np.swapaxes, "method:swapaxes")
def swapaxes(x, axis1, axis2):
    d[x] = np.swapaxes(g, axis1, axis2)


@tangent(np.swapaxes, "method:swapaxes")
def swapaxes_tangent(x, axis1, axis2):
    d[x] = np.swapaxes(g, axis1, axis2)


@adjoint(np.clip, "method:clip")
def clip(x, lo=None, hi=None, out=None):
    # a missing bound (None) is no bound; at a bound the adjoint goes to x
    d[x] = unbroadcast(g * clip_inside(x, lo, hi), x)
    d[lo] = unbroadcast(g * clip_below(x, lo), lo)
    d[hi] = unbroadcast(g * clip_above(x, hi), hi)
