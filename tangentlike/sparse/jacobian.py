"""``tl.sparse_jacobian``: a sparse Jacobian from one compressed JVP (or VJP) per color."""
import inspect

import numpy as np
import scipy.sparse as sp

from ..api import jvp, vjp
from ..backends import BACKENDS
from ..errors import TangentlikeError
from .coloring import color_columns, color_rows, color_star, ncolors, seeds, star_sources
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
        raise TangentlikeError(f"bad arguments: {exc}",
                               function=getattr(f, "__name__", None)) from None
    ba.apply_defaults()
    return list(ba.arguments.values())


def as_pattern(sparsity, name):
    """A user's known pattern (scipy.sparse or a dense 2-D array) as a boolean CSR."""
    if not sp.issparse(sparsity) and np.ndim(sparsity) != 2:
        raise TangentlikeError(f"sparsity= must be 2-D, got shape {np.shape(sparsity)}",
                               function=name)
    try:
        pattern = sp.csr_matrix(sparsity != 0 if not sp.issparse(sparsity) else sparsity,
                                dtype=bool)
    except (TypeError, ValueError) as exc:
        raise TangentlikeError(f"sparsity= must be a 2-D scipy.sparse matrix or array "
                               f"({exc})", function=name) from None
    pattern.eliminate_zeros()
    pattern.sum_duplicates()
    pattern.sort_indices()
    pattern.value_dependent = getattr(sparsity, "value_dependent", False)
    return pattern


class Plan:
    """A pattern, its coloring and the seeds: everything a call needs but the values."""

    def __init__(self, pattern, mode, out_shape, x_shape):
        self.pattern = pattern
        self.out_shape, self.x_shape = out_shape, x_shape
        pattern = sp.csr_matrix(pattern, dtype=bool)
        pattern.sort_indices()
        self.indptr, self.cols = pattern.indptr, pattern.indices
        self.rows = np.repeat(np.arange(pattern.shape[0]), np.diff(pattern.indptr))
        self.sources = None
        if mode == "symmetric":                   # a Hessian: star or column coloring
            star = color_star(pattern)
            cols = color_columns(pattern)
            if ncolors(star) < ncolors(cols):
                self.sources = star_sources(self.rows, self.cols, star, pattern.shape[0])
            mode = "forward"
            self.colors = star if self.sources is not None else cols
        elif mode == "auto":
            cols, rows = color_columns(pattern), color_rows(pattern)
            mode = "forward" if ncolors(cols) <= ncolors(rows) else "reverse"
            self.colors = cols if mode == "forward" else rows
        else:
            self.colors = (color_columns if mode == "forward" else color_rows)(pattern)
        self.mode = mode
        self.ncolors = ncolors(self.colors)
        self.seeds = seeds(self.colors, self.ncolors)
        self.gather = None
        self.checked = False

    def compressed_forward(self, pushforward):
        """``J @ seeds.T``: column ``c`` is the JVP along the columns of color ``c``."""
        out = np.empty((self.pattern.shape[0], self.ncolors))
        for c in range(self.ncolors):
            out[:, c] = np.ravel(pushforward(self.seeds[c].reshape(self.x_shape)))
        return out

    def _gather(self):
        """Where each entry of the pattern (CSR order) sits in the compressed products
        (C order, (rows, colors) forward, (colors, cols) reverse)."""
        if self.sources is not None:                # star coloring: entry alone in its row
            return self.sources[0] * self.ncolors + self.sources[1]
        if self.mode == "forward":
            return self.rows * self.ncolors + self.colors[self.cols]
        return self.colors[self.rows] * self.pattern.shape[1] + self.cols

    def assemble(self, compressed):
        if self.gather is None:
            self.gather = self._gather()
        data = np.take(compressed.reshape(-1), self.gather)
        return sp.csr_matrix((data, self.cols.copy(), self.indptr.copy()),
                             shape=self.pattern.shape)

    def check(self, jac, probe, name):
        """Once per plan: ``jac`` against one dense directional derivative, so a known
        pattern that misses a nonzero raises instead of returning a wrong matrix."""
        rng = np.random.default_rng(1)
        size = self.pattern.shape[1] if self.mode == "forward" else self.pattern.shape[0]
        v = rng.standard_normal(size) + 0.5
        exact = np.ravel(probe(v))
        got = jac @ v if self.mode == "forward" else jac.T @ v
        scale = (abs(jac) @ abs(v) if self.mode == "forward" else abs(jac).T @ abs(v))
        dtype = exact.dtype if exact.dtype.kind == "f" else np.dtype(np.float64)
        tol = max(1e-8, 1e3 * float(np.finfo(dtype).eps))     # float32 code rounds more
        if not np.all(abs(got - exact) <= tol * (scale + abs(exact)) + 1e-300):
            raise TangentlikeError(
                "the sparsity pattern misses nonzeros of the Jacobian (a product with a "
                "random direction disagrees with the dense directional derivative); "
                "check sparsity=", function=name)
        self.checked = True


