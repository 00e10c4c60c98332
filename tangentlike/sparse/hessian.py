"""``tl.sparse_hessian``: a sparse Hessian from one compressed Hessian-vector product
(forward over the generated reverse code) per color of its pattern: a star coloring
when it takes fewer colors than a column coloring (dense rows), else the column one."""

import numpy as np

from ..api import grad
from ..errors import TangentlikeError
from ..higher_order import hvp
from .jacobian import bind
from .plans import LastPlan, Plan, PlanCache, as_pattern
from .pattern import JacobianSparsity, check_wrt


def symmetric(pattern):
    """The pattern united with its transpose (a Hessian's is symmetric; a detected one
    may over-approximate on one side only)."""
    sym = (pattern + pattern.T).tocsr()
    sym.sort_indices()
    sym.value_dependent = getattr(pattern, "value_dependent", False)
    sym.steering = getattr(pattern, "steering", ())
    return sym


class SparseHessian(LastPlan):
    """``H(*args)`` -> ``scipy.sparse.csr_matrix`` of shape ``(x.size, x.size)``; one
    Hessian-vector product per color (``ncolors``, ``pattern``, ``colors`` as for
    ``sparse_jacobian``). The pattern is the Jacobian pattern of the generated gradient."""

    def __init__(self, f, wrt=0, sparsity=None, compile=None):
        check_wrt(wrt, f, "sparse_hessian")
        self.f, self.wrt = f, wrt
        self.name = getattr(f, "__name__", "f")
        self.__name__ = f"sparse_hessian_{self.name}"
        self.hv = hvp(f, wrt, compile=compile)
        self.known = None if sparsity is None else as_pattern(sparsity, self.name)
        self.detector = JacobianSparsity(grad(f, wrt), wrt) if sparsity is None else None
        self._plans = PlanCache(wrt)
        self._last = (
            None if self.known is None else Plan(symmetric(self.known), "symmetric", None, None)
        )

    def _plan(self, args):
        value = self.f(*args)
        if isinstance(value, (tuple, list, dict)) or np.size(value) != 1:
            raise TangentlikeError(
                "sparse_hessian needs a scalar output, but the function "
                f"returned {type(value).__name__} of size "
                f"{np.size(value) if not isinstance(value, dict) else '?'}",
                function=self.name,
            )
        x_shape = np.shape(args[self.wrt])
        n = int(np.prod(x_shape)) if x_shape else 1
        pattern = self.known if self.known is not None else self.detector(*args)
        if pattern.shape != (n, n):
            raise TangentlikeError(
                f"sparsity= has shape {pattern.shape}, but the Hessian has shape {(n, n)}",
                function=self.name,
            )
        return Plan(symmetric(pattern), "symmetric", x_shape, x_shape)

    def __call__(self, *args):
        args = bind(self.f, args)
        plan = self._last = self._plans.get(args, lambda: self._plan(args))

        def push(v):
            return self.hv(*args, v if plan.x_shape else float(np.ravel(v)[0]))

        hess = plan.assemble(plan.compressed_forward(push))
        if not plan.checked:
            plan.check(hess, lambda v: push(v.reshape(plan.x_shape)), self.name)
        return hess


def sparse_hessian(f, wrt=0, sparsity=None, compile=None):
    """The Hessian of scalar ``f`` w.r.t. argument ``wrt`` as a ``scipy.sparse.csr_matrix``
    (forward over reverse, one compressed Hessian-vector product per column color of
    its pattern; ``sparsity=`` a known pattern). See docs/sparse.md."""
    return SparseHessian(f, wrt, sparsity, compile)
