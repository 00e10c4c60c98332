"""Which names surely hold a number, which hold a number only for some arguments, and which
may hold an array (for ``analyze/shared_updates.py``: ``y *= 2`` is in place on an array).

A kind is one of

* a frozenset of ``(argument, k)`` pairs: the value is a number when every such argument
  has at most ``k`` dimensions (``frozenset()``: surely a number; ``s = x`` gives
  ``{(x, 0)}``, ``r = m[i]`` gives ``{(m, 1)}``);
* ``("array", d)``: surely an array of ``d`` dimensions (``d`` None: not known);
* ``("list", pairs)``: a list of values of the pairs' kind;
* ``("slice", pairs)``: surely an array, of as many dimensions as the pairs' kind would
  have (``m[:, 1]``: ``{(m, 1)}``);
* None: not known.

Dimensions are followed through arithmetic (broadcasting: the most of its operands),
constructors (``np.zeros((n, 3))``: 2), elementwise and reducing NumPy functions,
subscripts (each integer index removes one) and module-level values (their actual type).
"""

import gast
import numpy as np

from .. import syntax as S

NUMBER = frozenset()
BOTTOM = ("bottom",)  # not known yet (a name before its first binding is seen)
SCALAR_CALLS = {"float", "int", "len", "abs", "round", "bool"}
SCALAR_REDUCTIONS = {"sum", "mean", "prod", "max", "min", "amax", "amin", "std", "var",
                     "vdot", "trace", "norm", "det", "nansum", "median", "average"}  # fmt: skip
# NumPy functions that map numbers to a number, elementwise
UFUNCS = {"sin", "cos", "tan", "exp", "exp2", "log", "log2", "log10", "log1p", "expm1",
          "sqrt", "cbrt", "square", "tanh", "sinh", "cosh", "arcsin", "arccos", "arctan",
          "arctan2", "arcsinh", "arccosh", "arctanh", "abs", "absolute", "fabs", "sign",
          "power", "hypot", "minimum", "maximum", "fmin", "fmax", "floor", "ceil", "round",
          "rint", "trunc", "negative", "reciprocal", "clip", "add", "subtract", "multiply",
          "divide", "true_divide", "where", "float64", "float32"}  # fmt: skip
CONSTRUCTORS = {"zeros", "ones", "empty", "full"}
SAME_KIND = {"zeros_like", "ones_like", "empty_like", "full_like", "copy", "asarray", "array"}
FIXED_NDIM = {"outer": 2, "eye": 2, "identity": 2, "arange": 1, "linspace": 1}


def number_kinds(body, params, namespace, calls=None):
    """The kind of every name bound in ``body`` and of every argument. ``calls(call,
    kind_of)``: the kinds of a user function's result, one per position (or None)."""
    binds = {}
    appended = {}  # list name -> values appended
    for s in _walk_stmts(body):
        call = s.value if isinstance(s, gast.Expr) else None
        if (
            isinstance(call, gast.Call)
            and isinstance(call.func, gast.Attribute)
            and call.func.attr == "append"
            and isinstance(call.func.value, gast.Name)
            and len(call.args) == 1
        ):
            appended.setdefault(call.func.value.id, []).append(call.args[0])
        if isinstance(s, gast.Assign):
            for t in s.targets:
                _collect(t, s.value, binds, calls)
        elif isinstance(s, gast.AugAssign) and isinstance(s.target, gast.Name):
            binds.setdefault(s.target.id, []).append(
                gast.BinOp(left=S.as_load(s.target), op=s.op, right=s.value)
            )
        elif isinstance(s, gast.For):
            is_range = isinstance(s.iter, gast.Call) and getattr(s.iter.func, "id", "") == "range"
            for name in S.stored_names(s.target):
                binds.setdefault(name, []).append(S.const(0) if is_range else None)
    kinds = {v: BOTTOM for v in binds if v not in params}  # kinds only get weaker
    for p in params:
        kinds[p] = frozenset([(p, 0)])
    env = (kinds, namespace, calls)
    changed = True
    while changed:
        changed = False
        for v in sorted(binds):
            if v in params or kinds[v] is None:
                continue
            k = kinds[v]
            for e in binds[v]:
                k = either(k, None if e is None else kind_of(e, env))
            if isinstance(k, tuple) and k[0] == "list":
                for e in appended.get(v, ()):
                    item = kind_of(e, env)
                    if item == BOTTOM:
                        continue
                    k = ("list", _limits(k[1], item)) if isinstance(item, frozenset) else None
                    if k is None:
                        break
            if k != kinds[v]:
                kinds[v] = k
                changed = True
    return {v: None if k == BOTTOM else k for v, k in kinds.items()}


