"""Small realistic simulation kernels."""

import math

import numpy as np

from .case import Case, rnd

DT = 0.05
GRAVITY = 9.81


def thermal_rc(R, C, T0, n_steps):
    """Lumped thermal RC model driven by a sinusoidal ambient temperature."""
    T = T0
    energy = 0.0
    for k in range(n_steps):
        T_amb = 20.0 + 5.0 * math.sin(0.3 * k)
        q = (T_amb - T) / R
        T = T + DT * q / C
        energy = energy + q * q * DT
    return T + 0.01 * energy


def _lotka(y, a, b):
    dy = np.empty(2)
    dy[0] = a * y[0] - b * y[0] * y[1]
    dy[1] = b * y[0] * y[1] - y[1]
    return dy


def rk4_lotka_volterra(y0, a, b):
    y = y0.copy()
    h = 0.1
    for _ in range(10):
        k1 = _lotka(y, a, b)
        k2 = _lotka(y + 0.5 * h * k1, a, b)
        k3 = _lotka(y + 0.5 * h * k2, a, b)
        k4 = _lotka(y + h * k3, a, b)
        y = y + h / 6.0 * (k1 + 2.0 * k2 + 2.0 * k3 + k4)
    return y[0] * y[1] + y[0]


def rk4_decay_scalar(y0, k):
    y = y0
    h = 0.2
    for _ in range(8):
        k1 = -k * y * y
        k2 = -k * (y + 0.5 * h * k1) ** 2
        k3 = -k * (y + 0.5 * h * k2) ** 2
        k4 = -k * (y + h * k3) ** 2
        y = y + h * (k1 + 2.0 * k2 + 2.0 * k3 + k4) / 6.0
    return y


def lennard_jones(pos, eps, sigma):
    """Pairwise LJ energy of n particles in 3-D (positions (n, 3))."""
    n = pos.shape[0]
    energy = 0.0
    for i in range(n):
        for j in range(i + 1, n):
            dx = pos[i, 0] - pos[j, 0]
            dy = pos[i, 1] - pos[j, 1]
            dz = pos[i, 2] - pos[j, 2]
            r2 = dx * dx + dy * dy + dz * dz
            sr6 = (sigma * sigma / r2) ** 3
            energy = energy + 4.0 * eps * (sr6 * sr6 - sr6)
    return energy


def rosenbrock(x):
    s = 0.0
    for i in range(x.shape[0] - 1):
        s = s + 100.0 * (x[i + 1] - x[i] * x[i]) ** 2 + (1.0 - x[i]) ** 2
    return s


def pendulum_euler(theta0, omega0, length):
    theta = theta0
    omega = omega0
    for _ in range(40):
        alpha = -GRAVITY / length * math.sin(theta)
        omega = omega + DT * alpha
        theta = theta + DT * omega
    return theta * theta + 0.1 * omega


def logistic_loss(w, X, y):
    z = X @ w
    p = 1.0 / (1.0 + np.exp(-z))
    return -np.mean(y * np.log(p) + (1.0 - y) * np.log(1.0 - p)) + 0.01 * np.sum(w * w)


def heat_explicit(u0, kappa):
    u = u0.copy()
    n = u.shape[0]
    for _ in range(10):
        un = u.copy()
        for i in range(1, n - 1):
            u[i] = un[i] + kappa * (un[i - 1] - 2.0 * un[i] + un[i + 1])
    return np.sum(u * u)


def spring_mass_verlet(x0, v0, k):
    x = x0
    v = v0
    a = -k * x
    for _ in range(20):
        x = x + v * DT + 0.5 * a * DT * DT
        a_new = -k * x - 0.1 * x * x * x
        v = v + 0.5 * (a + a_new) * DT
        a = a_new
    return 0.5 * v * v + 0.5 * k * x * x


_LJ_POS = np.array([[0.0, 0.0, 0.0], [1.1, 0.1, -0.1], [0.2, 1.2, 0.1], [1.0, 1.1, 0.9]])
_LOGIT_X = rnd(160, (8, 3))
_LOGIT_Y = (np.random.default_rng(161).uniform(size=8) > 0.5).astype(np.float64)

CASES = [
    Case(thermal_rc, (2.0, 1.5, 15.0, 30), wrt=(0, 1, 2)),
    Case(rk4_lotka_volterra, (np.array([1.0, 0.5]), 1.1, 0.4), wrt=(0, 1, 2)),
    Case(rk4_decay_scalar, (1.5, 0.7), wrt=(0, 1)),
    Case(lennard_jones, (_LJ_POS, 1.0, 1.0), wrt=(0, 1, 2)),
    Case(rosenbrock, (rnd(162, 6, -0.5, 1.5),)),
    Case(pendulum_euler, (0.6, 0.1, 1.2), wrt=(0, 1, 2)),
    Case(logistic_loss, (rnd(163, 3), _LOGIT_X, _LOGIT_Y), wrt=(0, 1)),
    Case(heat_explicit, (rnd(164, 8), 0.2), wrt=(0, 1)),
    Case(spring_mass_verlet, (1.0, 0.0, 2.0), wrt=(0, 1, 2)),
]
