"""Differential checks of one program: every derivative against finite differences and an
independent mode, interpreted against compiled, inputs never mutated.

``check(source, args, numba=False, second_order=True)`` returns a ``Result``
(``numba=True`` also compiles the gradient and the jvp, ``numba="grad"`` the gradient only);
``status`` is one of

* ``ok``       every check that applies agreed;
* ``invalid``  the program itself fails or is not tame (its value raises, is not finite or
               is huge, or an intermediate overflows or is NaN: ``0 * inf`` in an adjoint
               is NaN in every reverse-mode tool): a generator problem, not counted
               against the engine;
* ``refused``  tangentlike raised ``TangentlikeError`` (it says what is not supported);
* ``wrong``    a derivative disagrees with its reference;
* ``crash``    any other exception from tangentlike or the generated code;
* ``mutated``  a derivative changed an input;

and ``check`` names the failing comparison (``grad_vs_fd``, ``jvp_vs_grad``, ...), so the
shrinker keeps a failure of the same kind.
"""

import importlib.util
import itertools
import os
import sys
import tempfile
import traceback
from dataclasses import dataclass

import numpy as np

import tangentlike as tl

WRT = (0, 1, 2, 3)
_DIR = None
_COUNT = itertools.count()


@dataclass
class Result:
    status: str
    check: str = ""
    detail: str = ""

    @property
    def signature(self):
        """What the shrinker must keep: the kind of failure, the check and the exception."""
        return (self.status, self.check, self.detail.split(":")[0])


def load(source, name=None):
    """Import ``source`` as a real module file (tangentlike reads functions' source)."""
    global _DIR
    if _DIR is None:
        _DIR = tempfile.mkdtemp(prefix="tl_fuzz_")
    name = name or f"tl_fuzz_prog_{os.getpid()}_{next(_COUNT)}"
    path = os.path.join(_DIR, name + ".py")
    with open(path, "w") as fh:
        fh.write(source)
    spec = importlib.util.spec_from_file_location(name, path)
    mod = importlib.util.module_from_spec(spec)
    sys.modules[name] = mod
    spec.loader.exec_module(mod)
    return mod


def copy_args(args):
    return tuple(np.array(a, copy=True) if isinstance(a, np.ndarray) else a for a in args)


def same_args(a, b):
    return all(np.array_equal(x, y) for x, y in zip(a, b))


def flat(values):
    return np.concatenate([np.ravel(np.asarray(x, dtype=np.float64)) for x in values])


def unflat(vec, like):
    out, k = [], 0
    for x in like:
        size = np.size(x)
        part = vec[k : k + size]
        k += size
        out.append(float(part[0]) if np.ndim(x) == 0 else part.reshape(np.shape(x)))
    return tuple(out)


def fd_directional(fun, args, direction, h):
    """5-point central difference of ``fun`` (a float or array valued function of the
    argument tuple) along ``direction`` (flattened over all arguments)."""
    x = flat(args)

    def at(t):
        return np.asarray(fun(unflat(x + t * direction, args)), dtype=np.float64)

    return (-at(2 * h) + 8 * at(h) - 8 * at(-h) + at(-2 * h)) / (12 * h)


def fd_gradient(fun, args, h):
    x = flat(args)
    g = np.zeros_like(x)
    for i in range(x.size):
        e = np.zeros_like(x)
        e[i] = 1.0
        g[i] = fd_directional(fun, args, e, h)
    return g


def close(a, b, rtol, atol_scale):
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    scale = max(1.0, float(np.max(np.abs(b), initial=0.0)))
    return bool(np.all(np.isfinite(a))) and bool(
        np.all(np.abs(a - b) <= rtol * np.abs(b) + atol_scale * scale)
    )


class Failure(Exception):
    def __init__(self, status, check, detail=""):
        super().__init__(status, check, detail)
        self.result = Result(status, check, detail)


def guarded(check, fn, *a):
    """Call a derivative: TangentlikeError -> refused, anything else raised -> crash."""
    try:
        return fn(*a)
    except tl.TangentlikeError as exc:
        raise Failure("refused", check, f"TangentlikeError: {exc}") from None
    except Exception as exc:  # noqa: BLE001 - that is the point
        tb = traceback.format_exception_only(type(exc), exc)[-1].strip()
        raise Failure("crash", check, tb) from None


def call_checked(check, fn, args):
    """Call ``fn(*args)`` on copies; a changed copy is a mutated input."""
    mine = copy_args(args)
    out = guarded(check, fn, *mine)
    if not same_args(mine, args):
        raise Failure("mutated", check)
    return out


def reassigns_other_argument(f, k):
    """Whether ``f`` assigns to an argument other than number ``k``: second order is skipped
    there until findings/fuzz.md F4 (hvp reads the tangent of a reassigned argument
    outside wrt) is fixed."""
    import ast
    import inspect

    tree = ast.parse(inspect.getsource(f))
    params = [p.arg for p in tree.body[0].args.args]
    others = set(params) - {params[k]}
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store) and node.id in others:
            return True
    return False


def tapes_left(df, args):
    """Run the interpreted derivative ``df`` with its tapes inspected where it returns;
    returns {tape: entries left} for those not empty. The invariant (docs/design.md, "Tape
    invariants"): every push is paired with exactly one pop on every path."""
    from tangentlike.backends.loader import load_module

    gen = df.generated
    out, in_entry, left = [], False, {}
    for ln in gen.source.splitlines():
        if ln.startswith("def "):
            in_entry = ln.startswith(f"def {gen.entry}(")
        if in_entry and ln.strip().startswith("return "):
            indent = ln[: len(ln) - len(ln.lstrip())]
            out.append(
                indent + "__tl_left__.update({k: len(v) for k, v in locals().items() "
                "if k.startswith('_tape') and isinstance(v, list) and v})"
            )
        out.append(ln)
    ns = dict(gen.namespace)
    ns["__tl_left__"] = left
    mod = load_module("\n".join(out) + "\n", ns, stem=gen.entry + "_tapes")
    getattr(mod, gen.entry)(*df._bind(copy_args(args)), 1.0)
    return left


