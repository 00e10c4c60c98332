"""The benchmark's report: machine information, one table per kernel (text and
Markdown), the targets summary, the per-section medians and the peers' agreement."""

import datetime
import os
import platform

import numpy as np

from . import peers as P
from .formatting import fmt_bytes, fmt_rel, fmt_time
from .instance import ALL_PROBLEMS, JAX_REFERENCE_PEER, SECTIONS, TARGET_JAX_RATIO, TARGET_RATIO


def machine_info():
    import numba

    info = dict(
        date=datetime.datetime.now().astimezone().isoformat(timespec="seconds"),
        platform=platform.platform(),
        machine=platform.machine(),
        processor=platform.processor() or None,
        cpu_count=os.cpu_count(),
        python=platform.python_version(),
        numpy=np.__version__,
        numba=numba.__version__,
    )
    try:
        with open("/proc/cpuinfo") as fh:
            for line in fh:
                if line.startswith("model name"):
                    info["cpu_model"] = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    try:
        from importlib.metadata import version

        info["tangentlike"] = version("tangentlike")
    except Exception:  # noqa: BLE001
        info["tangentlike"] = None
    try:
        import subprocess

        here = os.path.dirname(os.path.abspath(__file__))
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=here,
            capture_output=True,
            text=True,
            timeout=10,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--", "tangentlike"],
            cwd=os.path.dirname(here),
            capture_output=True,
            text=True,
            timeout=10,
        ).stdout.strip()
        info["git_commit"] = (
            commit + ("+uncommitted tangentlike changes" if dirty else "")
        ) or None
    except Exception:  # noqa: BLE001
        info["git_commit"] = None
    info["peers"] = P.versions()
    return info


def cell_time(entry, with_speedup=False):
    if entry.get("time_s") is None:
        return entry.get("status") or "n/a"
    text = fmt_time(entry["time_s"])
    if entry.get("reps") == 1:
        text += " (1 run)"
    if with_speedup and entry.get("speedup") is not None:
        text += (
            f" ({entry['speedup']:.0f}x)"
            if entry["speedup"] >= 10
            else f" ({entry['speedup']:.2f}x)"
        )
    return text


def kernel_rows(recs):
    """Rows (label, [cell per size]) of one kernel's table."""
    rows = []

    def add(label, fn):
        rows.append((label, [fn(r) for r in recs]))

    add("Numba primal", lambda r: cell_time(r["primal"]))
    add("tangentlike grad, interpreted", lambda r: cell_time(r["tangentlike"]["interpreted"]))

    def numba_cell(r):
        e = r["tangentlike"]["numba"]
        text = cell_time(e)
        if e.get("ran_as") == "numpy":  # loop-free: NumPy timed faster than compiled
            text += f" (ran as NumPy; compiled {fmt_time(e['compiled_time_s'])})"
        elif e.get("compiled_time_s") is not None:
            text += " (ran compiled)"
        return text

    add("tangentlike grad, numba", numba_cell)

    def ratio(r):
        x = r["tangentlike"].get("ratio_vs_primal")
        if x is None:
            return "n/a"
        if r.get("kind", "loop") != "loop":
            return f"{x:.2f}x (no target: vectorized kernel)"
        verdict = "met" if x <= TARGET_RATIO else "MISSED"
        return f"{x:.2f}x (target <= {TARGET_RATIO:g}x: {verdict})"

    add("  gradient / primal (numba)", ratio)
    if any(r.get("kind") == "vectorized" for r in recs):

        def jax_ratio(r):
            x = r["tangentlike"].get("ratio_vs_jax")
            if x is None:
                return "n/a (no JAX jit(grad) time)"
            tag = "met" if x <= TARGET_JAX_RATIO else "MISSED"
            return f"{x:.2f}x (target <= {TARGET_JAX_RATIO:g}x: {tag})"

        add("  gradient / JAX jit(grad)", jax_ratio)

    def first(r):
        t = r["tangentlike"]["numba"].get("first_call_s")
        if t is None:
            return "n/a"
        # a later size of the same kernel reuses the code compiled for the first size
        if r is not recs[0]:
            return fmt_time(t) + " (compiled code reused)"
        bg = r["tangentlike"]["numba"].get("compiled_after_s")
        if bg is not None:  # loop-free: tiered, the first call ran as NumPy
            return f"{fmt_time(t)} (as NumPy; compiled by {fmt_time(bg)})"
        return fmt_time(t)

    add("  first call: generation + numba compile", first)

    def tape(r):
        t = r["tangentlike"].get("tape")
        if not t:
            return "n/a"
        if "error" in t:
            return f"n/a ({t['error']})"
        el = t.get("elements")
        return (
            f"{fmt_bytes(t.get('bytes'))} ({el} elements)"
            if el is not None
            else fmt_bytes(t.get("bytes"))
        )

    add("  tape memory", tape)

    def check(r):
        c = r["checks"]
        parts = []
        if "numba_vs_interpreted" in c:
            parts.append(f"numba vs interp {fmt_rel(c['numba_vs_interpreted'])}")
        if "fd_max_rel_diff" in c:
            parts.append(f"FD ({c['reference']}) {fmt_rel(c['fd_max_rel_diff'])}")
        return "; ".join(parts) if parts else "n/a (no gradient)"

    add("  check: max rel diff", check)

    keys = list(recs[0]["peers"].keys()) if recs else []
    for key in keys:
        label = recs[0]["peers"][key]["label"]
        add(label + " (our speed-up)", lambda r, k=key: cell_time(r["peers"][k], with_speedup=True))
    return rows


