"""What device code may contain, checked on the user's source before generation.

A GPU thread runs scalar code: arithmetic, ``math`` functions, branches, loops and calls
to other such functions, reading elements of array arguments. Anything that would
allocate an array on the device, write into an argument or call an unknown function is
rejected here, with the user's line, instead of failing later inside Numba (or, worse,
passing on the CUDA simulator and failing on a real GPU).
"""

import builtins
import inspect
import math

import gast
import numpy as np

from ...parse.resolve import is_user_function
from .scalar_math import supported

ALLOWED_BUILTINS = {"abs", "min", "max", "float", "int", "range", "len", "pow", "round", "bool"}
LOOP_BUILTINS = {"enumerate", "zip"}  # in `for` headers only (checked in check_primal)


def array_params(fdef, known=()):
    """Parameters used as arrays: indexed, ``.shape``-ed or ``len``-ed (plus ``known``)."""
    params = [a.id for a in fdef.args.args]
    out = set(known)
    for n in gast.walk(fdef):
        if isinstance(n, gast.Subscript) and isinstance(n.value, gast.Name):
            out.add(n.value.id)
        elif (
            isinstance(n, gast.Attribute)
            and isinstance(n.value, gast.Name)
            and n.attr in ("shape", "size", "ndim")
        ):
            out.add(n.value.id)
        elif (
            isinstance(n, gast.Call)
            and isinstance(n.func, gast.Name)
            and n.func.id == "len"
            and n.args
            and isinstance(n.args[0], gast.Name)
        ):
            out.add(n.args[0].id)
    return {p for p in params if p in out}


def array_params_of_all(fdefs, entry, entry_arrays):
    """Array parameters of every generated function: those each one indexes, plus those
    a caller passes an array to (``_vjp_g(x, ...)`` with the row ``x``), to a fixpoint."""
    by_name = {f.name: f for f in fdefs}
    arrays = {f.name: array_params(f) - {"d_result"} for f in fdefs}
    arrays[entry] |= set(entry_arrays)
    changed = True
    while changed:
        changed = False
        for f in fdefs:
            for n in gast.walk(f):
                if not (
                    isinstance(n, gast.Call)
                    and isinstance(n.func, gast.Name)
                    and n.func.id in by_name
                ):
                    continue
                params = [a.id for a in by_name[n.func.id].args.args]
                for p, a in zip(params, n.args):
                    if (
                        isinstance(a, gast.Name)
                        and a.id in arrays[f.name]
                        and p not in arrays[n.func.id]
                    ):
                        arrays[n.func.id].add(p)
                        changed = True
    return arrays


def _module_of(value):
    if value is np:
        return "np"
    if value is math:
        return "math"
    return None


def check_primal(parsed, arrays):
    """Raise TangentlikeError (naming the line) for what device code cannot do."""
    ns = parsed.namespace
    params = {a.id for a in parsed.node.args.args}
    loop_headers = {
        id(n) for f in gast.walk(parsed.node) if isinstance(f, gast.For) for n in gast.walk(f.iter)
    }
    for node in gast.walk(parsed.node):
        if isinstance(node, gast.Subscript):
            if any(isinstance(s, gast.Slice) for s in gast.walk(node.slice)):
                raise parsed.error(
                    "array slices allocate arrays, which device code cannot "
                    "do: index single elements",
                    node,
                    construct="slice",
                )
            if (
                isinstance(node.ctx, gast.Store)
                and isinstance(node.value, gast.Name)
                and node.value.id in params
            ):
                raise parsed.error(
                    f"writes into the argument array '{node.value.id}'; on the "
                    "GPU that would change the caller's batch",
                    node,
                    construct="store into argument",
                )
            if isinstance(node.ctx, gast.Store):
                raise parsed.error(
                    "writes into an array; device code keeps its state in scalar variables",
                    node,
                    construct="array store",
                )
        elif isinstance(
            node,
            (
                gast.List,
                gast.Dict,
                gast.Set,
                gast.ListComp,
                gast.DictComp,
                gast.SetComp,
                gast.GeneratorExp,
            ),
        ):
            raise parsed.error(
                f"{type(node).__name__.lower()} objects are not supported in device code",
                node,
                construct=type(node).__name__,
            )
        elif (
            isinstance(node, gast.Assign)
            and isinstance(node.value, gast.Name)
            and node.value.id in arrays
        ):
            raise parsed.error(
                f"'{node.value.id}' is an array: device code cannot alias it to another name",
                node,
                construct="array alias",
            )
        elif isinstance(node, gast.Call):
            _check_call(parsed, node, ns)
            if (
                isinstance(node.func, gast.Name)
                and node.func.id in LOOP_BUILTINS
                and id(node) not in loop_headers
            ):
                raise parsed.error(
                    f"'{node.func.id}' is supported in device code only as "
                    "the iterable of a for loop",
                    node,
                    construct=node.func.id,
                )
        elif isinstance(node, gast.Attribute) and isinstance(node.value, gast.Name):
            mod = _module_of(ns.get(node.value.id))
            if mod == "np" and not supported(node.attr):
                raise parsed.error(
                    f"np.{node.attr} has no scalar form in device code (device "
                    "code runs one row per thread: write the loop)",
                    node,
                    construct=f"np.{node.attr}",
                )
            if mod is None and node.value.id in arrays and node.attr not in ("shape", "size"):
                raise parsed.error(
                    f"the array attribute or method '.{node.attr}' is not supported in device code",
                    node,
                    construct=f".{node.attr}",
                )


def _check_call(parsed, node, ns):
    f = node.func
    if isinstance(f, gast.Attribute):
        if isinstance(f.value, gast.Name) and _module_of(ns.get(f.value.id)):
            return  # np.* (checked as an attribute) or math.*
        raise parsed.error(
            f"the method call '.{f.attr}(...)' is not supported in device code",
            node,
            construct=f".{f.attr}",
        )
    if not isinstance(f, gast.Name):
        raise parsed.error(
            "only calls of named functions are supported in device code", node, construct="call"
        )
    if f.id in ns:
        value = ns[f.id]
        if is_user_function(value) and inspect.isfunction(
            inspect.unwrap(getattr(value, "py_func", value))
        ):
            return
        if getattr(math, getattr(value, "__name__", ""), None) is value:
            return
        if value is getattr(builtins, f.id, None) and (
            f.id in ALLOWED_BUILTINS or f.id in LOOP_BUILTINS
        ):
            return
        raise parsed.error(
            f"the call '{f.id}' is not supported in device code", node, construct=f.id
        )
    if f.id in ALLOWED_BUILTINS or f.id in LOOP_BUILTINS:
        return
    raise parsed.error(f"the call '{f.id}' is not supported in device code", node, construct=f.id)
