"""Lower a generated CPU derivative (gast) to a CUDA device function.

The reverse and forward transforms emit the same code for every backend; this pass
adapts it to a GPU thread, which cannot allocate:

* runtime helpers on scalars become what they compute (``zeros_like(s)`` -> ``0.0``,
  ``unbroadcast(g, s)`` -> ``g``, ``cast_like``/``copy_value``/``own`` -> their argument);
* the gradient of an array argument is written into an output array the caller passes
  (``d_x``, zeroed on entry) instead of a new array returned in a tuple;
* the tape lists move onto a preallocated buffer (``device_tape.py``);
* NumPy scalar functions become ``math`` functions (``scalar_math.py``).
"""

import copy

import gast

from ... import syntax as S
from ...errors import TangentlikeError
from ...emit.printer import COMMENT_PREFIX
from ...runtime import HELPERS, declarations
from .array_adjoints import drop_array_results, grad_outputs, pass_output_arrays, zero_loop
from .device_tape import BUFFER, OFFSETS, DeviceTape, tape_lists
from .scalar_math import to_scalar_math

_CUDA = declarations.field("cuda")  # helper -> what a thread computes (its declaration)
_CUDA_LIKE = declarations.field_or_zero("cuda_like")  # the operand whose shape it has
REVERSE_MARK = COMMENT_PREFIX + "reverse sweep"


class _Helpers(gast.NodeTransformer):
    def __init__(self, arrays, fname):
        self.arrays = arrays
        self.fname = fname

    def visit_Call(self, node):
        self.generic_visit(node)
        f = node.func
        if not (isinstance(f, gast.Name) and f.id in HELPERS):
            return node
        first = node.args[0] if node.args else None
        on_array = isinstance(first, gast.Name) and first.id in self.arrays
        kind = _CUDA.get(f.id)
        if kind == "zero" and not on_array:
            return S.const(0.0)
        if kind == "float":
            return S.call("float", first)
        if kind in ("value", "cast"):
            shape_of = node.args[_CUDA_LIKE[f.id]]
            if isinstance(shape_of, gast.Name) and shape_of.id in self.arrays and kind != "cast":
                raise TangentlikeError(
                    f"device code cannot hold the whole-array value "
                    f"{S.dotted(f) or f.id}(...) of '{shape_of.id}'",
                    function=self.fname,
                    construct=f.id,
                )
            return first
        raise TangentlikeError(
            f"the derivative needs '{f.id}' on an array, which device "
            "code cannot do: index single elements",
            function=self.fname,
            construct=f.id,
        )


class _DropSelfAssignments(gast.NodeTransformer):
    """``d_v = unbroadcast(d_v, v)`` lowered is ``d_v = d_v``: nothing to do."""

    def visit_Assign(self, node):
        t = node.targets[0]
        if (
            len(node.targets) == 1
            and isinstance(t, gast.Name)
            and isinstance(node.value, gast.Name)
            and node.value.id == t.id
        ):
            return None
        return node

    def generic_visit(self, node):
        node = super().generic_visit(node)
        if isinstance(node, (gast.If, gast.For, gast.While)) and not node.body:
            node.body = [gast.Pass()]
        return node


def int_variables(fdef, int_params=(), tapes=()):
    """Variables that only ever hold integers (loop counters, trip counts, indices);
    restoring a value from a tape (``k = _tape_k[-1]``) keeps the variable's type."""
    assigns = {}
    ints = set(int_params)
    for n in gast.walk(fdef):
        if isinstance(n, gast.Assign):
            for t in n.targets:
                if isinstance(t, gast.Name):
                    assigns.setdefault(t.id, []).append(n.value)
                else:  # unpacking: the element types are unknown
                    for e in gast.walk(t):
                        if isinstance(e, gast.Name) and isinstance(e.ctx, gast.Store):
                            assigns.setdefault(e.id, []).append(None)
        elif isinstance(n, gast.AugAssign) and isinstance(n.target, gast.Name):
            assigns.setdefault(n.target.id, []).append(
                gast.BinOp(left=S.name(n.target.id), op=n.op, right=n.value)
            )
        elif isinstance(n, gast.For) and isinstance(n.target, gast.Name):
            ints.add(n.target.id)

    def is_int(e):
        if isinstance(e, gast.Constant):
            return isinstance(e.value, int) and not isinstance(e.value, bool)
        if isinstance(e, gast.Name):
            return e.id in ints
        if isinstance(e, gast.BinOp):
            return not isinstance(e.op, gast.Div) and is_int(e.left) and is_int(e.right)
        if isinstance(e, gast.UnaryOp):
            return is_int(e.operand)
        if isinstance(e, gast.Call) and isinstance(e.func, gast.Name):
            return e.func.id in ("int", "len")
        if isinstance(e, gast.Subscript) and isinstance(e.value, gast.Attribute):
            return e.value.attr == "shape"
        if isinstance(e, gast.Subscript) and isinstance(e.value, gast.Name):
            return e.value.id in tapes
        return False

    # optimistic fixpoint: assume every assigned variable is an int, then drop those
    # with an assignment that is not (a counter `k = k + 1` stays an int)
    ints |= set(assigns)
    changed = True
    while changed:
        changed = False
        for v, values in assigns.items():
            if v in ints and not all(is_int(e) for e in values):
                ints.discard(v)
                changed = True
    return ints


