"""Tangents of the adjoint helpers of ``det``, ``std``, ``norm``, ``einsum``, ``solve``,
``xlogy`` and ``gammaln``, so that
their derivatives can be differentiated again (forward over reverse: ``tl.hvp``,
``tl.grad(tl.grad(f))``), and clear refusals for the helpers that have none.

Each helper's value is written in the docstring of its tangent; ``g`` is the tangent of
the operand a contribution belongs to. Registrations are forward-only (see
generated_code.py).
"""

import gast
import scipy.special as sc

from .. import runtime as H
from ..syntax import dotted
from .registry import adjoint, constant_value, tangent


def _second_order_refused(what):
    def check(args):
        return (
            f"second-order derivatives of {what} are not supported "
            "(first-order ones are; differentiate once, or write it with other primitives)"
        )

    return check


# ---------------------------------------------------------------- det
@adjoint(H.det_adjoint, reverse=False)
def det_adjoint(v, w, a):
    d[v] = g
    d[w] = g
    d[a] = g


@tangent(H.det_adjoint)
def det_adjoint_tangent(v, w, a):
    """``det_adjoint(v, w, a) = v w inv(a)^T`` (``w`` the determinant); the inverse
    changes by ``-inv(a) g inv(a)``."""
    d[v] = det_adjoint(g, w, a)
    d[w] = det_adjoint(v, g, a)
    d[a] = -(det_adjoint(v, w, a) @ np.swapaxes(g, -1, -2) @ np.swapaxes(np.linalg.inv(a), -1, -2))


# ---------------------------------------------------------------- std
@adjoint(H.std_adjoint, reverse=False)
def std_adjoint(v, w, x, axis=None, keepdims=False, ddof=0):
    d[v] = g
    d[w] = g
    d[x] = g


@tangent(H.std_adjoint)
def std_adjoint_tangent(v, w, x, axis=None, keepdims=False, ddof=0):
    """``std_adjoint(v, w, x) = v (x - mean(x)) / ((n - ddof) w)`` where ``w`` (the
    deviation) is positive, else 0: linear in ``v`` and in ``x``, ``1/w`` in ``w``."""
    d[v] = std_adjoint(g, w, x, axis, keepdims, ddof)
    d[x] = std_adjoint(v, w, g, axis, keepdims, ddof)
    d[w] = -std_adjoint(v, w, x, axis, keepdims, ddof) * unreduce(
        g / np.where(w > 0.0, w, 1.0), x, axis, keepdims
    )


# ---------------------------------------------------------------- norm
def _euclidean_only(args):
    e = args.get("ord")
    ord_ = None if e is None else constant_value(e, default=e)
    if ord_ not in (None, "fro"):
        text = dotted(ord_) if isinstance(ord_, gast.AST) else repr(ord_)
        return (
            f"second-order derivatives of np.linalg.norm with ord={text} are not "
            "supported (ord=None and 'fro' are)"
        )
    return None


@adjoint(H.norm_adjoint, reverse=False, check=_euclidean_only)
def norm_adjoint(v, w, x, ord=None, axis=None, keepdims=False):
    d[v] = g
    d[w] = g
    d[x] = g


@tangent(H.norm_adjoint)
def norm_adjoint_tangent(v, w, x, ord=None, axis=None, keepdims=False):
    """Euclidean and Frobenius norms: ``norm_adjoint(v, w, x) = v x / w`` where the norm
    ``w`` is positive, else 0: linear in ``v`` and in ``x``, ``1/w`` in ``w``."""
    d[v] = norm_adjoint(g, w, x, ord, axis, keepdims)
    d[x] = norm_adjoint(v, w, g, ord, axis, keepdims)
    d[w] = -norm_adjoint(v, w, x, ord, axis, keepdims) * unreduce(
        g / np.where(w > 0.0, w, 1.0), x, axis, keepdims
    )


# ---------------------------------------------------------------- einsum
@adjoint(H.einsum_adjoint, reverse=False)
def einsum_adjoint(subscripts, v, k, a, b=None, c=None):
    d[v] = g
    d[a] = g
    d[b] = g
    d[c] = g


@tangent(H.einsum_adjoint)
def einsum_adjoint_tangent(subscripts, v, k, a, b=None, c=None):
    """``einsum_adjoint`` is linear in ``v`` and in every operand but the ``k``-th (of
    which it reads only the shape)."""
    d[v] = einsum_adjoint(subscripts, g, k, a, b, c)
    d[a] = float(k != 0) * einsum_adjoint(subscripts, v, k, g, b, c)
    d[b] = float(k != 1) * einsum_adjoint(subscripts, v, k, a, g, c)
    d[c] = float(k != 2) * einsum_adjoint(subscripts, v, k, a, b, g)


# ---------------------------------------------------------------- solve
@adjoint(H.solve_adjoint_a, reverse=False)
def solve_adjoint_a(gb, z):
    d[gb] = g
    d[z] = g


@tangent(H.solve_adjoint_a)
def solve_adjoint_a_tangent(gb, z):
    """``solve_adjoint_a(gb, z) = -gb z^T``: bilinear."""
    d[gb] = solve_adjoint_a(g, z)
    d[z] = solve_adjoint_a(gb, g)


# ---------------------------------------------------------------- scipy.special
@adjoint(H.xdivy, reverse=False)
def xdivy(x, y):
    d[x] = g
    d[y] = g


@tangent(H.xdivy)
def xdivy_tangent(x, y):
    """``xdivy(x, y) = x / y`` (0 where ``x`` is 0, which is its limit)."""
    d[x] = g / y
    d[y] = -xdivy(x, y) * g / y


@adjoint(H.digamma, sc.digamma)  # scipy.special.psi is the same function
def digamma(x):
    d[x] = g * trigamma(x)


# ---------------------------------------------------------------- refused
@adjoint(H.cumprod_adjoint, reverse=False, check=_second_order_refused("np.cumprod"))
def cumprod_adjoint(v, w, x, axis=None):
    d[v] = g


@adjoint(H.cholesky_adjoint, reverse=False, check=_second_order_refused("np.linalg.cholesky"))
def cholesky_adjoint(v, w):
    d[v] = g


@adjoint(H.interp_slope, H.interp_adjoint, reverse=False, check=_second_order_refused("np.interp"))
def interp_slope(v, x, xp):
    d[v] = g
