"""The command line, tape accounting, and what the tape records."""

import os

import numpy as np
import pytest

import tangentlike as tl
from tangentlike.cli import main

HERE = os.path.dirname(os.path.abspath(__file__))
THERMAL = os.path.join(HERE, "..", "examples", "thermal.py")


def test_cli_prints_source_and_checks(capsys):
    rc = main(
        [
            f"{THERMAL}:simulate",
            "--wrt",
            "0",
            "--args",
            "np.linspace(0, 1, 12), 18.0, 2.0, 5.0, 0.1",
        ]
    )
    out = capsys.readouterr().out
    assert rc == 0
    assert "def grad_simulate(heat, T0, R, C, dt, d_result):" in out
    assert "OK: matches central finite differences" in out


def test_cli_several_wrt_and_numba(capsys):
    rc = main(
        [
            f"{THERMAL}:simulate",
            "--wrt",
            "1,2",
            "--compile",
            "numba",
            "--args",
            "np.ones(5), 18.0, 2.0, 5.0, 0.1",
        ]
    )
    assert rc == 0
    assert "argument 2" in capsys.readouterr().out


def test_cli_help_mentions_options(capsys):
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    for opt in ("--wrt", "--compile", "--args", "--mode"):
        assert opt in out


def accumulate(x, w):
    s = 0.0
    for i in range(x.shape[0]):
        s = s * w + x[i]
    return s


def pair_energy(pos):
    e = 0.0
    for i in range(pos.shape[0]):
        for j in range(i + 1, pos.shape[0]):
            d = pos[i] - pos[j]
            e += 1.0 / (d * d + 1.0)
    return e


def test_tape_holds_only_what_the_adjoint_reads():
    # s is overwritten every step and its old value is read (s * w): one entry per step
    d = tl.grad(accumulate, wrt=(0, 1))
    stats = d.tape_stats(np.ones(50), 0.9)
    assert stats["elements"] == 51 and stats["bytes"] == 51 * 8
    assert "_tape_s" in tl.source(d)
    # pair values are recomputed in the reverse sweep, so nothing is taped
    d2 = tl.grad(pair_energy)
    assert d2.tape_stats(np.linspace(0, 1, 6))["elements"] == 0
    assert "recomputed, not taped" in tl.source(d2)
    x = np.linspace(0, 1, 6)
    tl.check_grads(pair_energy, (x,))


def test_generation_is_deterministic():
    assert tl.source(tl.grad(pair_energy)) == tl.source(tl.grad(pair_energy))
