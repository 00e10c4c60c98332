"""Common-subexpression elimination and copy propagation on generated code.

Within each straight-line block, ``u = expr`` makes ``expr`` *available* under the name
``u`` until ``u`` or a name ``expr`` reads is reassigned (or an array it reads is written
into, or a call with side effects runs). A later occurrence of an available expression,
as a whole right-hand side or inside one, is replaced by ``u``:

    _t1 = math.sqrt(T)            _t1 = math.sqrt(T)
    ...                    ->     ...
    _t7 = math.sqrt(T)            _t7 = _t1

Then copies ``t = u`` of numbered temporaries (``_t3``, ``_g1``) assigned only there are
propagated (uses of ``t`` become ``u`` while ``u`` keeps its value) and the copy is left
to dead-code elimination. Only pure expressions are shared, never a fresh allocation (``zeros_like``,
``copy_value``), and never an array that is mutated in place.
"""
import copy

import gast

from .facts import (Aliases, allocates, alias_sources, assignment_counts, loads,
                    mutated_in_place, pure)


def _key(e, memo=None):
    """A structural key of an expression (children's keys memoized by ``id``)."""
    if memo is not None and id(e) in memo:
        return memo[id(e)]
    if isinstance(e, gast.AST):
        parts = [type(e).__name__]
        for f in e._fields:
            if f in ("ctx", "type_comment", "annotation", "kind"):
                continue
            parts.append(_key(getattr(e, f), memo))
        k = "(" + " ".join(parts) + ")"
    elif isinstance(e, list):
        k = "[" + " ".join(_key(x, memo) for x in e) + "]"
    else:
        k = repr(e)
    if memo is not None and isinstance(e, gast.AST):
        memo[id(e)] = k
    return k


def _worth_sharing(e):
    if isinstance(e, (gast.Name, gast.Constant)):
        return False
    if isinstance(e, gast.UnaryOp) and isinstance(e.operand, (gast.Name, gast.Constant)):
        return False
    if any(isinstance(n, gast.Call) and allocates(n) for n in gast.walk(e)):
        return False
    return pure(e)


_STORES = {}


def _stores(s):
    """Names a statement (re)binds or writes into (memoized while a pass runs)."""
    key = id(s)
    if key in _STORES and _STORES[key][0] is s:
        return _STORES[key][1]
    out = _stores_of(s)
    _STORES[key] = (s, out)
    return out


def _stores_of(s):
    out = set()
    for n in gast.walk(s):
        if isinstance(n, gast.Name) and isinstance(n.ctx, gast.Store):
            out.add(n.id)
        elif isinstance(n, (gast.Subscript, gast.Attribute)) and isinstance(n.ctx, gast.Store):
            b = n.value
            while isinstance(b, (gast.Subscript, gast.Attribute)):
                b = b.value
            if isinstance(b, gast.Name):
                out.add(b.id)
        elif isinstance(n, gast.AugAssign):
            b = n.target
            while isinstance(b, (gast.Subscript, gast.Attribute)):
                b = b.value
            if isinstance(b, gast.Name):
                out.add(b.id)
        elif isinstance(n, gast.Call) and not pure(n) and isinstance(n.func, gast.Attribute):
            b = n.func.value
            if isinstance(b, gast.Name):
                out.add(b.id)
    return out


class _Replace(gast.NodeTransformer):
    def __init__(self, table):
        self.table = table            # key -> (name, ...)
        self.memo = {}
        self.hits = 0

    def visit(self, node):
        if isinstance(node, gast.expr) and not isinstance(node, gast.Name):
            k = _key(node, self.memo)
            if k in self.table:
                self.hits += 1
                return gast.Name(id=self.table[k][0], ctx=gast.Load(), annotation=None,
                                 type_comment=None)
        return super().visit(node)


