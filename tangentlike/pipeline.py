"""The one-way pipeline: parse -> normalize -> analyze -> transform -> optimize -> emit.

``generate_vjp`` returns the generated module text and what it needs at run time;
``backends`` turn that into a callable.
"""

import contextlib
import logging
import sys
import threading
import time
from typing import Callable, Iterable, Union

import gast
import numpy as np

from . import generation_cache as cache
from .emit import to_source
from .errors import TangentlikeError
from .emit.printer import plain_constant
from .generated_module import GeneratedModule, from_payload, primal_of
from .naming import Namer, identifier
from .reserved_names import header_imports, rename_reserved
from .normalize import normalize
from .optimize import optimize, print_after_steps, select_passes
from .parse import parse_function
from .parse.resolve import CONSTRUCT as CALLED_ARGUMENT, is_user_function
from .parse.specialized import Record
from .runtime import HELPERS
from .custom import custom_jvp, custom_vjp
from .transform import ForwardTransform, ReverseTransform
from .transform.checkpoint import REVOLVE
from .transform.custom_rules import custom_wrapper, rule_globals
from .trees import walk

log = logging.getLogger("tangentlike")


def _runtime_stamp(*paths):
    """A hash of runtime source files, written into every generated module: Numba's
    on-disk cache keys on the module text, so new helper code recompiles old derivatives."""
    import hashlib

    h = hashlib.sha1()
    for path in paths:
        with open(path, "rb") as fh:
            h.update(fh.read())
    return h.hexdigest()[:12]


def _runtime_helper_files():
    """Every module of the runtime package except the checkpointing schedule (own stamp)."""
    import glob
    import os
    from . import runtime

    here = os.path.dirname(runtime.__file__)
    return sorted(
        p for p in glob.glob(os.path.join(here, "*.py")) if os.path.basename(p) != "revolve.py"
    )


from .runtime import revolve as _revolve  # noqa: E402

RUNTIME_STAMP = _runtime_stamp(*_runtime_helper_files())
RESERVED = set(HELPERS) | {"np", "math"}  # names the module header binds
REVOLVE_IMPORT = (
    f"import tangentlike.runtime.revolve as {REVOLVE}  "
    f"# checkpointing schedule {_runtime_stamp(_revolve.__file__)}\n"
)


