"""Reverse mode: turn a normalized function into its vector-Jacobian product.

The generated function has two sweeps in one body:

* the forward sweep is the primal code, plus tape pushes after assignments whose old
  values the reverse sweep will read, branch flags and loop trip counts;
* the reverse sweep visits the statements backwards: each assignment's adjoint (see
  ``statement_adjoint``), a branch taken again from its flag, a loop run backwards.

Only active variables (see ``analyze.dataflow``) get adjoints, and only variables that
the reverse sweep reads *and* that are overwritten go on the tape.
"""

import gast

from ..emit.printer import COMMENT_PREFIX
from .. import syntax as S
from ..analyze.dataflow import analyze_function, targets_of
from ..optimize.facts import Aliases
from .statement_adjoint import StatementAdjoint, _replace_subtrees
from .control_flow import has_break, push_on_exit, reverse_range
from .reads import NamerView, loads, rename, value_loads
from .checkpoint import CheckpointMixin
from .remat import RematMixin
from .tape import ListTape
from .lists import ListMixin

ROOT = "__tl_root__"


class ReverseTransform(RematMixin, CheckpointMixin, ListMixin):
    def __init__(
        self,
        parsed,
        body,
        wrt,
        namer,
        callee_vjp,
        func_name,
        return_result=True,
        checkpoint=None,
        has_aux=False,
    ):
        self.parsed = parsed
        self.body = body
        self.wrt = wrt
        self.namer = namer
        self.callee_vjp = callee_vjp
        self.func_name = func_name
        self.return_result = return_result
        self.args = [a.id for a in parsed.node.args.args]
        self.tape = ListTape(namer)
        self._last_comment = None
        self.checkpoint = checkpoint  # None, or the snapshot count (an int or "auto")
        self.checkpointed = None  # the loop reversed by a checkpointing schedule
        self.uses_revolve = False
        self.has_aux = has_aux  # returns (loss, aux): only loss is differentiated

    # ================================================================ setup
    def _split_return(self):
        ret = self.body[-1]
        assert isinstance(ret, gast.Return)
        body = self.body[:-1]
        value = ret.value
        if value is None:
            raise self.parsed.error("the function returns None; nothing to differentiate", ret)
        if isinstance(value, gast.Tuple):
            outs = []
            for k, e in enumerate(value.elts):
                if isinstance(e, gast.Name):
                    outs.append(e.id)
                else:
                    t = self.namer.fresh(f"_out{k}")
                    a = S.assign(t, e)
                    a.lineno = ret.lineno
                    body.append(a)
                    outs.append(t)
            return body, outs, True, ret
        if not isinstance(value, gast.Name):
            t = self.namer.fresh("_out")
            a = S.assign(t, value)
            a.lineno = ret.lineno
            body.append(a)
            value = S.name(t)
        return body, [value.id], False, ret

    def adj(self, v):
        if v not in self.adjoints:
            self.adjoints[v] = self.namer.fresh(f"d_{v}")
        return self.adjoints[v]

    # ================================================================ main
    def build(self):
        body, outs, tuple_out, ret = self._split_return()
        returned, result_tuple = outs, tuple_out
        if self.has_aux:  # seed the loss only; aux passes through
            if not tuple_out or len(outs) != 2:
                raise self.parsed.error(
                    "has_aux=True needs the function to return a pair (loss, aux)", ret
                )
            outs, tuple_out = outs[:1], False
        wrt_names = [self.args[k] for k in self.wrt]
        facts, _ = analyze_function(self.parsed, body, wrt_names, outs)
        self.facts = facts
        self.adjoints = {}
        for v in self.args:
            if v in facts.active or v in wrt_names:
                self.adj(v)
        for v in sorted(facts.active):
            self.adj(v)
        self.seed = self.namer.fresh("d_result")

        self.taped, self.item_taped, self._depth, self._hoisted = set(), set(), 0, None
        self.remat = {}  # id(loop) -> statements recomputed, not taped
        self.remat_after = {}  # id(loop) -> body position they go after
        self._body, self._outs = body, set(returned)
        self._find_remat(body, set())
        if self.checkpoint is not None:
            self.checkpointed = self._checkpoint_loop(body)
        remat_vars = {v for stmts in self.remat.values() for st in stmts for v in targets_of(st)}
        self.remat_vars = remat_vars

        # dry run: which primal values does the reverse sweep read?
        saved = self.namer
        self._depth = 0
        self.namer = NamerView(saved)
        self.taped, self.item_taped, self.restored_lists = set(), set(), set()
        reads = self._reverse_reads(body)
        self.restored_lists = {
            name for name, meth, _ in facts.list_ops.values() if meth == "append" and name in reads
        }
        self.namer = saved
        self.taped = {
            v for v in reads if v in facts.locals and facts.overwritten(v) and v not in remat_vars
        }
        # an array written in place is recorded where the reverse sweep reads it, or
        # reads a name that may share its object (``u, u_new = u_new, u`` and then
        # ``u_new[i] = ...`` changes the buffer a taped ``u`` still refers to)
        aliases = Aliases(gast.Module(body=body, type_ignores=[]))
        self.item_taped = {v for v in facts.stored_into if aliases.touches([v], reads)}
        # restoring its elements writes through the name: it must name the same object
        # then as in the forward sweep
        self.taped |= {
            v
            for v in self.item_taped
            if v in facts.locals and facts.overwritten(v) and v not in remat_vars
        }

        fwd, bwd = self._block(body, 0)

        pre = []
        for v in self.args:
            if v in facts.owned_args:
                pre.append(S.assign(v, S.call("own", S.name(v))))
        # a reassigned argument's adjoint starts with the reverse sweep, shaped like its
        # final value (which may differ from the argument's: `if c: x = x[0]`)
        late = {v for v in self.args if v in facts.active and facts.ndefs.get(v, 0)}
        for v in self.args:
            if v in self.adjoints and v not in late:
                pre.append(S.assign(self.adjoints[v], S.call("zeros_like", S.name(v))))
        for v in self.args:
            if v in self.taped:
                pre += self.tape.push(v)
        mid = []
        result_names = []
        clobbered = self._checkpoint_clobbers(returned)
        for o in returned:
            if o in self.taped or o in clobbered:
                t = self.namer.fresh(f"_{o}_value")
                value = S.call("copy_value", S.name(o)) if clobbered.get(o) else S.name(o)
                mid.append(S.assign(t, value))
                result_names.append(t)
            else:
                result_names.append(o)
        for v in sorted(facts.active & facts.defined_at_end - set(self.args) | late):
            mid.append(S.assign(self.adj(v), S.call("zeros_like", S.name(v))))
        for k, o in enumerate(outs):
            if o in facts.active:
                seed = (
                    S.name(self.seed)
                    if not tuple_out
                    else gast.Subscript(value=S.name(self.seed), slice=S.const(k), ctx=gast.Load())
                )
                mid.append(
                    S.assign(
                        self.adj(o), gast.BinOp(left=S.name(self.adj(o)), op=gast.Add(), right=seed)
                    )
                )
        grads = []
        for k in self.wrt:
            v = self.args[k]
            g = S.name(self.adjoints[v])
            grads.append(S.call("cast_like", g, S.name(v)) if self.return_result else g)
        grads_t = gast.Tuple(elts=grads, ctx=gast.Load())
        if self.return_result:
            res = (
                gast.Tuple(elts=[S.name(r) for r in result_names], ctx=gast.Load())
                if result_tuple
                else S.name(result_names[0])
            )
            ret_value = gast.Tuple(elts=[res, grads_t], ctx=gast.Load())
        else:
            ret_value = grads_t
        comment = [self._comment_stmt("reverse sweep")]
        # arguments pushed at entry come off last: every push has its pop (docs/design.md)
        post = [st for v in self.args if v in self.taped for st in self.tape.discard(v)]
        fbody = (
            self.tape.create()
            + pre
            + fwd
            + comment
            + mid
            + bwd
            + post
            + [gast.Return(value=ret_value)]
        )
        fbody = [s for s in fbody if s is not None]
        params = [S.name(a, gast.Param()) for a in self.args] + [S.name(self.seed, gast.Param())]
        fdef = gast.FunctionDef(
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
            body=fbody,
            decorator_list=[],
            returns=None,
            type_comment=None,
            type_params=[],
        )
        return fdef

    # ================================================================ dry run
    def _reverse_reads(self, stmts, depth=0):
        reads = set()
        for s in stmts:
            self._depth = depth
            if isinstance(s, gast.Assign):
                reads |= value_loads(self._assign_adjoint(s), self.facts.shape_varying)
                self._hoisted = None
            elif isinstance(s, gast.If):
                reads |= self._reverse_reads(s.body, depth) | self._reverse_reads(s.orelse, depth)
            elif isinstance(s, gast.For):
                inner = self._reverse_reads(s.body, depth + 1)
                reads |= inner | S.loaded_names(s.iter) | loads(self.remat.get(id(s), []))
            elif isinstance(s, gast.While):
                reads |= self._reverse_reads(s.body, depth + 1)
            elif isinstance(s, gast.Expr) and id(s) in self.facts.list_ops:
                reads |= value_loads(self._append_adjoint(s), self.facts.shape_varying)
        return reads

    # ================================================================ sweeps
    def _comment_stmt(self, text):
        return gast.Expr(value=gast.Constant(value=COMMENT_PREFIX + text, kind=None))

    def _comment(self, s):
        line = self.parsed.source_line(s)
        if line is None or line == self._last_comment:
            return []
        self._last_comment = line
        return [self._comment_stmt(line)]

    def _block(self, stmts, depth):
        fwd, bwd, chunks = [], [], []
        for s in stmts:
            self._depth = depth
            f, b = self._stmt(s, depth)
            fwd += f
            chunks.append(b)
            if b:
                bwd = b + bwd
        self._chunks = chunks
        return fwd, bwd

    def _stmt(self, s, depth):
        if isinstance(s, gast.Assign):
            hoisted = self._hoistable(s)
            bwd = self._assign_adjoint(s)
            pre = []
            if hoisted and self._hoisted:
                # outside loops nothing overwrites these intermediates: compute them once,
                # in the forward sweep, instead of again in the reverse sweep
                pre, mapping = self._hoisted
                s.value = _replace_subtrees(s.value, mapping)
            self._hoisted = None
            return pre + self._assign_forward(s), self._with_comment(s, bwd)
        if isinstance(s, gast.If):
            return self._if(s, depth)
        if isinstance(s, gast.For):
            return self._for(s, depth)
        if isinstance(s, gast.While):
            return self._while(s, depth)
        if isinstance(s, gast.Expr) and id(s) in self.facts.list_ops:
            return [s] + self._append_forward(s), self._with_comment(s, self._append_adjoint(s))
        return [s], []

    def _with_comment(self, s, stmts):
        if not stmts:
            return []
        self._last_comment = None
        return self._comment(s) + stmts

    # ---------------------------------------------------------------- assignments
    def _assign_forward(self, s):
        facts = self.facts
        target = s.targets[0]
        out = []
        if isinstance(target, gast.Subscript):
            v = targets_of(s)[0]
            if v in self.item_taped:
                out += self.tape.push_item(v, target)
            return out + [s]
        out.append(s)
        maybe_undef = facts.maybe_undefined.get(id(s), set())
        for v in targets_of(s):
            if v in self.taped:
                out += self.tape.push(v)
        for v in targets_of(s):
            # adjoints of variables that may not exist at the end start here; the others
            # start at the top of the reverse sweep, shaped like their final value
            if (
                v in facts.active
                and v in maybe_undef
                and v not in facts.defined_at_end
                and v not in self.remat_vars
            ):
                out.append(S.assign(self.adj(v), S.call("zeros_like", S.name(v))))
        return out

    def _statement_adjoint(self, root_value=None):
        return StatementAdjoint(
            self.facts.active, self.adj, self.namer, self.callee_vjp, root_value=root_value
        )

    def _assign_adjoint(self, s):
        target = s.targets[0]
        if isinstance(target, gast.Subscript):
            return self._store_adjoint(s, target)
        if isinstance(target, gast.Tuple):
            return self._tuple_adjoint(s, target)
        return self._name_adjoint(s, target.id)

    def _restore(self, s, v):
        if v not in self.taped:
            return []
        first = v in self.facts.maybe_undefined.get(id(s), set())
        if self._depth == 0 and v in self.facts.never_defined.get(id(s), set()):
            return self.tape.discard(v)  # the first value of v: nothing older to restore
        return self.tape.restore(v, guarded=first)

    def _reset(self, v):
        return [S.assign(self.adj(v), S.call("zeros_like", S.name(v)))]

    def _hoistable(self, s):
        return self._depth == 0 and isinstance(s.targets[0], gast.Name)

    def _name_adjoint(self, s, v):
        facts = self.facts
        tree = facts.trees[id(s)]
        active_v = v in facts.active
        sa = self._statement_adjoint(S.name(ROOT))
        self_ref = active_v and v in tree.var_leaves()
        recompute, adjoint = [], []
        head = []
        if active_v and sa.is_active(tree):
            g = S.name(self.adj(v))
            if self_ref:
                gname = self.namer.numbered("_g")
                head.append(S.assign(gname, S.name(self.adj(v))))
                g = S.name(gname)
            recompute, adjoint = sa.run(tree, g)
        if recompute and self._hoistable(s):
            mapping = {}
            stack = [tree]
            while stack:
                node = stack.pop()
                val = sa._values.get(id(node))
                if node is not tree and isinstance(val, gast.Name) and val.id.startswith("_t"):
                    mapping[id(node.ast)] = val
                stack.extend(node.children())
            self._hoisted = (recompute, mapping)
            recompute = []
        body = recompute + adjoint
        capture = []
        if ROOT in loads(body):
            if v in self.taped:
                t = self.namer.numbered("_t")
                capture.append(S.assign(t, S.name(v)))
                rename(body, ROOT, t)
            else:
                rename(body, ROOT, v)
        out = capture + head + self._restore(s, v)
        overwritten = facts.overwritten(v) and v not in self.remat_vars
        if active_v and overwritten and (self_ref or body):
            if self_ref:
                out += self._reset(v) + body
            else:
                out += body + self._reset(v)
        elif active_v and overwritten:
            out += self._reset(v)
        else:
            out += body
        return out

    def _store_adjoint(self, s, target):
        facts = self.facts
        v = targets_of(s)[0]
        tree = facts.trees[id(s)]
        out = []
        gname = None
        if v in facts.active:
            gname = self.namer.numbered("_g")
            slot = S.as_load(target)
            slot.value = self._adjoint_base(slot.value, v)
            out.append(S.assign(gname, S.call("copy_value", slot)))
            zero_slot = S.as_store(target)
            zero_slot.value = self._adjoint_base(S.as_load(target).value, v)
            out.append(S.assign(zero_slot, S.const(0.0)))
        if v in self.item_taped:
            out += self.tape.restore_item(v, target)
        if gname is not None:
            sa = self._statement_adjoint()
            if sa.is_active(tree):
                # the value may be broadcast into the slot (a number into a row, a row
                # into a block): its adjoint is the slot's, reduced to the value's shape
                g = S.call("unbroadcast", S.name(gname), S.deep(sa.value(tree)))
                recompute, adjoint = sa.run(tree, g)
                out += recompute + adjoint
        return out

    def _adjoint_base(self, base, v):
        """``x[i][j]`` -> ``d_x[i][j]``: the same subscripts on the adjoint array."""
        if isinstance(base, gast.Name):
            return S.name(self.adj(v))
        base = S.deep(base)
        inner = base
        while isinstance(inner.value, gast.Subscript):
            inner = inner.value
        inner.value = S.name(self.adj(v))
        return base

    def _tuple_adjoint(self, s, target):
        facts = self.facts
        names = [e.id for e in target.elts]
        tree = facts.trees[id(s)]
        sa = self._statement_adjoint()
        live = any(n in facts.active for n in names) and sa.is_active(tree)
        out, seeds = [], []
        if live:
            for n in names:
                g = self.namer.numbered("_g")
                src = S.name(self.adj(n)) if n in facts.active else S.call("zeros_like", S.name(n))
                out.append(S.assign(g, src))
                seeds.append(S.name(g))
        for n in names:
            out += self._restore(s, n)
        for n in names:
            if n in facts.active and facts.overwritten(n):
                out += self._reset(n)
        if live:
            recompute, adjoint = sa.run(tree, gast.Tuple(elts=seeds, ctx=gast.Load()))
            out += recompute + adjoint
        return out

    # ---------------------------------------------------------------- control flow
    def _if(self, s, depth):
        fb, bb = self._block(s.body, depth)
        fe, be = self._block(s.orelse, depth)
        if not (bb or be):
            return [gast.If(test=s.test, body=fb or [gast.Pass()], orelse=fe)], []
        if depth == 0:
            flag = self.namer.fresh("_branch")
            fwd = [
                S.assign(flag, s.test),
                gast.If(test=S.name(flag), body=fb or [gast.Pass()], orelse=fe),
            ]
            test = S.name(flag)
        else:
            # the flag goes last on every way out of the branch, so that nested flags
            # pushed inside it come off the stack after it in the reverse sweep
            fwd = [
                gast.If(
                    test=s.test,
                    body=push_on_exit(fb, lambda: self.tape.push_flow(S.const(1))),
                    orelse=push_on_exit(fe, lambda: self.tape.push_flow(S.const(0))),
                )
            ]
            test = gast.Compare(
                left=self.tape.pop_flow(), ops=[gast.Eq()], comparators=[S.const(1)]
            )
        bwd = [gast.If(test=test, body=bb or [gast.Pass()], orelse=be)]
        return fwd, bwd

    def _counter(self, depth):
        n = self.namer.fresh("_iters")
        init = S.assign(n, S.const(0))
        step = S.assign(n, gast.BinOp(left=S.name(n), op=gast.Add(), right=S.const(1)))
        after = self.tape.push_flow(S.name(n)) if depth > 0 else []
        before_rev = [S.assign(n, self.tape.pop_flow())] if depth > 0 else []
        return n, init, step, after, before_rev

    def _for_sweeps(self, s, depth):
        """Forward and reverse code of one iteration of the ``for`` loop ``s``."""
        fb, bb = self._block(s.body, depth + 1)
        chunks = self._chunks
        after = self.remat_after.get(id(s))
        inits, block = self._remat_code(s, bb)
        if after:
            # recompute once the reverse sweep has restored the carried state
            head = [x for b in reversed(chunks[after:]) for x in b]
            tail = [x for b in reversed(chunks[:after]) for x in b]
            bb = inits + head + block + tail
        else:
            bb = block + inits + bb
        return fb, bb

    def _for(self, s, depth):
        if s is self.checkpointed:
            return self._checkpointed_for(s)
        fb, bb = self._for_sweeps(s, depth)
        if not bb:
            return [
                gast.For(target=s.target, iter=s.iter, body=fb, orelse=[], type_comment=None)
            ], []
        args = list(s.iter.args)
        start, stop, step = (
            (S.const(0), args[0], S.const(1))
            if len(args) == 1
            else (args[0], args[1], args[2] if len(args) == 3 else S.const(1))
        )
        fwd, bwd = [], []
        if has_break(s.body):
            n, init, inc, after, before_rev = self._counter(depth)
            fwd += [
                init,
                gast.For(
                    target=s.target, iter=s.iter, body=[inc] + fb, orelse=[], type_comment=None
                ),
            ] + after
            count = S.name(n)
            bwd += before_rev
        else:
            fwd.append(
                gast.For(target=s.target, iter=s.iter, body=fb, orelse=[], type_comment=None)
            )
            count = None
        rev = reverse_range(start, stop, step, count)
        bwd.append(
            gast.For(target=S.store(s.target.id), iter=rev, body=bb, orelse=[], type_comment=None)
        )
        return fwd, bwd

    def _while(self, s, depth):
        fb, bb = self._block(s.body, depth + 1)
        if not bb:
            return [gast.While(test=s.test, body=fb, orelse=[])], []
        n, init, inc, after, before_rev = self._counter(depth)
        fwd = [init, gast.While(test=s.test, body=[inc] + fb, orelse=[])] + after
        k = self.namer.fresh("_rev")
        bwd = before_rev + [
            gast.For(
                target=S.store(k),
                iter=S.call("range", S.name(n)),
                body=bb,
                orelse=[],
                type_comment=None,
            )
        ]
        return fwd, bwd
