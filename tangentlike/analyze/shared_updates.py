"""Refuse an augmented assignment to an array that another live name shares.

On a NumPy array ``y *= 2`` changes the array in place: every other name for it (``t = y``,
a view ``t = y[1:]``, a row ``r = M[i]``, the result of a helper that returns its argument)
sees the change. The normalized code performs it as the rebinding ``y = y * 2`` (one value
per name, one adjoint per name), which those other names do not follow. So where such a
name may still be read after the update, the derivative would be silently wrong: it is
refused at the update's line instead.

Three facts decide it, all computed here on the normalized body:

* *kinds*: names that surely hold a number (constants, ``math`` calls, reductions,
  arithmetic of numbers, a fully indexed element), for which ``*=`` is a rebinding in
  Python too;
* *may-share*, flow-sensitive: after ``t = y`` (or a view, an element of a container, a
  helper result) the two names may share one array until either is bound again;
* *liveness*: whether the other name is read again before it is bound again.
"""

import gast

from .. import syntax as S
from .views import view_sources

SCALAR_CALLS = {"float", "int", "len", "abs", "round", "bool"}
SCALAR_REDUCTIONS = {"sum", "mean", "prod", "max", "min", "amax", "amin", "std", "var",
                     "vdot", "trace", "norm", "det", "nansum", "median", "average"}  # fmt: skip
# NumPy functions that map numbers to a number
SCALAR_UFUNCS = {"sin", "cos", "tan", "exp", "exp2", "log", "log2", "log10", "log1p", "expm1",
                 "sqrt", "cbrt", "square", "tanh", "sinh", "cosh", "arcsin", "arccos", "arctan",
                 "arctan2", "arcsinh", "arccosh", "arctanh", "abs", "absolute", "fabs", "sign",
                 "power", "hypot", "minimum", "maximum", "fmin", "fmax", "floor", "ceil",
                 "round", "rint", "trunc", "negative", "reciprocal", "clip", "float64",
                 "float32", "add", "subtract", "multiply", "divide", "true_divide"}  # fmt: skip


def refuse_shared_updates(parsed, body, results=None):
    """Raise ``TangentlikeError`` at an augmented assignment (``y op= e``) to a name that
    may be an array while another name that may share it is read later. ``results``
    (``analyze/helper_results.py``) tells what a user function's result shares. Where the
    name is an array only if some arguments are (``s = x; t = s; s += y``), the refusal is
    returned instead, as ``[(argument names, error)]``: the call raises it when one of
    those arguments is an array (``call_checks.check_number_arguments``)."""
    if not any(_in_place_updates(body)):
        return []
    kinds = number_kinds(body, [a.id for a in parsed.node.args.args])
    scalars = {v for v, k in kinds.items() if k == _NUMBER}
    after = {}
    _live(body, set(), after, None)
    guards = []
    _forward(body, {}, scalars, after, (parsed, kinds, guards), results)
    return guards


# ----------------------------------------------------------------------------- kinds


def number_kinds(body, params):
    """For each name bound in ``body`` (and each argument): ``frozenset()`` when it surely
    holds a number, a set of arguments when it holds a number unless one of them is an
    array (``s = x; s += y``), or None when it may be an array for any arguments."""
    binds = {}
    arity = {}
    for s in _walk_stmts(body):
        if isinstance(s, gast.Assign):
            for t in s.targets:
                _collect_bind(t, s.value, binds)
        elif isinstance(s, gast.For):
            is_range = isinstance(s.iter, gast.Call) and getattr(s.iter.func, "id", "") == "range"
            for name in S.stored_names(s.target):
                binds.setdefault(name, []).append(
                    gast.Constant(value=0, kind=None) if is_range else None
                )
        for n in gast.walk(s):
            if isinstance(n, gast.Subscript) and isinstance(n.value, gast.Name):
                k = len(n.slice.elts) if isinstance(n.slice, gast.Tuple) else 1
                arity[n.value.id] = max(arity.get(n.value.id, 0), k)
    kinds = {v: frozenset() for v in binds}
    for p in params:
        kinds[p] = frozenset([p])
    changed = True
    while changed:  # kinds only grow (numbers -> depends on arguments -> unknown)
        changed = False
        for v in sorted(binds):
            if kinds[v] is None:
                continue
            k = kinds[v]
            for e in binds[v]:
                k = _join(k, None if e is None else _number_kind(e, kinds, arity))
                if k is None:
                    break
            if k != kinds[v]:
                kinds[v] = k
                changed = True
    return kinds


