"""Tuple assignments that permute plain names: ``a, b = b, a`` (``u, u_new = u_new, u``).

The desugarer turns such an assignment into copies through fresh temporaries::

    _tmp = b; _tmp_1 = a; a = _tmp; b = _tmp_1

Statement by statement, the reverse sweep of these copies accumulates each adjoint into
a temporary's and zeroes it (``d__tmp = d__tmp + d_a; d_a = zeros_like(a)``): for arrays,
two fresh zero arrays and two sums per name and step. The permutation's adjoint is the
inverse permutation of the adjoints: each name held before the statement the value that
a target holds after it, and every name of the permutation is overwritten by it (no
later use of its old value adds to its adjoint), so

    _s1 = d_a; _s2 = d_b; d_b = _s1; d_a = _s2

moves the adjoint arrays between the names and allocates nothing. Each adjoint is still
a distinct object (a permutation of distinct objects); the copies are plain ``x = y``
assignments, so the alias classes of the generated code (``analyze/aliases.py``) put the
permuted adjoints in one class and no later pass makes one of them share an array with
a name it must not. The primal names are restored from the tape as before.

``permutation_groups`` finds the desugared groups; ``assign_sweeps`` emits nothing for
the temporaries and the moves with the last copy's restore.
"""

import gast

from .. import syntax as S
from ..trees import walk


class Group:
    """One desugared permutation: ``temps[k] = sources[k]`` then ``targets[k] = temps[k]``."""

    def __init__(self, temps, sources, targets, first_stmts, second_stmts):
        self.temps = temps
        self.sources = sources
        self.targets = targets
        self.first_ids = {id(s) for s in first_stmts}
        self.second_ids = [id(s) for s in second_stmts]
        self.last_id = id(second_stmts[-1])


def _blocks(stmts):
    yield stmts
    for s in stmts:
        for field in ("body", "orelse"):
            sub = getattr(s, field, None)
            if isinstance(sub, list) and sub and isinstance(sub[0], gast.stmt):
                yield from _blocks(sub)


def _name_counts(body):
    stores, loads = {}, {}
    for s in body:
        for n in walk(s):
            if isinstance(n, gast.Name):
                d = stores if isinstance(n.ctx, gast.Store) else loads
                d[n.id] = d.get(n.id, 0) + 1
    return stores, loads


def permutation_groups(body, facts, excluded):
    """The desugared permutations in ``body`` whose names are all active and not in
    ``excluded`` (rematerialized names), the permuted names overwritten; returns a dict
    from the id of each statement of a group to its ``Group``."""
    stores, loads = _name_counts(body)
    out = {}
    for stmts in _blocks(body):
        i = 0
        while i < len(stmts):
            g = _group_at(stmts, i, stores, loads, facts, excluded)
            if g is None:
                i += 1
                continue
            first, second = g
            temps = [S.name_copy(s)[0] for s in first]
            group = Group(
                temps,
                [S.name_copy(s)[1] for s in first],
                [S.name_copy(s)[0] for s in second],
                first,
                second,
            )
            for s in first + second:
                out[id(s)] = group
            i += len(first) + len(second)
    return out


def _group_at(stmts, i, stores, loads, facts, excluded):
    first = []
    j = i
    while j < len(stmts):
        c = S.name_copy(stmts[j])
        if c is None or stores.get(c[0], 0) != 1 or loads.get(c[0], 0) != 1:
            break
        first.append(stmts[j])
        j += 1
    k = len(first)
    if k < 2 or j + k > len(stmts):
        return None
    temps = [S.name_copy(s)[0] for s in first]
    sources = [S.name_copy(s)[1] for s in first]
    second = stmts[j : j + k]
    pairs = [S.name_copy(s) for s in second]
    if any(p is None for p in pairs):
        return None
    targets = [p[0] for p in pairs]
    if [p[1] for p in pairs] != temps:
        return None
    if len(set(targets)) != k or set(targets) != set(sources) or set(temps) & set(targets):
        return None
    names = set(targets) | set(temps)
    if names & excluded or not names <= facts.active:
        return None
    if not all(facts.overwritten(v) for v in targets):
        return None
    return first, second
