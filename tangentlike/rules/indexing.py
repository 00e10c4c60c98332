"""Adjoints of selections: triangles, diagonals, ``np.take``, ``np.sort``, axis swaps,
reversals, cyclic shifts and differences (``np.flip``, ``np.roll``, ``np.diff``),
``np.clip``, and ``np.interp`` (a weighted selection of the knots).

Each is linear in its operand (``clip`` piecewise): the adjoint puts ``g`` back where
the selection took it from, the tangent selects from the operand's tangent.
"""

import gast
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


@adjoint(np.flip)
def flip(m, axis=None):
    d[m] = flipped(g, axis)


@tangent(np.flip)
def flip_tangent(m, axis=None):
    d[m] = flipped(g, axis)


@adjoint(np.flipud)
def flipud(m):
    d[m] = flipped(g, 0)


@tangent(np.flipud)
def flipud_tangent(m):
    d[m] = flipped(g, 0)


@adjoint(np.fliplr)
def fliplr(m):
    d[m] = flipped(g, 1)


@tangent(np.fliplr)
def fliplr_tangent(m):
    d[m] = flipped(g, 1)


def _one_shift(args):
    """A tuple of shifts (one per axis) is refused: the adjoint negates the shift."""
    if isinstance(args.get("shift"), (gast.Tuple, gast.List)):
        return "np.roll with a tuple of shifts is not supported (roll one axis at a time)"
    return None


@adjoint(np.roll, check=_one_shift)
def roll(a, shift, axis=None):
    d[a] = rolled(g, -shift, axis)


@tangent(np.roll)
def roll_tangent(a, shift, axis=None):
    d[a] = rolled(g, shift, axis)


@adjoint(np.diff, fixed=("prepend", "append"))
def diff(a, n=1, axis=-1, prepend=None, append=None):
    d[a] = diff_adjoint(g, a, n, axis)


@tangent(np.diff)
def diff_tangent(a, n=1, axis=-1, prepend=None, append=None):
    d[a] = differenced(g, n, axis)


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


@adjoint(np.interp, fixed=("left", "right", "period"))
def interp(x, xp, fp, left=None, right=None, period=None):
    # piecewise linear: the slope for x, the pieces' weights for the knots' values
    d[x] = unbroadcast(g * interp_slope(x, xp, fp), x)
    d[fp] = interp_adjoint(g, x, xp)
    d[xp] = interp_adjoint(-g * interp_slope(x, xp, fp), x, xp)


@tangent(np.interp)
def interp_tangent(x, xp, fp, left=None, right=None, period=None):
    d[x] = g * interp_slope(x, xp, fp)
    d[fp] = np.interp(x, xp, g)
    d[xp] = -interp_slope(x, xp, fp) * np.interp(x, xp, g)
