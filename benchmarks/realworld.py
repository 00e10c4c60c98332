"""Real-world loop kernels: code written the way people write it, not tuned for AD.

The four loop kernels of ``kernels.py`` are written with fresh names per step and
scalar state.  These eight are in the styles found in other people's code:

* ``lj_helper``: Lennard-Jones energy whose pair term is a helper function taking two
  3-vectors (``pos[i]``, ``pos[j]``);
* ``lj_periodic``: LJ energy in a periodic box with the minimum-image convention
  written as overwrites (``dx = dx - box * round(dx / box)``);
* ``binomial``: a Cox-Ross-Rubinstein binomial tree for a European call, the value
  array overwritten in place step by step (gradient = delta, vega, rho);
* ``rk4_array``: a damped pendulum chain integrated with RK4, state in NumPy arrays
  and a right-hand-side helper that returns an array;
* ``verlet``: a spring-chain molecular dynamics run with velocity Verlet (positions,
  velocities and forces as arrays, forces from a helper);
* ``heat_pde``: an explicit finite-difference heat equation, a time loop around a
  space loop, ``u`` swapped with ``u_new``;
* ``kalman``: the log-likelihood of a local-level model from a scalar Kalman filter
  loop (gradient w.r.t. the two noise variances);
* ``mc_asian``: Monte-Carlo price of an arithmetic Asian call, a loop over paths and
  steps with pre-drawn normals (pathwise delta and vega).

Each is a module-level function of this file (tangentlike reads the source) and
compiles unchanged with ``numba.njit``.  The problems are ``kind="loop"``: the
target is the same as for the loop kernels of ``kernels.py``.
"""

import math

import numpy as np

from .kernels import Problem, lj_inputs


# ---------------------------------------------------------------------------
# 1. LJ with a pair helper taking 3-vectors
# ---------------------------------------------------------------------------


def lj_pair(ri, rj):
    d = ri - rj
    r2 = d[0] * d[0] + d[1] * d[1] + d[2] * d[2]
    inv6 = 1.0 / (r2 * r2 * r2)
    return 4.0 * (inv6 * inv6 - inv6)


def lj_helper(pos):
    n = pos.shape[0]
    e = 0.0
    for i in range(n):
        for j in range(i + 1, n):
            e += lj_pair(pos[i], pos[j])
    return e


# ---------------------------------------------------------------------------
# 2. LJ in a periodic box, minimum image as overwrites
# ---------------------------------------------------------------------------


def lj_periodic(pos, box):
    n = pos.shape[0]
    e = 0.0
    for i in range(n - 1):
        for j in range(i + 1, n):
            dx = pos[i, 0] - pos[j, 0]
            dy = pos[i, 1] - pos[j, 1]
            dz = pos[i, 2] - pos[j, 2]
            dx = dx - box * round(dx / box)
            dy = dy - box * round(dy / box)
            dz = dz - box * round(dz / box)
            r2 = dx * dx + dy * dy + dz * dz
            s6 = 1.0 / (r2 * r2 * r2)
            e += 4.0 * (s6 * s6 - s6)
    return e


def lj_periodic_inputs(n_atoms):
    (pos,) = lj_inputs(n_atoms)
    box = float(np.max(pos) + 0.8)
    return (pos, box)


# ---------------------------------------------------------------------------
# 3. Binomial option tree (Cox-Ross-Rubinstein, European call)
# ---------------------------------------------------------------------------


def binomial_call(S0, sigma, r, K, T, n):
    dt = T / n
    u = math.exp(sigma * math.sqrt(dt))
    d = 1.0 / u
    p = (math.exp(r * dt) - d) / (u - d)
    disc = math.exp(-r * dt)
    v = np.zeros(n + 1)
    for j in range(n + 1):
        v[j] = max(S0 * u**j * d ** (n - j) - K, 0.0)
    for i in range(n - 1, -1, -1):
        for j in range(i + 1):
            v[j] = disc * (p * v[j + 1] + (1.0 - p) * v[j])
    return v[0]


def binomial_inputs(n):
    return (100.0, 0.2, 0.03, 105.0, 1.0, n)


# ---------------------------------------------------------------------------
# 4. RK4 with array state: a chain of coupled damped pendulums
# ---------------------------------------------------------------------------


