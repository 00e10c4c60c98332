"""The device tape: the CPU tape's lists rewritten onto one preallocated buffer.

On the CPU each recorded variable has a list (``_tape_T = []``, ``.append``, ``.pop()``,
``[-1]``). A GPU thread cannot grow lists, so every list becomes a region of the
thread's slice of a float64 buffer, with its own top-of-stack counter::

    _tape_T.append(T)        ->  _tape[_offs[0] + _tape_T_top] = T
                                 _tape_T_top += 1
    _tape_T.pop()            ->  _tape_T_top -= 1
    T = _tape_T[-1]          ->  T = _tape[_offs[0] + _tape_T_top - 1]
    if _tape_flow.pop() == 1 ->  _tape_flow_top -= 1
                                 _flow = int(_tape[_offs[1] + _tape_flow_top])
                                 if _flow == 1

A called function whose adjoint needs a tape gets regions of its own in the same buffer
(``base`` shifts its region numbers); its adjoint runs inside its caller's reverse sweep,
so its regions are empty between calls. Region sizes come from a counting pass (``count_pushes``: the forward sweep with every
store replaced by its counter increment), so loops with data-dependent trip counts work
and a real GPU, which does no bounds checks, never writes past a region.
"""

import gast

from ... import syntax as S
from ...errors import TangentlikeError

BUFFER = "_tape"
OFFSETS = "_offs"


def tape_lists(fdef):
    """Names of the lists a generated function creates as tapes, in creation order."""
    out = []
    for s in fdef.body:
        if (
            isinstance(s, gast.Assign)
            and isinstance(s.value, gast.List)
            and not s.value.elts
            and len(s.targets) == 1
            and isinstance(s.targets[0], gast.Name)
        ):
            out.append(s.targets[0].id)
    return out


def _is_method(node, tapes, method):
    return (
        isinstance(node, gast.Call)
        and isinstance(node.func, gast.Attribute)
        and node.func.attr == method
        and isinstance(node.func.value, gast.Name)
        and node.func.value.id in tapes
    )


class DeviceTape(gast.NodeTransformer):
    """Rewrites tape list operations in a generated function onto the buffer."""

    def __init__(self, tapes, int_vars, counting=False, base=0):
        self.index = {t: base + k for k, t in enumerate(tapes)}
        self.int_vars = int_vars  # variables restored as int (counters, flags)
        self.counting = counting  # counting pass: keep the counters, drop stores
        self.hoisted = []
        self.fresh = 0

    # ---------------------------------------------------------------- pieces
    def top(self, t):
        return f"{t}_top"

    def slot(self, t, minus=0):
        e = f"{BUFFER}[{OFFSETS}[{self.index[t]}] + {self.top(t)}" + (
            f" - {minus}]" if minus else "]"
        )
        return S.expr(e)

    def _pop_value(self, t):
        """Statements popping ``t`` and the expression of the popped value."""
        self.hoisted.append(S.stmt(f"{self.top(t)} -= 1"))
        value = self.slot(t)
        if t.startswith("_tape_flow"):
            self.fresh += 1
            name = f"_flow{self.fresh}" if self.fresh > 1 else "_flow"
            self.hoisted.append(S.assign(name, S.call("int", value)))
            return S.name(name)
        return value

    # ---------------------------------------------------------------- statements
    def rewrite_block(self, stmts):
        out = []
        for s in stmts:
            out += self.rewrite_stmt(s)
        return out

    def rewrite_stmt(self, s):
        tapes = self.index
        if (
            isinstance(s, gast.Assign)
            and isinstance(s.value, gast.List)
            and isinstance(s.targets[0], gast.Name)
            and s.targets[0].id in tapes
        ):
            return [S.assign(self.top(s.targets[0].id), S.const(0))]
        if isinstance(s, gast.Expr) and _is_method(s.value, tapes, "append"):
            t = s.value.func.value.id
            bump = S.stmt(f"{self.top(t)} += 1")
            if self.counting:
                return [bump]
            value = s.value.args[0]
            if (
                isinstance(value, gast.Call)
                and isinstance(value.func, gast.Name)
                and value.func.id == "copy_value"
            ):
                value = value.args[0]
            store = gast.Assign(
                targets=[S.as_store(self.slot(t))], value=self.visit(value), type_comment=None
            )
            return [store, bump]
        if isinstance(s, gast.Expr) and _is_method(s.value, tapes, "pop"):
            return [S.stmt(f"{self.top(s.value.func.value.id)} -= 1")]
        if isinstance(s, gast.While) and any(
            _is_method(n, tapes, "pop") for n in gast.walk(s.test)
        ):
            raise TangentlikeError("internal: a tape pop in a while test")
        # compound statements: rewrite their header, then their blocks
        self.hoisted = []
        if isinstance(s, (gast.If, gast.While)):
            s.test = self.visit(s.test)
        elif isinstance(s, gast.For):
            s.iter = self.visit(s.iter)
        else:
            s = self.visit(s)
        pre = self.hoisted
        self.hoisted = []
        if isinstance(s, (gast.If, gast.While, gast.For)):
            s.body = self.rewrite_block(s.body)
            s.orelse = self.rewrite_block(s.orelse)
        if (
            isinstance(s, gast.Assign)
            and len(s.targets) == 1
            and isinstance(s.targets[0], gast.Name)
            and s.targets[0].id in self.int_vars
            and _reads_buffer(s.value)
        ):
            s.value = S.call("int", s.value)
        return pre + [s]

    # ---------------------------------------------------------------- expressions
    def visit_Call(self, node):
        if _is_method(node, self.index, "pop"):
            return self._pop_value(node.func.value.id)
        self.generic_visit(node)
        return node

    def visit_Subscript(self, node):
        if isinstance(node.value, gast.Name) and node.value.id in self.index:
            t = node.value.id
            k = node.slice
            if (
                isinstance(k, gast.UnaryOp)
                and isinstance(k.op, gast.USub)
                and isinstance(k.operand, gast.Constant)
                and k.operand.value == 1
            ):
                return self.slot(t, minus=1)
            raise TangentlikeError(f"internal: unsupported tape access {t}[...]")
        self.generic_visit(node)
        return node

    def visit_Name(self, node):
        if node.id in self.index and isinstance(node.ctx, gast.Load):
            # `if _tape_T:` (is anything below the top?)
            return gast.Compare(
                left=S.name(self.top(node.id)), ops=[gast.Gt()], comparators=[S.const(0)]
            )
        return node


def _reads_buffer(node):
    return any(isinstance(n, gast.Name) and n.id == BUFFER for n in gast.walk(node))
