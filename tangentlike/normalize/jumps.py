"""Give ``return``, ``break`` and ``continue`` a structured shape.

Statements after a jump move into the ``else`` branch of the ``if`` that jumps, so a
jump is always the last statement of its block. The forward sweep keeps the jumps; the
reverse sweep ignores them and follows the recorded branches instead. Early returns
become assignments to one result variable and a single ``return`` at the end; a return
inside a loop sets a flag and breaks out of every enclosing loop.

Then a loop body is left only at its end: a ``continue`` inside an ``if`` is dropped and a
``break`` inside an ``if`` sets ``_broke`` (the statements after the jump are already in
branches the jump excludes), and the body ends with ``if _broke: break``. So every branch
of an iteration that runs finishes, and pushes its flag, on every path: the reverse sweep
of an iteration pops exactly what its forward sweep pushed (see "Tape invariants" in
docs/design.md).
"""

import gast

from .. import syntax as S
from ..trees import walk

JUMPS = (gast.Return, gast.Break, gast.Continue)


def structure_jumps(body, parsed, namer):
    state = {"result": None, "returned": None}
    body = _returns_in_loops(body, 0, namer, state)
    body = _structure(body, namer)
    body = _loop_jumps_to_flags(body, namer)
    returns = [n for s in body for n in walk(s) if isinstance(n, gast.Return)]
    if not returns:
        raise parsed.error("the function has no return statement", parsed.node)
    if not (len(returns) == 1 and body and body[-1] is returns[0]):
        result = state["result"] or namer.fresh("_result")
        body = _returns_to_assign(body, result)
        body.append(gast.Return(value=S.name(result)))
    if state["returned"]:
        body.insert(0, S.assign(state["returned"], S.const(False)))
    return body


def _returns_in_loops(body, depth, namer, state):
    """Inside loops: ``return e`` -> ``_result = e; _returned = True; break``."""
    out = []
    for s in body:
        if isinstance(s, gast.Return) and depth > 0:
            if state["result"] is None:
                state["result"] = namer.fresh("_result")
                state["returned"] = namer.fresh("_returned")
            value = s.value if s.value is not None else S.const(None)
            new = [
                S.assign(state["result"], value),
                S.assign(state["returned"], S.const(True)),
                gast.Break(),
            ]
            for n in new:
                n.lineno = getattr(s, "lineno", None)
            out.extend(new)
        elif isinstance(s, gast.If):
            s.body = _returns_in_loops(s.body, depth, namer, state)
            s.orelse = _returns_in_loops(s.orelse, depth, namer, state)
            out.append(s)
        elif isinstance(s, (gast.For, gast.While)):
            had = _contains_return(s.body)
            s.body = _returns_in_loops(s.body, depth + 1, namer, state)
            out.append(s)
            if had:
                exit_ = gast.Break() if depth > 0 else gast.Return(value=S.name(state["result"]))
                guard = gast.If(test=S.name(state["returned"]), body=[exit_], orelse=[])
                guard.lineno = exit_.lineno = getattr(s, "lineno", None)
                out.append(guard)
        else:
            out.append(s)
    return out


def _contains_return(body):
    return any(isinstance(n, gast.Return) for s in body for n in walk(s))


def _may_jump(body):
    """Whether control can leave ``body`` by a jump (looking through ifs, not loops)."""
    for s in body:
        if isinstance(s, JUMPS):
            return True
        if isinstance(s, gast.If) and (_may_jump(s.body) or _may_jump(s.orelse)):
            return True
    return False


def _ends_with_jump(body):
    if not body:
        return False
    last = body[-1]
    if isinstance(last, JUMPS):
        return True
    return isinstance(last, gast.If) and _ends_with_jump(last.body) and _ends_with_jump(last.orelse)


