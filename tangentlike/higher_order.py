"""Higher-order derivatives by composition: forward mode over generated derivative code.

``tl.grad(tl.grad(f))``, ``tl.jvp(tl.grad(f))``, ``tl.hvp`` and ``tl.hessian`` run the
forward-mode transform on the *generated* reverse-mode function (whose tape pushes and
pops get tangent stacks of their own): forward-over-reverse, the usual way to get
Hessian-vector products at a small constant times the cost of a gradient.
"""

import numpy as np

from .arguments import bind_arguments, check_float_args, float_dtype
from .call_checks import check_number_arguments
from .backends import BACKENDS, BUILD_LOCK
from .backends.python_backend import compile_python
from .errors import TangentlikeError
from .generated_lines import in_user_code
from .pipeline import generate_jvp
from . import pickling
from .derivatives import Derivative, DerivativeBase, is_derivative
from .display import Displayed


class NestedDerivative(DerivativeBase):
    """Forward mode applied to the generated code of ``inner`` (a gradient, or a
    nested derivative of one), w.r.t. user argument ``wrt``."""

    def __init__(self, inner, wrt, kind, optimized=True, compile=None, verbose=False):
        if not (getattr(inner, "kind", None) == "grad" or isinstance(inner, NestedDerivative)):
            raise TangentlikeError(
                "higher-order derivatives compose tl.grad (and derivatives "
                "of it); differentiate tl.grad(f), not a vjp or jvp",
                function=getattr(inner, "__name__", None),
            )
        if not isinstance(wrt, int) or isinstance(wrt, bool):
            raise TangentlikeError(
                "a derivative of a derivative takes one argument index as wrt",
                function=getattr(inner, "__name__", None),
            )
        if compile not in BACKENDS:
            raise TangentlikeError(f"compile must be None or 'numba', got {compile!r}")
        self.inner = inner
        self._recipe = ((inner, wrt, kind, optimized, compile), {})
        self.wrt = wrt
        self.kind = kind
        self.primal = inner.primal
        self.signature = inner.signature
        self.compile = compile
        self.__name__ = f"{kind}_{inner.__name__}"
        entry = inner.python_entry()
        try:
            self.generated = generate_jvp(entry, (wrt,), optimized=optimized)
        except TangentlikeError as err:  # raised at a generated line: name the user's
            raise in_user_code(err, inner.generated) from None
        self._fn = None
        self._py = None
        if verbose:
            print(self.source)

    @property
    def source(self):
        return self.generated.source

    def python_entry(self):
        if self._py is None:
            self._py = compile_python(self.generated)
        return self._py

    def _compiled(self):
        if self._fn is None:
            with BUILD_LOCK:  # threads' first calls build one callable
                if self._fn is None:
                    self._fn = BACKENDS[self.compile](self.generated)
        return self._fn

    def wait_compiled(self, timeout=None):
        """See ``Derivative.wait_compiled``."""
        fn = self._compiled()
        return fn.wait_compiled(timeout) if hasattr(fn, "wait_compiled") else False

    # the raw generated function: (*args, *extras, tangent) -> (raw_inner, raw_inner_dot)
    def extras(self, args):
        return self.inner.extras(args) + [1.0]

    def select(self, raw):
        return self.inner.select(raw[1])

    def _raw(self, args, tangent):
        root = self.inner
        while isinstance(root, NestedDerivative):
            root = root.inner
        if root.generated is not None and root.generated.number_arguments:
            check_number_arguments(root.generated, args)
        return self._compiled()(*args, *self.inner.extras(args), tangent)

    def __call__(self, *args, **kwargs):
        nparams = len(self.signature.parameters)
        trailing = 1 if self.kind == "jvp" else 0
        if len(args) >= trailing:
            args = bind_arguments(self.signature, args, kwargs, self.primal.__name__, trailing)
        if self.kind == "jvp":
            if len(args) != nparams + 1:
                raise TangentlikeError(
                    f"takes {nparams} arguments and then one tangent", function=self.primal.__name__
                )
            *args, t = args
            raw = self._raw(args, t)
            return self.inner.select(raw[0]), self.inner.select(raw[1])
        check_float_args(args, (self.wrt,), self.primal.__name__)
        x = args[self.wrt]
        if np.ndim(x) == 0:
            value = self.select(self._raw(args, 1.0))
            return float_dtype(x).type(value) if type(x) is not float else value
        out = np.zeros(np.shape(x), float_dtype(x))
        for idx in np.ndindex(*np.shape(x)):
            e = np.zeros(np.shape(x))
            e[idx] = 1.0
            value = self.select(self._raw(args, e))
            if np.ndim(value) != 0:
                raise TangentlikeError(
                    "grad of a derivative needs it to be scalar; for an array gradient use "
                    "tl.hessian(f) or tl.jacobian",
                    function=self.primal.__name__,
                )
            out[idx] = value
        return out


