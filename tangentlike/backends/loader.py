"""Load generated source as a real module file, so tracebacks, ``inspect`` and Numba's
on-disk cache (which needs a file and a module registered in ``sys.modules``) work."""
import hashlib
import importlib.util
import os
import sys
import tempfile


def cache_dir():
    d = os.environ.get("TANGENTLIKE_CACHE_DIR")
    if not d:
        base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
        d = os.path.join(base, "tangentlike")
    try:
        os.makedirs(d, exist_ok=True)
        probe = os.path.join(d, ".write-test")
        with open(probe, "w"):
            pass
        os.remove(probe)
    except OSError:
        d = os.path.join(tempfile.gettempdir(), "tangentlike-cache")
        os.makedirs(d, exist_ok=True)
    return d


def load_module(source, namespace, stem="gen"):
    """Write ``source`` to ``<cache>/tl_<stem>_<hash>.py`` and import it."""
    digest = hashlib.sha1(source.encode()).hexdigest()[:16]
    modname = f"tl_{stem}_{digest}"
    path = os.path.join(cache_dir(), modname + ".py")
    if not os.path.exists(path) or open(path).read() != source:
        tmp = f"{path}.{os.getpid()}.tmp"
        with open(tmp, "w") as fh:
            fh.write(source)
        os.replace(tmp, path)
    spec = importlib.util.spec_from_file_location(modname, path)
    mod = importlib.util.module_from_spec(spec)
    mod.__dict__.update(namespace)
    sys.modules[modname] = mod
    spec.loader.exec_module(mod)
    return mod
