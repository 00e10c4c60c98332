"""Compile generated derivatives with ``numba.njit`` in nopython mode (``compile="numba"``).

Every generated function and every user function the forward sweep calls is jitted with
``cache=True``; the generated module is a real file registered in ``sys.modules``, so a
second process loads the machine code from Numba's cache instead of recompiling.
"""
import numba
from numba.core.errors import NumbaError

from ..errors import TangentlikeError
from .loader import load_module

_JIT_CACHE = {}


def _njit(fn):
    key = fn
    if key not in _JIT_CACHE:
        _JIT_CACHE[key] = numba.njit(cache=True)(fn)
    return _JIT_CACHE[key]


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
        try:
            return self.fn(*args)
        except NumbaError as exc:
            self._explain(exc, args)

    def _explain(self, exc, args):
        primal = self.gen.primal
        try:
            numba.njit(primal)(*args[:-1])
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
