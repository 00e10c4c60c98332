"""``tl.jacobian_sparsity``: the structural pattern of a Jacobian, from the program.

The generated forward-mode code is run once with index sets as tangents
(``index_sets.py``; the rewrite is in ``program.py``). A dense directional derivative
at a random direction then checks that no row the program produces a nonzero in is
empty in the pattern (a cheap safety net; it never fires for supported code).
"""

import math
import warnings

import numpy as np
import scipy.sparse as sp

from ..backends.loader import load_module
from ..backends.python_backend import compile_python
from ..errors import TangentlikeError, TangentlikeWarning
from . import index_sets as isets
from .program import SET_ZEROS, SetProgram


def check_wrt(wrt, f, what):
    if not isinstance(wrt, int) or isinstance(wrt, bool):
        raise TangentlikeError(
            f"{what} takes one argument index as wrt, got {wrt!r}",
            function=getattr(f, "__name__", None),
        )


class ForwardCode:
    """The generated forward code of ``f`` w.r.t. argument ``wrt``: ``f`` itself
    (``tl.jvp``), or forward over the reverse code when ``f`` is ``tl.grad(g)``.

    ``run(args, tangent, make)`` -> (value, tangent out), with ``make`` the function
    that turns generated code into a callable.
    """

    def __init__(self, f, wrt):
        from ..api import Derivative, jvp
        from ..higher_order import NestedDerivative

        self.name = getattr(f, "__name__", "f")
        if isinstance(f, (Derivative, NestedDerivative)):
            self.nested = NestedDerivative(f, wrt, "jvp")
            self.inner = f
            self.generated = self.nested.generated
            self.signature = f.signature
        else:
            self.nested = None
            self.derivative = jvp(f, wrt)
            self.generated = self.derivative.generated
            self.signature = self.derivative.signature
        self.wrt = wrt
        self._python = None
        self._sets = None

    def bind(self, args):
        try:
            ba = self.signature.bind(*args)
        except TypeError as exc:
            raise TangentlikeError(f"bad arguments: {exc}", function=self.name) from None
        ba.apply_defaults()
        args = list(ba.arguments.values())
        if self.wrt >= len(args):
            raise TangentlikeError(
                f"wrt={self.wrt}, but the function takes {len(args)} arguments", function=self.name
            )
        return args

    def _call(self, fn, args, tangent):
        if self.nested is None:
            return fn(*args, tangent)
        raw_value, raw_tangent = fn(*args, *self.inner.extras(args), tangent)
        return self.inner.select(raw_value), self.inner.select(raw_tangent)

    def run(self, args, tangent):
        """The plain (interpreted) directional derivative."""
        if self._python is None:
            self._python = compile_python(self.generated)
        return self._call(self._python, args, tangent)

    def set_program(self, nargs):
        if self._sets is None:
            gen = self.generated
            nextra = 0 if self.nested is None else len(self.inner.extras([None] * nargs))
            tangent = nargs + nextra
            program = SetProgram(gen.source, gen.entry, [tangent], nargs)
            ns = {k: (isets.NUMPY_FOR_SETS if v is np else v) for k, v in gen.namespace.items()}
            ns.update(isets.HELPER_TWINS)
            ns.update({SET_ZEROS: isets.zeros_like_sets, "np": isets.NUMPY_FOR_SETS, "math": math})
            mod = load_module(program.source, ns, stem=gen.entry + "_sets")
            self._sets = (program, getattr(mod, gen.entry))
        return self._sets

    def run_sets(self, args, tangent):
        program, fn = self.set_program(len(args))
        return self._call(fn, args, tangent)


def output_size(value, name):
    if isinstance(value, (tuple, list, dict)):
        raise TangentlikeError(
            "a sparse Jacobian needs one array (or scalar) output, but "
            f"the function returned a {type(value).__name__}",
            function=name,
        )
    return int(np.size(value))


