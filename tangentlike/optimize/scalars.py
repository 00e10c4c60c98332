"""Which names are provably scalars, and the shape helpers that are no-ops on them.

A name is a scalar when every assignment to it is a scalar expression (numbers,
arithmetic on scalars, ``math`` functions, ``x.shape[k]``, ``range`` counters, values
popped from a tape of scalars), found as a greatest fixed point so loop-carried
variables (``s = s + ...``) qualify. A *user* variable assigned a number and otherwise
only updated from itself (an accumulator) is a scalar too: a loop-carried variable keeps
its shape (a documented limit of tangentlike, and what Numba requires of its type), so
``s = 0.0`` fixes the shape of ``s`` for the whole function.

The pass then rewrites ``zeros_like(v)`` to ``0.0`` for a scalar ``v`` and
``unbroadcast(g, v)`` to ``g`` when both are scalars, which frees the primal value ``v``
from being computed only to learn its shape.
"""

import gast

from ..trees import Transformer, walk
from ..runtime import declarations
from .facts import params

_SCALAR_OF = declarations.field_or_zero("scalar_of")


def _is_number(e):
    if isinstance(e, gast.Constant):
        return isinstance(e.value, (int, float)) and not isinstance(e.value, bool)
    return isinstance(e, gast.UnaryOp) and _is_number(e.operand)


