"""Statement-level sugar: augmented, chained and tuple assignments, conditional expressions."""

import gast

from .. import syntax as S
from ..custom import custom_jvp, custom_vjp
from ..parse import parse_function
from ..parse.resolve import is_user_function, resolve_call
from ..trees import Transformer, walk


def _at(new_stmts, old):
    for s in new_stmts:
        for n in walk(s):
            if getattr(n, "lineno", None) is None:
                n.lineno = getattr(old, "lineno", None)
                n.col_offset = getattr(old, "col_offset", 0)
    return new_stmts


def list_names(fdef):
    """Local names assigned a list literal (``xs = []``): Python lists, not arrays."""
    return {
        t.id
        for n in walk(fdef)
        if isinstance(n, gast.Assign) and isinstance(n.value, gast.List)
        for t in n.targets
        if isinstance(t, gast.Name)
    }


def _extend_by_appends(stmt, parsed):
    """``xs += [a, b]`` on a local list -> ``xs.append(a); xs.append(b)`` (the same
    in-place update, and an append has an adjoint); None for anything else."""
    if not (
        isinstance(stmt.op, gast.Add)
        and isinstance(stmt.target, gast.Name)
        and isinstance(stmt.value, gast.List)
    ):
        return None
    lists = parsed.__dict__.setdefault("_list_names", list_names(parsed.node))
    if stmt.target.id not in lists:
        return None
    return _at(
        [
            gast.Expr(value=S.call(S.attr(S.name(stmt.target.id), "append"), e))
            for e in stmt.value.elts
        ],
        stmt,
    )


def desugar(body, parsed, namer):
    out = []
    for i, stmt in enumerate(body):
        if (
            i == 0
            and isinstance(stmt, gast.Expr)
            and isinstance(stmt.value, gast.Constant)
            and isinstance(stmt.value.value, str)
        ):
            continue  # docstring
        out.extend(_desugar_stmt(stmt, parsed, namer))
    return out


def _desugar_stmt(stmt, parsed, namer):
    if isinstance(stmt, gast.If):
        pre, test = _hoist_ifexp(stmt.test, namer, in_condition=True)
        stmt.body = desugar(stmt.body, parsed, namer) or [gast.Pass()]
        stmt.orelse = desugar(stmt.orelse, parsed, namer)
        return pre + [stmt]
    if isinstance(stmt, (gast.For, gast.While)):
        stmt.body = desugar(stmt.body, parsed, namer) or [gast.Pass()]
        return [stmt]
    if isinstance(stmt, gast.AugAssign):
        appends = _extend_by_appends(stmt, parsed)
        if appends is not None:
            return [s for a in appends for s in _desugar_stmt(a, parsed, namer)]
        target = stmt.target
        value = gast.BinOp(left=S.as_load(target), op=stmt.op, right=stmt.value)
        new = S.assign(S.as_store(target), value)
        # in place in Python when the target holds an array: a view of it sees the change
        # (analyze/dataflow.py refuses what the rebinding would get wrong)
        new.tl_in_place = True
        return _desugar_stmt(_at([new], stmt)[0], parsed, namer)
    if isinstance(stmt, gast.AnnAssign):
        if stmt.value is None:
            return []
        return _desugar_stmt(_at([S.assign(stmt.target, stmt.value)], stmt)[0], parsed, namer)
    if isinstance(stmt, gast.Assign):
        return _desugar_assign(stmt, parsed, namer)
    if isinstance(stmt, gast.Return) and stmt.value is not None:
        pre, value = _hoist_ifexp(stmt.value, namer, parsed=parsed)
        stmt.value = value
        return _at(pre, stmt) + [stmt]
    if isinstance(stmt, gast.Expr):
        pre, value = _hoist_ifexp(stmt.value, namer, parsed=parsed)
        stmt.value = value
        return _at(pre, stmt) + [stmt]
    return [stmt]


def _desugar_assign(stmt, parsed, namer):
    if len(stmt.targets) > 1:  # a = b = expr
        first, *others = stmt.targets
        new = [S.assign(first, stmt.value)]
        for t in others:
            new.append(S.assign(t, S.as_load(first)))
        return [s for n in _at(new, stmt) for s in _desugar_assign(n, parsed, namer)]
    target = stmt.targets[0]
    if isinstance(target, (gast.Tuple, gast.List)):
        return _desugar_unpack(stmt, target, parsed, namer)
    if isinstance(target, gast.Starred):
        raise parsed.error("unsupported construct: starred assignment", stmt)
    if isinstance(stmt.value, gast.IfExp):  # v = a if c else b
        ifexp = stmt.value
        pre, test = _hoist_ifexp(ifexp.test, namer, in_condition=True)
        new = gast.If(
            test=test,
            body=[S.assign(S.deep(target), ifexp.body)],
            orelse=[S.assign(S.deep(target), ifexp.orelse)],
        )
        _at([new], stmt)
        new.body = _desugar_assign(new.body[0], parsed, namer)
        new.orelse = _desugar_assign(new.orelse[0], parsed, namer)
        return _at(pre, stmt) + [new]
    pre, value = _hoist_ifexp(stmt.value, namer, parsed=parsed)
    stmt.value = value
    return _at([s for p in pre for s in _desugar_stmt(p, parsed, namer)], stmt) + [stmt]


