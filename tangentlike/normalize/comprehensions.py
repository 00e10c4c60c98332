"""Lower list comprehensions and generator expressions to loops that fill an array.

``[e for t in it]`` (one ``for``, over ``range``, ``enumerate``, ``zip`` or a sequence)
becomes an array with one row per item, filled by a loop over ``range(len)``; the element
is evaluated once for the first item before the loop to learn its shape and dtype (no
items: ``0.0``, so that ``sum`` over nothing is 0 and ``np.array([])`` is empty)::

    _n = len(it)
    if _n > 0: t = it[0]; _elem = e
    else: _elem = 0.0
    _items = np.zeros((_n,) + np.shape(_elem), dtype=np.asarray(_elem).dtype)
    for _k in range(_n):
        t = it[_k]
        _items[_k] = e

That is what NumPy makes of the list in ``np.array([...])``, ``np.sum([...])`` and every
``np.*`` function, and ``sum(e for t in it if c)`` is ``np.sum(_items, axis=0)`` with the
rows whose test fails left zero. A comprehension assigned to a variable is lowered too,
when the variable is only indexed, iterated, measured with ``len`` or passed to one of
those (a list's other behaviour, ``+``, ``*``, ``.append``, differs from an array's);
anything else is refused, naming the construct and the line.
"""

import builtins

import gast
import numpy as np

from .. import syntax as S
from ..trees import Transformer, clone, substitute, walk

CONSTRUCT = "comprehension"
_STACKERS = {np.array, np.asarray, np.stack}


def lower_comprehensions(parsed, namer):
    fdef = parsed.node
    if not any(
        isinstance(n, (gast.ListComp, gast.GeneratorExp)) for s in fdef.body for n in walk(s)
    ):
        return
    arrays = _assigned_comprehensions(parsed)
    fdef.body = _block(fdef.body, parsed, namer, arrays)


def _block(stmts, parsed, namer, arrays):
    out = []
    for s in stmts:
        if isinstance(s, gast.While) and _has_comp(s.test):
            raise parsed.error(
                "a comprehension in a while condition is not supported; "
                "compute it in the loop body",
                s.test,
                construct=CONSTRUCT,
            )
        lowering = _Lowering(parsed, namer, arrays)
        if isinstance(s, gast.Assign) and isinstance(s.value, gast.ListComp):
            s.value = S.name(lowering._lower(s.value))  # checked by _assigned_comprehensions
        for field in ("test", "iter", "value", "targets", "target"):
            v = getattr(s, field, None)
            if isinstance(v, gast.AST):
                setattr(s, field, lowering.visit(v))
            elif isinstance(v, list):
                setattr(s, field, [lowering.visit(x) for x in v])
        for field in ("body", "orelse"):
            if isinstance(getattr(s, field, None), list):
                setattr(s, field, _block(getattr(s, field), parsed, namer, arrays))
        for new in lowering.pre:
            for n in walk(new):
                if getattr(n, "lineno", None) is None:
                    n.lineno, n.col_offset = getattr(s, "lineno", None), 0
        out.extend(lowering.pre)
        out.append(s)
    return out


def _has_comp(e):
    return any(isinstance(n, (gast.ListComp, gast.GeneratorExp)) for n in walk(e))


