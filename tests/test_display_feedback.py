"""Notebook display of derivatives, short tracebacks, the "tangentlike" logger, slow-compile
notices and the exit-time wait for background compiles."""

import logging
import os
import subprocess
import sys
import types

import pytest

import tangentlike as tl
from tangentlike import display, feedback
from tests import pickle_funcs as pf

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def test_repr_names_function_mode_wrt_backend():
    assert repr(tl.grad(pf.rosen)) == "<tangentlike grad of rosen: wrt=0, backend=python>"
    r = repr(tl.value_and_grad(pf.loop_energy, argnums=(0, 1), compile="numba"))
    assert r == "<tangentlike value_and_grad of loop_energy: wrt=(0, 1), backend=numba>"
    assert "hessian of rosen" in repr(tl.hessian(pf.rosen))
    assert "batch_grad of loop_energy" in repr(tl.batch_grad(pf.loop_energy))
    assert "jvp of vector_field" in repr(tl.jvp(pf.vector_field))


def test_html_and_markdown_show_the_source(monkeypatch):
    df = tl.grad(pf.rosen)
    md = df._repr_markdown_()
    assert "```python\n" + tl.source(df) in md
    page = df._repr_html_()
    assert "vjp_rosen" in page and "<b>tangentlike grad</b>" in page
    # without Pygments: a plain, escaped <pre>
    monkeypatch.setitem(sys.modules, "pygments", None)
    plain = display.highlighted_html("a < b\n")
    assert plain == "<pre>a &lt; b\n</pre>"


def test_source_displays_as_code():
    src = tl.source(tl.grad(pf.rosen))
    assert isinstance(src, str) and src == tl.grad(pf.rosen).source

    class Printer:
        def __init__(self):
            self.out = []

        def text(self, t):
            self.out.append(t)

    p = Printer()
    src._repr_pretty_(p, False)
    assert p.out == [str(src)] and "\n" in p.out[0]


def _error_with_internal_frames():
    try:
        tl.grad(pf.rosen, wrt=5)
    except tl.TangentlikeError as exc:
        return exc
    raise AssertionError("no error")


def test_short_traceback_hides_internal_frames(monkeypatch):
    exc = _error_with_internal_frames()
    full = exc.__traceback__
    files = []
    tb = display.short_traceback(full)
    while tb is not None:
        files.append(tb.tb_frame.f_code.co_filename)
        tb = tb.tb_next
    assert files and not any(f.startswith(display._PACKAGE_DIR) for f in files)
    monkeypatch.setenv("TANGENTLIKE_DEBUG", "1")
    assert display.short_traceback(full) is full


def test_cell_location(monkeypatch):
    shell = types.SimpleNamespace(
        compile=types.SimpleNamespace(_filename_map={"/tmp/ipykernel_1/123.py": 7})
    )
    fake = types.SimpleNamespace(get_ipython=lambda: shell)
    monkeypatch.setitem(sys.modules, "IPython", fake)
    assert display.cell_location("/tmp/ipykernel_1/123.py", 3) == "Cell In[7], line 3"
    err = tl.TangentlikeError("boom", function="f", filename="/tmp/ipykernel_1/123.py", lineno=3)
    assert str(err) == "f (Cell In[7], line 3): boom"
    assert display.cell_location("/elsewhere.py", 3) is None


def test_generation_is_logged(caplog):
    with caplog.at_level(logging.INFO, logger="tangentlike"):
        tl.grad(pf.vector_field_sum)
    assert "vjp_vector_field_sum" in caplog.text or "generation cache" in caplog.text


def test_slow_compile_said_once(caplog, monkeypatch):
    monkeypatch.setattr(feedback, "_said_slow", set())
    with caplog.at_level(logging.INFO, logger="tangentlike"):
        feedback.compiled("grad_x", 2.5)
        feedback.compiled("grad_x", 3.0)
        feedback.compiled("grad_y", 0.2)
    slow = [r for r in caplog.records if "took" in r.getMessage()]
    assert len(slow) == 1 and "2.5 s" in slow[0].getMessage()
    assert "compiled grad_y in 0.20 s" in caplog.text


def test_slow_compile_warns_without_logging(monkeypatch):
    monkeypatch.setattr(feedback, "_said_slow", set())
    monkeypatch.setattr(feedback, "configured", lambda: False)
    with pytest.warns(tl.TangentlikeWarning, match="took 4.0 s"):
        feedback.compiled("grad_z", 4.0)


def _run(code, **env):
    e = dict(os.environ, PYTHONPATH=ROOT, **env)
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=e, timeout=300, cwd=ROOT
    )


SCRIPT = """
import numpy as np, tangentlike as tl, time
from tangentlike.backends import numba_backend
from tests import pickle_funcs as pf
import numba
orig = numba_backend.NumbaDerivative._compile
def slow(self, args):
    time.sleep(3); orig(self, args)
numba_backend.NumbaDerivative._compile = slow
df = tl.grad(pf.tanh_layer, compile="numba")
print(df(np.ones((3, 3)), np.ones(3)).shape)
"""


@pytest.mark.slow
def test_exit_wait_is_announced_or_skipped(tmp_path):
    out = _run(SCRIPT, TANGENTLIKE_CACHE_DIR=str(tmp_path))
    assert out.returncode == 0, out.stderr
    assert "waiting at exit for the background compile of vjp_tanh_layer" in out.stderr
    out = _run(SCRIPT, TANGENTLIKE_CACHE_DIR=str(tmp_path), TANGENTLIKE_EXIT_WAIT="0")
    assert out.returncode == 0 and "waiting at exit" not in out.stderr
