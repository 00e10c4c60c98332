"""Host side of the CUDA target: load the generated module, size the tape, launch.

Numba is imported lazily, so ``import tangentlike`` works on machines without CUDA; set
``NUMBA_ENABLE_CUDASIM=1`` before the first import of Numba to run on the simulator.
"""

import numpy as np

from ...errors import TangentlikeError
from ..loader import load_module

THREADS = 128
TAPE_BYTES = 1 << 30  # tape memory per launch; larger batches run in chunks


def _cuda():
    try:
        from numba import cuda
    except ImportError as exc:  # pragma: no cover - depends on the install
        raise TangentlikeError(
            "the CUDA target needs numba-cuda: pip install 'tangentlike[cuda]'"
        ) from exc
    return cuda


def _numba_reason(exc):
    import re

    lines = [re.sub(r"\x1b\[[0-9;]*m", "", ln) for ln in str(exc).splitlines() if ln.strip()]
    return "\n".join(lines[:12])


class CudaProgram:
    """The loaded module of one function's batched derivative: ``module``, the
    ``CudaModule`` its caller built (``module.build``)."""

    def __init__(self, fn, module):
        self.fn = fn
        self.module = module
        self.source = self.module.source
        self._mod = None

    def loaded(self):
        if self._mod is None:
            _cuda()
            self._mod = load_module(
                self.source, self.module.namespace, stem="cuda_" + self.module.entry
            )
        return self._mod

    def device(self, name):
        return getattr(self.loaded(), name)

    def launch(self, kind, n, *args):
        kernel = self.device(self.module.kernels[kind])
        blocks = max(1, (n + THREADS - 1) // THREADS)
        try:
            kernel[blocks, THREADS](*args)
        except TangentlikeError:
            raise
        except Exception as exc:
            from numba.core.errors import NumbaError

            if not isinstance(exc, NumbaError):
                raise
            raise TangentlikeError(
                f"the generated CUDA code did not compile. Numba's reason:\n{_numba_reason(exc)}",
                function=self.fn.__name__,
            ) from None

    # ------------------------------------------------------------------ tape
    def tape_buffer(self, slots, rows):
        """A ``(slots, rows)`` float64 device buffer, reused across calls (allocating
        gigabytes of device memory per call would cost more than the kernel)."""
        buf = getattr(self, "_tape", None)
        if buf is None or buf.shape[0] < slots or buf.shape[1] < rows:
            self._tape = None  # free the old one first
            buf = self._tape = _cuda().device_array((slots, rows), np.float64)
        return buf[:slots, :rows]

    def tape_layout(self, X, rest):
        """Per-tape capacities from the counting pass: (offsets, slots per row)."""
        cuda = _cuda()
        m = self.module
        if not m.count:
            return None, 0
        caps = cuda.to_device(np.zeros(m.ntapes, np.int64))
        self.launch("count", X.shape[0], X, *rest, caps)
        caps = caps.copy_to_host()
        offs = np.concatenate([[0], np.cumsum(caps)[:-1]]).astype(np.int64)
        return offs, int(max(caps.sum(), 1))


def is_device_array(x):
    """A Numba device array (real or simulated) or any CUDA array-interface object."""
    cuda = _cuda()
    return hasattr(x, "__cuda_array_interface__") or cuda.devicearray.is_cuda_ndarray(x)


def to_device_args(X, rest, nparams, name):
    cuda = _cuda()
    if len(rest) != nparams - 1:
        raise TangentlikeError(
            f"{name} takes the batch of rows and then {nparams - 1} "
            f"shared argument(s), got {len(rest)}",
            function=name,
        )
    on_device = is_device_array(X)
    if not on_device:
        X = np.asarray(X)
        if X.dtype.kind != "f":
            X = X.astype(np.float64)
        X = cuda.to_device(np.ascontiguousarray(X))
    if len(X.shape) != 2:
        raise TangentlikeError(
            f"the batch must be a 2-D array (one row per item), got shape {tuple(X.shape)}",
            function=name,
        )
    if not hasattr(X, "copy_to_host"):  # a foreign CUDA array (CuPy, PyTorch)
        X = cuda.as_cuda_array(X)
    rest = [
        cuda.to_device(np.ascontiguousarray(a)) if isinstance(a, np.ndarray) else a for a in rest
    ]
    return X, rest, on_device


def run_batched_grad(program, X, rest, nparams, name):
    """Gradients (and values) of every row: device arrays, plus whether X was on device."""
    cuda = _cuda()
    X, rest, on_device = to_device_args(X, rest, nparams, name)
    n = X.shape[0]
    # gradients in the rows' precision, as tl.grad gives them (arithmetic is float64)
    G = cuda.device_array(X.shape, X.dtype if np.dtype(X.dtype).kind == "f" else np.float64)
    V = cuda.device_array(n, np.float64)
    offs, slots = program.tape_layout(X, rest)
    if offs is None:
        program.launch("grad", n, X, *rest, G, V)
        return G, V, on_device
    offs = cuda.to_device(offs)
    chunk = max(1, min(n, TAPE_BYTES // (8 * slots)))
    tape = program.tape_buffer(slots, chunk)
    for a in range(0, n, chunk):
        b = min(n, a + chunk)
        program.launch("grad", b - a, X[a:b], *rest, G[a:b], V[a:b], tape[:, : b - a], offs)
    return G, V, on_device


def run_batched_jvp(program, X, T, rest, nparams, name):
    cuda = _cuda()
    X, rest, on_device = to_device_args(X, rest, nparams, name)
    if not is_device_array(T):
        T = cuda.to_device(np.ascontiguousarray(np.asarray(T, dtype=np.float64)))
    if tuple(T.shape) != tuple(X.shape):
        raise TangentlikeError(
            f"the tangents have shape {tuple(T.shape)}, the rows "
            f"{tuple(X.shape)}: give one tangent row per row",
            function=name,
        )
    n = X.shape[0]
    V = cuda.device_array(n, np.float64)
    D = cuda.device_array(n, np.float64)
    program.launch("jvp", n, X, *rest, T, V, D)
    return V, D, on_device
