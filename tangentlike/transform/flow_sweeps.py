"""Reverse mode of control flow: a branch's flag (a variable at the top level, a push on
every way out of a nested branch), a loop's trip count, and the loops run backwards.

Functions of the reverse transform's state ``rt`` (``transform/reverse.py``).
"""

import gast

from .. import syntax as S
from .control_flow import has_break, push_on_exit, reverse_range


def if_sweeps(rt, s, depth):
    fb, bb = rt._block(s.body, depth)
    fe, be = rt._block(s.orelse, depth)
    if not (bb or be):
        return [gast.If(test=s.test, body=fb or [gast.Pass()], orelse=fe)], []
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
    return fb, bb


def for_loop(rt, s, depth):
    if s is rt.checkpointed:
        return rt._checkpointed_for(s)
    fb, bb = for_sweeps(rt, s, depth)
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
