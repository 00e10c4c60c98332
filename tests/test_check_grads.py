"""tl.check_grads passes on right derivatives and names the argument on wrong ones."""

import math

import numpy as np
import pytest

import tangentlike as tl
from tangentlike.rules.registry import _RULES, _key


def smooth(x, a):
    return np.sum(np.sin(x) * a) + a * a


def uses_cos(x):
    return math.cos(x) * 2.0


def test_check_grads_passes():
    assert tl.check_grads(smooth, (np.array([0.3, 0.8, -1.2]), 1.7))


def test_check_grads_reports_a_wrong_rule(monkeypatch):
    # break the cos rule on purpose: check_grads must catch it and name the argument
    rule = _RULES[_key(math.cos)]
    import gast

    broken = rule.__class__(
        name=rule.name,
        signature=rule.signature,
        diff_params=("x",),
        body=gast.parse("d[x] = g * m.sin(x)").body,
    )  # wrong sign
    monkeypatch.setitem(_RULES, _key(math.cos), broken)
    with pytest.raises(AssertionError, match=r"argument 0.*tangentlike .*finite differences"):
        tl.check_grads(uses_cos, (0.7,), modes=("reverse",))


def test_check_grads_second_order():
    assert tl.check_grads(smooth, (np.array([0.3, 0.8, -1.2]), 1.7), order=2)


def test_check_grads_bad_order():
    with pytest.raises(ValueError):
        tl.check_grads(smooth, (np.array([0.3]), 1.0), order=3)
