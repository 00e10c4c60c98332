"""The CUDA target, on Numba's CUDA simulator (a real GPU with TL_CUDA_DEVICE=1).

Every batched gradient is checked row by row against central finite differences, and
against the CPU derivative to 1e-10 (the issue's contract); forward mode against the
finite-difference directional derivative. Kernels are also compiled to PTX for a real
GPU (sm_75) without one, when the toolchain is installed.
"""

import os
import subprocess
import sys

import numpy as np
import pytest

import tangentlike as tl
from tests import cuda_funcs as F
from tests.fd import fd_grad

cuda = pytest.importorskip("numba.cuda", reason="numba-cuda is not installed")
if not cuda.is_available():
    pytest.skip("no CUDA device and the simulator is off", allow_module_level=True)

ROWS = 12
NAMES = sorted(F.CASES)


def _batch(name, n=ROWS, seed=0):
    f, rest, make = F.CASES[name]
    return f, rest, make(np.random.default_rng(seed), n)


@pytest.mark.parametrize("name", NAMES)
def test_batch_grad_matches_cpu_and_finite_differences(name):
    f, rest, X = _batch(name)
    V, G = tl.cuda.batch_value_and_grad(f)(X, *rest)
    cpu = tl.grad(f)
    for i in range(X.shape[0]):
        np.testing.assert_allclose(G[i], cpu(X[i].copy(), *rest), rtol=1e-10, atol=1e-12)
        assert V[i] == pytest.approx(f(X[i].copy(), *rest), rel=1e-12, abs=1e-12)
    for i in range(3):
        ref = fd_grad(f, [X[i].copy(), *rest], 0)
        np.testing.assert_allclose(G[i], ref, rtol=2e-5, atol=2e-5)


@pytest.mark.parametrize("name", NAMES)
def test_batch_jvp_is_the_directional_derivative(name):
    f, rest, X = _batch(name, n=8, seed=1)
    T = np.random.default_rng(2).normal(size=X.shape)
    V, D = tl.cuda.batch_jvp(f)(X, *rest, T)
    for i in range(X.shape[0]):
        ref = fd_grad(f, [X[i].copy(), *rest], 0) @ T[i]
        assert D[i] == pytest.approx(ref, rel=2e-5, abs=2e-5)
        assert V[i] == pytest.approx(f(X[i].copy(), *rest), rel=1e-12, abs=1e-12)


def test_batch_grad_returns_only_gradients_and_keeps_host_arrays():
    f, rest, X = _batch("black_scholes")
    G = tl.cuda.batch_grad(f)(X, *rest)
    assert isinstance(G, np.ndarray) and G.shape == X.shape
    # delta of a call is in (0, 1); vega (d/d sigma) is positive
    assert np.all((G[:, 0] > 0) & (G[:, 0] < 1)) and np.all(G[:, 3] > 0)


def test_device_arrays_in_give_device_arrays_out():
    f, rest, X = _batch("pendulum")
    Xd = cuda.to_device(X)
    Gd = tl.cuda.batch_grad(f)(Xd, *rest)
    assert not isinstance(Gd, np.ndarray) and hasattr(Gd, "copy_to_host")
    np.testing.assert_allclose(Gd.copy_to_host(), tl.cuda.batch_grad(f)(X, *rest), rtol=1e-14)
    Vd, Dd = tl.cuda.batch_jvp(f)(Xd, *rest, cuda.to_device(np.ones_like(X)))
    assert hasattr(Dd, "copy_to_host")


def test_shared_array_argument():
    f, rest, X = _batch("numpy_scalars")
    w = rest[0]
    G = tl.cuda.batch_grad(f)(X, w)
    G2 = tl.cuda.batch_grad(f)(X, 2.0 * w)
    assert not np.allclose(G, G2)  # the shared array is really read


def test_tape_sized_by_counting_and_batches_split_into_chunks(monkeypatch):
    from tangentlike.backends.cuda import launch

    f, rest, X = _batch("pendulum", n=40)
    whole = tl.cuda.batch_grad(f)(X, *rest)
    g = tl.cuda.batch_grad(f)
    offs, slots = g.program.tape_layout(cuda.to_device(X), list(rest))
    # one theta and one omega per step (+1 initial each), a flag per step, stops and halvings
    assert slots >= 2 * (rest[0] + 1) + rest[0]
    monkeypatch.setattr(launch, "TAPE_BYTES", 8 * slots * 7)  # 7 rows per chunk
    np.testing.assert_array_equal(g(X, *rest), whole)


def test_data_dependent_trip_counts_differ_per_row():
    f = F.partial_norm
    X = np.array(
        [
            [0.1, 0.1, 0.1, 0.1, 0.1, 0.1],
            [2.0, 0.1, 0.1, 0.1, 0.1, 0.1],
            [0.5, 0.5, 0.9, 0.1, 0.1, 0.1],
        ]
    )
    G = tl.cuda.batch_grad(f)(X, 1.5)
    for i in range(3):
        np.testing.assert_allclose(G[i], fd_grad(f, [X[i].copy(), 1.5], 0), rtol=1e-6, atol=1e-6)


