"""``Node``: one node of an expression tree (``expressions.py`` builds them): an
operation with its derivative rule and operands, a call of a user function, an indexing,
a sequence, or a leaf (a variable, a constant, an opaque value with no derivative)."""

from dataclasses import dataclass, field


@dataclass
class Node:
    kind: str  # 'var' | 'const' | 'opaque' | 'op' | 'call' | 'getitem' | 'seq'
    ast: object  # the primal expression this node computes
    name: str = None  # variable name (kind 'var')
    rule: object = None  # derivative rule (kind 'op')
    key: object = None  # what the rule was looked up by (for the tangent rule)
    module: str = "np"
    params: dict = field(default_factory=dict)  # param -> Node | gast expr (non-diff)
    callee: object = None  # user function (kind 'call')
    args: list = field(default_factory=list)  # operand Nodes (kind 'call' / 'seq')
    index: object = None  # gast index expression (kind 'getitem')
    base: object = None  # indexed Node (kind 'getitem')
    axis: int = 0  # for 'seq' (concatenate/stack)
    seq_kind: str = None  # 'concatenate' | 'stack'

    def children(self):
        """Operand nodes that may carry a derivative."""
        if self.kind == "op":
            return [
                v
                for k, v in self.params.items()
                if k in self.rule.diff_params and isinstance(v, Node)
            ]
        if self.kind in ("call", "seq"):
            return list(self.args)
        if self.kind in ("getitem", "pop"):
            return [self.base]
        return []

    def var_leaves(self):
        """Names of variables this value depends on differentiably (computed once: a
        tree does not change after it is built; callers must not mutate the set)."""
        out = self.__dict__.get("_leaves")
        if out is None:
            if self.kind == "var":
                out = {self.name}
            else:
                out = set()
                for c in self.children():
                    out |= c.var_leaves()
            self._leaves = out
        return out
