"""The derivative classes ``tl.grad``/``tl.vjp``/``tl.jvp`` return, with their common base:
a derivative generates its code on first use (``pipeline``), loads it with a backend and
checks and converts the arguments of every call."""

import functools
import inspect

import numpy as np

from .arguments import check_float_args
from .backends import BACKENDS, BUILD_LOCK
from .custom import custom_jvp, custom_vjp
from . import function_args
from .errors import TangentlikeError
from .parse.source import unwrap
from . import pickling
from .display import Displayed
from .tape_stats import tape_stats
from .pipeline import generate_jvp, generate_vjp
from .call_checks import (
    check_number_arguments,
    _as_float32,
    _restore_type,
    _out_of_memory,
    _result_or,
    _check_cotangent,
    _check_scalar,
)


def _normalize_wrt(wrt, fn):
    if isinstance(wrt, bool) or not isinstance(wrt, (int, tuple, list)):
        raise TangentlikeError(
            f"wrt must be an int or a tuple of ints, got {wrt!r}",
            function=getattr(fn, "__name__", None),
        )
    if isinstance(wrt, int):
        return (wrt,), True
    if not wrt:
        raise TangentlikeError(
            "wrt=() asks for no gradient", function=getattr(fn, "__name__", None)
        )
    return tuple(wrt), False


def _normalize_checkpoint(checkpoint, fn):
    """``checkpoint=``: None/False (tape every step), True ("auto") or a snapshot count."""
    if checkpoint is None or checkpoint is False:
        return None
    if checkpoint is True:
        return "auto"
    if isinstance(checkpoint, (int, np.integer)) and checkpoint >= 1:
        return int(checkpoint)
    raise TangentlikeError(
        f"checkpoint must be True or a number of snapshots >= 1, got {checkpoint!r}",
        function=getattr(fn, "__name__", None),
    )


class DerivativeBase(Displayed):
    """What every derivative has: ``primal`` (the function differentiated), ``source``
    (the generated text) and ``_recipe`` (the arguments that rebuild it where it is
    unpickled)."""

    def __reduce__(self):  # a recipe, rebuilt where it is loaded
        return pickling.reduce(self, type(self), *self._recipe)


