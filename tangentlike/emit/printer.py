"""gast -> ast -> text with astor, turning comment markers into real comments.

The transforms mark a comment as an expression statement holding the string
``COMMENT_PREFIX + text``; after printing, such lines become ``# text``. The prefix holds
a random token drawn once per process, so no string of the user's (a docstring, a string
statement) can pass for a marker; comment text loses its line breaks, so a comment never
ends early. Everything that runs is compiled from this printed text, so what users read is
exactly what executes.

Constants are printed from their real value: a subclass of ``float`` (``np.float64`` or
one with a hostile ``__repr__``) prints as the plain float it holds; a constant of any
other type is refused.
"""

import ast
import re

import astor
import gast
import numpy as np

from ..errors import TangentlikeError
from ..syntax import COMMENT_PREFIX

_COMMENT_LINE = re.compile(
    r"^(\s*)((?:'|\"|\"\"\")" + re.escape(COMMENT_PREFIX) + r".*(?:'|\"|\"\"\"))\s*$"
)
_PLAIN = (bool, int, float, complex, str, bytes, type(None), type(Ellipsis))
_BREAKS = re.compile(r"[\r\n\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")


def plain_constant(v):
    """The value of a constant as an object of its exact builtin type."""
    if type(v) in _PLAIN:
        return v
    if isinstance(v, np.generic) and type(v.item()) in _PLAIN:  # np.bool_, np.float32...
        return v.item()
    for base, exact in (
        (bool, bool),
        (int, int.__index__),
        (float, float.__float__),
        (complex, complex.__complex__),
        (str, str.__str__),
        (bytes, bytes.__bytes__),
    ):
        if isinstance(v, base):
            return exact(v)
    raise TangentlikeError(
        f"cannot write a constant of type {type(v).__name__} into generated code"
    )


def comment_text(text):
    """``text`` on one line, safe to follow a ``#``."""
    return _BREAKS.sub(" ", str.__str__(text))


def _plain_constants(tree):
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant):
            node.value = plain_constant(node.value)


def to_source(node: gast.AST) -> str:
    tree = gast.gast_to_ast(node)  # (astor prints no positions: none needed)
    _plain_constants(tree)
    text = astor.to_source(tree, pretty_source=lambda parts: "".join(parts))
    lines = []
    for line in text.splitlines():
        m = _COMMENT_LINE.match(line)
        if m:
            comment = ast.literal_eval(m.group(2))[len(COMMENT_PREFIX) :]
            lines.append(f"{m.group(1)}# {comment_text(comment)}")
        else:
            lines.append(line)
    return "\n".join(lines) + "\n"
