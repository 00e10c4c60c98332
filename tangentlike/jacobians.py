"""Jacobians from the generated vjp/jvp functions (one derivative code, many seeds)."""
import copy

import numpy as np

from .api import jvp, vjp
from .errors import TangentlikeError


def jacobian(f, wrt=0, mode="reverse", *, compile=None):
    """``J(*args)`` of shape ``out.shape + in.shape`` for one argument ``wrt``.

    ``mode="reverse"`` runs the generated vjp once per output element (wide functions);
    ``mode="forward"`` runs the generated jvp once per input element (tall ones). The
    derivative code is generated once and reused for every column.
    """
    if not isinstance(wrt, int) or isinstance(wrt, bool):
        raise TangentlikeError("jacobian takes one argument index as wrt",
                               function=getattr(f, "__name__", None))
    if mode not in ("reverse", "forward"):
        raise TangentlikeError(f"mode must be 'reverse' or 'forward', got {mode!r}",
                               function=getattr(f, "__name__", None))
    from .higher_order import NestedDerivative
    from .api import Derivative
    if isinstance(f, (Derivative, NestedDerivative)):
        mode = "forward"            # a derivative is differentiated forward over reverse
    deriv = (vjp if mode == "reverse" else jvp)(f, wrt, compile=compile)

    def jac(*args):
        x = args[wrt]
        x_shape = np.shape(x)
        if mode == "forward":
            cols = []
            for idx in np.ndindex(*x_shape) if x_shape else [()]:
                t = np.zeros(x_shape) if x_shape else None
                if x_shape:
                    t[idx] = 1.0
                else:
                    t = 1.0
                value, tan = deriv(*args, t)
                cols.append(np.asarray(tan, dtype=np.float64))
            out_shape = np.shape(value)
            return np.stack(cols, axis=-1).reshape(out_shape + x_shape)
        value = f(*copy.deepcopy(args))      # the user's function may write into its inputs
        out_shape = np.shape(value)
        rows = []
        for idx in np.ndindex(*out_shape) if out_shape else [()]:
            dy = np.zeros(out_shape) if out_shape else 1.0
            if out_shape:
                dy[idx] = 1.0
            rows.append(np.asarray(deriv(*args, dy), dtype=np.float64))
        return np.stack(rows).reshape(out_shape + x_shape)

    jac.__name__ = f"jacobian_{getattr(f, '__name__', 'f')}"
    jac.derivative = deriv
    jac.source = deriv.source
    return jac


def jacfwd(f, wrt=0, **kw):
    return jacobian(f, wrt, mode="forward", **kw)


def jacrev(f, wrt=0, **kw):
    return jacobian(f, wrt, mode="reverse", **kw)
