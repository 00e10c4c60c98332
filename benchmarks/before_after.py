"""``python -m benchmarks.before_after [kernel ...]``: the real-world kernels' gradients
generated with the engine's switches off (what the transform made before) and on, timed
in one process against the Numba primal: interleaved rounds, medians, full sizes
(``QUICK=1``: the quick sizes; ``ROUNDS=n``). Prints the ratios and whether the generated
code changed; the texts go to ``$TMPDIR/tl_before_after/<kernel>_{before,after}.py``."""

import importlib
import os
import statistics
import sys
import tempfile
import time

os.environ["TANGENTLIKE_GENERATION_CACHE"] = "0"  # generate both versions

import numpy as np  # noqa: E402

import tangentlike as tl  # noqa: E402
from tangentlike.backends import numba_backend  # noqa: E402

from . import realworld as rw  # noqa: E402

SWITCHES = [
    ("tangentlike.transform.loop_adjoints", "ENABLED"),
    ("tangentlike.transform.statement_adjoint", "WIDE_CALL_SEEDS"),
    ("tangentlike.transform.reads", "SHAPE_ONLY_VALUES"),
]


def _switch(on):
    for module, attr in SWITCHES:
        setattr(importlib.import_module(module), attr, on)


def _per_call(calls, rounds):
    reps = {}
    for k, f in calls.items():
        t0, n = time.perf_counter(), 0
        while time.perf_counter() - t0 < 0.003:
            f()
            n += 1
        reps[k] = n
    samples = {k: [] for k in calls}
    for _ in range(rounds):
        for k, f in calls.items():
            t0 = time.perf_counter()
            for _ in range(reps[k]):
                f()
            samples[k].append((time.perf_counter() - t0) / reps[k])
    return {k: statistics.median(v) for k, v in samples.items()}


def _leaves(g):
    return [np.asarray(x) for x in (g if isinstance(g, tuple) else (g,))]


def main(names):
    numba_backend.BACKGROUND_COMPILE = False
    out_dir = os.path.join(tempfile.gettempdir(), "tl_before_after")
    os.makedirs(out_dir, exist_ok=True)
    quick = os.environ.get("QUICK") == "1"
    rounds = int(os.environ.get("ROUNDS", "15"))
    for p in rw.REALWORLD:
        if names and p.name not in names:
            continue
        for size in p.quick_sizes if quick else p.sizes:
            args = p.make_inputs(size)
            primal = rw.numba_primal(p.func)
            primal(*args)
            made, texts = {}, {}
            for label, on in (("before", False), ("after", True)):
                _switch(on)
                df = tl.grad(p.func, wrt=p.wrt, compile="numba")
                made[label] = (df, df(*args))
                texts[label] = str(tl.source(df))
                with open(os.path.join(out_dir, f"{p.name}_{label}.py"), "w") as f:
                    f.write(texts[label])
            _switch(True)
            gb, ga = _leaves(made["before"][1]), _leaves(made["after"][1])
            diff = max(float(np.max(np.abs(a - b))) for a, b in zip(ga, gb))
            t = _per_call(
                {
                    "primal": lambda: primal(*args),
                    "before": lambda: made["before"][0](*args),
                    "after": lambda: made["after"][0](*args),
                },
                rounds,
            )
            code = "same" if texts["before"] == texts["after"] else "changed"
            print(
                f"{p.name:12} {size:>5}  primal {t['primal'] * 1e6:9.1f} us  "
                f"before {t['before'] * 1e6:9.1f} us ({t['before'] / t['primal']:5.2f}x)  "
                f"after {t['after'] * 1e6:9.1f} us ({t['after'] / t['primal']:5.2f}x)  "
                f"max|diff| {diff:.1e}  code {code}",
                flush=True,
            )


if __name__ == "__main__":
    main(sys.argv[1:])
