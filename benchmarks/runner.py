"""Benchmark driver: times the Numba primal, tangentlike's gradients and the peers.

Run it as ``python -m benchmarks [--quick] [--json PATH] [--markdown PATH]``.
docs/benchmarks.md explains every column.
"""

import argparse
import datetime
import json
import math
import os
import platform
import shutil
import sys
import tempfile
import time
import traceback

import numpy as np

from . import kernels as K
from . import peers as P
from . import realworld as RW

ALL_PROBLEMS = K.PROBLEMS + RW.REALWORLD
PROBLEMS_BY_NAME = {p.name: p for p in ALL_PROBLEMS}

SINGLE_CALL_LIMIT = 1.0  # a call slower than this is timed once
TARGET_RATIO = 3.0  # loop kernels: compiled gradient / compiled primal
TARGET_JAX_RATIO = 1.5  # vectorized kernels: compiled gradient / JAX jit(grad)
TARGET_SPEEDUP = 100.0  # over tangent-ad and autograd on loop kernels
JAX_REFERENCE_PEER = "jax"  # the peer whose time the vectorized target compares with


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def short(exc, limit=90):
    msg = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    text = f"{type(exc).__name__}: {msg}" if msg else type(exc).__name__
    return text if len(text) <= limit else text[: limit - 3] + "..."


# ---------------------------------------------------------------------------
# Timing
# ---------------------------------------------------------------------------


def measure(call, target=0.5, max_reps=7, jit=True):
    """Time ``call()``: the first call is timed separately and excluded (warm-up).

    Returns dict(time_s=best per-call time, reps, number, first_call_s).
    The number of calls per repetition is scaled so one repetition lasts >= ~20 ms,
    the number of repetitions so the whole measurement lasts ~``target`` seconds
    (3 to ``max_reps``).  A call slower than SINGLE_CALL_LIMIT is timed once; for
    tools without a compile step (``jit=False``) that one timed call is the first one.
    """
    t0 = time.perf_counter()
    call()
    first = time.perf_counter() - t0
    if not jit and first > SINGLE_CALL_LIMIT:
        return dict(time_s=first, reps=1, number=1, first_call_s=first)
    t0 = time.perf_counter()
    call()
    one = time.perf_counter() - t0
    if one > SINGLE_CALL_LIMIT:
        return dict(time_s=one, reps=1, number=1, first_call_s=first)
    number = max(1, int(0.02 / max(one, 1e-9)))
    reps = int(min(max_reps, max(3, target / max(one * number, 1e-9))))
    best = one
    for _ in range(reps):
        t0 = time.perf_counter()
        for _ in range(number):
            call()
        best = min(best, (time.perf_counter() - t0) / number)
    return dict(time_s=best, reps=reps, number=number, first_call_s=first)


def fmt_time(t):
    if t is None:
        return "n/a"
    if t < 1e-3:
        return f"{t * 1e6:.1f} us"
    if t < 1.0:
        return f"{t * 1e3:.2f} ms"
    return f"{t:.2f} s"


def fmt_bytes(b):
    if b is None:
        return "n/a"
    b = float(b)
    for unit in ("B", "KiB", "MiB", "GiB"):
        if b < 1024 or unit == "GiB":
            return f"{b:.0f} {unit}" if unit == "B" else f"{b:.1f} {unit}"
        b /= 1024


def fmt_rel(x):
    return "n/a" if x is None else f"{x:.1e}"


# ---------------------------------------------------------------------------
# Gradient helpers
# ---------------------------------------------------------------------------


def as_list(problem, g):
    """A tool's gradient (one value or a tuple) as a list of float64 arrays, one per wrt."""
    if len(problem.wrt_tuple) > 1:
        return [np.asarray(x, dtype=np.float64) for x in g]
    return [np.asarray(g, dtype=np.float64)]


def flat(glist):
    return np.concatenate([np.ravel(x) for x in glist])


def rel_diff(a, b):
    """Normwise relative difference max|a - b| / max|b| of two flattened gradients."""
    a, b = flat(a), flat(b)
    if a.shape != b.shape:
        return float("inf")
    scale = np.max(np.abs(b))
    if not np.all(np.isfinite(a)) or not np.all(np.isfinite(b)):
        return float("inf")
    return float(np.max(np.abs(a - b)) / (scale if scale > 0 else 1.0))


