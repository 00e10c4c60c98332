"""Per-row models for the CUDA tests: scalar code over a row, as users write it.

Each entry of CASES: (function, shared arguments, a generator of rows)."""

import math

import numpy as np


def rosenbrock(x):
    s = 0.0
    for i in range(x.shape[0] - 1):
        s += 100.0 * (x[i + 1] - x[i] ** 2) ** 2 + (1 - x[i]) ** 2
    return s


def black_scholes(p, r):
    S, K, T, sigma = p[0], p[1], p[2], p[3]
    d1 = (math.log(S / K) + (r + 0.5 * sigma**2) * T) / (sigma * math.sqrt(T))
    d2 = d1 - sigma * math.sqrt(T)
    N1 = 0.5 * (1.0 + math.erf(d1 / math.sqrt(2.0)))
    N2 = 0.5 * (1.0 + math.erf(d2 / math.sqrt(2.0)))
    return S * N1 - K * math.exp(-r * T) * N2


def pendulum_rhs(theta, omega, length):
    return omega, -9.81 / length * math.sin(theta)


def pendulum(p, nsteps, dt):
    theta = p[0]
    omega = p[1]
    length = p[2]
    for k in range(nsteps):
        a, b = pendulum_rhs(theta, omega, length)
        theta = theta + dt * a
        omega = omega + dt * b
        if theta > 2.5:  # a stop
            theta = 2.5
    while omega > 4.0:  # data-dependent trip count
        omega = omega * 0.5
    return theta * theta + omega


def lorenz_rhs(x, y, z, s, r, b):
    return s * (y - x), x * (r - z) - y, x * y - b * z


def lorenz_rk4(p, nsteps, h):
    x, y, z = p[0], p[1], p[2]
    s, r, b = p[3], p[4], p[5]
    for k in range(nsteps):
        k1x, k1y, k1z = lorenz_rhs(x, y, z, s, r, b)
        k2x, k2y, k2z = lorenz_rhs(x + 0.5 * h * k1x, y + 0.5 * h * k1y, z + 0.5 * h * k1z, s, r, b)
        k3x, k3y, k3z = lorenz_rhs(x + 0.5 * h * k2x, y + 0.5 * h * k2y, z + 0.5 * h * k2z, s, r, b)
        k4x, k4y, k4z = lorenz_rhs(x + h * k3x, y + h * k3y, z + h * k3z, s, r, b)
        x = x + h / 6.0 * (k1x + 2.0 * k2x + 2.0 * k3x + k4x)
        y = y + h / 6.0 * (k1y + 2.0 * k2y + 2.0 * k3y + k4y)
        z = z + h / 6.0 * (k1z + 2.0 * k2z + 2.0 * k3z + k4z)
    return x * x + y * y + z * z


def partial_norm(x, tol):
    # an integer counter that indexes the row, and a while loop that stops early
    k = 0
    s = 0.0
    while s < tol and k < x.shape[0]:
        s = s + x[k] * x[k]
        k = k + 1
    return s * x[0] + k


def numpy_scalars(x, w):
    s = 0.0
    for i in range(x.shape[0]):
        v = np.tanh(x[i]) * w[i] + np.exp(-x[i] * x[i]) + np.sqrt(np.abs(x[i]) + 1.0)
        s += np.maximum(v, 0.1) + np.where(x[i] > 0.0, x[i] ** 3, np.sin(x[i]))
        s += np.power(np.abs(x[i]) + 0.5, 1.5) * np.sign(x[i]) + np.log1p(x[i] * x[i])
    return s + np.pi * x[0]


def branches(x, a):
    out = 0.0
    for i in range(x.shape[0]):
        if x[i] > a:
            out += x[i] * x[i]
        elif x[i] < -a:
            out -= math.sin(x[i])
        else:
            out += a * x[i]
    return out


def with_break(x, limit):
    s = 0.0
    for i in range(x.shape[0]):
        s = s + math.exp(0.3 * x[i])
        if s > limit:
            break
    return s * s


def early_return(x):
    if x[0] > 0.5:
        return x[0] * x[1]
    y = x[1] * x[1]
    return y + math.cos(x[0])


