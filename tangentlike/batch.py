"""Batched gradients on the CPU: one row per iteration of a Numba ``prange`` loop.

    import tangentlike as tl
    g = tl.batch_grad(f)                  # f(x_row, *shared) -> scalar
    G = g(X, *shared)                     # G[i] == tl.grad(f)(X[i], *shared)
    V, G = tl.batch_value_and_grad(f)(X, *shared)

The same contract as ``tl.cuda.batch_grad``: rows of a 2-D ``X`` (non-float rows are
taken as float64), shared arguments passed to every row, gradients in the rows' dtype
and values as float64. The row derivative is the one ``tl.grad(f, compile="numba")``
generates; a small driver (``tl.source(g)`` shows both) calls it for each row inside
``numba.prange``, so the rows spread over all of Numba's threads
(``numba.set_num_threads`` sets how many). Both compile with ``cache=True``: a second
process loads them from Numba's disk cache.
"""

import inspect

import numpy as np
from numba.core.errors import NumbaError

from .api import Derivative
from .backends.loader import load_module
from .errors import TangentlikeError
from .parse.source import unwrap
from . import pickling
from .display import Displayed

_DRIVER = """# Batched {what} of {name}: one row per prange iteration, rows spread over threads.
# row derivative: {entry} (generated code {digest})
import numba


@numba.njit(parallel=True, cache=True)
def {driver}(X, {rest}G, V):
    for i in numba.prange(X.shape[0]):
        value, grads = {entry}(X[i], {rest}1.0)
        G[i, :] = grads[0]
        V[i] = value
"""


class BatchGrad(Displayed):
    """``g(X, *rest)``: the gradient of every row of ``X`` (see ``tl.batch_grad``)."""

    with_value = False
    backend = "numba (prange, all cores)"
    wrt = 0

    def __init__(self, f, wrt=0):
        self.primal = unwrap(f)
        self._recipe = ((f, wrt), {})
        if wrt != 0:
            raise TangentlikeError(
                "batched derivatives are taken w.r.t. the row, the first "
                f"argument (wrt=0), got wrt={wrt!r}",
                function=self.primal.__name__,
            )
        self.row = Derivative(f, 0, "grad", True, True, "numba", False)
        self.nparams = len(inspect.signature(self.primal).parameters)
        name = self.primal.__name__
        self.__name__ = f"{'batch_value_and_grad' if self.with_value else 'batch_grad'}_{name}"
        gen = self.row.generated
        rest = "".join(f"shared{k}, " for k in range(1, self.nparams))
        self.driver_name = f"batch_{gen.entry}"
        self.driver_source = _DRIVER.format(
            what="value and gradient" if self.with_value else "gradient",
            name=name,
            entry=gen.entry,
            digest=pickling.digest(gen.source),
            driver=self.driver_name,
            rest=rest,
        )
        self._driver = None

    @property
    def source(self):
        return self.row.source + "\n\n" + self.driver_source

    def __reduce__(self):
        return pickling.reduce(self, type(self), *self._recipe)

    def _compiled(self):
        if self._driver is None:
            row = self.row._compiled()
            mod = load_module(
                self.driver_source, {self.row.generated.entry: row.fn}, stem=self.driver_name
            )
            self._driver = (row, getattr(mod, self.driver_name))
        return self._driver

    def __call__(self, X, *rest):
        name = self.primal.__name__
        if len(rest) != self.nparams - 1:
            raise TangentlikeError(
                f"{name} takes the batch of rows and then "
                f"{self.nparams - 1} shared argument(s), got {len(rest)}",
                function=name,
            )
        X = np.asarray(X)
        if X.dtype.kind == "c":
            raise TangentlikeError(
                "the rows are complex; tangentlike differentiates real functions of real inputs",
                function=name,
            )
        if X.dtype.kind != "f":
            X = X.astype(np.float64)
        if X.ndim != 2:
            raise TangentlikeError(
                f"the batch must be a 2-D array (one row per item), got shape {X.shape}",
                function=name,
            )
        X = np.ascontiguousarray(X)
        G = np.empty(X.shape, X.dtype)
        V = np.empty(X.shape[0], np.float64)
        row, driver = self._compiled()
        try:
            driver(X, *rest, G, V)
        except NumbaError as exc:
            row._explain(exc, (X[0], *rest, 1.0))  # raises TangentlikeError
        return (V, G) if self.with_value else G


class BatchValueAndGrad(BatchGrad):
    """``g(X, *rest) -> (values, gradients)`` for every row of ``X``."""

    with_value = True


def batch_grad(f, wrt=0):
    """``g(X, *rest)``: ``g(X)[i] == tl.grad(f)(X[i], *rest)``, rows spread over all cores."""
    return BatchGrad(f, wrt)


def batch_value_and_grad(f, wrt=0):
    """``g(X, *rest) -> (values, gradients)`` for every row of ``X``, on all cores."""
    return BatchValueAndGrad(f, wrt)
