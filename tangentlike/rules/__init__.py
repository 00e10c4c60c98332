"""Derivative rules, one small template per primitive, kept apart from the engine.

To add a primitive, write a template in the module for its family (or a new module
imported here); see docs/design.md.
"""

from . import (
    arithmetic,
    elementwise,
    reductions,
    linalg,
    decompositions,
    shapes,  # noqa: F401
    indexing,
    special,
    generated_code,
    second_order,
)
from .registry import Rule, instantiate, lookup, module_alias, seal

seal()

__all__ = ["Rule", "instantiate", "lookup", "module_alias"]
from .registry import tangent_rule, is_elementwise  # noqa: E402
