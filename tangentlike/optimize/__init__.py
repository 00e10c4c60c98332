"""Stage 5: small passes over generated code, each switchable.

``optimized=True`` (the default) runs every pass, ``optimized=False`` none, and a set
of names runs those (always in the order of ``PASSES``)::

    tl.grad(f, optimized={"simplify", "dce"})

* ``simplify``: constant folding and neutral elements (``simplify.py``);
* ``scalars``: ``zeros_like``/``unbroadcast`` of provable scalars become ``0.0``/the
  value itself (``scalars.py``);
* ``accumulate``: ``d = zeros_like(v); d = d + e`` -> ``d = e`` where shapes agree
  (``accumulate.py``), and gradients the function owns are returned without a copy
  (``owned.py``);
* ``cse``: common subexpressions and copies of temporaries (``cse.py``);
* ``reciprocal``: in adjoints, ``e / r`` -> ``e * t`` after ``t = 1.0 / r``
  (``reciprocal.py``);
* ``dce``: dead stores, dead primal work, empty loops, and in a ``tl.grad`` entry the
  function's value when it is a provable scalar (``dead_code.py``, ``result.py``).
"""
from ..errors import TangentlikeError
from .accumulate import accumulate_into_zeros
from .cse import eliminate_common_subexpressions
from .dead_code import drop_orphan_comments, remove_dead_stores
from .owned import return_owned_gradients
from .reciprocal import use_reciprocals
from .result import drop_result
from .scalars import drop_scalar_shape_helpers, scalar_facts
from .simplify import simplify

PASSES = ("simplify", "scalars", "accumulate", "cse", "reciprocal", "dce")


def select_passes(optimized):
    """The passes ``optimized=`` asks for, as a frozenset of names from ``PASSES``."""
    if optimized is True:
        return frozenset(PASSES)
    if optimized is False or optimized is None:
        return frozenset()
    if isinstance(optimized, str):
        optimized = (optimized,)
    try:
        chosen = frozenset(optimized)
    except TypeError:
        chosen = None
    if chosen is None or not all(isinstance(p, str) for p in chosen):
        raise TangentlikeError(f"optimized must be True, False or a set of pass names "
                               f"{PASSES}, got {optimized!r}")
    unknown = sorted(chosen - set(PASSES))
    if unknown:
        raise TangentlikeError(f"unknown optimization pass(es) {unknown}; the passes are "
                               f"{', '.join(PASSES)}")
    return chosen


def optimize(fdef, protected, passes=PASSES, gradient_only=False):
    """Run the selected passes on one generated function, in place.

    ``protected``: the user's variable names. ``gradient_only``: ``fdef`` is the entry of
    a ``tl.grad`` (its caller needs the gradients, not the value, and seeds 1.0).
    Returns whether the function still returns the value next to the gradients.
    """
    passes = set(passes)
    returns_result = True
    if "simplify" in passes:
        simplify(fdef, protected)
    facts = None
    if passes & {"scalars", "accumulate", "dce"}:
        seed = [fdef.args.args[-1].id] if gradient_only and fdef.args.args else []
        facts = scalar_facts(fdef, protected, seed)
    if gradient_only and "dce" in passes:
        returns_result = not drop_result(fdef, facts)
    if "scalars" in passes:
        drop_scalar_shape_helpers(fdef, facts)
    if "accumulate" in passes:
        accumulate_into_zeros(fdef, facts, protected)
    if "cse" in passes:
        eliminate_common_subexpressions(fdef, protected)
    if "reciprocal" in passes:
        use_reciprocals(fdef, protected)
    if "simplify" in passes:
        simplify(fdef, protected)
    if "dce" in passes:
        remove_dead_stores(fdef, protected)
        fdef.body = drop_orphan_comments(fdef.body)
    if "accumulate" in passes:
        return_owned_gradients(fdef)
    return returns_result
