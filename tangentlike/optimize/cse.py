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

import gast

from .. import syntax as S
from ..trees import Transformer, substitute, walk
from .facts import (
    Aliases,
    NodesByType,
    allocates,
    alias_sources,
    assignment_counts,
    base_name,
    is_pure_call,
    loads,
    mutated_in_place,
    pure,
)


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
    for n in walk(e):  # no fresh allocation, no side effect
        if isinstance(n, gast.Call) and (allocates(n) or not is_pure_call(n)):
            return False
    return True


_FACTS = {}


def _facts(s):
    """``(names s (re)binds or writes into, whether s makes a call with side effects)``.

    Computed once per statement while a pass runs: replacing pure expressions by names
    and renaming copies of temporaries change neither. A compound statement combines the
    facts of the statements it holds with those of its own header (test, loop target...).
    """
    key = id(s)
    hit = _FACTS.get(key)
    if hit is not None and hit[0] is s:
        return hit[1]
    stored, impure = set(), False
    for f in s._fields:
        v = getattr(s, f, None)
        for x in v if isinstance(v, list) else (v,):
            if isinstance(x, gast.stmt):
                st, im = _facts(x)
                stored |= st
                impure |= im
            elif isinstance(x, gast.AST):
                impure |= _scan(x, stored)
    if isinstance(s, gast.AugAssign):
        _add_base(s.target, stored)
    out = (stored, impure)
    _FACTS[key] = (s, out)
    return out


def _scan(tree, out):
    """Adds to ``out`` the names an expression (or a simple statement's part) binds or
    writes into; returns whether it makes a call with side effects."""
    impure = False
    for n in walk(tree):
        if isinstance(n, gast.Name) and isinstance(n.ctx, gast.Store):
            out.add(n.id)
        elif isinstance(n, (gast.Subscript, gast.Attribute)) and isinstance(n.ctx, gast.Store):
            _add_base(n.value, out)
        elif isinstance(n, gast.AugAssign):
            _add_base(n.target, out)
        elif isinstance(n, gast.Call):
            own = is_pure_call(n)
            impure |= not own
            # a method call with a side effect in it may change its object
            if (
                isinstance(n.func, gast.Attribute)
                and isinstance(n.func.value, gast.Name)
                and not (own and pure(n))
            ):
                out.add(n.func.value.id)
    return impure


def _add_base(target, out):
    b = base_name(target)
    if b is not None:
        out.add(b)


def _stores(s):
    """Names a statement (re)binds or writes into."""
    return _facts(s)[0]


class _Replace(Transformer):
    """Replaces available expressions by their names, outermost first."""

    def __init__(self, table):
        self.table = table  # key -> (name, ...)
        self.memo = {}
        self.hits = 0

    def visit(self, node):
        if isinstance(node, gast.expr) and not isinstance(node, gast.Name):
            k = _key(node, self.memo)
            if k in self.table:
                self.hits += 1
                return gast.Name(
                    id=self.table[k][0], ctx=gast.Load(), annotation=None, type_comment=None
                )
        return self.generic_visit(node)


