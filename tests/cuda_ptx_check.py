"""Compile every CUDA test kernel to PTX for a real GPU (sm_75), without a GPU.

Run in a subprocess by tests/test_cuda.py with the simulator off. Exit code 77 means the
toolchain is missing (the test skips and prints why). numba-cuda asks the (absent) device
for its compute capability when a kernel calls a device function; the stub below answers
for it, as checked in the project's toolchain notes.
"""

import os
import shutil
import subprocess
import sys
import tempfile
import types

os.environ.pop("NUMBA_ENABLE_CUDASIM", None)
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def main():
    try:
        import numba.cuda.dispatcher as dispatcher
        from numba import cuda, typeof
        from numba import types as nt
        from cuda.pathfinder import load_nvidia_dynamic_lib

        for lib in ("nvrtc", "nvvm"):
            load_nvidia_dynamic_lib(lib)
    except Exception as exc:  # noqa: BLE001 - any missing piece
        print(f"no CUDA toolchain for PTX: {type(exc).__name__}: {exc}")
        return 77
    dispatcher.get_current_device = lambda: types.SimpleNamespace(compute_capability=(7, 5))
    import numpy as np
    import tangentlike as tl
    from tests.cuda_funcs import CASES

    ptxas = shutil.which("ptxas")
    for name, (f, rest, make) in CASES.items():
        make(np.random.default_rng(0), 4)
        rest_t = [typeof(a) for a in rest]
        row, grid = nt.float64[:, ::1], nt.float64[::1]
        for batched in (tl.cuda.batch_grad(f), tl.cuda.batch_jvp(f)):
            prog = batched.program
            mod = prog.loaded()
            for kind, kname in prog.module.kernels.items():
                k = getattr(mod, kname).py_func
                if kind == "grad":
                    sig = [row, *rest_t, row, grid]
                    if prog.module.count:
                        sig += [nt.float64[:, :], nt.int64[::1]]
                elif kind == "jvp":
                    sig = [row, *rest_t, row, grid, grid]
                else:
                    sig = [row, *rest_t, nt.int64[::1]]
                ptx, _ = cuda.compile_ptx(k, tuple(sig), cc=(7, 5))
                assert ".entry" in ptx, (name, kind)
                if ptxas:
                    # ptxas may be older than the NVVM wheel; assemble at the version it knows
                    with tempfile.NamedTemporaryFile("w", suffix=".ptx", delete=False) as fh:
                        fh.write(ptx)
                    r = subprocess.run(
                        [ptxas, "-arch=sm_75", fh.name, "-o", os.devnull],
                        capture_output=True,
                        text=True,
                    )
                    os.unlink(fh.name)
                    if r.returncode and "Unsupported .version" not in r.stderr:
                        print(f"ptxas rejected {name}/{kind}: {r.stderr[:500]}")
                        return 1
                print(f"{name}/{kind}: {len(ptx)} bytes of PTX")
    return 0


if __name__ == "__main__":
    sys.exit(main())
