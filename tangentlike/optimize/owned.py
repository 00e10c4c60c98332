"""Returned gradients without a final copy.

The entry returns each gradient as ``cast_like(d_x, x)``, which copies it (to the
input's dtype, and so that the caller never gets an array the function shares). When
the alias classes (``facts.Aliases``) show that ``d_x`` holds an array the function made
itself and shares with no argument, global or other returned value, the copy is
dropped: ``cast_owned(d_x, x)`` returns the array as it is when its dtype is already
right. On large arrays the copy (a second fresh allocation per call) is often the most
expensive statement of a gradient.
"""

import gast

from ..trees import walk
from .facts import Aliases, NodesByType, foreign, loads


def _casts(ret):
    return [
        n
        for n in walk(ret)
        if isinstance(n, gast.Call)
        and isinstance(n.func, gast.Name)
        and n.func.id == "cast_like"
        and len(n.args) == 2
        and isinstance(n.args[0], gast.Name)
    ]


def return_owned_gradients(fdef):
    """``cast_like(d, x)`` -> ``cast_owned(d, x)`` in the final return where ``d`` is owned."""
    ret = fdef.body[-1] if fdef.body else None
    if not isinstance(ret, gast.Return) or ret.value is None:
        return False
    casts = _casts(ret)
    if not casts:
        return False
    nodes = NodesByType(fdef)
    aliases = Aliases(fdef, nodes=nodes)
    outside = foreign(fdef, nodes)
    returned = [c.args[0].id for c in casts]
    changed = False
    for c in casts:
        d = c.args[0].id
        others = (loads(ret) - {d}) | outside | {r for r in returned if r != d}
        if returned.count(d) == 1 and not aliases.touches({d}, others):
            c.func = gast.Name(id="cast_owned", ctx=gast.Load(), annotation=None, type_comment=None)
            changed = True
    return changed
