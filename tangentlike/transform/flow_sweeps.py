"""Reverse mode of control flow: a branch's flag (a variable at the top level, a push on
every way out of a nested branch), a loop's trip count, and the loops run backwards.

Functions of the reverse transform's state ``rt`` (``transform/reverse.py``).
"""

import gast

from .. import syntax as S
from . import loop_adjoints
from .control_flow import has_break, push_on_exit, reverse_range


# what a test the reverse sweep evaluates again may be built from
_PLAIN_TEST = (
    gast.Compare,
    gast.BoolOp,
    gast.UnaryOp,
    gast.BinOp,
    gast.Name,
    gast.Constant,
    gast.cmpop,
    gast.boolop,
    gast.unaryop,
    gast.operator,
    gast.expr_context,
)


def recomputable_test(rt, s):
    """Whether the reverse sweep can evaluate the test of the branch ``s`` again instead
    of popping a flag: it is arithmetic and comparisons of constants, counters of the
    ``for`` loops around it (the reversed loop runs them through the same values; no
    statement or other loop assigns them) and names assigned at most once, outside loops, and never
    changed in place (their value is the same in both sweeps). ``if i > 0:`` in a loop
    over ``i`` then costs no tape. Branches that leave the loop or function keep a flag."""
    facts = rt.facts
    if any(isinstance(n, (gast.Break, gast.Continue, gast.Return)) for n in gast.walk(s)):
        return False
    if rt._for_targets is None:  # how many loops run each name
        rt._for_targets = {}
        for n in gast.walk(gast.Module(body=rt._body, type_ignores=[])):
            if isinstance(n, gast.For) and isinstance(n.target, gast.Name):
                rt._for_targets[n.target.id] = rt._for_targets.get(n.target.id, 0) + 1
    # a counter of one loop only: a loop inside with the same target would change it
    counters = {v for v in rt.loop_counters if rt._for_targets.get(v) == 1}
    for n in gast.walk(s.test):
        if not isinstance(n, _PLAIN_TEST):
            return False
        if isinstance(n, gast.Name):
            v = n.id
            if v in facts.changed_in_place:
                return False
            if v in counters and v not in facts.ndefs:
                continue
            if v in facts.loop_targets or v in facts.defined_in_loop:
                return False
            if facts.ndefs.get(v, 0) > (0 if v in facts.args else 1):
                return False
    return True


def if_sweeps(rt, s, depth):
    fb, bb = rt._block(s.body, depth)
    fe, be = rt._block(s.orelse, depth)
    if not (bb or be):
        return [gast.If(test=s.test, body=fb or [gast.Pass()], orelse=fe)], []
    if depth > 0 and recomputable_test(rt, s):
        fwd = [gast.If(test=s.test, body=fb or [gast.Pass()], orelse=fe)]
        return fwd, [gast.If(test=S.deep(s.test), body=bb or [gast.Pass()], orelse=be)]
    if depth == 0:
        flag = rt.namer.fresh("_branch")
        fwd = [
            S.assign(flag, s.test),
            gast.If(test=S.name(flag), body=fb or [gast.Pass()], orelse=fe),
        ]
        test = S.name(flag)
    else:
        # the flag goes last on every way out of the branch, so that nested flags
        # pushed inside it come off the stack after it in the reverse sweep
        fwd = [
            gast.If(
                test=s.test,
                body=push_on_exit(fb, lambda: rt.tape.push_flow(S.const(1))),
                orelse=push_on_exit(fe, lambda: rt.tape.push_flow(S.const(0))),
            )
        ]
        test = gast.Compare(left=rt.tape.pop_flow(), ops=[gast.Eq()], comparators=[S.const(1)])
    bwd = [gast.If(test=test, body=bb or [gast.Pass()], orelse=be)]
    return fwd, bwd


def counter(rt, depth):
    n = rt.namer.fresh("_iters")
    init = S.assign(n, S.const(0))
    step = S.assign(n, gast.BinOp(left=S.name(n), op=gast.Add(), right=S.const(1)))
    after = rt.tape.push_flow(S.name(n)) if depth > 0 else []
    before_rev = [S.assign(n, rt.tape.pop_flow())] if depth > 0 else []
    return n, init, step, after, before_rev


def for_sweeps(rt, s, depth):
    """Forward and reverse code of one iteration of the ``for`` loop ``s``."""
    fb, bb = rt._block(s.body, depth + 1)
    chunks = rt._chunks
    after = rt.remat_after.get(id(s))
    inits, block = rt._remat_code(s, bb)
    if after:
        # recompute once the reverse sweep has restored the carried state
        head = [x for b in reversed(chunks[after:]) for x in b]
        tail = [x for b in reversed(chunks[:after]) for x in b]
        bb = inits + head + block + tail
    else:
        bb = block + inits + bb
    return fb, loop_adjoints.starts(rt, s) + bb


def for_loop(rt, s, depth):
    if s is rt.checkpointed:
        return rt._checkpointed_for(s)
    rt.loop_counters.append(s.target.id)
    try:
        fb, bb = for_sweeps(rt, s, depth)
    finally:
        rt.loop_counters.pop()
    if not bb:
        return [gast.For(target=s.target, iter=s.iter, body=fb, orelse=[], type_comment=None)], []
    args = list(s.iter.args)
    start, stop, step = (
        (S.const(0), args[0], S.const(1))
        if len(args) == 1
        else (args[0], args[1], args[2] if len(args) == 3 else S.const(1))
    )
    fwd, bwd = [], []
    if has_break(s.body):
        n, init, inc, after, before_rev = counter(rt, depth)
        fwd += [
            init,
            gast.For(target=s.target, iter=s.iter, body=[inc] + fb, orelse=[], type_comment=None),
        ] + after
        count = S.name(n)
        bwd += before_rev
    else:
        fwd.append(gast.For(target=s.target, iter=s.iter, body=fb, orelse=[], type_comment=None))
        count = None
    rev = reverse_range(start, stop, step, count)
    bwd.append(
        gast.For(target=S.store(s.target.id), iter=rev, body=bb, orelse=[], type_comment=None)
    )
    return fwd, bwd


def while_sweeps(rt, s, depth):
    fb, bb = rt._block(s.body, depth + 1)
    if bb:
        bb = loop_adjoints.starts(rt, s) + bb
    if not bb:
        return [gast.While(test=s.test, body=fb, orelse=[])], []
    n, init, inc, after, before_rev = counter(rt, depth)
    fwd = [init, gast.While(test=s.test, body=[inc] + fb, orelse=[])] + after
    k = rt.namer.fresh("_rev")
    bwd = before_rev + [
        gast.For(
            target=S.store(k),
            iter=S.call("range", S.name(n)),
            body=bb,
            orelse=[],
            type_comment=None,
        )
    ]
    return fwd, bwd
