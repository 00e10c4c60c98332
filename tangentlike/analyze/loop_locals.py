"""Loop-local variables: assigned first, unconditionally, in every iteration of one loop.

A variable ``v`` is local to the loop ``L`` when every mention of ``v`` in the function
is inside ``L``'s body (not in its target, bounds or test) and the first statement of the
body that mentions ``v`` (a statement of the body itself, not one nested in a branch or
an inner loop) assigns it as a plain name, alone or in a tuple, without reading it.
Each iteration then starts from a value of its own that no other iteration and nothing
after the loop reads: in the reverse sweep, the adjoint of ``v`` in one iteration starts
at zero, takes contributions from that iteration only, and is dead once the reverse
sweep has passed that first assignment (``transform/loop_adjoints.py``).

``rk4``'s stages ``k1 = rhs(y)``, ..., the per-iteration temporaries of a helper's loop
(``acc = -math.sin(y[i]) - ...``) are loop-local; a value carried from one iteration to
the next (``v = v + dt * f``) or read after the loop is not.
"""

import gast

from ..trees import walk


def _mentions(nodes):
    counts = {}
    for node in nodes:
        for n in walk(node):
            if isinstance(n, gast.Name):
                counts[n.id] = counts.get(n.id, 0) + 1
    return counts


def _plain_targets(s):
    if not (isinstance(s, gast.Assign) and len(s.targets) == 1):
        return []
    t = s.targets[0]
    if isinstance(t, gast.Name):
        return [t.id]
    if isinstance(t, gast.Tuple) and all(isinstance(e, gast.Name) for e in t.elts):
        names = [e.id for e in t.elts]
        return names if len(set(names)) == len(names) else []
    return []


def loop_locals(body):
    """``{id(loop): {name: the statement that assigns it first}}`` for the ``for`` and
    ``while`` loops of ``body`` (at any depth) that have loop-local variables."""
    everywhere = _mentions(body)
    found = {}
    for node in walk(gast.Module(body=body, type_ignores=[])):
        if not isinstance(node, (gast.For, gast.While)):
            continue
        inside = _mentions(node.body)
        header = set(
            _mentions([node.target, node.iter] if isinstance(node, gast.For) else [node.test])
        )
        seen, kills = set(), {}
        for st in node.body:
            reads = set(_mentions([st.value])) if isinstance(st, gast.Assign) else set()
            for v in _plain_targets(st):
                if (
                    v not in seen
                    and v not in reads
                    and v not in header
                    and everywhere.get(v) == inside.get(v)
                ):
                    kills[v] = st
            seen |= set(_mentions([st]))
        if kills:
            found[id(node)] = kills
    return found
