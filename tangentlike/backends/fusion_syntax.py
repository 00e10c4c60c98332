"""What the whole-array fusion pass (``fuse.py``) reads in a statement: the names it
reads and writes, comments, NumPy and helper calls, constant offsets, and the shapes of
calls it treats specially (small powers, whole reductions, aliasing values)."""

import ast

from ..emit import COMMENT_PREFIX


class _No(Exception):
    """Not provably elementwise."""


def _names_read(node):
    return {n.id for n in ast.walk(node) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}


def _names_written(node):
    return {
        n.id for n in ast.walk(node) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)
    }


def _is_comment(stmt):
    return (
        isinstance(stmt, ast.Expr)
        and isinstance(stmt.value, ast.Constant)
        and isinstance(stmt.value.value, str)
        and stmt.value.value.startswith(COMMENT_PREFIX)
    )


def _np_call(node, names):
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and isinstance(node.func.value, ast.Name)
        and node.func.value.id == "np"
        and node.func.attr in names
        and not node.keywords
    )


def _call_named(node, name):
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == name
        and not node.keywords
    )


def _const_int(node):
    if node is None:
        return 0
    if isinstance(node, ast.Constant) and type(node.value) is int:
        return node.value
    if (
        isinstance(node, ast.UnaryOp)
        and isinstance(node.op, ast.USub)
        and isinstance(node.operand, ast.Constant)
        and type(node.operand.value) is int
    ):
        return -node.operand.value
    raise _No


def _elem(text):
    return ast.parse(text, mode="eval").body


def _small_power(node):
    return isinstance(node, ast.Constant) and node.value in (2, 3, 2.0, 3.0)


def _whole_reduction(node):
    rest = node.args[2:]
    return 2 <= len(node.args) <= 4 and all(
        isinstance(a, ast.Constant) and a.value in (None, False) for a in rest
    )


def _aliasing(v):
    return isinstance(v, (ast.Name, ast.Subscript)) or (
        isinstance(v, ast.Call) and v.args and isinstance(v.args[0], (ast.Name, ast.Subscript))
    )
