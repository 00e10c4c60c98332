"""A stiff reaction-diffusion system (the 1-D Brusselator) integrated with SciPy's BDF,
its Jacobian from ``tl.sparse_jacobian``: a few compressed JVPs per Jacobian instead of
one per unknown.

    python examples/reaction_diffusion_bdf.py            # 2 x 500 unknowns
    python examples/reaction_diffusion_bdf.py 5000       # 2 x 5000 unknowns

The right-hand side is plain NumPy with slices. ``tl.jacobian_sparsity`` finds its
pattern from the generated code (the two species are interleaved: a band of width 5
with holes), the coloring needs 4 colors, so each Jacobian costs 4 JVPs whatever the
size. The same
run with SciPy's own finite-difference Jacobian (``jac_sparsity=`` the same pattern) is
the comparison: same solution, and the time each takes.
"""

import sys
import time

import numpy as np
from scipy.integrate import solve_ivp

import tangentlike as tl


def brusselator(t, y, alpha, A, B):
    """du/dt = A + u^2 v - (B + 1) u + alpha u_xx,  dv/dt = B u - u^2 v + alpha v_xx,
    on (0, 1) with u = A, v = B / A at both ends; y = (u0, v0, u1, v1, ...)."""
    u = y[0::2]
    v = y[1::2]
    lu = np.zeros(u.shape[0])
    lv = np.zeros(u.shape[0])
    lu[1:-1] = u[:-2] - 2.0 * u[1:-1] + u[2:]
    lv[1:-1] = v[:-2] - 2.0 * v[1:-1] + v[2:]
    lu[0] = A - 2.0 * u[0] + u[1]
    lv[0] = B / A - 2.0 * v[0] + v[1]
    lu[-1] = u[-2] - 2.0 * u[-1] + A
    lv[-1] = v[-2] - 2.0 * v[-1] + B / A
    uuv = u * u * v
    out = np.zeros(y.shape[0])
    out[0::2] = A + uuv - (B + 1.0) * u + alpha * lu
    out[1::2] = B * u - uuv + alpha * lv
    return out


def initial_state(points):
    x = np.linspace(0.0, 1.0, points + 2)[1:-1]
    y0 = np.empty(2 * points)
    y0[0::2] = 1.0 + np.sin(2.0 * np.pi * x)
    y0[1::2] = 3.0
    return y0


def problem(points):
    """(y0, args): the Brusselator of Hairer & Wanner (alpha = 1/50 scaled by dx^-2)."""
    alpha = 0.02 * (points + 1) ** 2
    return initial_state(points), (alpha, 1.0, 3.0)


def solve(points, jac, t_end=10.0, **options):
    y0, args = problem(points)
    t0 = time.perf_counter()
    sol = solve_ivp(
        brusselator,
        (0.0, t_end),
        y0,
        method="BDF",
        jac=jac,
        args=args,
        rtol=1e-6,
        atol=1e-8,
        **options,
    )
    return sol, time.perf_counter() - t0


def main(points=500):
    y0, args = problem(points)
    pattern = tl.jacobian_sparsity(brusselator, wrt=1)(0.0, y0, *args)
    jac = tl.sparse_jacobian(brusselator, wrt=1, compile="numba")
    J = jac(0.0, y0, *args)  # compiles, colors, checks once
    print(
        f"{2 * points} unknowns: pattern {pattern.nnz} nonzeros, value dependent: "
        f"{pattern.value_dependent}, {jac.ncolors} colors (JVPs per Jacobian)"
    )
    if points <= 200:
        dense = tl.jacobian(brusselator, wrt=1, mode="forward")(0.0, y0, *args)
        print(f"max |sparse - dense tl.jacobian| = {abs(J.toarray() - dense).max():.1e}")

    sol_tl, t_tl = solve(points, jac)
    sol_fd, t_fd = solve(points, None, jac_sparsity=pattern)
    for name, sol, t in (
        ("tl.sparse_jacobian", sol_tl, t_tl),
        ("SciPy FD, jac_sparsity", sol_fd, t_fd),
    ):
        print(
            f"{name:>24}: {t:6.2f} s, {sol.nfev:5d} f evals, {sol.njev:3d} Jacobians, "
            f"status {sol.status}"
        )
    diff = np.max(np.abs(sol_tl.y[:, -1] - sol_fd.y[:, -1]))
    print(f"max difference of the final states: {diff:.1e}")
    return sol_tl, sol_fd


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 500)
