"""Replace a local dict with constant keys by one variable per key.

``d = {"a": x * 2.0, "b": x * x}`` (or ``d = dict(a=..., b=...)``), then ``d["a"] * d["b"]``
and ``d["c"] = ...``, become ``_d_a = x * 2.0; _d_b = x * x``, ``_d_a * _d_b`` and
``_d_c = ...``: plain variables, which every mode (and Numba) handles. A dict assigned
once and only indexed with constant keys qualifies; any other use (passed to a function,
returned, iterated, a key that is not a constant) is refused, naming the line.
"""

import gast

from .. import syntax as S
from ..trees import Transformer, walk

CONSTRUCT = "local dict"


def lower_local_dicts(parsed, namer):
    body = parsed.node.body
    builds = {}
    for s in body:
        for n in walk(s):
            if (
                isinstance(n, gast.Assign)
                and len(n.targets) == 1
                and isinstance(n.targets[0], gast.Name)
                and _entries(n.value) is not None
            ):
                builds.setdefault(n.targets[0].id, []).append(n)
    if not builds:
        return
    names = {}
    for d, assigns in builds.items():
        if len(assigns) > 1 or d in {a.id for a in parsed.node.args.args}:
            raise parsed.error(
                f"the dict '{d}' is assigned more than once; build it once "
                "(or use separate variables)",
                assigns[-1],
                construct=CONSTRUCT,
            )
        names[d] = {}
    lowering = _Keys(parsed, namer, names)
    parsed.node.body = lowering.block(body)


def _entries(value):
    """[(key, value expr)] of a dict literal or ``dict(k=v, ...)`` with constant keys."""
    if isinstance(value, gast.Dict):
        if all(isinstance(k, gast.Constant) for k in value.keys):
            return [(k.value, v) for k, v in zip(value.keys, value.values)]
        return None
    if (
        isinstance(value, gast.Call)
        and isinstance(value.func, gast.Name)
        and value.func.id == "dict"
        and not value.args
        and all(k.arg is not None for k in value.keywords)
    ):
        return [(k.arg, k.value) for k in value.keywords]
    return None


class _Keys(Transformer):
    def __init__(self, parsed, namer, names):
        self.parsed, self.namer, self.names = parsed, namer, names

    def var(self, d, key, node):
        per = self.names[d]
        if key not in per:
            safe = "".join(c if c.isalnum() else "_" for c in str(key))
            per[key] = self.namer.fresh(f"_{d}_{safe}")
        return per[key]

    def block(self, stmts):
        out = []
        for s in stmts:
            if (
                isinstance(s, gast.Assign)
                and isinstance(s.targets[0], gast.Name)
                and s.targets[0].id in self.names
                and len(s.targets) == 1
            ):
                for key, value in _entries(s.value):
                    new = S.assign(self.var(s.targets[0].id, key, s), self.visit(value))
                    new.lineno, new.col_offset = s.lineno, s.col_offset
                    out.append(new)
                continue
            for field in ("body", "orelse"):
                if isinstance(getattr(s, field, None), list):
                    setattr(s, field, self.block(getattr(s, field)))
            out.append(self.visit(s) if not hasattr(s, "body") else self._header(s))
        return out

    def _header(self, s):
        for field in ("test", "iter", "target"):
            v = getattr(s, field, None)
            if isinstance(v, gast.AST):
                setattr(s, field, self.visit(v))
        return s

    def visit_Subscript(self, node):
        v = node.value
        if isinstance(v, gast.Name) and v.id in self.names:
            if not isinstance(node.slice, gast.Constant):
                raise self.parsed.error(
                    f"the dict '{v.id}' is indexed with a key that is not a constant",
                    node,
                    construct=CONSTRUCT,
                )
            key = node.slice.value
            if isinstance(node.ctx, gast.Load) and key not in self.names[v.id]:
                raise self.parsed.error(
                    f"the dict '{v.id}' has no key {key!r} here", node, construct=CONSTRUCT
                )
            out = S.name(self.var(v.id, key, node), node.ctx)
            out.lineno, out.col_offset = (
                getattr(node, "lineno", None),
                getattr(node, "col_offset", 0),
            )
            return out
        return self.generic_visit(node)

    def visit_Name(self, node):
        if node.id in self.names:
            raise self.parsed.error(
                f"the dict '{node.id}' is used other than indexed with a constant key, which "
                "is not supported in differentiated code",
                node,
                construct=CONSTRUCT,
            )
        return node
