"""One declaration per runtime helper: every table about helpers is derived from here.

A helper is declared where it is implemented, with ``@helper(...)``::

    @helper(pure=True, shape_only_args=(1,), shape_of=1, scalar_of=1, cuda="value")
    def unbroadcast(g, x): ...

The fields are promises the passes rely on (a missing one only disables an optimization;
a wrong one breaks derivatives, so each is checked by tests/test_helper_declarations.py):

* ``pure``: the value depends only on the operands; no side effect (``optimize.facts``).
* ``fresh``: every call returns a new array, never one of its operands (aliasing).
* ``may_alias``: the operands the result may share memory with (default: all).
* ``shape_only_args``: operands read only for their shape, so a later value of the same
  variable serves and they need no tape (``transform.reads``).
* ``shape_of``: the result has exactly the shape of this operand (``optimize.accumulate``).
* ``scalar_of``: the result is a scalar when this operand is (``optimize.scalars``).
* ``cuda``: what a GPU thread computes instead: ``"zero"`` (``0.0`` on a scalar),
  ``"float"`` (``float(x)``), ``"value"`` (its first operand, refused when the
  ``cuda_like`` operand is an array), ``"cast"`` (its first operand, arrays included);
  None: refused on arrays (``backends.cuda.lower``).
* ``forward``: ``"first"`` when a tangent derived from an adjoint template drops the call
  to its first operand (``rules.registry``).
* ``sets``: ``sparse/index_sets.py`` has a set-aware twin (checked there at import).
* ``bound``: the generated module's header binds the name (``runtime.HELPERS``).
"""

from dataclasses import dataclass
from typing import Callable, Optional

CUDA_KINDS = (None, "zero", "float", "value", "cast")


@dataclass(frozen=True)
class Helper:
    name: str
    impl: Callable
    pure: bool = False
    fresh: bool = False
    may_alias: Optional[tuple] = None
    shape_only_args: tuple = ()
    shape_of: Optional[int] = None
    scalar_of: Optional[int] = None
    cuda: Optional[str] = None
    cuda_like: int = 0
    forward: Optional[str] = None
    sets: bool = False
    bound: bool = True


DECLARED: dict = {}  # name -> Helper, in declaration order


def helper(**properties):
    """Declare the decorated function a runtime helper with these properties."""

    def declare(fn):
        h = Helper(fn.__name__, fn, **properties)
        if h.cuda not in CUDA_KINDS:
            raise ValueError(f"{h.name}: cuda={h.cuda!r} is not one of {CUDA_KINDS}")
        if h.name in DECLARED:
            raise ValueError(f"runtime helper {h.name} declared twice")
        DECLARED[h.name] = h
        return fn

    return declare


def names(**where):
    """The names of the helpers whose fields equal ``where`` (``names(pure=True)``);
    a field given as ``...`` selects the helpers where it is set (not None/False/())."""
    out = []
    for h in DECLARED.values():
        if all(bool(getattr(h, k)) if v is ... else getattr(h, k) == v for k, v in where.items()):
            out.append(h.name)
    return out


def field(name):
    """``{helper: value}`` for the helpers where the field is set."""
    return {h.name: getattr(h, name) for h in DECLARED.values() if getattr(h, name)}


def field_or_zero(name):
    """``{helper: index}`` for an operand-index field (index 0 counts as set)."""
    return {h.name: getattr(h, name) for h in DECLARED.values() if getattr(h, name) is not None}
