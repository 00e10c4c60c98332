"""Derivatives of functions that call a function passed as an argument.

``tl.grad(euler)`` cannot be generated before it is called: the derivative of ``f(y)``
inside ``euler(f, y0, h, n)`` is that of the function passed. Such a derivative is
generated at its first call with each distinct function (by identity) and kept; under
``compile="numba"`` the function is passed to the compiled code jitted.
"""

from .errors import TangentlikeError
from .parse.specialized import CONSTRUCT, Record, bind_function_args


def deferred(generate, error_fn):
    """``generate()``, or None when the function calls one of its arguments (then it is
    generated per function passed, at the call)."""
    try:
        return generate(None)
    except TangentlikeError as exc:
        if exc.construct != CONSTRUCT:
            raise
        error_fn.append(exc)
        return None


def select(df, args, generate):
    """Point ``df`` at the derivative generated for the functions in ``args``; returns the
    arguments to pass (functions jitted under Numba)."""
    target = bind_function_args(df.primal, args)
    if target is df.primal:  # no function passed where one is called
        raise df._deferred_error[0]
    cache = df.__dict__.setdefault("_per_function", {})
    entry = cache.get(target)
    if entry is None:
        entry = cache[target] = [generate(target), None]
    df.generated, df._fn = entry[0], entry[1]
    if df.compile == "numba":
        from .parse.resolve import is_user_function
        from .backends.numba_user_code import jit_user_function

        for name, fn in target.bindings:
            if not isinstance(fn, Record) and not is_user_function(fn):
                raise TangentlikeError(
                    f"compile='numba': the argument '{name}' is "
                    f"{getattr(fn, '__name__', fn)!s}, a library function, which compiled code "
                    "cannot take as an argument; pass a Python function that calls it",
                    function=df.primal.__name__,
                    construct=CONSTRUCT,
                )
        args = [jit_user_function(a) if is_user_function(a) else a for a in args]
    if df._fn is None:
        entry[1] = df._compiled()
    params = list(df.signature.parameters)
    records = {params.index(name): rec for name, rec in target.bindings if isinstance(rec, Record)}
    df._records = records  # argument index -> Record, for restore()
    return [records[k].flatten(a) if k in records else a for k, a in enumerate(args)]


def restore(df, out):
    """Gradients of dataclass and namedtuple arguments as instances of their class."""
    records = getattr(df, "_records", None)
    if not records:
        return out
    parts = (out,) if df.single else tuple(out)
    parts = tuple(records[k].rebuild(g) if k in records else g for g, k in zip(parts, df.wrt))
    return parts[0] if df.single else parts


def flatten_tangents(df, tangents):
    """Tangents given for dataclass arguments, as the tuples the generated code takes."""
    records = getattr(df, "_records", None) or {}
    return [records[k].flatten(t) if k in records else t for t, k in zip(tangents, df.wrt)]


def require_generated(df):
    if df.generated is None:
        raise TangentlikeError(
            "this derivative is generated per function (or dataclass) passed as an argument, "
            "at its call: call it before tl.source; to differentiate it again (tl.hvp, "
            "tl.grad of tl.grad), differentiate a function that passes the argument itself "
            "(def g(y0): return euler(rhs, y0, h, n))",
            function=df.primal.__name__,
            construct=CONSTRUCT,
        )
