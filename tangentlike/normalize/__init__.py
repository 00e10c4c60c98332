"""Stage 2: rewrite a parsed function into the small language the transforms handle.

After normalization a function body contains only: assignments to one Name or one
Subscript (or a tuple of Names from a call), ``if``/``else``, ``for`` over ``range``,
``while``, ``break`` only as ``if _broke: break`` at the end of a loop body (or last
in it), expression statements,
and a single ``return`` at the end.
"""

import gast

from ..naming import Namer
from ..parse.source import ParsedFunction

from .checks import check_supported
from .constant_tests import fold_constant_tests
from .closures import lift_local_functions
from .comprehensions import lower_comprehensions
from .dicts import lower_local_dicts
from .list_checks import check_list_operations
from .records import lower_record_fields
from .stacking import lower_stacking
from .desugar import desugar
from .loops import lower_loops
from .jumps import structure_jumps
from .versions import version_names
from .copies import propagate_copies


def normalize(parsed: ParsedFunction, namer: Namer) -> gast.FunctionDef:
    node = parsed.node
    check_list_operations(parsed)  # on the code as written: lowerings add tuples
    lower_record_fields(parsed, namer)
    lift_local_functions(parsed, namer)
    lower_local_dicts(parsed, namer)
    lower_comprehensions(parsed, namer)
    lower_stacking(parsed)
    check_supported(parsed)
    node.body = drop_string_statements(node.body)
    node.body = desugar(node.body, parsed, namer)
    node.body = lower_loops(node.body, parsed, namer)
    node.body = fold_constant_tests(node.body, parsed)
    node.body = structure_jumps(node.body, parsed, namer)
    node.body = version_names(node.body, parsed, namer)
    node.body = propagate_copies(node.body, parsed)
    return node


def drop_string_statements(stmts):
    """Without docstrings and other bare constants: they do nothing, and user text that
    is not code has no place in the generated module."""
    out = []
    for s in stmts:
        if isinstance(s, gast.Expr) and isinstance(s.value, gast.Constant):
            continue
        for field in ("body", "orelse"):
            sub = getattr(s, field, None)
            if isinstance(sub, list) and sub:
                setattr(
                    s,
                    field,
                    drop_string_statements(sub) or ([gast.Pass()] if field == "body" else []),
                )
        out.append(s)
    return out or [gast.Pass()]