def text_table(problem, recs):
    head = [f"{problem.size_label}={r['size']}" for r in recs]
    rows = kernel_rows(recs)
    w0 = max(len(lab) for lab, _ in rows)
    widths = [max(len(h), *(len(cells[i]) for _, cells in rows)) for i, h in enumerate(head)]
    out = [
        f"== {problem.name}: {problem.title}",
        "  ".join([" " * w0] + [h.ljust(w) for h, w in zip(head, widths)]),
    ]
    for lab, cells in rows:
        out.append("  ".join([lab.ljust(w0)] + [c.ljust(w) for c, w in zip(cells, widths)]))
    warn = []
    for r in recs:
        for key, e in r["peers"].items():
            for field, lim in (("value_rel_diff", 1e-10), ("grad_rel_diff", 1e-8)):
                if e.get(field) is not None and e[field] > lim:
                    warn.append(
                        f"  WARNING {e['label']} {problem.size_label}={r['size']}: "
                        f"{field} = {e[field]:.1e}"
                    )
        c = r["checks"]
        if c.get("numba_vs_interpreted", 0) > 1e-10:
            warn.append(
                f"  WARNING numba vs interpreted gradient differ: {c['numba_vs_interpreted']:.1e}"
            )
        if c.get("fd_max_rel_diff", 0) > 1e-4:
            warn.append(f"  WARNING finite differences disagree: {c['fd_max_rel_diff']:.1e}")
    return "\n".join(out + warn)


def markdown_table(problem, recs):
    head = [f"{problem.size_label} = {r['size']}" for r in recs]
    out = [
        f"### {problem.name}: {problem.title}",
        "",
        "| | " + " | ".join(head) + " |",
        "|---|" + "---|" * len(head),
    ]
    for lab, cells in kernel_rows(recs):
        out.append(f"| {lab.strip()} | " + " | ".join(c.replace("|", "/") for c in cells) + " |")
    return "\n".join(out)


def summary_rows(results):
    """One row per kernel and size: the kernel's target, our time, the reference time, ratio."""
    rows = []
    for r in results:
        t = r.get("target") or {}
        ratio = t.get("ratio")
        met = t.get("met")
        jax = r["peers"].get(JAX_REFERENCE_PEER) or r["peers"].get("jax_fori") or {}
        rows.append(
            [
                r["kernel"],
                f"{r['size_label']}={r['size']}",
                r.get("kind", "loop"),
                f"{t.get('reference', '?')} <= {t.get('limit', 0):g}x",
                cell_time(r["tangentlike"]["numba"]),
                fmt_time(t.get("reference_s")) if t.get("reference_s") is not None else "n/a",
                "n/a" if ratio is None else f"{ratio:.2f}x",
                "n/a" if met is None else ("met" if met else "MISSED"),
                (f"{jax['label'].replace('JAX ', '')}: " + cell_time(jax)) if jax else "n/a",
            ]
        )
    return rows


