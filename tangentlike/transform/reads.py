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


def value_loads(stmts, varying=()):
    """Names whose *values* the statements read (shape-only reads of names not in
    ``varying`` excluded)."""
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
