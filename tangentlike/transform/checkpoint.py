"""Binomial checkpointing of one long loop: ``tl.grad(f, checkpoint=s)``.

Mixed into ``ReverseTransform``. The checkpointed loop (the top-level ``for`` marked
``# tl: checkpoint``, else the last top-level ``for``) keeps no per-step tape:

* forward sweep: steps ``0 .. n-2`` run as plain primal code, storing a snapshot of the
  loop-carried state before the steps the schedule picks (``runtime/revolve.py``); the
  last step runs with its tape, as in an ordinary forward sweep, so the code after the
  loop and its adjoint are unchanged;
* reverse sweep: the adjoint of the last step, then a loop over the schedule's actions:
  restore a snapshot, re-run steps without a tape, store snapshots, and "turn" a step:
  run it with its tape and then its adjoint right away.

A turned step behaves like one iteration of the ordinary taped loop: before it, the
values of taped variables it overwrites are pushed once (what the tape would hold below
that step's own pushes), and they are popped after its adjoint. The tape therefore holds
one step at a time; memory is O(snapshots x state + one step's tape).
"""

import inspect
import re

import gast

from .. import syntax as S
from ..analyze.loop_state import assigned_names, exposed_reads, ordered_loads, statements
from .control_flow import has_break

MARKER = re.compile(r"#\s*tl:\s*checkpoint\b")
REVOLVE = "revolve"  # how generated code names tangentlike.runtime.revolve
SPARE = 8  # entries kept under each step's tape (see _checkpointed_for)


