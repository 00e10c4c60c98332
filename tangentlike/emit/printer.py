"""gast -> ast -> text with astor, turning comment markers into real comments.

The transforms mark a comment as an expression statement holding the string
``"#TLC# text"``; after printing, such lines become ``# text``. Everything that runs is
compiled from this printed text, so what users read is exactly what executes.
"""
import ast
import re

import astor
import gast

COMMENT_PREFIX = "#TLC# "
_COMMENT_LINE = re.compile(r"^(\s*)((?:'|\"|\"\"\")#TLC# .*(?:'|\"|\"\"\"))\s*$")


def to_source(node):
    tree = gast.gast_to_ast(node)             # (astor prints no positions: none needed)
    text = astor.to_source(tree, pretty_source=lambda parts: "".join(parts))
    lines = []
    for line in text.splitlines():
        m = _COMMENT_LINE.match(line)
        if m:
            comment = ast.literal_eval(m.group(2))[len(COMMENT_PREFIX):]
            lines.append(f"{m.group(1)}# {comment}")
        else:
            lines.append(line)
    return "\n".join(lines) + "\n"
