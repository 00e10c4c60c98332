"""Functions from the seed documents (../shared/seeds), used by tests/test_seeds.py."""

import math

import numpy as np

import tangentlike as tl


# seed 002: implicit differentiation through a root solver (bisection) ------------
def F(x, factor):
    return factor * x**3 - x - 2.0


@tl.custom_vjp
def root(factor):
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


# seed 002: a custom JVP rule ----------------------------------------------------
@tl.custom_jvp
def sin_times(x, y):
    return math.sin(x) * y


@sin_times.defjvp
def sin_times_jvp(primals, tangents):
    x, y = primals
    x_dot, y_dot = tangents
    return math.sin(x) * y, math.cos(x) * x_dot * y + math.sin(x) * y_dot


# seed 003: f(x1, x2) = (1 + sin x2) / (x2 + exp x1) + x1 * x2 ------------------
def seed003(x1, x2):
    return (math.sin(x2) + 1.0) / (x2 + math.exp(x1)) + x1 * x2


# seed 004: y = 2 x.x; detach; control flow ------------------------------------
def two_x_dot_x(x):
    return 2.0 * np.dot(x, x)


def detached(x):
    y = x * x
    u = tl.stop_gradient(y)
    z = u * x
    return np.sum(z)


def control_flow(a):
    b = a * 2.0
    while np.sqrt(np.sum(b * b)) < 1000.0:
        b = b * 2.0
    if np.sum(b) > 0.0:
        c = b
    else:
        c = 100.0 * b
    return np.sum(c)


# seed 001: the ratio a/b whose TF gradient underflows in float32 ---------------
def ratio(a, b):
    return a / b


# seed 002 lecture: polynomial and two-argument example --------------------------
def poly(x):
    return x**3 + 2.0 * x**2 - 3.0 * x + 1.0


def two_arg(x, y):
    return x**3 + 2.0 * y[0] ** 2 - 3.0 * y[1] + 1.0


def tanh_fn(x):
    return np.tanh(x)


# seed 000: x ** 2 ----------------------------------------------------------------
def square(x):
    return x**2


# seed 002: f(x) = (x1^2 + x2^2, x1 x2) and its Jacobian ----------------------------
def lecture_vec(x):
    out = np.zeros(2)
    out[0] = x[0] ** 2 + x[1] ** 2
    out[1] = x[0] * x[1]
    return out


# seed 001: ODE dy/dt = r y (1 - y), integrated with RK4; sensitivities of y(T) -----
def logistic_rk4(y0, r, dt, n):
    y = y0
    for _ in range(n):
        k1 = r * y * (1.0 - y)
        k2 = r * (y + 0.5 * dt * k1) * (1.0 - (y + 0.5 * dt * k1))
        k3 = r * (y + 0.5 * dt * k2) * (1.0 - (y + 0.5 * dt * k2))
        k4 = r * (y + dt * k3) * (1.0 - (y + dt * k3))
        y = y + dt / 6.0 * (k1 + 2.0 * k2 + 2.0 * k3 + k4)
    return y