class CheckpointMixin:
    # ================================================================ which loop
    def _checkpoint_loop(self, body):
        P = self.parsed
        loops = [s for s in body if isinstance(s, gast.For)]
        if not loops:
            raise P.error(
                "checkpoint= needs a 'for ... in range(...)' loop at the top level "
                "of the function, and there is none",
                P.node,
                construct="checkpoint",
            )
        lines = _source_lines(P.fn)
        marked = [s for s in loops if _marked(lines, s.lineno)]
        if len(marked) > 1:
            raise P.error(
                "more than one loop is marked '# tl: checkpoint'", marked[1], construct="checkpoint"
            )
        loop = marked[0] if marked else loops[-1]
        if has_break(loop.body):
            raise P.error(
                "the checkpointed loop cannot end early (break or return inside it)",
                loop,
                construct="checkpoint",
            )
        for st in statements(loop.body):
            if id(st) in self.facts.list_ops:
                raise P.error(
                    "the checkpointed loop cannot append to or pop from a list "
                    "(its snapshots hold plain values and arrays)",
                    st,
                    construct="checkpoint",
                )
        return loop

    # ================================================================ code
    def _checkpointed_for(self, s):
        primal = S.deep(s.body)
        fb, bb = self._for_sweeps(s, 1)
        if not bb:  # nothing in the loop needs an adjoint
            return [
                gast.For(target=s.target, iter=s.iter, body=fb, orelse=[], type_comment=None)
            ], []
        facts, P = self.facts, self.parsed
        k = _Names(self, s)
        undefined = {v for st in statements(s.body) for v in facts.maybe_undefined.get(id(st), ())}
        assigned = assigned_names(s.body)
        state = [v for v in assigned if v in exposed_reads(s.body, {k.t})]
        for v in state:
            if v in undefined:
                raise P.error(
                    f"'{v}' is carried from one step of the checkpointed loop to "
                    "the next but is not defined before the loop; assign it "
                    "before the loop",
                    s,
                    construct="checkpoint",
                )
        pushed = [v for v in assigned if v in self.taped and v not in undefined]
        after = self._body[self._body.index(s) + 1 :]
        inputs = [
            v
            for v in ordered_loads(s.body)
            if v not in assigned and v != k.t and v in assigned_names(after)
        ]
        ckpt = {v: self.namer.fresh(f"_ckpt_{v}") for v in state}
        saved = {v: self.namer.fresh(f"_loop_{v}") for v in inputs}
        in_place = set(facts.stored_into)

        def value(v, src):
            return S.call("copy_value", src) if v in in_place else src

        take = [
            S.stmt(f"{ckpt[v]}.append({'copy_value(%s)' % v if v in in_place else v})")
            for v in state
        ]
        restore = [S.assign(v, value(v, S.expr(f"{ckpt[v]}[-1]"))) for v in state]
        free = [S.stmt(f"{ckpt[v]}.pop()") for v in state]
        push = [x for v in pushed for x in self.tape.push(v)]
        pop = [S.stmt(f"{self.tape.stack(v)}.pop()") for v in pushed]

        def taped_step():
            return push + _no_continue(fb)

        def adjoint():
            return S.deep([self._comment_stmt(f"reverse sweep of step {k.t}")] + bb + pop)

        line = P.source_line(s) or f"for {k.t} in range(...):"
        names = ", ".join(state) if state else "nothing"
        count = self.checkpoint
        snaps = (
            S.const(count)
            if count != "auto"
            else S.call(f"{REVOLVE}.default_snapshots", S.name(k.steps))
        )
        # ---------------------------------------------------------------- forward
        most = (
            f"at most {count} snapshots of {names}"
            if count != "auto"
            else f"snapshots of {names}, as many as chosen at run time"
        )
        fwd = [self._comment_stmt(f"checkpointed loop (binomial schedule, {most}): {line}")]
        fwd += k.setup()
        fwd += [S.assign(k.sched, S.call(f"{REVOLVE}.new", S.name(k.steps), snaps))]
        fwd += [S.assign(ckpt[v], gast.List(elts=[], ctx=gast.Load())) for v in state]
        fwd.append(S.assign(k.next, S.call(f"{REVOLVE}.first_snapshot", S.name(k.sched))))
        store = gast.If(
            test=_eq(S.name(k.index), S.name(k.next)),
            body=S.deep(take)
            + [S.assign(k.next, S.call(f"{REVOLVE}.stored", S.name(k.sched), S.name(k.index)))],
            orelse=[],
        )
        fwd += k.loop(S.const(0), _minus1(k.steps), [store] + S.deep(primal))
        last = (
            [self._comment_stmt("the last step runs with its tape")]
            + k.at(_minus1(k.steps))
            + S.deep(taped_step())
        )
        fwd.append(gast.If(test=_positive(k.steps), body=last, orelse=[]))
        fwd += [S.assign(saved[v], value(v, S.name(v))) for v in inputs]
        # ---------------------------------------------------------------- reverse
        bwd = [S.assign(v, value(v, S.name(saved[v]))) for v in inputs]
        bwd.append(
            gast.If(test=_positive(k.steps), body=k.at(_minus1(k.steps)) + adjoint(), orelse=[])
        )
        act = S.name(k.action)
        chain = [gast.Break()]
        for code, body in reversed(
            [
                (
                    "ADVANCE",
                    [self._comment_stmt(f"steps {k.lo} .. {k.hi} - 1 again, without a tape")]
                    + k.loop(S.name(k.lo), S.name(k.hi), S.deep(primal)),
                ),
                ("SNAPSHOT", take),
                ("RESTORE", [self._comment_stmt(f"the state before step {k.lo}")] + restore),
                ("FREE", free),
                (
                    "TURN",
                    [self._comment_stmt(f"step {k.lo} again with its tape, then its adjoint")]
                    + k.at(S.name(k.lo))
                    + S.deep(taped_step())
                    + adjoint(),
                ),
            ]
        ):
            chain = [
                gast.If(test=_eq(act, S.expr(f"{REVOLVE}.{code}")), body=S.deep(body), orelse=chain)
            ]
        step_action = S.assign(
            gast.Tuple(elts=[S.store(k.action), S.store(k.lo), S.store(k.hi)], ctx=gast.Store()),
            S.call(f"{REVOLVE}.next_action", S.name(k.sched)),
        )
        # Numba shrinks a list that gets nearly empty and regrows it on the next push:
        # spare entries under each step's tape avoid two reallocations per step
        stacks = [(self.tape.stack(v), v) for v in pushed]
        if self.tape.flow is not None:
            stacks.append((self.tape.flow, "0"))
        pad = self.namer.fresh("_spare")
        if stacks:
            bwd.append(
                self._comment_stmt(
                    "spare entries: a nearly empty list is reallocated on every push"
                )
            )
            bwd.append(_repeat(pad, SPARE, [S.stmt(f"{st}.append({v})") for st, v in stacks]))
        bwd.append(self._comment_stmt("the other steps, last to first, as the schedule says"))
        bwd.append(gast.While(test=S.const(True), body=[step_action] + chain, orelse=[]))
        if stacks:
            bwd.append(_repeat(pad, SPARE, [S.stmt(f"{st}.pop()") for st, _ in stacks]))
        self.uses_revolve = True
        return fwd, [self._comment_stmt(f"reverse sweep of the checkpointed loop: {line}")] + bwd

    def _checkpoint_clobbers(self, outs):
        """Outputs the checkpointed reverse sweep changes (it re-runs the loop): the
        result is read before the reverse sweep, copied if the loop writes into it."""
        if self.checkpointed is None:
            return {}
        assigned = assigned_names(self.checkpointed.body)
        return {o: o in self.facts.stored_into for o in outs if o in assigned}


