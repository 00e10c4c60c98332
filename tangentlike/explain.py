"""``tl.explain(df, *args)``: why a reverse-mode derivative costs what it costs.

It reports, for these inputs, each tape at its peak (entries, bytes, the statement that
records it, and whether ``compile="numba"`` keeps it as a float array or a list), and
the statements of the reverse sweep that run inside loops and allocate (zero arrays,
copies, calls of helper adjoints with array arguments), each with a hint on how to
write the code cheaper. The result is a string (print it).
"""

import re

from .errors import TangentlikeError


def _what(tape):
    """What a tape stack holds, from its generated name."""
    name = tape[len("_tape_") :]
    if name == "flow" or name.startswith("flow_"):
        return "branch and trip-count flags", None
    for kind in ("items", "slices"):
        if name.endswith("_" + kind):
            v = name[: -len(kind) - 1]
            return f"old elements of `{v}` before each in-place write", v
    return f"old values of `{name}` (overwritten, read by the adjoint)", name


def _recorders(lines, tape):
    """The forward statements after which ``tape`` records (the line before each push)."""
    out = []
    for k, ln in enumerate(lines):
        if f"{tape}.append(" in ln and k > 0:
            prev = lines[k - 1].strip()
            if prev and not prev.startswith(("if ", "else", "for ", "while ")) and prev not in out:
                out.append(prev)
    return out


def _allocates(text, arrays):
    """Whether a reverse-sweep statement allocates: a NumPy call, or a zero array or copy
    of a name that holds an array (``arrays``: the entry's array variables)."""
    if "np." in text:
        return True
    return any(m in arrays for m in re.findall(r"\b(?:zeros_like|copy_value)\((\w+)\)", text))


def _reverse_loop_allocations(source, entry, arrays):
    """(function, statement) of reverse-sweep lines inside loops that allocate or call a
    helper's adjoint (array variables are known in the entry only)."""
    found = []
    func, in_reverse, loop_indent = None, False, None
    for ln in source.splitlines():
        if ln.startswith("def "):
            func, in_reverse, loop_indent = ln[4 : ln.index("(")], False, None
            continue
        text = ln.strip()
        indent = len(ln) - len(ln.lstrip())
        if text.startswith("# reverse sweep"):
            in_reverse = True
            continue
        if not in_reverse or not text or text.startswith("#"):
            continue
        if loop_indent is not None and indent <= loop_indent:
            loop_indent = None
        if text.startswith(("for ", "while ")):
            loop_indent = indent if loop_indent is None else loop_indent
            continue
        known = arrays if func == entry else ()
        if loop_indent is not None and (
            _allocates(text, known) or re.search(r"\b_vjp_\w+\(", text)
        ):
            found.append((func, text))
    return found


def explain(df, *args):
    """A report on ``df``'s tape and reverse-sweep allocations for ``args``."""
    if not hasattr(df, "tape_stats") or getattr(df, "kind", None) not in ("grad", "vjp"):
        raise TangentlikeError("tl.explain takes a derivative made by tl.grad or tl.vjp")
    stats = df.tape_stats(*args)
    gen = df.generated
    lines = gen.source.splitlines()
    name = df.primal.__name__
    out = [
        f"tl.explain({df.__name__}): tape at its peak {stats['elements']} entries, "
        f"{stats['bytes']} bytes"
    ]
    hints = []
    tapes = sorted((stats.get("tapes") or {}).items(), key=lambda kv: -kv[1]["bytes"])
    for tape, t in tapes:
        if not t["elements"]:
            continue
        what, var = _what(tape)
        per = t["bytes"] / t["elements"]
        kind = "arrays" if per > 8 else "scalars"
        out.append(f"  {tape}: {t['elements']} entries ({kind}), {t['bytes']} bytes: {what}")
        for stmt in _recorders(lines, tape):
            out.append(f"      recorded after: {stmt}")
        if kind == "arrays":
            hints.append(
                f"`{var}` records a whole array {t['elements']} times: "
                "checkpoint=N recomputes steps instead of keeping them, or update the "
                "array element by element where only a few elements change"
            )
        elif tape.endswith("_items"):
            hints.append(
                f"each `{var}[...] = ...` records the element it overwrites "
                f"({t['elements']} entries); writing each step into a new array, or "
                "under a new name, needs no record"
            )
    if len(out) == 1:
        out.append("  (nothing is recorded: every value the adjoint needs is recomputed)")
    allocs = _reverse_loop_allocations(gen.source, gen.entry, set(stats.get("arrays", ())))
    if allocs:
        out.append(
            "reverse-sweep statements inside loops that allocate or call a helper's "
            "adjoint (once per iteration):"
        )
        for func, text in allocs[:20]:
            out.append(f"  {func}: {text}")
        if len(allocs) > 20:
            out.append(f"  ... and {len(allocs) - 20} more")
        helpers = sorted({m for _, text in allocs for m in re.findall(r"\b(_vjp_\w+)\(", text)})
        for h in helpers:
            hints.append(
                f"the helper adjoint `{h}` runs per iteration; where its arguments "
                "are arrays (rows like pos[i]), each call allocates their zero "
                "gradients and array temporaries: pass scalars (pos[i, 0], ...) or "
                "inline the helper"
            )
        if any("zeros_like(" in text for _, text in allocs):
            hints.append(
                "`zeros_like` of an array inside a loop allocates every iteration: an "
                "array variable reassigned each step (swaps like `u, v = v, u`, "
                "`y = y + ...`) resets its gradient that way; updating one array in "
                "place (`u[i] = ...`) avoids it"
            )
    if hints:
        out.append("how to make it cheaper:")
        out += [f"  - {h}" for h in dict.fromkeys(hints)]
    out.append(f"(derivative of {name}; the generated code: tl.source(df))")
    return "\n".join(out)
