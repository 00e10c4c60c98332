"""Reverse mode of a local Python list built by ``xs.append(v)`` (and ``xs += [v]``,
which normalization turns into appends): the adjoint list ``d_xs`` mirrors ``xs``."""

import gast

from .. import syntax as S


class ListMixin:
    def _append_forward(self, s):
        """An adjoint list created in the forward sweep (its list may not exist at the
        end) grows with its list, one zero per element."""
        name, meth, _ = self.facts.list_ops[id(s)]
        if meth != "append" or name not in self.facts.active or name in self.facts.defined_at_end:
            return []
        last = gast.Subscript(value=S.name(name), slice=S.const(-1), ctx=gast.Load())
        return [
            gast.Expr(
                value=S.call(S.attr(S.name(self.adj(name)), "append"), S.call("zeros_like", last))
            )
        ]

    def _append_adjoint(self, s):
        """``xs.append(e)`` backwards: the last adjoint element comes off ``d_xs`` and
        flows into ``e``; ``xs`` loses its last element too where the reverse sweep reads
        ``xs`` (so it holds what it held at that point of the forward sweep)."""
        name, meth, node = self.facts.list_ops[id(s)]
        if meth != "append" or name not in self.facts.active:
            return []
        pop = S.call(S.attr(S.name(self.adj(name)), "pop"))
        sa = self._statement_adjoint()
        active = sa.is_active(node)
        g = self.namer.numbered("_g") if active else None
        out = [S.assign(g, pop) if active else gast.Expr(value=pop)]
        if name in self.restored_lists:
            out.append(gast.Expr(value=S.call(S.attr(S.name(name), "pop"))))
        if active:
            recompute, adjoint = sa.run(node, S.name(g))
            out += recompute + adjoint
        return out
