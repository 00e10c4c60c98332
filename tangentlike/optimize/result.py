"""The gradient-only entry: ``tl.grad`` does not need the function's value.

``tl.grad(f)`` only returns the gradient, yet the generated ``vjp_f`` returns
``(value, gradients)`` so that a non-scalar output can be refused after the call. When
the output is a provable scalar (see ``scalars``) nothing needs checking: the entry
returns the gradients alone, and the primal work that only fed the value (often the
whole forward sweep of a reduction) becomes dead code.
"""

import gast


def drop_result(fdef, facts):
    """``return value, (grads...)`` -> ``return (grads...)`` for a scalar ``value``.

    Returns whether the value was dropped."""
    ret = fdef.body[-1] if fdef.body else None
    if not (
        isinstance(ret, gast.Return)
        and isinstance(ret.value, gast.Tuple)
        and len(ret.value.elts) == 2
        and isinstance(ret.value.elts[1], gast.Tuple)
    ):
        return False
    value = ret.value.elts[0]
    if not facts.is_scalar(value):
        return False
    ret.value = ret.value.elts[1]
    return True