class Hvp(Displayed):
    """``hv(*args, v)``: the Hessian of scalar ``f`` w.r.t. argument ``wrt`` times ``v``
    (forward over reverse, one pass)."""

    def __init__(self, f, wrt=0, *, optimized=True, compile=None):
        self._recipe = ((f, wrt), {"optimized": optimized, "compile": compile})
        self.wrt = wrt
        if is_derivative(f):
            inner = NestedDerivative(f, wrt, "grad", optimized)
        else:
            inner = Derivative(f, wrt, "grad", False, optimized, None, False)
        self.nested = NestedDerivative(inner, wrt, "jvp", optimized=optimized, compile=compile)
        self.primal = self.nested.primal
        self.compile = compile
        self.__name__ = f"hvp_{getattr(f, '__name__', 'f')}"

    @property
    def source(self):
        return self.nested.source

    def __reduce__(self):
        return pickling.reduce(self, type(self), *self._recipe)

    def __call__(self, *args, **kwargs):
        name = self.primal.__name__
        if not args:
            raise TangentlikeError(
                "an hvp takes the function's arguments and then v", function=name
            )
        args = bind_arguments(self.nested.signature, args, kwargs, name, trailing=1)
        *fargs, v = args
        ks = (self.wrt,) if isinstance(self.wrt, int) else tuple(self.wrt)
        vs = (v,) if isinstance(self.wrt, int) else v
        if not isinstance(vs, (tuple, list)) or len(vs) != len(ks):
            raise TangentlikeError(
                f"v must be a tuple of {len(ks)} directions, one per wrt argument", function=name
            )
        for k, vk in zip(ks, vs):
            if k < len(fargs) and np.shape(vk) != np.shape(fargs[k]):
                raise TangentlikeError(
                    f"v has shape {np.shape(vk)} but argument {k} has shape "
                    f"{np.shape(fargs[k])}: v must have exactly the shape of the argument "
                    "(it is not broadcast)",
                    function=name,
                )
        check_float_args(fargs, [k for k in ks if k < len(fargs)], name)
        return self.nested(*args)[1]


class Hessian(Hvp):
    """``H(*args)`` of shape ``x.shape + x.shape`` for argument ``wrt`` of scalar ``f``
    (one Hessian-vector product per input element, same generated code each time)."""

    def __init__(self, f, wrt=0, *, optimized=True, compile=None):
        super().__init__(f, wrt, optimized=optimized, compile=compile)
        self.__name__ = f"hessian_{getattr(f, '__name__', 'f')}"

    def __call__(self, *args, **kwargs):
        args = bind_arguments(self.nested.signature, args, kwargs, self.primal.__name__)
        hv = super().__call__
        x = args[self.wrt]
        shape = np.shape(x)
        dtype = float_dtype(x)  # float32 in, float32 out
        if not shape:
            return dtype.type(hv(*args, 1.0))
        rows = []
        for idx in np.ndindex(*shape):
            e = np.zeros(shape)
            e[idx] = 1.0
            rows.append(np.asarray(hv(*args, e), dtype=dtype))
        return np.stack(rows).reshape(shape + shape)


def hvp(f, wrt=0, *, optimized=True, compile=None):
    """``hv(*args, v)``: the Hessian of scalar ``f`` w.r.t. argument ``wrt`` times ``v``
    (forward over reverse, one pass)."""
    return Hvp(f, wrt, optimized=optimized, compile=compile)


def hessian(f, wrt=0, *, optimized=True, compile=None):
    """``H(*args)`` of shape ``x.shape + x.shape`` for argument ``wrt`` of scalar ``f``
    (one Hessian-vector product per input element, same generated code each time)."""
    return Hessian(f, wrt, optimized=optimized, compile=compile)
