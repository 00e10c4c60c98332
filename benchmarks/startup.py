"""First-call and second-process cost of compiled gradients.

    python -m benchmarks.startup [--json PATH] [--kernels thermal,lj]

For every benchmark kernel, two fresh Python processes share one empty cache directory:

* process 1 (cold): ``tl.grad(f, compile="numba")`` plus its first call: code
  generation and Numba compilation of the primal's callees and the gradient;
* process 2 (warm): the same, now loading the machine code from Numba's disk cache.

Loop-free kernels (logreg, mlp) compile in the background while their first calls run as
NumPy; for them the table also gives when the compiled code took over.

Each process also reports what its imports cost (``import tangentlike``, which imports
NumPy and Numba), since no cache can remove those, and the first call's share that is
Numba's own start-up: the first compiled call of any Numba program initializes the CPU
target (its registries of typing and lowering rules, which import SciPy's BLAS), 0.3-0.5 s
here. Times are wall-clock seconds.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile

CHILD = r"""
import json, sys, time
t0 = time.perf_counter()
import tangentlike as tl
from benchmarks import kernels as K
t1 = time.perf_counter()
p = K.PROBLEMS_BY_NAME[sys.argv[1]]
args = p.make_inputs(p.sizes[0])
t2 = time.perf_counter()
df = tl.grad(p.func, wrt=p.wrt, compile="numba")
tg = time.perf_counter()
from tangentlike.backends.numba_backend import loop_free
if not loop_free(df.generated):        # Numba's start-up, which the first call would do
    from numba.core.registry import cpu_target
    cpu_target.target_context.refresh()
tn = time.perf_counter()
df(*args)
t3 = time.perf_counter()
out = {"import_s": t1 - t0, "first_call_s": t3 - t2, "generate_s": tg - t2,
       "numba_startup_s": tn - tg}
if df._compiled().tiered:           # loop-free: the first call ran as NumPy
    df.wait_compiled()
    out["compiled_after_s"] = time.perf_counter() - t2
print(json.dumps(out))
"""


def run_child(name, cache):
    env = dict(os.environ, TANGENTLIKE_CACHE_DIR=cache)
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    out = subprocess.run(
        [sys.executable, "-c", CHILD, name],
        env=env,
        cwd=root,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(argv=None):
    from . import kernels as K

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--kernels", default=None)
    ap.add_argument("--json", default=None)
    a = ap.parse_args(argv)
    names = a.kernels.split(",") if a.kernels else [p.name for p in K.PROBLEMS]
    rows = []
    for name in names:
        with tempfile.TemporaryDirectory() as cache:
            cold = run_child(name, cache)
            warm = run_child(name, cache)
        rows.append({"kernel": name, "cold": cold, "warm": warm})
        print(f"  {name}: done", file=sys.stderr, flush=True)
    print(
        "| kernel | first call, cold cache | first call, second process | "
        "of which Numba start-up / generation | import tangentlike (each process) |"
    )
    print("|---|---|---|---|---|")

    def bg(run):
        t = run.get("compiled_after_s")
        return "" if t is None else f" (as NumPy; compiled by {t:.2f} s)"

    def startup(run):
        t = run["numba_startup_s"]
        return f"{t:.3f} s" if t > 0.001 else "- (in the background)"

    for r in rows:
        print(
            f"| {r['kernel']} | {r['cold']['first_call_s']:.2f} s{bg(r['cold'])} | "
            f"{r['warm']['first_call_s']:.3f} s{bg(r['warm'])} | "
            f"{startup(r['warm'])} / {r['warm']['generate_s']:.3f} s | "
            f"{r['cold']['import_s']:.2f} s / "
            f"{r['warm']['import_s']:.2f} s |"
        )
    if a.json:
        with open(a.json, "w") as fh:
            json.dump(rows, fh, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
