"""Rematerialization: loop-local values the reverse sweep recomputes instead of taping.

Mixed into ``ReverseTransform``; it decides, per ``for`` loop, which assignments to
recompute (``self.remat``) and where (``self.remat_after``), and emits the code.
"""

import gast

from .. import syntax as S
from ..analyze.dataflow import targets_of
from .reads import NamerView, loads, value_loads


class RematMixin:
    def _find_remat(self, stmts, loop_vars):
        """Loop-local values that the reverse sweep recomputes instead of taping.

        A statement ``v = expr`` at the top level of a ``for`` body qualifies when ``v``
        is assigned nowhere else, is not changed in place (written element-wise or appended to: its value would not
        be ``expr`` any more), and ``expr`` reads only loop counters, variables the
        function never reassigns, and earlier such values, with no call to a user
        function: the reverse loop recomputes it at the top of each iteration.
        """
        facts = self.facts
        for s in stmts:
            if isinstance(s, gast.If):
                self._find_remat(s.body, loop_vars)
                self._find_remat(s.orelse, loop_vars)
            elif isinstance(s, gast.While):
                self._find_remat(s.body, set())
            elif isinstance(s, gast.For):
                inner = loop_vars | {s.target.id}
                ok_vars = set(inner)
                outside = _loads_outside(self._body, s) | self._outs
                chosen = []
                for st in s.body:
                    if not (isinstance(st, gast.Assign) and isinstance(st.targets[0], gast.Name)):
                        continue
                    if id(st) in self.permutations:
                        continue  # a, b = b, a: nothing of it is read (permutations.py)
                    v = st.targets[0].id
                    tree = facts.trees[id(st)]
                    reads = S.loaded_names(st.value) & facts.locals
                    stable = all(
                        r in ok_vars
                        or r not in facts.changed_in_place
                        and (
                            facts.ndefs.get(r, 0) == 0
                            or (
                                facts.ndefs.get(r) == 1
                                and r not in facts.defined_in_loop | set(self.args)
                            )
                        )
                        for r in reads
                    )
                    if (
                        facts.ndefs.get(v) == 1
                        and v not in self.args
                        and stable
                        and v not in outside
                        and v not in facts.changed_in_place
                        and not _has_user_call(tree)
                    ):
                        chosen.append(st)
                        ok_vars.add(v)
                after = None
                # carried values are recomputed after their adjoints start (shaped by
                # the previous step's value): only for state that keeps its shape
                if _straight_line(s.body) and not self.facts.shape_varying & S.stored_names(s):
                    ext, ext_after = self._remat_carried(s, inner, outside)
                    if ext is not None and len(ext) > len(chosen):
                        chosen, after = ext, ext_after
                self.remat[id(s)] = chosen
                self.remat_after[id(s)] = after
                self._find_remat(s.body, inner)

    def _stable(self, r):
        """A variable whose value never changes once it is set (outside loops)."""
        facts = self.facts
        return r not in facts.changed_in_place and (
            facts.ndefs.get(r, 0) == 0
            or (facts.ndefs.get(r) == 1 and r not in facts.defined_in_loop | set(self.args))
        )

    def _remat_carried(self, loop, inner, outside):
        """Straight-line loop bodies: also recompute values that read loop-carried
        variables (state updated later in the body, like RK4 stages reading ``x``).

        The recomputation goes right after the reverse sweep has restored those
        variables to their values at the start of the iteration, i.e. after the
        adjoints of their assignments. Returns ``(statements, position)`` or
        ``(None, None)`` when the adjoints before that point need the values.
        """
        facts = self.facts
        body = loop.body
        def_pos = {}
        for k, st in enumerate(body):
            for v in targets_of(st):
                def_pos.setdefault(v, []).append(k)
        ok = set(inner)
        chosen, carried = [], set()
        for k, st in enumerate(body):
            v = st.targets[0].id
            if id(st) in self.permutations:
                continue
            if not (
                facts.ndefs.get(v) == 1
                and v not in self.args
                and v not in outside
                and v not in facts.changed_in_place
                and not _has_user_call(facts.trees[id(st)])
            ):
                continue
            reads = S.loaded_names(st.value) & facts.locals
            mine = set()
            for r in reads:
                if r in ok or self._stable(r):
                    continue
                if r in def_pos and min(def_pos[r]) > k and r not in facts.changed_in_place:
                    mine.add(r)
                    continue
                break
            else:
                chosen.append(st)
                ok.add(v)
                carried |= mine
        if not chosen:
            return None, None
        after = min(min(def_pos[c]) for c in carried) if carried else 0
        names = {st.targets[0].id for st in chosen}
        # the adjoints handled before the recomputation must not read the values
        saved_namer, saved_remat = self.namer, getattr(self, "remat_vars", set())
        saved_depth, saved_hoisted = self._depth, self._hoisted
        # as inside the loop: no recomputation hoisted out of these adjoints (their reads
        # of intermediate values count)
        self.namer, self.remat_vars, self._depth = NamerView(saved_namer), set(), 1
        reads = set()
        for st in body[after:]:
            reads |= value_loads(self._assign_adjoint(st), self.facts.shape_varying)
            self._hoisted = None
        self.namer, self.remat_vars = saved_namer, saved_remat
        self._depth, self._hoisted = saved_depth, saved_hoisted
        if reads & names:
            return None, None
        return chosen, after

    def _remat_code(self, loop, bb):
        """(adjoint inits, recomputation) for the values ``loop`` recomputes."""
        chosen = self.remat.get(id(loop), [])
        if not chosen:
            return [], []
        needed = loads(bb) | {
            st.targets[0].id for st in chosen if st.targets[0].id in self.facts.active
        }
        keep = []
        for st in reversed(chosen):
            if st.targets[0].id in needed:
                keep.append(st)
                needed |= S.loaded_names(st.value)
        if not keep:
            return [], []
        keep.reverse()
        # each iteration's recomputed values start with fresh adjoints
        inits = [
            S.assign(self.adj(v), S.call("zeros_like", S.name(v)))
            for v in (st.targets[0].id for st in keep)
            if v in self.facts.active
        ]
        block = [self._comment_stmt("recomputed, not taped")] + [S.deep(st) for st in keep]
        return inits, block


def _straight_line(stmts):
    return all(isinstance(st, gast.Assign) and isinstance(st.targets[0], gast.Name) for st in stmts)


def _loads_outside(stmts, loop):
    """Names read by ``stmts`` outside the statement ``loop``."""
    out = set()
    for st in stmts:
        if st is loop:
            continue
        if isinstance(st, (gast.If, gast.For, gast.While)):
            out |= S.loaded_names(st.test if isinstance(st, (gast.If, gast.While)) else st.iter)
            out |= _loads_outside(st.body, loop) | _loads_outside(st.orelse, loop)
        else:
            out |= S.loaded_names(st)
    return out


def _has_user_call(node):
    if node.kind == "call":
        return True
    return any(_has_user_call(c) for c in node.children()) or any(
        isinstance(v, type(node)) and _has_user_call(v)
        for v in getattr(node, "params", {}).values()
    )
