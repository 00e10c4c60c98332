"""Refuse an augmented assignment to an array that another live name shares.

On a NumPy array ``y *= 2`` changes the array in place: every other name for it (``t = y``,
a view ``t = y[1:]``, a row ``r = M[i]``, the result of a helper that returns its argument)
sees the change. The normalized code performs it as the rebinding ``y = y * 2`` (one value
per name, one adjoint per name), which those other names do not follow. So where such a
name may still be read after the update, the derivative would be silently wrong: it is
refused at the update's line instead.

Three facts decide it, all computed here on the normalized body:

* *kinds* (``number_kinds.py``): names that surely hold a number, for which ``*=`` is a
  rebinding in Python too, or hold one for arguments of at most so many dimensions;
* *may-share*, flow-sensitive: after ``t = y`` (or a view, an element of a container, a
  helper result) the two names may share one array until either is bound again;
* *liveness*: whether the other name is read again before it is bound again.
"""

import gast

from .. import syntax as S
from .number_kinds import NUMBER, number_kinds
from .views import view_sources


def refuse_shared_updates(parsed, body, results=None, reverse=True):
    """Raise ``TangentlikeError`` at an augmented assignment (``y op= e``) to a name that
    may be an array while another name that may share it is read later, and, in reverse
    mode, at a write into an element or slice of an array (``y[i] = e``, ``y[1:] += e``)
    while such a name is read later (the reverse sweep gives each name its own adjoint:
    the other name's would not see the write; forward mode is right, the tangent of the
    other name shares the tangent array). ``results``
    (``analyze/helper_results.py``) tells what a user function's result shares. Where the
    name is an array only if some arguments are (``s = x; t = s; s += y``), the refusal is
    returned instead, as ``[([(argument, most dimensions)], error)]``: the call raises it
    when one of those arguments has more dimensions (``call_checks.check_number_arguments``)."""
    if not any(_in_place_updates(body)) and not (reverse and any(_stores(body))):
        return []
    calls = results.kinds if results is not None else None
    kinds = number_kinds(body, [a.id for a in parsed.node.args.args], parsed.namespace, calls)
    scalars = {v for v, k in kinds.items() if k == NUMBER}
    after = {}
    _live(body, set(), after, None)
    guards = []
    _forward(body, {}, scalars, after, (parsed, kinds, guards, reverse), results)
    return guards


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
            if context[3] and isinstance(s.targets[0], gast.Subscript):
                _check_store(s, state, after, context)
            elif getattr(s, "tl_in_place", False) and isinstance(s.value, gast.BinOp):
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
    parsed, kinds, guards, _ = context
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
        _refuse(err, kinds.get(name), guards)


def _check_store(s, state, after, context):
    """``s`` writes into part of an array (``y[i] = e``; ``y[1:] += e`` is normalized to a
    store of the same form): refuse it while another name for the array is read later."""
    parsed, kinds, guards, _ = context
    bases = _subscript_bases(s.targets[0])
    if not bases:
        return
    name = bases[0]
    for other in sorted((state.get(name, set()) - {name}) & after.get(id(s), set())):
        err = parsed.error(
            f"writing into '{name}' in place while '{other}', which may be the same array "
            f"(an alias, a view or a helper's result), is read later is not supported: "
            f"the derivative would not see the change through '{other}'; make '{other}' "
            "a copy (.copy()) or read it before the write",
            s,
            construct="write into a shared array",
        )
        _refuse(err, kinds.get(other), guards)


def _refuse(err, depends, guards):
    """Raise ``err`` now, or, where the name is an array only if some arguments are
    (``depends``: their names), at a call with such arguments."""
    if not isinstance(depends, frozenset):
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


def _stores(body):
    for s in _walk_stmts(body):
        if isinstance(s, gast.Assign) and isinstance(s.targets[0], gast.Subscript):
            yield s


def _walk_stmts(stmts):
    for s in stmts:
        yield s
        for field in ("body", "orelse"):
            yield from _walk_stmts(getattr(s, field, None) or [])
