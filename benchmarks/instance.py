"""One problem instance (a kernel at one size): time the Numba primal, tangentlike's
gradients (compiled and interpreted) and every peer, check them, and judge the target."""

import time
import traceback

from . import kernels as K
from . import peers as P
from . import realworld as RW
from .formatting import fmt_time, log, short
from .gradient_checks import as_list, fd_check, rel_diff
from .timing import estimate, measure

ALL_PROBLEMS = K.PROBLEMS + RW.REALWORLD
PROBLEMS_BY_NAME = {p.name: p for p in ALL_PROBLEMS}

TARGET_RATIO = 3.0  # loop kernels: compiled gradient / compiled primal
TARGET_JAX_RATIO = 1.5  # vectorized kernels: compiled gradient / JAX jit(grad)
TARGET_SPEEDUP = 100.0  # over tangent-ad and autograd on loop kernels
JAX_REFERENCE_PEER = "jax"  # the peer whose time the vectorized target compares with

SECTIONS = ("core", "real-world")


def section_of(problem):
    return getattr(problem, "section", "core")


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