class _Generator:
    def __init__(self, optimized, checkpoint=None, has_aux=False):
        self.passes = select_passes(optimized)
        self.print_after = print_after_steps()
        self.has_aux = has_aux  # the entry returns (loss, aux)
        self.returns_result = True
        self.checkpoint = checkpoint  # snapshot count for the entry function's loop, or None
        self.uses_revolve = False
        self.defs = []  # generated FunctionDefs, callees first
        self.names = {}  # (fn, wrt) -> generated name
        self.in_progress = set()
        self.namespace = {}
        self.user_functions = {}
        self.taken = set()
        self.entry_name = None
        self.number_arguments = []  # (argument indices, error): see call_checks

    def jvp(self, fn, wrt, entry=False):
        return self.vjp(fn, wrt, entry, mode="jvp")

    def vjp(self, fn, wrt, return_result, mode="vjp", gradient_only=False):
        key = (fn, wrt, return_result, mode)
        if key in self.names:
            return self.names[key]
        if (fn, wrt, mode) in self.in_progress:
            raise TangentlikeError(
                "recursive functions are not supported", function=fn.__name__, construct="recursion"
            )
        self.in_progress.add((fn, wrt, mode))
        if isinstance(fn, (custom_vjp, custom_jvp)):
            return self._custom(fn, wrt, return_result, mode, key)
        parsed = parse_function(fn)
        if parsed.node.args.vararg or parsed.node.args.kwarg:
            star = (
                "*" + parsed.node.args.vararg.id
                if parsed.node.args.vararg
                else "**" + parsed.node.args.kwarg.id
            )
            raise parsed.error(
                f"'{star}' parameters are not supported: give the function "
                "named positional parameters (a functools.wraps wrapper is "
                "differentiated as itself, not as the function it wraps)",
                parsed.node,
                construct="varargs",
            )
        rename_reserved(parsed, RESERVED | {REVOLVE})
        nargs = len(parsed.node.args.args)
        for k in wrt:
            if not isinstance(k, int) or not 0 <= k < nargs:
                raise TangentlikeError(
                    f"wrt={k!r} is not a positional argument index (the function has "
                    f"{nargs} positional arguments)",
                    function=parsed.name,
                )
            if parsed.params[k] in parsed.bindings and not isinstance(
                parsed.bindings[parsed.params[k]], Record
            ):
                raise TangentlikeError(
                    f"wrt={k}: argument '{parsed.params[k]}' is a function",
                    function=parsed.name,
                    construct=CALLED_ARGUMENT,
                )
        names_in_fn = {n.id for n in walk(parsed.node) if isinstance(n, gast.Name)}
        namer = Namer(names_in_fn | RESERVED | {REVOLVE})
        checkpoint = self.checkpoint if return_result and mode == "vjp" else None
        body = normalize(parsed, namer).body
        name = parsed.node.name  # from the source: always an identifier
        base = f"{mode}_{name}" if return_result else f"_{mode}_{name}"
        if not return_result:
            base += "_" + "_".join(str(k) for k in wrt)
        fname = base
        k = 1
        while fname in self.taken:
            k += 1
            fname = f"{base}_{k}"
        self.taken.add(fname)
        self.names[key] = fname

        if mode == "jvp":
            fdef = ForwardTransform(
                parsed, body, wrt, namer, lambda c, w: self.jvp(c, w), fname
            ).build()
        else:
            transform = ReverseTransform(
                parsed,
                body,
                wrt,
                namer,
                lambda c, w: self.vjp(c, w, False),
                fname,
                return_result=return_result,
                checkpoint=checkpoint,
                has_aux=self.has_aux and return_result,
            )
            fdef = transform.build()
            self.uses_revolve |= transform.uses_revolve
        if self.passes:
            keeps = optimize(
                fdef,
                protected=names_in_fn,
                passes=self.passes,
                gradient_only=gradient_only and return_result and mode == "vjp",
                after_step=self._print_after if self.print_after else None,
            )
            if not keeps:  # the tl.grad entry returns only the gradients
                self.returns_result = False
                fdef.name = self._rename(fname, "grad_" + fname[len("vjp_") :])
                self.names[key] = fname = fdef.name
        self._number_guards(parsed, return_result)
        self._collect_globals(parsed, fdef)
        self.defs.append(fdef)
        self.in_progress.discard((fn, wrt, mode))
        return fname

    def _number_guards(self, parsed, entry):
        """An in-place update that is right only while some arguments are numbers
        (analyze/shared_updates.py): checked at the entry's call, refused in a helper (its
        arguments are not seen at the call)."""
        guards = list(getattr(parsed, "number_guards", {}).values())
        if guards and not entry:
            raise guards[0][1]
        for limits, err in guards:
            self.number_arguments.append(([(parsed.params.index(n), k) for n, k in limits], err))

    def _print_after(self, step, fdef):
        if step in self.print_after:
            print(f"# ---- {fdef.name} after {step} ----\n{to_source(fdef)}", file=sys.stderr)

    def _rename(self, old, base):
        self.taken.discard(old)
        name, k = base, 1
        while name in self.taken:
            k += 1
            name = f"{base}_{k}"
        self.taken.add(name)
        return name

    def _custom(self, custom, wrt, return_result, mode, key):
        name = identifier(custom.fn.__name__)
        fname = f"{mode}_{name}" if return_result else f"_{mode}_{name}_" + "_".join(map(str, wrt))
        self.taken.add(fname)
        self.names[key] = fname
        rules = {}
        for kind, (rule_name, fn) in rule_globals(custom).items():
            rules[kind] = rule_name
            self._add_global(rule_name, fn)
        fdef = custom_wrapper(custom, wrt, mode, fname, rules, return_result)
        self.defs.append(fdef)
        self.in_progress.discard((custom, wrt, mode))
        return fname

    def _add_global(self, name, obj):
        prev = self.namespace.get(name, obj)
        if prev is not obj:
            raise TangentlikeError(
                f"the global name '{name}' means different things in the "
                "functions being differentiated"
            )
        self.namespace[name] = obj
        if is_user_function(obj):
            self.user_functions[name] = obj
        elif isinstance(obj, (custom_vjp, custom_jvp)):
            self.user_functions[name] = obj.fn

    def _collect_globals(self, parsed, fdef):
        names = [n for n in walk(fdef) if isinstance(n, gast.Name)]
        local = {n.id for n in names if isinstance(n.ctx, (gast.Store, gast.Param))}
        for n in names:
            if not isinstance(n.ctx, gast.Load):
                continue
            if n.id in local or n.id in RESERVED or n.id == REVOLVE or n.id in self.taken:
                continue
            if n.id in parsed.namespace:
                self._add_global(n.id, parsed.namespace[n.id])


