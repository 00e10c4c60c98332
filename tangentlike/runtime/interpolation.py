"""Runtime helpers for the derivative of ``np.interp(x, xp, fp)``.

Inside ``[xp[0], xp[-1]]`` the result is ``fp[k] + s * (x - xp[k])`` on the piece ``k``
holding ``x``, with slope ``s = (fp[k+1] - fp[k]) / (xp[k+1] - xp[k])`` and weight
``t = (x - xp[k]) / (xp[k+1] - xp[k])``; outside it is ``fp[0]`` or ``fp[-1]``. So
``dz/dx = s`` (0 outside), ``dz/dfp`` puts ``1 - t`` on ``fp[k]`` and ``t`` on
``fp[k+1]``, and ``dz/dxp`` is ``-s`` times those weights. At a knot the piece to the
right is taken (a one-sided derivative, as the function has a kink there).
Plain Python with Numba ``@overload`` twins (scalar or array ``x``).
"""

import numpy as np
from numba import types
from numba.extending import overload, register_jitable

from .declarations import helper


@register_jitable
def _piece(v, xp):
    """(k, t, inside) for one point ``v``."""
    n = xp.shape[0]
    if v < xp[0] or v > xp[n - 1] or n < 2:
        return 0, 0.0, False
    k = np.searchsorted(xp, v, side="right") - 1
    k = min(max(k, 0), n - 2)
    return k, (v - xp[k]) / (xp[k + 1] - xp[k]), True


@helper(pure=True, fresh=True, shape_of=0, scalar_of=0)
def interp_slope(x, xp, fp):
    """The slope of ``np.interp(x, xp, fp)`` at each ``x`` (0 outside the knots)."""
    xp = np.atleast_1d(np.asarray(xp, dtype=np.float64))
    fp = np.atleast_1d(np.asarray(fp, dtype=np.float64))
    flat = np.ravel(np.asarray(x, dtype=np.float64))
    out = np.zeros(flat.size)
    for i in range(flat.size):
        k, _, inside = _piece(flat[i], xp)
        if inside:
            out[i] = (fp[k + 1] - fp[k]) / (xp[k + 1] - xp[k])
    return float(out[0]) if np.ndim(x) == 0 else out.reshape(np.shape(x))


@helper(pure=True, fresh=True, shape_of=2)
def interp_adjoint(g, x, xp):
    """``g`` (shaped like ``x``) spread onto the knots: ``1 - t`` on ``k``, ``t`` on
    ``k + 1``; 1 on the first or last knot for a point outside them."""
    xp = np.atleast_1d(np.asarray(xp, dtype=np.float64))
    flat = np.ravel(np.asarray(x, dtype=np.float64))
    gf = np.ravel(np.broadcast_to(np.asarray(g, dtype=np.float64), np.shape(x)))
    out = np.zeros(xp.shape[0])
    for i in range(flat.size):
        k, t, inside = _piece(flat[i], xp)
        if inside:
            out[k] += gf[i] * (1.0 - t)
            out[k + 1] += gf[i] * t
        elif flat[i] < xp[0]:
            out[0] += gf[i]
        else:
            out[-1] += gf[i]
    return out


# ---------------------------------------------------------------- Numba twins
@overload(interp_slope)
def _interp_slope_nb(x, xp, fp):
    if isinstance(x, (types.Float, types.Integer)):

        def scalar(x, xp, fp):
            k, _, inside = _piece(float(x), xp)
            return (fp[k + 1] - fp[k]) / (xp[k + 1] - xp[k]) if inside else 0.0

        return scalar
    if not isinstance(x, types.Array):
        return None

    def impl(x, xp, fp):
        flat = np.ascontiguousarray(x).ravel()
        out = np.zeros(flat.size)
        for i in range(flat.size):
            k, _, inside = _piece(flat[i], xp)
            if inside:
                out[i] = (fp[k + 1] - fp[k]) / (xp[k + 1] - xp[k])
        return out.reshape(x.shape)

    return impl


@overload(interp_adjoint)
def _interp_adjoint_nb(g, x, xp):
    scalar_x = isinstance(x, (types.Float, types.Integer))

    def impl(g, x, xp):
        flat = np.asarray(x, dtype=np.float64).ravel()
        gf = np.ascontiguousarray(np.broadcast_to(np.asarray(g, dtype=np.float64), flat.shape))
        out = np.zeros(xp.shape[0])
        for i in range(flat.size):
            k, t, inside = _piece(flat[i], xp)
            if inside:
                out[k] += gf[i] * (1.0 - t)
                out[k + 1] += gf[i] * t
            elif flat[i] < xp[0]:
                out[0] += gf[i]
            else:
                out[xp.shape[0] - 1] += gf[i]
        return out

    if scalar_x or isinstance(x, types.Array):
        return impl
    return None
