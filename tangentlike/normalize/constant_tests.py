"""Branches on compile-time constants are decided here, not in the generated code.

Numba freezes numbers bound to globals and prunes branches whose test is a constant
(``if DEBUG:``, ``if N > 3:``, ``if 1.0 > 2.0:``) before it types the code. In a derivative
that would prune the forward branch (its tape pushes, the values it defines) but keep the
reverse branch that reads them, so a tape list is never appended to or a value is read that
only the pruned branch defined. Deciding such a branch at normalization removes it from
both sweeps: the taken block replaces the ``if``, a ``while`` on a false constant goes.
A constant test is built from literals and names the function never assigns that are bound
to numbers, booleans or None in its globals (the values the derivative is generated for;
the generation cache keys on them).
"""

import operator

import gast

from ..trees import walk

_COMPARE = {
    gast.Eq: operator.eq,
    gast.NotEq: operator.ne,
    gast.Lt: operator.lt,
    gast.LtE: operator.le,
    gast.Gt: operator.gt,
    gast.GtE: operator.ge,
    gast.Is: operator.is_,
    gast.IsNot: operator.is_not,
}
_BINOP = {
    gast.Add: operator.add,
    gast.Sub: operator.sub,
    gast.Mult: operator.mul,
    gast.Div: operator.truediv,
    gast.FloorDiv: operator.floordiv,
    gast.Mod: operator.mod,
    gast.Pow: operator.pow,
}
_UNKNOWN = object()


def fold_constant_tests(body, parsed):
    fdef = parsed.node
    local = {a.id for a in fdef.args.args}
    for s in body:
        for n in walk(s):
            if isinstance(n, gast.Name) and not isinstance(n.ctx, gast.Load):
                local.add(n.id)
    return _fold(body, parsed.namespace, local)


def _fold(stmts, namespace, local):
    out = []
    for s in stmts:
        if isinstance(s, gast.If):
            value = _value(s.test, namespace, local)
            if value is not _UNKNOWN:
                out += _fold(s.body if value else s.orelse, namespace, local)
                continue
            s.body = _fold(s.body, namespace, local) or [gast.Pass()]
            s.orelse = _fold(s.orelse, namespace, local)
        elif isinstance(s, gast.While):
            value = _value(s.test, namespace, local)
            if value is not _UNKNOWN and not value:
                continue
            s.body = _fold(s.body, namespace, local) or [gast.Pass()]
        elif isinstance(s, gast.For):
            s.body = _fold(s.body, namespace, local) or [gast.Pass()]
        out.append(s)
    return out


def _value(e, namespace, local):
    """The value of ``e`` if it is a compile-time constant, else ``_UNKNOWN``."""
    try:
        return _eval(e, namespace, local)
    except (ArithmeticError, TypeError, ValueError):
        return _UNKNOWN


def _eval(e, ns, local):
    if isinstance(e, gast.Constant):
        return e.value if isinstance(e.value, (bool, int, float, type(None))) else _UNKNOWN
    if isinstance(e, gast.Name):
        if e.id in local or e.id not in ns:
            return _UNKNOWN
        v = ns[e.id]
        return v if isinstance(v, (bool, int, float, type(None))) else _UNKNOWN
    if isinstance(e, gast.UnaryOp):
        v = _eval(e.operand, ns, local)
        if v is _UNKNOWN:
            return v
        ops = {gast.Not: operator.not_, gast.USub: operator.neg, gast.UAdd: operator.pos}
        return ops[type(e.op)](v) if type(e.op) in ops else _UNKNOWN
    if isinstance(e, gast.BinOp) and type(e.op) in _BINOP:
        a, b = _eval(e.left, ns, local), _eval(e.right, ns, local)
        return _UNKNOWN if _UNKNOWN in (a, b) else _BINOP[type(e.op)](a, b)
    if isinstance(e, gast.Compare) and all(type(op) in _COMPARE for op in e.ops):
        left = _eval(e.left, ns, local)
        if left is _UNKNOWN:
            return left
        for op, right in zip(e.ops, e.comparators):
            right = _eval(right, ns, local)
            if right is _UNKNOWN:
                return right
            if not _COMPARE[type(op)](left, right):
                return False
            left = right
        return True
    if isinstance(e, gast.BoolOp):
        values = [_eval(v, ns, local) for v in e.values]
        if _UNKNOWN in values:
            return _UNKNOWN
        return all(values) if isinstance(e.op, gast.And) else any(values)
    return _UNKNOWN
