"""What one iteration of a loop carries to the next (for checkpointing, see
``transform/checkpoint.py``): names a block assigns, and names it may read before it
assigns them (upward-exposed uses).
"""

import gast

from .. import syntax as S
from ..trees import walk
from .dataflow import targets_of


def statements(stmts):
    for s in stmts:
        yield s
        for field in ("body", "orelse"):
            yield from statements(getattr(s, field, []) or [])


def assigned_names(stmts):
    """Names assigned (or written into) anywhere in ``stmts``, in order of appearance."""
    out = []
    for s in statements(stmts):
        if isinstance(s, gast.Assign):
            out += [v for v in targets_of(s) if v not in out]
    return out


def ordered_loads(stmts):
    out = []
    for s in stmts:
        for n in walk(s):
            if isinstance(n, gast.Name) and isinstance(n.ctx, gast.Load) and n.id not in out:
                out.append(n.id)
    return out


def exposed_reads(stmts, defined):
    """Names ``stmts`` may read before assigning them (upward-exposed uses): what one
    step reads of the previous one. Writing into an array reads it."""
    out = set()

    def walk(stmts, defined):
        for s in stmts:
            if isinstance(s, gast.Assign):
                out.update(S.loaded_names(s) - defined)
                if not isinstance(s.targets[0], gast.Subscript):
                    defined = defined | set(targets_of(s))
            elif isinstance(s, gast.If):
                out.update(S.loaded_names(s.test) - defined)
                defined = walk(s.body, set(defined)) & walk(s.orelse, set(defined))
            elif isinstance(s, gast.For):
                out.update(S.loaded_names(s.iter) - defined)
                walk(s.body, defined | {s.target.id})
            elif isinstance(s, gast.While):
                out.update(S.loaded_names(s.test) - defined)
                walk(s.body, set(defined))
            else:
                out.update(S.loaded_names(s) - defined)
        return defined

    walk(stmts, set(defined))
    return out
