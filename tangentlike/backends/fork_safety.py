"""Fork with no compile in flight.

``os.fork`` copies only the calling thread. A Numba compile running in another thread
(a loop-free derivative's background compile, or another thread's first call) holds
Numba's compiler lock and LLVM's and NumPy's internal state half-updated; the child
inherits that state with no thread to finish it, and its first compile either waits on
the lock forever or fails inside Numba (``SystemError: ... returned a result with an
exception set``, "'descr' is NULL"). So before a fork tangentlike takes Numba's global
compiler lock, which waits for any compile in flight to end (a log line of the
``"tangentlike"`` logger says so when it has to wait), and releases it in the parent and
the child after the fork; tangentlike's own locks are made new in the child.
"""

import logging
import os
import time

log = logging.getLogger("tangentlike")

_RESET_IN_CHILD = []  # locks that a child gets fresh
_state = {"held": False}


def reset_in_child(lock):
    """Register a module-level lock to be re-created (unlocked) in fork children."""
    _RESET_IN_CHILD.append(lock)
    return lock


def _compiler_lock():
    try:
        from numba.core.compiler_lock import global_compiler_lock
    except ImportError:  # pragma: no cover
        return None
    return global_compiler_lock


def _before_fork():
    lock = _compiler_lock()
    if lock is None:
        return
    inner = lock._lock
    if not inner.acquire(blocking=False):
        t0 = time.perf_counter()
        log.info("fork: waiting for a Numba compile in another thread to finish")
        inner.acquire()
        log.info("fork: waited %.1f s for the compile", time.perf_counter() - t0)
    _state["held"] = True


def _after_fork_parent():
    if _state["held"]:
        _state["held"] = False
        _compiler_lock()._lock.release()


def _after_fork_child():
    if _state["held"]:
        _state["held"] = False
        _compiler_lock()._lock.release()
    for lock in _RESET_IN_CHILD:
        reinit = getattr(lock, "_at_fork_reinit", None)
        if reinit is not None:
            reinit()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(
        before=_before_fork, after_in_parent=_after_fork_parent, after_in_child=_after_fork_child
    )
