"""Pick the faster of two executions of the same generated text, per argument signature.

A loop-free derivative can run as NumPy or as Numba-compiled code. Which is faster
depends on the code and the machine: compiled code has no per-statement interpreter cost
(10-100x faster on small arrays), while NumPy's elementwise transcendental functions are
SIMD-vectorized and Numba's (without Intel's SVML, which pip's llvmlite lacks) call scalar
libm: measured here, ``np.tanh`` on 256x64 values 27 us in NumPy and 316 us compiled, so
the compiled MLP gradient took 780 us and the NumPy one 370 us. So the first real calls
with each argument signature (dtypes and shapes) are timed once the compiled code exists:
a block of NumPy calls, then a block of compiled calls, each counting ``TRIALS`` calls
that start at least ``SETTLE`` seconds into the block, and the faster kind runs from then
on. The settling time is needed on a machine with few cores: NumPy and SciPy (whose BLAS
Numba calls) each bring an OpenBLAS thread pool, whose threads spin for about 0.1 s after
a call, and a call of the other kind in that window is 20-30x slower (the MLP gradient
15 ms instead of 0.5 ms, both ways round). Calls made while the compile thread runs are
not timed. Every trial call is a real call: both kinds run the same text, so they return
the same values (up to the last bits of library functions).
"""

import numpy as np


def signature_of(args):
    """What the choice depends on: each array argument's dtype and shape."""
    return tuple([(a.shape, a.dtype.char) if type(a) is np.ndarray else type(a) for a in args])


class FasterOf:
    TRIALS = 3  # counted calls of each kind per signature
    SETTLE = 0.15  # seconds into a block before its calls count

    def __init__(self):
        self.choice = {}  # signature -> "numba" | "numpy"
        self.trials = {}  # signature -> the state of its trial

    def next_trial(self, sig):
        """The kind to run next for a signature not yet decided: NumPy, then compiled."""
        trial = self.trials.get(sig)
        return "numpy" if trial is None else trial["kind"]

    def record(self, sig, kind, start, seconds):
        """A trial call of ``kind`` that started at ``start`` (perf_counter) and took
        ``seconds``."""
        trial = self.trials.setdefault(
            sig, {"kind": "numpy", "since": start, "counted": 0, "best": {}}
        )
        if start - trial["since"] < self.SETTLE:
            return
        best = trial["best"]
        best[kind] = min(seconds, best.get(kind, seconds))
        trial["counted"] += 1
        if trial["counted"] < self.TRIALS:
            return
        if kind == "numpy":  # on to the compiled block
            trial.update(kind="numba", since=start + seconds, counted=0)
        else:
            self.choice[sig] = "numba" if best["numba"] <= best["numpy"] else "numpy"
            del self.trials[sig]
