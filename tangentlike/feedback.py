"""What tangentlike tells about long work: the ``"tangentlike"`` logger, slow compiles,
and background compiles still running when the program ends.

* Generation (``pipeline.py``) logs ``generated <entry> in 0.12 s`` (or ``from the
  generation cache``) at INFO; each Numba compile of generated code logs its time at INFO
  (``numba:compile`` events of Numba's dispatchers for ``tl_*`` modules; machine code
  loaded from Numba's disk cache is not a compile and says nothing).
* A compile over ``SLOW_COMPILE_S`` seconds says so once per derivative: a WARNING log
  line when logging is configured (the ``"tangentlike"`` logger or the root logger has a
  handler), else a ``TangentlikeWarning``.
* A loop-free derivative compiles in a background thread (``numba_backend.py``). That
  thread is a daemon; at exit, a compile still running is waited for so that Numba's disk
  cache is complete for the next process, and the wait is announced on stderr (log line
  or warning) with the derivative's name and how long it has run. Set
  ``TANGENTLIKE_EXIT_WAIT=0`` (or call ``cancel_background_compiles()``) to exit at once
  instead; the next process then compiles again.
"""

import atexit
import logging
import os
import sys
import threading
import time
import warnings

from .errors import TangentlikeWarning

log = logging.getLogger("tangentlike")
SLOW_COMPILE_S = 1.0

_said_slow = set()
_background = {}  # thread -> (derivative name, start time)
_state = threading.local()
_exit = {"wait": True}


def configured():
    """Whether the user set up logging (so log lines are seen rather than warnings)."""
    return log.hasHandlers()


def say(message, level=logging.WARNING):
    """A message the user should see: a log line when logging is set up, else a warning."""
    if configured():
        log.log(level, message)
    else:
        warnings.warn(TangentlikeWarning(message), stacklevel=3)


def compiled(name, seconds, what="compiled"):
    log.info("%s %s in %.2f s", what, name, seconds)
    if seconds > SLOW_COMPILE_S and name not in _said_slow:
        _said_slow.add(name)
        say(
            f"compile='numba': compiling {name} took {seconds:.1f} s (once: later processes "
            "load it from Numba's disk cache)"
        )


# ------------------------------------------------------------------ Numba compile events
def _generated_name(event):
    disp = event.data.get("dispatcher") if isinstance(event.data, dict) else None
    py = getattr(disp, "py_func", None)
    module = getattr(py, "__module__", "") or ""
    return py.__name__ if module.startswith("tl_") else None


def _install_listener():
    try:
        from numba.core import event as ev
    except ImportError:  # pragma: no cover
        return

    class CompileTimes(ev.Listener):
        """Times the outermost compile of generated code in each thread."""

        def on_start(self, event):
            name = _generated_name(event)
            if name is None:
                return
            depth = getattr(_state, "depth", 0)
            if depth == 0:
                _state.started = (name, time.perf_counter())
            _state.depth = depth + 1

        def on_end(self, event):
            if _generated_name(event) is None or not getattr(_state, "depth", 0):
                return
            _state.depth -= 1
            if _state.depth == 0:
                name, t0 = _state.started
                compiled(name, time.perf_counter() - t0)

    ev.register("numba:compile", CompileTimes())


_install_listener()


# ------------------------------------------------------------------ background compiles
def track(thread, name):
    """Register a background compile thread (a daemon) for the exit-time wait."""
    _background[thread] = (name, time.perf_counter())


def cancel_background_compiles():
    """Do not wait at exit for background compiles still running (they are dropped)."""
    _exit["wait"] = False


def _wait_at_exit():
    running = [(t, n, t0) for t, (n, t0) in list(_background.items()) if t.is_alive()]
    if not running:
        return
    if not _exit["wait"] or os.environ.get("TANGENTLIKE_EXIT_WAIT", "1") == "0":
        return
    names = ", ".join(f"{n} (running {time.perf_counter() - t0:.1f} s)" for _, n, t0 in running)
    message = (
        f"tangentlike: waiting at exit for the background compile of {names} so that "
        "Numba's disk cache is complete for the next run; set TANGENTLIKE_EXIT_WAIT=0 "
        "to exit at once"
    )
    if configured():
        log.warning(message)
    else:
        print(message, file=sys.stderr, flush=True)
    t_start = time.perf_counter()
    for t, _, _ in running:
        t.join()
    log.info("waited %.1f s at exit for background compiles", time.perf_counter() - t_start)


atexit.register(_wait_at_exit)
