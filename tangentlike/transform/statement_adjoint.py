"""The adjoint of one assignment: recompute what the rules read, then push adjoints down.

For ``v = expr`` the expression tree is walked from the root. Each operation's rule
template gives the contribution to each operand; contributions to variables accumulate
into their adjoint (``d_x = d_x + ...``), contributions to inner operations become
temporaries (``_d3 = ...``) that are pushed further down. Primal values the rules read
(operands, results) are recomputed in the reverse sweep on demand, from variables that
the tape has restored to the values they had when the assignment ran.
"""

import gast

from .. import syntax as S
from ..custom import custom_jvp, custom_vjp
from ..analyze.expression_nodes import Node
from ..rules import instantiate, is_elementwise
from ..trees import substitute

_PLACEHOLDER = "__tl_value_"


def _replace_subtrees(tree, mapping):
    """A copy of ``tree`` with the sub-trees whose id is in ``mapping`` replaced."""
    if id(tree) in mapping:
        return S.deep(mapping[id(tree)])
    if isinstance(tree, list):
        return [_replace_subtrees(t, mapping) for t in tree]
    if not isinstance(tree, gast.AST):
        return tree
    new = type(tree)()
    for f in tree._fields:
        setattr(new, f, _replace_subtrees(getattr(tree, f, None), mapping))
    for a in ("lineno", "col_offset"):
        if hasattr(tree, a):
            setattr(new, a, getattr(tree, a))
    return new


# switch off to generate what the transform made before (benchmarks compare both)
WIDE_CALL_SEEDS = True


def takes_wide_seed(node):
    """Whether the adjoint of the call ``node`` reduces its seed to its result's shape
    itself (a generated ``_vjp_g`` does; a custom rule gets the seed as it is)."""
    if not (WIDE_CALL_SEEDS and node.kind == "call"):
        return False
    return not isinstance(node.callee, (custom_vjp, custom_jvp))


def is_atomic(e):
    return isinstance(e, (gast.Name, gast.Constant)) or (
        isinstance(e, gast.UnaryOp) and isinstance(e.operand, gast.Constant)
    )


POP_REFUSED = (
    "reverse mode through list.pop() is not supported (of a user's list, or of a tape in "
    "generated code: differentiate a gradient with forward mode); index the list instead"
)


