"""The runtime helpers' scalar cases under Numba, lowered straight to LLVM values.

On scalars every shape helper is trivial (``zeros_like(x)`` is ``0.0``, ``unbroadcast(g, x)``
is ``g``), and a scalar loop's gradient calls them ~100 times. Written as ``@overload``
functions, each call site would be compiled and inlined as a small Numba function (type
inference, IR inlining, LLVM), which was two thirds of the Lorenz RK4 gradient's compile
time. Here each scalar case is a typing rule plus a few LLVM instructions (Numba's
low-level extension API: ``type_callable`` + ``lower_builtin``), so a call costs what the
value costs. The array cases stay with the ``@overload`` twins in ``values.py`` and
``broadcasting.py``, which
decline scalar arguments so that Numba falls through to these rules.
"""

from numba.core import types
from numba.extending import lower_builtin, type_callable

from .broadcasting import expand_like, unbroadcast, unreduce_ones
from .values import cast_like, cast_owned, copy_value, own, stop_gradient, to_float, zeros_like

_SCALAR = (types.Number, types.Boolean)


def is_scalar(ty):
    return isinstance(ty, _SCALAR)


def _cast_like_type(g, x):
    """``cast_like(g, x)`` for a scalar gradient: float inputs get their own precision."""
    return types.unliteral(x if isinstance(x, types.Float) else g)


# ---------------------------------------------------------------- typing
@type_callable(zeros_like)
def _type_zeros_like(context):
    return lambda x: types.float64 if is_scalar(x) else None


@type_callable(unreduce_ones)
def _type_unreduce_ones(context):
    return lambda z: types.float64 if is_scalar(z) else None


@type_callable(to_float)
def _type_to_float(context):
    return lambda x: types.float64 if is_scalar(x) else None


def _type_identity(context):
    return lambda x: types.unliteral(x) if is_scalar(x) else None


for _fn in (copy_value, own, stop_gradient):
    type_callable(_fn)(_type_identity)


def _type_first_of_two(context):
    return lambda g, x: types.unliteral(g) if is_scalar(g) and is_scalar(x) else None


for _fn in (unbroadcast, expand_like):
    type_callable(_fn)(_type_first_of_two)


def _type_cast(context):
    return lambda g, x: _cast_like_type(g, x) if is_scalar(g) and is_scalar(x) else None


for _fn in (cast_like, cast_owned):
    type_callable(_fn)(_type_cast)


# ---------------------------------------------------------------- lowering
def _lower_zero_float(context, builder, sig, args):
    return context.get_constant(types.float64, 0.0)


def _lower_one_float(context, builder, sig, args):
    return context.get_constant(types.float64, 1.0)


def _lower_cast_first(context, builder, sig, args):
    """The first argument, converted to the result type (a no-op when they agree)."""
    return context.cast(builder, args[0], sig.args[0], sig.return_type)


for _ty in _SCALAR:
    lower_builtin(zeros_like, _ty)(_lower_zero_float)
    lower_builtin(unreduce_ones, _ty)(_lower_one_float)
    for _fn in (to_float, copy_value, own, stop_gradient):
        lower_builtin(_fn, _ty)(_lower_cast_first)
    for _ty2 in _SCALAR:
        for _fn in (unbroadcast, expand_like, cast_like, cast_owned):
            lower_builtin(_fn, _ty, _ty2)(_lower_cast_first)
