"""Batched derivatives on CUDA GPUs: one thread per row.

    import tangentlike as tl
    g = tl.cuda.batch_grad(f)          # f(x_row, *shared) -> scalar
    G = g(X, *shared)                  # G[i] = tl.grad(f)(X[i], *shared)

The derivative is generated once as CUDA device code (``tl.source(g)`` shows it) and
runs as a Numba CUDA kernel. Host arrays in give host arrays out; device arrays
(``numba.cuda.to_device``) in give device arrays out, with no copies. Without a GPU,
set ``NUMBA_ENABLE_CUDASIM=1`` in the environment before importing tangentlike (which
imports Numba) to use Numba's CUDA simulator.
"""

import inspect

from .backends.cuda import module as cuda_module
from .backends.cuda.launch import CudaProgram, run_batched_grad, run_batched_jvp
from .errors import TangentlikeError
from .parse.source import unwrap
from . import pickling
from .display import Displayed
from .pipeline import generate_jvp, generate_vjp

__all__ = ["batch_grad", "batch_value_and_grad", "batch_jvp", "device_grad"]


def _program(fn, mode):
    """Check ``fn`` for device code, generate its derivative w.r.t. the row and lower
    both to one CUDA module (the backend is handed the generated module)."""
    primal = cuda_module.prepare(fn, mode)
    gen = (generate_vjp if mode == "grad" else generate_jvp)(primal.parsed.fn, (0,))
    if gen.number_arguments:  # rows are arrays: an update right only for numbers
        raise gen.number_arguments[0][1]
    return CudaProgram(fn, cuda_module.build(primal, gen))


def _check_wrt(wrt, fn):
    if wrt != 0:
        raise TangentlikeError(
            "batched derivatives are taken w.r.t. the row, the first "
            f"argument (wrt=0), got wrt={wrt!r}",
            function=fn.__name__,
        )


class _Batched(Displayed):
    mode = "grad"
    backend = "cuda"
    wrt = 0

    def __init__(self, f, wrt=0):
        self.primal = unwrap(f)
        self._recipe = ((f, wrt), {})
        _check_wrt(wrt, self.primal)
        self.program = _program(self.primal, self.mode)
        self.nparams = len(inspect.signature(self.primal).parameters)
        self.__name__ = f"{type(self).__name__}_{self.primal.__name__}"

    @property
    def source(self):
        return self.program.source

    def __reduce__(self):  # a recipe: rebuilt (and loaded) where it lands
        return pickling.reduce(self, type(self), *self._recipe)


class BatchGrad(_Batched):
    """``g(X, *rest)``: the gradient of every row of ``X`` (see ``batch_grad``)."""

    with_value = False

    def __call__(self, X, *rest):
        G, V, on_device = run_batched_grad(
            self.program, X, rest, self.nparams, self.primal.__name__
        )
        if not on_device:
            G, V = G.copy_to_host(), V.copy_to_host()
        return (V, G) if self.with_value else G


class BatchValueAndGrad(BatchGrad):
    with_value = True


class BatchJVP(_Batched):
    """``j(X, *rest, T) -> (values, tangents)``: per row, ``f`` and its derivative along
    the row ``T[i]`` (the same argument order as ``tl.jvp``)."""

    mode = "jvp"

    def __call__(self, X, *args):
        if len(args) != self.nparams:
            raise TangentlikeError(
                f"batch_jvp of {self.primal.__name__} takes the rows, "
                f"{self.nparams - 1} shared argument(s) and the tangent "
                f"rows, got {len(args) + 1} values",
                function=self.primal.__name__,
            )
        *rest, T = args
        V, D, on_device = run_batched_jvp(
            self.program, X, T, rest, self.nparams, self.primal.__name__
        )
        if not on_device:
            V, D = V.copy_to_host(), D.copy_to_host()
        return V, D


class DeviceGrad(_Batched):
    """The generated adjoint as a device function, for use inside your own kernels.

    ``dg.device(x, *rest, d_result, d_x[, tape, offsets]) -> value`` writes the gradient
    of the row ``x`` into ``d_x`` (zeroed first). When the derivative needs a tape
    (``dg.needs_tape``), pass each thread a float64 column ``tape[:, i]`` with
    ``slots`` entries and the ``offsets`` from ``dg.tape_layout(X, *rest)``.
    """

    @property
    def device(self):
        return self.program.device(self.program.module.entry)

    @property
    def needs_tape(self):
        return self.program.module.count is not None

    def tape_layout(self, X, *rest):
        """``(offsets, slots)``: offsets (a device array) and tape slots per row."""
        from .backends.cuda.launch import to_device_args
        from numba import cuda

        X, rest, _ = to_device_args(X, rest, self.nparams, self.primal.__name__)
        offs, slots = self.program.tape_layout(X, rest)
        return (None if offs is None else cuda.to_device(offs)), slots


def batch_grad(f, wrt=0):
    """``g(X, *rest)``: ``g(X)[i] == tl.grad(f)(X[i], *rest)``, one GPU thread per row."""
    return BatchGrad(f, wrt)


def batch_value_and_grad(f, wrt=0):
    """``g(X, *rest) -> (values, gradients)`` for every row of ``X``."""
    return BatchValueAndGrad(f, wrt)


def batch_jvp(f, wrt=0):
    """``j(X, *rest, T) -> (values, tangents)``: forward mode along ``T[i]`` per row."""
    return BatchJVP(f, wrt)


def device_grad(f, wrt=0):
    """The adjoint of ``f`` as a ``@cuda.jit(device=True)`` function, to call from your
    own kernels: ``dg(x, *rest, d_result, d_x[, tape, offsets]) -> value`` writes the
    gradient of the row ``x`` into ``d_x``. It also carries ``.source`` (for
    ``tl.source``), ``.needs_tape``, ``.tape_layout(X, *rest)`` and ``.device`` (itself)."""
    holder = DeviceGrad(f, wrt)
    dev = holder.device
    try:
        dev.source = holder.source
        dev.needs_tape = holder.needs_tape
        dev.tape_layout = holder.tape_layout
        dev.device = dev
        dev.program = holder.program
    except AttributeError:  # pragma: no cover - a dispatcher that refuses
        return holder
    return dev
