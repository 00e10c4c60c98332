"""Dead-store elimination on generated code.

A backward liveness pass over the structured code (loops iterate to a fixed point)
removes assignments that nothing reads later: adjoint resets after a variable's last
use, unused recomputations, seeds of outputs that do not depend on the inputs, and
primal work whose value is not needed (the forward sweep of a gradient that does not
return the function's value). Generated names go when their value has no side effect
but tape pushes and pops; user variables only when every call in their value is known
to be pure (``math``/``np`` functions, arithmetic, array reads). Loops and branches left
empty go too (when their counter is not read afterwards).
"""

import gast

from ..syntax import COMMENT_PREFIX
from ..trees import walk
from .facts import loads, pure as _strictly_pure

_IMPURE_METHODS = {"pop", "append"}


def _pure(expr):
    for n in walk(expr):
        if (
            isinstance(n, gast.Call)
            and isinstance(n.func, gast.Attribute)
            and n.func.attr in _IMPURE_METHODS
        ):
            return False
    return True


class _DeadStores:
    def __init__(self, protected):
        self.protected = protected
        self.memo = {}  # id(node) -> (node, names it reads)
        self.growth = 0  # nodes added minus nodes removed by this round
        self.loops = {}  # id(loop) -> (loop, live-out, its fixed point)

    def _loads(self, node):
        """Names ``node`` reads. Only whole statements are removed here, so the parts
        of a statement still in the function read what they read the first time."""
        hit = self.memo.get(id(node))
        if hit is not None and hit[0] is node:
            return hit[1]
        out = loads(node)
        self.memo[id(node)] = (node, out)
        return out

    def _drop(self, s):
        self.growth -= sum(1 for _ in walk(s))

    def _pass(self):
        self.growth += 1
        return [gast.Pass()]

    def removable(self, s, live):
        if not (isinstance(s, gast.Assign) and len(s.targets) == 1):
            return False
        t = s.targets[0]
        names = (
            [t.id]
            if isinstance(t, gast.Name)
            else (
                [e.id for e in t.elts]
                if isinstance(t, gast.Tuple) and all(isinstance(e, gast.Name) for e in t.elts)
                else None
            )
        )
        if not names:
            return False
        if any(n in live for n in names):
            return False
        if any(n in self.protected for n in names):
            return _strictly_pure(s.value)
        return _pure(s.value)

    def empty_loop(self, s, live):
        """A ``for`` over ``range`` (or an ``if``) with nothing left in it."""
        if isinstance(s, gast.For):
            return (
                _empty(s.body)
                and not s.orelse
                and isinstance(s.target, gast.Name)
                and s.target.id not in live
                and _strictly_pure(s.iter)
            )
        if isinstance(s, gast.If):
            return _empty(s.body) and _empty(s.orelse) and _strictly_pure(s.test)
        return False

    def block(self, stmts, live, prune):
        """Live-in of ``stmts`` given live-out ``live``; drops dead stores if ``prune``."""
        out = []
        live = set(live)
        for s in reversed(stmts):
            if self.removable(s, live):
                if prune:
                    self._drop(s)
                    continue
                out.append(s)
                continue
            live_before = live
            live = self.stmt(s, live, prune)
            if prune and self.empty_loop(s, live_before):
                live = live_before
                self._drop(s)
                continue
            out.append(s)
        if prune:
            stmts[:] = list(reversed(out))
        return live

    def stmt(self, s, live, prune):
        if isinstance(s, gast.Assign):
            t = s.targets[0]
            if isinstance(t, gast.Name):
                live = live - {t.id}
            elif isinstance(t, gast.Tuple):
                live = live - {e.id for e in t.elts if isinstance(e, gast.Name)}
            else:
                live = live | self._loads(t)
            return live | self._loads(s.value)
        if isinstance(s, gast.AugAssign):
            return (
                live
                | self._loads(s.target)
                | self._loads(s.value)
                | {n.id for n in walk(s.target) if isinstance(n, gast.Name)}
            )
        if isinstance(s, gast.If):
            lb = self.block(s.body, live, prune)
            le = self.block(s.orelse, live, prune)
            if prune and not s.body:
                s.body = self._pass()
            return lb | le | self._loads(s.test)
        if isinstance(s, (gast.For, gast.While)):
            head = self._loads(s.iter) if isinstance(s, gast.For) else self._loads(s.test)
            # a for loop assigns its counter before each pass over the body
            counter = (
                {n.id for n in walk(s.target) if isinstance(n, gast.Name)}
                if isinstance(s, gast.For)
                else set()
            )
            # warm start: liveness is monotone, so the fixed point for a smaller live-out
            # is below this one; iterating up from it reaches the same least fixed point,
            # in one pass instead of one per level of nesting (which made nested loops
            # cost 2^depth)
            prev = self.loops.get(id(s))
            loop_live = set(live)
            if prev is not None and prev[0] is s and prev[1] <= loop_live:
                loop_live |= prev[2]
            while True:
                inner = self.block(list(s.body), loop_live, False)
                new = live | (inner - counter) | (head if isinstance(s, gast.While) else set())
                if new <= loop_live:
                    break
                loop_live |= new
            self.loops[id(s)] = (s, frozenset(live), frozenset(loop_live))
            if prune:  # (else the fixed point is all we need)
                self.block(s.body, loop_live, True)
                if not s.body:
                    s.body = self._pass()
            return loop_live | head
        if isinstance(s, gast.Return):
            return self._loads(s) if s.value is not None else set()
        return live | self._loads(s)


def _empty(stmts):
    return all(isinstance(s, gast.Pass) or _is_comment(s) for s in stmts)


def remove_dead_stores(fdef, protected):
    """Repeat until nothing changes: a loop emptied by one round frees its counter."""
    dce = _DeadStores(set(protected))
    dce.block(fdef.body, set(), True)
    while True:  # until a round leaves the function's size as it was
        dce.growth = 0
        dce.loops = {}
        dce.block(fdef.body, set(), True)
        if dce.growth == 0:
            return fdef


def _is_comment(s):
    return (
        isinstance(s, gast.Expr)
        and isinstance(s.value, gast.Constant)
        and isinstance(s.value.value, str)
        and s.value.value.startswith(COMMENT_PREFIX)
    )


def drop_orphan_comments(stmts):
    """Remove source-line comments whose adjoint code was optimized away entirely."""
    out = []
    for k, s in enumerate(stmts):
        for field in ("body", "orelse"):
            sub = getattr(s, field, None)
            if isinstance(sub, list) and sub:
                setattr(
                    s,
                    field,
                    drop_orphan_comments(sub) or ([gast.Pass()] if field == "body" else []),
                )
        if (
            _is_comment(s)
            and (
                k + 1 == len(stmts)
                or _is_comment(stmts[k + 1])
                or isinstance(stmts[k + 1], gast.Return)
            )
            and "reverse sweep" not in s.value.value
        ):
            continue
        out.append(s)
    return out
