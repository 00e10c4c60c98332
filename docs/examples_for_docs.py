"""Example functions used by the documentation pages in docs/.

tangentlike reads a function's source with ``inspect``, so the examples live in a real
module. ``docs/make_doc_outputs.py`` imports this module and prints every listing and
number that the pages quote.
"""

import math

import numpy as np

import tangentlike as tl


# --- reverse-mode.md: a small simulation loop ------------------------------------
def simulate(heat, T0, R, C, dt):
    """One-zone thermal model, explicit Euler; cost = energy price + comfort penalty."""
    T = T0
    cost = 0.0
    for t in range(heat.shape[0]):
        T = T + dt * ((10.0 - T) / (R * C) + heat[t] / C)
        cost += 0.2 * heat[t] + (T - 21.0) ** 2
    return cost


def trajectory(heat, T0, R, C, dt):
    """The same model returning the whole temperature trajectory (for tl.vjp)."""
    T = T0
    out = np.zeros(heat.shape[0])
    for t in range(heat.shape[0]):
        T = T + dt * ((10.0 - T) / (R * C) + heat[t] / C)
        out[t] = T
    return out


# --- forward-mode.md --------------------------------------------------------------
def sin_only(a):
    """Seed 000: JAX's jvp of sin(a) also computes the unused primal sin(a)."""
    return math.sin(a)


def helper_1(p1):
    return np.tanh(p1) * 2.0


def helper_2(z, p2):
    return np.sin(z) * p2


def shared(p1, p2):
    """Seed 000: z = helper_1(p1), y = helper_2(z, p2); dz/dp1 is needed by both."""
    z = helper_1(p1)
    y = helper_2(z, p2)
    return np.sum(z) + np.sum(y)


# --- higher-order.md ----------------------------------------------------------------
def cubic_sin(x):
    return x**3 * math.sin(x)


def quartic(x):
    """A vector -> scalar function with a non-trivial Hessian."""
    return np.sum(x**4) + x[0] * x[1] * x[2]


def matrix_fn(X, Y):
    """Seed 000: Z(X, Y) = X X Y, reduced to a scalar by summing."""
    return np.sum((X @ X) @ Y)


def matrix_fn_trace(X, Y):
    """Seed 000/001: the trace of Z(X, Y) = X X Y."""
    return np.trace((X @ X) @ Y)


def f3(x):
    """Seed 000: f(x0, x1, x2) = (x0*x1*x2, x1^2, x0 + x2)."""
    out = np.zeros(3)
    out[0] = x[0] * x[1] * x[2]
    out[1] = x[1] * x[1]
    out[2] = x[0] + x[2]
    return out


def sq_plus_sqrt(x):
    """Seed 000: f(x) = x^2 + sqrt(x), elementwise."""
    return x**2 + np.sqrt(x)


# --- custom-rules.md ------------------------------------------------------------------
def F(x, factor):
    return factor * x**3 - x - 2.0


@tl.custom_vjp
def root(factor):
    """Root of F(x, factor) = 0 on [1, 2] by 60 bisection steps."""
    lo = 1.0
    hi = 2.0
    for _ in range(60):
        mid = 0.5 * (lo + hi)
        if F(mid, factor) > 0.0:
            hi = mid
        else:
            lo = mid
    return 0.5 * (lo + hi)


def root_fwd(factor):
    z = root(factor)
    return z, (z, factor)


def root_bwd(res, g):
    z, factor = res
    # implicit function theorem: dz/dfactor = -(dF/dfactor) / (dF/dz)
    return (-g * z**3 / (3.0 * factor * z**2 - 1.0),)


root.defvjp(root_fwd, root_bwd)


def uses_root(factor):
    return root(factor) * 2.0


def root_plain(factor):
    """The same bisection without a custom rule (differentiated step by step)."""
    lo = 1.0
    hi = 2.0
    for _ in range(60):
        mid = 0.5 * (lo + hi)
        if F(mid, factor) > 0.0:
            hi = mid
        else:
            lo = mid
    return 0.5 * (lo + hi)


@tl.custom_jvp
def sin_times(x, y):
    return math.sin(x) * y


@sin_times.defjvp
def sin_times_jvp(primals, tangents):
    x, y = primals
    x_dot, y_dot = tangents
    return math.sin(x) * y, math.cos(x) * x_dot * y + math.sin(x) * y_dot


def uses_sin_times(x, y):
    return sin_times(x, y) + x * y


def detached(x):
    """Seed 004: u = x*x detached, z = u*x; dz/dx = u (u treated as a constant)."""
    y = x * x
    u = tl.stop_gradient(y)
    z = u * x
    return np.sum(z)


def not_detached(x):
    y = x * x
    z = y * x
    return np.sum(z)


def ratio(a, b):
    """Seed 001: f = a / b; its gradient w.r.t. b underflows in float32 if written -a/b**2."""
    return a / b


def neg_ratio(a, b):
    """Seed 001 exactly: f = -a / b."""
    return -a / b


# --- symbolic-numerical-automatic.md ------------------------------------------------------
def seed003(x1, x2):
    """Seed 003: f(x1, x2) = (1 + sin x2) / (x2 + exp x1) + x1 * x2."""
    return (math.sin(x2) + 1.0) / (x2 + math.exp(x1)) + x1 * x2


def square(x):
    """Seed 000: f(x) = x ** 2 (PyTorch's example)."""
    return x**2


def inverse(x):
    """Seed 002: the sympy example f(x) = 1 / x."""
    return 1.0 / x


def matrix_fn_trace_loop(X, Y):
    """tr(X X Y) written as a loop over the diagonal (np.trace has no rule yet)."""
    Z = (X @ X) @ Y
    s = 0.0
    for i in range(Z.shape[0]):
        s += Z[i, i]
    return s