class _Names:
    """Generated names and index arithmetic for the checkpointed loop ``range(...)``."""

    def __init__(self, tr, s):
        fresh = tr.namer.fresh
        self.t = s.target.id
        args = list(s.iter.args)
        self.start, self.stop, self.stride = (
            (S.const(0), args[0], S.const(1))
            if len(args) == 1
            else (args[0], args[1], args[2] if len(args) == 3 else S.const(1))
        )
        self.simple = _int(self.start) == 0 and _int(self.stride) == 1
        self.pre = []
        if not self.simple:  # freeze start and stride: t = start + k*stride
            for attr, base in (("start", "_first"), ("stride", "_stride")):
                e = getattr(self, attr)
                if _int(e) is None:
                    n = fresh(base)
                    self.pre.append(S.assign(n, e))
                    setattr(self, attr, S.name(n))
        self.steps = fresh("_steps")
        self.sched = fresh("_schedule")
        self.next = fresh("_next_snapshot")
        self.action, self.lo, self.hi = fresh("_action"), fresh("_from"), fresh("_to")
        self.index = self.t if self.simple else fresh("_step")

    def setup(self):
        rng = (
            S.call("range", S.deep(self.stop))
            if self.simple
            else S.call("range", S.deep(self.start), S.deep(self.stop), S.deep(self.stride))
        )
        return self.pre + [S.assign(self.steps, S.call("len", rng))]

    def at(self, index):
        """``t = <the loop value of step index>``."""
        if self.simple:
            return [S.assign(self.t, index)]
        return [S.assign(self.t, _affine(self.start, index, self.stride))]

    def loop(self, lo, hi, body):
        """Run steps lo .. hi-1 of the loop."""
        rng = S.call("range", hi) if _int(lo) == 0 else S.call("range", lo, hi)
        if self.simple:
            return [
                gast.For(target=S.store(self.t), iter=rng, body=body, orelse=[], type_comment=None)
            ]
        return [
            gast.For(
                target=S.store(self.index),
                iter=rng,
                body=self.at(S.name(self.index)) + body,
                orelse=[],
                type_comment=None,
            )
        ]


# ==================================================================== code helpers
def _no_continue(stmts):
    """A copy of one step's code with ``continue`` (last in its block after
    normalization, so a no-op) removed: the step no longer runs inside a loop."""
    out = []
    for s in S.deep(stmts):
        if isinstance(s, gast.Continue):
            s = gast.Pass()
        elif isinstance(s, gast.If):
            s.body = _no_continue(s.body) or [gast.Pass()]
            s.orelse = _no_continue(s.orelse)
        out.append(s)
    return out


def _source_lines(fn):
    try:
        return inspect.getsourcelines(getattr(fn, "__code__", fn))[0]  # not __wrapped__'s
    except (OSError, TypeError):
        return []


def _marked(lines, lineno):
    if lineno is None or lineno > len(lines):
        return False
    if MARKER.search(lines[lineno - 1]):
        return True
    above = lines[lineno - 2].strip() if lineno >= 2 else ""
    return above.startswith("#") and bool(MARKER.search(above))


def _repeat(counter, times, body):
    return gast.For(
        target=S.store(counter),
        iter=S.call("range", S.const(times)),
        body=body,
        orelse=[],
        type_comment=None,
    )


def _int(e):
    if isinstance(e, gast.Constant) and isinstance(e.value, int) and not isinstance(e.value, bool):
        return e.value
    return None


def _eq(a, b):
    return gast.Compare(left=a, ops=[gast.Eq()], comparators=[b])


def _positive(n):
    return gast.Compare(left=S.name(n), ops=[gast.Gt()], comparators=[S.const(0)])


def _minus1(n):
    return gast.BinOp(left=S.name(n), op=gast.Sub(), right=S.const(1))


def _affine(start, index, stride):
    prod = (
        S.deep(index)
        if _int(stride) == 1
        else gast.BinOp(left=S.deep(index), op=gast.Mult(), right=S.deep(stride))
    )
    if _int(start) == 0:
        return prod
    return gast.BinOp(left=S.deep(start), op=gast.Add(), right=prod)
