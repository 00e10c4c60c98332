"""Checks on the values a derivative is called with, and JAX's spelling of its options.

A derivative is taken w.r.t. real floating-point values: an integer or bool ``wrt``
argument has no tangent space (JAX refuses it too), and a complex one would get the
gradient of a real function of ``(re, im)`` conjugated without a word, so both raise
before anything runs. The checks cost one ``type()`` test per ``wrt`` argument on the
common path (a Python float or a float ndarray).
"""

import numpy as np

from .errors import TangentlikeError


def resolve_argnums(wrt, argnums, fn):
    """``argnums`` is ``wrt`` under JAX's name: either may be given, not two different."""
    if argnums is None:
        return wrt
    if wrt is not None and _as_tuple(wrt) != _as_tuple(argnums):
        raise TangentlikeError(
            f"argnums={argnums!r} and wrt={wrt!r} name different arguments; give one of them",
            function=getattr(fn, "__name__", None),
        )
    return argnums


def _as_tuple(v):
    return tuple(v) if isinstance(v, (tuple, list)) else (v,)


def check_float_args(args, wrt, name):
    """Raise unless every ``wrt`` argument is real floating point (or a container of it)."""
    for k in wrt:
        a = args[k]
        t = type(a)
        if t is float or (t is np.ndarray and a.dtype.kind == "f"):
            continue
        _check_value(a, k, name)


def _check_value(a, k, name):
    if isinstance(a, (list, tuple)):
        for v in a:
            _check_value(v, k, name)
        return
    if isinstance(a, dict):
        for v in a.values():
            _check_value(v, k, name)
        return
    kind = None
    if isinstance(a, (bool, np.bool_)):
        kind = "b"
    elif isinstance(a, (int, np.integer)):
        kind = "i"
    elif isinstance(a, (complex, np.complexfloating)):
        kind = "c"
    elif isinstance(a, np.ndarray):
        kind = a.dtype.kind
    if kind in ("b", "i", "u"):
        what = "bool" if kind == "b" else "integer"
        raise TangentlikeError(
            f"argument {k} is differentiated (wrt) but holds {what} values "
            f"({_describe(a)}); pass floats, e.g. {_hint(a)}",
            function=name,
        )
    if kind == "c":
        raise TangentlikeError(
            f"argument {k} is differentiated (wrt) but is complex ({_describe(a)}); "
            "tangentlike differentiates real functions of real inputs: pass the real and "
            "imaginary parts as separate float arguments",
            function=name,
        )


def _describe(a):
    if isinstance(a, np.ndarray):
        return f"an array of dtype {a.dtype}"
    return f"{type(a).__name__} {a!r}"


def _hint(a):
    if isinstance(a, np.ndarray):
        return "x.astype(np.float64)"
    return f"{float(np.real(a))!r}"


def float_dtype(*values):
    """The floating dtype results are given in: the inputs' float dtype (float32 stays
    float32), float64 for anything else."""
    dtypes = [np.asarray(v).dtype for v in values if np.asarray(v).dtype.kind == "f"]
    return np.result_type(*dtypes) if dtypes else np.dtype(np.float64)


def bind_arguments(signature, args, kwargs, name, trailing=0):
    """The positional arguments of a call ``df(*args, **kwargs)`` of a derivative of a
    function with ``signature``: keywords placed and defaults filled in, as the primal
    would bind them; the last ``trailing`` positional values (tangents, ``v``) are kept
    after them."""
    nparams = len(signature.parameters)
    if not kwargs and len(args) == nparams + trailing:
        return tuple(args)
    head, tail = args[: max(len(args) - trailing, 0)], args[max(len(args) - trailing, 0) :]
    try:
        ba = signature.bind(*head, **kwargs)
    except TypeError as exc:
        raise TangentlikeError(f"bad arguments: {exc}", function=name) from None
    ba.apply_defaults()
    return tuple(ba.arguments.values()) + tuple(tail)
