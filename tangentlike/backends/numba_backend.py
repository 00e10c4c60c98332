"""Compile generated derivatives with ``numba.njit`` in nopython mode (``compile="numba"``).

Every generated function and every user function the forward sweep calls is jitted with
a disk cache in the protected cache folder (``numba_cache.py``), keyed also on a
fingerprint of all the code it reaches; the generated module is a real file registered in
``sys.modules``, so a second process loads the machine code instead of recompiling.

Loop-free derivatives of array arguments compile in the background (tiered): their first
calls run the same generated text as NumPy while Numba compiles it (scalar-only calls
compile at once: quick, and 10-100x faster). Without a loop, NumPy's cost per call is
bounded (one NumPy call per statement), and on whole arrays NumPy is often the faster
one (its transcendental functions are SIMD-vectorized, Numba's call scalar libm), so once
the compiled code exists, each argument signature's first calls time both and keep the
faster (``faster_of.py``). Compiling whole-array code costs seconds (2.8 s and 6.4 s for
the benchmark's logistic regression and MLP). Derivatives with loops, which NumPy runs
100-1000x slower, compile at their first call.

The first call's argument kinds also let ``fuse.py`` turn runs of elementwise whole-array
statements into guarded loops (``FUSE``); a later call whose types that text does not
compile for runs the unfused text, as for array tapes.
"""

import sys
import threading
import time
import warnings

import numba
import numpy as np
from numba.core.errors import NumbaError

from .. import feedback
from ..errors import TangentlikeError, TangentlikeWarning
from ..runtime import cast_like
from .faster_of import FasterOf, signature_of
from .loader import load_module
from .numba_cache import jit
from .numba_user_code import jit_user_function, loop_free, refuse_keyword_only, refuse_local_lists


def compile_failed(dispatcher, args, exc):
    """Whether ``exc`` came from Numba compiling ``dispatcher`` for ``args`` (a typing
    error, or a lowering Numba does not implement, such as allocating a layout-'A' array)
    rather than from the compiled code as it ran."""
    if isinstance(exc, NumbaError):
        return True
    try:
        types = tuple(numba.typeof(a) for a in args)
    except Exception:
        return True
    return types not in dispatcher.overloads


def _first_line(exc):
    text = str(exc).strip()
    lines = [ln for ln in text.splitlines() if ln.strip()]
    import re

    clean = [re.sub(r"\x1b\[[0-9;]*m", "", ln) for ln in lines]
    return "\n".join(clean[:12])


# False: loop-free derivatives compile at their first call too, like the others.
BACKGROUND_COMPILE = True
# False: elementwise runs of whole-array statements are not fused into loops (fuse.py).
FUSE = True


def _with_array_tapes(gen, ns, args=None):
    """The generated text with its float list tapes as arrays (``array_tapes.py``);
    ``args``: the entry's first call, whose float arguments let more tapes qualify."""
    from ..emit import to_source
    from .array_tapes import grow_tape, lower_float_tapes
    from .fuse import fused_div, fused_pow
    from .fuse_loops import fuse_arrays

    source = gen.source
    for fdef in gen.defs:
        lowered = lower_float_tapes(fdef, args if fdef.name == gen.entry else None)
        if lowered is not None:
            source = source.replace(to_source(fdef), to_source(lowered), 1)
            ns["grow_tape"] = grow_tape
        fused = (
            fuse_arrays(lowered or fdef, args) if FUSE and args and fdef.name == gen.entry else None
        )
        if fused is not None:
            source = source.replace(to_source(lowered or fdef), to_source(fused), 1)
            ns.update(fused_div=fused_div, fused_pow=fused_pow)
    if source is not gen.source and "\nimport numpy as np\n" not in "\n" + source:
        source = "import numpy as np\n" + source  # array tapes allocate with NumPy
    return source


