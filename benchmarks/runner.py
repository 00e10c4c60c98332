"""Benchmark driver: times the Numba primal, tangentlike's gradients and the peers.

Run it as ``python -m benchmarks [--quick] [--json PATH] [--markdown PATH]``.
docs/benchmarks.md explains every column.
"""

import argparse
import json
import os
import shutil
import sys
import tempfile
import time

from . import peers as P
from .formatting import log, short
from .instance import (
    ALL_PROBLEMS,
    PROBLEMS_BY_NAME,
    SECTIONS,
    TARGET_JAX_RATIO,
    TARGET_RATIO,
    run_instance,
    section_of,
)
from .report import machine_info, section_medians, summary_text, text_table, write_markdown
from .timing import SINGLE_CALL_LIMIT


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