class SparseJacobian:
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
            raise TangentlikeError(f"compile must be None or 'numba', got {compile!r}",
                                   function=name)
        if mode != "forward" and is_derivative(f):
            mode = "forward"            # a derivative is differentiated forward over reverse
        self.f, self.wrt, self.requested_mode, self.compile = f, wrt, mode, compile
        self.__name__ = f"sparse_jacobian_{name or 'f'}"
        self.known = None if sparsity is None else as_pattern(sparsity, name)
        self.detector = JacobianSparsity(f, wrt) if sparsity is None else None
        self._derivs = {}
        self._plans = {}
        self._last = None
        if self.known is not None and mode != "auto":
            self._last = Plan(self.known, mode, None, None)

    # what the last call used (or the known pattern's plan before any call)
    ncolors = property(lambda self: None if self._last is None else self._last.ncolors)
    colors = property(lambda self: None if self._last is None else self._last.colors)
    pattern = property(lambda self: None if self._last is None else self._last.pattern)
    mode = property(lambda self: None if self._last is None else self._last.mode)

    def derivative(self, mode):
        if mode not in self._derivs:
            self._derivs[mode] = (jvp if mode == "forward" else vjp)(
                self.f, self.wrt, compile=self.compile)
        return self._derivs[mode]

    def _plan(self, args):
        x = args[self.wrt]
        key = tuple((np.shape(a), getattr(a, "dtype", type(a))) for a in args)
        plan = self._plans.get(key)
        if plan is not None:
            return plan
        value = self.f(*args)
        m = output_size(value, self.f.__name__)
        pattern = self.known if self.known is not None else self.detector(*args)
        if pattern.shape != (m, np.size(x)):
            raise TangentlikeError(f"sparsity= has shape {pattern.shape}, but the Jacobian "
                                   f"has shape {(m, np.size(x))}", function=self.f.__name__)
        plan = Plan(pattern, self.requested_mode, np.shape(value), np.shape(x))
        if not pattern.value_dependent:                  # valid for every input this shape
            self._plans[key] = plan
        return plan

    def __call__(self, *args):
        args = bind(self.f, args)
        plan = self._last = self._plan(args)
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
            plan.check(jac, lambda w: vf(*args, w.reshape(plan.out_shape) if plan.out_shape
                                         else float(w[0])), self.f.__name__)
        return jac


def sparse_jacobian(f, wrt=0, mode="forward", sparsity=None, compile=None):
    """The Jacobian of ``f`` w.r.t. argument ``wrt`` as a ``scipy.sparse.csr_matrix``,
    from a coloring of its sparsity pattern: one compressed JVP per column color
    (``mode="forward"``), one VJP per row color (``"reverse"``), or whichever takes
    fewer passes (``"auto"``). ``sparsity=`` gives a known pattern instead of detecting
    it; ``compile="numba"`` compiles the JVP/VJP. See docs/sparse.md."""
    return SparseJacobian(f, wrt, mode, sparsity, compile)
