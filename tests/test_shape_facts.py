"""Variables that change shape (analyze/shapes.py): the reverse sweep tapes what it reads
of them for their shape, so swaps of shrinking arrays, reductions of a reassigned vector
and helpers returning another shape give the right gradient (against differences)."""

import gast
import numpy as np
import pytest

import tangentlike as tl
from tangentlike.analyze.shapes import shape_varying
from tests.fd import fd_grad


def _varying(src, overwritten):
    return shape_varying(gast.parse(src).body, set(overwritten))


def test_facts_name_what_may_change_shape():
    assert _varying("a, b = b, a[1:]", {"a", "b"}) == {"a", "b"}
    assert _varying("x = np.sum(x)\nx = x * x", {"x"}) == {"x"}
    assert _varying("w = v[:i]", {"w"}) == {"w"}
    # elementwise updates, constant slices of arrays never reassigned, element reads
    assert _varying("x = np.sin(x) * v[0] + v[0:2]\ns = s + x[1]", {"x", "s"}) == {"s"}
    assert _varying("x = np.tanh(x) * 2.0\ns = s * float(len(v))", {"x", "s"}) == set()


def _h(x):
    return np.sum(x) * 1.0


def swap_shrinking(x, y):
    a, b = x * 1.0, y * 2.0
    for i in range(3):
        a, b = b, a[1:] * 0.5
    return np.sum(a * a) + np.sum(b)


def reduce_in_loop(v, c):
    x = v * c
    for i in range(2):
        x = np.sum(x) * x
    return np.sum(x)


def helper_reduces_in_branch(v, c):
    x = v * 1.0
    for i in range(2):
        if c > 0:
            x = _h(x)
        x = x * x
    return np.sum(x)


def shrinks_by_counter(v, n):
    x = v * 1.0
    for i in range(n):
        x = x[1:] * 2.0
    return np.sum(x * x)


@pytest.mark.parametrize(
    "f, args",
    [
        (swap_shrinking, (np.linspace(-1, 1, 6), np.linspace(0.5, 1.5, 6))),
        (reduce_in_loop, (np.array([0.5, -0.3, 0.8]), 0.7)),
        (helper_reduces_in_branch, (np.array([0.5, -0.3, 0.8]), 1.0)),
        (shrinks_by_counter, (np.array([0.5, -0.3, 0.8, 0.1]), 2)),
    ],
)
def test_shape_changes_give_right_gradients(f, args):
    g = tl.grad(f)(*args)
    np.testing.assert_allclose(g, fd_grad(f, args), rtol=1e-6, atol=1e-8)