def _desugar_unpack(stmt, target, parsed, namer):
    value = stmt.value
    elts = target.elts
    if any(isinstance(e, gast.Starred) for e in elts):
        raise parsed.error("unsupported construct: starred assignment", stmt)
    if isinstance(value, gast.Call) and all(isinstance(e, gast.Name) for e in elts):
        target.ctx = gast.Store()
        pre, stmt.value = _hoist_ifexp(
            value, namer, parsed=parsed
        )  # f(a if c else b): hoisted first
        return _at([s for p in pre for s in _desugar_stmt(p, parsed, namer)], stmt) + [stmt]
    if isinstance(value, (gast.Tuple, gast.List)) and len(value.elts) == len(elts):
        written = set().union(*(S.stored_names(e) for e in elts))
        read = set().union(*(S.loaded_names(v) for v in value.elts))
        new = []
        if written & read:  # a, b = b, a + b
            temps = []
            for v in value.elts:
                t = namer.fresh("_tmp")
                temps.append(t)
                new.append(S.assign(t, v))
            new += [S.assign(e, S.name(t)) for e, t in zip(elts, temps)]
        else:
            new += [S.assign(e, v) for e, v in zip(elts, value.elts)]
    else:
        if isinstance(value, gast.Name):
            src = value.id
            new = []
        else:
            src = namer.fresh("_tuple")
            new = [S.assign(src, value)]
        new += [
            S.assign(e, gast.Subscript(value=S.name(src), slice=S.const(k), ctx=gast.Load()))
            for k, e in enumerate(elts)
        ]
    _at(new, stmt)
    return [s for n in new for s in _desugar_assign(n, parsed, namer)]


class _IfExpHoister(Transformer):
    def __init__(self, namer, parsed=None):
        self.namer = namer
        self.parsed = parsed
        self.pre = []

    def visit_Subscript(self, node):
        """``h(x)[k]`` of a user function returning a k-tuple -> ``_h0, _h1 = h(x)``
        before the statement and ``_hk`` in it (one tuple call, differentiated whole)."""
        self.generic_visit(node)
        k = node.slice
        if not (isinstance(node.value, gast.Call) and isinstance(k, (gast.Constant, gast.UnaryOp))):
            return node
        try:
            k = ast_literal(k)
        except ValueError:
            return node
        n = _tuple_arity(node.value, self.parsed)
        if n is None or not isinstance(k, int) or not -n <= k < n:
            return node
        base = getattr(node.value.func, "id", getattr(node.value.func, "attr", "call"))
        names = [self.namer.fresh(f"_{base}{j}") for j in range(n)]
        self.pre.append(
            S.assign(gast.Tuple(elts=[S.store(t) for t in names], ctx=gast.Store()), node.value)
        )
        return S.name(names[k])

    def visit_IfExp(self, node):
        self.generic_visit(node)
        t = self.namer.fresh("_choice")
        self.pre.append(
            gast.If(
                test=node.test, body=[S.assign(t, node.body)], orelse=[S.assign(t, node.orelse)]
            )
        )
        return S.name(t)

    # conditions of nested boolean expressions stay whole
    def visit_BoolOp(self, node):
        return node

    def visit_Compare(self, node):
        return node


def ast_literal(node):
    import ast

    return ast.literal_eval(gast.gast_to_ast(node))


def _tuple_arity(call, parsed):
    """n when ``call`` calls a user function whose every return is an n-tuple literal."""
    if parsed is None:
        return None
    try:
        fn = resolve_call(parsed, call.func, set())
    except Exception:
        return None
    if isinstance(fn, tuple) or not is_user_function(fn):
        return None
    fn = fn.fn if isinstance(fn, (custom_vjp, custom_jvp)) else fn
    try:
        node = parse_function(fn).node
    except Exception:
        return None
    sizes = {
        len(r.value.elts) if isinstance(r.value, gast.Tuple) else None
        for r in walk(node)
        if isinstance(r, gast.Return)
    }
    return sizes.pop() if len(sizes) == 1 else None


def _hoist_ifexp(expr, namer, in_condition=False, parsed=None):
    """Move conditional expressions, and items of tuple results of user functions, out
    of ``expr`` into preceding statements."""
    if in_condition:
        return [], expr
    h = _IfExpHoister(namer, parsed)
    expr = h.visit(expr)
    return h.pre, expr
