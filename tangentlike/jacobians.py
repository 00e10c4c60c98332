"""Jacobians from the generated vjp/jvp functions (one derivative code, many seeds)."""

import copy


import numpy as np

from .api import jvp, vjp
from .arguments import bind_arguments, check_float_args, float_dtype
from .errors import TangentlikeError
from . import pickling
from .display import Displayed


class Jacobian(Displayed):
    """``J(*args)`` of shape ``out.shape + in.shape`` for one argument ``wrt``."""

    def __init__(self, f, wrt=0, mode="reverse", *, compile=None):
        if not isinstance(wrt, int) or isinstance(wrt, bool):
            raise TangentlikeError(
                "jacobian takes one argument index as wrt", function=getattr(f, "__name__", None)
            )
        if mode not in ("reverse", "forward"):
            raise TangentlikeError(
                f"mode must be 'reverse' or 'forward', got {mode!r}",
                function=getattr(f, "__name__", None),
            )
        from .higher_order import NestedDerivative
        from .api import Derivative

        self._recipe = ((f, wrt, mode), {"compile": compile})
        if isinstance(f, (Derivative, NestedDerivative)):
            mode = "forward"  # a derivative is differentiated forward over reverse
        self.f, self.wrt, self.mode, self.compile = f, wrt, mode, compile
        self.derivative = (vjp if mode == "reverse" else jvp)(f, wrt, compile=compile)
        self.primal = self.derivative.primal
        self.__name__ = f"jacobian_{getattr(f, '__name__', 'f')}"

    @property
    def source(self):
        return self.derivative.source

    def __reduce__(self):
        return pickling.reduce(self, type(self), *self._recipe)

    def __call__(self, *args, **kwargs):
        args = bind_arguments(self.derivative.signature, args, kwargs, self.primal.__name__)
        check_float_args(args, (self.wrt,), getattr(self.f, "__name__", "f"))
        x = args[self.wrt]
        x_shape = np.shape(x)
        dtype = float_dtype(x)  # float32 in, float32 out
        deriv = self.derivative
        if self.mode == "forward":
            cols = []
            for idx in np.ndindex(*x_shape) if x_shape else [()]:
                t = np.zeros(x_shape) if x_shape else None
                if x_shape:
                    t[idx] = 1.0
                else:
                    t = 1.0
                value, tan = deriv(*args, t)
                cols.append(np.asarray(tan, dtype=dtype))
            out_shape = np.shape(value)
            return np.stack(cols, axis=-1).reshape(out_shape + x_shape)
        value = self.f(*copy.deepcopy(args))  # the user's function may write into its inputs
        out_shape = np.shape(value)
        rows = []
        for idx in np.ndindex(*out_shape) if out_shape else [()]:
            dy = np.zeros(out_shape) if out_shape else 1.0
            if out_shape:
                dy[idx] = 1.0
            rows.append(np.asarray(deriv(*args, dy), dtype=dtype))
        return np.stack(rows).reshape(out_shape + x_shape)


def jacobian(f, wrt=0, mode="reverse", *, compile=None):
    """``J(*args)`` of shape ``out.shape + in.shape`` for one argument ``wrt``.

    ``mode="reverse"`` runs the generated vjp once per output element (wide functions);
    ``mode="forward"`` runs the generated jvp once per input element (tall ones). The
    derivative code is generated once and reused for every column.
    """
    return Jacobian(f, wrt, mode, compile=compile)


def jacfwd(f, wrt=0, **kw):
    return jacobian(f, wrt, mode="forward", **kw)


def jacrev(f, wrt=0, **kw):
    return jacobian(f, wrt, mode="reverse", **kw)
