"""Reuse generated derivative code across calls and processes.

Generating Lorenz-63's adjoint takes about 0.1 s (parse, normalize, transform, optimize,
print); a second process that finds the machine code in Numba's disk cache would spend
most of its first call regenerating text it already has. So the pipeline's result is
kept, in memory and as a JSON file beside the generated modules, under a key that holds
everything generation reads:

* the options (mode, wrt, optimized, checkpoint, gradient_only);
* tangentlike's own code (a hash of every file of the package), NumPy's and Python's
  versions;
* a fingerprint of the function and of everything it can reach: its source, its
  defaults, and for every name it mentions, what that name means now in its globals or
  closure (a module by name, a library function by module and name, a number or array
  by value, a user function by its own fingerprint, recursively).

A name that means something we cannot fingerprint (an arbitrary object) turns the cache
off for that derivative; it is then generated as before. On a hit the gast definitions
are parsed back from the stored text (comments restored as the printer's markers), so
every target sees what a fresh generation gives. ``TANGENTLIKE_GENERATION_CACHE=0``
turns the cache off. The same key is Numba's fingerprint of everything the compiled code
reaches (``backends/numba_cache.py``).

An entry on disk holds a SHA-256 over its key and payload; one that is unreadable,
truncated, of another key or whose hash does not match is discarded (a log line) and the
derivative generated afresh. Entries are trusted because the folder is (cache_folder.py,
docs/security.md).
"""

import builtins
import hashlib
import io
import json
import os
import sys
import threading
import tokenize
import types

import astor
import gast
import numba
import numpy as np

from .parse.resolve import is_library_module
from .cache_folder import discard, read_bytes, subfolder, write_bytes
from .backends.fork_safety import reset_in_child
from .custom import custom_jvp, custom_vjp
from .emit.printer import COMMENT_PREFIX
from .parse import parse_function
from .parse.source import source_lines
from .rules.registry import as_defined
from .transform.custom_rules import rule_globals
from .trees import walk

FORMAT = 2
MEMORY_ENTRIES = 256  # payloads kept in memory (the oldest go first)
_MEMORY = {}  # key -> payload (dict of strings), this process
_LOCK = reset_in_child(threading.Lock())  # a fork child gets it unlocked
_PACKAGE_STAMP = None


class Unfingerprintable(Exception):
    """A name means an object whose identity across processes we cannot state."""


def enabled():
    return os.environ.get("TANGENTLIKE_GENERATION_CACHE", "1") != "0" and as_defined()


def _package_stamp():
    global _PACKAGE_STAMP
    if _PACKAGE_STAMP is None:
        root = os.path.dirname(os.path.abspath(__file__))
        h = hashlib.sha1()
        for d, dirs, files in sorted(os.walk(root)):
            dirs.sort()
            for f in sorted(files):
                if f.endswith(".py"):
                    path = os.path.join(d, f)
                    h.update(os.path.relpath(path, root).encode())
                    with open(path, "rb") as fh:
                        h.update(fh.read())
        h.update(
            f"{np.__version__} {numba.__version__} {sys.version_info[:3]} "
            f"{getattr(gast, '__version__', '')} {getattr(astor, '__version__', '')}".encode()
        )
        _PACKAGE_STAMP = h.hexdigest()
    return _PACKAGE_STAMP


