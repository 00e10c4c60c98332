"""Lower every ``for`` loop to ``for i in range(...)``.

``for v in xs``, ``enumerate`` and ``zip`` become an integer loop that reads the elements
by index, so the reverse sweep can run the loop backwards. Range arguments that the body
reassigns are first copied to temporaries, so the reverse loop sees the same range.
"""

import gast

from .. import syntax as S
from ..trees import walk


def lower_loops(body, parsed, namer, other_defs=None):
    if other_defs is None:  # names defined other than as a loop counter
        other_defs = {a.id for a in parsed.node.args.args + parsed.node.args.kwonlyargs}
        for stmt in body:
            for n in walk(stmt):
                if isinstance(n, (gast.Assign, gast.AugAssign, gast.AnnAssign)):
                    for t in n.targets if isinstance(n, gast.Assign) else [n.target]:
                        other_defs |= S.stored_names(t)
    out = []
    for stmt in body:
        if isinstance(stmt, gast.If):
            stmt.body = lower_loops(stmt.body, parsed, namer, other_defs)
            stmt.orelse = lower_loops(stmt.orelse, parsed, namer, other_defs)
            out.append(stmt)
        elif isinstance(stmt, gast.While):
            stmt.body = lower_loops(stmt.body, parsed, namer, other_defs)
            out.append(stmt)
        elif isinstance(stmt, gast.For):
            out.extend(_lower_for(stmt, parsed, namer, other_defs))
        else:
            out.append(stmt)
    return out


def _is_call_to(node, fname):
    return (
        isinstance(node, gast.Call) and isinstance(node.func, gast.Name) and node.func.id == fname
    )


def _at(stmts, old):
    for s in stmts:
        for n in walk(s):
            if getattr(n, "lineno", None) is None:
                n.lineno = getattr(old, "lineno", None)
                n.col_offset = getattr(old, "col_offset", 0)
    return stmts


def _index(seq, k):
    return gast.Subscript(value=S.deep(seq), slice=S.name(k), ctx=gast.Load())


