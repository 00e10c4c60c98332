"""Test-session set-up.

The CUDA tests run on Numba's CUDA simulator unless TL_CUDA_DEVICE=1 (a real GPU). The
simulator is read from the environment when Numba's configuration loads; pytest's
warning filter (pyproject) has imported Numba already, so reload the configuration.
"""

import os
import sys

if os.environ.get("TL_CUDA_DEVICE") != "1":
    os.environ.setdefault("NUMBA_ENABLE_CUDASIM", "1")
    if "numba.core.config" in sys.modules and "numba.cuda" not in sys.modules:
        sys.modules["numba.core.config"].reload_config()

# compile="numba" compiles loop-free derivatives in the background and runs their first
# calls as NumPy; the tests check the compiled code, so they compile at the first call
# (tests/test_numba_backend.py switches the background compile back on).
from tangentlike.backends import numba_backend  # noqa: E402

numba_backend.BACKGROUND_COMPILE = False


def pytest_collection_modifyitems(config, items):
    """Markers by what a test exercises: ``cuda`` (the CUDA target, on the simulator
    unless TL_CUDA_DEVICE=1) and ``numba`` (compiled derivatives: the test's module is
    about the Numba backend, or its parameters name it). ``slow`` is set by hand."""
    import pytest

    for item in items:
        module = item.module.__name__.rsplit(".", 1)[-1] if item.module else ""
        if module in ("test_cuda", "cuda_ptx_check"):
            item.add_marker(pytest.mark.cuda)
        if module == "test_numba_backend" or "numba" in item.name:
            item.add_marker(pytest.mark.numba)
