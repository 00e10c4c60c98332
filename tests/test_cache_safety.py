"""The cache folder is trusted as code (docs/security.md): only a folder of this user that
no one else can write is used; nothing is read through a link or from bytecode; a
changed or damaged file is regenerated, never executed; Numba's entries are keyed on
everything the compiled code reaches."""

import importlib.util
import logging
import os
import stat
import subprocess
import sys
import tempfile
import textwrap

import numpy as np
import pytest

import tangentlike as tl
from tangentlike import cache_folder, generation_cache as cache, pipeline
from tangentlike.backends import loader, numba_user_code

from . import fd

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


@pytest.fixture
def cache_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("TANGENTLIKE_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("TANGENTLIKE_GENERATION_CACHE", "1")
    monkeypatch.setattr(cache, "_MEMORY", {})
    monkeypatch.setattr(numba_user_code, "_JIT_CACHE", {})
    return tmp_path / "cache"


def energy(x, k):
    s = 0.0
    for i in range(x.shape[0]):
        s += k * np.sin(x[i]) * x[i]
    return s


X = np.linspace(-1.0, 1.3, 5)


def _forward_grad(x, k):
    jf = tl.jvp(energy)
    return np.array([jf(x, k, e)[1] for e in np.eye(x.size)])


# --------------------------------------------------------------------------- the folder
def test_a_new_folder_is_private(cache_dir):
    tl.grad(energy)(X, 0.7)
    mode = stat.S_IMODE(os.lstat(cache_dir).st_mode)
    assert mode & 0o077 == 0
    assert list(cache_dir.glob("tl_*.py")) and list(cache_dir.glob("generated/*/*.json"))
    for path in cache_dir.rglob("*"):
        assert os.lstat(path).st_mode & 0o022 == 0, path


def _refused(caplog, folder):
    with caplog.at_level(logging.WARNING, logger="tangentlike"):
        g = tl.grad(energy)(X, 0.7)
        fd.assert_close(g, fd.fd_grad(energy, (X, 0.7), 0))
        fd.assert_close(g, _forward_grad(X, 0.7))
    assert any("not using the cache folder" in r.getMessage() for r in caplog.records)


def test_a_folder_writable_by_others_is_not_used(tmp_path, monkeypatch, caplog):
    folder = tmp_path / "shared"
    folder.mkdir()
    os.chmod(folder, 0o777)
    monkeypatch.setenv("TANGENTLIKE_CACHE_DIR", str(folder))
    monkeypatch.setattr(cache, "_MEMORY", {})
    _refused(caplog, folder)
    assert cache_folder.cache_dir() is None
    assert not list(folder.iterdir())  # nothing written there


def test_a_linked_folder_is_not_used(tmp_path, monkeypatch, caplog):
    real = tmp_path / "real"
    real.mkdir(mode=0o700)
    os.symlink(real, tmp_path / "link")
    monkeypatch.setenv("TANGENTLIKE_CACHE_DIR", str(tmp_path / "link"))
    monkeypatch.setattr(cache, "_MEMORY", {})
    _refused(caplog, real)
    assert not list(real.iterdir())


def test_without_a_folder_numba_compiles_in_memory(tmp_path, monkeypatch):
    folder = tmp_path / "shared"
    folder.mkdir()
    os.chmod(folder, 0o777)
    monkeypatch.setenv("TANGENTLIKE_CACHE_DIR", str(folder))
    monkeypatch.setattr(numba_user_code, "_JIT_CACHE", {})
    df = tl.grad(energy, compile="numba")
    fd.assert_close(df(X, 0.7), fd.fd_grad(energy, (X, 0.7), 0))
    fd.assert_close(df(X, 0.7), _forward_grad(X, 0.7))
    assert not list(folder.iterdir())


def test_the_default_folder_is_per_user(monkeypatch, tmp_path):
    monkeypatch.delenv("TANGENTLIKE_CACHE_DIR", raising=False)
    home = tmp_path / "home"
    monkeypatch.setenv("XDG_CACHE_HOME", str(home))
    assert cache_folder.cache_dir() == str(home / "tangentlike")
    # no usable home: a folder named for this user under the temp dir, not a shared one
    blocker = tmp_path / "file"
    blocker.write_text("")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    assert cache_folder.cache_dir() == str(tmp_path / f"tangentlike-{os.getuid()}")


def _as_other_user(code):
    """Run ``code`` as uid 65534 in a subprocess (root only); skip otherwise."""
    if os.getuid() != 0:
        pytest.skip("needs root to play a second local user")
    run = subprocess.run(
        [sys.executable, "-c", "import os; os.setgid(65534); os.setuid(65534)\n" + code],
        capture_output=True,
        text=True,
    )
    if run.returncode != 0:
        pytest.skip(f"cannot switch to a second user: {run.stderr[-200:]}")


@pytest.fixture
def open_tmp():
    """A temp folder like /tmp that another user can write (pytest's are 0700)."""
    import shutil

    path = tempfile.mkdtemp(prefix="tl-second-user-")
    os.chmod(path, 0o1777)  # like /tmp
    yield __import__("pathlib").Path(path)
    shutil.rmtree(path, ignore_errors=True)


def test_a_folder_another_user_made_first_is_not_used(open_tmp, monkeypatch, caplog):
    """The attack on a predictable temp-dir fallback: another user creates it first and
    plants a generation-cache entry whose source runs code."""
    tmp_path = open_tmp
    victim = tmp_path / f"tangentlike-{os.getuid()}"
    marker = tmp_path / "pwned"
    _as_other_user(
        textwrap.dedent(f"""
        import os
        os.makedirs({str(victim)!r}, mode=0o755)
        with open(os.path.join({str(victim)!r}, "planted.py"), "w") as fh:
            fh.write("open({str(marker)!r}, 'w').close()")
    """)
    )
    assert os.lstat(victim).st_uid == 65534
    blocker = tmp_path / "file"
    blocker.write_text("")
    monkeypatch.delenv("TANGENTLIKE_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    monkeypatch.setattr(cache, "_MEMORY", {})
    with caplog.at_level(logging.WARNING, logger="tangentlike"):
        assert cache_folder.cache_dir() is None
    assert "owned by another user" in caplog.text
    fd.assert_close(tl.grad(energy)(X, 0.7), fd.fd_grad(energy, (X, 0.7), 0))
    assert sorted(p.name for p in victim.iterdir()) == ["planted.py"]
    assert not marker.exists()


def test_a_file_of_another_user_is_replaced_not_read(cache_dir):
    source = "VALUE = 1\n"
    mod = loader.load_module(source, {}, stem="owned")
    path = mod.__file__
    if os.getuid() != 0:
        pytest.skip("needs root to give a file to another user")
    with open(path, "w") as fh:
        fh.write("VALUE = 2\n")
    os.chown(path, 65534, 65534)
    assert loader.load_module(source, {}, stem="owned").VALUE == 1
    assert os.lstat(path).st_uid == os.getuid()


# --------------------------------------------------------------------------- links, bytecode
def test_a_planted_link_is_replaced_not_followed(cache_dir, tmp_path):
    tl.grad(energy)  # creates the folder
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n")
    os.chmod(victim, 0o600)
    source = "VALUE = 3\n"
    mod = loader.load_module(source, {}, stem="linked")
    os.unlink(mod.__file__)
    os.symlink(victim, mod.__file__)
    assert loader.load_module(source, {}, stem="linked").VALUE == 3
    assert victim.read_text() == "precious\n"
    assert not os.path.islink(mod.__file__)
    assert not list(cache_dir.glob(".write-test*"))


def test_planted_bytecode_is_never_loaded(cache_dir, tmp_path):
    """A ``__pycache__/tl_*.pyc`` whose stamp matches the source would run in place of
    it under a normal import; modules are compiled from the verified text instead."""
    source = "VALUE = 4\n"
    path = loader.load_module(source, {}, stem="bytecode").__file__
    marker = tmp_path / "pwned"
    bad = compile(f"open({str(marker)!r}, 'w').close()\nVALUE = 5\n", path, "exec")
    st = os.stat(path)
    from importlib._bootstrap_external import _code_to_timestamp_pyc

    pyc = importlib.util.cache_from_source(path)
    os.makedirs(os.path.dirname(pyc), exist_ok=True)
    with open(pyc, "wb") as fh:
        fh.write(_code_to_timestamp_pyc(bad, st.st_mtime, st.st_size))
    spec = importlib.util.spec_from_file_location("check_pyc", path)
    assert spec.loader.get_code("check_pyc").co_consts != compile(source, path, "exec").co_consts
    assert loader.load_module(source, {}, stem="bytecode").VALUE == 4
    assert not marker.exists()


# --------------------------------------------------------------------------- damage
def _warned(caplog, text):
    return any(text in r.getMessage() for r in caplog.records)


def test_random_bytes_in_a_module_are_regenerated(cache_dir, caplog):
    df = tl.grad(energy)
    df(X, 0.7)
    (path,) = cache_dir.glob("tl_grad_energy_*.py")
    path.write_bytes(os.urandom(300) + b"\xff\xfe")
    with caplog.at_level(logging.WARNING, logger="tangentlike"):
        g = tl.grad(energy)(X, 0.7)
    fd.assert_close(g, fd.fd_grad(energy, (X, 0.7), 0))
    assert _warned(caplog, "discarding damaged cache file")
    assert path.read_text() == df.generated.source


@pytest.mark.parametrize("damage", ["truncate", "edit", "bytes"])
def test_a_damaged_generation_cache_entry_is_regenerated(cache_dir, caplog, monkeypatch, damage):
    first = tl.grad(energy).generated.source
    (entry,) = cache_dir.glob("generated/*/*.json")
    text = entry.read_text()
    if damage == "truncate":
        entry.write_text(text[: len(text) // 2])
    elif damage == "edit":  # valid JSON, changed source
        entry.write_text(text.replace("np.sin", "np.cos"))
    else:
        entry.write_bytes(os.urandom(64))
    monkeypatch.setattr(cache, "_MEMORY", {})
    ran = []
    real = pipeline._run_pipeline
    monkeypatch.setattr(pipeline, "_run_pipeline", lambda *a: ran.append(1) or real(*a))
    with caplog.at_level(logging.WARNING, logger="tangentlike"):
        df = tl.grad(energy)
    assert ran and df.generated.source == first
    assert _warned(caplog, "discarding damaged cache file")
    fd.assert_close(df(X, 0.7), fd.fd_grad(energy, (X, 0.7), 0))
    (again,) = cache_dir.glob("generated/*/*.json")  # stored afresh, valid
    monkeypatch.setattr(cache, "_MEMORY", {})
    monkeypatch.setattr(pipeline, "_run_pipeline", None)
    assert tl.grad(energy).generated.source == first


@pytest.mark.parametrize("suffix", [".nbi", ".nbc"])
def test_emptied_numba_files_are_recompiled(cache_dir, caplog, monkeypatch, suffix):
    tl.grad(energy, compile="numba")(X, 0.7)
    files = list(cache_dir.glob(f"numba/*/*{suffix}"))
    assert files
    for path in files:
        path.write_bytes(b"")
    monkeypatch.setattr(numba_user_code, "_JIT_CACHE", {})
    with caplog.at_level(logging.WARNING, logger="tangentlike"):
        df = tl.grad(energy, compile="numba")
        g = df(X, 0.7)
    fd.assert_close(g, fd.fd_grad(energy, (X, 0.7), 0))
    fd.assert_close(g, _forward_grad(X, 0.7))
    assert _warned(caplog, "discarding damaged Numba cache entry")
    assert all(p.stat().st_size > 0 for p in cache_dir.glob(f"numba/*/*{suffix}"))


def _listing(folder):
    return set(os.listdir(folder)) if os.path.isdir(folder) else set()


def test_numba_files_live_in_the_cache_folder(cache_dir):
    beside = os.path.join(ROOT, "tests", "__pycache__")
    before = _listing(beside)
    tl.grad(energy, compile="numba")(X, 0.7)
    assert not {n for n in _listing(beside) - before if n.endswith((".nbi", ".nbc"))}
    assert list(cache_dir.glob("numba/*/*energy*.nbi"))


# --------------------------------------------------------------------------- staleness
_HELPERS = """
import os
K = float(os.environ.get("TLS_K", "2.0"))

def scale(c):
    return c * K
"""

_MAIN = """
import numpy as np
from tls_helpers import scale

def f(x):
    s = 0.0
    for i in range(x.shape[0]):
        s += x[i] * x[i] * scale(3.0)
    return s
"""

_RUN = """
import sys, numpy as np, tangentlike as tl
sys.path.insert(0, sys.argv[1])
import tls_main
print(float(tl.grad(tls_main.f, compile="numba")(np.array([1.0, 2.0]))[0]))
"""


def test_an_edited_called_only_helper_recompiles_in_a_new_process(cache_dir, tmp_path):
    """``scale`` is only called (its argument is a constant): the generated text is the
    same, but Numba's cached machine code has the old ``scale`` linked in."""
    src = tmp_path / "src"
    src.mkdir()
    (src / "tls_helpers.py").write_text(_HELPERS)
    (src / "tls_main.py").write_text(_MAIN)

    def run(**env):
        out = subprocess.run(
            [sys.executable, "-c", _RUN, str(src)],
            cwd=ROOT,
            env=dict(os.environ, TANGENTLIKE_CACHE_DIR=str(cache_dir), **env),
            capture_output=True,
            text=True,
            check=True,
        )
        return float(out.stdout.split()[-1])

    assert run() == pytest.approx(2 * 1.0 * 6.0)  # d/dx x^2 * 3K at x=1, K=2
    assert run(TLS_K="5.0") == pytest.approx(2 * 15.0)  # a helper constant from the env
    (src / "tls_helpers.py").write_text(_HELPERS.replace("return c * K", "return c * K + 1.0"))
    assert run() == pytest.approx(2 * 7.0)  # the helper's source changed


def test_an_entry_whose_text_does_not_parse_is_regenerated(cache_dir, caplog, monkeypatch):
    first = tl.grad(energy).generated.source
    (entry,) = cache_dir.glob("generated/*/*.json")
    key = entry.stem
    payload = dict(cache.lookup(key), texts=["def broken(:\n"])
    cache.store(key, payload)  # a valid hash over bad text
    monkeypatch.setattr(cache, "_MEMORY", {})
    with caplog.at_level(logging.WARNING, logger="tangentlike"):
        df = tl.grad(energy)
    assert df.generated.source == first
    assert _warned(caplog, "does not parse")
    fd.assert_close(df(X, 0.7), fd.fd_grad(energy, (X, 0.7), 0))


def test_a_folder_in_a_parent_others_can_write_is_not_used(tmp_path, monkeypatch, caplog):
    parent = tmp_path / "open"
    parent.mkdir()
    os.chmod(parent, 0o777)  # not sticky: renames are possible
    monkeypatch.setenv("TANGENTLIKE_CACHE_DIR", str(parent / "cache"))
    monkeypatch.setattr(cache, "_MEMORY", {})
    _refused(caplog, parent)
    assert "parent folder is writable by others" in caplog.text
    os.chmod(parent, 0o1777)  # sticky, like /tmp: fine
    assert cache_folder.cache_dir() == str(parent / "cache")
