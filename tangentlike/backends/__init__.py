"""Stage 7: turn generated source into callables (plain Python or Numba nopython)."""

import threading

from .fork_safety import reset_in_child
from .loader import load_module
from .python_backend import compile_python
from .numba_backend import compile_numba

BACKENDS = {None: compile_python, "python": compile_python, "numba": compile_numba}

# held while a derivative builds its callable at its first call (threads may race there)
BUILD_LOCK = reset_in_child(threading.RLock())
