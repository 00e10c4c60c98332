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
            fp = fn(*args[:k], xp, *args[k + 1 :])
            fm = fn(*args[:k], xm, *args[k + 1 :])
            g[idx] = (fp - fm) / (2 * h)
        return g
    h = eps * max(1.0, abs(float(x)))
    fp = fn(*args[:k], float(x) + h, *args[k + 1 :])
    fm = fn(*args[:k], float(x) - h, *args[k + 1 :])
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
        lines.append(
            f"argument {k}: gradient {shown}{' ...' if np.size(g) > 6 else ''}  "
            f"max error vs finite differences {err:.2e}"
        )
    ok = worst <= rtol
    lines.append(
        "OK: matches central finite differences"
        if ok
        else f"MISMATCH: error {worst:.2e} > {rtol:.0e}"
    )
    return CheckReport(ok=ok, max_rel_error=worst, text="\n".join(lines))


def _default_eps(x):
    dt = getattr(x, "dtype", np.float64)
    return 1e-3 if dt == np.float32 else 1e-6


def _default_rtol(args):
    f32 = any(getattr(a, "dtype", None) == np.float32 for a in args)
    return 2e-2 if f32 else 1e-5


def check_grads(f, args, order=1, modes=("forward", "reverse"), eps=None, rtol=None, wrt=None):
    """Compare tangentlike's derivatives of ``f`` with central finite differences.

    Checks every floating-point argument (or those in ``wrt``): reverse mode with
    ``tl.grad`` (scalar outputs) or ``tl.vjp`` with a random cotangent, forward mode
    with ``tl.jvp`` along a random direction. The step defaults to 1e-6 (1e-3 for
    float32) times max(1, |x|). On a mismatch raises ``AssertionError`` naming the mode,
    the argument, the index and both values.
    """
    from .api import jvp, vjp

    if order not in (1, 2):
        raise ValueError("check_grads checks order=1 or order=2")
    modes = _modes(modes)
    args = tuple(args)
    if order == 2:
        return _check_second_order(f, args, wrt, eps, rtol)
    if wrt is None:
        wrt = tuple(
            k
            for k, a in enumerate(args)
            if isinstance(a, (float, np.floating))
            or (isinstance(a, np.ndarray) and a.dtype.kind == "f")
        )
    wrt = (wrt,) if isinstance(wrt, int) else tuple(wrt)
    rtol = rtol if rtol is not None else _default_rtol(args)
    rng = np.random.default_rng(0)
    out = np.asarray(f(*args), dtype=np.float64)
    for k in wrt:
        x = args[k]
        h = eps if eps is not None else _default_eps(x)

        def shifted(delta, k=k):
            a = list(args)
            a[k] = (
                np.asarray(args[k], dtype=np.float64) + delta
                if isinstance(args[k], np.ndarray)
                else float(args[k]) + delta
            )
            return np.asarray(f(*a), dtype=np.float64)

        if "reverse" in modes:
            dy = rng.normal(size=out.shape) if out.shape else 1.0
            got = np.asarray(vjp(f, k)(*args, dy), dtype=np.float64)
            for idx in np.ndindex(*np.shape(x)) if np.shape(x) else [()]:
                step = h * max(1.0, abs(float(np.asarray(x)[idx])))
                e = np.zeros(np.shape(x))
                if np.shape(x):
                    e[idx] = step
                else:
                    e = step
                fd = float(np.sum(dy * (shifted(e) - shifted(-e)))) / (2 * step)
                val = float(got[idx]) if np.shape(x) else float(got)
                if not np.isclose(val, fd, rtol=rtol, atol=rtol * max(1.0, abs(fd))):
                    fd2 = float(np.sum(dy * (shifted(e / 10) - shifted(-e / 10)))) / (step / 5)
                    raise AssertionError(
                        f"reverse mode: d{getattr(f, '__name__', 'f')}/d(argument {k}) at index "
                        f"{idx}: tangentlike {val!r}, finite differences {fd!r}"
                        + _kink_note(fd, fd2, step, rtol)
                    )
        if "forward" in modes:
            v = rng.normal(size=np.shape(x)) if np.shape(x) else 1.0
            _, tan = jvp(f, k)(*args, v)
            scale = h * max(1.0, float(np.max(np.abs(x))))
            fd = (shifted(scale * v) - shifted(-scale * v)) / (2 * scale)
            tan = np.asarray(tan, dtype=np.float64)
            bad = ~np.isclose(tan, fd, rtol=rtol, atol=rtol * max(1.0, float(np.max(np.abs(fd)))))
            if np.any(bad):
                idx = (
                    tuple(int(i) for i in np.argwhere(np.atleast_1d(bad))[0])
                    if np.ndim(bad)
                    else ()
                )
                a, b = (np.atleast_1d(tan)[idx], np.atleast_1d(fd)[idx]) if idx else (tan, fd)
                fd2 = (shifted(scale * v / 10) - shifted(-scale * v / 10)) / (scale / 5)
                b2 = np.atleast_1d(fd2)[idx] if idx else fd2
                raise AssertionError(
                    f"forward mode: directional derivative of {getattr(f, '__name__', 'f')} "
                    f"along argument {k}, output index {idx}: tangentlike {float(a)!r}, "
                    f"finite differences {float(b)!r}"
                    + _kink_note(float(b), float(b2), scale, rtol)
                )
    return True


