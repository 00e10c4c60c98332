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
import logging

log = logging.getLogger("tangentlike")


def digest(source):
    return hashlib.sha1(source.encode()).hexdigest()[:16]


def _checked(df, source_digest):
    if source_digest is not None and digest(df.source) != source_digest:
        log.warning("%s: the derivative rebuilt from its pickle generated different code "
                    "than the pickled one (another version of the function or of "
                    "tangentlike here)", getattr(df, "__name__", "derivative"))
    return df


def rebuild(factory, args, options, source_digest):
    """``factory(*args, **options)``, checked against the pickled source's digest."""
    return _checked(factory(*args, **options), source_digest)


def reduce(df, factory, args, options):
    """The ``__reduce__`` value of a derivative made by ``factory(*args, **options)``."""
    return rebuild, (factory, tuple(args), dict(options), digest(df.source))
