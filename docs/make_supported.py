"""Write docs/supported.md: the primitives tangentlike differentiates, read from the rule
registry (tangentlike/rules/), so the list cannot go stale.

    python docs/make_supported.py          # rewrite docs/supported.md
    python docs/make_supported.py --check  # exit 1 when the committed file is stale
"""

import builtins
import math
import os
import sys

import numpy as np
import scipy.special as sc

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from tangentlike.rules import registry  # noqa: E402

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "supported.md")
# where a callable is looked up, in the order its name is given
_NAMESPACES = [
    ("np.linalg", np.linalg),
    ("np", np),
    ("math", math),
    ("scipy.special", sc),
    ("", builtins),
]
_OPS = {
    "Add": "+",
    "Sub": "-",
    "Mult": "*",
    "Div": "/",
    "Pow": "**",
    "Mod": "%",
    "MatMult": "@",
    "USub": "unary -",
    "UAdd": "unary +",
    "FloorDiv": "//",
    "Not": "not",
    "Invert": "~",
    "BitAnd": "&",
    "BitOr": "|",
    "BitXor": "^",
    "LShift": "<<",
    "RShift": ">>",
}


def spell(key):
    """``(section, text)`` for a registry key."""
    if isinstance(key, str):
        kind, _, name = key.partition(":")
        if kind == "op":
            return "Operators", f"`{_OPS.get(name, name)}`"
        if kind == "method":
            return "Array methods and attributes", f"`x.{name}()`"
        return "Array methods and attributes", f"`x.{name}`"
    for prefix, ns in _NAMESPACES:
        name = getattr(key, "__name__", None)
        if name and getattr(ns, name, None) is key:
            section = {
                "np.linalg": "NumPy",
                "np": "NumPy",
                "math": "math",
                "scipy.special": "scipy.special",
                "": "Builtins",
            }[prefix]
            return section, f"`{prefix + '.' if prefix else ''}{name}`"
    return None


def collect():
    diff, nondiff = {}, {}
    for rule in registry._RULES.values():
        if rule.extra.get("forward_only"):
            continue
        for key in rule.extra["keys"]:
            s = spell(key)
            if s is not None:
                diff.setdefault(s[0], set()).add(s[1])
    for rule_key, name in registry._NONDIFF.items():
        if isinstance(rule_key, str):
            s = spell(rule_key)
            nondiff.setdefault(s[0], set()).add(s[1])
            continue
        for prefix, ns in _NAMESPACES:  # the registry keeps a callable's name
            obj = getattr(ns, name, None)
            if obj is not None and registry._key(obj) == rule_key:
                s = spell(obj)
                if s is not None:
                    nondiff.setdefault(s[0], set()).add(s[1])
                break
    return diff, nondiff


def render():
    diff, nondiff = collect()
    order = [
        "Operators",
        "NumPy",
        "math",
        "scipy.special",
        "Builtins",
        "Array methods and attributes",
    ]
    out = [
        "# Supported primitives",
        "",
        "Generated from the rule registry by `python docs/make_supported.py`; do not "
        "edit by hand (tests/test_rules_table.py checks that it is current). Every "
        "primitive listed has a reverse-mode and a forward-mode rule, checked against "
        "finite differences by the rule table.",
        "",
        "Keywords: reductions take `axis` (an int or a tuple), `keepdims` and `dtype`; "
        "`out=` (and `where=`, `initial=`) is refused with a `TangentlikeError`. "
        "Builtin `max`/`min` take two or more values, a list literal or an array; "
        "`sum` takes a list literal (with a start value) or an array; `for v in reversed(seq)` "
        "and `reversed(range(a, b))` loops are lowered by the normalizer. Under "
        '`compile="numba"` a primitive is compiled where Numba compiles the primal '
        "(Numba has no `keepdims`, no `axis` for `max`/`mean`/`prod`/`norm`, no "
        "`einsum`, `np.matmul`, `np.diagonal` or `scipy.special`): otherwise the call "
        "raises a `TangentlikeError` naming Numba's reason, before anything runs.",
        "",
        "## Differentiable",
        "",
    ]
    for sec in order:
        if sec in diff:
            out.append(f"- **{sec}**: " + ", ".join(sorted(diff[sec])))
    out += ["", "## Zero derivative (accepted, not differentiated)", ""]
    for sec in order:
        if sec in nondiff:
            out.append(f"- **{sec}**: " + ", ".join(sorted(nondiff[sec])))
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    text = render()
    if "--check" in sys.argv:
        with open(OUT) as fh:
            sys.exit(0 if fh.read() == text else 1)
    with open(OUT, "w") as fh:
        fh.write(text)
