"""Primal functions for tests/test_checkpoint.py (checkpointed time-stepping loops).

Line numbers matter for the error tests: they find the offending line by its MARK comment.
"""

import numpy as np


def simulate(heat, T0, R, C, dt):
    T = T0
    cost = 0.0
    for t in range(heat.shape[0]):
        T = T + dt * ((10.0 - T) / (R * C) + heat[t] / C)
        cost += 0.2 * heat[t] + (T - 21.0) ** 2
    return cost


def oscillator(force, x0, v0, k, c):
    """Several state variables, updated in sequence; a temporary read after its step."""
    x = x0
    v = v0
    energy = 0.0
    dt = 0.05
    for t in range(force.shape[0]):
        a = force[t] - k * x - c * v * abs(v)
        v = v + dt * a
        x = x + dt * v
        energy = energy + 0.5 * v * v + 0.5 * k * x * x
    return energy + x * v


def heat_rod(u0, kappa, src):
    """Array state updated in place (slices and elements), copied on entry."""
    u = u0.copy()
    total = 0.0
    for t in range(40):
        lap = u[2:] - 2.0 * u[1:-1] + u[:-2]
        u[1:-1] = u[1:-1] + kappa * lap
        u[0] = u[0] + src * np.sin(0.3 * t)
        total += np.sum(u * u) * 0.01
    return total + np.sum(np.tanh(u))


def relax(u0, k):
    """Array state written element by element in a nested loop."""
    u = u0.copy()
    for t in range(20):
        for i in range(1, u.shape[0]):
            u[i] = u[i] + k * (u[i - 1] - u[i]) * u[i]
    return np.sum(u * u)


def rnn(x0, W, b, inputs):
    """Array state reassigned every step (a vector through a matrix)."""
    x = x0
    loss = 0.0
    for t in range(inputs.shape[0]):
        x = np.tanh(W @ x + b * inputs[t])
        loss = loss + np.sum(x**2) * 0.1
    return loss + np.sum(x)


def thermostat(heat, T0, gain):
    """Branches (a data-dependent one) and a continue inside the loop."""
    T = T0
    cost = 0.0
    for t in range(heat.shape[0]):
        if T > 21.0:
            q = 0.0
        else:
            q = gain * (21.0 - T)
        T = T + 0.1 * (heat[t] + q - 0.05 * T)
        if t % 3 == 0:
            continue
        cost += (T - 20.0) ** 2
    return cost


def euler_step(T, h, R, C, dt):
    return T + dt * ((10.0 - T) / (R * C) + h / C)


def with_callee(heat, T0, R, C, dt):
    """A user function called inside the checkpointed loop."""
    T = T0
    cost = 0.0
    for t in range(heat.shape[0]):
        T = euler_step(T, heat[t], R, C, dt)
        cost += (T - 21.0) ** 2
    return cost


def strided(x, w):
    """A range with a start and a step; code before and after the loop; a value the loop
    reads that is reassigned after it."""
    s = w * 0.5
    scale = 0.9
    for i in range(1, x.shape[0], 2):
        if s > scale:
            s = s * scale + x[i]
        else:
            s = s * w + x[i] * x[i - 1]
    scale = 2.0
    y = s * scale
    return y * y


def two_loops(x, w):
    """Two top-level loops; the marked one is checkpointed."""
    acc = 0.0
    for i in range(x.shape[0]):
        acc = acc + x[i] * w
    s = acc
    # tl: checkpoint
    for t in range(30):
        s = np.sin(s) * w + acc * 0.01
    return s


def trajectory(heat, T0, R, C, dt):
    """Writes the result array in the loop (for tl.vjp)."""
    T = T0
    out = np.zeros(heat.shape[0])
    for t in range(heat.shape[0]):
        T = T + dt * ((10.0 - T) / (R * C) + heat[t] / C)
        out[t] = T * T
    return out


# ---- errors ------------------------------------------------------------------------------


def no_loop(x):
    return x * x  # MARK:noloop


def breaks(x):
    s = x
    for t in range(10):  # MARK:break
        s = s * 0.9
        if s < 0.1:
            break
    return s


def returns_early(x):
    s = x
    for t in range(10):  # MARK:return
        s = s * 0.9
        if s < 0.1:
            return s
    return s * 2.0


def carried_undefined(x):
    for t in range(10):  # MARK:undefined
        if t > 0:
            s = s * x  # noqa: F821 (read before assignment on purpose)
        else:
            s = x
    return s


def appends(x):
    values = []
    s = x
    for t in range(10):
        s = s * 0.5
        values.append(s)  # MARK:append
    return s


def two_marks(x):
    s = x
    # tl: checkpoint
    for t in range(3):
        s = s * x
    for t in range(3):  # tl: checkpoint  MARK:twomarks
        s = s * x
    return s