class StatementAdjoint:
    """Builds the reverse-sweep statements for one expression tree.

    ``adjoint_name(v)`` gives the adjoint variable of ``v``; ``active`` is the set of
    active variables; ``root_value`` (optional) is an expression holding the tree's value
    (the assigned variable when the tape did not restore it); ``callee_vjp(fn, wrt)``
    returns the name of the generated adjoint of a user function.
    """

    def __init__(self, active, adjoint_name, namer, callee_vjp, root_value=None, error=None):
        self.active = active
        self.error = error  # parsed.error: a TangentlikeError with the user's line
        self.adjoint_name = adjoint_name
        self.namer = namer
        self.callee_vjp = callee_vjp
        self.root_value = root_value
        self.recompute = []  # statements recomputing primal values
        self.adjoint = []  # statements propagating adjoints
        self._values = {}  # id(node) -> expression of its value
        self._placeholders = {}  # placeholder id -> node

    def _refusal(self, message, at, construct):
        if self.error is not None:
            return self.error(message, at, construct=construct)
        from ..errors import TangentlikeError

        return TangentlikeError(message, construct=construct)

    # -------------------------------------------------------------- values
    def is_active(self, node):
        return bool(node.var_leaves() & self.active)

    def value(self, node, root=None):
        """An expression for the primal value of ``node`` (recomputed when needed)."""
        key = id(node)
        if key in self._values:
            return self._values[key]
        if node is root and self.root_value is not None:
            e = self.root_value
        elif node.kind == "pop":
            raise self._refusal(POP_REFUSED, node.ast, "list.pop")
        elif node.kind in ("var", "const", "opaque"):
            e = node.ast
        else:
            mapping = {}
            if node.kind == "op":
                for pname, child in node.params.items():
                    if isinstance(child, Node):
                        mapping[id(child.ast)] = self.value(child)
            elif node.kind in ("call", "seq"):
                for child in node.args:
                    mapping[id(child.ast)] = self.value(child)
            elif node.kind == "getitem":
                mapping[id(node.base.ast)] = self.value(node.base)
            expr = _replace_subtrees(node.ast, mapping)
            t = self.namer.numbered("_t")
            self.recompute.append(S.assign(t, expr))
            e = S.name(t)
        self._values[key] = e
        return e

    def _lazy(self, node, root):
        pid = f"{_PLACEHOLDER}{len(self._placeholders)}"
        self._placeholders[pid] = (node, root)
        return S.name(pid)

    def _resolve(self, expr):
        def replace(name):
            if name.id.startswith(_PLACEHOLDER):
                return S.deep(self.value(*self._placeholders[name.id]))
            return name

        return substitute(expr, replace)

    # -------------------------------------------------------------- adjoints
    def accumulate(self, var, contribution):
        d = self.adjoint_name(var)
        self.adjoint.append(
            S.assign(d, gast.BinOp(left=S.name(d), op=gast.Add(), right=contribution))
        )

    def _as_temp(self, expr):
        if is_atomic(expr):
            return expr
        t = self.namer.numbered("_d")
        self.adjoint.append(S.assign(t, expr))
        return S.name(t)

    def propagate(self, node, g, root=None, wide=False):
        """Emit the adjoint statements of ``node`` given its adjoint expression ``g``.

        ``wide``: ``g`` may still have the broadcast shape of an elementwise parent; the
        node then reduces its contributions to its operands' shapes itself."""
        if not self.is_active(node):
            return
        kind = node.kind
        if kind == "var":
            self.accumulate(node.name, g)
        elif kind == "op":
            self._propagate_op(node, g, root, wide)
        elif kind == "getitem":
            self._propagate_getitem(node, g)
        elif kind == "call":
            self._propagate_call(node, g)
        elif kind == "seq":
            self._propagate_seq(node, g)
        elif kind == "pop":
            raise self._refusal(POP_REFUSED, node.ast, "list.pop")

    def _propagate_op(self, node, g, root, wide=False):
        if node.rule.extra.get("forward_only"):
            raise self._refusal(
                f"'{node.rule.name}' in generated code has no reverse-mode rule: "
                "differentiate a gradient with forward mode (tl.jvp, tl.hvp, tl.hessian)",
                node.ast,
                node.rule.name,
            )
        bound = {}
        for pname, child in node.params.items():
            if isinstance(child, Node):
                bound[pname] = self._lazy(child, None)
            else:
                bound[pname] = child
        prelude, contribs = instantiate(
            node.rule,
            bound,
            z=self._lazy(node, root),
            g=g,
            module=node.module,
            locals_namer=lambda n: self.namer.numbered("_r"),
        )
        for s in prelude:
            self.adjoint.append(self._resolve(s))
        for pname, expr in contribs:
            child = node.params.get(pname)
            if not isinstance(child, Node) or not self.is_active(child):
                continue
            reduced = (
                isinstance(expr, gast.Call)
                and isinstance(expr.func, gast.Name)
                and expr.func.id == "unbroadcast"
            )
            if wide and not reduced:
                expr = S.call("unbroadcast", expr, bound[pname])
                reduced = True
            child_wide = False
            if reduced and child.kind == "op" and is_elementwise(child.rule, child.key):
                # an elementwise child can reduce the adjoint to its own operands'
                # shapes, so it needs no reduction (and no recomputed value) here
                expr, child_wide = expr.args[0], True
            elif reduced and takes_wide_seed(child):
                # so does a user function's adjoint: the call is not run again here
                # only to learn its result's shape
                expr = expr.args[0]
            expr = self._resolve(expr)
            if child.kind == "var":
                self.accumulate(child.name, expr)
            else:
                self.propagate(child, self._as_temp(expr), wide=child_wide)

    def _propagate_getitem(self, node, g):
        base = node.base
        if base.kind == "var":
            d = self.adjoint_name(base.name)
            target = gast.Subscript(value=S.name(d), slice=S.deep(node.index), ctx=gast.Store())
            self.adjoint.append(gast.AugAssign(target=target, op=gast.Add(), value=g))
            return
        t = self.namer.numbered("_d")
        self.adjoint.append(S.assign(t, S.call("zeros_like", S.deep(self.value(base)))))
        target = gast.Subscript(value=S.name(t), slice=S.deep(node.index), ctx=gast.Store())
        self.adjoint.append(gast.AugAssign(target=target, op=gast.Add(), value=g))
        self.propagate(base, S.name(t))

    def _propagate_call(self, node, g):
        wrt = tuple(k for k, a in enumerate(node.args) if self.is_active(a))
        fname = self.callee_vjp(node.callee, wrt)
        args = [S.deep(self.value(a)) for a in node.args]
        outs = [self.namer.numbered("_d") for _ in wrt]
        target = gast.Tuple(elts=[S.store(o) for o in outs], ctx=gast.Store())
        self.adjoint.append(S.assign(target, S.call(fname, *args, g)))
        for k, o in zip(wrt, outs):
            self.propagate(node.args[k], S.name(o))

    def _propagate_seq(self, node, g):
        axis = node.axis
        offset = None
        for k, elem in enumerate(node.args):
            lead = [gast.Slice(lower=None, upper=None, step=None) for _ in range(axis)]
            if node.seq_kind == "concatenate":
                size = gast.Subscript(
                    value=S.attr(S.deep(self.value(elem)), "shape"),
                    slice=S.const(axis),
                    ctx=gast.Load(),
                )
                lo = offset if offset is not None else S.const(0)
                hi = (
                    size
                    if offset is None
                    else gast.BinOp(left=S.deep(offset), op=gast.Add(), right=size)
                )
                idx = lead + [gast.Slice(lower=S.deep(lo), upper=hi, step=None)]
                offset = S.deep(hi)
            else:
                idx = lead + [S.const(k)]
            if not self.is_active(elem):
                continue
            index = idx[0] if len(idx) == 1 else gast.Tuple(elts=idx, ctx=gast.Load())
            part = gast.Subscript(value=S.deep(g), slice=index, ctx=gast.Load())
            self.propagate(elem, part)

    # -------------------------------------------------------------- entry
    def run(self, tree, g):
        """Recompute + adjoint statements for the whole tree with root adjoint ``g``."""
        self.propagate(tree, g, root=tree)
        return self.recompute, self.adjoint
