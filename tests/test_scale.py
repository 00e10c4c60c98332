"""Scale: deep expressions, deeply nested loops, and a tape that outgrows memory."""

import importlib.util
import sys
import time

import numpy as np
import pytest

import tangentlike as tl
from tangentlike.api import TapeMemoryError

from . import fd


def _module(tmp_path, name, text):
    path = tmp_path / f"{name}.py"
    path.write_text(text)
    spec = importlib.util.spec_from_file_location(name, path)
    mod = importlib.util.module_from_spec(spec)
    sys.modules[name] = mod
    spec.loader.exec_module(mod)
    return mod


@pytest.mark.slow
def test_a_300_term_expression(tmp_path):
    terms = " + ".join(
        f"np.sin(x) * {i % 5 + 1}.0" if i % 3 == 0 else f"x * {i % 7 + 1}.0" for i in range(300)
    )
    mod = _module(
        tmp_path, "tl_scale_deep", f"import numpy as np\n\ndef f(x):\n    return {terms}\n"
    )
    limit = sys.getrecursionlimit()
    g = tl.grad(mod.f)(0.3)
    fd.assert_close(g, fd.fd_grad(mod.f, (0.3,), 0))
    fd.assert_close(g, tl.jvp(mod.f)(0.3, 1.0)[1])
    assert sys.getrecursionlimit() == limit  # put back


def test_19_nested_loops_generate_quickly(tmp_path):
    text, indent = "def g(x):\n    s = 0.0\n", "    "
    for k in range(19):
        text += f"{indent}for i{k} in range(1):\n"
        indent += "    "
    text += f"{indent}s = s + x * x\n    return s\n"
    mod = _module(tmp_path, "tl_scale_nested", text)
    t0 = time.perf_counter()
    df = tl.grad(mod.g)
    assert time.perf_counter() - t0 < 10.0  # was 48-110 s (2^depth)
    fd.assert_close(df(1.5), fd.fd_grad(mod.g, (1.5,), 0))
    fd.assert_close(df(1.5), tl.jvp(mod.g)(1.5, 1.0)[1])


def tape_grows(x, sizes):
    s = 0.0
    for i in range(sizes.shape[0]):
        s = s * np.cos(x) + np.sum(np.zeros(sizes[i])) + x
    return s


@pytest.mark.parametrize("compile", [None, "numba"])
def test_running_out_of_memory_on_the_tape_says_how_much_and_what_to_do(compile):
    small = np.array([2] * 6)
    df = tl.grad(tape_grows, compile=compile)
    fd.assert_close(df(0.3, small), fd.fd_grad(tape_grows, (0.3, small), 0))
    sizes = np.array([2] * 500 + [10**15])  # the last step cannot allocate
    with pytest.raises(TapeMemoryError, match="checkpoint=") as info:
        df(0.3, sizes)
    assert isinstance(info.value, MemoryError)
    if compile is None:
        assert "held 501 entries (4,008 bytes)" in str(info.value)
    else:
        assert "tape_stats" in str(info.value)
