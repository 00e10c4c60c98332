"""Stage 7: turn generated source into callables (plain Python or Numba nopython)."""
from .loader import load_module
from .python_backend import compile_python
from .numba_backend import compile_numba

BACKENDS = {None: compile_python, "python": compile_python, "numba": compile_numba}
