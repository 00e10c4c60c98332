"""The declared optimization pipeline and the print-after switch."""

import numpy as np
import pytest

import tangentlike as tl
from tangentlike.optimize import PASSES, PIPELINE, STEPS, print_after_steps
from tests.fd import fd_grad


def poly(x, y):
    z = x * y
    w = z * z
    return np.sin(z) + w


def test_every_pass_switches_a_step_and_steps_are_unique():
    assert len(set(STEPS)) == len(STEPS)
    switched = set().union(*(switches for _, switches, _ in PIPELINE))
    assert switched == set(PASSES)


def test_print_after_names(monkeypatch):
    assert print_after_steps("cse, dce") == {"cse", "dce"}
    assert print_after_steps("all") == set(STEPS)
    assert print_after_steps("") == set()
    with pytest.raises(tl.TangentlikeError, match="unknown step"):
        print_after_steps("cse,nosuchpass")
    monkeypatch.setenv("TANGENTLIKE_PRINT_AFTER", "simplify")
    assert print_after_steps() == {"simplify"}


def test_print_after_shows_the_code_between_passes(monkeypatch, capsys):
    monkeypatch.setenv("TANGENTLIKE_PRINT_AFTER", "cse,dce,owned")
    df = tl.grad(poly)
    err = capsys.readouterr().err
    assert "after cse ----" in err and "after dce ----" in err
    assert "after simplify ----" not in err
    # after the last step, the printed function is the one that runs
    assert err.rstrip().endswith(tl.source(df).rstrip().splitlines()[-1].strip())
    x, y = 0.7, 1.3
    assert abs(df(x, y) - fd_grad(poly, (x, y), 0)) < 1e-7


def test_no_printing_without_the_switch(monkeypatch, capsys):
    monkeypatch.delenv("TANGENTLIKE_PRINT_AFTER", raising=False)
    tl.grad(poly)
    assert "----" not in capsys.readouterr().err
