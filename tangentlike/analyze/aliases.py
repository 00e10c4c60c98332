"""Which calls are pure, which names are changed in place and which names may hold the
same array object (``a = b``, ``a = unbroadcast(b, x)``): facts about code, shared by the
reverse transform (which arrays to tape, aliases of written arrays) and the optimization
passes (never make two names share an array one of them later mutates).

The whole-function facts take an optional ``nodes`` (a ``NodesByType`` of the function)
so that a pass computing several of them walks the function once.
"""

import gast

from ..runtime import declarations
from ..trees import walk

# np.<name> functions that allocate and return a fresh array: two calls are two objects
_ALLOCATING = {
    "zeros",
    "ones",
    "empty",
    "full",
    "zeros_like",
    "ones_like",
    "empty_like",
    "full_like",
    "array",
    "copy",
    "asarray",
    "arange",
    "linspace",
    "eye",
}
# runtime helpers: value-only functions of their operands, fresh arrays, and those whose
# result shares memory with its first operand only (from the helpers' declarations)
_PURE_HELPERS = set(declarations.names(pure=True))
_FRESH_HELPERS = set(declarations.names(fresh=True))
_SHAPED_LIKE_2ND = set(declarations.names(may_alias=(0,)))
_PURE_BUILTINS = {"len", "float", "int", "abs", "min", "max", "range"}
_PURE_METHODS = {
    "sum",
    "mean",
    "max",
    "min",
    "prod",
    "copy",
    "reshape",
    "transpose",
    "astype",
    "dot",
    "ravel",
    "flatten",
    "std",
    "var",
    "any",
    "all",
}


def is_pure_call(call):
    """A call whose only effect is its value (math/np functions, runtime helpers)."""
    f = call.func
    if isinstance(f, gast.Name):
        return f.id in _PURE_HELPERS or f.id in _PURE_BUILTINS
    if isinstance(f, gast.Attribute):
        if isinstance(f.value, gast.Name) and f.value.id in ("math", "np"):
            return True
        return f.attr in _PURE_METHODS
    return False


def allocates(call):
    """A call that returns a new array each time (never shared between two names)."""
    f = call.func
    if isinstance(f, gast.Name):
        return f.id in _FRESH_HELPERS
    if isinstance(f, gast.Attribute):
        if isinstance(f.value, gast.Name) and f.value.id == "np":
            return f.attr in _ALLOCATING
        return f.attr in ("copy", "astype")
    return False


def pure(expr):
    """No call in ``expr`` has a side effect (subscripts and arithmetic are pure)."""
    return all(is_pure_call(n) for n in walk(expr) if isinstance(n, gast.Call))


def base_name(target):
    """``x`` for ``x``, ``x[i]``, ``x[i][j]``, ``x.attr``; None otherwise."""
    while isinstance(target, (gast.Subscript, gast.Attribute)):
        target = target.value
    return target.id if isinstance(target, gast.Name) else None


class NodesByType:
    """The nodes of a tree grouped by type, from one walk (stale once the tree changes)."""

    def __init__(self, tree):
        self.groups = {}
        for n in walk(tree):
            group = self.groups.get(type(n))
            if group is None:
                self.groups[type(n)] = [n]
            else:
                group.append(n)

    def __call__(self, *types):
        """The nodes of these (exact gast) types, type by type."""
        for t in types:
            yield from self.groups.get(t, ())


def mutated_in_place(fdef, nodes=None):
    """Names whose object is changed in place: subscript stores and method calls."""
    out = set()
    for n in (nodes or NodesByType(fdef))(gast.Assign, gast.AugAssign, gast.Call):
        if isinstance(n, (gast.Assign, gast.AugAssign)):
            for t in n.targets if isinstance(n, gast.Assign) else [n.target]:
                if isinstance(t, (gast.Subscript, gast.Attribute)):
                    out.add(base_name(t))
        elif (
            isinstance(n, gast.Call) and isinstance(n.func, gast.Attribute) and not is_pure_call(n)
        ):
            b = base_name(n.func.value)
            if b is not None:
                out.add(b)
    out.discard(None)
    return out


def alias_sources(expr):
    """Names whose object ``expr`` may evaluate to (itself or a view of it)."""
    if isinstance(expr, gast.Name):
        return {expr.id}
    if isinstance(expr, (gast.Subscript, gast.Attribute)):
        return alias_sources(expr.value)
    if isinstance(expr, gast.IfExp):
        return alias_sources(expr.body) | alias_sources(expr.orelse)
    if isinstance(expr, gast.Call):
        if allocates(expr):
            return set()
        if (
            is_pure_call(expr)
            and isinstance(expr.func, gast.Attribute)
            and isinstance(expr.func.value, gast.Name)
            and expr.func.value.id == "math"
        ):
            return set()  # math functions return new floats
        if isinstance(expr.func, gast.Name) and expr.func.id in _SHAPED_LIKE_2ND and expr.args:
            return alias_sources(expr.args[0])  # the 2nd operand only gives a shape
        out = set()
        for a in expr.args:
            out |= alias_sources(a)
        return out
    if isinstance(expr, (gast.Tuple, gast.List)):
        out = set()
        for e in expr.elts:
            out |= alias_sources(e)
        return out
    return set()  # arithmetic makes a new value


class Aliases:
    """Flow-insensitive may-alias classes of names (union-find over assignments)."""

    def __init__(self, fdef, extra_edges=(), nodes=None):
        self.parent = {}
        for n in (nodes or NodesByType(fdef))(gast.Assign, gast.For):
            if (
                isinstance(n, gast.Assign)
                and len(n.targets) == 1
                and isinstance(n.targets[0], gast.Name)
            ):
                for s in alias_sources(n.value):
                    self.union(n.targets[0].id, s)
            elif isinstance(n, gast.For) and isinstance(n.target, gast.Name):
                for s in alias_sources(n.iter):
                    self.union(n.target.id, s)
        for a, b in extra_edges:
            self.union(a, b)

    def find(self, x):
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a, b):
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[ra] = rb

    def roots(self, names):
        """The alias classes of ``names``."""
        return {self.find(x) for x in names}

    def touches(self, names, bad):
        """Whether any of ``names`` may share an object with a name in ``bad``."""
        roots = self.roots(bad)
        return any(self.find(n) in roots for n in names)
