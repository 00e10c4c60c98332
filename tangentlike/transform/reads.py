"""What generated statements read, and renaming inside them (shared by the transforms)."""

import copy

import gast

from .. import syntax as S
from ..runtime import declarations
from ..trees import walk


def loads(stmts):
    out = set()
    for s in stmts:
        out |= S.loaded_names(s)
    return out


# helper arguments that only give a shape: reading a later value of the same variable
# is fine when it keeps its shape, so they need no tape (analyze/shapes.py names the
# variables that may not: their shape-only reads count); from the helpers' declarations
_SHAPE_ARGS = declarations.field("shape_only_args")


# switch off to generate what the transform made before (benchmarks compare both)
SHAPE_ONLY_VALUES = True


def _shape_expr(e, varying, indexes):
    """Whether the shape of ``e`` follows from the shapes of the names it reads, whatever
    their values: arithmetic of names, constants and elements ``a[i]`` (an index without
    slices), none of those names in ``varying``; the indexes go into ``indexes``."""
    if isinstance(e, gast.Constant):
        return True
    if isinstance(e, gast.Name):
        return e.id not in varying
    if isinstance(e, gast.BinOp):
        return _shape_expr(e.left, varying, indexes) and _shape_expr(e.right, varying, indexes)
    if isinstance(e, gast.UnaryOp):
        return _shape_expr(e.operand, varying, indexes)
    if isinstance(e, gast.Subscript) and isinstance(e.value, gast.Name):
        if any(isinstance(x, gast.Slice) for x in walk(e.slice)) or e.value.id in varying:
            return False
        indexes.append(e.slice)
        return True
    return False


def _shape_only_temps(stmts, varying):
    """``{id(statement): its indexes}`` for the recomputed values ``_t = e`` among
    ``stmts`` read only for their shapes (``unbroadcast(g, _t)`` after ``f[i] += t``,
    directly or through another such value) whose shape does not depend on the values
    ``e`` reads (``_shape_expr``): those values are not read."""
    found, stored = {}, {}
    for s in stmts:
        for n in walk(s):
            if isinstance(n, gast.Name) and isinstance(n.ctx, gast.Store):
                stored[n.id] = stored.get(n.id, 0) + 1
            if (
                isinstance(n, gast.Assign)
                and isinstance(n.targets[0], gast.Name)
                and n.targets[0].id.startswith("_t")
            ):
                indexes = []
                if _shape_expr(n.value, varying, indexes):
                    found[n.targets[0].id] = (n, indexes)
    found = {t: v for t, v in found.items() if stored[t] == 1}
    while found:
        read = _value_loads(stmts, varying, {id(n) for n, _ in found.values()})
        kept = {t: v for t, v in found.items() if t not in read}
        if len(kept) == len(found):
            break
        found = kept
    return {id(n): indexes for n, indexes in found.values()}


def value_loads(stmts, varying=()):
    """Names whose *values* the statements read (shape-only reads of names not in
    ``varying`` excluded, also through recomputed values: ``_shape_only_temps``)."""
    skipped = _shape_only_temps(stmts, varying) if SHAPE_ONLY_VALUES else {}
    out = _value_loads(stmts, varying, skipped)
    for indexes in skipped.values():
        for index in indexes:
            out |= S.loaded_names(index)
    return out


def _value_loads(stmts, varying, skipped):
    out = set()

    def visit(node):
        if (
            isinstance(node, gast.Call)
            and isinstance(node.func, gast.Name)
            and node.func.id in _SHAPE_ARGS
        ):
            for k, a in enumerate(node.args):
                if (
                    k in _SHAPE_ARGS[node.func.id]
                    and isinstance(a, gast.Name)
                    and a.id not in varying
                ):
                    continue
                visit(a)
            return
        if id(node) in skipped:
            return
        if isinstance(node, gast.Name) and isinstance(node.ctx, gast.Load):
            out.add(node.id)
        for child in gast.iter_child_nodes(node):
            visit(child)

    for s in stmts:
        visit(s)
    return out


def rename(stmts, old, new):
    for s in stmts:
        for n in walk(s):
            if isinstance(n, gast.Name) and n.id == old:
                n.id = new


class NamerView:
    """A throwaway copy of a Namer for dry runs."""

    def __init__(self, namer):
        self._n = copy.deepcopy(namer)

    def __getattr__(self, item):
        return getattr(self._n, item)
