"""What a derivative checks and converts at each call: float32 arguments, the result's
shape and the cotangent's, and a tape that ran out of memory (``TapeMemoryError``)."""

import numpy as np

from .errors import TangentlikeError
from .runtime import cast_like


def _as_float32(v):
    if isinstance(v, (float, np.float64)):
        return np.float32(v)
    if isinstance(v, np.ndarray) and v.dtype == np.float64:
        return v.astype(np.float32)
    return v


def _restore_type(g, x):
    if type(g) is np.ndarray or type(x) is float:  # the common cases, without a call
        return g
    return cast_like(g, x)


def check_number_arguments(generated, args):
    """Raise the refusal of an in-place update (``s = x; t = s; s += y``, then ``t`` read)
    when an argument it depends on has more dimensions than leave the updated value a
    number at this call (``x`` an array; ``r = m[i]`` with ``m`` a matrix): the generated
    code performs ``s += y`` as a rebinding, which is Python's meaning only for numbers."""
    for limits, err in generated.number_arguments:
        for k, most in limits:
            a = args[k] if k < len(args) else 0.0
            if np.ndim(a) > most or (most == 0 and isinstance(a, np.ndarray)):
                raise err.with_traceback(None)


class TapeMemoryError(TangentlikeError, MemoryError):
    """The reverse pass ran out of memory (its tape holds every loop step's values)."""


def _tape_held(tb):
    """(entries, bytes) on the tapes of the generated frames in a traceback (plain
    Python derivatives); None when no frame shows them (compiled code)."""
    entries = nbytes = 0
    found = False
    while tb is not None:
        frame = tb.tb_frame
        if frame.f_globals.get("__name__", "").startswith("tl_"):
            for name, value in frame.f_locals.items():
                if name.startswith("_tape") and isinstance(value, list):
                    found = True
                    entries += len(value)
                    nbytes += sum(getattr(v, "nbytes", 8) for v in value)
        tb = tb.tb_next
    return (entries, nbytes) if found else None


def _out_of_memory(exc, derivative):
    held = _tape_held(exc.__traceback__)
    if held is None:
        size = (
            "its tape (one entry per recorded value and loop step; "
            "df.tape_stats(*args) counts it with compile=None on a smaller input)"
        )
    else:
        size = f"its tape, which held {held[0]:,} entries ({held[1]:,} bytes) when memory ran out"
    hint = (
        "checkpoint=True (or a number of snapshots) reverses the main loop from a few "
        "snapshots instead of taping every step"
    )
    if derivative.checkpoint is not None:
        hint = "a smaller checkpoint= count keeps fewer snapshots"
    return TapeMemoryError(
        f"out of memory in the reverse pass: {size}. {hint}.", function=derivative.primal.__name__
    )


_UNKNOWN = object()


def _result_or(fn, args):
    try:
        return fn(*args)
    except Exception:  # noqa: BLE001 - the first error stands
        return _UNKNOWN


def _check_cotangent(dy, result, name, where="dy"):
    """``dy`` must have the structure and exact shape of the result (no broadcasting)."""
    if result is _UNKNOWN:
        return
    if isinstance(result, (tuple, list)):
        if not isinstance(dy, (tuple, list)) or len(dy) != len(result):
            raise TangentlikeError(
                f"{where} must be a tuple of {len(result)} cotangents, one per "
                "output of the function",
                function=name,
            )
        for k, (d, r) in enumerate(zip(dy, result)):
            _check_cotangent(d, r, name, f"{where}[{k}]")
    elif isinstance(dy, (tuple, list)) or np.shape(dy) != np.shape(result):
        shape = "a tuple" if isinstance(dy, (tuple, list)) else f"shape {np.shape(dy)}"
        raise TangentlikeError(
            f"{where} has {shape} but the function's output has shape "
            f"{np.shape(result)}: {where} must have exactly the output's "
            "shape (it is not broadcast)",
            function=name,
        )


def _check_scalar(result, name):
    if isinstance(result, tuple) or (isinstance(result, np.ndarray) and result.size != 1):
        shape = "a tuple" if isinstance(result, tuple) else f"an array of shape {result.shape}"
        raise TangentlikeError(
            f"grad needs a scalar output, but the function returned {shape}; "
            "use tl.vjp(f) for non-scalar outputs",
            function=name,
        )
