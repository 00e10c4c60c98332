"""The user's own code under ``compile="numba"``: jit the user functions a forward sweep
calls (``jit_user_function``, with the user functions they call), tell whether any code
a derivative runs loops (``loop_free``: it decides the background compile), and refuse
the local lists Numba does not compile (``refuse_local_lists``)."""

import ast
import inspect
import sys
import types

import gast
import numba

from ..generation_cache import fingerprint
from ..parse.source import source_lines
from .numba_cache import jit


_JIT_CACHE = {}


def jit_user_function(fn):
    """Jit a user function, and (in a private copy of its globals) the user functions
    it calls, so a forward sweep can call it from nopython code. The user's module is
    left untouched. The disk cache entry is keyed on everything the function reaches."""
    fn = getattr(fn, "py_func", fn)
    fn = getattr(fn, "fn", fn)  # custom_vjp / custom_jvp: the function itself
    if fn in _JIT_CACHE:
        return _JIT_CACHE[fn]
    # Numba's disk cache re-imports the function's module when it loads: a function of no
    # importable module (exec'd code) is compiled afresh in each process instead
    cache = getattr(fn, "__module__", None) in sys.modules
    from ..parse.resolve import is_user_function

    stamp = fingerprint(fn)
    callees = {
        name: fn.__globals__[name]
        for name in fn.__code__.co_names
        if name in fn.__globals__
        and is_user_function(fn.__globals__[name])
        and not isinstance(fn.__globals__[name], numba.core.registry.CPUDispatcher)
    }
    if callees:
        g = dict(fn.__globals__)
        rebuilt = types.FunctionType(fn.__code__, g, fn.__name__, fn.__defaults__, fn.__closure__)
        rebuilt.__qualname__ = fn.__qualname__
        rebuilt.__module__ = fn.__module__
        _JIT_CACHE[fn] = jitted = jit(rebuilt, stamp, cache=cache)
        for name, callee in callees.items():
            g[name] = jit_user_function(callee)
        return jitted
    _JIT_CACHE[fn] = jit(fn, stamp, cache=cache)
    return _JIT_CACHE[fn]


def _has_loop(fdef):
    return any(isinstance(n, (gast.For, gast.While)) for n in gast.walk(fdef))


def _user_function_loops(fn):
    try:
        tree = ast.parse(inspect.cleandoc("\n" + "".join(source_lines(fn)[0])))
        return any(isinstance(n, (ast.For, ast.While)) for n in ast.walk(tree))
    except (OSError, TypeError, SyntaxError):
        return True  # unknown: assume it loops


def loop_free(gen):
    """No loop in the generated functions nor in the user functions they call."""
    if any(_has_loop(fdef) for fdef in gen.defs):
        return False
    return not any(
        _user_function_loops(getattr(fn, "py_func", fn)) for fn in gen.user_functions.values()
    )


def refuse_local_lists(fn):
    """Nested local lists and lists of arrays are differentiated in interpreted mode
    only (their adjoints are lists of adjoints): say so, with the line that builds one."""
    from ..parse import parse_function
    from ..trees import walk
    import gast

    try:
        parsed = parse_function(fn)
    except Exception:
        return
    for n in walk(parsed.node):
        if (
            isinstance(n, gast.Assign)
            and isinstance(n.value, gast.List)
            or isinstance(n, gast.Subscript)
            and isinstance(n.value, gast.List)
        ):
            raise parsed.error(
                "this local list is differentiated in interpreted mode only "
                "(with compile='numba', lists of numbers compile; nested lists "
                "and lists of arrays do not): use compile=None, or an array "
                "(np.zeros(n), x[i] = v)",
                n,
                construct="local list",
            )


def refuse_keyword_only(gen):
    """Numba cannot call a jitted function that has keyword-only parameters (its
    argument folding fails): refuse a forward sweep that calls one, before it runs."""
    called = {
        n.func.id
        for fdef in gen.defs
        for n in gast.walk(fdef)
        if isinstance(n, gast.Call) and isinstance(n.func, gast.Name)
    }
    for name, fn in gen.user_functions.items():
        fn = getattr(fn, "py_func", fn)
        if name not in called or not inspect.isfunction(fn):
            continue
        kwonly = [
            p.name
            for p in inspect.signature(fn).parameters.values()
            if p.kind is inspect.Parameter.KEYWORD_ONLY
        ]
        if kwonly:
            from ..parse import parse_function

            parsed = parse_function(fn)
            raise parsed.error(
                f"compile='numba': '{name}' has keyword-only parameters ({', '.join(kwonly)}), "
                "which Numba does not call: make them positional, or use compile=None",
                parsed.node,
                construct="keyword-only parameter",
            )
