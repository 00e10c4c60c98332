"""Python constructs lowered by normalize/: functions passed as arguments, nested functions
and lambdas, comprehensions, keyword and default arguments (tests/test_constructs.py)."""
import math

import numpy as np


# ---- functions passed as arguments ---------------------------------------------------------
def decay(y):
    return -0.5 * y + np.sin(y)


def logistic(y):
    return y * (1.0 - y)


def euler(f, y0, h, n):
    y = y0
    for _ in range(n):
        y = y + h * f(y)
    return np.sum(y * y)


def rk2(f, y0, h, n):
    y = y0
    for _ in range(n):
        k1 = f(y)
        k2 = f(y + h * k1)
        y = y + 0.5 * h * (k1 + k2)
    return np.sum(y)


def solve_through(f, y0):
    return euler(f, y0, 0.1, 4)            # the function argument passed on


def solve_decay(y0):
    return euler(decay, y0, 0.05, 6) + rk2(logistic, y0 * 0.3, 0.1, 3)


def apply_twice(f, g, x):
    return f(g(x)) * g(f(x))


# ---- nested functions, closures and lambdas ------------------------------------------------
def closure_reads_argument(x, a):
    def g(t):
        return a * t * t
    return g(x) + g(2.0 * x)


def closure_late_binding(x):
    k = 2.0
    def scale(t):
        return k * t
    k = x * x                              # read at the call, as Python does
    return scale(x)


def local_lambda(x):
    sq = lambda v: v * v + 1.0  # noqa: E731
    return sq(x) * 2.0 + sq(3.0 * x)


def nested_calls_nested(x, c):
    def inner(t):
        return math.sin(c * t)
    def outer(t):
        return inner(t) * t
    return outer(x) + inner(x)


def closure_in_loop(x, w):
    def step(s, t):
        return s + w * math.tanh(t)
    s = 0.0
    for i in range(x.shape[0]):
        s = step(s, x[i])
    return s * s


def lambda_passed(y0):
    return euler(lambda y: -y * y, y0, 0.1, 5)


def local_def_passed(y0):
    def rate(y):
        return np.cos(y) - y
    return rk2(rate, y0, 0.2, 4)


def closure_passed_refused(y0, k):
    def rate(y):
        return -k * y
    return euler(rate, y0, 0.1, 3)            # MARK:closure_value
