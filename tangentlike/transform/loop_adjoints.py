"""Adjoints of loop-local variables start inside the reverse iteration.

An adjoint normally lives as long as its variable: it is made with ``zeros_like`` where
the variable is first assigned (the forward sweep) or at the top of the reverse sweep,
and the adjoint of each assignment that overwrites the variable zeroes it again. For a
variable that is local to a loop (``analyze/loop_locals.py``: every iteration assigns it
first, nothing outside the loop mentions it) each reverse iteration needs its own zero
adjoint and nothing else, so

* the forward sweep makes no adjoint for it;
* the reversed loop body starts with ``d_v = zeros_like(v)`` (``v`` keeps its shape in
  a loop, see docs/design.md, Known limits), which the ``accumulate`` pass merges into
  the first contribution when that is an unconditional ``d_v = d_v + unbroadcast(e, v)``
  (no allocation left at all);
* the adjoint of the first assignment does not zero it again (it is dead after).

For RK4 with array stages (``k1 = rhs(y)``, ...) that is four zero arrays per step in
the forward sweep, four in the reverse sweep and four sums gone.
"""

from .. import syntax as S
from ..analyze.loop_locals import loop_locals

# switch off to generate what the transform made before (benchmarks compare both)
ENABLED = True


def find(rt, body):
    """Fill ``rt.loop_local`` (``{id(loop): names}``) and ``rt.loop_kills`` (``{id(first
    assignment): names}``) with the loop-local variables that get this treatment."""
    rt.loop_local, rt.loop_kills, rt.loop_local_names = {}, {}, set()
    if not ENABLED:
        return
    facts = rt.facts
    excluded = set(rt.args) | rt._outs | rt.remat_vars | facts.shape_varying
    excluded |= {name for name, _, _ in facts.list_ops.values()}
    for group in rt.permutations.values():
        excluded |= set(group.temps) | set(group.sources) | set(group.targets)
    for loop_id, kills in loop_locals(body).items():
        names = {v for v in kills if v in facts.active and v in facts.locals and v not in excluded}
        if not names:
            continue
        rt.loop_local[loop_id] = names
        rt.loop_local_names |= names
        for v in names:
            rt.loop_kills.setdefault(id(kills[v]), set()).add(v)


def starts(rt, loop):
    """The fresh zero adjoints at the top of ``loop``'s reversed body."""
    return [
        S.assign(rt.adj(v), S.call("zeros_like", S.name(v)))
        for v in sorted(rt.loop_local.get(id(loop), ()))
    ]


def kills(rt, s):
    """Names whose adjoint the assignment ``s`` need not zero again."""
    return rt.loop_kills.get(id(s), ())
