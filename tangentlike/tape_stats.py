"""``df.tape_stats(*args)``: the tape of a reverse-mode derivative at its peak, measured by
running its plain-Python text with a probe where each reverse sweep starts."""

import numpy as np

from .backends.loader import load_module


def tape_stats(df, args):
    """The tape's size at its peak for ``args`` (``Derivative.tape_stats`` says what it
    counts)."""
    gen = df.generated
    lines = gen.source.splitlines()
    stats = {"elements": 0, "bytes": 0}
    if df.checkpoint is not None:
        stats.update(snapshots=0, snapshot_bytes=0)

    def size(stacks):
        return (
            sum(len(st) for st in stacks),
            sum(v.nbytes if isinstance(v, np.ndarray) else 8 for st in stacks for v in st),
        )

    def probe(variables):
        stats.setdefault(
            "arrays", sorted(k for k, v in variables.items() if isinstance(v, np.ndarray))
        )
        variables = {k: v for k, v in variables.items() if k.startswith(("_tape", "_ckpt_"))}
        tapes = {k: v for k, v in variables.items() if k.startswith("_tape")}
        elements, nbytes = size(list(tapes.values()))
        if elements > stats["elements"] or nbytes > stats["bytes"]:
            stats.update(elements=elements, bytes=nbytes)
            # each tape at that point (tl.explain reports them)
            stats["tapes"] = {
                k: dict(zip(("elements", "bytes"), size([v]))) for k, v in tapes.items()
            }
        snaps = [v for k, v in variables.items() if k.startswith("_ckpt_")]
        if snaps:
            held, nbytes = size(snaps)
            if nbytes >= stats["snapshot_bytes"]:
                stats.update(snapshots=len(snaps[0]), snapshot_bytes=nbytes)

    out, in_entry = [], False
    for ln in lines:
        if ln.startswith("def "):
            in_entry = ln.startswith(f"def {gen.entry}(")
        text = ln.strip()
        if in_entry and (text == "# reverse sweep" or text.startswith("# reverse sweep of step")):
            indent = ln[: len(ln) - len(ln.lstrip())]
            out.append(indent + "__tl_probe__(dict(locals()))")
        else:
            out.append(ln)
    ns = dict(gen.namespace)
    ns["__tl_probe__"] = probe
    mod = load_module("\n".join(out) + "\n", ns, stem=gen.entry + "_probe")
    dy = 1.0 if df.kind == "grad" else args[-1]
    call_args = df._bind(args if df.kind == "grad" else args[:-1])
    getattr(mod, gen.entry)(*call_args, dy)
    return stats
