"""The generation cache (tangentlike/generation_cache.py): a hit gives exactly what a fresh
generation gives, and anything generation reads (source text, callees, globals, closures,
options) changes the key."""

import importlib
import json
import math
import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest

import tangentlike as tl
from tangentlike import generation_cache as cache
from tangentlike import pipeline
from tangentlike.emit import to_source

from . import fd


@pytest.fixture
def cache_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("TANGENTLIKE_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("TANGENTLIKE_GENERATION_CACHE", "1")
    monkeypatch.setattr(cache, "_MEMORY", {})
    return tmp_path / "cache"


@pytest.fixture
def no_generation(monkeypatch):
    """Make the pipeline fail if it runs: what follows must come from the cache."""

    def refuse(*a, **k):
        raise AssertionError("generated again instead of reusing the cached text")

    monkeypatch.setattr(pipeline, "_run_pipeline", refuse)


def _module(tmp_path, name, text):
    """Write and (re)import a module ``name`` from ``tmp_path``."""
    path = tmp_path / f"{name}.py"
    path.write_text(textwrap.dedent(text))
    if str(tmp_path) not in sys.path:
        sys.path.insert(0, str(tmp_path))
    importlib.invalidate_caches()
    if name in sys.modules:
        return importlib.reload(sys.modules[name])
    return importlib.import_module(name)


def _helper(x, k):
    return np.sin(x) * k


def simulate(x, k):
    s = 0.0
    for i in range(x.shape[0]):
        s += _helper(x[i], k) * x[i]
    return s + np.sum(np.tanh(x) * x)


def _same(g1, g2):
    assert g1.source == g2.source
    assert [to_source(d) for d in g1.defs] == [to_source(d) for d in g2.defs]
    assert g1.namespace.keys() == g2.namespace.keys()
    assert all(g1.namespace[k] is g2.namespace[k] for k in g1.namespace)
    assert g1.user_functions.keys() == g2.user_functions.keys()
    assert (g1.entry, g1.functions, g1.origins, g1.returns_result) == (
        g2.entry,
        g2.functions,
        g2.origins,
        g2.returns_result,
    )


@pytest.mark.parametrize(
    "make",
    [
        lambda: tl.grad(simulate, wrt=(0, 1)),
        lambda: tl.vjp(simulate),
        lambda: tl.jvp(simulate),
        lambda: tl.grad(simulate, checkpoint=3),
    ],
)
def test_a_hit_is_what_generation_gives(cache_dir, make, monkeypatch):
    first = make()
    monkeypatch.setattr(cache, "_MEMORY", {})  # read back from disk
    monkeypatch.setattr(pipeline, "_run_pipeline", None)  # any use fails
    second = make()
    _same(first.generated, second.generated)


def test_an_empty_cache_generates(cache_dir, no_generation):
    with pytest.raises(AssertionError, match="generated again"):
        tl.grad(simulate)


def test_hit_from_disk_gives_correct_gradients(cache_dir, monkeypatch):
    x = np.linspace(-1.0, 1.2, 7)
    tl.grad(simulate, wrt=(0, 1))
    monkeypatch.setattr(cache, "_MEMORY", {})
    monkeypatch.setattr(pipeline, "_run_pipeline", None)  # any use fails
    gx, gk = tl.grad(simulate, wrt=(0, 1))(x, 1.5)
    fd.assert_close((gx, gk), fd.fd_grad(simulate, (x, 1.5), (0, 1)))
    assert len(list(cache_dir.glob("generated/*/*.json"))) == 1


def test_options_are_part_of_the_key(cache_dir):
    a = tl.grad(simulate, wrt=0).generated.source
    b = tl.grad(simulate, wrt=1).generated.source
    c = tl.grad(simulate, wrt=0, optimized=False).generated.source
    assert len({a, b, c}) == 3
    assert len(list(cache_dir.glob("generated/*/*.json"))) == 3


def test_a_changed_global_constant_regenerates(cache_dir, tmp_path):
    mod = _module(
        tmp_path,
        "tlgc_const",
        """
        import numpy as np
        SCALE = 2.0
        def f(x):
            return SCALE * np.sum(x * x)
    """,
    )
    x = np.array([1.0, -2.0, 0.5])
    df = tl.grad(mod.f, compile="numba")
    assert "SCALE = 2.0" in tl.source(df)
    np.testing.assert_allclose(df(x), 4.0 * x)
    mod.SCALE = 3.0
    # Numba compiles globals in as constants: the new value must give new text
    df = tl.grad(mod.f, compile="numba")
    assert "SCALE = 3.0" in tl.source(df)
    np.testing.assert_allclose(df(x), 6.0 * x)


def test_an_edited_callee_in_another_module_regenerates(cache_dir, tmp_path):
    _module(
        tmp_path,
        "tlgc_helpers",
        """
        def bump(x):
            return x * x
    """,
    )
    mod = _module(
        tmp_path,
        "tlgc_main",
        """
        import numpy as np
        import tlgc_helpers
        def f(x):
            return np.sum(tlgc_helpers.bump(x))
    """,
    )
    x = np.array([1.0, -2.0, 0.5])
    np.testing.assert_allclose(tl.grad(mod.f)(x), 2.0 * x)
    _module(
        tmp_path,
        "tlgc_helpers",
        """
        def bump(x):
            return x * x * x    # now cubic
    """,
    )
    np.testing.assert_allclose(tl.grad(mod.f)(x), 3.0 * x * x)


def test_an_edited_function_regenerates(cache_dir, tmp_path):
    mod = _module(
        tmp_path,
        "tlgc_edit",
        """
        def f(x):
            return x * x
    """,
    )
    assert tl.grad(mod.f)(3.0) == pytest.approx(6.0)
    mod = _module(
        tmp_path,
        "tlgc_edit",
        """
        def f(x):
            return x * x * x + 1.0
    """,
    )
    assert tl.grad(mod.f)(3.0) == pytest.approx(27.0)


def _scaled(c):
    def f(x):
        return c * x * x

    return f


def test_closures_with_different_values_do_not_share(cache_dir):
    assert tl.grad(_scaled(2.0), compile="numba")(1.5) == pytest.approx(6.0)
    assert tl.grad(_scaled(3.0), compile="numba")(1.5) == pytest.approx(9.0)


class _Params:
    k = 2.0


PARAMS = _Params()


def uses_an_object(x):
    return PARAMS.k * x * x


def test_an_unknown_object_turns_the_cache_off(cache_dir):
    key, _ = cache.key_for(uses_an_object, ["reverse"])
    assert key is None
    assert tl.grad(uses_an_object)(1.5) == pytest.approx(6.0)
    assert not list(cache_dir.glob("generated/*/*.json"))


def test_the_environment_switch(cache_dir, monkeypatch):
    monkeypatch.setenv("TANGENTLIKE_GENERATION_CACHE", "0")
    tl.grad(simulate)
    assert not list(cache_dir.glob("generated/*/*.json"))


def test_a_second_process_reuses_the_text(cache_dir):
    """A fresh interpreter finds the first one's text and never runs the pipeline."""
    code = textwrap.dedent("""
        import json, sys
        import numpy as np
        import tangentlike as tl
        from tangentlike import pipeline
        from tests.test_generation_cache import simulate
        if sys.argv[1] == "second":
            pipeline._run_pipeline = None
        g = tl.grad(simulate, wrt=(0, 1))(np.linspace(-1, 1, 5), 0.7)
        print(json.dumps([list(g[0]), float(g[1])]))
    """)
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    env = dict(os.environ, TANGENTLIKE_CACHE_DIR=str(cache_dir))
    outs = [
        json.loads(
            subprocess.run(
                [sys.executable, "-c", code, run],
                env=env,
                cwd=root,
                capture_output=True,
                text=True,
                check=True,
            ).stdout
        )
        for run in ("first", "second")
    ]
    assert outs[0] == outs[1]


def test_memory_keeps_a_bounded_number_of_entries(cache_dir, monkeypatch):
    monkeypatch.setattr(cache, "MEMORY_ENTRIES", 2)
    for c in (1.0, 2.0, 3.0):
        assert tl.grad(_scaled(c))(1.0) == pytest.approx(2.0 * c)
    assert len(cache._MEMORY) == 2
    assert len(list(cache_dir.glob("generated/*/*.json"))) == 3


def _uses_cos(x):
    return math.cos(x) * 2.0


def test_a_replaced_rule_turns_the_cache_off(cache_dir):
    import gast
    from tangentlike.rules.registry import _RULES, _key

    assert tl.grad(_uses_cos)(0.7) == pytest.approx(-2.0 * math.sin(0.7))
    rule = _RULES[_key(math.cos)]
    broken = rule.__class__(
        name=rule.name,
        signature=rule.signature,
        diff_params=("x",),
        body=gast.parse("d[x] = g * m.sin(x)").body,
    )
    _RULES[_key(math.cos)] = broken
    try:
        assert tl.grad(_uses_cos)(0.7) == pytest.approx(2.0 * math.sin(0.7))  # not the cached text
        assert len(list(cache_dir.glob("generated/*/*.json"))) == 1  # nor stored
    finally:
        _RULES[_key(math.cos)] = rule
    assert tl.grad(_uses_cos)(0.7) == pytest.approx(-2.0 * math.sin(0.7))
