"""Shape facts: variables that may hold values of different shapes at different points.

Without shape inference, a syntactic bound. A variable that is overwritten (assigned more
than once, in a loop, or a reassigned argument) may change shape when one of its values
indexes, slices, transposes, reshapes or reduces an overwritten variable, slices with
bounds that are not constants (``w = v[:i]``), or reads such a variable (``a, b = b,
a[1:]``; ``x = np.sum(x)`` then ``x = x * x``). The reverse sweep reads a variable only
for its shape (``zeros_like(x)``) without taping it just when it keeps it. A user
function's result is taken to keep its shape (``x = step(x)``, the common simulation
loop, is not taped for it).
"""

import gast

from .. import syntax as S

# calls and attributes whose result shape differs from their operands'
SHAPE_CHANGING = {
    "sum", "mean", "prod", "max", "min", "amax", "amin", "dot", "vdot", "inner", "outer",
    "matmul", "reshape", "ravel", "flatten", "transpose", "squeeze", "expand_dims", "atleast_1d",
    "atleast_2d", "concatenate", "stack", "hstack", "vstack", "append", "diag", "trace", "norm",
    "cumsum", "cumprod", "diff", "einsum", "linspace", "zeros", "ones", "full", "arange", "tile",
    "repeat", "broadcast_to", "T", "copy", "array", "asarray", "zeros_like", "ones_like",
}  # fmt: skip


def _assignments(stmts):
    for s in stmts:
        if isinstance(s, gast.Assign):
            t = s.targets[0]
            names = [t.id] if isinstance(t, gast.Name) else []
            if isinstance(t, gast.Tuple):
                names = [e.id for e in t.elts if isinstance(e, gast.Name)]
            for v in names:
                yield v, s.value
        elif isinstance(s, (gast.If, gast.For, gast.While)):
            yield from _assignments(s.body)
            yield from _assignments(s.orelse)


def _changes_shape(value, varying):
    """Whether ``value`` may have another shape when the ``varying`` names do."""
    for node in gast.walk(value):
        if isinstance(node, gast.Name) and isinstance(node.ctx, gast.Load) and node.id in varying:
            return True
        if isinstance(node, gast.Slice):
            bounds = [b for b in (node.lower, node.upper, node.step) if b is not None]
            if any(S.loaded_names(b) for b in bounds):
                return True
    return False


def _reshapes(value, overwritten):
    """An index, transpose, reshape or reduction of an overwritten variable."""
    for node in gast.walk(value):
        if isinstance(node, gast.Subscript) and isinstance(node.ctx, gast.Load):
            base = node.value
        elif isinstance(node, gast.Call):
            f = node.func
            name = f.attr if isinstance(f, gast.Attribute) else getattr(f, "id", None)
            if name not in SHAPE_CHANGING:
                continue  # a user function's result is taken to keep its shape (x = h(x))
            base = node
        elif isinstance(node, gast.Attribute) and node.attr in SHAPE_CHANGING:
            base = node.value
        else:
            continue
        if S.loaded_names(base) & overwritten:
            return True
    return False


def shape_varying(body, overwritten):
    """Names among ``overwritten`` whose values may differ in shape (a fixed point)."""
    defs = list(_assignments(body))
    varying = {v for v, value in defs if v in overwritten and _reshapes(value, overwritten)}
    while True:
        more = {
            v
            for v, value in defs
            if v in overwritten and v not in varying and _changes_shape(value, varying)
        }
        if not more:
            return varying
        varying |= more
