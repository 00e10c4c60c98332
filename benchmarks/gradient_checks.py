"""Comparing gradients: each tool's gradient as a list of arrays, the relative
difference of two, and central finite differences of the primal for a few components."""

import numpy as np


def as_list(problem, g):
    """A tool's gradient (one value or a tuple) as a list of float64 arrays, one per wrt."""
    if len(problem.wrt_tuple) > 1:
        return [np.asarray(x, dtype=np.float64) for x in g]
    return [np.asarray(g, dtype=np.float64)]


def flat(glist):
    return np.concatenate([np.ravel(x) for x in glist])


def rel_diff(a, b):
    """Normwise relative difference max|a - b| / max|b| of two flattened gradients."""
    a, b = flat(a), flat(b)
    if a.shape != b.shape:
        return float("inf")
    scale = np.max(np.abs(b))
    if not np.all(np.isfinite(a)) or not np.all(np.isfinite(b)):
        return float("inf")
    return float(np.max(np.abs(a - b)) / (scale if scale > 0 else 1.0))


def fd_check(problem, primal, args, glist):
    """Central differences of the (Numba) primal for a few gradient components.

    Step h = 1e-5 * max(1, |x|); error |fd - g| / max(|fd|, |g|, 1e-2 * max|grad|)
    (components far below the gradient's scale are dominated by FD round-off).
    """
    wrt = problem.wrt_tuple
    picks = []
    for k, i in enumerate(wrt):
        a = args[i]
        if isinstance(a, np.ndarray):
            size = a.size
            for idx in sorted({0, size // 2, size - 1}):
                picks.append((k, i, idx))
        else:
            picks.append((k, i, None))
    scale = np.max(np.abs(flat(glist)))
    worst = 0.0
    comps = []
    for k, i, idx in picks:
        base = list(args)
        if idx is None:
            x = float(args[i])
        else:
            x = float(args[i].flat[idx])
        h = 1e-5 * max(1.0, abs(x))

        def f_at(v):
            a = list(base)
            if idx is None:
                a[i] = v
            else:
                arr = args[i].copy()
                arr.flat[idx] = v
                a[i] = arr
            return primal(*a)

        fd = (f_at(x + h) - f_at(x - h)) / (2 * h)
        g = float(glist[k]) if idx is None else float(np.ravel(glist[k])[idx])
        err = abs(fd - g) / max(abs(fd), abs(g), 1e-2 * scale, 1e-300)
        worst = max(worst, err)
        name = problem.wrt_names[k] + ("" if idx is None else f"[{idx}]")
        comps.append(dict(component=name, fd=fd, grad=g, rel_diff=err))
    return worst, comps
