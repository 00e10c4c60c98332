"""Compile generated derivatives with ``numba.njit`` in nopython mode (``compile="numba"``).

Every generated function and every user function the forward sweep calls is jitted with
``cache=True``; the generated module is a real file registered in ``sys.modules``, so a
second process loads the machine code from Numba's cache instead of recompiling.
"""
import types

import numba
from numba.core.errors import NumbaError

from ..errors import TangentlikeError
from .loader import load_module

_JIT_CACHE = {}


def _njit(fn):
    """Jit a user function, and (in a private copy of its globals) the user functions
    it calls, so a forward sweep can call it from nopython code. The user's module is
    left untouched."""
    fn = getattr(fn, "py_func", fn)
    fn = getattr(fn, "fn", fn)                 # custom_vjp / custom_jvp: the function itself
    if fn in _JIT_CACHE:
        return _JIT_CACHE[fn]
    from ..analyze.expressions import ExpressionBuilder
    callees = {name: fn.__globals__[name] for name in fn.__code__.co_names
               if name in fn.__globals__ and ExpressionBuilder.is_user_function(fn.__globals__[name])
               and not isinstance(fn.__globals__[name], numba.core.registry.CPUDispatcher)}
    if callees:
        g = dict(fn.__globals__)
        rebuilt = types.FunctionType(fn.__code__, g, fn.__name__, fn.__defaults__, fn.__closure__)
        rebuilt.__qualname__ = fn.__qualname__
        rebuilt.__module__ = fn.__module__
        _JIT_CACHE[fn] = jitted = numba.njit(cache=True)(rebuilt)
        for name, callee in callees.items():
            g[name] = _njit(callee)
        return jitted
    _JIT_CACHE[fn] = numba.njit(cache=True)(fn)
    return _JIT_CACHE[fn]


def _first_line(exc):
    text = str(exc).strip()
    lines = [ln for ln in text.splitlines() if ln.strip()]
    import re
    clean = [re.sub(r"\x1b\[[0-9;]*m", "", ln) for ln in lines]
    return "\n".join(clean[:12])


class NumbaDerivative:
    """Calls the jitted derivative; turns Numba typing errors into TangentlikeError."""

    def __init__(self, gen):
        self.gen = gen
        ns = dict(gen.namespace)
        for name, fn in gen.user_functions.items():
            ns[name] = _njit(fn)
        mod = load_module(gen.source, ns, stem=gen.entry)
        for name in gen.functions:
            setattr(mod, name, numba.njit(cache=True)(getattr(mod, name)))
        self.fn = getattr(mod, gen.entry)
        self.py_func = self.fn.py_func

    def __call__(self, *args):
        try:                                   # (free in Python 3.11 when nothing raises)
            return self.fn(*args)
        except NumbaError as exc:
            self._explain(exc, args)

    def _explain(self, exc, args):
        primal = self.gen.primal
        try:
            _njit(primal)(*args[:-1])
        except NumbaError as pexc:
            raise TangentlikeError(
                "compile='numba' needs a primal that Numba compiles in nopython mode, and "
                f"this one does not. Numba's reason:\n{_first_line(pexc)}",
                function=primal.__name__) from None
        except Exception:
            pass
        raise TangentlikeError(
            "the generated derivative did not compile with Numba (please report this). "
            f"Numba's reason:\n{_first_line(exc)}", function=primal.__name__) from None


def compile_numba(gen):
    return NumbaDerivative(gen)
