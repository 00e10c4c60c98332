"""Forward mode: a tangent statement beside each primal statement.

``jvp_f(*args, *tangents) -> (result, result_tangent)``. Control flow is kept as it is
(forward mode needs no tape): each active assignment ``v = expr`` gets
``v_dot = <tangent of expr>``; the tangent goes before the primal statement when ``expr``
reads ``v`` itself, after it otherwise (so ``z`` can be read from ``v``).
"""

import gast

from .. import syntax as S
from ..analyze.aliases import alias_sources
from ..analyze.dataflow import analyze_function, targets_of
from .statement_adjoint import _replace_subtrees
from .reads import loads, rename
from .statement_tangent import StatementTangent

ROOT = "__tl_root__"


class ForwardTransform:
    def __init__(self, parsed, body, wrt, namer, callee_jvp, func_name):
        self.parsed = parsed
        self.body = body
        self.wrt = wrt
        self.namer = namer
        self.callee_jvp = callee_jvp
        self.func_name = func_name
        self.args = [a.id for a in parsed.node.args.args]
        self.tangents = {}
        self._last_comment = None

    def tan(self, v):
        if v not in self.tangents:
            self.tangents[v] = self.namer.fresh(f"{v}_dot")
        return self.tangents[v]

    def build(self):
        ret = self.body[-1]
        body = self.body[:-1]
        value = ret.value
        if value is None:
            raise self.parsed.error("the function returns None; nothing to differentiate", ret)
        tuple_out = isinstance(value, gast.Tuple)
        elts = value.elts if tuple_out else [value]
        outs = []
        for k, e in enumerate(elts):
            if isinstance(e, gast.Name):
                outs.append(e.id)
            else:
                t = self.namer.fresh(f"_out{k}" if tuple_out else "_out")
                a = S.assign(t, e)
                a.lineno = ret.lineno
                body.append(a)
                outs.append(t)
        wrt_names = [self.args[k] for k in self.wrt]
        facts, _ = analyze_function(self.parsed, body, wrt_names, outs, reverse=False)
        self.facts = facts
        for k in self.wrt:
            self.tan(self.args[k])
        pre = [S.assign(v, S.call("own", S.name(v))) for v in self.args if v in facts.owned_args]
        for v in self.args:  # an argument without a tangent that gets one later
            if v in facts.active and v not in wrt_names:
                pre.append(S.assign(self.tan(v), S.call("zeros_like", S.name(v))))
        for v in wrt_names:
            if v in facts.stored_into:
                pre.append(S.assign(self.tan(v), S.call("own", S.name(self.tan(v)))))
        fwd = self._block(body)
        res, dres = [], []
        for o in outs:
            res.append(S.name(o))
            dres.append(
                S.name(self.tan(o))
                if o in facts.active or o in wrt_names
                else S.call("zeros_like", S.name(o))
            )
        if tuple_out:
            ret_value = gast.Tuple(
                elts=[
                    gast.Tuple(elts=res, ctx=gast.Load()),
                    gast.Tuple(elts=dres, ctx=gast.Load()),
                ],
                ctx=gast.Load(),
            )
        else:
            ret_value = gast.Tuple(elts=[res[0], dres[0]], ctx=gast.Load())
        params = [S.name(a, gast.Param()) for a in self.args] + [
            S.name(self.tangents[self.args[k]], gast.Param()) for k in self.wrt
        ]
        return gast.FunctionDef(
            name=self.func_name,
            args=gast.arguments(
                args=params,
                posonlyargs=[],
                vararg=None,
                kwonlyargs=[],
                kw_defaults=[],
                kwarg=None,
                defaults=[],
            ),
            body=pre + fwd + [gast.Return(value=ret_value)],
            decorator_list=[],
            returns=None,
            type_comment=None,
            type_params=[],
        )

    # ------------------------------------------------------------------ statements
    def _block(self, stmts):
        out = []
        for s in stmts:
            if isinstance(s, gast.Assign):
                out += self._assign(s)
            elif isinstance(s, gast.If):
                s.body = self._block(s.body) or [gast.Pass()]
                s.orelse = self._block(s.orelse)
                out.append(s)
            elif isinstance(s, (gast.For, gast.While)):
                s.body = self._block(s.body) or [gast.Pass()]
                out.append(s)
            elif id(s) in self.facts.list_ops:
                out += self._list_op(s)
            else:
                out.append(s)
        return out

    def _list_op(self, s):
        """A list used as a stack (a tape in generated code) keeps a stack of tangents."""
        name, meth, node = self.facts.list_ops[id(s)]
        if name not in self.facts.active:
            return [s]
        method = S.attr(S.name(self.tan(name)), meth)
        if meth == "pop":
            return [s, gast.Expr(value=S.call(method))]
        st = StatementTangent(self.facts.active, self.tan, self.namer, self.callee_jvp)
        t = st.tangent(node)
        if t is None:
            t = S.call("zeros_like", S.deep(node.ast))
        return st.recompute + [s, gast.Expr(value=S.call(method, t))]

    def _assign(self, s):
        facts = self.facts
        target = s.targets[0]
        tree = facts.trees[id(s)]
        names = targets_of(s)
        if not any(v in facts.active for v in names):
            if tree.kind == "pop" and tree.base.name in facts.active:  # its tangent
                return [
                    s,
                    gast.Expr(
                        value=S.call(  # stack too
                            S.attr(S.name(self.tan(tree.base.name)), "pop")
                        )
                    ),
                ]
            return [s]
        st = StatementTangent(
            facts.active, self.tan, self.namer, self.callee_jvp, root_value=S.name(ROOT)
        )
        if isinstance(target, gast.Tuple):  # a, b = g(...)
            t = st.tangent(tree)
            if t is None:
                return [s] + [
                    S.assign(self.tan(v), S.call("zeros_like", S.name(v)))
                    for v in names
                    if v in facts.active
                ]
            if tree.kind != "call":  # a, b = np.linalg.slogdet(x)
                tup = self.namer.numbered("_dt")
                out = st.recompute + [s, S.assign(tup, t)]
                for k, v in enumerate(names):
                    if v in facts.active:
                        out.append(
                            S.assign(
                                self.tan(v),
                                gast.Subscript(
                                    value=S.name(tup), slice=S.const(k), ctx=gast.Load()
                                ),
                            )
                        )
                return out
            hoisted = st.recompute[-1]  # (_t, _dt) = jvp_g(...)
            v_res, v_tan = hoisted.targets[0].elts
            out = st.recompute + [S.assign(S.deep(target), S.name(v_res.id))]
            for k, v in enumerate(names):
                if v in facts.active:
                    out.append(
                        S.assign(
                            self.tan(v),
                            gast.Subscript(
                                value=S.name(v_tan.id), slice=S.const(k), ctx=gast.Load()
                            ),
                        )
                    )
            return out
        if isinstance(s.value, gast.List) and not s.value.elts:  # a new (tape) list
            return [s, S.assign(self.tan(target.id), gast.List(elts=[], ctx=gast.Load()))]
        if isinstance(target, gast.Subscript):
            v = names[0]
            t = st.tangent(tree, root=tree)
            slot = S.as_store(target)
            base = slot
            while isinstance(base.value, gast.Subscript):
                base = base.value
            base.value = S.name(self.tan(v))
            tan_stmt = S.assign(slot, t if t is not None else S.const(0.0))
            self_ref = True  # the store may overwrite what it reads
            primal = self._primal_with_hoisted(s, st, tree)
        else:
            v = target.id
            t = st.tangent(tree, root=tree)
            primal = self._primal_with_hoisted(s, st, tree)
            if t is None:  # assigned a value without a tangent
                return st.recompute + [
                    primal,
                    S.assign(self.tan(v), S.call("zeros_like", S.name(v))),
                ]
            if self._shares_unlike_primal(v, s.value, t, st.recompute):
                t = S.call("copy_value", t)
            tan_stmt = S.assign(self.tan(v), t)
            self_ref = v in loads(st.recompute + [tan_stmt])
        pre = st.recompute
        if not self_ref:
            rename(pre + [tan_stmt], ROOT, v)
            return pre + [primal, tan_stmt]
        if ROOT in loads(pre + [tan_stmt]):
            # the tangent reads old values and the result: compute the result first
            tmp = self.namer.numbered("_t")
            rename(pre + [tan_stmt], ROOT, tmp)
            new_primal = S.deep(primal)
            value = new_primal.value
            new_primal.value = S.name(tmp)
            return pre + [S.assign(tmp, value), tan_stmt, new_primal]
        return pre + [tan_stmt, primal]

    def _shares_unlike_primal(self, v, value, t, recompute):
        """Whether ``v_dot = t`` would make the tangent share an array that the primal
        does not (``y = x + 1.0`` is a new array, its tangent is ``x_dot`` itself) while
        one of the two is written in place: the write would change the other tangent."""
        if alias_sources(value):
            return False  # a view or alias: its tangent shares the same way
        temps = {a.targets[0].id: a.value for a in recompute if isinstance(a.targets[0], gast.Name)}
        todo, sources = list(alias_sources(t)), set()
        while todo:
            n = todo.pop()
            if n not in sources:
                sources.add(n)
                todo += alias_sources(temps[n]) if n in temps else []
        written = self.facts.stored_into
        return v in written or any(self.tangents.get(w) in sources for w in written)

    def _primal_with_hoisted(self, s, st, tree):
        """The primal statement reusing the values the tangent code computed just before
        it (intermediates, and user calls whose jvp returned the value too), so nothing
        is computed twice."""
        mapping = {}

        def visit(node):
            val = st._values.get(id(node))
            if (
                node.kind in ("op", "call", "getitem", "seq")
                and isinstance(val, gast.Name)
                and val.id.startswith("_t")
            ):
                mapping[id(node.ast)] = val
            for c in node.children():
                visit(c)

        visit(tree)
        if not mapping:
            return s
        new = S.deep(s)
        new.value = _replace_subtrees(s.value, mapping)
        return new