SUMMARY_HEAD = [
    "kernel",
    "size",
    "kind",
    "target (ours / ...)",
    "tangentlike numba grad",
    "target reference",
    "ratio",
    "target",
    "JAX",
]


def section_medians(results):
    """One line per section of loop kernels: the median and worst gradient/primal ratio."""
    out = []
    for sec in SECTIONS:
        ratios = [
            r["target"]["ratio"]
            for r in results
            if r.get("section", "core") == sec
            and r.get("kind") == "loop"
            and (r.get("target") or {}).get("ratio") is not None
        ]
        if ratios:
            out.append(
                f"{sec} loop kernels: gradient / Numba primal median "
                f"{float(np.median(ratios)):.2f}x, worst {max(ratios):.2f}x "
                f"over {len(ratios)} kernel sizes"
            )
    return out


def summary_text(results):
    rows = [SUMMARY_HEAD] + summary_rows(results)
    widths = [max(len(row[i]) for row in rows) for i in range(len(SUMMARY_HEAD))]
    out = ["== targets"]
    for row in rows:
        out.append("  ".join(c.ljust(w) for c, w in zip(row, widths)))
    return "\n".join(out)


def summary_md(results):
    out = ["| " + " | ".join(SUMMARY_HEAD) + " |", "|" + "---|" * len(SUMMARY_HEAD)]
    for row in summary_rows(results):
        out.append("| " + " | ".join(c.replace("|", "/") for c in row) + " |")
    return "\n".join(out)


def peer_checks_md(results):
    out = [
        "| kernel | size | tool | loss rel. diff | gradient rel. diff vs reference |",
        "|---|---|---|---|---|",
    ]
    for r in results:
        for key, e in r["peers"].items():
            if e.get("value_rel_diff") is None:
                continue
            out.append(
                f"| {r['kernel']} | {r['size']} | {e['label']} | {fmt_rel(e['value_rel_diff'])} | "
                f"{fmt_rel(e.get('grad_rel_diff'))} ({r['checks'].get('reference')}) |"
            )
    return "\n".join(out)


def write_markdown(path, info, results, opts):
    lines = (
        [
            "# tangentlike benchmark results",
            "",
            f"- date: {info['date']}",
            f"- command: `python -m benchmarks{' --quick' if opts.quick else ''}"
            f"{' --warm-cache' if opts.warm_cache else ''}`",
            f"- tangentlike: {info.get('tangentlike')} (git {info.get('git_commit')})",
            f"- tangentlike first calls: {'warm on-disk cache' if opts.warm_cache else 'cold (empty cache directory)'}",
            f"- machine: {info.get('cpu_model', info['processor'])}, {info['cpu_count']} CPUs, {info['platform']}",
            f"- Python {info['python']}, NumPy {info['numpy']}, Numba {info['numba']}, "
            + ", ".join(f"{k} {v}" for k, v in info["peers"].items() if v),
            "",
            "Peer cells: peer time (tangentlike numba-gradient speed-up = peer time / our time).",
            "",
            "### Targets",
            "",
            f"Loop kernels: tangentlike numba gradient <= {TARGET_RATIO:g}x the Numba primal. "
            f"Vectorized kernels: tangentlike numba gradient <= {TARGET_JAX_RATIO:g}x JAX jit(grad).",
            "",
            summary_md(results),
            "",
        ]
        + [f"- {line}" for line in section_medians(results)]
        + [""]
    )
    for problem in ALL_PROBLEMS:
        recs = [r for r in results if r["kernel"] == problem.name]
        if recs:
            lines += [markdown_table(problem, recs), ""]
    lines += ["### Peer agreement (same loss, same gradient)", "", peer_checks_md(results), ""]
    with open(path, "w") as fh:
        fh.write("\n".join(lines))