def _constants_comment(namespace):
    lines = []
    for k in sorted(namespace):
        v = namespace[k]
        if isinstance(v, (bool, int, float, complex, np.generic)):
            v = v.item() if isinstance(v, np.generic) else v
            lines.append(f"#   {k} = {plain_constant(v)!r}")
        elif isinstance(v, np.ndarray):
            import hashlib

            h = hashlib.sha1(np.ascontiguousarray(v).tobytes()).hexdigest()[:12]
            lines.append(f"#   {k} = <array {v.dtype} {v.shape} sha1:{h}>")
    if not lines:
        return ""
    return "# Global constants used (their values are compiled in):\n" + "\n".join(lines) + "\n"


def generate_vjp(
    fn: Callable,
    wrt: tuple,
    optimized: Union[bool, Iterable[str]] = True,
    checkpoint: Union[None, int, str] = None,
    gradient_only: bool = False,
    has_aux: bool = False,
) -> GeneratedModule:
    """Reverse mode: ``vjp_f(*args, d_result) -> (result, (gradients...))``.

    ``checkpoint`` (a snapshot count, or "auto") reverses the function's main loop by a
    binomial checkpointing schedule instead of taping every step (``transform/checkpoint.py``).
    ``gradient_only`` (for ``tl.grad``): where the optimizer proves the output a scalar,
    the entry is ``grad_f(*args, d_result) -> (gradients...)`` and ``returns_result`` is
    False. ``has_aux``: ``fn`` returns ``(loss, aux)``; only ``loss`` is differentiated
    (``d_result`` is its cotangent) and the result is the pair.
    """
    return _generate(fn, wrt, optimized, "reverse", checkpoint, gradient_only, has_aux)


def generate_jvp(
    fn: Callable, wrt: tuple, optimized: Union[bool, Iterable[str]] = True
) -> GeneratedModule:
    """Forward mode: ``jvp_f(*args, *tangents) -> (result, result_tangent)``."""
    return _generate(fn, wrt, optimized, "forward")


_DEPTH_LOCK = threading.Lock()
_DEPTH_USERS = [0, None]  # generations running, the limit before the first
GENERATION_RECURSION_LIMIT = 20000


@contextlib.contextmanager
def _recursion_headroom():
    """gast's and astor's tree conversions, and the copies and visitors of ``trees.py``,
    recurse once per level of nesting (a 300-term sum nests 300 deep, up to 4 frames a
    level). While code is generated the interpreter's limit is raised (in Python 3.11 a
    Python-to-Python call does not use the C stack), and put back by the last generation
    to finish."""
    with _DEPTH_LOCK:
        if _DEPTH_USERS[0] == 0:
            _DEPTH_USERS[1] = sys.getrecursionlimit()
            sys.setrecursionlimit(max(_DEPTH_USERS[1], GENERATION_RECURSION_LIMIT))
        _DEPTH_USERS[0] += 1
    try:
        yield
    finally:
        with _DEPTH_LOCK:
            _DEPTH_USERS[0] -= 1
            if _DEPTH_USERS[0] == 0:
                sys.setrecursionlimit(_DEPTH_USERS[1])


