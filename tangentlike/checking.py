"""Check a generated gradient against central finite differences."""
from dataclasses import dataclass

import numpy as np


@dataclass
class CheckReport:
    ok: bool
    max_rel_error: float
    text: str


def _fd(fn, args, k, eps):
    x = args[k]
    if isinstance(x, np.ndarray):
        g = np.zeros(x.shape)
        for idx in np.ndindex(x.shape):
            xp, xm = x.astype(np.float64).copy(), x.astype(np.float64).copy()
            h = eps * max(1.0, abs(float(x[idx])))
            xp[idx] += h
            xm[idx] -= h
            fp = fn(*args[:k], xp, *args[k + 1:])
            fm = fn(*args[:k], xm, *args[k + 1:])
            g[idx] = (fp - fm) / (2 * h)
        return g
    h = eps * max(1.0, abs(float(x)))
    fp = fn(*args[:k], float(x) + h, *args[k + 1:])
    fm = fn(*args[:k], float(x) - h, *args[k + 1:])
    return (fp - fm) / (2 * h)


def finite_difference_check(fn, df, args, wrt=0, eps=1e-6, rtol=1e-5):
    """Run ``df(*args)`` and compare every gradient with central differences of ``fn``."""
    grads = df(*args)
    ks = (wrt,) if isinstance(wrt, int) else tuple(wrt)
    if isinstance(wrt, int):
        grads = (grads,)
    lines, worst = [], 0.0
    for k, g in zip(ks, grads):
        ref = _fd(fn, list(args), k, eps)
        g = np.asarray(g, dtype=np.float64)
        scale = max(1.0, float(np.max(np.abs(ref))))
        err = float(np.max(np.abs(g - ref))) / scale
        worst = max(worst, err)
        shown = np.array2string(np.ravel(g)[:6], precision=6)
        lines.append(f"argument {k}: gradient {shown}{' ...' if np.size(g) > 6 else ''}  "
                     f"max error vs finite differences {err:.2e}")
    ok = worst <= rtol
    lines.append("OK: matches central finite differences" if ok
                 else f"MISMATCH: error {worst:.2e} > {rtol:.0e}")
    return CheckReport(ok=ok, max_rel_error=worst, text="\n".join(lines))
