"""Adjoints that need no allocation: loop-local adjoints made inside the reverse
iteration (transform/loop_adjoints.py), a user function's adjoint that reduces its own
seed (statement_adjoint.takes_wide_seed), and elements read only for their shape
(transform/reads.py: no tape of ``f[i]`` for ``f[i] += t``).

Each generated text is checked for what it no longer contains, and each gradient against
central differences and against forward mode, interpreted and compiled."""

import math

import numpy as np
import pytest

import tangentlike as tl
from benchmarks import realworld as R

from . import fd
from .test_realworld_kernels import _forward_grad


def _sweeps(src, entry):
    """(forward sweep, reverse sweep) of the generated function ``entry``."""
    body = src.split(f"def {entry}(")[1].split("\ndef ")[0]
    fwd, rev = body.split("# reverse sweep")
    return fwd, rev


def test_rk4_stage_adjoints_start_in_the_reverse_iteration():
    src = str(tl.source(tl.grad(R.rk4_pendulums, wrt=(0, 1, 2))))
    fwd, rev = _sweeps(src, "vjp_rk4_pendulums")
    for k in ("k1", "k2", "k3", "k4"):
        assert f"zeros_like({k})" not in fwd
        assert f"zeros_like({k})" not in rev  # merged into the first contribution
        assert f"d_{k} = unbroadcast(" in rev
    # the helper's per-iteration scalar acc: no zero in its forward loop either
    fwd, _ = _sweeps(src, "_vjp_pendulum_rhs_0_1_2")
    assert "d_acc" not in fwd


def test_helper_not_run_again_for_its_result_shape():
    src = str(tl.source(tl.grad(R.lj_helper)))
    _, rev = _sweeps(src, "grad_lj_helper")
    assert "_vjp_lj_pair_0_1(" in rev
    code = [ln for ln in rev.splitlines() if not ln.strip().startswith("#")]
    assert "lj_pair(" not in "\n".join(code).replace("_vjp_lj_pair_0_1(", "")


def test_accumulated_forces_not_taped():
    src = str(tl.source(tl.grad(R.verlet_md, wrt=(0, 1, 2))))
    assert "_tape_f_items" not in src


# loop-local variables in the shapes the mechanism must get right or leave alone


def read_after_loop(x, a):
    s = 0.0
    k = 0.0
    for i in range(x.shape[0]):
        k = x[i] * a
        s += k * k
    return s + 3.0 * k  # k is not local to the loop


def contribution_in_branch(x, a):
    s = 0.0
    for i in range(x.shape[0]):
        k = x[i] * a
        if i > 1:
            s += k * k
        else:
            s -= math.sin(k)
    return s


def array_local_written(x, a):
    n = x.shape[0]
    s = 0.0
    for step in range(3):
        w = np.zeros(n)
        for i in range(n):
            w[i] = a * x[i] * x[i] + step
        q = w * a
        s += np.sum(q * w)
    return s


def nested_and_while(x, a):
    s = 0.0
    t = 0
    while t < 3:
        c = a * t
        for i in range(x.shape[0]):
            k = x[i] * c + a
            s += k * k * x[i]
        t = t + 1
    return s


def pair(u, a):
    return u * a, u + a


def tuple_first_assignment(x, a):
    s = 0.0
    for i in range(x.shape[0]):
        p, q = pair(x[i], a)
        s += p * q
    return s


def stage_rhs(y, a):
    return -a * y * y


def stages_array(y0, a):
    y = y0.copy()
    for step in range(4):
        k1 = stage_rhs(y, a)
        k2 = stage_rhs(y + 0.1 * k1, a)
        y = y + 0.05 * (k1 + k2)
    return np.sum(y * y)


LOCALS = {
    "read_after_loop": (read_after_loop, (np.array([0.4, -0.7, 1.1]), 0.9)),
    "contribution_in_branch": (contribution_in_branch, (np.array([0.4, -0.7, 1.1, 0.3]), 0.9)),
    "array_local_written": (array_local_written, (np.array([0.4, -0.7, 1.1]), 0.9)),
    "nested_and_while": (nested_and_while, (np.array([0.4, -0.7, 1.1]), 0.9)),
    "tuple_first_assignment": (tuple_first_assignment, (np.array([0.4, -0.7, 1.1]), 0.9)),
    "stages_array": (stages_array, (np.array([0.4, -0.7, 1.1]), 0.9)),
}