class Derivative(DerivativeBase):
    """A generated derivative: call it like the function (plus ``dy`` for a vjp)."""

    def __init__(
        self,
        fn,
        wrt,
        kind,
        preserve_result,
        optimized,
        compile,
        verbose,
        checkpoint=None,
        has_aux=False,
        value_first=False,
    ):
        if compile not in BACKENDS:
            raise TangentlikeError(
                f"compile must be None or 'numba', got {compile!r}",
                function=getattr(fn, "__name__", None),
            )
        self.primal = fn if isinstance(fn, (custom_vjp, custom_jvp)) else unwrap(fn)
        self._recipe = (
            (fn, wrt, kind, preserve_result, optimized, compile, False),
            {"checkpoint": checkpoint, "has_aux": has_aux, "value_first": value_first},
        )
        self.kind = kind
        self.wrt, self.single = _normalize_wrt(wrt, fn)
        self.preserve_result = preserve_result or value_first
        self.value_first = value_first  # value_and_grad: (value, grad)
        self.has_aux = has_aux
        self.compile = compile
        self.optimized = optimized
        self.checkpoint = _normalize_checkpoint(checkpoint, fn)
        if has_aux and isinstance(self.primal, (custom_vjp, custom_jvp)):
            raise TangentlikeError(
                "has_aux=True is not supported for custom_vjp/custom_jvp functions",
                function=self.primal.__name__,
            )
        self._generate = lambda target: generate_vjp(
            target or self.primal,
            self.wrt,
            optimized=optimized,
            checkpoint=self.checkpoint,
            has_aux=has_aux,
            gradient_only=kind == "grad" and not self.preserve_result and not has_aux,
        )
        self._deferred_error = []  # set: generated per function argument, at the call
        self.generated = function_args.deferred(self._generate, self._deferred_error)
        self.signature = inspect.signature(self.primal)
        self._nparams = len(self.signature.parameters)
        self._fn = None
        self._fast = None  # compiled grad: a direct call (below)
        functools.update_wrapper(self, self.primal)
        self.__name__ = f"{'value_and_grad' if value_first else kind}_{self.primal.__name__}"
        if verbose:
            print(self.source)

    @property
    def source(self):
        function_args.require_generated(self)
        return self.generated.source

    def _compiled(self):
        if self._fn is None:
            with BUILD_LOCK:  # threads' first calls build one callable
                if self._fn is None:
                    self._fn = BACKENDS[self.compile](self.generated)
        return self._fn

    @property
    def compiled(self):
        """With ``compile="numba"``: a Numba dispatcher taking the same arguments and
        giving the same results as this derivative, callable from ``@numba.njit`` code."""
        if self.compile != "numba":
            raise TangentlikeError(
                "df.compiled needs compile='numba'", function=self.primal.__name__
            )
        if getattr(self, "_dispatcher", None) is None:
            from .backends.numba_backend import entry_dispatcher

            self._dispatcher = entry_dispatcher(
                self._compiled().fn,
                self.generated.returns_result,
                self.single,
                self.preserve_result,
                seeded=self.kind == "vjp",
            )
        return self._dispatcher

    def wait_compiled(self, timeout=None):
        """With ``compile="numba"``: wait for a loop-free derivative's background compile
        (its first calls run as NumPy meanwhile); True when the compiled code is ready
        (calls then run it, or NumPy where NumPy timed faster for their arguments)."""
        fn = self._compiled()
        return fn.wait_compiled(timeout) if hasattr(fn, "wait_compiled") else False

    # ---- used when this derivative is itself differentiated (higher_order.py)
    def python_entry(self):
        """The generated function as plain Python (what forward mode transforms)."""
        function_args.require_generated(self)
        if getattr(self, "_py", None) is None:
            self._py = BACKENDS[None](self.generated)
        return self._py

    def extras(self, args):
        return [1.0]  # the seed of a gradient

    def select(self, raw):
        grads = raw[1] if self.generated.returns_result else raw
        return grads[0] if self.single else grads

    def _bind(self, args, kwargs=None):
        if len(args) == self._nparams and not kwargs:  # the common case, without inspect's cost
            return args
        try:
            ba = self.signature.bind(*args, **(kwargs or {}))
        except TypeError as exc:
            raise TangentlikeError(f"bad arguments: {exc}", function=self.primal.__name__) from None
        ba.apply_defaults()
        return list(ba.arguments.values())

    def __call__(self, *args, **kwargs):
        fast = self._fast
        if fast is not None and len(args) == self._nparams and not kwargs:
            check_float_args(args, self.wrt, self.primal.__name__)
            try:
                return fast(args)
            except Exception:  # the full path says why, or recovers
                self._fast = None
        if self.kind == "vjp":
            if not args:
                raise TangentlikeError(
                    "a vjp takes the function's arguments and then dy",
                    function=self.primal.__name__,
                )
            *args, dy = args
        else:
            dy = 1.0
        if len(args) != self._nparams or kwargs:
            args = self._bind(args, kwargs)
        check_float_args(args, self.wrt, self.primal.__name__)
        if self._deferred_error:
            args = function_args.select(self, args, self._generate)
        if self.generated.number_arguments:
            check_number_arguments(self.generated, args)
        fn = self._fn if self._fn is not None else self._compiled()
        try:
            raw = fn(*args, dy)
        except MemoryError as exc:
            raise _out_of_memory(exc, self) from None
        except Exception:
            if self.kind == "vjp":  # a dy of the wrong shape may fail inside
                _check_cotangent(dy, _result_or(self.primal, args), self.primal.__name__)
            raise
        if self.generated.returns_result:
            result, grads = raw
            value = result[0] if self.has_aux else result
            if self.kind == "grad" and isinstance(value, (tuple, np.ndarray)):
                _check_scalar(value, self.primal.__name__)
            elif self.kind == "vjp":
                _check_cotangent(dy, result, self.primal.__name__)
        else:  # a scalar output, proven when generated
            result, grads = None, raw
        if (
            self.kind == "grad"
            and not self.preserve_result
            and not self.has_aux
            and not self._deferred_error
            and hasattr(fn, "direct_call")
            and not self.generated.number_arguments
            and (result is None or type(result) is float)
        ):
            self._fast = fn.direct_call(self.wrt, self.single)
        # Numba boxes float32 scalars as Python floats: restore the input's scalar type
        if self.single:
            out = grads[0]
            if type(out) is not np.ndarray:
                out = _restore_type(out, args[self.wrt[0]])
        else:
            out = tuple(grads)
            for g, k in zip(grads, self.wrt):
                if type(g) is not np.ndarray and type(args[k]) is not float:
                    out = tuple(_restore_type(g, args[k]) for g, k in zip(grads, self.wrt))
                    break
        if self._deferred_error:
            out = function_args.restore(self, out)
        if self.value_first:
            return result, out
        if self.preserve_result:
            return out, result
        if self.has_aux:
            return out, result[1]
        return out

    def tape_stats(self, *args):
        """Tape size at its peak, for these inputs.

        Runs the plain-Python derivative with a probe at the end of the forward sweep
        (and, with ``checkpoint=``, before each step's adjoint); counts 8 bytes per scalar
        entry (what Numba's typed lists hold) and ``nbytes`` for array entries. A
        checkpointed derivative also reports its snapshots (``snapshots``: the most held
        at once, ``snapshot_bytes``: their size then).
        """
        return tape_stats(self, args)


