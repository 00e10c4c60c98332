"""Stage 2: rewrite a parsed function into the small language the transforms handle.

After normalization a function body contains only: assignments to one Name or one
Subscript (or a tuple of Names from a call), ``if``/``else``, ``for`` over ``range``,
``while``, ``break``/``continue`` placed last in their block, expression statements,
and a single ``return`` at the end.
"""
from .checks import check_supported
from .closures import lift_local_functions
from .comprehensions import lower_comprehensions
from .dicts import lower_local_dicts
from .list_checks import check_list_operations
from .records import lower_record_fields
from .desugar import desugar
from .loops import lower_loops
from .jumps import structure_jumps


def normalize(parsed, namer):
    node = parsed.node
    check_list_operations(parsed)        # on the code as written: lowerings add tuples
    lower_record_fields(parsed)
    lift_local_functions(parsed, namer)
    lower_local_dicts(parsed, namer)
    lower_comprehensions(parsed, namer)
    check_supported(parsed)
    node.body = desugar(node.body, parsed, namer)
    node.body = lower_loops(node.body, parsed, namer)
    node.body = structure_jumps(node.body, parsed, namer)
    return node