class _CSE:
    def __init__(self, fdef, protected):
        self.protected = protected
        self.unsafe = mutated_in_place(fdef)
        self.aliases = Aliases(fdef)
        self.changed = False

    def block(self, stmts):
        avail = {}                    # key -> (name, names it reads, their alias classes)
        for s in stmts:
            if isinstance(s, gast.Assign) and len(s.targets) == 1 \
                    and isinstance(s.targets[0], gast.Name):
                target = s.targets[0].id
                if avail and target not in self.protected \
                        and not self.aliases.touches({target}, self.unsafe):
                    replace = _Replace(avail)
                    s.value = replace.visit(s.value)
                    self.changed |= replace.hits > 0
            for field in ("body", "orelse"):
                sub = getattr(s, field, None)
                if isinstance(sub, list):
                    self.block(sub)
            stored = _stores(s)
            if any(isinstance(n, gast.Call) and not pure(n) for n in gast.walk(s)) \
                    and not _is_tape_op(s):
                avail = {}
            if stored and avail:              # also through another name for the same array
                roots = {self.aliases.find(x) for x in stored}
                avail = {k: v for k, v in avail.items() if v[0] not in stored and not v[2] & roots}
            if isinstance(s, gast.Assign) and len(s.targets) == 1 \
                    and isinstance(s.targets[0], gast.Name):
                u = s.targets[0].id
                reads = loads(s.value)
                if u not in reads and _worth_sharing(s.value) \
                        and not self.aliases.touches({u} | alias_sources(s.value), self.unsafe):
                    avail.setdefault(_key(s.value), (u, reads, {self.aliases.find(x) for x in reads}))


def _is_tape_op(s):
    """``_tape_x.append(v)`` / ``_tape_x.pop()``: they change only the tape list."""
    return isinstance(s, gast.Expr) and isinstance(s.value, gast.Call) \
        and isinstance(s.value.func, gast.Attribute) and s.value.func.attr in ("append", "pop") \
        and isinstance(s.value.func.value, gast.Name) and s.value.func.value.id.startswith("_tape")


class _Rename(gast.NodeTransformer):
    def __init__(self, old, new):
        self.old, self.new = old, new

    def visit_Name(self, node):
        if node.id == self.old and isinstance(node.ctx, gast.Load):
            return gast.Name(id=self.new, ctx=gast.Load(), annotation=None, type_comment=None)
        return node


def _is_self_copy(s):
    return isinstance(s, gast.Assign) and len(s.targets) == 1 and isinstance(s.targets[0], gast.Name) \
        and isinstance(s.value, gast.Name) and s.value.id == s.targets[0].id


def _propagate_copies(stmts, counts, protected):
    changed = False
    for i, s in enumerate(stmts):
        for field in ("body", "orelse"):
            sub = getattr(s, field, None)
            if isinstance(sub, list):
                changed |= _propagate_copies(sub, counts, protected)
        if not (isinstance(s, gast.Assign) and len(s.targets) == 1
                and isinstance(s.targets[0], gast.Name) and isinstance(s.value, gast.Name)):
            continue
        t, u = s.targets[0].id, s.value.id
        if not t.startswith("_") or t in protected or counts.get(t, 0) != 1 or t == u:
            continue
        for j in range(i + 1, len(stmts)):
            nxt = stmts[j]
            stored = _stores(nxt)
            if u in stored and not isinstance(nxt, gast.Assign):
                break                         # a loop or branch that may change u
            if isinstance(nxt, gast.Assign):
                nxt.value = _Rename(t, u).visit(nxt.value)
                for tg in nxt.targets:
                    if not isinstance(tg, gast.Name):
                        _Rename(t, u).visit(tg)
            else:
                _Rename(t, u).visit(nxt)
            changed = True
            if u in stored and not _is_self_copy(nxt):
                break                         # (u = t, now u = u, leaves u as it was)
    # u = u (left by the renaming) does nothing
    before = len(stmts)
    stmts[:] = [s for s in stmts if not _is_self_copy(s)]
    return changed or len(stmts) != before


def eliminate_common_subexpressions(fdef, protected=()):
    """Share repeated pure expressions; propagate copies of temporaries."""
    changed = False
    _STORES.clear()
    for _ in range(3):                # a propagated copy can expose another common expression
        cse = _CSE(fdef, set(protected))
        cse.block(fdef.body)
        copies = _propagate_copies(fdef.body, assignment_counts(fdef), set(protected))
        changed |= cse.changed or copies
        if not (cse.changed or copies):
            break
    _STORES.clear()
    return changed
