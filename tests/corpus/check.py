"""Engine-independent sanity check of the corpus:  python -m tests.corpus.check [--numba]

* every primal runs in plain Python and returns a finite scalar (vector for VJP_CASES);
* finite differences are stable (step 1e-6 vs 1e-4 agree), i.e. inputs are away from kinks;
* with --numba: the `numba` flag of each case agrees with whether numba.njit compiles the primal
  (module-level callees are jitted too).
"""

import sys
import time
import types

import numpy as np

from tests import fd
from tests.corpus import ALL_CASES, ALL_IDS, VJP_CASES, VJP_IDS


def njit_primal(fn):
    """numba.njit the function with every module-level function of its module jitted as well."""
    import numba

    mod = sys.modules[fn.__module__]
    g = dict(mod.__dict__)
    for name, obj in list(mod.__dict__.items()):
        if isinstance(obj, types.FunctionType) and obj.__module__ == mod.__name__:
            clone = types.FunctionType(obj.__code__, g, obj.__name__, obj.__defaults__)
            g[name] = numba.njit(clone)
    return g[fn.__name__]


def _close(a, b, rtol=1e-4, atol=1e-6):
    for (_, x), (_, y) in zip(fd._leaves(a), fd._leaves(b)):
        x = np.asarray(x, dtype=float)
        y = np.asarray(y, dtype=float)
        t = atol * max(1.0, float(np.max(np.abs(y))) if y.size else 1.0)
        if not np.allclose(x, y, rtol=rtol, atol=t):
            return False
    return True


def main(argv):
    do_numba = "--numba" in argv
    problems = []
    infos = []
    for cases, ids, vector in ((ALL_CASES, ALL_IDS, False), (VJP_CASES, VJP_IDS, True)):
        for case, cid in zip(cases, ids):
            try:
                out = case.fn(*case.args)
            except Exception as e:  # noqa: BLE001
                problems.append(f"{cid}: primal raised {e!r}")
                continue
            arr = np.asarray(out)
            if not np.all(np.isfinite(arr)):
                problems.append(f"{cid}: non-finite output")
            if not vector and arr.size != 1:
                problems.append(f"{cid}: output shape {arr.shape} is not scalar")
            if vector and arr.ndim == 0:
                problems.append(f"{cid}: VJP case has scalar output")
            if vector:
                dy = np.random.default_rng(0).standard_normal(arr.shape)
                f = lambda *a, _f=case.fn: float(np.sum(dy * np.asarray(_f(*a))))  # noqa: E731
            else:
                f = case.fn
            old = fd.STEP64
            try:
                g1 = fd.fd_grad(f, case.args, case.wrt)
                fd.STEP64 = 1e-4
                g2 = fd.fd_grad(f, case.args, case.wrt)
            finally:
                fd.STEP64 = old
            if not _close(g1, g2):
                problems.append(f"{cid}: FD unstable (kink nearby?)")
            if do_numba:
                t0 = time.perf_counter()
                try:
                    jf = njit_primal(case.fn)
                    jout = jf(*case.args)
                    ok = np.allclose(np.asarray(jout, dtype=float), arr.astype(float), rtol=1e-6)
                    compiled = True
                    err = "" if ok else "numba result differs from python"
                except Exception as e:  # noqa: BLE001
                    compiled = False
                    err = str(e).strip().splitlines()[0][:150]
                dt = time.perf_counter() - t0
                if compiled and err:
                    problems.append(f"{cid}: {err}")
                if case.numba and not compiled:
                    problems.append(f"{cid}: numba=True but njit fails: {err}")
                elif compiled and not case.numba:
                    infos.append(
                        f"{cid}: numba=False although njit compiles the primal ({case.note})"
                    )
                print(f"{cid:45s} njit={compiled!s:5} {dt:5.2f}s", flush=True)
    n_fn = len({c.fn for c in ALL_CASES})
    print(f"{len(ALL_CASES)} grad cases ({n_fn} distinct functions), {len(VJP_CASES)} vjp cases")
    for i in infos:
        print("INFO", i)
    for p in problems:
        print("PROBLEM", p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