def _inner(u, v):
    return u * math.exp(v) + abs(u - v)


def _outer(u, v):
    return _inner(u, v) * _inner(v, u) + min(u, v) + max(u * v, 0.0)


def nested_calls(x):
    s = 0.0
    for i in range(x.shape[0] - 1):
        s += _outer(x[i], x[i + 1])
    return s


def nested_loops(x, n):
    # inner trip counts depend on the data
    s = 1.0
    for i in range(n):
        m = int(abs(x[i % x.shape[0]]) * 3.0) + 1
        for j in range(m):
            s = s * 0.9 + math.sin(x[(i + j) % x.shape[0]] * s)
    return s


def rows(lo, hi, width):
    return lambda rng, n: rng.uniform(lo, hi, (n, width))


def _options(rng, n):
    return np.column_stack(
        [
            rng.uniform(80, 120, n),
            rng.uniform(80, 120, n),
            rng.uniform(0.25, 2.0, n),
            rng.uniform(0.1, 0.5, n),
        ]
    )


def _pendulums(rng, n):
    return np.column_stack(
        [rng.uniform(-1.5, 2.0, n), rng.uniform(-6, 12, n), rng.uniform(0.5, 2.0, n)]
    )


def _lorenz(rng, n):
    return np.column_stack(
        [
            rng.uniform(-5, 5, (n, 3)),
            rng.uniform(9, 11, n),
            rng.uniform(26, 30, n),
            rng.uniform(2, 3, n),
        ]
    )


CASES = {
    "rosenbrock": (rosenbrock, (), rows(-1.5, 1.5, 6)),
    "black_scholes": (black_scholes, (0.03,), _options),
    "pendulum": (pendulum, (40, 0.05), _pendulums),
    "lorenz_rk4": (lorenz_rk4, (20, 0.01), _lorenz),
    "partial_norm": (partial_norm, (1.5,), rows(-1.0, 1.0, 6)),
    "numpy_scalars": (numpy_scalars, (np.linspace(0.5, 1.5, 5),), rows(-1.2, 1.2, 5)),
    "branches": (branches, (0.4,), rows(-1.0, 1.0, 5)),
    "with_break": (with_break, (4.0,), rows(-1.0, 1.0, 6)),
    "early_return": (early_return, (), rows(0.0, 1.0, 2)),
    "nested_calls": (nested_calls, (), rows(-1.0, 1.0, 4)),
    "nested_loops": (nested_loops, (5,), rows(-1.0, 1.0, 3)),
}


def _bond(x, i, k):
    return k * (x[i] - x[i + 1]) ** 2 + math.sin(x[i])


def _bonds_of(x, k):
    # a callee that takes the row and calls another one with it
    return _bond(x, 0, k) * _bond(x, 1, k)


def row_callees(x, k):
    s = _bonds_of(x, k)
    for i in range(x.shape[0] - 1):
        s += _bond(x, i, k)
    return s


CASES["row_callees"] = (row_callees, (1.5,), rows(-1.0, 1.0, 5))


def _integrate(y0, rate, n):
    # a called function whose adjoint needs its own tape (y is overwritten in a loop)
    y = y0
    for k in range(n):
        y = y + 0.05 * (rate * y * (1.0 - y))
        if y > 0.9:
            y = 0.9 - 0.1 * (y - 0.9)
    return y


def _settle(y0, rate, n):
    return _integrate(y0, rate, n) + 0.5 * _integrate(y0 * 0.5, rate, n + 1)


def looping_callees(p, n):
    s = 0.0
    for i in range(p.shape[0] - 1):
        y = _settle(p[i], p[i + 1], n)
        s += (y - 0.5) ** 2
    return s


CASES["looping_callees"] = (looping_callees, (6,), rows(0.1, 1.6, 4))


# a numerically stable custom gradient (softplus), called from a per-row model
try:
    import tangentlike as _tl

    @_tl.custom_vjp
    def softplus(v):
        return max(v, 0.0) + math.log1p(math.exp(-abs(v)))

    def softplus_fwd(v):
        return softplus(v), v

    def softplus_bwd(v, g):
        return (g / (1.0 + math.exp(-v)),)

    softplus.defvjp(softplus_fwd, softplus_bwd)
