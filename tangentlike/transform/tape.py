"""The tape: what the forward sweep records for the reverse sweep, as generated code.

The CPU tape is one native list per recorded variable (typed by its appends, so Numba
compiles it as a typed stack), one per array whose elements are overwritten, and one
integer stack ``_tape_flow`` for branches and loop trip counts inside loops. A value is
pushed *after* each assignment; the reverse sweep, after handling an assignment, pops
that value and restores the variable to the value below it. Other backends (CUDA with
preallocated per-thread buffers) implement the same methods.
"""

import gast

from .. import syntax as S
from ..trees import walk


class ListTape:
    def __init__(self, namer):
        self.namer = namer
        self.stacks = {}  # variable -> stack name
        self.item_stacks = {}  # array -> stack name for overwritten elements
        self.flow = None

    # ------------------------------------------------------------------ names
    def stack(self, v):
        if v not in self.stacks:
            self.stacks[v] = self.namer.fresh(f"_tape_{v}")
        return self.stacks[v]

    def item_stack(self, v, target):
        """Overwritten elements (scalars) and slices or rows (arrays) of ``v``: one stack
        per index pattern (which positions are slices, how many indices), since
        ``W[i]`` and ``W[i, j]`` of a matrix give values of different types."""
        index = target.slice
        parts = index.elts if isinstance(index, gast.Tuple) else [index]
        pattern = tuple(any(isinstance(n, gast.Slice) for n in walk(p)) for p in parts)
        kind = "slices" if any(pattern) else "items"
        key = (v, pattern)
        if key not in self.item_stacks:
            self.item_stacks[key] = self.namer.fresh(f"_tape_{v}_{kind}")
        return self.item_stacks[key]

    def flow_stack(self):
        if self.flow is None:
            self.flow = self.namer.fresh("_tape_flow")
        return self.flow

    # ------------------------------------------------------------------ code
    def create(self):
        """Statements creating the (empty) stacks, at the top of the function."""
        names = list(self.stacks.values()) + list(self.item_stacks.values())
        if self.flow:
            names.append(self.flow)
        return [S.assign(n, gast.List(elts=[], ctx=gast.Load())) for n in names]

    def push(self, v):
        return [S.stmt(f"{self.stack(v)}.append({v})")]

    def restore(self, v, guarded):
        st = self.stack(v)
        out = [S.stmt(f"{st}.pop()")]
        set_ = S.stmt(f"{v} = {st}[-1]")
        out.append(gast.If(test=S.name(st), body=[set_], orelse=[]) if guarded else set_)
        return out

    def discard(self, v):
        """Pop the value pushed for ``v`` without restoring anything (its oldest value)."""
        return [S.stmt(f"{self.stack(v)}.pop()")]

    def push_item(self, v, target):
        value = S.call("copy_value", S.as_load(target))
        return [
            gast.Expr(value=S.call(S.attr(S.name(self.item_stack(v, target)), "append"), value))
        ]

    def restore_item(self, v, target):
        return [
            S.assign(S.as_store(target), S.call(S.attr(S.name(self.item_stack(v, target)), "pop")))
        ]

    def push_flow(self, value_expr):
        return [gast.Expr(value=S.call(S.attr(S.name(self.flow_stack()), "append"), value_expr))]

    def pop_flow(self):
        return S.call(S.attr(S.name(self.flow_stack()), "pop"))
