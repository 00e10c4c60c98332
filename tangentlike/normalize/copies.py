"""Read a plain copy of a name (``v = u``) as the name itself where both keep their binding.

``v = u`` makes two names for one array: after ``u[i] = ...`` a read of ``v`` sees the
write. The reverse sweep keeps one adjoint per name, so the write's adjoint would miss the
reads through ``v``. Where the copy and ``u``'s own assignment (if any) run once, at the
top level of the function, and neither name is bound again, every later read of ``v`` is
a read of ``u``: the copy is dropped and those reads use ``u``, so one name (one adjoint)
remains. Runs after ``versions.py``, which gives straight-line reassignments their own
names, so ``u = ...; v = u; u = ...`` qualifies too.
"""

import gast

from ..trees import walk


def _bindings(body):
    """How many times each name is bound (assignments, loop targets) anywhere; an
    augmented assignment ``y_1 = y * 2`` (``y *= 2``, perhaps given a new version) counts
    for ``y`` too: on an array it changes ``y``'s object, which a copy would share."""
    count = {}
    for s in body:
        for n in walk(s):
            if isinstance(n, gast.Name) and isinstance(n.ctx, (gast.Store, gast.Del)):
                count[n.id] = count.get(n.id, 0) + 1
            elif getattr(n, "tl_in_place", False) and isinstance(n.value, gast.BinOp):
                left = n.value.left
                if isinstance(left, gast.Name):
                    count[left.id] = count.get(left.id, 0) + 2
    return count


def propagate_copies(body, parsed):
    args = {a.id for a in parsed.node.args.args}
    count = _bindings(body)
    bound_at = {}  # name -> index of its top-level single assignment
    out = []
    rename = {}
    for s in body:
        for n in walk(s):
            if isinstance(n, gast.Name) and isinstance(n.ctx, gast.Load) and n.id in rename:
                n.id = rename[n.id]
        if isinstance(s, gast.Assign) and len(s.targets) == 1:
            t, v = s.targets[0], s.value
            if isinstance(t, gast.Name):
                if (
                    isinstance(v, gast.Name)
                    and v.id != t.id
                    and count.get(t.id) == 1
                    and t.id not in args
                    and (
                        (v.id in args and count.get(v.id, 0) == 0)
                        or (v.id not in args and count.get(v.id) == 1 and v.id in bound_at)
                    )
                ):
                    rename[t.id] = v.id
                    continue
                bound_at[t.id] = len(out)
        out.append(s)
    return out or [gast.Pass()]