def _collect_bind(target, value, binds):
    if isinstance(target, gast.Name):
        binds.setdefault(target.id, []).append(value)
    elif isinstance(target, (gast.Tuple, gast.List)):
        same = isinstance(value, (gast.Tuple, gast.List)) and len(value.elts) == len(target.elts)
        for k, t in enumerate(target.elts):
            _collect_bind(t, value.elts[k] if same else None, binds)


def _join(a, b):
    return None if a is None or b is None else a | b


def _join_all(parts, kinds, arity):
    k = frozenset()
    for p in parts:
        k = _join(k, _number_kind(p, kinds, arity))
    return k


_NUMBER = frozenset()


def _number_kind(e, kinds, arity):
    """``e``'s kind (see ``number_kinds``)."""
    if isinstance(e, gast.Constant):
        return _NUMBER if isinstance(e.value, (int, float, bool)) else None
    if isinstance(e, gast.Name):
        return kinds.get(e.id, _NUMBER)  # a global constant
    if isinstance(e, gast.BinOp):
        return _join_all([e.left, e.right], kinds, arity)
    if isinstance(e, gast.UnaryOp):
        return _number_kind(e.operand, kinds, arity)
    if isinstance(e, gast.IfExp):
        return _join_all([e.body, e.orelse], kinds, arity)
    if isinstance(e, (gast.Compare, gast.BoolOp)):
        parts = [e.left, *e.comparators] if isinstance(e, gast.Compare) else e.values
        return _join_all(parts, kinds, arity)
    if isinstance(e, gast.Attribute):
        return _NUMBER if e.attr in ("size", "ndim") else None
    if isinstance(e, gast.Call):
        dotted = S.dotted(e.func) or ""
        head, _, last = dotted.rpartition(".")
        if head == "math" or dotted in SCALAR_CALLS:
            return _NUMBER
        if head in ("np", "numpy", "np.linalg", "numpy.linalg") and last in SCALAR_REDUCTIONS:
            whole = not any(k.arg in ("axis", "keepdims") for k in e.keywords)
            return _NUMBER if whole and (len(e.args) == 1 or last == "vdot") else None
        if (head in ("np", "numpy") and last in SCALAR_UFUNCS) or dotted in ("min", "max"):
            return _join_all(e.args, kinds, arity)
        return None
    if isinstance(e, gast.Subscript):
        if getattr(e, "tl_sequence_item", False):  # for r in m: a row of a matrix, or not
            return None
        base = e.value
        if isinstance(base, gast.Attribute) and base.attr == "shape":
            return _NUMBER
        parts = e.slice.elts if isinstance(e.slice, gast.Tuple) else [e.slice]
        if any(
            isinstance(p, gast.Slice) or _number_kind(p, kinds, arity) != _NUMBER for p in parts
        ):
            return None
        full = isinstance(base, gast.Name) and len(parts) >= arity.get(base.id, 0)
        return _NUMBER if full else None
    return None


# ----------------------------------------------------------------------------- liveness


def _reads(s):
    """Names a simple statement reads (a subscript store reads its array and index)."""
    if isinstance(s, gast.Assign):
        out = S.loaded_names(s.value)
        for t in s.targets:
            if not isinstance(t, gast.Name):
                out |= S.loaded_names(t) | {n for n in _subscript_bases(t)}
        return out
    return S.loaded_names(s)


def _subscript_bases(t):
    while isinstance(t, (gast.Subscript, gast.Attribute)):
        t = t.value
    return [t.id] if isinstance(t, gast.Name) else []


def _kills(s):
    if isinstance(s, gast.Assign):
        return {
            n for t in s.targets if not isinstance(t, gast.Subscript) for n in S.stored_names(t)
        }
    return set()


def _live(stmts, out, after, loop):
    """Live names before ``stmts`` given those live after; records ``after[id(s)]``.
    ``loop`` is (names live after the loop, names live at its head) for jumps."""
    live = set(out)
    for s in reversed(stmts):
        after[id(s)] = set(live)
        if isinstance(s, gast.If):
            live = (
                S.loaded_names(s.test)
                | _live(s.body, live, after, loop)
                | _live(s.orelse, live, after, loop)
            )
        elif isinstance(s, (gast.For, gast.While)):
            head_reads = S.loaded_names(s.iter if isinstance(s, gast.For) else s.test)
            rest = _live(s.orelse, live, after, loop) if s.orelse else set(live)
            head = rest | head_reads
            while True:
                inner = _live(s.body, head, after, (rest, head))
                if isinstance(s, gast.For):
                    inner = inner - S.stored_names(s.target)
                new = head | inner
                if new == head:
                    break
                head = new
            live = head
        elif isinstance(s, gast.Return):
            live = S.loaded_names(s) if s.value is not None else set()
        elif isinstance(s, gast.Break):
            live = set(loop[0]) | set(loop[1]) if loop else set(live)
        elif isinstance(s, gast.Continue):
            live = set(loop[1]) if loop else set(live)
        else:
            live = (live - _kills(s)) | _reads(s)
    return live


