"""``tl.sparse_jacobian``: a sparse Jacobian from one compressed JVP (or VJP) per color."""

import inspect

import numpy as np

from ..api import jvp, vjp
from ..backends import BACKENDS
from ..errors import TangentlikeError
from .plans import LastPlan, Plan, PlanCache, as_pattern
from .pattern import JacobianSparsity, check_wrt, output_size

MODES = ("forward", "reverse", "auto")


def is_derivative(f):
    from ..api import Derivative
    from ..higher_order import NestedDerivative

    return isinstance(f, (Derivative, NestedDerivative))


def bind(f, args):
    """The arguments with the defaults filled in (the generated code takes them all)."""
    signature = getattr(f, "signature", None) or inspect.signature(f)
    if len(args) == len(signature.parameters):
        return list(args)
    try:
        ba = signature.bind(*args)
    except TypeError as exc:
        raise TangentlikeError(
            f"bad arguments: {exc}", function=getattr(f, "__name__", None)
        ) from None
    ba.apply_defaults()
    return list(ba.arguments.values())


class SparseJacobian(LastPlan):
    """``J(*args)`` -> ``scipy.sparse.csr_matrix`` of shape ``(out.size, x.size)``.

    ``ncolors``: how many JVPs (forward) or VJPs (reverse) one call takes; known once
    the pattern is (at construction with ``sparsity=``, else after the first call).
    ``pattern``, ``colors`` and ``mode`` (the one "auto" chose) are there too.
    """

    def __init__(self, f, wrt=0, mode="forward", sparsity=None, compile=None):
        name = getattr(f, "__name__", None)
        check_wrt(wrt, f, "sparse_jacobian")
        if mode not in MODES:
            raise TangentlikeError(f"mode must be one of {MODES}, got {mode!r}", function=name)
        if compile not in BACKENDS:
            raise TangentlikeError(
                f"compile must be None or 'numba', got {compile!r}", function=name
            )
        if mode != "forward" and is_derivative(f):
            mode = "forward"  # a derivative is differentiated forward over reverse
        self.f, self.wrt, self.requested_mode, self.compile = f, wrt, mode, compile
        self.__name__ = f"sparse_jacobian_{name or 'f'}"
        self.known = None if sparsity is None else as_pattern(sparsity, name)
        self.detector = JacobianSparsity(f, wrt) if sparsity is None else None
        self._derivs = {}
        self._plans = PlanCache(wrt)
        self._last = None
        if self.known is not None and mode != "auto":
            self._last = Plan(self.known, mode, None, None)

    def derivative(self, mode):
        if mode not in self._derivs:
            self._derivs[mode] = (jvp if mode == "forward" else vjp)(
                self.f, self.wrt, compile=self.compile
            )
        return self._derivs[mode]

    def _plan(self, args):
        x = args[self.wrt]
        value = self.f(*args)
        m = output_size(value, self.f.__name__)
        pattern = self.known if self.known is not None else self.detector(*args)
        if pattern.shape != (m, np.size(x)):
            raise TangentlikeError(
                f"sparsity= has shape {pattern.shape}, but the Jacobian "
                f"has shape {(m, np.size(x))}",
                function=self.f.__name__,
            )
        return Plan(pattern, self.requested_mode, np.shape(value), np.shape(x))

    def __call__(self, *args):
        args = bind(self.f, args)
        plan = self._last = self._plans.get(args, lambda: self._plan(args))
        if plan.mode == "forward":
            jf = self.derivative("forward")

            def push(t):
                return jf(*args, t)[1]

            jac = plan.assemble(plan.compressed_forward(push))
            if not plan.checked:
                plan.check(jac, lambda v: push(v.reshape(plan.x_shape)), self.f.__name__)
            return jac
        vf = self.derivative("reverse")
        compressed = np.empty((plan.ncolors, plan.pattern.shape[1]))
        for c in range(plan.ncolors):
            dy = plan.seeds[c].reshape(plan.out_shape)
            compressed[c] = np.ravel(vf(*args, dy if plan.out_shape else float(dy)))
        jac = plan.assemble(compressed)
        if not plan.checked:
            plan.check(
                jac,
                lambda w: vf(*args, w.reshape(plan.out_shape) if plan.out_shape else float(w[0])),
                self.f.__name__,
            )
        return jac


def sparse_jacobian(f, wrt=0, mode="forward", sparsity=None, compile=None):
    """The Jacobian of ``f`` w.r.t. argument ``wrt`` as a ``scipy.sparse.csr_matrix``,
    from a coloring of its sparsity pattern: one compressed JVP per column color
    (``mode="forward"``), one VJP per row color (``"reverse"``), or whichever takes
    fewer passes (``"auto"``). ``sparsity=`` gives a known pattern instead of detecting
    it; ``compile="numba"`` compiles the JVP/VJP. See docs/sparse.md."""
    return SparseJacobian(f, wrt, mode, sparsity, compile)