class _Lowering(Transformer):
    def __init__(self, parsed, namer, arrays):
        self.parsed, self.namer, self.arrays = parsed, namer, arrays
        self.pre = []

    def visit_Call(self, node):
        target = self._resolve(node.func)
        first = node.args[0] if node.args else None
        if isinstance(first, (gast.ListComp, gast.GeneratorExp)) and target is not None:
            rest_args = [self.visit(a) for a in node.args[1:]]
            keywords = [self.visit(k) for k in node.keywords]
            if target is builtins.sum:
                if rest_args or keywords:
                    raise self.parsed.error(
                        "sum(...) over a comprehension with a start value is not supported",
                        node,
                        construct=CONSTRUCT,
                    )
                items = self._lower(first, allow_filter=True)
                return S.call(
                    S.attr(S.name("np"), "sum"),
                    S.name(items),
                    keywords=[gast.keyword(arg="axis", value=S.const(0))],
                )
            if target in _STACKERS and not rest_args and not keywords:
                return S.name(self._lower(first))
            if _is_numpy(target):
                node.args = [S.name(self._lower(first))] + rest_args
                node.keywords = keywords
                return node
        if (
            target is np.stack
            and isinstance(first, gast.Name)
            and first.id in self.arrays.lowered
            and len(node.args) == 1
            and not node.keywords
        ):
            return S.call(S.attr(S.name("np"), "array"), first)  # the rows, stacked already
        return self.generic_visit(node)

    def visit_ListComp(self, node):
        raise self.parsed.error(
            "a list comprehension is supported assigned to a variable or as the argument of "
            "sum, np.array or another NumPy function",
            node,
            construct="list comprehension",
        )

    def visit_GeneratorExp(self, node):
        raise self.parsed.error(
            "a generator expression is supported as the argument of sum or of a NumPy function",
            node,
            construct="generator expression",
        )

    def _resolve(self, func):
        name = S.dotted(func)
        if name is None:
            return None
        head, *rest = name.split(".")
        if head in self.arrays.locals:
            return None
        obj = self.parsed.namespace.get(head, getattr(builtins, head, None))
        for part in rest:
            obj = getattr(obj, part, None)
        return obj

    # ------------------------------------------------------------------ the loop
    def _lower(self, comp, allow_filter=False):
        P = self.parsed
        if len(comp.generators) != 1:
            raise P.error(
                "a comprehension with more than one 'for' is not supported; write the loops",
                comp,
                construct=CONSTRUCT,
            )
        gen = comp.generators[0]
        if gen.ifs and not allow_filter:
            raise P.error(
                "a list comprehension with an 'if' filter is supported only in "
                "sum(...); write the loop",
                comp,
                construct=CONSTRUCT,
            )
        if getattr(gen, "is_async", 0):
            raise P.error("async comprehensions are not supported", comp, construct=CONSTRUCT)
        rename = {t: self.namer.fresh(f"_{t}") for t in S.stored_names(gen.target)}

        def renamed(e):
            e = clone(e)
            return substitute(e, lambda n: S.name(rename[n.id], n.ctx) if n.id in rename else n)

        elt = self.visit(renamed(comp.elt))
        ifs = [self.visit(renamed(c)) for c in gen.ifs]
        target = renamed(gen.target)
        n_expr, item = self._items(self.visit(gen.iter), comp)
        n, k, elem, items = (
            self.namer.fresh("_n"),
            self.namer.fresh("_k"),
            self.namer.fresh("_elem"),
            self.namer.fresh("_items"),
        )
        shape = gast.BinOp(
            left=gast.Tuple(elts=[S.name(n)], ctx=gast.Load()),
            op=gast.Add(),
            right=S.call(S.attr(S.name("np"), "shape"), S.name(elem)),
        )
        dtype = S.attr(S.call(S.attr(S.name("np"), "asarray"), S.name(elem)), "dtype")
        alloc = S.call(
            S.attr(S.name("np"), "zeros"), shape, keywords=[gast.keyword(arg="dtype", value=dtype)]
        )
        write = S.assign(
            gast.Subscript(value=S.name(items), slice=S.name(k), ctx=gast.Store()), clone(elt)
        )
        body = [S.assign(clone(target), item(S.name(k)))]
        if ifs:
            test = ifs[0] if len(ifs) == 1 else gast.BoolOp(op=gast.And(), values=ifs)
            body.append(gast.If(test=test, body=[write], orelse=[]))
        else:
            body.append(write)
        loop = gast.For(
            target=S.store(k),
            iter=S.call("range", S.name(n)),
            body=body,
            orelse=[],
            type_comment=None,
        )
        first = gast.If(  # no items: a number's zero (what sum and np.array give)
            test=gast.Compare(left=S.name(n), ops=[gast.Gt()], comparators=[S.const(0)]),
            body=[S.assign(clone(target), item(S.const(0))), S.assign(elem, clone(elt))],
            orelse=[S.assign(elem, S.const(0.0))],
        )
        self.pre += [S.assign(n, n_expr), first, S.assign(items, alloc), loop]
        return items

    def _items(self, it, comp):
        """(length expression, item(k) -> the k-th item) of the iterable ``it``."""
        if isinstance(it, gast.Call) and isinstance(it.func, gast.Name) and not it.keywords:
            fn = self._resolve(it.func)
            if fn is builtins.range:
                a = it.args
                start = a[0] if len(a) > 1 else S.const(0)
                step = a[2] if len(a) > 2 else None

                def item(k):
                    off = (
                        k if step is None else gast.BinOp(left=clone(step), op=gast.Mult(), right=k)
                    )
                    return gast.BinOp(left=clone(start), op=gast.Add(), right=off)

                return S.call("len", clone(it)), item
            if fn is builtins.enumerate and len(it.args) == 1:
                seq = self._named(it.args[0])
                return (
                    S.call("len", S.name(seq)),
                    lambda k: gast.Tuple(elts=[clone(k), _index(seq, k)], ctx=gast.Load()),
                )
            if fn is builtins.zip and it.args:
                seqs = [self._named(a) for a in it.args]
                lens = [S.call("len", S.name(s)) for s in seqs]
                return (
                    lens[0] if len(lens) == 1 else S.call("min", *lens),
                    lambda k: gast.Tuple(elts=[_index(s, k) for s in seqs], ctx=gast.Load()),
                )
        seq = self._named(it)
        return S.call("len", S.name(seq)), lambda k: _index(seq, k)

    def _named(self, e):
        if isinstance(e, gast.Name):
            return e.id
        t = self.namer.fresh("_seq")
        self.pre.append(S.assign(t, e))
        return t


