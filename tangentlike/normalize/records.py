"""Read the fields of dataclass and namedtuple arguments by position.

A derivative of ``def f(p, x): return p.k * x`` is generated when it is called: the
argument ``p`` is then known to be, say, ``Params(k, c)`` (``parse/specialized.py``), and
``p.k`` becomes ``p[0]``, which the transforms differentiate like any tuple item (a
dataclass is passed as the tuple of its fields, and its gradient is rebuilt as a
``Params``). Writing a field, or reassigning the argument, is refused. A method call ``p.energy(x)``
becomes a call of the class's function, ``Spring_energy(p, x)``, differentiated like any
user function with its ``self`` bound to the record.
"""

import gast

from .. import syntax as S
from ..parse.specialized import Record
from ..trees import Transformer, walk


def lower_record_fields(parsed, namer):
    records = {k: v for k, v in parsed.bindings.items() if isinstance(v, Record)}
    if not records:
        return
    for s in parsed.node.body:
        for n in walk(s):
            if isinstance(n, gast.Name) and n.id in records and isinstance(n.ctx, gast.Store):
                raise parsed.error(
                    f"the {records[n.id].__name__} argument '{n.id}' is "
                    "reassigned; use another name",
                    n,
                    construct="record",
                )
    lowering = _Fields(parsed, records, namer)
    parsed.node.body = [lowering.visit(s) for s in parsed.node.body]


class _Fields(Transformer):
    def __init__(self, parsed, records, namer):
        self.parsed, self.records, self.namer = parsed, records, namer
        self.methods = {}  # (class, method) -> the name it is called by

    def visit_Call(self, node):
        f = node.func
        if not (
            isinstance(f, gast.Attribute)
            and isinstance(f.value, gast.Name)
            and f.value.id in self.records
        ):
            return self.generic_visit(node)
        rec = self.records[f.value.id]
        fn = rec.method(f.attr)
        static = rec.method(f.attr, staticmethod)
        if fn is None and static is not None:  # p.sq(y) -> Decay_sq(y)
            node.args = [self.visit(a) for a in node.args]
            node.keywords = [self.visit(k) for k in node.keywords]
            node.func = self._callee(rec, f, static)
            return node
        if fn is None:
            what = "a field" if f.attr in rec.fields else "not a plain method"
            raise self.parsed.error(
                f"'{f.value.id}.{f.attr}()': '{f.attr}' of {rec.__name__} is {what}; "
                "differentiated code calls a record's methods defined with 'def'",
                node,
                construct="record method",
            )
        node.args = [self.visit(a) for a in node.args]
        node.keywords = [self.visit(k) for k in node.keywords]
        node.func = self._callee(rec, f, fn)
        node.args = [f.value] + node.args
        return node

    def _callee(self, rec, node, fn):
        """``p.energy(x)`` -> ``Spring_energy(p, x)``: the method (or a property's getter)
        is a user function whose first parameter is bound to the record
        (parse/specialized.py)."""
        key = (rec.cls, node.attr)
        if key not in self.methods:
            self.methods[key] = self.namer.fresh(f"{rec.__name__}_{node.attr}")
            self.parsed.namespace[self.methods[key]] = fn
        callee = gast.Name(
            id=self.methods[key], ctx=gast.Load(), annotation=None, type_comment=None
        )
        return gast.copy_location(callee, node)

    def visit_Attribute(self, node):
        self.generic_visit(node)
        v = node.value
        if not (isinstance(v, gast.Name) and v.id in self.records):
            return node
        rec = self.records[v.id]
        if not isinstance(node.ctx, gast.Load):
            raise self.parsed.error(
                f"writing the field '{v.id}.{node.attr}' of an argument is not supported",
                node,
                construct="record field write",
            )
        getter = rec.method(node.attr, property)
        if node.attr not in rec.fields and getter is not None:
            call = gast.Call(func=self._callee(rec, node, getter), args=[v], keywords=[])
            return gast.copy_location(call, node)
        if node.attr not in rec.fields:
            raise self.parsed.error(
                f"'{v.id}.{node.attr}': {rec.__name__} has no field "
                f"'{node.attr}' (its fields: {', '.join(rec.fields)})",
                node,
                construct="record field",
            )
        out = gast.Subscript(value=v, slice=S.const(rec.fields.index(node.attr)), ctx=gast.Load())
        out.lineno, out.col_offset = getattr(node, "lineno", None), getattr(node, "col_offset", 0)
        return out
