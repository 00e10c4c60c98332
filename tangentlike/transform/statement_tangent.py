"""The tangent of one assignment (forward mode): sum each operand's contribution.

``tangent(node)`` returns an expression for the node's tangent, or ``None`` when it is
zero. Intermediate primal values a rule reads are recomputed as temporaries (the same
demand-driven recomputation as in reverse mode), so only the values actually read are
computed: no dead primal work.
"""

import gast

from .. import syntax as S
from ..analyze.expression_nodes import Node
from ..rules import instantiate, tangent_rule
from .statement_adjoint import StatementAdjoint, is_atomic


def _sum(terms):
    terms = [t for t in terms if t is not None]
    if not terms:
        return None
    out = terms[0]
    for t in terms[1:]:
        out = gast.BinOp(left=out, op=gast.Add(), right=t)
    return out


class StatementTangent(StatementAdjoint):
    """``tangent_name(v)`` names the tangent of variable ``v``; ``callee_jvp(fn, wrt)``
    names the generated forward-mode function of a user function."""

    def __init__(self, active, tangent_name, namer, callee_jvp, root_value=None):
        super().__init__(active, tangent_name, namer, None, root_value)
        self.tangent_name = tangent_name
        self.callee_jvp = callee_jvp
        self.calls = []  # hoisted jvp calls of user functions

    def _temp(self, expr):
        if expr is None or is_atomic(expr):
            return expr
        t = self.namer.numbered("_dt")
        self.recompute.append(S.assign(t, expr))
        return S.name(t)

    def tangent(self, node, root=None):
        if not self.is_active(node):
            return None
        kind = node.kind
        if kind == "var":
            return S.name(self.tangent_name(node.name))
        if kind == "getitem":
            base = self.tangent(node.base)
            return gast.Subscript(value=base, slice=S.deep(node.index), ctx=gast.Load())
        if kind == "pop":  # v = stack.pop(): pop the tangent stack alongside
            return S.call(S.attr(self.tangent(node.base), "pop"))
        if kind == "op":
            return self._op(node, root)
        if kind == "call":
            return self._call(node)
        if kind == "seq":
            return self._seq(node)
        return None

    def _op(self, node, root):
        rule = tangent_rule(node.rule, node.key)
        bound = {
            p: (self._lazy(c, None) if isinstance(c, Node) else c) for p, c in node.params.items()
        }
        terms = []
        for pname, child in node.params.items():
            if (
                not isinstance(child, Node)
                or pname not in rule.diff_params
                or not self.is_active(child)
            ):
                continue
            t = self._temp(self.tangent(child))
            prelude, contribs = instantiate(
                rule,
                bound,
                z=self._lazy(node, root),
                g=t,
                module=node.module,
                locals_namer=lambda n: self.namer.numbered("_r"),
            )
            for s in prelude:
                self.recompute.append(self._resolve(s))
            for p, expr in contribs:
                if p == pname:
                    terms.append(self._resolve(expr))
        total = _sum(terms)
        diff = [c for p, c in node.params.items() if p in rule.diff_params]
        # numeric literals never widen the shape; other operands without a tangent may
        if (
            total is not None
            and rule.extra.get("expand")
            and not all(
                isinstance(c, Node) and (self.is_active(c) or isinstance(c.ast, gast.Constant))
                for c in diff
            )
        ):
            total = S.call("expand_like", total, S.deep(self._lazy(node, root)))
            total = self._resolve(total)
        return total

    def _call(self, node):
        wrt = tuple(k for k, a in enumerate(node.args) if self.is_active(a))
        fname = self.callee_jvp(node.callee, wrt)
        args = [S.deep(self.value(a)) for a in node.args]
        tans = [self.tangent(node.args[k]) for k in wrt]
        v = self.namer.numbered("_t")
        dv = self.namer.numbered("_dt")
        target = gast.Tuple(elts=[S.store(v), S.store(dv)], ctx=gast.Store())
        self.recompute.append(S.assign(target, S.call(fname, *args, *tans)))
        self._values[id(node)] = S.name(v)
        return S.name(dv)

    def _seq(self, node):
        elts = []
        for elem in node.args:
            t = self.tangent(elem)
            elts.append(t if t is not None else S.call("zeros_like", S.deep(self.value(elem))))
        seq = gast.Tuple(elts=elts, ctx=gast.Load())
        if node.seq_kind == "tuple":
            return (
                seq if isinstance(node.ast, gast.Tuple) else gast.List(elts=elts, ctx=gast.Load())
            )
        call = S.deep(node.ast)
        if (
            node.seq_kind == "stack"
            and isinstance(call.func, gast.Attribute)
            and call.func.attr in ("array", "asarray")
        ):
            call.args[0] = gast.List(elts=elts, ctx=gast.Load())
            return call
        call.args = [seq] + [S.deep(a) for a in call.args[1:]]
        call.keywords = [k for k in S.deep(call.keywords) if k.arg != "arrays"]
        return call