def _lower_for(stmt, parsed, namer, other_defs):
    body = lower_loops(stmt.body, parsed, namer, other_defs)
    it, target = stmt.iter, stmt.target
    pre = []

    def seq_atom(expr):
        """A Name for a sequence expression (hoisted to a temporary if needed)."""
        if isinstance(expr, gast.Name):
            return expr
        t = namer.fresh("_seq")
        pre.append(S.assign(t, expr))
        return S.name(t)

    def zip_elements(call, tgt, k):
        """The element reads of ``for tgt in zip(...)`` at counter ``k``, and the trip count."""
        if call.keywords or not call.args:
            raise parsed.error("unsupported zip() call", stmt)
        if not (isinstance(tgt, gast.Tuple) and len(tgt.elts) == len(call.args)):
            raise parsed.error("zip loops need one target per sequence", stmt)
        seqs = [seq_atom(a) for a in call.args]
        out = []
        for t, sq in zip(tgt.elts, seqs):
            out += _element_assign(t, sq, k, parsed, namer, stmt)
        lens = [S.call("len", S.deep(sq)) for sq in seqs]
        return out, lens[0] if len(lens) == 1 else S.call("min", *lens)

    if _is_call_to(it, "reversed") and len(it.args) == 1 and not it.keywords:
        inner = it.args[0]  # reversed(range(a, b)) / reversed(seq)
        if _is_call_to(inner, "range") and len(inner.args) in (1, 2) and not inner.keywords:
            lo = inner.args[0] if len(inner.args) == 2 else S.const(0)
            hi = inner.args[-1]
            it = S.call(
                "range",
                gast.BinOp(left=S.deep(hi), op=gast.Sub(), right=S.const(1)),
                gast.BinOp(left=S.deep(lo), op=gast.Sub(), right=S.const(1)),
                S.const(-1),
            )
        elif not _is_call_to(inner, "range"):
            it = gast.Subscript(
                value=inner,
                slice=gast.Slice(lower=None, upper=None, step=S.const(-1)),
                ctx=gast.Load(),
            )
    if _is_call_to(it, "range"):
        if it.keywords or not 1 <= len(it.args) <= 3:
            raise parsed.error("range() with keyword arguments is not supported", stmt)
        if not isinstance(target, gast.Name):
            raise parsed.error("a range loop needs a single name as its target", stmt)
        header, loop_var, prefix = it, target.id, []
    elif _is_call_to(it, "enumerate"):
        if len(it.args) not in (1, 2) or it.keywords and len(it.args) != 1:
            raise parsed.error("unsupported enumerate() call", stmt)
        start = it.args[1] if len(it.args) == 2 else (it.keywords[0].value if it.keywords else None)
        if not (isinstance(target, gast.Tuple) and len(target.elts) == 2):
            raise parsed.error("enumerate loops need a target 'i, v'", stmt)
        idx_t, val_t = target.elts
        if start is None and isinstance(idx_t, gast.Name):
            loop_var, prefix = idx_t.id, []
        else:
            loop_var = namer.fresh("_k")
            off = (
                S.name(loop_var)
                if start is None
                else gast.BinOp(left=S.name(loop_var), op=gast.Add(), right=start)
            )
            prefix = [S.assign(S.as_store(idx_t), off)]
        if _is_call_to(it.args[0], "zip"):  # enumerate(zip(a, b)): i, (u, v)
            elems, n = zip_elements(it.args[0], val_t, loop_var)
        else:
            seq = seq_atom(it.args[0])
            elems = _element_assign(val_t, seq, loop_var, parsed, namer, stmt)
            n = S.call("len", S.deep(seq))
        prefix += elems
        header = S.call("range", n)
    elif _is_call_to(it, "zip"):
        loop_var = namer.fresh("_k")
        prefix, n = zip_elements(it, target, loop_var)
        header = S.call("range", n)
    elif isinstance(it, (gast.Name, gast.Subscript, gast.Attribute, gast.Call, gast.BinOp)):
        seq = seq_atom(it)
        loop_var = namer.fresh("_k")
        prefix = _element_assign(target, seq, loop_var, parsed, namer, stmt)
        header = S.call("range", S.call("len", S.deep(seq)))
    else:
        raise parsed.error(f"unsupported loop over {type(it).__name__}", stmt)

    # range arguments the body reassigns are frozen in temporaries
    written = set().union(*(S.stored_names(s) for s in body)) if body else set()
    new_args = []
    for a in header.args:
        if S.loaded_names(a) & (written | {loop_var}):
            t = namer.fresh("_stop")
            pre.append(S.assign(t, a))
            a = S.name(t)
        new_args.append(a)
    header = S.call("range", *new_args)
    # a loop variable that the body (or other code) reassigns is kept apart from the counter
    if loop_var in written or loop_var in other_defs:
        k = namer.fresh("_k")
        prefix = [S.assign(loop_var, S.name(k))] + prefix
        loop_var = k
    new = gast.For(
        target=S.store(loop_var),
        iter=header,
        body=_at(prefix, stmt) + body,
        orelse=[],
        type_comment=None,
    )
    new.lineno, new.col_offset = stmt.lineno, stmt.col_offset
    return _at(pre, stmt) + [new]


def _element_assign(target, seq, k, parsed, namer, stmt):
    value = _index(seq, k)
    if isinstance(target, gast.Name):
        return [S.assign(S.as_store(target), value)]
    if isinstance(target, (gast.Tuple, gast.List)):
        tmp = namer.fresh("_item")
        out = [S.assign(tmp, value)]
        for j, e in enumerate(target.elts):
            out.append(
                S.assign(
                    S.as_store(e),
                    gast.Subscript(value=S.name(tmp), slice=S.const(j), ctx=gast.Load()),
                )
            )
        return out
    raise parsed.error("unsupported loop target", stmt)
