"""Refuse list and tuple operations whose derivative the transforms would get wrong.

The transforms see ``a + b`` as arithmetic; on lists and tuples it concatenates (and
``a * 3`` repeats), and methods such as ``out.extend(v)`` change a list in place where no
assignment shows it. So, in user code (generated code is left alone: its tapes are lists):

* ``+`` or ``*`` with a list or tuple operand (a literal, or a variable ever assigned a
  list or tuple literal, ``list(...)`` or ``tuple(...)``) is refused, as is ``+=`` on one,
  except ``xs += [a, b]`` on a list variable, which ``desugar`` turns into appends;
* a statement calling a mutating method of a local variable (``extend``, ``insert``,
  ``remove``, ``sort``, ``reverse``, ``clear``, ``update``, ``fill``, ...) is refused.

``out.append(v)`` is kept: both modes differentiate it (reverse mode gives the adjoint
list its own appends, see ``transform/reverse.py``).
"""

import gast

from ..trees import walk

MUTATING = {
    "extend",
    "insert",
    "remove",
    "sort",
    "reverse",
    "clear",
    "update",
    "setdefault",
    "popitem",
    "fill",
    "resize",
    "put",
    "itemset",
    "partition",
    "discard",
    "add",
}
_SEQ_CALLS = {"list", "tuple"}


def check_list_operations(parsed):
    if str(getattr(parsed.fn, "__module__", "")).startswith("tl_"):
        return  # generated code: its lists are tapes
    body = parsed.node.body
    seq_names = _sequence_names(body)
    for s in body:
        for n in walk(s):
            if isinstance(n, gast.Expr) and isinstance(n.value, gast.Call):
                f = n.value.func
                if (
                    isinstance(f, gast.Attribute)
                    and isinstance(f.value, gast.Name)
                    and f.attr in MUTATING
                ):
                    raise parsed.error(
                        f"'{f.value.id}.{f.attr}(...)' changes '{f.value.id}' in place, which "
                        "is not supported in differentiated code; assign a new value instead",
                        n,
                        construct=f".{f.attr}()",
                    )
            elif isinstance(n, (gast.BinOp, gast.AugAssign)) and isinstance(
                n.op, (gast.Add, gast.Mult)
            ):
                if _extends_a_list(n, seq_names):
                    continue
                operands = [n.left, n.right] if isinstance(n, gast.BinOp) else [n.target, n.value]
                if any(_is_sequence(o, seq_names) for o in operands):
                    what = "concatenation" if isinstance(n.op, gast.Add) else "repetition"
                    raise parsed.error(
                        f"list or tuple {what} is not supported in differentiated code; "
                        "use a list comprehension or np.concatenate",
                        n,
                        construct=f"list {what}",
                    )


def _extends_a_list(n, seq_names):
    """``xs += [a, b]`` on a name assigned a list: appends (``desugar._extend_by_appends``)."""
    return (
        isinstance(n, gast.AugAssign)
        and isinstance(n.op, gast.Add)
        and isinstance(n.target, gast.Name)
        and n.target.id in seq_names
        and isinstance(n.value, gast.List)
    )


def _is_sequence(e, seq_names):
    if isinstance(e, (gast.List, gast.Tuple)):
        return True
    if isinstance(e, gast.Name):
        return e.id in seq_names
    return isinstance(e, gast.Call) and isinstance(e.func, gast.Name) and e.func.id in _SEQ_CALLS


def _sequence_names(body):
    """Local names ever assigned a list or tuple literal, or ``list(...)``/``tuple(...)``."""
    out = set()
    for s in body:
        for n in walk(s):
            if isinstance(n, gast.Assign) and _is_sequence(n.value, set()):
                out |= {t.id for t in n.targets if isinstance(t, gast.Name)}
    return out
