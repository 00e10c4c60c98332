"""Reverse mode of assignments: the forward sweep's pushes and adjoint starts, and the
reverse sweep's restores and adjoints of ``v = e``, ``x[i] = e`` and ``a, b = e1, e2``.

Functions of the reverse transform's state ``rt`` (``transform/reverse.py``): its facts,
adjoint names, tape, namer and the taped / item-taped / recomputed sets.
"""

import gast

from .. import syntax as S
from ..analyze.dataflow import targets_of
from .loop_adjoints import kills
from .reads import loads, rename
from .statement_adjoint import StatementAdjoint, takes_wide_seed

ROOT = "__tl_root__"


def assign_forward(rt, s):
    facts = rt.facts
    target = s.targets[0]
    out = []
    if isinstance(target, gast.Subscript):
        v = targets_of(s)[0]
        if v in rt.item_taped:
            out += rt.tape.push_item(v, target)
        return out + [s]
    out.append(s)
    group = rt.permutations.get(id(s))
    maybe_undef = facts.maybe_undefined.get(id(s), set())
    for v in targets_of(s):
        if v in rt.taped:
            out += rt.tape.push(v)
    for v in targets_of(s):
        # adjoints of variables that may not exist at the end start here; the others
        # start at the top of the reverse sweep, shaped like their final value
        if (
            v in facts.active
            and v in maybe_undef
            and v not in facts.defined_at_end
            and v not in rt.remat_vars
            and v not in rt.loop_local_names
            and not (group is not None and v in group.temps)
        ):
            out.append(S.assign(rt.adj(v), S.call("zeros_like", S.name(v))))
    return out


def statement_adjoint(rt, root_value=None):
    return StatementAdjoint(
        rt.facts.active, rt.adj, rt.namer, rt.callee_vjp, root_value, rt.parsed.error
    )


def assign_adjoint(rt, s):
    target = s.targets[0]
    if isinstance(target, gast.Subscript):
        return store_adjoint(rt, s, target)
    if isinstance(target, gast.Tuple):
        return tuple_adjoint(rt, s, target)
    if id(s) in rt.permutations:
        return permutation_adjoint(rt, s, target.id)
    return name_adjoint(rt, s, target.id)


def permutation_adjoint(rt, s, v):
    """One copy of a desugared ``a, b = b, a`` (``permutations.py``): the temporaries
    get no adjoint; the last copy (the first reached by the reverse sweep) moves the
    adjoints back to the names that held the values, the others only restore."""
    group = rt.permutations[id(s)]
    if id(s) in group.first_ids:
        return []
    out = []
    if id(s) == group.last_id:
        moved = [rt.namer.numbered("_swap") for _ in group.targets]
        out += [S.assign(m, S.name(rt.adj(t))) for m, t in zip(moved, group.targets)]
        out += [S.assign(rt.adj(src), S.name(m)) for src, m in zip(group.sources, moved)]
    return out + restore(rt, s, v)


def restore(rt, s, v):
    if v not in rt.taped:
        return []
    first = v in rt.facts.maybe_undefined.get(id(s), set())
    if rt._depth == 0 and v in rt.facts.never_defined.get(id(s), set()):
        return rt.tape.discard(v)  # the first value of v: nothing older to restore
    return rt.tape.restore(v, guarded=first)


def reset(rt, v):
    return [S.assign(rt.adj(v), S.call("zeros_like", S.name(v)))]


def hoistable(rt, s):
    return rt._depth == 0 and isinstance(s.targets[0], gast.Name)


def name_adjoint(rt, s, v):
    facts = rt.facts
    tree = facts.trees[id(s)]
    active_v = v in facts.active
    sa = statement_adjoint(rt, S.name(ROOT))
    self_ref = active_v and v in tree.var_leaves()
    recompute, adjoint = [], []
    head = []
    if active_v and sa.is_active(tree):
        g = S.name(rt.adj(v))
        if self_ref:
            gname = rt.namer.numbered("_g")
            head.append(S.assign(gname, S.name(rt.adj(v))))
            g = S.name(gname)
        recompute, adjoint = sa.run(tree, g)
    if recompute and hoistable(rt, s):
        mapping = {}
        stack = [tree]
        while stack:
            node = stack.pop()
            val = sa._values.get(id(node))
            if node is not tree and isinstance(val, gast.Name) and val.id.startswith("_t"):
                mapping[id(node.ast)] = val
            stack.extend(node.children())
        rt._hoisted = (recompute, mapping)
        recompute = []
    body = recompute + adjoint
    capture = []
    if ROOT in loads(body):
        if v in rt.taped:
            t = rt.namer.numbered("_t")
            capture.append(S.assign(t, S.name(v)))
            rename(body, ROOT, t)
        else:
            rename(body, ROOT, v)
    out = capture + head + restore(rt, s, v)
    # a loop-local variable's first assignment: its adjoint is dead after this
    overwritten = facts.overwritten(v) and v not in rt.remat_vars and v not in kills(rt, s)
    if active_v and overwritten and (self_ref or body):
        if self_ref:
            out += reset(rt, v) + body
        else:
            out += body + reset(rt, v)
    elif active_v and overwritten:
        out += reset(rt, v)
    else:
        out += body
    return out


def store_adjoint(rt, s, target):
    facts = rt.facts
    v = targets_of(s)[0]
    tree = facts.trees[id(s)]
    out = []
    gname = None
    if v in facts.active:
        gname = rt.namer.numbered("_g")
        slot = S.as_load(target)
        slot.value = adjoint_base(rt, slot.value, v)
        out.append(S.assign(gname, S.call("copy_value", slot)))
        zero_slot = S.as_store(target)
        zero_slot.value = adjoint_base(rt, S.as_load(target).value, v)
        out.append(S.assign(zero_slot, S.const(0.0)))
    if v in rt.item_taped:
        out += rt.tape.restore_item(v, target)
    if gname is not None:
        sa = statement_adjoint(rt)
        if sa.is_active(tree):
            # the value may be broadcast into the slot (a number into a row, a row
            # into a block): its adjoint is the slot's, reduced to the value's shape
            g = S.name(gname)
            if not takes_wide_seed(tree):
                g = S.call("unbroadcast", g, S.deep(sa.value(tree)))
            recompute, adjoint = sa.run(tree, g)
            out += recompute + adjoint
    return out


def adjoint_base(rt, base, v):
    """``x[i][j]`` -> ``d_x[i][j]``: the same subscripts on the adjoint array."""
    if isinstance(base, gast.Name):
        return S.name(rt.adj(v))
    base = S.deep(base)
    inner = base
    while isinstance(inner.value, gast.Subscript):
        inner = inner.value
    inner.value = S.name(rt.adj(v))
    return base


def tuple_adjoint(rt, s, target):
    facts = rt.facts
    names = [e.id for e in target.elts]
    tree = facts.trees[id(s)]
    sa = statement_adjoint(rt)
    live = any(n in facts.active for n in names) and sa.is_active(tree)
    out, seeds = [], []
    if live:
        for n in names:
            g = rt.namer.numbered("_g")
            src = S.name(rt.adj(n)) if n in facts.active else S.call("zeros_like", S.name(n))
            out.append(S.assign(g, src))
            seeds.append(S.name(g))
    for n in names:
        out += restore(rt, s, n)
    for n in names:
        if n in facts.active and facts.overwritten(n) and n not in kills(rt, s):
            out += reset(rt, n)
    if live:
        recompute, adjoint = sa.run(tree, gast.Tuple(elts=seeds, ctx=gast.Load()))
        out += recompute + adjoint
    return out