def _csr(rows, shape):
    indptr = np.zeros(shape[0] + 1, dtype=np.int64)
    indptr[1:] = np.cumsum([len(r) for r in rows])
    indices = np.fromiter((j for r in rows for j in r), dtype=np.int64, count=int(indptr[-1]))
    data = np.ones(indices.size, dtype=bool)
    return sp.csr_matrix((data, indices, indptr), shape=shape)


def _set_rows(tangent, m):
    flat = (
        np.ravel(np.asarray(tangent, dtype=object))
        if isinstance(tangent, np.ndarray)
        else [tangent]
    )
    if len(flat) != m:
        raise TangentlikeError(
            f"the tangent of the output has {len(flat)} elements, the output {m}"
        )
    return [sorted(e.s) if type(e) is isets.IndexSet else [] for e in flat]


class JacobianSparsity:
    """``pattern(*args)``: the boolean CSR pattern of ``d f(*args)[i] / d args[wrt][j]``.

    The result carries ``value_dependent`` (True when a branch, loop bound or index
    depends on the values of an argument: then the pattern is the one at these
    values), ``steering`` (the indices of those arguments, e.g. an index array) and
    ``dense_fallback`` (True when the code did something index sets cannot follow, and
    the pattern is all True: safe, but every column is a color).
    """

    def __init__(self, f, wrt=0):
        check_wrt(wrt, f, "jacobian_sparsity")
        self.code = ForwardCode(f, wrt)
        self.wrt = wrt
        self.__name__ = f"jacobian_sparsity_{self.code.name}"

    @property
    def source(self):
        """The generated forward code as the set run executes it."""
        return self.code.set_program(len(self.code.signature.parameters))[0].source

    def __call__(self, *args):
        args = self.code.bind(args)
        x = np.asarray(args[self.wrt], dtype=np.float64)
        rng = np.random.default_rng(0)
        direction = rng.standard_normal(x.shape) + 0.5 if x.shape else 0.5 + rng.random()
        value, probe = self.code.run(args, direction)  # user errors surface here
        m, n = output_size(value, self.code.name), x.size
        program = self.code.set_program(len(args))[0]
        dense = False
        try:
            with np.errstate(all="ignore"):
                _, tangent = self.code.run_sets(args, isets.seed(x.shape))
            rows = _set_rows(tangent, m)
        except (TypeError, ValueError, AttributeError, IndexError) as exc:
            warnings.warn(
                f"{self.code.name}: the sparsity pattern falls back to dense, as "
                f"index sets could not follow the code ({type(exc).__name__}: "
                f"{exc}); pass sparsity= to sparse_jacobian if you know it",
                TangentlikeWarning,
                stacklevel=2,
            )
            rows, dense = [range(n)] * m, True
        missed = [i for i, (r, v) in enumerate(zip(rows, np.ravel(probe))) if not r and v != 0]
        if missed:  # never expected: stay safe anyway
            warnings.warn(
                f"{self.code.name}: rows {missed[:5]} of the pattern were empty "
                "but have a nonzero derivative; they are made dense",
                TangentlikeWarning,
                stacklevel=2,
            )
            for i in missed:
                rows[i] = range(n)
        pattern = _csr(rows, (m, n))
        pattern.steering = tuple(sorted(program.steering))
        pattern.value_dependent = bool(pattern.steering)
        pattern.dense_fallback = dense
        return pattern


def jacobian_sparsity(f, wrt=0):
    """``tl.jacobian_sparsity(f, wrt)(*args)``: the structural sparsity pattern of the
    Jacobian of ``f`` w.r.t. argument ``wrt`` as a boolean ``scipy.sparse.csr_matrix`` of
    shape ``(out.size, args[wrt].size)`` (C order). ``f`` may be ``tl.grad(g)``: then
    it is the pattern of ``g``'s Hessian."""
    return JacobianSparsity(f, wrt)
