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
