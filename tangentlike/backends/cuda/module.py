"""Assemble the CUDA module: user functions and derivatives as device functions, plus
the batch kernels (one thread per row), as one readable text that ``tl.source`` shows."""

import copy
from typing import Callable
from dataclasses import dataclass, field

import gast
import numpy as np

from ... import syntax as S
from ...parse.resolve import is_user_function
from ...naming import identifier
from ...custom import custom_jvp, custom_vjp
from ...emit import to_source
from ...parse import parse_function
from .checks import array_params, array_params_of_all, check_primal
from .device_tape import tape_lists
from .lower import lower
from .scalar_math import to_scalar_math

HEADER = "import math\nimport numpy as np\nfrom numba import cuda\n"
DEVICE = "@cuda.jit(device=True)\n"


@dataclass
class CudaModule:
    source: str
    namespace: dict
    entry: str  # the device derivative
    count: str = None  # the device tape counter (None: no tape)
    ntapes: int = 0
    kernels: dict = field(default_factory=dict)  # kind -> kernel name
    rest: list = field(default_factory=list)  # shared argument names


@dataclass
class Primal:
    """A checked function and the device text of the user functions it calls
    (``prepare``), waiting for its generated derivative (``build``)."""

    parsed: object  # ParsedFunction
    mode: str  # "grad" or "jvp"
    params: list
    arrays: set  # array parameters (the row among them)
    callees: dict  # name -> ParsedFunction of the user functions it calls
    namespace: dict
    parts: list  # the module text so far


def _int_params(fdef):
    """Parameters used as loop bounds or indices (held as integers)."""
    params = {a.id for a in fdef.args.args}
    out = set()
    for n in gast.walk(fdef):
        if isinstance(n, gast.Call) and isinstance(n.func, gast.Name) and n.func.id == "range":
            out |= S.loaded_names(n) & params
        elif isinstance(n, gast.Subscript):
            out |= S.loaded_names(n.slice) & params
    return out


def _user_functions(parsed, seen):
    """The user functions ``parsed`` calls, recursively: name -> ParsedFunction."""
    for node in gast.walk(parsed.node):
        if isinstance(node, gast.Call) and isinstance(node.func, gast.Name):
            value = parsed.namespace.get(node.func.id)
            if value is not None and is_user_function(value) and node.func.id not in seen:
                _add_user_function(node.func.id, value, seen)
    return seen


def _add_user_function(name, value, seen):
    if isinstance(value, (custom_vjp, custom_jvp)):
        # the function itself, and its rules, which the generated wrapper calls by name
        for rule in (
            getattr(value, "fwd", None),
            getattr(value, "bwd", None),
            getattr(value, "jvp_rule", None),
        ):
            if rule is not None and identifier(rule.__name__) not in seen:
                _add_user_function(identifier(rule.__name__), rule, seen)
        value = value.fn
    callee = parse_function(value)
    callee.node.name = name  # the name the callers use
    seen[name] = callee
    _user_functions(callee, seen)


class _PositionalCalls(gast.NodeTransformer):
    """``helper(v, scale=2.0)`` -> ``helper(v, 2.0)``; omitted defaults written out: device
    functions are called with positional arguments only."""

    def __init__(self, functions):
        self.functions = functions  # name -> ParsedFunction

    def visit_Call(self, node):
        self.generic_visit(node)
        callee = self.functions.get(node.func.id) if isinstance(node.func, gast.Name) else None
        if callee is None:
            return node
        fn_args = callee.node.args
        names = [a.id for a in fn_args.args]
        if not node.keywords and len(node.args) == len(names):
            return node
        given = dict(zip(names, node.args))
        for kw in node.keywords:
            given[kw.arg] = kw.value
        defaults = dict(zip(names[len(names) - len(fn_args.defaults) :], fn_args.defaults))
        args = []
        for n in names:
            if n not in given and n not in defaults:
                raise callee.error(f"a call of '{node.func.id}' does not give '{n}'")
            args.append(given[n] if n in given else defaults[n])
        node.args, node.keywords = args, []
        return node


def _constants(parsed):
    out = {}
    for name in S.loaded_names(parsed.node):
        v = parsed.namespace.get(name)
        if isinstance(v, (bool, int, float, np.generic, np.ndarray)):
            out[name] = v
    return out


def _tape_users(fdefs, with_tapes):
    """Generated functions that need the tape buffer: those with tapes and their callers."""
    users = set(with_tapes)
    changed = True
    while changed:
        changed = False
        for f in fdefs:
            if f.name not in users and any(
                isinstance(n, gast.Call) and isinstance(n.func, gast.Name) and n.func.id in users
                for n in gast.walk(f)
            ):
                users.add(f.name)
                changed = True
    return users


def _kernel_names(params):
    taken = set(params)
    return {
        k: (k if k not in taken else "_" + k)
        for k in ("rows", "grads", "values", "directions", "tangents")
    }


