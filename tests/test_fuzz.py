"""The differential fuzzer in the suite (tests/fuzz/): a fixed-seed sample of random
programs, a few of them compiled, and the kept regressions, each checked against finite
differences, forward mode, the compiled code, second order and input mutation, with the
tapes checked empty at the end of the reverse sweep. Long campaigns:
``python -m tests.fuzz --count 20000``."""

import os
import re

import numpy as np
import pytest

from tests.fuzz.campaign import campaign
from tests.fuzz.checker import check
from tests.fuzz.generator import arguments, generate

REGRESSIONS = os.path.join(os.path.dirname(__file__), "fuzz", "regressions")
FAILED = ("wrong", "crash", "mutated")


@pytest.fixture(autouse=True)
def _no_generation_cache(monkeypatch):
    # hundreds of one-off programs: keep them out of the on-disk generation cache
    monkeypatch.setenv("TANGENTLIKE_GENERATION_CACHE", "0")


def _failures(failures):
    return "\n".join(f"seed {s}: {r.status} {r.check} {r.detail[:300]}" for s, r in failures)


def test_fuzz_sample_interpreted():
    counts, failures, secs = campaign(150, seed=0, second_order_every=3, small=True)
    assert not failures, _failures(failures)
    assert counts["ok"] >= 0.8 * counts["programs"], counts  # the sample tests something


def test_fuzz_sample_numba():
    # compiling is slow: two compiled gradients here, many more in campaigns (--numba)
    for seed in (500, 501):
        res = check(generate(seed, small=True), arguments(seed), numba="grad", seed=seed)
        assert res.status == "ok", (seed, res)


def _regressions():
    return sorted(n for n in os.listdir(REGRESSIONS) if n.endswith(".py") and n != "__init__.py")


@pytest.mark.parametrize("name", _regressions())
def test_fuzz_regression(name):
    with open(os.path.join(REGRESSIONS, name)) as fh:
        source = fh.read()
    m = re.search(r"^# args: (.*)$", source, re.M)
    args = eval(m.group(1), {"np": np}) if m else arguments(0)  # noqa: S307 - our own files
    numba = "grad" if re.search(r"^# numba$", source, re.M) else False
    res = check(source, args, numba=numba)
    assert res.status == "ok", res


def test_tape_probe_sees_a_left_entry():
    """The tape check can fail: a derivative whose reverse sweep skips one pop is caught."""
    import tangentlike as tl
    from tests.fuzz.checker import load, tapes_left

    mod = load(
        "import numpy as np\n\n\ndef f(a, b, v, M):\n    s = a\n"
        "    for i in range(3):\n        s = np.sin(s) * b\n    return s\n"
    )
    df = tl.grad(mod.f, (0, 1, 2, 3))
    assert tapes_left(df, arguments(0)) == {}
    df.generated.source = df.generated.source.replace("_tape_s.pop()\n", "pass\n", 1)
    assert tapes_left(df, arguments(0)) == {"_tape_s": 3}  # one per iteration