@pytest.mark.parametrize("checkpoint", [None, 2])
@pytest.mark.parametrize("compile", [None, "numba"])
@pytest.mark.parametrize("name", sorted(LOCALS))
def test_loop_local_adjoints(name, compile, checkpoint):
    func, args = LOCALS[name]
    if checkpoint and name == "nested_and_while":
        pytest.skip("no for loop at the top level to checkpoint")
    g = tl.grad(func, wrt=(0, 1), compile=compile, checkpoint=checkpoint)(*args)
    fd.assert_close(g, fd.fd_grad(func, args, (0, 1)), rtol=1e-6)
    fd.assert_close(g, _forward_grad(func, (0, 1), args))


def test_loop_local_found_only_where_it_holds():
    src = str(tl.source(tl.grad(read_after_loop, wrt=(0, 1))))
    fwd, rev = _sweeps(src, "vjp_read_after_loop")
    assert "d_k = " in rev.split("for i in")[0]  # made before the loop: read after it
    src = str(tl.source(tl.grad(stages_array, wrt=(0, 1))))
    fwd, _ = _sweeps(src, "vjp_stages_array")
    assert "d_k1" not in fwd and "d_k2" not in fwd


# a user function's result broadcast in its caller: its adjoint reduces the seed


def energy(u, a):
    return a * u * u


def row_energy(u, a):
    return u * a


def broadcast_helper_results(x, a):
    acc = np.zeros(3)
    M = np.zeros((2, 3))
    for i in range(x.shape[0]):
        acc = acc + energy(x[i], a)  # a number into a row
        M[i % 2] = energy(x[i], a)  # a number stored into a row
        M[(i + 1) % 2] = M[(i + 1) % 2] + row_energy(x, a)[0:3]
    return np.sum(acc * acc) + np.sum(M * M)


@tl.custom_vjp
def scaled(u, a):
    return a * u


def scaled_fwd(u, a):
    return a * u, (u, a)


def scaled_bwd(res, g):
    u, a = res
    return g * a, g * u


scaled.defvjp(scaled_fwd, scaled_bwd)


def broadcast_custom_result(x, a):
    acc = np.zeros(2)
    for i in range(x.shape[0]):
        acc = acc + scaled(x[i], a)
    return np.sum(acc * acc)


@pytest.mark.parametrize("compile", [None, "numba"])
@pytest.mark.parametrize("func", [broadcast_helper_results, broadcast_custom_result])
def test_helper_result_broadcast_in_caller(func, compile):
    args = (np.array([0.4, -0.7, 1.1]), 0.9)
    if func is broadcast_custom_result and compile:
        pytest.skip("custom rules run interpreted")
    g = tl.grad(func, wrt=(0, 1), compile=compile)(*args)
    fd.assert_close(g, fd.fd_grad(func, args, (0, 1)), rtol=1e-6)


# elements whose values the adjoint reads stay on the tape


def scaled_in_place(x, a):
    n = x.shape[0]
    f = np.ones(n)
    for i in range(n - 1):
        t = a * x[i]
        f[i] += t
        f[i + 1] = f[i + 1] * t
    return np.sum(f * x)


@pytest.mark.parametrize("compile", [None, "numba"])
def test_element_values_read_stay_taped(compile):
    args = (np.array([0.4, -0.7, 1.1, 0.5]), 0.9)
    assert "_tape_f_items" in str(tl.source(tl.grad(scaled_in_place, wrt=(0, 1))))
    g = tl.grad(scaled_in_place, wrt=(0, 1), compile=compile)(*args)
    fd.assert_close(g, fd.fd_grad(scaled_in_place, args, (0, 1)), rtol=1e-6)
    fd.assert_close(g, _forward_grad(scaled_in_place, (0, 1), args))
