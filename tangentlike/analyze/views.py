"""Which names may be views of which arrays (``t = y[1:]``, ``r = W[1]``, ``y.T``,
``x.reshape(...)``), and the refusal of in-place writes that a view read later would
see (the reverse sweep would not)."""

import gast

from ..trees import walk as walk_tree


# calls whose result may share memory with their first operand (a view, or the operand)
VIEW_CALLS = {
    "reshape",
    "ravel",
    "transpose",
    "squeeze",
    "asarray",
    "atleast_1d",
    "atleast_2d",
    "expand_dims",
    "swapaxes",
    "moveaxis",
    "diagonal",
    "view",
    "flatten_view",
    "broadcast_to",
    "stop_gradient",
}


def view_sources(e):
    """Names whose array the value of ``e`` may share memory with."""
    if isinstance(e, gast.Name):
        return {e.id}
    if isinstance(e, (gast.Subscript, gast.Attribute)):
        return view_sources(e.value)
    if isinstance(e, gast.IfExp):
        return view_sources(e.body) | view_sources(e.orelse)
    if isinstance(e, gast.Call):
        f = e.func
        attr = f.attr if isinstance(f, gast.Attribute) else getattr(f, "id", None)
        if attr in VIEW_CALLS:
            if isinstance(f, gast.Attribute) and not (
                isinstance(f.value, gast.Name) and f.value.id in ("np", "numpy")
            ):
                return view_sources(f.value)  # x.reshape(...)
            return view_sources(e.args[0]) if e.args else set()
    return set()


def _index_arity(body):
    """The most indices any subscript of each name takes (``W[1, 0]``: 2)."""
    out = {}
    for s in body:
        for n in walk_tree(s):
            if isinstance(n, gast.Subscript) and isinstance(n.value, gast.Name):
                k = len(n.slice.elts) if isinstance(n.slice, gast.Tuple) else 1
                out[n.value.id] = max(out.get(n.value.id, 0), k)
    return out


def _surely_view(e, arity):
    """Whether ``e`` is surely a view of an array (it shares memory with its source, and
    is not a number): a basic slice, ``.T``, a view call, or fewer integer indices than
    the array takes elsewhere (``W[1]`` where ``W[1, 0]`` is written)."""
    if isinstance(e, gast.Attribute):
        return e.attr == "T"
    if isinstance(e, gast.Call):
        f = e.func
        attr = f.attr if isinstance(f, gast.Attribute) else getattr(f, "id", None)
        return attr in VIEW_CALLS
    if not isinstance(e, gast.Subscript) or not isinstance(e.value, (gast.Name, gast.Subscript)):
        return False
    parts = e.slice.elts if isinstance(e.slice, gast.Tuple) else [e.slice]
    if any(isinstance(p, gast.Slice) for p in parts):
        return True
    if any(isinstance(p, gast.Constant) and p.value in (None, Ellipsis) for p in parts):
        return True
    base = e.value
    return isinstance(base, gast.Name) and len(parts) < arity.get(base.id, 0)


def views_read_after_write(parsed, body, loads, reverse):
    """Refuse writing into an element of an array in place (``y[2] = ...``) while a view
    of it made earlier (``t = y[1:]``) is read, in reverse mode: the view's adjoint would
    not see the write's (forward mode is right: the tangent of a view is a view of the
    tangent). ``y *= 2`` with a view read later is refused in both modes by
    ``shared_updates.py``."""
    arity = _index_arity(body)
    views_of = {}  # source name -> [(view name, assignment)]
    for s in assignments(body):
        t = s.targets[0]
        if isinstance(t, gast.Name) and _surely_view(s.value, arity):
            for v in view_sources(s.value):
                views_of.setdefault(v, []).append((t.id, s))
    if not views_of:
        return
    place = dict(_places(body))
    for s in assignments(body):
        t = s.targets[0]
        if not (isinstance(t, gast.Subscript) and reverse):
            continue  # y *= 2 on an array: analyze/shared_updates.py
        base = t.value
        while isinstance(base, gast.Subscript):
            base = base.value
        if not isinstance(base, gast.Name):
            continue
        todo, seen = [base.id], set()
        while todo:
            for view, made in views_of.get(todo.pop(), ()):
                if view in seen or view == base.id or not _may_see(place[id(made)], place[id(s)]):
                    continue
                seen.add(view)
                todo.append(view)
                if view in loads:
                    raise parsed.error(
                        f"writing into '{base.id}' in place while '{view}', a view of it "
                        f"(line {parsed.lineno(made)}), is read is not supported: the "
                        "derivative would not see the change through the view; make "
                        f"'{view}' a copy (.copy()) or index '{base.id}' where it is read",
                        s,
                        construct="write into an array with a view",
                    )


def _places(stmts, path=(), loops=()):
    """``(id(statement), (path, enclosing loops))``: where each statement sits."""
    for k, s in enumerate(stmts):
        here = path + (k,)
        yield id(s), (here, loops)
        inner = loops + (id(s),) if isinstance(s, (gast.For, gast.While)) else loops
        for field in ("body", "orelse"):
            yield from _places(getattr(s, field, None) or [], here + (field,), inner)


def _may_see(view_place, write_place):
    """A view made at ``view_place`` exists when the write runs: made before it, or in a
    loop around both (made in one iteration, written in a later one)."""
    (vp, vloops), (wp, wloops) = view_place, write_place
    return vp < wp or bool(set(vloops) & set(wloops))


def assignments(stmts):
    for s in stmts:
        if isinstance(s, gast.Assign):
            yield s
        elif isinstance(s, gast.If):
            yield from assignments(s.body)
            yield from assignments(s.orelse)
        elif isinstance(s, (gast.For, gast.While)):
            yield from assignments(s.body)