def _generate(fn, wrt, optimized, mode, checkpoint=None, gradient_only=False, has_aux=False):
    with _recursion_headroom():
        return _generate_text(fn, wrt, optimized, mode, checkpoint, gradient_only, has_aux)


def _generate_text(fn, wrt, optimized, mode, checkpoint=None, gradient_only=False, has_aux=False):
    # the key also fingerprints everything reached, for Numba's disk cache (numba_cache.py);
    # printing the code between passes (TANGENTLIKE_PRINT_AFTER) needs a fresh generation
    fingerprint, fp = cache.key_for(
        fn,
        [mode, list(wrt), sorted(select_passes(optimized)), repr(checkpoint), gradient_only]
        + (["has_aux"] if has_aux else []),
    )
    key = fingerprint if cache.enabled() and not print_after_steps() else None
    if key is not None:
        payload = cache.lookup(key)
        namespace = payload and cache.resolve_namespace(payload["namespace"], fp)
        if namespace is not None:
            try:
                out = from_payload(fn, payload, namespace, fingerprint)
                log.info(
                    "%s: %s mode from the generation cache", getattr(fn, "__name__", "f"), mode
                )
                return out
            except Exception:  # noqa: BLE001 - a damaged entry: regenerate
                cache.forget(key)
    t0 = time.perf_counter()
    gen, source, texts = _run_pipeline(fn, wrt, optimized, mode, checkpoint, gradient_only, has_aux)
    out = GeneratedModule(
        source=source,
        entry=gen.entry_name,
        functions=[f.name for f in gen.defs],
        namespace=gen.namespace,
        user_functions=gen.user_functions,
        returns_result=gen.returns_result,
        primal=primal_of(fn),
        defs=gen.defs,
        fingerprint=fingerprint,
        origins={name: getattr(key_[0], "__name__", "") for key_, name in gen.names.items()},
        number_arguments=gen.number_arguments,
    )
    log.info("generated %s in %.3f s", gen.entry_name, time.perf_counter() - t0)
    if key is not None and cache.reproducible(out.namespace, fp) and not out.number_arguments:
        cache.store(
            key,
            {
                "source": out.source,
                "entry": out.entry,
                "functions": out.functions,
                "namespace": sorted(out.namespace),
                "texts": texts,
                "returns_result": out.returns_result,
                "origins": out.origins,
            },
        )
    return out


def _run_pipeline(fn, wrt, optimized, mode, checkpoint, gradient_only, has_aux=False):
    gen = _Generator(optimized, checkpoint, has_aux)
    if mode == "forward":
        gen.entry_name = gen.jvp(fn, tuple(wrt), True)
    else:
        gen.entry_name = gen.vjp(fn, tuple(wrt), True, gradient_only=gradient_only)
    fn_name = identifier(getattr(fn, "__name__", "f"))
    mod = getattr(fn, "__module__", None)
    mod = ".".join(identifier(p) for p in mod.split(".")) if isinstance(mod, str) else ""
    origin = fn_name if mod.startswith("tl_") or not mod else f"{mod}.{fn_name}"
    what = f"{mode} mode, wrt={tuple(wrt)}" + (", has_aux" if has_aux else "")
    if gen.uses_revolve:
        what += f", checkpoint={checkpoint!r}"
    parts = [
        f"# Generated by tangentlike from {origin}: {what}.\n",
        header_imports(gen.defs, RUNTIME_STAMP) + (REVOLVE_IMPORT if gen.uses_revolve else ""),
        _constants_comment(gen.namespace),
    ]
    texts = [to_source(fdef) for fdef in gen.defs]
    parts.extend("\n\n" + t for t in texts)
    return gen, "".join(parts), texts
