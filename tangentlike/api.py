"""The public entry points: grad, value_and_grad, vjp, jvp, source."""

from .arguments import resolve_argnums
from .call_checks import TapeMemoryError
from .derivatives import Derivative, ForwardDerivative
from .derivatives import is_derivative as _is_derivative
from .display import GeneratedSource
from .errors import TangentlikeError
from .higher_order import NestedDerivative

__all__ = ["grad", "value_and_grad", "vjp", "jvp", "source", "Derivative", "TapeMemoryError"]


def grad(
    f=None,
    wrt=None,
    *,
    argnums=None,
    has_aux=False,
    preserve_result=False,
    optimized=True,
    compile=None,
    verbose=False,
    checkpoint=None,
):
    """The gradient of a scalar function w.r.t. argument ``wrt`` (an int or a tuple;
    ``argnums`` is the same under JAX's name; default 0).

    ``has_aux=True``: ``f`` returns ``(loss, aux)``; the derivative returns
    ``(gradient, aux)``. ``checkpoint=s`` (an int, or True for a default) reverses the
    function's main loop with at most ``s`` snapshots of its state instead of a tape of
    every step (binomial checkpointing, see docs/checkpointing.md).
    """
    wrt = resolve_argnums(wrt, argnums, f)
    wrt = 0 if wrt is None else wrt
    if f is None:
        return lambda fn: grad(
            fn,
            wrt,
            has_aux=has_aux,
            preserve_result=preserve_result,
            optimized=optimized,
            compile=compile,
            verbose=verbose,
            checkpoint=checkpoint,
        )
    if _is_derivative(f):
        if checkpoint not in (None, False) or has_aux:
            raise TangentlikeError(
                "checkpoint= and has_aux= apply to first derivatives only",
                function=f.primal.__name__,
            )
        return NestedDerivative(f, wrt, "grad", optimized, compile, verbose)
    return Derivative(
        f, wrt, "grad", preserve_result, optimized, compile, verbose, checkpoint, has_aux=has_aux
    )


def value_and_grad(f=None, argnums=None, has_aux=False, *, wrt=None, **options):
    """``vg(*args) -> (value, gradient)`` (``((value, aux), gradient)`` with
    ``has_aux=True``), the order JAX and ``scipy.optimize.minimize(..., jac=True)`` use.
    ``options`` are ``tl.grad``'s (``optimized``, ``compile``, ``verbose``, ``checkpoint``)."""
    argnums = resolve_argnums(wrt, argnums, f)
    argnums = 0 if argnums is None else argnums
    if f is None:
        return lambda fn: value_and_grad(fn, argnums, has_aux, **options)
    bad = set(options) - {"optimized", "compile", "verbose", "checkpoint"}
    if bad:
        raise TangentlikeError(
            f"value_and_grad got unknown options {sorted(bad)}",
            function=getattr(f, "__name__", None),
        )
    if _is_derivative(f):
        raise TangentlikeError(
            "value_and_grad takes a function; for a derivative of a "
            "derivative use tl.grad(tl.grad(f))",
            function=f.primal.__name__,
        )
    return Derivative(
        f,
        argnums,
        "grad",
        False,
        options.get("optimized", True),
        options.get("compile"),
        options.get("verbose", False),
        options.get("checkpoint"),
        has_aux=has_aux,
        value_first=True,
    )


def vjp(
    f=None,
    wrt=0,
    *,
    preserve_result=False,
    optimized=True,
    compile=None,
    verbose=False,
    checkpoint=None,
):
    """``vf(*args, dy)``: the vector-Jacobian product of ``f`` with the cotangent ``dy``."""
    if f is None:
        return lambda fn: vjp(
            fn,
            wrt,
            preserve_result=preserve_result,
            optimized=optimized,
            compile=compile,
            verbose=verbose,
            checkpoint=checkpoint,
        )
    if _is_derivative(f):
        raise TangentlikeError(
            "vjp of a derivative is not supported; use tl.jvp or tl.hvp", function=f.primal.__name__
        )
    return Derivative(f, wrt, "vjp", preserve_result, optimized, compile, verbose, checkpoint)


def jvp(f=None, wrt=0, *, optimized=True, compile=None, verbose=False):
    """Forward mode: ``jf(*args, *tangents) -> (f(*args), directional derivative)``.

    One tangent per ``wrt`` argument follows the function's arguments; with several
    ``wrt`` arguments the result is the derivative along all of them together.
    """
    if f is None:
        return lambda fn: jvp(fn, wrt, optimized=optimized, compile=compile, verbose=verbose)
    if _is_derivative(f):
        return NestedDerivative(f, wrt, "jvp", optimized, compile, verbose)
    return ForwardDerivative(f, wrt, optimized, compile, verbose)


def source(df):
    """The generated source text of a derivative made by tangentlike."""
    src = getattr(df, "source", None)
    if not isinstance(src, str):
        raise TangentlikeError(f"source() expects a derivative made by tangentlike, got {df!r}")
    return GeneratedSource(src)