def _is_numpy(fn):
    return isinstance(fn, np.ufunc) or str(getattr(fn, "__module__", None)).startswith("numpy")


def _index(seq, k):
    return gast.Subscript(value=S.name(seq), slice=clone(k), ctx=gast.Load())


class _Names:
    def __init__(self, locals_):
        self.locals = locals_
        self.lowered = set()  # variables that hold a lowered list comprehension


def _assigned_comprehensions(parsed):
    """Variables assigned a list comprehension; checks each is used only as an array
    would be (indexed, iterated, len, or passed to sum or a NumPy function)."""
    fdef = parsed.node
    local = {a.id for a in fdef.args.args}
    for s in fdef.body:
        local |= S.stored_names(s)
    names = _Names(local)
    comp_names = set()
    for s in fdef.body:
        for n in walk(s):
            if (
                isinstance(n, gast.Assign)
                and isinstance(n.value, gast.ListComp)
                and len(n.targets) == 1
                and isinstance(n.targets[0], gast.Name)
            ):
                comp_names.add(n.targets[0].id)
    if not comp_names:
        return names
    names.lowered = comp_names
    ok_parents = _array_uses(fdef, comp_names, parsed, names)
    for s in fdef.body:
        for n in walk(s):
            if isinstance(n, gast.Name) and n.id in comp_names and id(n) not in ok_parents:
                raise parsed.error(
                    f"'{n.id}' holds a list comprehension and is used as a list here; it is "
                    "supported indexed, iterated, in len() or passed to sum or a NumPy "
                    "function",
                    n,
                    construct="list comprehension",
                )
    return names


def _array_uses(fdef, comp_names, parsed, names):
    """ids of the Name nodes of ``comp_names`` that stand where an array acts as the list."""
    ok = set()
    for s in fdef.body:
        for n in walk(s):
            if (
                isinstance(n, gast.Assign)
                and len(n.targets) == 1
                and isinstance(n.targets[0], gast.Name)
                and n.targets[0].id in comp_names
            ):
                if isinstance(n.value, gast.ListComp):
                    ok.add(id(n.targets[0]))
            elif isinstance(n, gast.Subscript) and isinstance(n.value, gast.Name):
                ok.add(id(n.value))
            elif isinstance(n, gast.For) and isinstance(n.iter, gast.Name):
                ok.add(id(n.iter))
            elif isinstance(n, gast.comprehension) and isinstance(n.iter, gast.Name):
                ok.add(id(n.iter))
            elif isinstance(n, gast.Call):
                fn = _Lowering(parsed, None, names)._resolve(n.func)
                if fn in (
                    builtins.len,
                    builtins.sum,
                    builtins.enumerate,
                    builtins.zip,
                ) or _is_numpy(fn):
                    ok |= {id(a) for a in n.args if isinstance(a, gast.Name)}
    return ok
