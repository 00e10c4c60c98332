"""Read the fields of dataclass and namedtuple arguments by position.

A derivative of ``def f(p, x): return p.k * x`` is generated when it is called: the
argument ``p`` is then known to be, say, ``Params(k, c)`` (``parse/specialized.py``), and
``p.k`` becomes ``p[0]``, which the transforms differentiate like any tuple item (a
dataclass is passed as the tuple of its fields, and its gradient is rebuilt as a
``Params``). Writing a field, or reassigning the argument, is refused.
"""

import gast

from .. import syntax as S
from ..parse.specialized import Record
from ..trees import Transformer, walk


def lower_record_fields(parsed):
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
    lowering = _Fields(parsed, records)
    parsed.node.body = [lowering.visit(s) for s in parsed.node.body]


class _Fields(Transformer):
    def __init__(self, parsed, records):
        self.parsed, self.records = parsed, records

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