def _set_flag(body, flag):
    out = []
    for s in body:
        if isinstance(s, JUMPS):
            out.append(S.assign(flag, S.const(True)))
        elif isinstance(s, gast.If):
            s.body = _set_flag(s.body, flag)
            s.orelse = _set_flag(s.orelse, flag)
        out.append(s)
    return out


def _structure(body, namer):
    out = []
    for k, s in enumerate(body):
        if isinstance(s, JUMPS):
            out.append(s)
            return out  # the rest is unreachable
        if isinstance(s, (gast.For, gast.While)):
            s.body = _structure(s.body, namer)
            out.append(s)
            continue
        if not isinstance(s, gast.If):
            out.append(s)
            continue
        s.body = _structure(s.body, namer) or [gast.Pass()]
        s.orelse = _structure(s.orelse, namer)
        rest = body[k + 1 :]
        jb, je = _may_jump(s.body), _may_jump(s.orelse)
        if not (jb or je) or not rest:
            out.append(s)
            continue
        eb, ee = _ends_with_jump(s.body), _ends_with_jump(s.orelse)
        if eb and ee:
            out.append(s)
            return out
        if eb and not je:
            s.orelse = _structure(s.orelse + rest, namer)
            out.append(s)
            return out
        if ee and not jb:
            s.body = _structure(s.body + rest, namer)
            out.append(s)
            return out
        flag = namer.fresh("_jumped")
        out.append(S.assign(flag, S.const(False)))
        s.body = _set_flag(s.body, flag)
        s.orelse = _set_flag(s.orelse, flag)
        out.append(s)
        out.append(
            gast.If(
                test=gast.UnaryOp(op=gast.Not(), operand=S.name(flag)),
                body=_structure(rest, namer),
                orelse=[],
            )
        )
        return out
    return out


def _returns_to_assign(body, result):
    out = []
    for s in body:
        if isinstance(s, gast.Return):
            value = s.value if s.value is not None else S.const(None)
            if not (isinstance(value, gast.Name) and value.id == result):
                new = S.assign(result, value)
                new.lineno = getattr(s, "lineno", None)
                out.append(new)
        elif isinstance(s, gast.If):
            s.body = _returns_to_assign(s.body, result) or [gast.Pass()]
            s.orelse = _returns_to_assign(s.orelse, result)
            out.append(s)
        else:
            out.append(s)
    return out


def _loop_jumps_to_flags(body, namer):
    """Loops (at any depth) whose ``break``/``continue`` inside an ``if`` become flags."""
    out = []
    for s in body:
        if isinstance(s, gast.If):
            s.body = _loop_jumps_to_flags(s.body, namer)
            s.orelse = _loop_jumps_to_flags(s.orelse, namer)
        elif isinstance(s, (gast.For, gast.While)):
            s.body = _loop_jumps_to_flags(s.body, namer)  # inner loops first
            broke = []
            s.body = _drop_jumps(s.body, False, broke, namer) or [gast.Pass()]
            if broke:
                start = S.assign(broke[0], S.const(False))
                leave = gast.If(test=S.name(broke[0]), body=[gast.Break()], orelse=[])
                start.lineno = leave.lineno = getattr(s, "lineno", None)
                out.append(start)
                s.body.append(leave)
        out.append(s)
    return out


def _drop_jumps(stmts, nested, broke, namer):
    """``stmts`` of one loop body without its jumps nested in ``if``s (not in inner loops)."""
    out = []
    for s in stmts:
        if isinstance(s, gast.Continue) and (nested or s is stmts[-1]):
            continue
        if isinstance(s, gast.Break) and nested:
            if not broke:
                broke.append(namer.fresh("_broke"))
            flag = S.assign(broke[0], S.const(True))
            flag.lineno = getattr(s, "lineno", None)
            out.append(flag)
            continue
        if isinstance(s, gast.If):
            s.body = _drop_jumps(s.body, True, broke, namer) or [gast.Pass()]
            s.orelse = _drop_jumps(s.orelse, True, broke, namer)
        out.append(s)
    return out
