"""Facts about generated code that the optimization passes share.

* which calls are *pure* (no side effects; the value depends only on the operands),
* which names are mutated in place (``d_x[i] += ...``, ``_tape_T.pop()``),
* which names may hold the same array object (``a = b``, ``a = unbroadcast(b, x)``),
  so that a pass never makes two names share an array one of them later mutates.

The first three live in ``analyze.aliases`` (the reverse transform uses them too, and a
stage imports no later one); this module adds the whole-function counts.
"""

import gast

from ..analyze.aliases import (  # noqa: F401 - the passes import them from here
    Aliases,
    NodesByType,
    alias_sources,
    allocates,
    base_name,
    is_pure_call,
    mutated_in_place,
    pure,
)
from ..trees import name_ids


def loads(node):
    return name_ids(node, gast.Load)


def assignment_counts(fdef, nodes=None):
    """How many statements assign each name (loop targets included)."""
    counts = {}
    for n in (nodes or NodesByType(fdef))(gast.Name):
        if isinstance(n.ctx, gast.Store):
            counts[n.id] = counts.get(n.id, 0) + 1
    return counts


def params(fdef):
    return [a.id for a in fdef.args.args]


def foreign(fdef, nodes=None):
    """Names whose objects come from outside: arguments, and globals (read, never bound)."""
    names = list((nodes or NodesByType(fdef))(gast.Name))
    stored = {n.id for n in names if isinstance(n.ctx, gast.Store)}
    read = {n.id for n in names if isinstance(n.ctx, gast.Load)}
    return set(params(fdef)) | (read - stored)
