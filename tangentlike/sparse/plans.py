"""What a sparse derivative keeps between calls: the pattern, its coloring, the seeds
and where each entry sits in the compressed products (``Plan``), per argument shapes
and per the values of the arguments that steer the pattern (``PlanCache``)."""

import numpy as np
import scipy.sparse as sp

from ..errors import TangentlikeError
from .coloring import color_columns, color_rows, color_star, ncolors, seeds, star_sources


def as_pattern(sparsity, name):
    """A user's known pattern (scipy.sparse or a dense 2-D array) as a boolean CSR."""
    if not sp.issparse(sparsity) and np.ndim(sparsity) != 2:
        raise TangentlikeError(
            f"sparsity= must be 2-D, got shape {np.shape(sparsity)}", function=name
        )
    try:
        pattern = sp.csr_matrix(
            sparsity != 0 if not sp.issparse(sparsity) else sparsity, dtype=bool
        )
    except (TypeError, ValueError) as exc:
        raise TangentlikeError(
            f"sparsity= must be a 2-D scipy.sparse matrix or array ({exc})", function=name
        ) from None
    pattern.eliminate_zeros()
    pattern.sum_duplicates()
    pattern.sort_indices()
    pattern.steering = tuple(getattr(sparsity, "steering", ()))
    pattern.value_dependent = bool(pattern.steering) or getattr(sparsity, "value_dependent", False)
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
        if mode == "symmetric":  # a Hessian: star or column coloring
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
        if self.sources is not None:  # star coloring: entry alone in its row
            return self.sources[0] * self.ncolors + self.sources[1]
        if self.mode == "forward":
            return self.rows * self.ncolors + self.colors[self.cols]
        return self.colors[self.rows] * self.pattern.shape[1] + self.cols

    def assemble(self, compressed):
        if self.gather is None:
            self.gather = self._gather()
        data = np.take(compressed.reshape(-1), self.gather)
        return sp.csr_matrix((data, self.cols.copy(), self.indptr.copy()), shape=self.pattern.shape)

    def check(self, jac, probe, name):
        """Once per plan: ``jac`` against one dense directional derivative, so a known
        pattern that misses a nonzero raises instead of returning a wrong matrix."""
        rng = np.random.default_rng(1)
        size = self.pattern.shape[1] if self.mode == "forward" else self.pattern.shape[0]
        v = rng.standard_normal(size) + 0.5
        exact = np.ravel(probe(v))
        got = jac @ v if self.mode == "forward" else jac.T @ v
        scale = abs(jac) @ abs(v) if self.mode == "forward" else abs(jac).T @ abs(v)
        dtype = exact.dtype if exact.dtype.kind == "f" else np.dtype(np.float64)
        tol = max(1e-8, 1e3 * float(np.finfo(dtype).eps))  # float32 code rounds more
        if not np.all(abs(got - exact) <= tol * (scale + abs(exact)) + 1e-300):
            raise TangentlikeError(
                "the sparsity pattern misses nonzeros of the Jacobian (a product with a "
                "random direction disagrees with the dense directional derivative); "
                "check sparsity=",
                function=name,
            )
        self.checked = True


class LastPlan:
    """``ncolors``, ``colors``, ``pattern`` and ``mode`` of the plan the last call used
    (or of the known pattern before the first call); None before that."""

    _last = None
    ncolors = property(lambda self: None if self._last is None else self._last.ncolors)
    colors = property(lambda self: None if self._last is None else self._last.colors)
    pattern = property(lambda self: None if self._last is None else self._last.pattern)
    mode = property(lambda self: None if self._last is None else self._last.mode)


class PlanCache:
    """Plans by argument shapes and dtypes, and by the values of the arguments that
    steer the pattern (``pattern.steering``, e.g. an index array); a pattern steered by
    the differentiated argument itself is found again at every call."""

    LIMIT = 16

    def __init__(self, wrt):
        self.wrt = wrt
        self.steering = {}  # shapes -> steering argument indices, None: no reuse
        self.plans = {}

    def get(self, args, make):
        shapes = tuple((np.shape(a), getattr(a, "dtype", type(a))) for a in args)
        steering = self.steering.get(shapes, ())
        if steering is not None:
            plan = self.plans.get((shapes, _values(args, steering)))
            if plan is not None:
                return plan
        plan = make()
        steering = tuple(getattr(plan.pattern, "steering", ()))
        if self.wrt in steering:
            self.steering[shapes] = None
            return plan
        if len(self.plans) >= self.LIMIT:
            self.plans.clear()
        self.steering[shapes] = steering
        self.plans[(shapes, _values(args, steering))] = plan
        return plan

    def __len__(self):
        return len(self.plans)


def _values(args, steering):
    out = []
    for k in steering:
        try:
            out.append(np.asarray(args[k]).tobytes())
        except (TypeError, ValueError):
            out.append(repr(args[k]))
    return tuple(out)
