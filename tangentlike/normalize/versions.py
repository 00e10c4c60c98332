"""Give each straight-line reassignment of a variable its own name (SSA-style).

``x = np.sum(x)`` on a vector ``x`` followed by ``x = x * x`` gives one name three
values of two shapes; an adjoint ``d_x`` shaped like one of them is wrong for the
others. A top-level assignment (not inside a loop or a branch) to a name that already
holds a value starts a new version: ``x_1 = np.sum(x)``, ``x_2 = x_1 * x_1``, and every
later read, write and reassignment inside loops and branches uses the newest version.
Each version then has its own adjoint and its own shape, and none of them is
overwritten, so none goes on the tape.

Inside loops and branches a name keeps one version (its value is carried around the
loop or merged after the branch); a loop-carried variable must keep its shape, as Numba
requires of its type.
"""

import gast

from ..trees import walk


def version_names(body, parsed, namer):
    args = [a.id for a in parsed.node.args.args]
    current = {a: a for a in args}  # user name -> its newest version
    out = []
    for stmt in body:
        _rename(stmt, current)
        if isinstance(stmt, gast.Assign) and len(stmt.targets) == 1:
            target = stmt.targets[0]
            names = (
                [target]
                if isinstance(target, gast.Name)
                else (
                    list(target.elts)
                    if isinstance(target, gast.Tuple)
                    and all(isinstance(e, gast.Name) for e in target.elts)
                    else []
                )
            )
            for n in names:
                # n.id is already the current version (renamed above): map back to the user name
                user = _user_name(current, n.id)
                if user in current:
                    new = namer.fresh(user)
                    current[user] = new
                    n.id = new
                else:
                    current[user] = user
        else:
            for n in walk(stmt):
                if (
                    isinstance(n, gast.Name)
                    and isinstance(n.ctx, gast.Store)
                    and _user_name(current, n.id) not in current
                ):
                    current[n.id] = n.id
        out.append(stmt)
    return out


def _user_name(current, name):
    for user, version in current.items():
        if version == name:
            return user
    return name


def _rename(stmt, current):
    renames = {u: v for u, v in current.items() if u != v}
    if not renames:
        return
    for n in walk(stmt):
        if isinstance(n, gast.Name) and n.id in renames:
            n.id = renames[n.id]