def lower(
    fdef,
    arrays,
    int_params=(),
    entry=False,
    counting=False,
    removed_by_callee=None,
    tape_base=0,
    tape_users=(),
    counters=None,
):
    """A device version of the generated function ``fdef`` (a new FunctionDef).

    ``arrays``: names of its array parameters; ``entry``: the function users call (its
    row gradient is zeroed on entry); ``counting``: instead, the forward sweep only,
    counting each tape's pushes (``_caps`` gets the maxima over threads);
    ``removed_by_callee``: for each generated callee lowered before, the positions of
    its results that became output arrays (updated with this function's);
    ``tape_base``: the number of this function's first tape region; ``tape_users``: the
    generated functions that take the tape buffer; ``counters``: user function name ->
    the counting functions of its adjoints, called beside each call in a counting pass.
    """
    removed_by_callee = {} if removed_by_callee is None else removed_by_callee
    fdef = copy.deepcopy(fdef)
    fdef.decorator_list = []
    outputs = grad_outputs(fdef, arrays)
    tapes = tape_lists(fdef)
    body = [s for s in fdef.body if not any(s is o[0] for o in outputs)]
    if counting:
        cut = next(
            (
                k
                for k, s in enumerate(body)
                if isinstance(s, gast.Expr)
                and isinstance(s.value, gast.Constant)
                and s.value.value == REVERSE_MARK
            ),
            len(body),
        )
        body = body[:cut]
    fdef.body = body
    fdef = _Helpers(arrays, fdef.name).visit(fdef)
    fdef = _DropSelfAssignments().visit(fdef)
    fdef = to_scalar_math(fdef)
    ints = int_variables(fdef, int_params, set(tapes))
    rewriter = DeviceTape(tapes, ints, counting=counting, base=tape_base)
    fdef.body = rewriter.rewrite_block(fdef.body)
    params = fdef.args.args
    if counting:
        fdef.body = _count_callees(fdef.body, counters or {})
        fdef.args.args = params[:-1] + [S.name("_caps", gast.Param())]  # no d_result
        fdef.body += [
            S.stmt(f"cuda.atomic.max(_caps, {tape_base + k}, {t}_top)") for k, t in enumerate(tapes)
        ]
        fdef.body = [
            s
            for s in fdef.body
            if not (isinstance(s, gast.Expr) and isinstance(s.value, gast.Constant))
        ]
        fdef.name = "count_" + fdef.name.split("_", 1)[1]
        return fdef
    fdef = pass_output_arrays(fdef, removed_by_callee)
    fdef.args.args = params + [S.name(d, gast.Param()) for _, d in outputs]
    if entry:
        fdef.body = [zero_loop(d) for _, d in outputs] + fdef.body
    removed_by_callee[fdef.name] = drop_array_results(fdef, {d for _, d in outputs}, entry)
    if fdef.name in tape_users:
        fdef.args.args += [S.name(BUFFER, gast.Param()), S.name(OFFSETS, gast.Param())]
        for n in gast.walk(fdef):
            if (
                isinstance(n, gast.Call)
                and isinstance(n.func, gast.Name)
                and n.func.id in tape_users
            ):
                n.args += [S.name(BUFFER), S.name(OFFSETS)]
    return fdef


def _count_callees(stmts, counters):
    """Before each statement calling a user function whose adjoint needs a tape, count
    that adjoint's pushes for the same arguments."""
    out = []
    for s in stmts:
        for n in gast.walk(
            s.test
            if isinstance(s, (gast.If, gast.While))
            else s.iter
            if isinstance(s, gast.For)
            else s
        ):
            if isinstance(n, gast.Call) and isinstance(n.func, gast.Name) and n.func.id in counters:
                out += [
                    gast.Expr(value=S.call(c, *copy.deepcopy(n.args), S.name("_caps")))
                    for c in counters[n.func.id]
                ]
        for field in ("body", "orelse"):
            if isinstance(s, (gast.If, gast.While, gast.For)):
                setattr(s, field, _count_callees(getattr(s, field), counters))
        out.append(s)
    return out