MODE_NAMES = {"forward": "forward", "fwd": "forward", "reverse": "reverse", "rev": "reverse"}


def _modes(modes):
    """``modes`` in tangentlike's or JAX's spelling ("fwd", "rev"), as a set of
    "forward"/"reverse"; anything else is an error, never a check that checks nothing."""
    if isinstance(modes, str):
        modes = (modes,)
    out = set()
    for m in modes:
        if m not in MODE_NAMES:
            raise ValueError(
                f"check_grads: unknown mode {m!r}; use 'forward' ('fwd') and/or 'reverse' ('rev')"
            )
        out.add(MODE_NAMES[m])
    if not out:
        raise ValueError("check_grads: modes is empty; nothing would be checked")
    return out


def _kink_note(fd, fd_small, step, rtol):
    """When differences at two steps disagree with each other, the derivative is not
    what finite differences measure there (a kink, a jump, or a step too large)."""
    if np.isclose(fd, fd_small, rtol=10 * rtol, atol=10 * rtol * max(1.0, abs(fd))):
        return ""
    return (
        f"; finite differences disagree with themselves (step {step:.1e}: {fd!r}, "
        f"step {step / 10:.1e}: {fd_small!r}): the point may sit on a kink or a "
        "discontinuity of the function, where no derivative is exact; try another point"
    )


def _check_second_order(f, args, wrt, eps, rtol):
    """Hessian-vector products (forward over reverse) against central differences of
    the (first-order checked) gradient, along a random direction per argument."""
    from .api import grad
    from .higher_order import hvp

    check_grads(f, args, order=1, modes=("reverse",), eps=eps, rtol=rtol, wrt=wrt)
    if wrt is None:
        wrt = tuple(
            k
            for k, a in enumerate(args)
            if isinstance(a, (float, np.floating))
            or (isinstance(a, np.ndarray) and a.dtype.kind == "f")
        )
    wrt = (wrt,) if isinstance(wrt, int) else tuple(wrt)
    rtol = rtol if rtol is not None else 10 * _default_rtol(args)
    rng = np.random.default_rng(1)
    for k in wrt:
        x = args[k]
        v = rng.normal(size=np.shape(x)) if np.shape(x) else 1.0
        got = np.asarray(hvp(f, k)(*args, v), dtype=np.float64)
        h = (eps if eps is not None else 1e-5) * max(1.0, float(np.max(np.abs(x))))
        g = grad(f, k)
        ap, am = list(args), list(args)
        ap[k] = np.asarray(x, dtype=np.float64) + h * v if np.shape(x) else float(x) + h * v
        am[k] = np.asarray(x, dtype=np.float64) - h * v if np.shape(x) else float(x) - h * v
        fd = (np.asarray(g(*ap), dtype=np.float64) - np.asarray(g(*am), dtype=np.float64)) / (2 * h)
        bad = ~np.isclose(got, fd, rtol=rtol, atol=rtol * max(1.0, float(np.max(np.abs(fd)))))
        if np.any(bad):
            idx = tuple(int(i) for i in np.argwhere(np.atleast_1d(bad))[0])
            raise AssertionError(
                f"second order: Hessian-vector product of {getattr(f, '__name__', 'f')} for "
                f"argument {k} at index {idx}: tangentlike {float(np.atleast_1d(got)[idx])!r}, "
                f"finite differences {float(np.atleast_1d(fd)[idx])!r}"
            )
    return True
