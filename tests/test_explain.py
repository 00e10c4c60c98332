"""tl.explain: the tape per recorded variable and the reverse sweep's allocations."""

import numpy as np
import pytest

import tangentlike as tl
from benchmarks import realworld as R


def overwrite_elements(x):
    v = x.copy()
    for i in range(v.shape[0] - 1):
        v[i] = v[i] * v[i + 1]
    return np.sum(v)


def scalar_state(x):
    s = 0.0
    for i in range(x.shape[0]):
        s = s * x[i] + 1.0
    return s


def test_explain_names_each_tape_and_its_statement():
    x = np.linspace(0.5, 1.5, 6)
    text = tl.explain(tl.grad(scalar_state), x)
    stats = tl.grad(scalar_state).tape_stats(x)
    assert f"tape at its peak {stats['elements']} entries" in text
    assert "_tape_s: 7 entries (scalars), 56 bytes" in text
    assert "recorded after: s = s * x[i] + 1.0" in text
    text = tl.explain(tl.grad(overwrite_elements), x)
    assert "old elements of `v` before each in-place write" in text
    assert "records the element it overwrites (5 entries)" in text


def read_after_the_loop(x):  # w is read after the loop: its adjoint is reset each step
    s = 0.0
    for i in range(3):
        w = x * x[i]
        s += np.sum(w * w)
    return s + np.sum(w)


def test_explain_points_at_helper_adjoints_and_zero_arrays():
    text = tl.explain(tl.grad(R.lj_helper), *R.lj_inputs(5))
    assert "_vjp_lj_pair" in text and "pass scalars" in text
    # rk4's stages are local to the loop body: their adjoints start in the reverse
    # iteration (transform/loop_adjoints.py), not as zeros per step
    text = tl.explain(tl.grad(R.rk4_pendulums, wrt=(0, 1, 2)), *R.rk4_inputs(3))
    assert "_vjp_pendulum_rhs" in text and "d_k1 = zeros_like(k1)" not in text
    text = tl.explain(tl.grad(read_after_the_loop), np.arange(4.0))
    assert "d_w = zeros_like(w)" in text and "allocates every iteration" in text
    # the swap u, u_new = u_new, u moves adjoints (transform/permutations.py): no zeros
    text = tl.explain(tl.grad(R.heat_explicit, wrt=(0, 1)), *R.heat_inputs(3, n=6))
    assert "d_u = zeros_like(u)" not in text


def test_explain_rejects_other_objects():
    with pytest.raises(tl.TangentlikeError, match="tl.grad or tl.vjp"):
        tl.explain(scalar_state, np.ones(3))