def pendulum_rhs(y, k, c):
    m = y.shape[0] // 2
    dy = np.empty_like(y)
    for i in range(m):
        dy[i] = y[m + i]
        acc = -math.sin(y[i]) - c * y[m + i]
        if i > 0:
            acc += k * (y[i - 1] - y[i])
        if i < m - 1:
            acc += k * (y[i + 1] - y[i])
        dy[m + i] = acc
    return dy


def rk4_pendulums(y0, k, c, dt, n_steps):
    y = y0.copy()
    for step in range(n_steps):
        k1 = pendulum_rhs(y, k, c)
        k2 = pendulum_rhs(y + 0.5 * dt * k1, k, c)
        k3 = pendulum_rhs(y + 0.5 * dt * k2, k, c)
        k4 = pendulum_rhs(y + dt * k3, k, c)
        y = y + dt / 6.0 * (k1 + 2.0 * k2 + 2.0 * k3 + k4)
    return np.sum(y * y)


def rk4_inputs(n_steps, m=8):
    rng = np.random.default_rng(11)
    y0 = np.concatenate([0.3 * rng.standard_normal(m), np.zeros(m)])
    return (y0, 2.0, 0.1, 0.01, n_steps)


# ---------------------------------------------------------------------------
# 5. Velocity Verlet MD of a spring chain (FPU-like anharmonic springs)
# ---------------------------------------------------------------------------


def chain_forces(x, kspring, alpha):
    n = x.shape[0]
    f = np.zeros(n)
    for i in range(n - 1):
        s = x[i + 1] - x[i] - 1.0
        t = kspring * s + alpha * s * s * s
        f[i] += t
        f[i + 1] -= t
    return f


def verlet_md(x0, v0, kspring, alpha, dt, n_steps):
    x = x0.copy()
    v = v0.copy()
    f = chain_forces(x, kspring, alpha)
    for step in range(n_steps):
        v = v + 0.5 * dt * f
        x = x + dt * v
        f = chain_forces(x, kspring, alpha)
        v = v + 0.5 * dt * f
    return np.sum(x * x) + np.sum(v * v)


def verlet_inputs(n_steps, n=32):
    rng = np.random.default_rng(12)
    x0 = np.arange(n, dtype=np.float64) + 0.05 * rng.standard_normal(n)
    v0 = 0.1 * rng.standard_normal(n)
    return (x0, v0, 1.0, 0.3, 0.01, n_steps)


# ---------------------------------------------------------------------------
# 6. Explicit 1-D heat equation: time loop around a space loop
# ---------------------------------------------------------------------------


def heat_explicit(u0, alpha, n_steps):
    n = u0.shape[0]
    u = u0.copy()
    u_new = np.zeros(n)
    for step in range(n_steps):
        for i in range(1, n - 1):
            u_new[i] = u[i] + alpha * (u[i - 1] - 2.0 * u[i] + u[i + 1])
        u_new[0] = 0.0
        u_new[n - 1] = 0.0
        u, u_new = u_new, u
    total = 0.0
    for i in range(n):
        total += u[i] * u[i]
    return total


def heat_inputs(n_steps, n=64):
    xs = np.linspace(0.0, 1.0, n)
    u0 = np.sin(math.pi * xs) + 0.2 * np.sin(3.0 * math.pi * xs)
    return (u0, 0.4, n_steps)


# ---------------------------------------------------------------------------
# 7. Kalman filter log-likelihood of a local-level model
# ---------------------------------------------------------------------------


def kalman_loglik(q, r, obs):
    x = obs[0]
    P = 1.0
    ll = 0.0
    for t in range(1, obs.shape[0]):
        P = P + q
        S = P + r
        innov = obs[t] - x
        K = P / S
        x = x + K * innov
        P = (1.0 - K) * P
        ll += -0.5 * (math.log(2.0 * math.pi * S) + innov * innov / S)
    return ll


def kalman_inputs(n):
    rng = np.random.default_rng(13)
    level = np.cumsum(0.1 * rng.standard_normal(n))
    return (0.01, 0.25, level + 0.5 * rng.standard_normal(n))


# ---------------------------------------------------------------------------
# 8. Monte-Carlo arithmetic Asian call, pathwise greeks
# ---------------------------------------------------------------------------


def mc_asian(S0, sigma, r, K, T, Z):
    n_paths = Z.shape[0]
    n_steps = Z.shape[1]
    dt = T / n_steps
    drift = (r - 0.5 * sigma * sigma) * dt
    vol = sigma * math.sqrt(dt)
    total = 0.0
    for p in range(n_paths):
        S = S0
        acc = 0.0
        for t in range(n_steps):
            S = S * math.exp(drift + vol * Z[p, t])
            acc += S
        total += max(acc / n_steps - K, 0.0)
    return math.exp(-r * T) * total / n_paths


