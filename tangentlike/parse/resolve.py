"""What a name called in the user's source refers to, at generation time.

``np.sin(x)`` is a library primitive (it has a rule), ``helper(x)`` a user function
(parsed and differentiated), ``f(y)`` with ``f`` an argument the function bound to it
(parse/specialized.py). Every stage that asks "what does this call reach" asks here.
"""

import builtins
import inspect

import gast

from .. import syntax as S
from ..custom import custom_jvp, custom_vjp

CONSTRUCT = "call of a function argument"


def is_library_module(mod):
    """Code we take as given (its functions are primitives with rules, never parsed):
    NumPy, Numba, SciPy, math, builtins and tangentlike itself (its examples excepted)."""
    return (
        mod.startswith("numpy")
        or mod.startswith("numba")
        or mod.startswith("scipy")
        or mod in ("math", "builtins")
        or mod.startswith("tangentlike.")
        and not mod.startswith("tangentlike.examples")
    )


def is_user_function(obj):
    """A Python function of the user's (or a custom-rule function): differentiated from
    its source, not looked up in the rules."""
    if isinstance(obj, (custom_vjp, custom_jvp)):
        return True
    obj = getattr(obj, "py_func", obj)
    if not inspect.isfunction(obj):
        return False
    return not is_library_module(getattr(obj, "__module__", "") or "")


def resolve_call(parsed, func, local_names):
    """The Python object a call's ``func`` refers to in ``parsed``'s namespace, or
    ('method', name) for ``x.meth`` on a local ``x``; a ``TangentlikeError`` with the line
    for a name that is undefined, local or an unbound argument."""
    root = func
    while isinstance(root, gast.Attribute):
        root = root.value
    if isinstance(func, gast.Attribute) and not (
        isinstance(root, gast.Name) and root.id not in local_names
    ):
        return ("method", func.attr)
    dotted = S.dotted(func)
    if dotted is None:
        raise parsed.error("unsupported call target", func)
    head, *rest = dotted.split(".")
    if head in parsed.bindings:  # a function passed as an argument
        obj = parsed.bindings[head]
    elif head in local_names:
        if head in parsed.params:
            raise parsed.error(
                f"'{head}' is called but is an argument: pass a Python function for it "
                "(the derivative is generated for the function passed)",
                func,
                construct=CONSTRUCT,
            )
        raise parsed.error(f"cannot call the local variable '{head}'", func)
    elif head in parsed.namespace:
        obj = parsed.namespace[head]
    elif hasattr(builtins, head):
        obj = getattr(builtins, head)
    else:
        raise parsed.error(f"name '{head}' is not defined", func)
    for part in rest:
        try:
            obj = getattr(obj, part)
        except AttributeError:
            raise parsed.error(f"'{dotted}' does not exist", func) from None
    return obj
