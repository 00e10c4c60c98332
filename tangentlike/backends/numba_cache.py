"""Numba's disk cache for the functions tangentlike jits, kept in the protected cache
folder (``<cache>/numba``), never in a ``__pycache__`` beside the user's module.

Numba decides that a cached entry is fresh from the source file's contents and the
function's own bytecode; the machine code it stores has every function it calls linked
in, so a changed helper in another file would come back stale. Here each entry's stamp
also holds a fingerprint of everything the function reaches (``generation_cache``:
called helpers too, their globals by value). A function with no fingerprint (it reaches
an object whose identity cannot be stated) is compiled without a disk cache.

Numba's index and data files are pickles: they are trusted because the folder is
(``cache_folder.py``). A damaged one (truncated, emptied, not a pickle) is discarded with
a log line and the function compiles afresh.
"""

import glob
import logging
import os

import numba
from numba.core.caching import (
    CompileResultCacheImpl,
    FunctionCache,
    IndexDataCacheFile,
    _CacheLocator,
    _SourceFileBackedLocatorMixin,
)

from ..cache_folder import _make, subfolder

log = logging.getLogger("tangentlike")


class _ProtectedLocator(_SourceFileBackedLocatorMixin, _CacheLocator):
    def __init__(self, py_func, py_file):
        self._py_file = py_file
        self._lineno = py_func.__code__.co_firstlineno
        self._cache_path = os.path.join(
            subfolder("numba"), self.get_suitable_cache_subpath(py_file)
        )

    def get_cache_path(self):
        return self._cache_path

    def ensure_cache_path(self):
        if _make(self._cache_path) is not None:
            raise OSError(f"unsafe cache folder {self._cache_path}")

    @classmethod
    def from_function(cls, py_func, py_file):
        if subfolder("numba") is None:
            return None
        return super().from_function(py_func, py_file)


class _ProtectedImpl(CompileResultCacheImpl):
    _locator_classes = [_ProtectedLocator]


class _ProtectedCache(FunctionCache):
    _impl_class = _ProtectedImpl

    def __init__(self, py_func, fingerprint):  # Cache.__init__, with the fuller stamp
        self._name = repr(py_func)
        self._py_func = py_func
        self._impl = self._impl_class(py_func)
        self._cache_path = self._impl.locator.get_cache_path()
        stamp = (self._impl.locator.get_source_stamp(), fingerprint)
        self._cache_file = IndexDataCacheFile(
            cache_path=self._cache_path, filename_base=self._impl.filename_base, source_stamp=stamp
        )
        self.enable()

    def load_overload(self, sig, target_context):
        try:
            return super().load_overload(sig, target_context)
        except Exception as exc:  # noqa: BLE001 - any damage: compile afresh
            self._discard(exc)
            return None

    def save_overload(self, sig, data):
        try:
            super().save_overload(sig, data)
        except Exception as exc:  # noqa: BLE001 - a damaged index: start over
            self._discard(exc)
            try:
                super().save_overload(sig, data)
            except Exception:  # noqa: BLE001 - only the disk copy is lost
                pass

    def _discard(self, exc):
        index = self._cache_file._index_path
        log.warning(
            "tangentlike: discarding damaged Numba cache entry %s (%s: %s); it is compiled afresh",
            index,
            type(exc).__name__,
            exc,
        )
        for path in [index] + glob.glob(glob.escape(index[: -len(".nbi")]) + ".*.nbc"):
            try:
                os.unlink(path)
            except OSError:
                pass


def jit(py_func, fingerprint, cache=True):
    """``numba.njit(py_func)`` with its disk cache in the protected folder, keyed also
    on ``fingerprint``; no disk cache when the fingerprint or the folder is missing, or
    with ``cache=False`` (code of no importable module, which Numba cannot reload)."""
    dispatcher = numba.njit(py_func)
    if fingerprint is not None and cache:
        try:
            dispatcher._cache = _ProtectedCache(dispatcher.py_func, fingerprint)
        except (RuntimeError, OSError, TypeError) as exc:  # no file to stamp: no disk cache
            log.debug("tangentlike: no disk cache for %s (%s)", py_func.__qualname__, exc)
    return dispatcher