def prepare(fn: Callable, mode: str) -> Primal:
    """Check ``fn`` (and the user functions it calls) for device code and lower those
    functions, before its derivative is generated (``build`` lowers that)."""
    parsed = parse_function(fn)
    params = [a.id for a in parsed.node.args.args]
    if not params:
        raise parsed.error("a batched function takes the row as its first argument")
    arrays = array_params(parsed.node) | {params[0]}
    check_primal(parsed, arrays)
    callees = _user_functions(parsed, {})
    namespace = _constants(parsed)
    module = ".".join(identifier(p) for p in str(parsed.fn.__module__).split("."))
    parts = [
        f"# Generated by tangentlike for CUDA from {module}.{parsed.name}: "
        f"{'reverse' if mode == 'grad' else 'forward'} mode, w.r.t. the row "
        f"'{params[0]}', one thread per row.\n",
        HEADER,
    ]
    for name, callee in callees.items():
        check_primal(callee, array_params(callee.node))
        namespace.update(_constants(callee))
        node = _PositionalCalls(callees).visit(to_scalar_math(copy.deepcopy(callee.node)))
        node.args.defaults = []  # every call passes every argument
        parts.append("\n\n" + DEVICE + to_source(node))
    return Primal(parsed, mode, params, arrays, callees, namespace, parts)


def build(primal: Primal, gen) -> CudaModule:
    """The CUDA module of ``primal``'s derivative w.r.t. its first argument (a row), from
    ``gen``: the generated module (``pipeline.generate_vjp``/``generate_jvp``) the caller
    made for ``primal.fn`` with ``wrt=(0,)``."""
    parsed, mode, params, arrays = primal.parsed, primal.mode, primal.params, primal.arrays
    callees, namespace, parts = primal.callees, primal.namespace, primal.parts
    entry_ints = _int_params(parsed.node)
    removed = {}  # callee -> results that became output arrays
    entry_arrays = set(arrays)
    if mode == "jvp":
        entry_arrays.add(next(f for f in gen.defs if f.name == gen.entry).args.args[-1].id)
    all_arrays = array_params_of_all(gen.defs, gen.entry, entry_arrays)
    base, ntapes = {}, 0  # generated function -> its first tape region
    for fdef in gen.defs:
        if tape_lists(fdef):
            base[fdef.name] = ntapes
            ntapes += len(tape_lists(fdef))
    users = _tape_users(gen.defs, set(base))
    counters = {}  # user function -> counting functions of its adjoints
    count = None
    for fdef in gen.defs:
        is_entry = fdef.name == gen.entry
        ints = _int_params(fdef) | (entry_ints if is_entry else set())
        kw = dict(entry=is_entry, tape_base=base.get(fdef.name, 0), tape_users=users)
        dev = lower(fdef, all_arrays[fdef.name], ints, removed_by_callee=removed, **kw)
        dev = _PositionalCalls(callees).visit(dev)
        parts.append("\n\n" + DEVICE + to_source(dev))
        if fdef.name in users:
            cdef = lower(fdef, all_arrays[fdef.name], ints, counting=True, counters=counters, **kw)
            cdef = _PositionalCalls(callees).visit(cdef)
            parts.append("\n\n" + DEVICE + to_source(cdef))
            if is_entry:
                count = cdef.name
            else:
                counters.setdefault(gen.origins[fdef.name], []).append(cdef.name)
    names = _kernel_names(params)
    kernels = {}
    rest = params[1:]
    for kind, text in _kernels(parsed.name, gen.entry, mode, rest, names, count).items():
        kernels[kind] = text[0]
        parts.append("\n\n" + text[1])
    return CudaModule(
        source="".join(parts),
        namespace=namespace,
        entry=gen.entry,
        count=count,
        ntapes=ntapes,
        kernels=kernels,
        rest=rest,
    )


def _kernels(name, entry, mode, rest, n, count):
    r = "".join(f", {p}" for p in rest)
    tape_params = ", _tape, _offs" if count else ""
    tape_args = ", _tape[:, i], _offs" if count else ""
    out = {}
    if mode == "grad":
        k = f"batch_grad_{name}"
        out["grad"] = (
            k,
            f"@cuda.jit\ndef {k}({n['rows']}{r}, {n['grads']}, {n['values']}"
            f"{tape_params}):\n"
            f"    i = cuda.grid(1)\n"
            f"    if i < {n['rows']}.shape[0]:\n"
            f"        {n['values']}[i] = {entry}({n['rows']}[i]{r}, 1.0, "
            f"{n['grads']}[i]{tape_args})\n",
        )
    else:
        k = f"batch_jvp_{name}"
        out["jvp"] = (
            k,
            f"@cuda.jit\ndef {k}({n['rows']}{r}, {n['directions']}, "
            f"{n['values']}, {n['tangents']}):\n"
            f"    i = cuda.grid(1)\n"
            f"    if i < {n['rows']}.shape[0]:\n"
            f"        value, tangent = {entry}({n['rows']}[i]{r}, "
            f"{n['directions']}[i])\n"
            f"        {n['values']}[i] = value\n"
            f"        {n['tangents']}[i] = tangent\n",
        )
    if count:
        k = f"batch_count_{name}"
        out["count"] = (
            k,
            f"@cuda.jit\ndef {k}({n['rows']}{r}, _caps):\n"
            f"    i = cuda.grid(1)\n"
            f"    if i < {n['rows']}.shape[0]:\n"
            f"        {count}({n['rows']}[i]{r}, _caps)\n",
        )
    return out
