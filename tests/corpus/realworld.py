"""Real-world styles, written from scratch: ODE integrators that take the right-hand side as
an argument, helpers passed as arguments, nested helpers and lambdas, comprehensions and list
building, dataclass and namedtuple parameters, conditional expressions."""

import math
from collections import namedtuple
from dataclasses import dataclass

import numpy as np

from .case import Case, rnd


# ---- integrators taking the right-hand side ------------------------------------------------
def lotka_volterra(y, p):
    return np.array([p[0] * y[0] - p[1] * y[0] * y[1], p[2] * y[0] * y[1] - p[3] * y[1]])


def van_der_pol(y, p):
    return np.array([y[1], p[0] * (1.0 - y[0] * y[0]) * y[1] - y[0]])


def rk4(f, y, p, h, n):
    for _ in range(n):
        k1 = f(y, p)
        k2 = f(y + 0.5 * h * k1, p)
        k3 = f(y + 0.5 * h * k2, p)
        k4 = f(y + h * k3, p)
        y = y + h / 6.0 * (k1 + 2.0 * k2 + 2.0 * k3 + k4)
    return y


def heun(f, y, p, h, n):
    for _ in range(n):
        k1 = f(y, p)
        k2 = f(y + h * k1, p)
        y = y + 0.5 * h * (k1 + k2)
    return y


def lotka_volterra_loss(y0, p):
    y = rk4(lotka_volterra, y0, p, 0.05, 20)
    return np.sum((y - np.array([1.0, 0.5])) ** 2)


def van_der_pol_final(y0, mu):
    p = np.array([mu])
    y = heun(van_der_pol, y0, p, 0.02, 25)
    return y[0] * y[0] + 0.5 * y[1]


def spring_force(x):
    return -4.0 * x - 0.3 * x * x * x


def leapfrog(force, x, v, dt, n):
    a = force(x)
    for _ in range(n):
        v = v + 0.5 * dt * a
        x = x + dt * v
        a = force(x)
        v = v + 0.5 * dt * a
    return x, v


def leapfrog_energy(x0, v0):
    x, v = leapfrog(spring_force, x0, v0, 0.05, 30)
    return np.sum(0.5 * v * v + 2.0 * x * x + 0.075 * x**4)


# ---- nested helpers and lambdas ------------------------------------------------------------
def relaxation_with_local_rate(y0, k):
    def rate(y):
        return -k * y + np.sin(y)

    y = y0
    for _ in range(10):
        y = y + 0.1 * rate(y)
    return np.sum(y * y)


def smoothed_l1(x, eps):
    smooth = lambda a: math.sqrt(a * a + eps)  # noqa: E731
    s = 0.0
    for i in range(x.shape[0]):
        s = s + smooth(x[i])
    return s


# ---- comprehensions and list building ------------------------------------------------------
def polynomial_fit_loss(c, t, y):
    s = 0.0
    for j in range(t.shape[0]):
        pred = sum(c[k] * t[j] ** k for k in range(c.shape[0]))
        s = s + (pred - y[j]) ** 2
    return s


def softmax_rows(logits):
    rows = [np.exp(logits[i] - np.max(logits[i])) for i in range(logits.shape[0])]
    probs = np.array([r / np.sum(r) for r in rows])
    return -np.sum(np.log(probs[:, 0]))


def pairwise_energy(x):
    e = np.array([np.sum((x[i] - x[i + 1 :]) ** 2) for i in range(x.shape[0] - 1)])
    return np.sum(e) + 0.1 * np.sum(x * x)


def trajectory_cost(u):
    xs = [0.0]
    for t in range(u.shape[0]):
        xs.append(t * 0.5)  # a list of constants, built by append
    cost = 0.0
    x = 0.0
    for t in range(u.shape[0]):
        x = x + 0.1 * u[t]
        cost = cost + (x - xs[t]) ** 2 + 0.01 * u[t] * u[t]
    return cost


def clipped_growth(x, r):
    total = 0.0
    for i in range(x.shape[0]):
        g = r * x[i] if x[i] < 1.0 else r / x[i]
        total = total + (g if g > 0.0 else 0.1 * g) ** 2
    return total


# ---- dataclass and namedtuple parameters ---------------------------------------------------
@dataclass
class SIRParams:
    beta: float
    gamma: float


def sir_final_infected(p, s0, i0):
    s, i = s0, i0
    for _ in range(30):
        new_inf = p.beta * s * i
        rec = p.gamma * i
        s = s - 0.1 * new_inf
        i = i + 0.1 * (new_inf - rec)
    return i


Pendulum = namedtuple("Pendulum", "g length damping")


def pendulum_swing(pend, theta, omega):
    for _ in range(40):
        alpha = -pend.g / pend.length * math.sin(theta) - pend.damping * omega
        omega = omega + 0.02 * alpha
        theta = theta + 0.02 * omega
    return theta * theta + 0.1 * omega * omega


CASES = [
    Case(lotka_volterra_loss, (np.array([1.2, 0.8]), np.array([1.1, 0.4, 0.1, 0.4])), (0, 1)),
    Case(lotka_volterra_loss, (np.array([1.2, 0.8]), np.array([1.1, 0.4, 0.1, 0.4])), 1),
    Case(van_der_pol_final, (np.array([1.5, -0.3]), 0.8), (0, 1)),
    Case(van_der_pol_final, (np.array([1.5, -0.3]), 0.8), 1),
    Case(leapfrog_energy, (rnd(501, 3), rnd(502, 3)), (0, 1)),
    Case(relaxation_with_local_rate, (rnd(503, 4), 0.7), (0, 1)),
    Case(relaxation_with_local_rate, (rnd(503, 4), 0.7), 1),
    Case(smoothed_l1, (rnd(504, 5), 0.01), (0, 1)),
    Case(
        polynomial_fit_loss,
        (rnd(505, 3), rnd(506, 6), rnd(507, 6)),
        0,
        numba=False,
        note="sum over a generator expression: numba does not compile it",
    ),
    Case(
        softmax_rows,
        (rnd(508, (3, 4)),),
        0,
        numba=False,
        note="np.array of a list of arrays: numba does not compile it",
    ),
    Case(pairwise_energy, (rnd(509, 5),), 0),
    Case(trajectory_cost, (rnd(510, 6),), 0),
    Case(clipped_growth, (rnd(511, 5, 0.2, 2.0), 1.3), (0, 1)),
    Case(clipped_growth, (rnd(511, 5, 0.2, 2.0), -0.6), 1),
    Case(
        sir_final_infected,
        (SIRParams(0.9, 0.3), 0.95, 0.05),
        (0, 1, 2),
        numba=False,
        note="dataclass parameters: interpreted only",
    ),
    Case(
        pendulum_swing,
        (Pendulum(9.81, 1.3, 0.2), 0.6, 0.0),
        (0, 1),
        numba=False,
        note="namedtuple parameters: interpreted only",
    ),
]
