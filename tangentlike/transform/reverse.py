"""Reverse mode: turn a normalized function into its vector-Jacobian product.

The generated function has two sweeps in one body:

* the forward sweep is the primal code, plus tape pushes after assignments whose old
  values the reverse sweep will read, branch flags and loop trip counts;
* the reverse sweep visits the statements backwards: each assignment's adjoint (see
  ``assign_sweeps`` and ``statement_adjoint``), a branch taken again from its flag, a
  loop run backwards (``flow_sweeps``).

This module holds the transform's state (facts, adjoint names, tape, taped sets) and the
function's assembly; the sweeps of statements are functions of that state.

Only active variables (see ``analyze.dataflow``) get adjoints, and only variables that
the reverse sweep reads *and* that are overwritten go on the tape.
"""

import gast

from .. import syntax as S
from ..analyze.dataflow import analyze_function, targets_of
from ..analyze.aliases import Aliases
from . import statement_adjoint
from .statement_adjoint import _replace_subtrees
from .reads import NamerView, loads, value_loads
from . import assign_sweeps, flow_sweeps, loop_adjoints
from .checkpoint import CheckpointMixin
from .remat import RematMixin
from .tape import ListTape
from .lists import ListMixin
from .permutations import permutation_groups


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
        self.permutations = {}  # id(statement) -> its permutation group, once found
        self.loop_counters = []  # targets of the for loops around the statement swept
        self._for_targets = None  # name -> how many for loops have it as target
        # adjoints made inside the reverse iteration (transform/loop_adjoints.py)
        self.loop_local, self.loop_kills, self.loop_local_names = {}, {}, set()

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
        self._dry_hoisted = []
        self.remat = {}  # id(loop) -> statements recomputed, not taped
        self.remat_after = {}  # id(loop) -> body position they go after
        self._body, self._outs = body, set(returned)
        # ``a, b = b, a``: the adjoints move between the names (transform/permutations.py);
        # found before rematerialization, whose dry run then reads no temporary of them
        self.permutations = permutation_groups(body, facts, set())
        self._find_remat(body, set())
        if self.checkpoint is not None:
            self.checkpointed = self._checkpoint_loop(body)
        remat_vars = {v for stmts in self.remat.values() for st in stmts for v in targets_of(st)}
        self.remat_vars = remat_vars
        self.permutations = permutation_groups(body, facts, remat_vars)
        loop_adjoints.find(self, body)

        # dry run: which primal values does the reverse sweep read?
        saved = self.namer
        self._depth = 0
        self.namer = NamerView(saved)
        self.taped, self.item_taped, self.restored_lists = set(), set(), set()
        self._dry_hoisted = []  # intermediates the forward sweep will compute once
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
        # ``u_new[i] = ...`` changes the buffer a taped ``u`` still refers to); the
        # forward sweep's intermediates count: ``_t2 = W[:, 1]`` is a view of ``W``
        hoisted = self._dry_hoisted
        aliases = Aliases(gast.Module(body=body + hoisted, type_ignores=[]))
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
        for v in sorted(
            facts.active & facts.defined_at_end - set(self.args) - self.loop_local_names | late
        ):
            mid.append(S.assign(self.adj(v), S.call("zeros_like", S.name(v))))
        for k, o in enumerate(outs):
            if o in facts.active:
                seed = (
                    S.name(self.seed)
                    if not tuple_out
                    else gast.Subscript(value=S.name(self.seed), slice=S.const(k), ctx=gast.Load())
                )
                if not (tuple_out or self.return_result) and statement_adjoint.WIDE_CALL_SEEDS:
                    # a caller passes the adjoint of ``x + g(y)`` as it is: the seed may
                    # have the broadcast shape (statement_adjoint.takes_wide_seed)
                    seed = S.call("unbroadcast", seed, S.name(o))
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
                if self._hoisted:
                    self._dry_hoisted += self._hoisted[0]
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
        return S.comment(text)

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
            hoisted = assign_sweeps.hoistable(self, s)
            bwd = self._assign_adjoint(s)
            pre = []
            if hoisted and self._hoisted:
                # outside loops nothing overwrites these intermediates: compute them once,
                # in the forward sweep, instead of again in the reverse sweep
                pre, mapping = self._hoisted
                s.value = _replace_subtrees(s.value, mapping)
            self._hoisted = None
            return pre + assign_sweeps.assign_forward(self, s), self._with_comment(s, bwd)
        if isinstance(s, gast.If):
            return flow_sweeps.if_sweeps(self, s, depth)
        if isinstance(s, gast.For):
            return flow_sweeps.for_loop(self, s, depth)
        if isinstance(s, gast.While):
            return flow_sweeps.while_sweeps(self, s, depth)
        if isinstance(s, gast.Expr) and id(s) in self.facts.list_ops:
            return [s] + self._append_forward(s), self._with_comment(s, self._append_adjoint(s))
        return [s], []

    def _with_comment(self, s, stmts):
        if not stmts:
            return []
        self._last_comment = None
        return self._comment(s) + stmts

    # ---------------------------------------------------------------- delegates
    # the sweeps of statements live in assign_sweeps.py and flow_sweeps.py, as functions
    # of this transform's state; checkpoint, remat and lists call these two
    def _assign_adjoint(self, s):
        return assign_sweeps.assign_adjoint(self, s)

    def _statement_adjoint(self, root_value=None):
        return assign_sweeps.statement_adjoint(self, root_value)

    def _for_sweeps(self, s, depth):
        return flow_sweeps.for_sweeps(self, s, depth)
