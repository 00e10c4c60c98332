"""Sparse Jacobians of a stiff reaction-diffusion right-hand side (docs/sparse.md).

    python -m benchmarks.sparse            # n = 1e3, 1e4, 1e5 unknowns
    python -m benchmarks.sparse --quick    # n = 1e3 only

The 1-D Brusselator of examples/reaction_diffusion_bdf.py (two interleaved species,
NumPy slices). For each size: the one-time cost of the pattern (``tl.jacobian_sparsity``)
and of the coloring, then the time per Jacobian (best of 5) of

* ``tl.sparse_jacobian(..., compile="numba")`` and interpreted (``compile=None``),
* SciPy's finite-difference Jacobian with ``jac_sparsity`` (``num_jac`` with the column
  groups, exactly what ``solve_ivp(method="BDF", jac_sparsity=...)`` runs),
* the dense ``tl.jacobian`` (one JVP per unknown): measured at n = 1e3; above it
  estimated as n times one JVP (the dense matrix alone would be 0.8 GB at n = 1e4),

and the total ``solve_ivp(method="BDF")`` time with the tangentlike and the SciPy
Jacobian (and the dense one at n = 1e3).
"""

import sys
import time

import numpy as np
import scipy.sparse as sp
from scipy.integrate._ivp.common import num_jac
from scipy.optimize._numdiff import group_columns

import tangentlike as tl
from examples.reaction_diffusion_bdf import brusselator, problem, solve


def best_of(fn, repeat=5):
    fn()
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def scipy_fd(y0, args, pattern):
    """SciPy's sparse finite-difference Jacobian as BDF calls it (not vectorized)."""
    csc = sp.csc_matrix(pattern)
    groups = group_columns(csc)

    def fun_vectorized(t, Y):
        return np.column_stack([brusselator(t, Y[:, k], *args) for k in range(Y.shape[1])])

    def jac():
        f0 = brusselator(0.0, y0, *args)
        return num_jac(fun_vectorized, 0.0, y0, f0, 1e-8, None, (csc, groups))[0]

    return jac, int(groups.max()) + 1


def row(n):
    points = n // 2
    y0, args = problem(points)
    t0 = time.perf_counter()
    pattern = tl.jacobian_sparsity(brusselator, wrt=1)(0.0, y0, *args)
    t_pattern = time.perf_counter() - t0
    fast = tl.sparse_jacobian(brusselator, wrt=1, sparsity=pattern, compile="numba")
    plain = tl.sparse_jacobian(brusselator, wrt=1, sparsity=pattern)
    t0 = time.perf_counter()
    tl.sparse_jacobian(brusselator, wrt=1, sparsity=pattern)
    t_color = time.perf_counter() - t0
    J = fast(0.0, y0, *args)
    fd_jac, fd_groups = scipy_fd(y0, args, pattern)
    err = abs(J - sp.csr_matrix(fd_jac())).max() / abs(J).max()
    t_fast = best_of(lambda: fast(0.0, y0, *args))
    t_plain = best_of(lambda: plain(0.0, y0, *args))
    t_fd = best_of(fd_jac)
    jvp = tl.jvp(brusselator, wrt=1, compile="numba")
    e = np.zeros(n)
    e[0] = 1.0
    if n <= 1000:
        dense = tl.jacobian(brusselator, wrt=1, mode="forward", compile="numba")
        t_dense, dense_note = best_of(lambda: dense(0.0, y0, *args), repeat=2), ""
    else:
        t_dense = n * best_of(lambda: jvp(0.0, y0, *args, e), repeat=20)
        dense_note = " (est.)"
    solves = {"tl": solve(points, fast), "scipy": solve(points, None, jac_sparsity=pattern)}
    if n <= 1000:
        dense_jac = tl.jacobian(brusselator, wrt=1, mode="forward", compile="numba")
        solves["dense"] = solve(points, dense_jac)
    return dict(
        n=n,
        nnz=pattern.nnz,
        colors=fast.ncolors,
        fd_groups=fd_groups,
        t_pattern=t_pattern,
        t_color=t_color,
        t_fast=t_fast,
        t_plain=t_plain,
        t_fd=t_fd,
        t_dense=t_dense,
        dense_note=dense_note,
        err=err,
        solves=solves,
    )


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    sizes = (10**3,) if "--quick" in argv else (10**3, 10**4, 10**5)
    print("1-D Brusselator, solve_ivp BDF to t = 10; time per Jacobian, best of 5")
    print(
        "| n | nnz | colors (SciPy groups) | pattern, once | coloring, once | "
        "tl.sparse_jacobian numba | interpreted | SciPy FD + jac_sparsity | "
        "dense tl.jacobian | solve: tl / SciPy FD / dense | f evals / Jacobians / LUs | "
        "rel. diff to FD |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for n in sizes:
        r = row(n)
        s = r["solves"]
        solve_txt = " / ".join(
            f"{s[k][1]:.2f} s" if k in s else "-" for k in ("tl", "scipy", "dense")
        )
        sol = s["tl"][0]
        counts = f"{sol.nfev} / {sol.njev} / {sol.nlu}"
        print(
            f"| {r['n']} | {r['nnz']} | {r['colors']} ({r['fd_groups']}) | "
            f"{r['t_pattern']:.2f} s | {r['t_color'] * 1e3:.1f} ms | "
            f"{r['t_fast'] * 1e3:.3f} ms | {r['t_plain'] * 1e3:.2f} ms | "
            f"{r['t_fd'] * 1e3:.3f} ms | {r['t_dense']:.3g} s{r['dense_note']} | "
            f"{solve_txt} | {counts} | {r['err']:.1e} |",
            flush=True,
        )


if __name__ == "__main__":
    main()