def fd_check(problem, primal, args, glist):
    """Central differences of the (Numba) primal for a few gradient components.

    Step h = 1e-5 * max(1, |x|); error |fd - g| / max(|fd|, |g|, 1e-2 * max|grad|)
    (components far below the gradient's scale are dominated by FD round-off).
    """
    wrt = problem.wrt_tuple
    picks = []
    for k, i in enumerate(wrt):
        a = args[i]
        if isinstance(a, np.ndarray):
            size = a.size
            for idx in sorted({0, size // 2, size - 1}):
                picks.append((k, i, idx))
        else:
            picks.append((k, i, None))
    scale = np.max(np.abs(flat(glist)))
    worst = 0.0
    comps = []
    for k, i, idx in picks:
        base = list(args)
        if idx is None:
            x = float(args[i])
        else:
            x = float(args[i].flat[idx])
        h = 1e-5 * max(1.0, abs(x))

        def f_at(v):
            a = list(base)
            if idx is None:
                a[i] = v
            else:
                arr = args[i].copy()
                arr.flat[idx] = v
                a[i] = arr
            return primal(*a)

        fd = (f_at(x + h) - f_at(x - h)) / (2 * h)
        g = float(glist[k]) if idx is None else float(np.ravel(glist[k])[idx])
        err = abs(fd - g) / max(abs(fd), abs(g), 1e-2 * scale, 1e-300)
        worst = max(worst, err)
        name = problem.wrt_names[k] + ("" if idx is None else f"[{idx}]")
        comps.append(dict(component=name, fd=fd, grad=g, rel_diff=err))
    return worst, comps


def estimate(timed_at, problem, size, budget):
    """Extrapolated time of one call of a slow tool at ``size``.

    Times one call at a ladder of growing sizes (the two ``calib_sizes``, then x4 steps
    below ``size``), fits t = a * size**p (p clamped to [1, 3]) to the last two points
    and extrapolates with a 25% margin.  Stops climbing as soon as the estimate exceeds
    ``budget``, so a tool that is far too slow costs little.  The fit catches tools
    whose cost per step grows with the array size (e.g. a full-size zero array per
    indexed element); the ladder keeps the last extrapolation within a factor 4.
    """
    s1, s2 = problem.calib_sizes
    ladder = [s1, s2]
    while ladder[-1] * 4 < size:
        ladder.append(ladder[-1] * 4)
    timed_at(s1)  # warm-up (imports, caches, code generation)
    est = None
    prev = None
    for s in ladder:
        t = timed_at(s)
        if prev is not None:
            p = math.log(max(t, 1e-9) / max(prev[1], 1e-9)) / math.log(s / prev[0])
            p = min(3.0, max(1.0, p))
            est = 1.25 * t * (size / s) ** p
            if est > budget:
                return est
        prev = (s, t)
    return est


# ---------------------------------------------------------------------------
# One problem instance
# ---------------------------------------------------------------------------


def run_instance(problem, size, peers, tl, opts):
    import numba

    args = problem.make_inputs(size)
    rec = dict(
        kernel=problem.name,
        title=problem.title,
        kind=problem.kind,
        section=section_of(problem),
        size_label=problem.size_label,
        size=size,
        primal={},
        tangentlike={},
        checks={},
        peers={},
        target={},
    )
    log(f"[{problem.name} {problem.size_label}={size}]")

    # ---- primal: plain Python value and Numba timing -------------------------
    value_py = problem.func(*args)
    # real-world kernels call helpers, which the baseline jits too
    make_primal = getattr(problem, "numba_primal", None)
    primal = make_primal() if make_primal else numba.njit(problem.func)
    t0 = time.perf_counter()
    value_nb = primal(*args)
    compile_s = time.perf_counter() - t0
    m = measure(lambda: primal(*args), target=opts.target)
    rec["primal"] = dict(
        value=value_nb,
        value_python=value_py,
        value_rel_diff=abs(value_nb - value_py) / max(abs(value_py), 1e-300),
        time_s=m["time_s"],
        reps=m["reps"],
        number=m["number"],
        compile_s=compile_s,
    )
    log(f"  numba primal            {fmt_time(m['time_s'])}   (value {value_nb:.10g})")

    # ---- tangentlike ---------------------------------------------------------
    grads = {}
    tlrec = rec["tangentlike"]
    # numba first, so its first call includes code generation (no in-process reuse)
    for mode, compile_opt in (("numba", "numba"), ("interpreted", None)):
        entry = dict(time_s=None, status=None)
        tlrec[mode] = entry
        if tl is None:
            entry["status"] = f"n/a ({opts.tl_error})"
            continue
        try:
            if compile_opt is None and opts.budget is not None:

                def timed_at(s, _mode=compile_opt):
                    a = problem.make_inputs(s)
                    d = tl.grad(problem.func, wrt=problem.wrt, compile=_mode)
                    t = time.perf_counter()
                    d(*a)
                    return time.perf_counter() - t

                est = estimate(timed_at, problem, size, opts.budget)
                entry["estimate_s"] = est
                if est > opts.budget:
                    entry["status"] = f"skipped (too slow: est. {fmt_time(est)})"
                    log(f"  tangentlike {mode:<11} {entry['status']}")
                    continue
            t0 = time.perf_counter()
            df = tl.grad(problem.func, wrt=problem.wrt, compile=compile_opt)
            g = df(*args)
            entry["first_call_s"] = time.perf_counter() - t0
            if compile_opt == "numba" and df._compiled().tiered:
                # loop-free: the first call ran as NumPy; time the compiled code it switches to
                df.wait_compiled()
                entry["compiled_after_s"] = time.perf_counter() - t0
                # then its calls time NumPy against the compiled code (about 0.3 s of
                # calls) and keep the faster: make those calls before timing
                deadline = time.perf_counter() + 10.0
                while df._compiled().choosing() and time.perf_counter() < deadline:
                    df(*args)
                # and 0.3 s more of calls, so the other kind's BLAS threads have gone to
                # sleep (steady state: a program runs one kind)
                settle = time.perf_counter() + 0.3
                while time.perf_counter() < settle:
                    df(*args)
            grads[mode] = as_list(problem, g)
            m = measure(lambda: df(*args), target=opts.target, jit=compile_opt is not None)
            entry.update(time_s=m["time_s"], reps=m["reps"], number=m["number"], status="ok")
            if compile_opt == "numba" and df._compiled().tiered:
                # loop-free: calls run the faster of NumPy and the compiled code; say which,
                # and time the compiled code on its own too
                backend = df._compiled()
                entry["ran_as"] = backend.last_run
                backend.run_as = "numba"
                settle = time.perf_counter() + 0.3
                while time.perf_counter() < settle:
                    df(*args)
                mc = measure(lambda: df(*args), target=opts.target, jit=True)
                backend.run_as = None
                entry["compiled_time_s"] = mc["time_s"]
            if "tape" not in tlrec or tlrec["tape"] is None:
                tape = None
                if hasattr(df, "tape_stats"):
                    try:
                        tape = df.tape_stats(*args)
                    except Exception as exc:  # noqa: BLE001
                        tape = dict(error=short(exc, 50))
                tlrec["tape"] = tape
            log(
                f"  tangentlike {mode:<11} {fmt_time(m['time_s'])}   (first call {fmt_time(entry['first_call_s'])})"
            )
        except Exception as exc:  # noqa: BLE001 - a benchmark must always finish
            entry["status"] = f"n/a ({short(exc)})"
            if opts.verbose:
                traceback.print_exc()
            log(f"  tangentlike {mode:<11} {entry['status']}")
    nb_t = tlrec["numba"].get("time_s")
    tlrec["ratio_vs_primal"] = nb_t / rec["primal"]["time_s"] if nb_t else None

    # ---- correctness ---------------------------------------------------------
    checks = rec["checks"]
    if "numba" in grads and "interpreted" in grads:
        checks["numba_vs_interpreted"] = rel_diff(grads["numba"], grads["interpreted"])
    ref_name = next((k for k in ("numba", "interpreted") if k in grads), None)
    reference = grads.get(ref_name)

    # ---- peers ---------------------------------------------------------------
    for peer in peers:
        if not peer.applies(problem):
            continue  # e.g. the loop-specific JAX peers on a vectorized kernel: no row
        entry = dict(label=peer.label, time_s=None, status=None)
        rec["peers"][peer.key] = entry
        if not peer.available():
            entry["status"] = "not installed"
            continue
        # slow (interpreted) tools only matter on loop kernels; whole-array kernels run them as is
        slow = peer.slow and problem.kind == "loop"
        if opts.quick and (slow or isinstance(peer, P.JaxUnrolled)):
            entry["status"] = "skipped (--quick)"
            continue
        try:
            if slow and opts.budget is not None:

                def timed_at(s, _peer=peer):
                    a = problem.make_inputs(s)
                    prep = _peer.prepare(problem, a, s)
                    t = time.perf_counter()
                    prep.run()
                    return time.perf_counter() - t

                est = estimate(timed_at, problem, size, opts.budget)
                entry["estimate_s"] = est
                if est > opts.budget:
                    entry["status"] = f"skipped (too slow: est. {fmt_time(est)})"
                    log(f"  {peer.label:<34} {entry['status']}")
                    continue
            t0 = time.perf_counter()
            prep = peer.prepare(problem, args, size)
            m = measure(prep.run, target=opts.target, jit=peer.jit)
            entry.update(
                time_s=m["time_s"],
                reps=m["reps"],
                number=m["number"],
                first_call_s=(time.perf_counter() - t0)
                if m["reps"] == 1 and not peer.jit
                else m["first_call_s"],
                status="ok",
            )
            # correctness: the peer's own loss value and gradient
            pg = prep.grads()  # gradient of the last timed call
            v = prep.value()
            entry["value_rel_diff"] = abs(v - value_py) / max(abs(value_py), 1e-300)
            grads[peer.key] = pg
            if reference is not None:
                entry["grad_rel_diff"] = rel_diff(pg, reference)
            if nb_t:
                entry["speedup"] = m["time_s"] / nb_t
            log(f"  {peer.label:<34} {fmt_time(m['time_s'])}")
        except P.Skip as exc:
            entry["status"] = str(exc)
            log(f"  {peer.label:<34} {entry['status']}")
        except Exception as exc:  # noqa: BLE001
            entry["status"] = f"n/a ({short(exc)})"
            if opts.verbose:
                traceback.print_exc()
            log(f"  {peer.label:<34} {entry['status']}")

    # Without a tangentlike gradient, check the peers against JAX (fori_loop).
    if reference is None:
        ref_name = next(
            (k for k in ("jax_fori", "jax", "torch", "autograd", "tangent") if k in grads), None
        )
        reference = grads.get(ref_name)
        if reference is not None:
            for key, g in grads.items():
                if key in rec["peers"] and key != ref_name:
                    rec["peers"][key]["grad_rel_diff"] = rel_diff(g, reference)
    checks["reference"] = ref_name
    if reference is not None:
        worst, comps = fd_check(problem, primal, args, reference)
        checks["fd_max_rel_diff"] = worst
        checks["fd_components"] = comps

    # ---- target ----------------------------------------------------------------
    rec["target"] = target_of(problem, rec)
    return rec


def target_of(problem, rec):
    """The kernel's target: loop kernels gradient/primal <= TARGET_RATIO, vectorized
    ours/JAX jit <= TARGET_JAX_RATIO."""
    nb_t = rec["tangentlike"]["numba"].get("time_s")
    if problem.kind == "vectorized":
        ref = rec["peers"].get(JAX_REFERENCE_PEER, {})
        ref_t = ref.get("time_s")
        ratio = nb_t / ref_t if nb_t and ref_t else None
        rec["tangentlike"]["ratio_vs_jax"] = ratio
        return dict(
            kind="vectorized",
            description=f"tangentlike numba gradient / JAX jit(grad) <= {TARGET_JAX_RATIO:g}",
            limit=TARGET_JAX_RATIO,
            ours_s=nb_t,
            reference="JAX jit(grad)",
            reference_s=ref_t,
            ratio=ratio,
            met=None if ratio is None else ratio <= TARGET_JAX_RATIO,
        )
    ratio = rec["tangentlike"].get("ratio_vs_primal")
    return dict(
        kind="loop",
        description=f"tangentlike numba gradient / Numba primal <= {TARGET_RATIO:g}",
        limit=TARGET_RATIO,
        ours_s=nb_t,
        reference="Numba primal",
        reference_s=rec["primal"].get("time_s"),
        ratio=ratio,
        met=None if ratio is None else ratio <= TARGET_RATIO,
    )


# ---------------------------------------------------------------------------
# Reporting
# ---------------------------------------------------------------------------


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


SECTIONS = ("core", "real-world")


def section_of(problem):
    return getattr(problem, "section", "core")


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


# ---------------------------------------------------------------------------
# Entry point
# ---------------------------------------------------------------------------


def parse_args(argv):
    ap = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    ap.add_argument(
        "--quick",
        action="store_true",
        help="small sizes, no slow peers on loop kernels (torch, autograd, tangent-ad, "
        "JAX unrolled)",
    )
    ap.add_argument(
        "--json", metavar="PATH", help="write all measurements and machine info as JSON"
    )
    ap.add_argument("--markdown", metavar="PATH", help="write the result tables as Markdown")
    ap.add_argument(
        "--kernels",
        metavar="NAMES",
        default=None,
        help="comma-separated subset of: " + ", ".join(p.name for p in ALL_PROBLEMS),
    )
    ap.add_argument(
        "--section",
        choices=SECTIONS,
        default=None,
        help="only the kernels of one section (default: all)",
    )
    ap.add_argument(
        "--peers",
        metavar="KEYS",
        default=None,
        help="comma-separated subset of: " + ", ".join(p.key for p in P.ALL_PEERS) + " (or 'none')",
    )
    ap.add_argument(
        "--budget",
        type=float,
        default=None,
        help="skip a slow tool whose extrapolated time per call exceeds this (s); "
        "default 30, 5 with --quick",
    )
    ap.add_argument(
        "--warm-cache",
        action="store_true",
        help="keep tangentlike's on-disk code/Numba cache (default: a fresh empty cache "
        "directory, so first-call times include a cold Numba compile)",
    )
    ap.add_argument("--verbose", action="store_true", help="print tracebacks of failures")
    opts = ap.parse_args(argv)
    if opts.budget is None:
        opts.budget = 5.0 if opts.quick else 30.0
    opts.target = 0.2 if opts.quick else 0.5
    return opts


def main(argv=None):
    opts = parse_args(sys.argv[1:] if argv is None else argv)
    t_start = time.perf_counter()
    cold_dir = None
    if not opts.warm_cache:
        # tangentlike writes generated modules and Numba's cache under TANGENTLIKE_CACHE_DIR
        cold_dir = tempfile.mkdtemp(prefix="tangentlike-bench-cache-")
        os.environ["TANGENTLIKE_CACHE_DIR"] = cold_dir
    try:
        import tangentlike as tl

        if not hasattr(tl, "grad"):
            raise AttributeError("tangentlike has no grad yet")
        opts.tl_error = None
    except Exception as exc:  # noqa: BLE001
        tl = None
        opts.tl_error = short(exc, 60)

    problems = ALL_PROBLEMS
    if opts.section:
        problems = [p for p in problems if section_of(p) == opts.section]
    if opts.kernels:
        names = [n.strip() for n in opts.kernels.split(",") if n.strip()]
        problems = [PROBLEMS_BY_NAME[n] for n in names]
    peers = P.ALL_PEERS
    if opts.peers:
        keys = [k.strip() for k in opts.peers.split(",") if k.strip() and k.strip() != "none"]
        peers = [P.PEERS_BY_KEY[k] for k in keys]

    info = machine_info()
    log(
        f"machine: {info.get('cpu_model')} x{info['cpu_count']}, Python {info['python']}, "
        f"NumPy {info['numpy']}, Numba {info['numba']}"
    )
    results = []
    for problem in problems:
        recs = []
        for size in problem.quick_sizes if opts.quick else problem.sizes:
            recs.append(run_instance(problem, size, peers, tl, opts))
        results += recs
        print(text_table(problem, recs), flush=True)
        print(flush=True)
    if results:
        print(summary_text(results), flush=True)
        print(flush=True)
        for line in section_medians(results):
            print(line, flush=True)
    total = time.perf_counter() - t_start
    print(f"total benchmark time: {total:.1f} s", flush=True)
    if cold_dir is not None:
        shutil.rmtree(cold_dir, ignore_errors=True)

    if opts.json:
        payload = dict(
            machine=info,
            options=dict(
                quick=opts.quick,
                budget_s=opts.budget,
                cold_cache=not opts.warm_cache,
                single_call_limit_s=SINGLE_CALL_LIMIT,
            ),
            targets=dict(
                loop=dict(ratio="tangentlike numba gradient / Numba primal", limit=TARGET_RATIO),
                vectorized=dict(
                    ratio="tangentlike numba gradient / JAX jit(grad)", limit=TARGET_JAX_RATIO
                ),
            ),
            total_time_s=total,
            results=results,
        )
        with open(opts.json, "w") as fh:
            json.dump(payload, fh, indent=2, default=float)
        log(f"wrote {opts.json}")
    if opts.markdown:
        write_markdown(opts.markdown, info, results, opts)
        log(f"wrote {opts.markdown}")
    return 0