class _CSE:
    def __init__(self, fdef, protected, nodes):
        self.protected = protected
        self.unsafe = mutated_in_place(fdef, nodes)
        self.aliases = Aliases(fdef, nodes=nodes)
        self.unsafe_roots = self.aliases.roots(self.unsafe)
        self.changed = False

    def touches_unsafe(self, names):
        find = self.aliases.find
        return any(find(n) in self.unsafe_roots for n in names)

    def block(self, stmts):
        avail = {}  # key -> (name, names it reads, their alias classes)
        for s in stmts:
            key = None  # of s.value, when known
            if (
                isinstance(s, gast.Assign)
                and len(s.targets) == 1
                and isinstance(s.targets[0], gast.Name)
            ):
                target = s.targets[0].id
                if avail and target not in self.protected and not self.touches_unsafe((target,)):
                    replace = _Replace(avail)
                    s.value = replace.visit(s.value)
                    self.changed |= replace.hits > 0
                    if not replace.hits:
                        key = replace.memo.get(id(s.value))
            for field in ("body", "orelse"):
                sub = getattr(s, field, None)
                if isinstance(sub, list):
                    self.block(sub)
            stored, impure = _facts(s)
            if impure and not _is_tape_op(s):
                avail = {}
            if stored and avail:  # also through another name for the same array
                roots = self.aliases.roots(stored)
                avail = {k: v for k, v in avail.items() if v[0] not in stored and not v[2] & roots}
            if (
                isinstance(s, gast.Assign)
                and len(s.targets) == 1
                and isinstance(s.targets[0], gast.Name)
            ):
                u = s.targets[0].id
                reads = loads(s.value)
                if (
                    u not in reads
                    and _worth_sharing(s.value)
                    and not self.touches_unsafe({u} | alias_sources(s.value))
                ):
                    avail.setdefault(key or _key(s.value), (u, reads, self.aliases.roots(reads)))


def _is_tape_op(s):
    """``_tape_x.append(v)`` / ``_tape_x.pop()``: they change only the tape list."""
    return (
        isinstance(s, gast.Expr)
        and isinstance(s.value, gast.Call)
        and isinstance(s.value.func, gast.Attribute)
        and s.value.func.attr in ("append", "pop")
        and isinstance(s.value.func.value, gast.Name)
        and s.value.func.value.id.startswith("_tape")
    )


def _renamer(old, new):
    def replace(node):
        if node.id == old and isinstance(node.ctx, gast.Load):
            return gast.Name(id=new, ctx=gast.Load(), annotation=None, type_comment=None)
        return node

    return replace


def _is_self_copy(s):
    c = S.name_copy(s)
    return c is not None and c[0] == c[1]


def _propagate_copies(stmts, counts, protected):
    changed = False
    loaded = {}  # position in stmts -> names read there (kept up to date)
    for i, s in enumerate(stmts):
        for field in ("body", "orelse"):
            sub = getattr(s, field, None)
            if isinstance(sub, list):
                changed |= _propagate_copies(sub, counts, protected)
        if not (
            isinstance(s, gast.Assign)
            and len(s.targets) == 1
            and isinstance(s.targets[0], gast.Name)
            and isinstance(s.value, gast.Name)
        ):
            continue
        t, u = s.targets[0].id, s.value.id
        if not t.startswith("_") or t in protected or counts.get(t, 0) != 1 or t == u:
            continue
        for j in range(i + 1, len(stmts)):
            nxt = stmts[j]
            stored = _stores(nxt)
            if u in stored and not isinstance(nxt, gast.Assign):
                break  # a loop or branch that may change u
            names = loaded.get(j)
            if names is None:
                names = loaded[j] = loads(nxt)
            if t in names:  # uses of t read u instead
                substitute(nxt, _renamer(t, u))
                names.discard(t)
                names.add(u)
            changed = True
            if u in stored and not _is_self_copy(nxt):
                break  # (u = t, now u = u, leaves u as it was)
    # u = u (left by the renaming) does nothing
    before = len(stmts)
    stmts[:] = [s for s in stmts if not _is_self_copy(s)]
    return changed or len(stmts) != before


def eliminate_common_subexpressions(fdef, protected=()):
    """Share repeated pure expressions; propagate copies of temporaries."""
    changed = False
    _FACTS.clear()
    for _ in range(3):  # a propagated copy can expose another common expression
        nodes = NodesByType(fdef)
        cse = _CSE(fdef, set(protected), nodes)
        counts = assignment_counts(fdef, nodes)  # sharing expressions binds no names
        cse.block(fdef.body)
        copies = _propagate_copies(fdef.body, counts, set(protected))
        changed |= cse.changed or copies
        if not (cse.changed or copies):
            break
    _FACTS.clear()
    return changed
