"""Load generated source as a module: written to ``<cache>/tl_<stem>_<hash>.py`` (so
tracebacks, ``inspect`` and Numba's disk cache see a real file) but always compiled from
the text in hand, never from what is on disk: a changed or damaged file is rewritten,
and no ``__pycache__`` bytecode is ever read. Without a usable cache folder the module
lives in memory only (``linecache`` still serves its lines)."""

import hashlib
import linecache
import os
import sys
import types

from ..cache_folder import cache_dir, discard, read_bytes, write_bytes


def _file_for(modname, data):
    """The path of the module's file, written if needed; None when it cannot be."""
    root = cache_dir()
    if root is None:
        return None
    path = os.path.join(root, modname + ".py")
    try:
        existing = read_bytes(path)
    except FileNotFoundError:
        existing = None
    except OSError as exc:
        existing = b""  # a link or someone else's: replaced below
        discard(path, exc.strerror or str(exc))
    if existing != data:
        if existing is not None:
            discard(path, "its text differs from the generated text")
        try:
            write_bytes(path, data)
        except OSError:
            return None
    return path


def load_module(source, namespace, stem="gen"):
    """Import ``source`` as module ``tl_<stem>_<hash>`` with ``namespace`` in its globals."""
    data = source.encode()
    digest = hashlib.sha1(data).hexdigest()[:16]
    modname = f"tl_{stem}_{digest}"
    path = _file_for(modname, data)
    filename = path or f"<tangentlike {modname}>"
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    code = compile(source, filename, "exec", dont_inherit=True)
    mod = types.ModuleType(modname)
    if path is not None:
        mod.__file__ = path
    mod.__dict__.update(namespace)
    sys.modules[modname] = mod
    exec(code, mod.__dict__)
    return mod
