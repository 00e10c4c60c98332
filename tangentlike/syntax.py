"""Small constructors and queries for gast nodes, shared by every stage."""

import functools
import secrets

import gast

from .trees import clone, name_ids, walk

# a comment in generated code: an expression statement holding ``COMMENT_PREFIX + text``,
# printed as ``# text`` (emit/printer.py); the random token (one per process) keeps any
# string of the user's from passing for a marker
COMMENT_PREFIX = f"#TLC{secrets.token_hex(8)}# "


def comment(text):
    """A comment statement (the transforms' marker; emit prints it as ``# text``)."""
    return gast.Expr(value=gast.Constant(value=COMMENT_PREFIX + text, kind=None))


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


def name_copy(s):
    """``(target, source)`` for a plain ``x = y`` of two names, else None."""
    if (
        isinstance(s, gast.Assign)
        and len(s.targets) == 1
        and isinstance(s.targets[0], gast.Name)
        and isinstance(s.value, gast.Name)
    ):
        return s.targets[0].id, s.value.id
    return None


def attr(value, attr_):
    return gast.Attribute(value=value, attr=attr_, ctx=gast.Load())


def expr(src):
    """Parse a Python expression into a gast node."""
    return clone(_parsed(src).value)


def stmt(src):
    return clone(_parsed(src))


@functools.lru_cache(maxsize=1024)
def _parsed(src):
    """The statement ``src`` parses to (callers get copies: generated code reuses the
    same few snippets, and copying a tree is cheaper than parsing it again)."""
    return gast.parse(src).body[0]


def deep(node):
    """A deep copy of a node or a list of nodes (what ``copy.deepcopy`` gives, faster)."""
    return clone(node)


def as_load(node):
    """A copy of a Store-context target usable as an expression."""
    node = clone(node)
    for n in walk(node):
        if hasattr(n, "ctx"):
            n.ctx = gast.Load()
    return node


def as_store(node):
    node = clone(node)
    if hasattr(node, "ctx"):
        node.ctx = gast.Store()
    if isinstance(node, (gast.Tuple, gast.List)):
        node.elts = [as_store(e) for e in node.elts]
    return node


def loaded_names(node):
    return name_ids(node, gast.Load)


def stored_names(node):
    return name_ids(node, gast.Store)


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