# --------------------------------------------------------------------------- fingerprints
class _Fingerprinter:
    """Describes a function and everything reachable from its names, as plain data."""

    def __init__(self):
        self.functions = {}  # id(fn) -> index in self.parts (visited)
        self.parts = []
        self.objects = {}  # name -> set of ids of objects it meant somewhere
        self.by_id = {}  # id -> object

    def function(self, fn):
        fn = getattr(fn, "py_func", fn)
        if id(fn) in self.functions:
            return ["ref", self.functions[id(fn)]]
        index = len(self.parts)
        self.functions[id(fn)] = index
        self.parts.append(None)
        parsed = parse_function(fn)  # TangentlikeError: not cacheable either
        names = {}
        for node in walk(parsed.node):
            if isinstance(node, gast.Attribute):
                chain = _chain(node)
                if chain is not None:
                    names[".".join(chain)] = self._resolve(chain, parsed.namespace)
            elif isinstance(node, gast.Name):
                names[node.id] = self._resolve([node.id], parsed.namespace)
        self.parts[index] = {
            "function": f"{fn.__module__}.{fn.__qualname__}",
            # the text itself: comments mark checkpointed loops, lines appear in comments
            "source": _source_hash(fn),
            "file": parsed.filename,
            "line": parsed.line_offset,
            "defaults": self.value(fn.__defaults__),
            "kwdefaults": self.value(fn.__kwdefaults__),
            "names": sorted(names.items()),
        }
        return ["ref", index]

    def _resolve(self, chain, namespace):
        head = chain[0]
        if head in namespace:
            obj = namespace[head]
        elif hasattr(builtins, head):
            obj = getattr(builtins, head)
        else:
            return ["unbound"]
        self._note(head, obj)
        for part in chain[1:]:  # through modules and classes to what is used
            if not isinstance(obj, (types.ModuleType, type)):
                break
            if not hasattr(obj, part):
                return ["missing", part]
            obj = getattr(obj, part)
        return self.value(obj)

    def _note(self, name, obj):
        self.objects.setdefault(name, set()).add(id(obj))
        self.by_id[id(obj)] = obj

    def value(self, v):
        if v is None or isinstance(v, (bool, int, float, complex, str, bytes)):
            return [type(v).__name__, repr(v)]
        if isinstance(v, np.generic):
            return ["np." + type(v).__name__, repr(v.item())]
        if isinstance(v, np.ndarray):
            data = np.ascontiguousarray(v)
            return ["array", str(v.dtype), list(v.shape), hashlib.sha1(data.tobytes()).hexdigest()]
        if isinstance(v, (tuple, list)):
            return [type(v).__name__, [self.value(x) for x in v]]
        if isinstance(v, dict):
            return ["dict", sorted((repr(k), self.value(x)) for k, x in v.items())]
        if isinstance(v, types.ModuleType):
            return ["module", v.__name__]
        if isinstance(v, (custom_vjp, custom_jvp)):
            out = ["custom", type(v).__name__, self.function(v.fn)]
            for kind, (name, r) in rule_globals(v).items():
                self._note(name, r)
                out.append([kind, self.function(r)])
            return out
        fn = getattr(v, "py_func", v)
        if isinstance(fn, types.FunctionType):
            mod = fn.__module__ or ""
            if is_library_module(mod):
                return ["library", mod, fn.__qualname__]
            return self.function(fn)
        if isinstance(v, type) and not is_library_module(v.__module__):
            raise Unfingerprintable(f"class {v.__qualname__}")  # its methods may change
        if isinstance(v, (types.BuiltinFunctionType, np.ufunc, type)):
            return [
                type(v).__name__,
                getattr(v, "__module__", None) or "",
                getattr(v, "__qualname__", getattr(v, "__name__", "")),
            ]
        mod = getattr(v, "__module__", None)
        if callable(v) and isinstance(mod, str) and is_library_module(mod):  # np.dot and kin
            return ["library", mod, getattr(v, "__qualname__", getattr(v, "__name__", ""))]
        raise Unfingerprintable(type(v).__name__)


def _source_hash(fn):
    lines, _ = source_lines(fn)
    return hashlib.sha1("".join(lines).encode()).hexdigest()


def _chain(node):
    parts = []
    while isinstance(node, gast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, gast.Name):
        return None
    return [node.id] + parts[::-1]


def key_for(fn, options):
    """(key, fingerprinter) for generating ``fn`` with ``options``; (None, None) when some
    name it reaches cannot be fingerprinted."""
    fp = _Fingerprinter()
    try:
        fp.value(fn)
    except Exception:  # noqa: BLE001 - any doubt: generate afresh
        return None, None
    text = json.dumps([FORMAT, _package_stamp(), options, fp.parts], sort_keys=True, default=repr)
    return hashlib.sha1(text.encode()).hexdigest(), fp


