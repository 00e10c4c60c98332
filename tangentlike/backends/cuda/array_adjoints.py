"""Adjoints of array arguments as output parameters.

On the CPU a generated adjoint allocates the gradient of an array argument
(``d_x = zeros_like(x)``) and returns it. A GPU thread cannot allocate, so on the device
the gradient is written into an array the caller passes:

* the batched function's ``d_x`` is a row of the result, zeroed on entry;
* a called function's ``d_x`` is its caller's own ``d_x``, accumulated into directly:
  ``_d2, = _vjp_energy_0(x, i, k, _d1)`` followed by ``d_x = d_x + _d2`` becomes
  ``_vjp_energy_0(x, i, k, _d1, d_x)``.
"""

import gast

from ... import syntax as S
from ...errors import TangentlikeError


def grad_outputs(fdef, arrays):
    """``d_x = zeros_like(x)`` for array arguments: (statement, d_x) pairs."""
    out = []
    for s in fdef.body:
        if (
            isinstance(s, gast.Assign)
            and isinstance(s.value, gast.Call)
            and isinstance(s.value.func, gast.Name)
            and s.value.func.id == "zeros_like"
            and isinstance(s.value.args[0], gast.Name)
            and s.value.args[0].id in arrays
            and isinstance(s.targets[0], gast.Name)
        ):
            out.append((s, s.targets[0].id))
    return out


def zero_loop(d):
    return S.stmt(f"for _k in range({d}.shape[0]):\n    {d}[_k] = 0.0")


def drop_array_results(fdef, outputs, entry):
    """Remove the output arrays from the returned gradients; returns the removed
    positions. Entry: ``return value, (d_x, g)`` -> ``return value, (g,)`` or
    ``return value``; callee: ``return d_x, g`` -> ``return g``."""
    ret = fdef.body[-1]
    if not outputs or not (isinstance(ret, gast.Return) and ret.value is not None):
        return []
    grads = ret.value.elts[1] if entry else ret.value
    elts = grads.elts if isinstance(grads, gast.Tuple) else [grads]
    removed = [k for k, g in enumerate(elts) if isinstance(g, gast.Name) and g.id in outputs]
    keep = [g for k, g in enumerate(elts) if k not in removed]
    if entry:
        value = ret.value.elts[0]
        ret.value = (
            gast.Tuple(elts=[value, gast.Tuple(elts=keep, ctx=gast.Load())], ctx=gast.Load())
            if keep
            else value
        )
    elif not keep:
        fdef.body[-1] = gast.Return(value=None)
    else:
        ret.value = keep[0] if len(keep) == 1 else gast.Tuple(elts=keep, ctx=gast.Load())
    return removed


def _accumulation(stmts, target):
    """The statement ``A = A + target`` in ``stmts`` (nested blocks included)."""
    for s in stmts:
        for n in gast.walk(s):
            if (
                isinstance(n, gast.Assign)
                and isinstance(n.targets[0], gast.Name)
                and isinstance(n.value, gast.BinOp)
                and isinstance(n.value.op, gast.Add)
                and isinstance(n.value.left, gast.Name)
                and n.value.left.id == n.targets[0].id
                and isinstance(n.value.right, gast.Name)
                and n.value.right.id == target
            ):
                return n
    return None


class PassOutputArrays(gast.NodeTransformer):
    """At call sites of callees whose array gradients became outputs, pass the caller's
    adjoint array and drop the accumulation of the returned one."""

    def __init__(self, fdef, removed_by_callee):
        self.fdef = fdef
        self.removed = removed_by_callee  # callee name -> removed result positions
        self.dropped = []

    def visit_Assign(self, node):
        call = node.value
        if not (
            isinstance(call, gast.Call)
            and isinstance(call.func, gast.Name)
            and self.removed.get(call.func.id)
        ):
            return node
        target = node.targets[0]
        names = target.elts if isinstance(target, gast.Tuple) else [target]
        keep, arrays = [], []
        for k, t in enumerate(names):
            if k not in self.removed[call.func.id]:
                keep.append(t)
                continue
            acc = _accumulation(self.fdef.body, t.id)
            if acc is None:
                raise TangentlikeError(
                    f"internal: no accumulation of {t.id} for the array gradient of {call.func.id}",
                    function=self.fdef.name,
                )
            self.dropped.append(acc)
            arrays.append(S.name(acc.targets[0].id))
        call.args = call.args + arrays
        if not keep:
            return gast.Expr(value=call)
        node.targets = [
            gast.Tuple(elts=keep, ctx=gast.Store()) if isinstance(target, gast.Tuple) else keep[0]
        ]
        return node


def pass_output_arrays(fdef, removed_by_callee):
    if not any(removed_by_callee.values()):
        return fdef
    t = PassOutputArrays(fdef, removed_by_callee)
    fdef = t.visit(fdef)
    dropped = {id(s) for s in t.dropped}

    class _Drop(gast.NodeTransformer):
        def visit_Assign(self, node):
            return None if id(node) in dropped else node

    return _Drop().visit(fdef)