def test_device_grad_inside_a_user_kernel():
    f, rest, X = _batch("pendulum", n=16)
    dg = tl.cuda.device_grad(f)
    assert dg.needs_tape
    offs, slots = dg.tape_layout(X, *rest)
    adjoint = dg  # the device function itself (dg.device is the same)
    assert dg.device is dg

    @cuda.jit
    def my_kernel(X, nsteps, dt, G, V, tape, offs):
        i = cuda.grid(1)
        if i < X.shape[0]:
            V[i] = 2.0 * adjoint(X[i], nsteps, dt, 2.0, G[i], tape[:, i], offs)

    G = np.zeros_like(X)
    V = np.zeros(X.shape[0])
    tape = cuda.device_array((slots, X.shape[0]))
    my_kernel[1, 32](X, *rest, G, V, tape, offs)
    np.testing.assert_allclose(G, 2.0 * tl.cuda.batch_grad(f)(X, *rest), rtol=1e-12)


def test_device_grad_without_tape():
    dg = tl.cuda.device_grad(F.black_scholes)
    assert not dg.needs_tape
    assert "@cuda.jit(device=True)\ndef vjp_black_scholes(" in tl.source(dg)
    assert dg.tape_layout(_batch("black_scholes")[2], 0.03) == (None, 0)


def test_source_is_scalar_device_code():
    src = tl.source(tl.cuda.batch_grad(F.numpy_scalars))
    assert "@cuda.jit(device=True)" in src and "@cuda.jit\ndef batch_grad_numpy_scalars" in src
    code = "\n".join(
        ln
        for ln in src.split("from numba import cuda", 1)[1].splitlines()
        if not ln.strip().startswith("#")
    )
    for banned in ("np.", "zeros_like", "unbroadcast", ".append(", ".pop("):
        assert banned not in code, banned
    src = tl.source(tl.cuda.batch_grad(F.pendulum))
    assert "_tape[_offs[0] + _tape_theta_top] = theta" in src
    assert "def pendulum_rhs(theta, omega, length)" in src  # the user's callee, on device
    assert "int(_tape[" in src  # branch flags come back as ints


def test_ptx_for_a_real_gpu_without_one():
    script = os.path.join(os.path.dirname(__file__), "cuda_ptx_check.py")
    env = {k: v for k, v in os.environ.items() if k != "NUMBA_ENABLE_CUDASIM"}
    r = subprocess.run(
        [sys.executable, script], capture_output=True, text=True, env=env, timeout=900
    )
    if r.returncode == 77:
        pytest.skip(r.stdout.strip() or "CUDA toolchain for PTX not installed")
    assert r.returncode == 0, r.stdout[-2000:] + r.stderr[-3000:]
    assert r.stdout.count("bytes of PTX") >= 2 * len(F.CASES)


# ------------------------------------------------------------------ errors
def _slice(x):
    y = x[1:]
    return y[0] * 2.0


def _np_sum(x):
    return np.sum(x * x)


def _store(x):
    x[0] = 1.0
    return x[0]


def _list(x):
    a = [x[0], x[1]]
    return a[0]


def _method(x):
    return x.mean()


@pytest.mark.parametrize(
    "fn,match",
    [
        (_slice, "slices"),
        (_np_sum, "np.sum"),
        (_store, "writes into the argument"),
        (_list, "list"),
        (_method, "mean"),
    ],
)
def test_unsupported_device_code_is_an_error(fn, match):
    with pytest.raises(tl.TangentlikeError, match=match):
        tl.cuda.batch_grad(fn)


def test_error_names_the_line():
    with pytest.raises(tl.TangentlikeError, match=r"test_cuda.py:\d+"):
        tl.cuda.batch_grad(_np_sum)


def test_bad_calls():
    g = tl.cuda.batch_grad(F.black_scholes)
    with pytest.raises(tl.TangentlikeError, match="2-D"):
        g(np.ones(4), 0.03)
    with pytest.raises(tl.TangentlikeError, match="shared argument"):
        g(np.ones((2, 4)))
    with pytest.raises(tl.TangentlikeError, match="wrt=0"):
        tl.cuda.batch_grad(F.black_scholes, wrt=1)
    with pytest.raises(tl.TangentlikeError, match="tangent"):
        tl.cuda.batch_jvp(F.black_scholes)(np.ones((2, 4)), 0.03, np.ones((3, 4)))


def test_custom_vjp_rule_runs_on_the_device():
    f = F.custom_rule_model
    X = np.random.default_rng(3).uniform(-1.0, 1.0, (10, 4))
    G = tl.cuda.batch_grad(f)(X)
    assert "def softplus_bwd(v, g)" in tl.source(tl.cuda.batch_grad(f))
    for i in range(X.shape[0]):
        np.testing.assert_allclose(G[i], fd_grad(f, [X[i].copy()], 0), rtol=1e-6, atol=1e-6)


def test_precision_empty_batches_and_lists():
    X = np.random.default_rng(4).uniform(-1, 1, (5, 4)).astype(np.float32)
    G = tl.cuda.batch_grad(F.rosenbrock)(X)
    assert G.dtype == np.float32  # like tl.grad on a float32 row
    np.testing.assert_allclose(G[0], tl.grad(F.rosenbrock)(X[0]), rtol=1e-6)
    assert tl.cuda.batch_grad(F.pendulum)(np.zeros((0, 3)), 10, 0.1).shape == (0, 3)
    np.testing.assert_allclose(
        tl.cuda.batch_grad(F.rosenbrock)([[1.0, 2.0, 3.0]]), [[-400.0, 1002.0, -200.0]]
    )  # by hand: d/dx of 100(y-x^2)^2+...
