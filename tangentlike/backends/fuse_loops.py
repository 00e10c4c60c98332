"""Fusion, second half: the loops of the runs ``fuse.py`` finds, under their guards, and the
pass over a function (``fuse_arrays``, called by ``numba_backend.py``)."""

import ast

import gast
import numpy as np

from .fuse import SCALAR, Arr, _Fuser, _Region, _call_named, _is_comment, _names_read


def _emit(fuser, region, later_reads, arrays):
    """The statements of a closed run: fused under a guard, or as they were."""
    trailing = []
    while region.stmts and region.stmts[-1][0] == "comment":
        trailing.insert(0, region.stmts.pop()[1])
    originals = [s for _, s, _, _ in region.stmts]
    if not region.work():
        return region.hoisted + originals + trailing, False
    first = region.operands[0]
    by_key = {}
    for k in region.operands:
        by_key.setdefault(k.key, k)
    guard = [f"{a}.ndim == 1" for a in arrays]
    guard += [f"{k.length()} == _n" for key, k in by_key.items() if key != first.key]
    head = [ast.parse(f"_n = {first.length()}").body[0]]
    stored = sorted(region.locals & later_reads)
    body, pre, post = [], [], []
    for name in stored:
        cell = f"{name}_a" if name in region.outside else name
        pre.append(ast.parse(f"{cell} = np.empty(_n)").body[0])
        if cell != name:
            post.append(ast.parse(f"{name} = {cell}").body[0])
    for kind, stmt, target, (elem, extra) in region.stmts:
        if kind == "comment":
            body.append(stmt)
        elif kind == "elem":
            body.append(ast.Assign([ast.Name(f"{target}_i", ast.Store())], elem))
        elif kind == "red":
            if not (isinstance(extra, ast.Name) and extra.id == target):
                pre.append(ast.Assign([ast.Name(target, ast.Store())], extra))
            body.append(ast.AugAssign(ast.Name(target, ast.Store()), ast.Add(), elem))
        else:
            te, e = elem
            te = ast.Subscript(te.value, te.slice, ast.Store())
            body.append(ast.AugAssign(te, ast.Add(), e))
    for name in stored:
        cell = f"{name}_a" if name in region.outside else name
        body.append(ast.parse(f"{cell}[_i] = {name}_i").body[0])
    loop = ast.For(
        ast.Name("_i", ast.Store()),
        ast.Call(ast.Name("range", ast.Load()), [ast.Name("_n", ast.Load())], []),
        body,
        [],
    )
    test = ast.parse(" and ".join(guard) or "True", mode="eval").body
    fused = ast.If(test, pre + [loop] + post, originals)
    for name in region.locals - set(stored):
        fuser.env.pop(name, None)
    for name in stored:
        fuser.env[name] = Arr(first.key, name)
    for name in region.pending:
        fuser.env[name] = SCALAR
    return region.hoisted + head + [fused] + trailing, True


def _store_safe(fdef):
    """Gradients made by one ``zeros_like`` and otherwise only added into by slices, or
    read by the return: a run may add into them in any order."""
    bound = {}
    for s in fdef.body:
        if (
            isinstance(s, ast.Assign)
            and isinstance(s.targets[0], ast.Name)
            and _call_named(s.value, "zeros_like")
        ):
            bound[s.targets[0].id] = bound.get(s.targets[0].id, 0) + 1
    safe = {n for n, c in bound.items() if c == 1}
    allowed = set()
    for s in ast.walk(fdef):
        if isinstance(s, ast.AugAssign) and isinstance(s.target, ast.Subscript):
            allowed.add(id(s.target.value))
        if isinstance(s, ast.Return):
            allowed |= {id(n) for n in ast.walk(s)}
    for s in fdef.body:
        if isinstance(s, ast.Assign) and _call_named(s.value, "zeros_like"):
            allowed.add(id(s.targets[0]))
    for n in ast.walk(fdef):
        if isinstance(n, ast.Name) and n.id in safe and id(n) not in allowed:
            safe.discard(n.id)
    return safe


def fuse_arrays(fdef, args):
    """A copy of the gast ``fdef`` with its elementwise runs fused, or None if none is.
    ``args``: the values of a call (the kinds of the parameters)."""
    tree = gast.gast_to_ast(fdef)
    names = [a.arg for a in tree.args.args]
    taken = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}
    made = {"_i", "_n"} | {n + "_i" for n in taken} | {n + "_a" for n in taken}
    if made & taken:  # a name the loops would write is the user's
        return None
    env, arrays = {}, []
    for name, a in zip(names, args):
        if type(a) in (float, int) or isinstance(a, (np.floating, np.integer)):
            env[name] = SCALAR
        elif type(a) is np.ndarray and a.ndim == 1 and a.dtype == np.float64:
            env[name] = Arr((name, 0), name)
            arrays.append(name)
    if not arrays:
        return None
    fuser = _Fuser(tree, env, arrays, _store_safe(tree))
    out, changed = [], False
    stmts = tree.body
    for pos, stmt in enumerate(stmts):
        if fuser.region is not None and fuser.try_add(stmt):
            continue
        if fuser.region is not None:
            later = set().union(*(_names_read(s) for s in stmts[pos:]))
            emitted, fused = _emit(fuser, fuser.region, later, arrays)
            changed |= fused
            out += emitted
            fuser.region = None
        fuser.region = _Region()
        added = not _is_comment(stmt) and fuser.try_add(stmt)
        if added and fuser.region.stmts:
            continue
        fuser.region = None
        out.append(stmt)
        if not added:  # (a hoisted statement has its kinds already)
            fuser.update_env(stmt)
    if fuser.region is not None:
        emitted, fused = _emit(fuser, fuser.region, set(), arrays)
        out += emitted
        changed |= fused
    if not changed:
        return None
    tree.body = out
    ast.fix_missing_locations(tree)
    return gast.ast_to_gast(tree)