def _collect(target, value, binds, calls):
    if isinstance(target, gast.Name):
        binds.setdefault(target.id, []).append(value)
    elif isinstance(target, (gast.Tuple, gast.List)):
        same = isinstance(value, (gast.Tuple, gast.List)) and len(value.elts) == len(target.elts)
        for k, t in enumerate(target.elts):
            item = value.elts[k] if same else None
            if item is None and isinstance(value, gast.Call) and calls is not None:
                item = _Item(value, k)  # position k of a user function's tuple result
            _collect(t, item, binds, calls)


class _Item(gast.expr):
    """Position ``k`` of the result of ``call`` (a binding ``a, b = h(x)``)."""

    _fields = ()

    def __init__(self, call, k):
        super().__init__()
        self.call, self.k = call, k


def _array(d):
    return ("array", d)


def _limits(a, b):
    """Both conditions (the pairs of both, the tighter bound for an argument in both)."""
    out = dict(a)
    for p, k in b:
        out[p] = min(out.get(p, k), k)
    return frozenset(out.items())


def _limits_all(items):
    out = NUMBER
    for k in items:
        out = _limits(out, k)
    return out


def either(a, b):
    """The kind of a name bound to a value of kind ``a`` in some places, ``b`` in others."""
    if a == BOTTOM or b == BOTTOM:
        return b if a == BOTTOM else a
    if a is None or b is None:
        return None
    if isinstance(a, frozenset) and isinstance(b, frozenset):
        return _limits(a, b)
    if isinstance(a, tuple) and isinstance(b, tuple) and a[0] == b[0] in ("slice", "list"):
        return (a[0], _limits(a[1], b[1]))
    return a if a == b else None


def broadcast(a, b):
    """The kind of an elementwise result of operands of kinds ``a`` and ``b``."""
    if a == BOTTOM or b == BOTTOM:
        return b if a == BOTTOM else a
    if a is None or b is None:
        return None
    if isinstance(a, frozenset) and isinstance(b, frozenset):
        return _limits(a, b)
    if isinstance(a, frozenset):
        a, b = b, a
    if a[0] == "slice" and isinstance(b, frozenset):
        return ("slice", _limits(a[1], b))
    if a[0] == "slice" or (isinstance(b, tuple) and b[0] == "slice"):
        return _array(None)
    if isinstance(b, frozenset):  # an array and something that may be one
        return a if b == NUMBER else _array(None)
    da, db = a[1], b[1]
    return _array(None if da is None or db is None else max(da, db))


def _all(parts, env, combine=broadcast):
    k = NUMBER
    for p in parts:
        k = combine(k, kind_of(p, env))
    return k


def kind_of(e, env):
    kinds, namespace, calls = env
    if isinstance(e, _Item):
        got = calls(e.call, lambda a: kind_of(a, env))
        return got[e.k] if got is not None and e.k < len(got) else None
    if isinstance(e, gast.Constant):
        return NUMBER if isinstance(e.value, (int, float, bool)) else None
    if isinstance(e, gast.List):
        items = [k for k in (kind_of(x, env) for x in e.elts) if k != BOTTOM]
        if all(isinstance(k, frozenset) for k in items):
            return ("list", _limits_all(items))
        return None
    if isinstance(e, gast.Name):
        if e.id in kinds:
            return kinds[e.id]
        return value_kind(namespace.get(e.id))
    if isinstance(e, gast.BinOp):
        if isinstance(e.op, gast.MatMult):
            return _contract([e.left, e.right], env)
        return _all([e.left, e.right], env)
    if isinstance(e, gast.UnaryOp):
        return kind_of(e.operand, env)
    if isinstance(e, gast.IfExp):
        return either(kind_of(e.body, env), kind_of(e.orelse, env))
    if isinstance(e, (gast.Compare, gast.BoolOp)):
        return _all([e.left, *e.comparators] if isinstance(e, gast.Compare) else e.values, env)
    if isinstance(e, gast.Attribute):
        if e.attr in ("size", "ndim"):
            return NUMBER
        return kind_of(e.value, env) if e.attr in ("T", "real") else None
    if isinstance(e, gast.Call):
        return _call_kind(e, env)
    if isinstance(e, gast.Subscript):
        return _subscript_kind(e, env)
    return None


def value_kind(v):
    """The kind of a module-level value."""
    if isinstance(v, (int, float, np.number, np.bool_)):
        return NUMBER
    if isinstance(v, np.ndarray):
        return _array(v.ndim)
    return None