def mc_inputs(n_paths, n_steps=50):
    rng = np.random.default_rng(14)
    return (100.0, 0.2, 0.03, 100.0, 1.0, rng.standard_normal((n_paths, n_steps)))


# ---------------------------------------------------------------------------
# Problem table (section "real-world")
# ---------------------------------------------------------------------------

HELPERS = ("lj_pair", "pendulum_rhs", "chain_forces")


def ported(func, math_ns, np_ns):
    """A copy of ``func`` (and of the helpers it calls) whose ``math`` and ``np`` are
    another tool's namespaces: how the peers run these kernels unchanged."""
    import types

    env = dict(func.__globals__, math=math_ns, np=np_ns)
    for name in HELPERS:
        helper = func.__globals__[name]
        env[name] = types.FunctionType(helper.__code__, env, name)
    return types.FunctionType(func.__code__, env, func.__name__)


def numba_primal(func):
    """``func`` under ``numba.njit``, with the helpers it calls jitted too.

    Real code decorates its helpers with ``@numba.njit``; these stay plain Python
    (tangentlike reads their source), so the Numba baseline rebinds them in a copy
    of the module's globals.
    """
    import types

    import numba

    env = dict(func.__globals__)
    for name in HELPERS:
        env[name] = numba.njit(env[name])
    return numba.njit(types.FunctionType(func.__code__, env, func.__name__))


def _p(name, title, func, inputs, wrt, sizes, quick, label, calib, names):
    problem = Problem(
        name, title, func, inputs, wrt, sizes, quick, label, calib, 0, names, kind="loop"
    )
    problem.section = "real-world"
    problem.numba_primal = lambda: numba_primal(func)
    problem.ported = lambda math_ns, np_ns: ported(func, math_ns, np_ns)
    return problem


REALWORLD = [
    _p(
        "lj_helper",
        "LJ energy, pair term in a helper taking pos[i], pos[j], gradient w.r.t. pos",
        lj_helper,
        lj_inputs,
        0,
        [64, 256],
        [32],
        "N",
        (16, 32),
        ["pos"],
    ),
    _p(
        "lj_periodic",
        "LJ energy, periodic box, minimum image as overwrites, gradient w.r.t. pos",
        lj_periodic,
        lj_periodic_inputs,
        0,
        [64, 256],
        [32],
        "N",
        (16, 32),
        ["pos"],
    ),
    _p(
        "binomial",
        "Binomial option tree (CRR, in-place value array), gradient w.r.t. (S0, sigma, r)",
        binomial_call,
        binomial_inputs,
        (0, 1, 2),
        [100, 500],
        [100],
        "steps",
        (25, 50),
        ["S0", "sigma", "r"],
    ),
    _p(
        "rk4_array",
        "RK4, pendulum chain, array state and rhs helper, gradient w.r.t. (y0, k, c)",
        rk4_pendulums,
        rk4_inputs,
        (0, 1, 2),
        [1000],
        [200],
        "steps",
        (50, 200),
        ["y0", "k", "c"],
    ),
    _p(
        "verlet",
        "Velocity Verlet MD, anharmonic spring chain (32 atoms), gradient w.r.t. (x0, v0, k)",
        verlet_md,
        verlet_inputs,
        (0, 1, 2),
        [1000],
        [200],
        "steps",
        (50, 200),
        ["x0", "v0", "kspring"],
    ),
    _p(
        "heat_pde",
        "Explicit 1-D heat equation (64 points), time x space loop, gradient w.r.t. (u0, alpha)",
        heat_explicit,
        heat_inputs,
        (0, 1),
        [1000],
        [200],
        "steps",
        (50, 200),
        ["u0", "alpha"],
    ),
    _p(
        "kalman",
        "Kalman filter log-likelihood (local level), gradient w.r.t. (q, r)",
        kalman_loglik,
        kalman_inputs,
        (0, 1),
        [10000],
        [1000],
        "n",
        (250, 1000),
        ["q", "r"],
    ),
    _p(
        "mc_asian",
        "Monte-Carlo Asian call (50 steps per path), gradient w.r.t. (S0, sigma)",
        mc_asian,
        mc_inputs,
        (0, 1),
        [2000],
        [200],
        "paths",
        (50, 200),
        ["S0", "sigma"],
    ),
]
