"""Benchmark kernels: plain-Python code, written the way a scientist writes it.

Two kinds (``Problem.kind``):

* ``"loop"``: simulation code with scalar loops over floats and NumPy arrays,
  ``math`` functions, a scalar result (kernels 1-4).  Target: gradient <= 4x the
  Numba primal.
* ``"vectorized"``: whole-array NumPy code as a data scientist writes it (matrix
  products, ufuncs, reductions; kernels 5-6).  Target: within 1.5x of JAX
  ``jit(grad)``.

Every kernel is a module-level function in this real .py file (tangentlike and
tangent-ad read the source with ``inspect``) and compiles unchanged with
``numba.njit`` (the primal baseline).

Each problem in ``PROBLEMS`` says which arguments are differentiated, which sizes
are run (full and ``--quick``), and how to build deterministic inputs for a size.
"""

import math

import numpy as np


# ---------------------------------------------------------------------------
# 1. Building thermal simulation (one-zone RC model, explicit Euler)
# ---------------------------------------------------------------------------


def simulate(heat, T0, R, C, dt):
    """Cost of a heating schedule: energy price plus squared comfort deviation from 21 C."""
    T = T0
    cost = 0.0
    for t in range(heat.shape[0]):
        T = T + dt * ((10.0 - T) / (R * C) + heat[t] / C)
        cost += 0.2 * heat[t] + (T - 21.0) ** 2
    return cost


def thermal_inputs(n):
    rng = np.random.default_rng(0)
    heat = 2.0 + rng.random(n)  # kW, one value per time step
    return (heat, 18.0, 2.0, 1.5, 0.05)  # heat, T0, R, C, dt


# ---------------------------------------------------------------------------
# 2. Lorenz-63, classical RK4 with scalar state, loss = running sum of |state|^2 dt
# ---------------------------------------------------------------------------


def lorenz_rk4(sigma, rho, beta, x0, y0, z0, dt, n_steps):
    """Integrate Lorenz-63 with RK4; return the time integral of x^2 + y^2 + z^2."""
    x = x0
    y = y0
    z = z0
    loss = 0.0
    for step in range(n_steps):
        k1x = sigma * (y - x)
        k1y = x * (rho - z) - y
        k1z = x * y - beta * z

        x2 = x + 0.5 * dt * k1x
        y2 = y + 0.5 * dt * k1y
        z2 = z + 0.5 * dt * k1z
        k2x = sigma * (y2 - x2)
        k2y = x2 * (rho - z2) - y2
        k2z = x2 * y2 - beta * z2

        x3 = x + 0.5 * dt * k2x
        y3 = y + 0.5 * dt * k2y
        z3 = z + 0.5 * dt * k2z
        k3x = sigma * (y3 - x3)
        k3y = x3 * (rho - z3) - y3
        k3z = x3 * y3 - beta * z3

        x4 = x + dt * k3x
        y4 = y + dt * k3y
        z4 = z + dt * k3z
        k4x = sigma * (y4 - x4)
        k4y = x4 * (rho - z4) - y4
        k4z = x4 * y4 - beta * z4

        x = x + dt / 6.0 * (k1x + 2.0 * k2x + 2.0 * k3x + k4x)
        y = y + dt / 6.0 * (k1y + 2.0 * k2y + 2.0 * k3y + k4y)
        z = z + dt / 6.0 * (k1z + 2.0 * k2z + 2.0 * k3z + k4z)
        loss += dt * (x * x + y * y + z * z)
    return loss


def lorenz_inputs(n_steps):
    # dt = 1e-3: 10000 steps cover 10 time units, long enough to be chaotic but
    # short enough that the sensitivities (~e^(0.9 t)) stay finite and checkable.
    return (10.0, 28.0, 8.0 / 3.0, 1.0, 1.0, 1.0, 1e-3, n_steps)


# ---------------------------------------------------------------------------
# 3. Lennard-Jones energy, double loop over pairs i < j (reduced units)
# ---------------------------------------------------------------------------


def lj_energy(pos):
    """Total Lennard-Jones energy (epsilon = sigma = 1); its gradient is minus the forces."""
    n = pos.shape[0]
    energy = 0.0
    for i in range(n):
        for j in range(i + 1, n):
            dx = pos[i, 0] - pos[j, 0]
            dy = pos[i, 1] - pos[j, 1]
            dz = pos[i, 2] - pos[j, 2]
            r = math.sqrt(dx * dx + dy * dy + dz * dz)
            sr6 = (1.0 / r) ** 6
            energy += 4.0 * (sr6 * sr6 - sr6)
    return energy


def lj_inputs(n_atoms):
    """FCC lattice (4 atoms per cell) near the LJ minimum, with a small random jitter."""
    cells = 1
    while 4 * cells**3 < n_atoms:
        cells += 1
    a = 1.6  # lattice constant; nearest neighbour at a / sqrt(2) ~ 1.13
    basis = np.array([[0.0, 0.0, 0.0], [0.5, 0.5, 0.0], [0.5, 0.0, 0.5], [0.0, 0.5, 0.5]])
    pts = []
    for ix in range(cells):
        for iy in range(cells):
            for iz in range(cells):
                for b in basis:
                    pts.append((np.array([ix, iy, iz]) + b) * a)
    pos = np.array(pts[:n_atoms])
    rng = np.random.default_rng(1)
    pos = pos + 0.05 * (rng.random(pos.shape) - 0.5)
    return (np.ascontiguousarray(pos),)


# ---------------------------------------------------------------------------
# 4. Extended Rosenbrock (chained form, as scipy.optimize.rosen), scalar loop
# ---------------------------------------------------------------------------