def fingerprint(fn):
    """A hash of ``fn`` and everything it reaches (called functions too, and the values
    of their globals), for Numba's disk cache; None when something cannot be stated."""
    key, _ = key_for(fn, ["numba"])
    return key


# --------------------------------------------------------------------------- store
_FIELDS = {
    "source": str,
    "entry": str,
    "functions": list,
    "namespace": list,
    "texts": list,
    "returns_result": bool,
    "origins": dict,
}


def _path(key):
    folder = subfolder("generated", key[:2])
    return None if folder is None else os.path.join(folder, key + ".json")


def _digest(key, body):
    return hashlib.sha256(json.dumps([key, body], sort_keys=True).encode()).hexdigest()


def _checked(key, entry):
    """The payload of a stored entry, or the reason it is not one we wrote for ``key``."""
    if not isinstance(entry, dict) or entry.get("format") != FORMAT:
        return None, "not an entry of this format"
    body = entry.get("payload")
    if (
        not isinstance(body, dict)
        or entry.get("key") != key
        or entry.get("sha256") != _digest(key, body)
    ):
        return None, "its content hash does not match"
    for name, kind in _FIELDS.items():
        if not isinstance(body.get(name), kind):
            return None, f"field {name!r} is missing"
    return body, None


def lookup(key):
    with _LOCK:
        payload = _MEMORY.get(key)
    if payload is not None:
        return payload
    path = _path(key)
    if path is None:
        return None
    try:
        data = read_bytes(path)
    except FileNotFoundError:
        return None
    except OSError as exc:
        discard(path, exc.strerror or str(exc))
        return None
    try:
        payload, why = _checked(key, json.loads(data.decode()))
    except ValueError as exc:  # also UnicodeDecodeError
        payload, why = None, f"unreadable: {exc}"
    if payload is None:
        discard(path, why)
        return None
    _remember(key, payload)
    return payload


def forget(key):
    """Drop an entry that turned out unusable (memory and disk)."""
    with _LOCK:
        _MEMORY.pop(key, None)
    path = _path(key)
    if path is not None and os.path.lexists(path):
        discard(path, "its text does not parse")


def _remember(key, payload):
    with _LOCK:
        _MEMORY[key] = payload
        while len(_MEMORY) > MEMORY_ENTRIES:
            del _MEMORY[next(iter(_MEMORY))]


def store(key, payload):
    _remember(key, payload)
    path = _path(key)
    if path is None:
        return
    entry = {"format": FORMAT, "key": key, "sha256": _digest(key, payload), "payload": payload}
    try:
        write_bytes(path, json.dumps(entry).encode())
    except OSError:
        pass  # a read-only cache only loses the disk copy


def resolve_namespace(names, fp):
    """The objects the stored namespace names mean now; None when a name is ambiguous
    (it means different objects in the functions reached) or was not reached."""
    out = {}
    for name in names:
        ids = fp.objects.get(name, ())
        if len(ids) != 1:
            return None
        out[name] = fp.by_id[next(iter(ids))]
    return out


def reproducible(namespace, fp):
    """Whether ``resolve_namespace`` gives back exactly these objects."""
    again = resolve_namespace(sorted(namespace), fp)
    return again is not None and all(again[k] is v for k, v in namespace.items())


def parse_definitions(texts):
    """The gast FunctionDefs of printed functions, their comments back as markers (only
    real comment tokens on lines of their own, never text inside a string)."""
    defs = []
    for text in texts:
        lines = text.splitlines()
        for tok in tokenize.generate_tokens(io.StringIO(text).readline):
            if tok.type == tokenize.COMMENT and tok.line.strip() == tok.string.strip():
                row, col = tok.start
                body = tok.string[1:].removeprefix(" ")
                lines[row - 1] = lines[row - 1][:col] + repr(COMMENT_PREFIX + body)
        defs.append(gast.parse("\n".join(lines) + "\n").body[0])
    return defs
