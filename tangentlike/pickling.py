"""Pickling derivatives: what crosses to another process, and how it is rebuilt there.

A derivative holds a loaded module, Numba dispatchers, locks and threads, none of which
can (or should) travel. It pickles as a recipe instead: the function it differentiates
(by reference, as ``pickle`` pickles functions: module and qualified name; ``cloudpickle``,
which Dask uses, sends functions defined in ``__main__`` by value), and the options it was
made with. The receiving process rebuilds it with the same entry point, so generation
finds the text in the generation cache (memory or disk; otherwise it regenerates the same
text from the same function) and ``compile="numba"`` loads the machine code from Numba's
disk cache. The source digest travels too: a rebuilt derivative whose generated text
differs (another version of tangentlike or of the function on the other side) says so in
a log line of the ``"tangentlike"`` logger rather than silently computing something else.
"""

import hashlib
import inspect
import linecache
import logging
import sys

log = logging.getLogger("tangentlike")


def digest(source):
    return hashlib.sha1(source.encode()).hexdigest()[:16]


def _checked(df, source_digest):
    if source_digest is not None and digest(df.source) != source_digest:
        log.warning(
            "%s: the derivative rebuilt from its pickle generated different code "
            "than the pickled one (another version of the function or of "
            "tangentlike here)",
            getattr(df, "__name__", "derivative"),
        )
    return df


def rebuild(factory, args, options, source_digest, main_sources=None):
    """``factory(*args, **options)``, checked against the pickled source's digest."""
    if main_sources:
        _restore_main_sources(args, main_sources)
    return _checked(factory(*args, **options), source_digest)


def _by_value(fn):
    """Whether cloudpickle sends ``fn`` by value: its module cannot be imported by name."""
    return fn.__module__ == "__main__" or fn.__module__ not in sys.modules


def _main_functions(roots):
    """Functions sent by value (of ``__main__``, or of no importable module) among
    ``roots`` and the globals they reach."""
    seen, todo = {}, list(roots)
    while todo:
        fn = todo.pop()
        fn = getattr(fn, "fn", fn)  # custom_vjp / custom_jvp: the function
        fn = getattr(fn, "py_func", fn)
        if not inspect.isfunction(fn) or id(fn) in seen or not _by_value(fn):
            continue
        seen[id(fn)] = fn
        todo.extend(v for v in fn.__globals__.values() if inspect.isfunction(v))
    return list(seen.values())


def _main_sources(df):
    """The files defining the ``__main__`` functions a derivative reaches, by qualified
    name: a process that receives them by value (cloudpickle, as Dask sends them) has
    neither the file's name in their code nor, maybe, the file; it needs their source."""
    return {
        fn.__qualname__: (fn.__code__.co_filename, linecache.getlines(fn.__code__.co_filename))
        for fn in _main_functions([getattr(df, "primal", None)])
    }


def _restore_main_sources(args, sources):
    for fn in _main_functions(args):
        entry = sources.get(fn.__qualname__)
        if entry is None:
            continue
        filename, lines = entry
        if fn.__code__.co_filename != filename:
            fn.__code__ = fn.__code__.replace(co_filename=filename)
        if lines and not linecache.getlines(filename):  # the file is not here
            linecache.cache[filename] = (sum(map(len, lines)), None, list(lines), filename)


def reduce(df, factory, args, options):
    """The ``__reduce__`` value of a derivative made by ``factory(*args, **options)``."""
    return rebuild, (factory, tuple(args), dict(options), digest(df.source), _main_sources(df))
