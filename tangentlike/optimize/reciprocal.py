"""Divisions in adjoints by a value whose reciprocal is at hand (``optimized={"reciprocal"}``).

The adjoints of ``1.0 / r`` and of ``math.sqrt`` divide by the operand or the result
again; when the code has just computed ``t = 1.0 / r``, those divisions become
multiplications (a division costs several multiplications' time on every CPU)::

    _t7 = 1.0 / r                          _t7 = 1.0 / r
    d_r = -(_t7 / r) * _d8       ->        d_r = -(_t7 * _t7) * _d8
    _d7 = d_r / (2.0 * r)                  _d7 = d_r * (0.5 * _t7)

Only statements that assign an adjoint are rewritten (the function's value keeps the
user's exact arithmetic), only while neither ``t`` nor ``r`` has been reassigned, and only
by constants whose reciprocal is exact (powers of two), so an adjoint changes by at most
the rounding of one multiplication.
"""

import math

import gast

from ..trees import walk
from .facts import mutated_in_place
from .simplify import is_adjoint_name


def use_reciprocals(fdef, protected):
    _block(fdef.body, {}, protected, mutated_in_place(fdef))


def _stored(nodes):
    return {
        n.id
        for s in nodes
        for n in walk(s)
        if isinstance(n, gast.Name) and isinstance(n.ctx, gast.Store)
    }


def _block(body, known, protected, mutated):
    """``known``: divisor name -> name holding its reciprocal, valid at the block's start.
    ``mutated``: names whose arrays are changed in place somewhere (never used)."""
    known = dict(known)
    for stmt in body:
        if isinstance(stmt, (gast.For, gast.While)):
            inner = _stored([stmt])
            valid = {y: t for y, t in known.items() if y not in inner and t not in inner}
            _block(stmt.body, valid, protected, mutated)
            _block(stmt.orelse, valid, protected, mutated)
        elif isinstance(stmt, gast.If):
            _block(stmt.body, known, protected, mutated)
            _block(stmt.orelse, known, protected, mutated)
        elif (
            isinstance(stmt, gast.Assign)
            and len(stmt.targets) == 1
            and isinstance(stmt.targets[0], gast.Name)
        ):
            target = stmt.targets[0].id
            if is_adjoint_name(target, protected):
                stmt.value = _rewrite(stmt.value, known)
        gone = _stored([stmt])
        known = {y: t for y, t in known.items() if y not in gone and t not in gone}
        divisor = _reciprocal_of(stmt)
        if divisor is not None and divisor not in mutated and stmt.targets[0].id not in mutated:
            known[divisor] = stmt.targets[0].id


def _reciprocal_of(stmt):
    """``y`` for ``t = 1.0 / y`` (``t`` and ``y`` names, ``t`` not ``y``)."""
    if (
        isinstance(stmt, gast.Assign)
        and len(stmt.targets) == 1
        and isinstance(stmt.targets[0], gast.Name)
    ):
        v = stmt.value
        if (
            isinstance(v, gast.BinOp)
            and isinstance(v.op, gast.Div)
            and isinstance(v.left, gast.Constant)
            and v.left.value == 1.0
            and not isinstance(v.left.value, bool)
            and isinstance(v.right, gast.Name)
            and v.right.id != stmt.targets[0].id
        ):
            return v.right.id
    return None


def _exact_inverse(c):
    """``1 / c`` when it is exact (``c`` a power of two), else None."""
    if isinstance(c, gast.Constant) and isinstance(c.value, float) and c.value > 0.0:
        m, _ = math.frexp(c.value)
        if m == 0.5:
            return 1.0 / c.value
    return None


def _name(n, ctx=gast.Load):
    return gast.Name(n, ctx(), None, None)


def _rewrite(e, known):
    for field in ("left", "right", "operand", "body", "orelse", "test"):
        child = getattr(e, field, None)
        if isinstance(child, gast.expr):
            setattr(e, field, _rewrite(child, known))
    if isinstance(e, gast.Call):
        e.args = [_rewrite(a, known) for a in e.args]
    if not (isinstance(e, gast.BinOp) and isinstance(e.op, gast.Div)):
        return e
    d = e.right
    if isinstance(d, gast.Name) and d.id in known:
        return gast.BinOp(e.left, gast.Mult(), _name(known[d.id]))
    if (
        isinstance(d, gast.BinOp)
        and isinstance(d.op, gast.Mult)
        and isinstance(d.right, gast.Name)
        and d.right.id in known
    ):
        inv = _exact_inverse(d.left)
        if inv is not None:
            scaled = gast.BinOp(gast.Constant(inv, None), gast.Mult(), _name(known[d.right.id]))
            return gast.BinOp(e.left, gast.Mult(), scaled)
    return e