class ForwardDerivative(DerivativeBase):
    """``jf(*args, *tangents) -> (f(*args), directional derivative)`` (forward mode)."""

    def __init__(self, fn, wrt, optimized, compile, verbose):
        if compile not in BACKENDS:
            raise TangentlikeError(
                f"compile must be None or 'numba', got {compile!r}",
                function=getattr(fn, "__name__", None),
            )
        self.primal = fn if isinstance(fn, (custom_vjp, custom_jvp)) else unwrap(fn)
        self._recipe = ((fn, wrt, optimized, compile, False), {})
        self.wrt, self.single = _normalize_wrt(wrt, fn)
        self.compile = compile
        self._generate = lambda target: generate_jvp(
            target or self.primal, self.wrt, optimized=optimized
        )
        self._deferred_error = []  # set: generated per function argument, at the call
        self.generated = function_args.deferred(self._generate, self._deferred_error)
        self.signature = inspect.signature(self.primal)
        self._fn = None
        functools.update_wrapper(self, self.primal)
        self.__name__ = f"jvp_{self.primal.__name__}"
        if verbose:
            print(self.source)

    source = Derivative.source
    _compiled = Derivative._compiled
    wait_compiled = Derivative.wait_compiled

    def __call__(self, *args, **kwargs):
        nparams = len(self.signature.parameters)
        ntan = len(self.wrt)
        if (len(args) != nparams + ntan or kwargs) and len(args) >= ntan:
            # defaults and keywords: the tangents are the last positional values
            try:
                ba = self.signature.bind(*args[: len(args) - ntan], **kwargs)
                ba.apply_defaults()
                args = tuple(ba.arguments.values()) + tuple(args[len(args) - ntan :])
            except TypeError as exc:
                if kwargs:
                    raise TangentlikeError(
                        f"bad arguments: {exc}", function=self.primal.__name__
                    ) from None
        if len(args) != nparams + ntan:
            raise TangentlikeError(
                f"jvp of {self.primal.__name__} takes {nparams} arguments and then "
                f"{ntan} tangent{'s' if ntan != 1 else ''} (one per wrt argument), "
                f"got {len(args)} values",
                function=self.primal.__name__,
            )
        primals, tangents = list(args[:nparams]), list(args[nparams:])
        check_float_args(primals, self.wrt, self.primal.__name__)
        if self._deferred_error:
            primals = function_args.select(self, primals, self._generate)
            tangents = function_args.flatten_tangents(self, tangents)
        if self.generated.number_arguments:
            check_number_arguments(self.generated, primals)
        for k, t in zip(self.wrt, tangents):
            if np.shape(t) != np.shape(primals[k]):
                raise TangentlikeError(
                    f"the tangent for argument {k} has shape {np.shape(t)}, but the argument "
                    f"has shape {np.shape(primals[k])}",
                    function=self.primal.__name__,
                )
        out = self._compiled()(*primals, *tangents)
        if any(getattr(primals[k], "dtype", None) == np.float32 for k in self.wrt):
            out = tuple(_as_float32(v) for v in out)  # Numba promotes where NumPy does not
        return out


def is_derivative(f):
    """Whether ``f`` is a derivative that can be differentiated again (refusing those
    that cannot)."""
    if isinstance(f, DerivativeBase):
        if getattr(f, "checkpoint", None) is not None:
            raise TangentlikeError(
                "a checkpointed derivative cannot be differentiated again; "
                "drop checkpoint= from the inner tl.grad",
                function=f.primal.__name__,
            )
        if isinstance(f, ForwardDerivative) or getattr(f, "kind", None) == "vjp":
            raise TangentlikeError(
                "higher-order derivatives compose tl.grad: differentiate "
                "tl.grad(f) (or use tl.hessian / tl.hvp)",
                function=f.primal.__name__,
            )
        return True
    return False
