"""Control-flow pieces of the reverse sweep: running a range loop backwards and
recording a branch flag on every way out of a branch."""

import gast

from .. import syntax as S


def has_break(stmts):
    for s in stmts:
        if isinstance(s, gast.Break):
            return True
        if isinstance(s, gast.If) and (has_break(s.body) or has_break(s.orelse)):
            return True
    return False


def push_on_exit(block, make):
    """``block`` with the statements ``make()`` run on every exit: before each jump
    (not inside nested loops) and at the end when control can fall through."""

    def visit(stmts):
        out = []
        for st in stmts:
            if isinstance(st, (gast.Break, gast.Continue, gast.Return)):
                out += make() + [st]
                return out, True
            if isinstance(st, gast.If):
                st.body, jb = visit(st.body)
                st.orelse, je = visit(st.orelse)
            out.append(st)
        return out, False

    out, ended = visit(list(block))
    if not _always_jumps(out):
        out += make()
    return out


def _always_jumps(stmts):
    if not stmts:
        return False
    last = stmts[-1]
    if isinstance(last, (gast.Break, gast.Continue, gast.Return)):
        return True
    return isinstance(last, gast.If) and _always_jumps(last.body) and _always_jumps(last.orelse)


def _int_const(e):
    if isinstance(e, gast.Constant) and isinstance(e.value, int):
        return e.value
    if (
        isinstance(e, gast.UnaryOp)
        and isinstance(e.op, gast.USub)
        and isinstance(e.operand, gast.Constant)
    ):
        return -e.operand.value
    return None


def _add(a, b):
    ca, cb = _int_const(a), _int_const(b)
    if ca is not None and cb is not None:
        return S.const(ca + cb)
    if cb == 0:
        return S.deep(a)
    if ca == 0:
        return S.deep(b)
    if cb is not None and cb < 0:
        return gast.BinOp(left=S.deep(a), op=gast.Sub(), right=S.const(-cb))
    return gast.BinOp(left=S.deep(a), op=gast.Add(), right=S.deep(b))


def _mul(a, b):
    ca, cb = _int_const(a), _int_const(b)
    if ca is not None and cb is not None:
        return S.const(ca * cb)
    if cb == 1:
        return S.deep(a)
    if ca == 1:
        return S.deep(b)
    return gast.BinOp(left=S.deep(a), op=gast.Mult(), right=S.deep(b))


def _neg(a):
    c = _int_const(a)
    return S.const(-c) if c is not None else gast.UnaryOp(op=gast.USub(), operand=S.deep(a))


def reverse_range(start, stop, step, count):
    """range() visiting the iterations of range(start, stop, step) backwards.

    With ``count`` (iterations actually run, when the loop may break) the first
    ``count`` iterations are visited; otherwise all of them.
    """
    st = _int_const(step)
    if count is None and st == 1:
        # range(a, b) backwards: range(b - 1, a - 1, -1)
        return S.call("range", _add(stop, S.const(-1)), _add(start, S.const(-1)), S.const(-1))
    n = (
        count
        if count is not None
        else S.call("len", S.call("range", S.deep(start), S.deep(stop), S.deep(step)))
    )
    first = _add(start, _mul(_add(n, S.const(-1)), step))
    return S.call("range", first, _add(start, _neg(step)), _neg(step))
