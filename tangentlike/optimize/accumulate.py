"""Accumulation into fresh zeros: ``d = zeros_like(v); ...; d = d + e`` -> ``d = e``.

The reverse sweep starts every adjoint at zero and adds contributions to it. When the
first thing that happens to the zero adjoint (in the same block, nothing reading or
writing ``d`` in between) is an accumulation, the zero and the addition go away. It is
only done where ``e`` is sure to have the shape ``zeros_like(v) + e`` has:

* ``e = unbroadcast(g, v)`` or ``unreduce(g, v)`` (shaped like ``v`` by construction),
  ``dot_adjoint_a(g, v, b)`` or ``dot_adjoint_b(g, a, v)`` (an adjoint has the shape of
  its operand), or
* the zero is a scalar ``0.0`` (after the ``scalars`` pass) and ``e`` a provable scalar,

and, for arrays, where ``d`` would not share its array with a name that is mutated in
place (``d_x[i] += ...``), with an argument or global of the generated function, or
between two returned values.
"""

import gast

from ..runtime import declarations
from ..trees import walk
from .facts import Aliases, NodesByType, alias_sources, foreign, loads, mutated_in_place


def _zero_init(s):
    """``(d, v)`` for ``d = zeros_like(v)`` (v an expression) or ``(d, None)`` for ``d = 0.0``."""
    if not (
        isinstance(s, gast.Assign) and len(s.targets) == 1 and isinstance(s.targets[0], gast.Name)
    ):
        return None
    d, val = s.targets[0].id, s.value
    if (
        isinstance(val, gast.Call)
        and isinstance(val.func, gast.Name)
        and val.func.id == "zeros_like"
        and len(val.args) == 1
    ):
        return d, val.args[0]
    if isinstance(val, gast.Constant) and type(val.value) is float and val.value == 0.0:
        return d, None
    return None


def _accumulation(s, d):
    """``e`` for ``d = d + e`` (``e`` not reading ``d``), else None."""
    if (
        isinstance(s, gast.Assign)
        and len(s.targets) == 1
        and isinstance(s.targets[0], gast.Name)
        and s.targets[0].id == d
        and isinstance(s.value, gast.BinOp)
        and isinstance(s.value.op, gast.Add)
        and isinstance(s.value.left, gast.Name)
        and s.value.left.id == d
        and d not in loads(s.value.right)
    ):
        return s.value.right
    return None


# helpers whose value has the shape of one operand: unbroadcast(g, v) and unreduce(g, v)
# are shaped like v, the adjoints of np.dot(a, b) like a and like b (their declarations)
_SHAPED_BY_ARG = declarations.field_or_zero("shape_of")


def _same_expr(a, b):
    return gast.dump(a) == gast.dump(b)


class _Accumulate:
    def __init__(self, fdef, scalars, protected):
        self.scalars = scalars
        self.protected = protected
        self.fdef = fdef
        self.rewrites = []  # (block, i_zero, j_acc, e, d)
        self.memo = {}

    def find(self, stmts):
        for i, s in enumerate(stmts):
            for field in ("body", "orelse"):
                sub = getattr(s, field, None)
                if isinstance(sub, list):
                    self.find(sub)
            z = _zero_init(s)
            if z is None or z[0] in self.protected:
                continue  # the user's own ``s = 0.0`` stays as written
            d, v = z
            temps = loads(v) - self.protected if v is not None else set()
            for j in range(i + 1, len(stmts)):
                t = stmts[j]
                names, stored = self._names(t)
                if temps & stored:
                    break  # a temporary v reassigned before the accumulation
                if d not in names:
                    continue
                e = _accumulation(t, d)
                if e is not None and self._shaped(e, v):
                    self.rewrites.append((stmts, i, j, e, d))
                break

    def _names(self, t):
        """(names mentioned, names bound) in statement ``t``, computed once."""
        key = id(t)
        if key not in self.memo:
            names, stored = set(), set()
            for n in walk(t):
                if isinstance(n, gast.Name):
                    names.add(n.id)
                    if isinstance(n.ctx, gast.Store):
                        stored.add(n.id)
            self.memo[key] = (names, stored)
        return self.memo[key]

    def _shaped(self, e, v):
        if v is None:  # d = 0.0: a scalar adjoint
            return self.scalars is not None and self.scalars.is_scalar(e)
        if not (isinstance(e, gast.Call) and isinstance(e.func, gast.Name)):
            return False
        k = _SHAPED_BY_ARG.get(e.func.id)
        return k is not None and len(e.args) > k and _same_expr(e.args[k], v)

    def apply(self):
        edges = [(d, s) for (_, _, _, e, d) in self.rewrites for s in alias_sources(e)]
        nodes = NodesByType(self.fdef)
        aliases = Aliases(self.fdef, edges, nodes)
        bad = mutated_in_place(self.fdef, nodes) | foreign(self.fdef, nodes)
        ret = self.fdef.body[-1] if self.fdef.body else None
        returned = loads(ret) if isinstance(ret, gast.Return) else set()
        drop = {}
        for stmts, i, j, e, d in self.rewrites:
            scalar = self.scalars is not None and self.scalars.is_scalar(e)
            if not scalar and (
                aliases.touches({d} | alias_sources(e), bad)
                or sum(aliases.touches({r}, {d}) for r in returned) > 1
            ):
                continue  # would share an array it must not
            stmts[j].value = e
            drop.setdefault(id(stmts), (stmts, set()))[1].add(i)
        for stmts, idx in drop.values():
            stmts[:] = [s for k, s in enumerate(stmts) if k not in idx]
        return bool(drop)


def accumulate_into_zeros(fdef, scalars=None, protected=()):
    """Rewrite first accumulations into fresh zero adjoints; returns whether any changed.

    ``protected``: user variables; they keep their shape when reassigned (a documented
    limit), so ``zeros_like(v)`` may be merged past a reassignment of such a ``v``."""
    acc = _Accumulate(fdef, scalars, set(protected))
    acc.find(fdef.body)
    return acc.apply()
