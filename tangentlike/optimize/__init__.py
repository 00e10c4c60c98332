"""Stage 5: small passes over generated code, each switchable.

``optimized=True`` (the default) runs every pass, ``optimized=False`` none, and a set
of names runs those (always in the order of the declared ``PIPELINE``)::

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

import os
from typing import Callable, Iterable, Optional

import gast

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
        raise TangentlikeError(
            f"optimized must be True, False or a set of pass names {PASSES}, got {optimized!r}"
        )
    unknown = sorted(chosen - set(PASSES))
    if unknown:
        raise TangentlikeError(
            f"unknown optimization pass(es) {unknown}; the passes are {', '.join(PASSES)}"
        )
    return chosen


class _Run:
    """What one optimization run shares between its steps."""

    def __init__(self, fdef, protected, gradient_only):
        self.fdef = fdef
        self.protected = protected
        self.gradient_only = gradient_only
        self.facts = None
        self.returns_result = True


def _simplify(run):
    simplify(run.fdef, run.protected)


def _scalar_facts(run):
    fdef = run.fdef
    seed = [fdef.args.args[-1].id] if run.gradient_only and fdef.args.args else []
    run.facts = scalar_facts(fdef, run.protected, seed)


def _drop_result(run):
    if run.gradient_only:
        run.returns_result = not drop_result(run.fdef, run.facts)


def _dead_stores(run):
    remove_dead_stores(run.fdef, run.protected)
    run.fdef.body = drop_orphan_comments(run.fdef.body)


# The declared pipeline: (step name, the passes that switch it on, what it does), run
# in this order. A step runs when any of its passes is selected; "facts" is an analysis
# that several passes read. ``TANGENTLIKE_PRINT_AFTER=cse`` (or ``all``) prints the
# generated function after the named steps (``print_after=`` in ``optimize``).
PIPELINE = (
    ("simplify", {"simplify"}, _simplify),
    ("facts", {"scalars", "accumulate", "dce"}, _scalar_facts),
    ("result", {"dce"}, _drop_result),
    ("scalars", {"scalars"}, lambda run: drop_scalar_shape_helpers(run.fdef, run.facts)),
    (
        "accumulate",
        {"accumulate"},
        lambda run: accumulate_into_zeros(run.fdef, run.facts, run.protected),
    ),
    ("cse", {"cse"}, lambda run: eliminate_common_subexpressions(run.fdef, run.protected)),
    ("reciprocal", {"reciprocal"}, lambda run: use_reciprocals(run.fdef, run.protected)),
    ("simplify-again", {"simplify"}, _simplify),
    ("dce", {"dce"}, _dead_stores),
    ("owned", {"accumulate"}, lambda run: return_owned_gradients(run.fdef)),
)
STEPS = tuple(name for name, _, _ in PIPELINE)


def print_after_steps(spec=None):
    """The step names after which to print, from ``spec`` or ``TANGENTLIKE_PRINT_AFTER``
    (comma-separated step names, or ``all``)."""
    if spec is None:
        spec = os.environ.get("TANGENTLIKE_PRINT_AFTER", "")
    names = {s.strip() for s in spec.split(",") if s.strip()}
    if "all" in names:
        return set(STEPS)
    unknown = sorted(names - set(STEPS))
    if unknown:
        raise TangentlikeError(
            f"TANGENTLIKE_PRINT_AFTER names unknown step(s) {unknown}; "
            f"the steps are {', '.join(STEPS)}"
        )
    return names


def optimize(
    fdef: gast.FunctionDef,
    protected: Iterable[str],
    passes: Iterable[str] = PASSES,
    gradient_only: bool = False,
    after_step: Optional[Callable[[str, gast.FunctionDef], None]] = None,
) -> bool:
    """Run the selected passes on one generated function, in place, in the order of
    ``PIPELINE``.

    ``protected``: the user's variable names. ``gradient_only``: ``fdef`` is the entry of
    a ``tl.grad`` (its caller needs the gradients, not the value, and seeds 1.0).
    ``after_step(name, fdef)``: called after each step that ran (the pipeline uses it to
    print the code after chosen steps; this stage does not print).
    Returns whether the function still returns the value next to the gradients.
    """
    passes = set(passes)
    run = _Run(fdef, protected, gradient_only)
    for name, switches, step in PIPELINE:
        if passes & switches:
            step(run)
            if after_step is not None:
                after_step(name, run.fdef)
    return run.returns_result
