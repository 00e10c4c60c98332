"""The names a generated module's header binds (``np``, ``math``, the runtime helpers,
the checkpointing schedule), kept apart from the user's names, and the header itself.

A user's local variable named like a helper (``zeros_like = ...``), or a global that
means something else under one of these names (``import math as np``), is renamed in the
parsed function before anything is generated (``zeros_like`` -> ``zeros_like_``), so the
generated code's calls always reach the helper, and the user's code its own values. The
header imports only what the generated functions use.
"""

import math
import textwrap

import gast
import numpy as np

from .runtime import HELPERS
from .trees import walk

_MEANING = dict(HELPERS, np=np, math=math)


def rename_reserved(parsed, reserved):
    """Rename, in ``parsed.node``, every name of ``reserved`` that the function binds
    itself or that means, in its globals, something other than the header's object."""
    names = [n for n in walk(parsed.node) if isinstance(n, gast.Name)]
    ids = {n.id for n in names}
    local = {n.id for n in names if not isinstance(n.ctx, gast.Load)}
    renames = {}
    for name in sorted(ids & set(reserved)):
        if name not in local and (
            name not in parsed.namespace or parsed.namespace[name] is _MEANING.get(name)
        ):
            continue
        new = name + "_"
        while new in ids or new in reserved or new in renames.values():
            new += "_"
        renames[name] = new
        if name not in local:
            parsed.namespace[new] = parsed.namespace[name]
    for n in names:
        if n.id in renames:
            n.id = renames[n.id]


def header_imports(defs, stamp, width=99):
    """The import lines for what ``defs`` use, in a stable order; the runtime helpers'
    line carries ``stamp`` (Numba's disk cache keys on the module text)."""
    used = {
        n.id
        for d in defs
        for n in walk(d)
        if isinstance(n, gast.Name) and isinstance(n.ctx, gast.Load)
    }
    lines = [
        line
        for name, line in (("math", "import math"), ("np", "import numpy as np"))
        if name in used
    ]
    helpers = sorted(used & set(HELPERS))
    if helpers:
        one = f"from tangentlike.runtime import {', '.join(helpers)}  # runtime {stamp}"
        if len(one) <= width:
            lines.append(one)
        else:
            lines.append(f"from tangentlike.runtime import (  # runtime {stamp}")
            lines.append(
                textwrap.fill(
                    ", ".join(helpers) + ")",
                    width=width,
                    initial_indent="    ",
                    subsequent_indent="    ",
                )
            )
    return "".join(line + "\n" for line in lines)
