"""Generated wrappers that put a user's custom_vjp / custom_jvp rule in place of the
transformed body of a function."""

import inspect

import gast

from ..custom import custom_jvp, custom_vjp
from ..errors import TangentlikeError
from ..naming import identifier


def rule_globals(custom):
    """{'fwd'/'bwd'/'jvp': (global name, rule function)} for the rules ``custom`` has;
    the names are the rules' own, made identifiers."""
    out = {}
    for kind, attr in (("fwd", "fwd"), ("bwd", "bwd"), ("jvp", "jvp_rule")):
        fn = getattr(custom, attr, None)
        if fn is not None:
            out[kind] = (identifier(getattr(fn, "__name__", kind), kind), fn)
    return out


def custom_wrapper(custom, wrt, mode, fname, rule_names, return_result):
    """Source of the vjp (or jvp) function of ``custom`` for argument positions ``wrt``.

    ``rule_names`` maps 'fwd'/'bwd'/'jvp' to the global names the rules get.
    """
    name = identifier(custom.fn.__name__)
    params = [identifier(p) for p in inspect.signature(custom.fn).parameters]
    if mode == "vjp":
        if not isinstance(custom, custom_vjp) or custom.fwd is None:
            raise TangentlikeError(
                "reverse mode needs a custom_vjp rule (defvjp); this "
                "function only has a custom_jvp rule",
                function=name,
            )
        args = ", ".join(params + ["d_result"])
        grads = ", ".join(f"_cotangents[{k}]" for k in wrt) + ("," if len(wrt) == 1 else "")
        if return_result:
            grads = ", ".join(f"cast_like(_cotangents[{k}], {params[k]})" for k in wrt) + (
                "," if len(wrt) == 1 else ""
            )
            ret = f"return _out, ({grads})"
        else:
            ret = f"return ({grads})"
        src = (
            f"def {fname}({args}):\n"
            f"    # custom_vjp rule of {name}: {rule_names['fwd']} then {rule_names['bwd']}\n"
            f"    _out, _residuals = {rule_names['fwd']}({', '.join(params)})\n"
            f"    _cotangents = {rule_names['bwd']}(_residuals, d_result)\n"
            f"    {ret}\n"
        )
    else:
        if not isinstance(custom, custom_jvp) or custom.jvp_rule is None:
            raise TangentlikeError(
                "forward mode needs a custom_jvp rule (defjvp); this "
                "function only has a custom_vjp rule",
                function=name,
            )
        tans = []
        for k, p in enumerate(params):
            tans.append(f"{p}_dot" if k in wrt else f"zeros_like({p})")
        args = ", ".join(params + [f"{params[k]}_dot" for k in wrt])
        src = (
            f"def {fname}({args}):\n"
            f"    # custom_jvp rule of {name}\n"
            f"    return {rule_names['jvp']}(({', '.join(params)},), ({', '.join(tans)},))\n"
        )
    return gast.parse(src).body[0]
