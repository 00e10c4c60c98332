"""Small constructors and queries for gast nodes, shared by every stage."""
import copy

import gast


def name(id_, ctx=None):
    return gast.Name(id=id_, ctx=ctx or gast.Load(), annotation=None, type_comment=None)


def store(id_):
    return name(id_, gast.Store())


def const(value):
    if isinstance(value, (int, float)) and not isinstance(value, bool) and value < 0:
        return gast.UnaryOp(op=gast.USub(), operand=gast.Constant(value=-value, kind=None))
    return gast.Constant(value=value, kind=None)


def assign(target, value):
    if isinstance(target, str):
        target = store(target)
    return gast.Assign(targets=[target], value=value, type_comment=None)


def call(func, *args, keywords=()):
    if isinstance(func, str):
        func = expr(func)
    return gast.Call(func=func, args=list(args), keywords=list(keywords))


def attr(value, attr_):
    return gast.Attribute(value=value, attr=attr_, ctx=gast.Load())


def expr(src):
    """Parse a Python expression into a gast node."""
    return gast.parse(src).body[0].value


def stmt(src):
    return gast.parse(src).body[0]


def deep(node):
    return copy.deepcopy(node)


def as_load(node):
    """A copy of a Store-context target usable as an expression."""
    node = copy.deepcopy(node)
    for n in gast.walk(node):
        if hasattr(n, "ctx"):
            n.ctx = gast.Load()
    return node


def as_store(node):
    node = copy.deepcopy(node)
    if hasattr(node, "ctx"):
        node.ctx = gast.Store()
    if isinstance(node, (gast.Tuple, gast.List)):
        node.elts = [as_store(e) for e in node.elts]
    return node


def loaded_names(node):
    return {n.id for n in gast.walk(node) if isinstance(n, gast.Name) and isinstance(n.ctx, gast.Load)}


def stored_names(node):
    return {n.id for n in gast.walk(node) if isinstance(n, gast.Name) and isinstance(n.ctx, gast.Store)}


def dotted(node):
    """'np.linalg.norm' for an Attribute chain on a Name, else None."""
    parts = []
    while isinstance(node, gast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, gast.Name):
        parts.append(node.id)
        return ".".join(reversed(parts))
    return None