except ImportError:  # pragma: no cover
    softplus = None


def custom_rule_model(p):
    s = 0.0
    for i in range(p.shape[0]):
        s += softplus(40.0 * p[i]) * p[i]
    return s


# the ways users write loops and calls over a row
def for_each_zip_enumerate(x, w):
    s = 0.0
    for xi in x:
        s += xi * xi * 0.5
    for a, b in zip(x, w):
        s += a * b + abs(a) ** 1.5
    for i, a in enumerate(x):
        s += (i + 1) * a * a
    return s


def _scaled_tanh(v, scale=1.0):
    return scale * math.tanh(v)


def sizes_keywords_ternary(x):
    n = x.size
    m = len(x)
    y = x[0] if x[1] > 0 else -x[0]
    s = math.pi * x[0] * n + min(x[0], x[1]) * m + max(x[1], 0.5) - x[n - 1] ** 3
    return s + y * y * x[1] + _scaled_tanh(x[2], scale=2.0) + _scaled_tanh(x[3])


CASES["for_each_zip_enumerate"] = (
    for_each_zip_enumerate,
    (np.linspace(1.0, 2.0, 4),),
    rows(-1.0, 1.0, 4),
)
CASES["sizes_keywords_ternary"] = (sizes_keywords_ternary, (), rows(-1.0, 1.0, 4))


# the rule library's scalar functions, as math.* and as NumPy calls
def math_library(x):
    a = x[0]
    b = x[1]
    c = x[2]
    s = math.sin(a) + math.cos(b) + math.tan(0.3 * c) + math.asin(0.5 * a) + math.acos(0.4 * b)
    s += math.atan(c) + math.sinh(a) + math.cosh(b) + math.tanh(c) + math.asinh(a)
    s += math.acosh(2.0 + b * b) + math.atanh(0.5 * c) + math.exp(a) + math.expm1(b)
    s += math.log(2.0 + a) + math.log1p(1.0 + b) + math.log10(3.0 + c) + math.log2(3.0 + a)
    s += math.sqrt(2.0 + b) + math.erf(c) + math.erfc(a) + math.atan2(a, 2.0 + b)
    s += math.hypot(a, b) + math.pow(2.0 + c, 1.5) + math.fabs(a - b)
    return s + math.floor(3.0 * a) * b


def numpy_library(x):
    a = x[0]
    b = x[1]
    c = x[2]
    s = np.sin(a) + np.cos(b) + np.tan(0.3 * c) + np.arcsin(0.5 * a) + np.arccos(0.4 * b)
    s += np.arctan(c) + np.sinh(a) + np.cosh(b) + np.tanh(c) + np.arcsinh(a)
    s += np.arccosh(2.0 + b * b) + np.arctanh(0.5 * c) + np.exp(a) + np.expm1(b)
    s += np.log(2.0 + a) + np.log1p(1.0 + b) + np.log10(3.0 + c) + np.log2(3.0 + a)
    s += np.sqrt(2.0 + b) + np.arctan2(a, 2.0 + b) + np.hypot(a, b) + np.power(2.0 + c, 1.5)
    s += np.abs(a - b) + np.square(c) + np.reciprocal(2.0 + a) + np.maximum(a, b)
    s += np.minimum(b, c) + np.exp2(a) + np.cbrt(2.0 + b) + np.sign(c) * c
    s += np.asin(0.5 * a) + np.acos(0.4 * b) + np.atan(c) + np.atanh(0.5 * c) + np.pow(2.0 + c, 1.5)
    s += np.heaviside(a, 0.5) * b + np.floor(3.0 * a) * b
    return s + np.where(np.logical_and(np.greater(a, 0.0), np.less(b, 0.5)), a * b, c)


CASES["math_library"] = (math_library, (), rows(-0.9, 0.9, 3))
CASES["numpy_library"] = (numpy_library, (), rows(-0.9, 0.9, 3))