def check(source, args, numba=False, second_order=True, seed=0):
    try:
        return _check(source, args, numba, second_order, seed)
    except Failure as f:
        return f.result
    except Exception as exc:  # noqa: BLE001 - e.g. a result of odd structure
        tb = traceback.format_exception_only(type(exc), exc)[-1].strip()
        return Result("crash", "checker", tb)


def _check(source, args, numba, second_order, seed):
    try:
        mod = load(source)
        f = mod.f
        with np.errstate(over="raise", invalid="raise", divide="raise"):
            value = float(f(*copy_args(args)))
    except Exception as exc:  # noqa: BLE001
        return Result("invalid", "primal", f"{type(exc).__name__}: {exc}")
    if not np.isfinite(value) or abs(value) > 1e6:
        return Result("invalid", "primal", f"value {value}")

    def primal(a):
        return f(*copy_args(a))

    x = flat(args)
    hs = 1e-3 * max(1.0, float(np.max(np.abs(x))))
    g_fd = fd_gradient(primal, args, hs)
    g_fd2 = fd_gradient(primal, args, hs / 4)
    fd_ok = close(g_fd, g_fd2, 1e-6, 1e-6)  # smooth here: no branch edge within reach

    dgrad = guarded("grad", tl.grad, f, WRT)
    g = call_checked("grad", dgrad, args)
    g = flat(g)
    if g.shape != x.shape:
        raise Failure("wrong", "grad_shape", f"{g.shape} vs {x.shape}")
    if fd_ok and not close(g, g_fd, 1e-5, 1e-6):
        raise Failure("wrong", "grad_vs_fd", f"max |diff| {np.max(np.abs(g - g_fd)):.3g}")

    left = guarded("tapes", tapes_left, dgrad, args)
    if left:
        raise Failure("wrong", "tapes_left", f"tapes not empty after the reverse sweep: {left}")

    vjp = guarded("vjp", lambda: tl.vjp(f, WRT, preserve_result=True))
    gv, val = call_checked("vjp", vjp, args + (1.0,))
    if not close(val, value, 1e-12, 1e-12):
        raise Failure("wrong", "vjp_value", f"{val} vs {value}")
    if not close(flat(gv), g, 1e-10, 1e-12):
        raise Failure("wrong", "vjp_vs_grad", f"max |diff| {np.max(np.abs(flat(gv) - g)):.3g}")

    rng = np.random.default_rng(seed + 17)
    direction = rng.uniform(-1, 1, x.size)
    tangents = unflat(direction, args)
    dj = guarded("jvp", tl.jvp, f, WRT)
    val, tan = call_checked("jvp", dj, args + tangents)
    if not close(val, value, 1e-12, 1e-12):
        raise Failure("wrong", "jvp_value", f"{val} vs {value}")
    expect = float(np.dot(g, direction))
    scale = float(np.dot(np.abs(g), np.abs(direction)))
    if not (np.isfinite(tan) and abs(tan - expect) <= 1e-10 * max(1.0, scale)):
        raise Failure("wrong", "jvp_vs_grad", f"{tan} vs {expect}")

    k = int(rng.integers(len(args)))
    if second_order and not reassigns_other_argument(f, k):
        vk = rng.uniform(-1, 1, np.shape(args[k]))
        vk = float(vk) if np.ndim(args[k]) == 0 else vk
        hv = guarded("hvp", tl.hvp, f, k)
        hv_val = flat([call_checked("hvp", hv, args + (vk,))])
        d = np.zeros_like(x)
        offset = sum(np.size(a) for a in args[:k])
        d[offset : offset + np.size(args[k])] = np.ravel(vk)

        def grad_k(a):  # the gradient checked above, its k-th part (no new generation)
            return flat([dgrad(*copy_args(a))[k]])

        h2 = 1e-3
        ref = fd_directional(grad_k, args, d, h2)
        ref2 = fd_directional(grad_k, args, d, h2 / 4)
        if close(ref, ref2, 1e-6, 1e-6) and not close(hv_val, ref, 1e-5, 1e-6):
            raise Failure("wrong", "hvp_vs_fd", f"max |diff| {np.max(np.abs(hv_val - ref)):.3g}")

    if numba:
        dn = guarded("numba_grad", lambda: tl.grad(f, WRT, compile="numba"))
        gn = flat(call_checked("numba_grad", dn, args))
        if not close(gn, g, 1e-10, 1e-12):
            raise Failure("wrong", "numba_vs_python", f"max |diff| {np.max(np.abs(gn - g)):.3g}")
        if numba == "grad":
            return Result("ok", "", "" if fd_ok else "fd skipped (kink)")
        djn = guarded("numba_jvp", lambda: tl.jvp(f, WRT, compile="numba"))
        valn, tann = call_checked("numba_jvp", djn, args + tangents)
        if not (abs(tann - tan) <= 1e-10 * max(1.0, scale) and close(valn, value, 1e-10, 1e-12)):
            raise Failure("wrong", "numba_jvp_vs_python", f"{tann} vs {tan}")
    return Result("ok", "", "" if fd_ok else "fd skipped (kink)")