class NumbaDerivative:
    """Calls the jitted derivative; turns Numba typing errors into TangentlikeError.

    ``tiered`` (loop-free code): a first call with an array argument starts compiling for
    its argument types in a background thread and runs as NumPy. Once the compiled code
    exists, the first calls of each argument signature time both kinds and the faster
    runs from then on (``faster_of.py``); ``run_as = "numba"`` or ``"numpy"`` forces one.
    A first call on scalars only compiles at once, and runs compiled.
    ``last_run`` says what ran the last call ("numba" or "numpy").
    """

    def __init__(self, gen, tiered=None):
        self.gen = gen
        refuse_keyword_only(gen)
        ns = dict(gen.namespace)
        for name, fn in gen.user_functions.items():
            ns[name] = jit_user_function(fn)
        self._ns = ns
        self._source = _with_array_tapes(gen, ns)
        self.fn = self._load(self._source)
        self.py_func = self.fn.py_func
        # the first compiled call lowers the tapes its float arguments qualify too; a
        # later call whose types that code does not compile for falls back to lists
        self._unspecialized = True
        self._lists_fn = None
        if tiered is None:
            tiered = BACKGROUND_COMPILE and loop_free(gen)
        self.tiered = tiered
        self.ready = not self.tiered  # True: calls go to the compiled code
        self.last_run = None
        self.run_as = None  # tiered: None (the faster), "numba", "numpy"
        self._faster = FasterOf()
        self._numpy_fn = None
        self._thread = None
        self._failure = None  # Numba's reason, when the compile failed
        self._start_lock = threading.Lock()

    def direct_call(self, wrt, single):
        """For ``tl.grad``'s calls once the compiled code runs every call: a function of
        the argument tuple that calls the dispatcher with the seed 1.0 and returns the
        gradient, with nothing else on the way (None until then). It raises where the
        full call path has more to do (a value that is not a float, as ``api.py``
        checks); float32 scalar gradients get their type back as in ``api.py``."""
        if not self.ready or self.tiered or self._unspecialized:
            return None
        fn = self.fn
        with_value = self.gen.returns_result

        def grads_of(args):
            out = fn(*args, 1.0)
            if not with_value:
                return out
            if type(out[0]) is not float:
                raise TypeError("not a float value")  # the full path checks it
            return out[1]

        if single:
            k = wrt[0]

            def call(args):  # (grads_of inlined: this is the common case)
                out = fn(*args, 1.0)
                if with_value:
                    if type(out[0]) is not float:
                        raise TypeError("not a float value")
                    out = out[1]
                g = out[0]
                if type(g) is np.ndarray or type(args[k]) is float:
                    return g
                return cast_like(g, args[k])

            return call

        def call_all(args):
            grads = grads_of(args)
            for g, k in zip(grads, wrt):
                if type(g) is not np.ndarray and type(args[k]) is not float:
                    return tuple(cast_like(g, args[k]) for g, k in zip(grads, wrt))
            return grads

        return call_all

    def _load(self, source):
        mod = load_module(source, self._ns, stem=self.gen.entry)
        # machine code that links a function of no importable module cannot be reloaded
        cache = all(
            getattr(getattr(fn, "fn", fn), "__module__", None) in sys.modules
            for fn in self.gen.user_functions.values()
        )
        for name in self.gen.functions:
            setattr(mod, name, jit(getattr(mod, name), self.gen.fingerprint, cache=cache))
        return getattr(mod, self.gen.entry)

    def _specialize(self, args):
        self._unspecialized = False
        source = _with_array_tapes(self.gen, self._ns, args)
        if source != self._source:
            self._lists_fn = self._load(self.gen.source)
            self.fn = self._load(source)

    def __call__(self, *args):
        if self.ready and not self.tiered:
            if self._unspecialized:
                self._specialize(args)
            self.last_run = "numba"
            return self._run_numba(args)
        if self._numpy_fn is None and not any(isinstance(a, np.ndarray) for a in args):
            # scalar code: compiles in well under a second, runs 10-100x faster compiled
            self.tiered, self.ready = False, True
            return self(*args)
        if self._numpy_fn is None:
            with self._start_lock:  # two threads' first calls start one compile
                if self._numpy_fn is None:
                    self._start(args)
        elif self._failure is not None:
            self._warn_failure()
        kind = self.run_as
        if kind is None and self.ready:
            sig = signature_of(args)
            kind = self._faster.choice.get(sig)
            if kind is None:  # a trial: time this call
                kind = self._faster.next_trial(sig)
                t0 = time.perf_counter()
                out = self._run_kind(kind, args)
                self._faster.record(sig, kind, t0, time.perf_counter() - t0)
                return out
        return self._run_kind(kind, args)

    def _run_kind(self, kind, args):
        if kind == "numba" and self.ready:
            self.last_run = "numba"
            return self._run_numba(args)
        self.last_run = "numpy"
        return self._numpy_fn(*args)

    def _run_numba(self, args):
        try:  # (free in Python 3.11 when nothing raises)
            return self.fn(*args)
        except Exception as exc:
            if not compile_failed(self.fn, args, exc):
                raise  # raised by the compiled code as it ran
            if self._lists_fn is not None:  # array tapes typed for other arguments
                self.fn, self._lists_fn = self._lists_fn, None
                return self._run_numba(args)
            self._explain(exc, args)

    def _start(self, args):
        from .python_backend import compile_python

        numpy_fn = compile_python(self.gen)
        if self._unspecialized:
            self._specialize(args)  # (fused runs need the argument kinds)
        # a daemon, waited for at exit with a message (feedback.py), so Numba's disk cache
        # is complete for the next run unless TANGENTLIKE_EXIT_WAIT=0
        self._thread = threading.Thread(
            target=self._compile,
            args=(args,),
            daemon=True,
            name=f"tangentlike-compile-{self.gen.entry}",
        )
        feedback.track(self._thread, self.gen.entry)
        self._thread.start()
        self._numpy_fn = numpy_fn

    def _compile(self, args):
        types = tuple(numba.typeof(a) for a in args)
        try:
            try:
                self.fn.compile(types)
            except NumbaError:
                if self._lists_fn is None:
                    raise
                fallback, self._lists_fn = self._lists_fn, None  # the text before fuse.py
                fallback.compile(types)
                self.fn = fallback
        except Exception as exc:  # kept for the caller's thread to report
            self._failure = self._primal_says(args) + _first_line(exc)
            return
        self.ready = True

    def _primal_says(self, args):
        """Whether the primal compiles for these arguments: then the derivative should
        too (a gap to report), else the refusal is Numba's, not ours."""
        try:
            jit_user_function(self.gen.primal).compile(tuple(numba.typeof(a) for a in args[:-1]))
        except Exception as exc:
            return f"the primal does not compile in nopython mode either ({_first_line(exc)}); "
        return "the primal compiles, the derivative does not (please report this): "

    def _warn_failure(self):
        reason, self._failure = self._failure, None
        warnings.warn(
            TangentlikeWarning(
                f"{self.gen.primal.__name__}: compile='numba' could not compile this loop-free "
                f"derivative, which keeps running as NumPy. Numba's reason:\n{reason}"
            ),
            stacklevel=4,
        )

    def choosing(self):
        """Whether some argument signature's calls are still being timed (tiered)."""
        return self.tiered and (
            not self.ready or bool(self._faster.trials) or not self._faster.choice
        )

    def wait_compiled(self, timeout=None):
        """Wait for a background compile; True when the compiled code is ready (calls
        then run it, or NumPy where timing shows NumPy faster)."""
        if self._thread is not None:
            self._thread.join(timeout)
            if self._failure is not None:
                self._warn_failure()
        return self.ready

    def _explain(self, exc, args):
        primal = self.gen.primal
        for k, a in enumerate(args):
            if isinstance(a, (tuple, list, dict)):
                raise TangentlikeError(
                    f"compile='numba': argument {k} is a {type(a).__name__}; compiled "
                    "derivatives take numbers and arrays (tuples, lists, dicts, dataclasses "
                    "and namedtuples run with compile=None)",
                    function=primal.__name__,
                    construct="container argument",
                ) from None
        jitted = jit_user_function(primal)
        reason = None
        try:
            jitted(*args[:-1])
        except Exception as pexc:
            if compile_failed(jitted, args[:-1], pexc):
                reason = _first_line(pexc)
        if reason is not None:
            raise TangentlikeError(
                "compile='numba' needs a primal that Numba compiles in nopython mode, and "
                f"this one does not. Numba's reason:\n{reason}",
                function=primal.__name__,
            ) from None
        for fn in [primal, *self.gen.user_functions.values()]:
            refuse_local_lists(fn)
        raise TangentlikeError(
            "the generated derivative did not compile with Numba (please report this). "
            f"Numba's reason:\n{_first_line(exc)}",
            function=primal.__name__,
        ) from None


def entry_dispatcher(fn, returns_result, single, preserve_result, seeded):
    """A Numba dispatcher with a derivative's arguments and results (``df.compiled``):
    ``fn`` is the generated entry (the arguments, then the seed); ``seeded``: the caller
    passes the seed (a vjp's ``dy``), else it is 1.0."""

    def entry(*args):
        raw = fn(*args) if seeded else fn(*(args + (1.0,)))
        if returns_result:
            result, grads = raw
        else:
            result, grads = 0.0, raw
        out = grads[0] if single else grads
        if preserve_result:
            return out, result
        return out

    return numba.njit(entry)


def compile_numba(gen):
    return NumbaDerivative(gen)