class ScalarFacts:
    def __init__(self, fdef, user_names=(), scalar_params=()):
        self.user_names = set(user_names)
        self.assigns = {}  # name -> list of value expressions (None: unknown)
        self.tapes = {}  # list name -> values appended to it
        self._collect(fdef)
        for p in params(fdef):
            self.assigns.setdefault(p, []).append(None)
        for p in scalar_params:
            self.assigns[p] = [gast.Constant(value=1.0, kind=None)]
        # a stack is a list created empty and only appended to (a tape, or a user list
        # built by appends): its elements are the values appended
        self.tapes = {
            v: vals
            for v, vals in self.tapes.items()
            if all(isinstance(x, gast.List) and not x.elts for x in self.assigns.get(v, [None]))
        }
        self._visiting = set()
        self.scalars = self._solve()

    def _collect(self, fdef):
        for n in walk(fdef):
            if isinstance(n, gast.Assign):
                for t in n.targets:
                    if isinstance(t, gast.Name):
                        self.assigns.setdefault(t.id, []).append(n.value)
                    else:
                        for x in walk(t):
                            if isinstance(x, gast.Name) and isinstance(x.ctx, gast.Store):
                                self.assigns.setdefault(x.id, []).append(None)
            elif isinstance(n, gast.AugAssign) and isinstance(n.target, gast.Name):
                self.assigns.setdefault(n.target.id, []).append(
                    gast.BinOp(left=n.target, op=n.op, right=n.value)
                )
            elif isinstance(n, gast.For):
                scalar_counter = (
                    isinstance(n.iter, gast.Call)
                    and isinstance(n.iter.func, gast.Name)
                    and n.iter.func.id == "range"
                )
                for x in walk(n.target):
                    if isinstance(x, gast.Name):
                        self.assigns.setdefault(x.id, []).append(
                            gast.Constant(value=0, kind=None) if scalar_counter else None
                        )
            elif (
                isinstance(n, gast.Call)
                and isinstance(n.func, gast.Attribute)
                and n.func.attr == "append"
                and isinstance(n.func.value, gast.Name)
                and n.args
            ):
                self.tapes.setdefault(n.func.value.id, []).append(n.args[0])
            elif isinstance(n, (gast.With, gast.Global, gast.Nonlocal)):
                pass

    def _solve(self):
        fixed = {v for v in self.user_names if self._accumulator(v)}
        cand = {v for v, vals in self.assigns.items() if all(x is not None for x in vals)} | fixed
        while True:
            drop = {
                v for v in cand - fixed if not all(self._scalar(x, cand) for x in self.assigns[v])
            }
            if not drop:
                return cand
            cand -= drop

    def _accumulator(self, v):
        """A user variable set to a number and otherwise only updated from itself
        (``s = 0.0`` ... ``s = s + x[i] * y[i]`` in a loop) is a scalar: a loop-carried
        variable keeps its shape (Numba requires it of its type). Straight-line
        reassignments have their own names by now (``normalize/versions.py``), so a
        number followed by an array (``s = 0.0; s = s + v``) never meets this rule."""
        own_stacks = {
            t
            for t, pushed in self.tapes.items()  # _tape_s.append(s)
            if all(isinstance(p, gast.Name) and p.id == v for p in pushed)
        }
        vals = self.assigns.get(v, ())
        return any(x is not None and _is_number(x) for x in vals) and all(
            x is not None
            and (
                _is_number(x)
                or any(
                    isinstance(n, gast.Name) and (n.id == v or n.id in own_stacks) for n in walk(x)
                )
            )
            for x in vals
        )

    def is_scalar(self, expr):
        return self._scalar(expr, self.scalars)

    def _scalar(self, e, names):
        if isinstance(e, gast.Constant):
            return isinstance(e.value, (int, float, bool))
        if isinstance(e, gast.Name):
            return e.id in names
        if isinstance(e, gast.BinOp):
            return (
                not isinstance(e.op, gast.MatMult)
                and self._scalar(e.left, names)
                and self._scalar(e.right, names)
            )
        if isinstance(e, gast.UnaryOp):
            return self._scalar(e.operand, names)
        if isinstance(e, gast.Compare):
            return all(self._scalar(x, names) for x in [e.left] + e.comparators)
        if isinstance(e, gast.IfExp):
            return self._scalar(e.body, names) and self._scalar(e.orelse, names)
        if isinstance(e, gast.Subscript):
            v = e.value
            if isinstance(v, gast.Attribute) and v.attr == "shape":
                return isinstance(e.slice, (gast.Constant, gast.Name, gast.UnaryOp))
            if isinstance(v, gast.Name) and v.id in self.tapes:
                return self._stack_of_scalars(v.id, names)
            return False
        if isinstance(e, gast.Call):
            return self._scalar_call(e, names)
        return False

    def _stack_of_scalars(self, stack, names):
        if stack in self._visiting:  # an element appended from the stack itself
            return True  # (greatest fixed point, as for names)
        self._visiting.add(stack)
        try:
            return all(self._scalar(x, names) for x in self.tapes[stack])
        finally:
            self._visiting.discard(stack)

    def _scalar_call(self, e, names):
        f = e.func
        if isinstance(f, gast.Attribute) and isinstance(f.value, gast.Name):
            if f.value.id == "math":
                return True
            if f.attr == "pop" and f.value.id in self.tapes:
                return self._stack_of_scalars(f.value.id, names)
            return False
        if isinstance(f, gast.Name) and e.args:
            k = _SCALAR_OF.get(f.id)  # a scalar when this operand is (its declaration)
            if k is not None and len(e.args) > k:
                return self._scalar(e.args[k], names)
        return False


class _ShapeHelpers(Transformer):
    def __init__(self, facts):
        self.facts = facts

    def visit_Call(self, node):
        self.generic_visit(node)
        f = node.func
        if not isinstance(f, gast.Name):
            return node
        if f.id == "zeros_like" and len(node.args) == 1 and self.facts.is_scalar(node.args[0]):
            return gast.Constant(value=0.0, kind=None)
        if (
            f.id == "unbroadcast"
            and len(node.args) == 2
            and all(self.facts.is_scalar(a) for a in node.args)
        ):
            return node.args[0]
        return node


def scalar_facts(fdef, user_names=(), scalar_params=()):
    return ScalarFacts(fdef, user_names, scalar_params)


def drop_scalar_shape_helpers(fdef, facts):
    """``zeros_like(v)`` -> ``0.0`` and ``unbroadcast(g, v)`` -> ``g`` on scalars."""
    _ShapeHelpers(facts).visit(fdef)
    return fdef