# ----------------------------------------------------------------------------- may-share


def _shares(value, scalars, results):
    """Names whose array the value of ``value`` may share, per position of a tuple target."""
    if isinstance(value, gast.Call) and results is not None:
        positions = results.sources(value)
        if positions is not None:
            return [set().union(*(view_sources(e) for e in exprs)) for exprs in positions]
    return [view_sources(value)]


def _bind(state, name, srcs):
    for v in state.pop(name, set()):
        state.get(v, set()).discard(name)
    group = set()
    for src in srcs:
        if src != name:
            group |= {src} | state.get(src, set())
    group.discard(name)
    if group:
        state[name] = group
        for v in group:
            state.setdefault(v, set()).add(name)


def _union(a, b):
    out = {k: set(v) for k, v in a.items()}
    for k, v in b.items():
        out.setdefault(k, set()).update(v)
    return out


def _forward(stmts, state, scalars, after, context, results):
    for s in stmts:
        if isinstance(s, gast.Assign):
            if getattr(s, "tl_in_place", False) and isinstance(s.value, gast.BinOp):
                _check(s, state, scalars, after, context)
            _transfer(s, state, scalars, results)
        elif isinstance(s, gast.If):
            other = {k: set(v) for k, v in state.items()}
            _forward(s.body, state, scalars, after, context, results)
            _forward(s.orelse, other, scalars, after, context, results)
            merged = _union(state, other)
            state.clear()
            state.update(merged)
        elif isinstance(s, (gast.For, gast.While)):
            for _ in range(8):  # the pairs only grow: a fixpoint in a few rounds
                entry = {k: set(v) for k, v in state.items()}
                if isinstance(s, gast.For):
                    for name in S.stored_names(s.target):
                        if name not in scalars:
                            _bind(state, name, view_sources(s.iter))
                _forward(s.body, state, scalars, after, context, results)
                merged = _union(entry, state)
                state.clear()
                state.update(merged)
                if merged == entry:
                    break
            _forward(s.orelse, state, scalars, after, context, results)


def _transfer(s, state, scalars, results):
    target = s.targets[0]
    if isinstance(target, gast.Name):
        srcs = set() if target.id in scalars else set().union(*_shares(s.value, scalars, results))
        _bind(state, target.id, srcs)
    elif isinstance(target, (gast.Tuple, gast.List)):
        positions = _shares(s.value, scalars, results)
        if len(positions) != len(target.elts):
            positions = [set().union(*positions)] * len(target.elts)
        for t, srcs in zip(target.elts, positions):
            for name in S.stored_names(t):
                _bind(state, name, set() if name in scalars else srcs)


def _check(s, state, scalars, after, context):
    """``s`` is ``y = y op e`` (``y op= e``, perhaps renamed to a new version ``y_2``)."""
    parsed, kinds, guards = context
    left = s.value.left
    if not isinstance(left, gast.Name) or left.id in scalars:
        return
    name = left.id
    targets = S.stored_names(s.targets[0])
    others = sorted((state.get(name, set()) - {name} - targets) & after.get(id(s), set()))
    if others:
        err = parsed.error(
            f"'{name} {_op(s)}= ...' changes the array '{name}' in place, and '{others[0]}', "
            f"which may be the same array (an alias, a view or a helper's result), is read "
            f"later: the derivative would not see the change through '{others[0]}'; write "
            f"'{name} = {name} {_op(s)} ...' (a new array) or make '{others[0]}' a copy "
            "(.copy())",
            s,
            construct="in-place update of a shared array",
        )
        depends = kinds.get(name)
        if depends is None:
            raise err
        guards.append((sorted(depends), err))


_OPS = {gast.Add: "+", gast.Sub: "-", gast.Mult: "*", gast.Div: "/", gast.Pow: "**",
        gast.FloorDiv: "//", gast.Mod: "%", gast.MatMult: "@"}  # fmt: skip


def _op(s):
    v = s.value
    return _OPS.get(type(v.op), "op") if isinstance(v, gast.BinOp) else "op"


def _in_place_updates(body):
    for s in _walk_stmts(body):
        if getattr(s, "tl_in_place", False):
            yield s


def _walk_stmts(stmts):
    for s in stmts:
        yield s
        for field in ("body", "orelse"):
            yield from _walk_stmts(getattr(s, field, None) or [])
