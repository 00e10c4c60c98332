"""What the sparsity detector reads from the generated forward code (Python ``ast``).

* which names hold tangents (a fixed point from the tangent parameters: a name is a
  tangent when a value stored into it reads a tangent; across the generated callees by
  call position), so their ``zeros_like`` initialisations become empty index sets;
* which arguments' values steer control flow or an index (then the pattern holds at
  those values only): an ``if``/``while``/conditional expression test, a ``range``
  bound or a subscript index that reads a value derived from the argument (its shape,
  size and length do not count).
"""

import ast

SHAPE_ATTRS = frozenset(("shape", "size", "ndim", "dtype"))
SHAPE_CALLS = frozenset(("len", "shape", "size", "ndim"))
SET_ZEROS = "__tl_zeros_sets__"


def reads(node, skip_shapes=False):
    """Names loaded in ``node`` (without those only used for a shape, if asked)."""
    out = set()
    stack = [node]
    while stack:
        n = stack.pop()
        if skip_shapes:
            if isinstance(n, ast.Attribute) and n.attr in SHAPE_ATTRS:
                continue
            if isinstance(n, ast.Call):
                fn = n.func
                name = fn.id if isinstance(fn, ast.Name) else getattr(fn, "attr", None)
                if name in SHAPE_CALLS:
                    continue
        if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load):
            out.add(n.id)
        stack.extend(ast.iter_child_nodes(n))
    return out


def stored(target):
    """The variables an assignment target writes (the base of a subscript store)."""
    if isinstance(target, ast.Name):
        return {target.id}
    if isinstance(target, (ast.Subscript, ast.Attribute, ast.Starred)):
        return stored(target.value)
    if isinstance(target, (ast.Tuple, ast.List)):
        return set().union(*(stored(e) for e in target.elts)) if target.elts else set()
    return set()


def _param_names(fn):
    return [a.arg for a in fn.args.args]


def propagate(defs, seeds, skip_shapes):
    """Names of each generated function reached from ``seeds`` ({function: names}) by
    data flow: assignments, ``list.append``, for-loop targets and calls of generated
    functions (argument k reaches parameter k)."""
    marked = {name: set(seeds.get(name, ())) for name in defs}
    changed = True
    while changed:
        changed = False
        for name, fn in defs.items():
            live = marked[name]
            for node in ast.walk(fn):
                new = set()
                if isinstance(node, ast.Assign):
                    if reads(node.value, skip_shapes) & live:
                        for t in node.targets:
                            new |= stored(t)
                elif isinstance(node, ast.AugAssign):
                    if reads(node.value, skip_shapes) & live:
                        new |= stored(node.target)
                elif isinstance(node, ast.For):
                    if reads(node.iter, skip_shapes) & live:
                        new |= stored(node.target)
                elif (
                    isinstance(node, ast.Call)
                    and isinstance(node.func, ast.Attribute)
                    and node.func.attr in ("append", "extend")
                    and any(reads(a, skip_shapes) & live for a in node.args)
                ):
                    new |= stored(node.func.value)
                if (
                    isinstance(node, ast.Call)
                    and isinstance(node.func, ast.Name)
                    and node.func.id in defs
                ):
                    params = _param_names(defs[node.func.id])
                    for k, a in enumerate(node.args):
                        if (
                            k < len(params)
                            and reads(a, skip_shapes) & live
                            and params[k] not in marked[node.func.id]
                        ):
                            marked[node.func.id].add(params[k])
                            changed = True
                if new - live:
                    live |= new
                    changed = True
    return marked


def value_dependent_sites(defs, active):
    """(function, line) of each test, range bound or index that reads an active value."""
    sites = []
    for name, fn in defs.items():
        live = active[name]
        for node in ast.walk(fn):
            exprs = []
            if isinstance(node, (ast.If, ast.While, ast.IfExp)):
                exprs.append(node.test)
            elif (
                isinstance(node, ast.For)
                and isinstance(node.iter, ast.Call)
                and getattr(node.iter.func, "id", None) == "range"
            ):
                exprs.extend(node.iter.args)
            elif isinstance(node, ast.Subscript):
                exprs.append(node.slice)
            if any(reads(e, True) & live for e in exprs):
                sites.append((name, getattr(node, "lineno", None)))
    return sites


class SetProgram:
    """The generated forward module, rewritten so that tangents start as empty sets."""

    def __init__(self, source, entry, tangent_params, nargs):
        tree = ast.parse(source)
        tree.body = [st for st in tree.body if not _is_numpy_or_runtime_import(st)]
        defs = {st.name: st for st in tree.body if isinstance(st, ast.FunctionDef)}
        params = _param_names(defs[entry])
        tangents = propagate(defs, {entry: [params[k] for k in tangent_params]}, False)
        # the arguments whose values steer a branch, a loop bound or an index
        self.steering = {}
        for k in range(nargs):
            sites = value_dependent_sites(defs, propagate(defs, {entry: [params[k]]}, True))
            if sites:
                self.steering[k] = sites
        for name, fn in defs.items():
            for node in ast.walk(fn):
                if (
                    isinstance(node, ast.Assign)
                    and isinstance(node.value, ast.Call)
                    and isinstance(node.value.func, ast.Name)
                    and node.value.func.id == "zeros_like"
                    and set().union(*(stored(t) for t in node.targets)) & tangents[name]
                ):
                    node.value.func.id = SET_ZEROS
        self.source = ast.unparse(tree) + "\n"


def _is_numpy_or_runtime_import(st):
    if isinstance(st, ast.ImportFrom):
        return st.module == "tangentlike.runtime"
    if isinstance(st, ast.Import):
        return any(a.name == "numpy" for a in st.names)
    return False