def _call_kind(e, env):
    calls = env[2]
    if calls is not None:
        got = calls(e, lambda a: kind_of(a, env))
        if got is not None:
            return got[0] if len(got) == 1 else None  # a tuple is not a number
    dotted = S.dotted(e.func) or ""
    head, _, last = dotted.rpartition(".")
    numpy = head in ("np", "numpy")
    if head == "math" or dotted in SCALAR_CALLS:
        return NUMBER
    if (numpy or head in ("np.linalg", "numpy.linalg")) and last in SCALAR_REDUCTIONS:
        whole = not any(k.arg in ("axis", "keepdims") for k in e.keywords)
        return NUMBER if whole and (len(e.args) == 1 or last == "vdot") else None
    if (numpy and last in UFUNCS) or dotted in ("min", "max"):
        return _all(e.args, env)
    if numpy and last in ("dot", "inner", "matmul") and len(e.args) == 2:
        return _contract(e.args, env)
    if numpy and last in CONSTRUCTORS and e.args:
        shape = e.args[0]
        if isinstance(shape, gast.Tuple):
            return _array(len(shape.elts)) if shape.elts else None
        k = kind_of(shape, env)
        return k if k == BOTTOM else (_array(1) if k == NUMBER else None)
    if numpy and last in FIXED_NDIM:
        return _array(FIXED_NDIM[last])
    if numpy and last in SAME_KIND and e.args:
        arg = e.args[0]
        if isinstance(arg, (gast.List, gast.Tuple)):
            parts = [kind_of(a, env) for a in arg.elts]
            return _array(1) if parts and all(p == NUMBER for p in parts) else None
        return kind_of(arg, env)
    if isinstance(e.func, gast.Attribute) and e.func.attr == "copy" and not e.args:
        return kind_of(e.func.value, env)
    return None


def _contract(operands, env):
    """``x @ y`` / ``np.dot(x, y)``: a number when both have at most one dimension."""
    out = NUMBER
    for x in operands:
        k = kind_of(x, env)
        if k is None:
            return None
        if k == BOTTOM:
            continue
        if isinstance(k, frozenset):
            k = frozenset((p, a + 1) for p, a in k)
        elif k[0] == "slice":
            k = frozenset((p, a + 1) for p, a in k[1])
        else:
            k = NUMBER if k[1] is not None and k[1] <= 1 else _array(None)
        out = broadcast(out, k)
    return out


def _subscript_kind(e, env):
    base = e.value
    if isinstance(base, gast.Attribute) and base.attr == "shape":
        return NUMBER
    parts = e.slice.elts if isinstance(e.slice, gast.Tuple) else [e.slice]
    slices = [p for p in parts if isinstance(p, gast.Slice)]
    index_kinds = [kind_of(p, env) for p in parts if not isinstance(p, gast.Slice)]
    if BOTTOM in index_kinds:
        return BOTTOM
    if any(k != NUMBER for k in index_kinds):
        return None  # an index that may be an array (or None, Ellipsis)
    k = len(parts) - len(slices)
    inner = kind_of(base, env)
    if inner is None or inner == BOTTOM:
        return inner
    if isinstance(inner, tuple) and inner[0] == "list":
        return inner if slices else (inner[1] if k == 1 else None)
    if isinstance(inner, tuple) and inner[0] == "slice":
        inner = inner[1]
    if isinstance(inner, frozenset):
        shifted = frozenset((p, a + k) for p, a in inner)
        return ("slice", shifted) if slices else shifted
    if slices:
        return _array(None if inner[1] is None else inner[1] - k)
    d = inner[1]
    if d is None:
        return None
    return NUMBER if d <= k else _array(d - k)


def _walk_stmts(stmts):
    for s in stmts:
        yield s
        for field in ("body", "orelse"):
            yield from _walk_stmts(getattr(s, field, None) or [])


def substitute(kind, argument_kind):
    """A callee's result kind in terms of its parameters, at a call: ``argument_kind(p)``
    is the kind of what is passed for parameter ``p``."""
    if not isinstance(kind, frozenset):
        return kind
    out = NUMBER
    for p, k in kind:
        a = argument_kind(p)
        if a is None or a == BOTTOM:
            return a
        if isinstance(a, tuple) and a[0] == "slice":
            a = a[1]  # its dimensions are those of the pairs' kind
        if isinstance(a, frozenset):
            a = frozenset((q, b + k) for q, b in a)
        elif a[1] is None:
            return None
        else:
            a = NUMBER if a[1] <= k else _array(a[1] - k)
        out = broadcast(out, a)
    return out


def result_kinds(node, namespace, calls=None):
    """The kinds of a function's result, one per position of a tuple result, in terms of
    its parameters; None when its returns differ in length."""
    params = [a.id for a in node.args.args]
    env = (number_kinds(node.body, params, namespace, calls), namespace, calls)
    out = None
    for r in gast.walk(node):
        if not isinstance(r, gast.Return) or r.value is None:
            continue
        elts = r.value.elts if isinstance(r.value, gast.Tuple) else [r.value]
        got = [kind_of(e, env) for e in elts]
        if out is not None and len(out) != len(got):
            return None
        out = got if out is None else [either(a, b) for a, b in zip(out, got)]
    return out