def rosenbrock(x):
    n = x.shape[0]
    s = 0.0
    for i in range(n - 1):
        s += 100.0 * (x[i + 1] - x[i] ** 2) ** 2 + (1.0 - x[i]) ** 2
    return s


def rosenbrock_inputs(n):
    rng = np.random.default_rng(2)
    return (rng.uniform(-1.5, 1.5, n),)


# ---------------------------------------------------------------------------
# 5. Logistic regression loss (vectorized NumPy)
# ---------------------------------------------------------------------------


def logreg(w, X, y):
    """Mean logistic loss of labels y in {-1, +1} plus an L2 penalty on the weights."""
    z = X @ w
    return np.mean(np.log1p(np.exp(-y * z))) + 0.01 * np.sum(w * w)


def logreg_inputs(n, d=100):
    rng = np.random.default_rng(5)
    X = rng.standard_normal((n, d))
    w_true = rng.standard_normal(d) / math.sqrt(d)
    y = np.where(X @ w_true + 0.5 * rng.standard_normal(n) > 0.0, 1.0, -1.0)
    w = 0.1 * rng.standard_normal(d)
    return (w, X, y)


# ---------------------------------------------------------------------------
# 6. Two-layer tanh MLP, mean squared error (vectorized NumPy)
# ---------------------------------------------------------------------------


def mlp(W1, b1, W2, b2, X, Y):
    """Mean squared error of a 2-layer tanh network on a batch (X, Y)."""
    H = np.tanh(X @ W1 + b1)
    P = H @ W2 + b2
    return np.mean((P - Y) ** 2)


def mlp_inputs(batch, n_in=100, n_hidden=64, n_out=10):
    rng = np.random.default_rng(6)
    W1 = rng.standard_normal((n_in, n_hidden)) / math.sqrt(n_in)
    b1 = 0.1 * rng.standard_normal(n_hidden)
    W2 = rng.standard_normal((n_hidden, n_out)) / math.sqrt(n_hidden)
    b2 = 0.1 * rng.standard_normal(n_out)
    X = rng.standard_normal((batch, n_in))
    Y = rng.standard_normal((batch, n_out))
    return (W1, b1, W2, b2, X, Y)


# ---------------------------------------------------------------------------
# Problem table
# ---------------------------------------------------------------------------


class Problem:
    """One benchmark problem: a kernel, what to differentiate, and its sizes."""

    def __init__(
        self,
        name,
        title,
        func,
        make_inputs,
        wrt,
        sizes,
        quick_sizes,
        size_label,
        calib_sizes,
        unroll_max_size,
        wrt_names,
        kind="loop",
    ):
        self.name = name
        self.title = title
        self.func = func
        self.make_inputs = make_inputs
        self.wrt = wrt  # int or tuple, as passed to tl.grad
        self.sizes = sizes
        self.quick_sizes = quick_sizes
        self.size_label = size_label  # "n", "steps", "N"
        self.calib_sizes = calib_sizes  # two small sizes used to extrapolate slow peers
        self.unroll_max_size = unroll_max_size  # largest size for a JAX unrolled-loop trace
        # (XLA compile time of the unrolled gradient grows ~quadratically: 5 s at 30 steps,
        # 70 s at 100 steps of the thermal model on 2 cores, so every benchmark size skips it)
        self.wrt_names = wrt_names
        self.kind = kind  # "loop" or "vectorized" (decides the target)

    @property
    def wrt_tuple(self):
        return self.wrt if isinstance(self.wrt, tuple) else (self.wrt,)


PROBLEMS = [
    Problem(
        "thermal",
        "Building thermal simulation, gradient w.r.t. heat[:]",
        simulate,
        thermal_inputs,
        0,
        [1000, 10000],
        [1000],
        "n",
        (100, 400),
        30,
        ["heat"],
    ),
    Problem(
        "lorenz",
        "Lorenz-63 RK4, gradient w.r.t. (sigma, rho, beta, x0, y0, z0)",
        lorenz_rk4,
        lorenz_inputs,
        (0, 1, 2, 3, 4, 5),
        [1000, 10000],
        [1000],
        "steps",
        (100, 400),
        30,
        ["sigma", "rho", "beta", "x0", "y0", "z0"],
    ),
    Problem(
        "lj",
        "Lennard-Jones energy (pair double loop), gradient w.r.t. pos = -forces",
        lj_energy,
        lj_inputs,
        0,
        [32, 256],
        [32],
        "N",
        (16, 32),
        8,
        ["pos"],
    ),
    Problem(
        "rosenbrock",
        "Extended Rosenbrock (scalar loop), gradient w.r.t. x",
        rosenbrock,
        rosenbrock_inputs,
        0,
        [1000, 100000],
        [1000],
        "n",
        (1000, 4000),
        30,
        ["x"],
    ),
    Problem(
        "logreg",
        "Logistic regression loss, 100 features (vectorized), gradient w.r.t. w",
        logreg,
        logreg_inputs,
        0,
        [10000],
        [1000],
        "n",
        (250, 1000),
        0,
        ["w"],
        kind="vectorized",
    ),
    Problem(
        "mlp",
        "2-layer tanh MLP 100-64-10, MSE (vectorized), gradient w.r.t. (W1, b1, W2, b2)",
        mlp,
        mlp_inputs,
        (0, 1, 2, 3),
        [256],
        [64],
        "batch",
        (16, 64),
        0,
        ["W1", "b1", "W2", "b2"],
        kind="vectorized",
    ),
]

PROBLEMS_BY_NAME = {p.name: p for p in PROBLEMS}
