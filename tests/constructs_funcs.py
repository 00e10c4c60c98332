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
    return euler(f, y0, 0.1, 4)  # the function argument passed on


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

    k = x * x  # read at the call, as Python does
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

    return euler(rate, y0, 0.1, 3)  # MARK:closure_value


# ---- comprehensions and generator expressions ----------------------------------------------
def sum_of_generator(x):
    return sum(x[i] * x[i] for i in range(x.shape[0])) + sum(math.sin(v) for v in x)


def sum_with_filter(x):
    return sum(x[i] ** 3 for i in range(x.shape[0]) if x[i] > 0.0)


def assigned_list(x):
    ys = [x[i] ** 2 for i in range(3)]
    total = 0.0
    for y in ys:
        total = total + y * ys[0]
    return total + len(ys)


def array_of_comprehension(x, c):
    return np.sum(np.array([math.exp(c * v) for v in x]) ** 2)


def rows_of_comprehension(x, W):
    rows = [np.tanh(W[i] * x) for i in range(W.shape[0])]
    return np.sum(np.array(rows) ** 2) + np.mean(rows)


def comprehension_enumerate_zip(x, y):
    a = [v * (i + 1.0) for i, v in enumerate(x)]
    b = [u * v if u > 0.0 else -u * v for u, v in zip(x, y)]
    return np.sum(np.stack(a)) + np.mean(b) + np.sum(np.array([w * w for w in a[1:]]))


def comprehension_in_loop(x):
    s = 0.0
    for k in range(3):
        s = s + np.sum(np.array([x[i] * (k + 1.0) for i in range(x.shape[0])]) ** 2)
    return s


def conditional_everywhere(x, y):
    z = math.sin(x if x > y else y) + (x * 2.0 if x > 0.0 else -x) * y
    w = max(x, y) if z > 0.0 else min(x, y)
    return z * (w if w > 0.0 else w * w)


def comprehension_used_as_list(x):
    ys = [x[i] for i in range(2)]
    return np.sum(ys + ys)  # MARK:list_plus


def comprehension_two_fors(x):
    return sum(x[i] * x[j] for i in range(2) for j in range(2))  # MARK:two_fors


def filtered_list(x):
    ys = [v for v in x if v > 0.0]  # MARK:filtered
    return np.sum(ys)


# ---- list building: differentiated, or refused where the derivative would be wrong ----------------------------
def append_active(x):
    out = []
    for i in range(3):
        out.append(x * i)  # MARK:append
    return out[1] * out[2]


def append_inactive(x):
    steps = []
    for i in range(3):
        steps.append(i * 2)
    s = 0.0
    for k in steps:
        s = s + x * k
    return s * x


def list_concatenation(x):
    out = [x]
    for i in range(2):
        out = out + [x * i]  # MARK:concat
    return out[0] * out[2]


def list_extend(x):
    out = [x]
    out.extend([x * 2.0])  # MARK:extend
    return out[0] * out[1]


# ---- keyword arguments and defaults --------------------------------------------------------
def with_defaults(x, dt=0.1, n=3):
    y = x
    for _ in range(n):
        y = y + dt * np.sin(y)
    return np.sum(y * y)


def scaled_step(y, h=0.1, *, rate=2.0, floor):
    return y + h * rate * np.sin(y) + floor * y * y


def calls_keyword_only(x):
    a = scaled_step(x, floor=0.5)
    return np.sum(scaled_step(a, 0.2, floor=0.1, rate=x[0]) ** 2)


def keyword_only_top(x, *, dt=0.1):
    return np.sum(np.sin(dt * x) * x)


# ---- dataclasses and namedtuples as arguments ----------------------------------------------
from collections import namedtuple  # noqa: E402
from dataclasses import dataclass  # noqa: E402


@dataclass
class Oscillator:
    k: float
    c: float
    m: float


Spring = namedtuple("Spring", "k rest")


def oscillator_energy(p, x, v):
    a = 0.0
    for _ in range(4):
        a = -(p.k * x + p.c * v) / p.m
        v = v + 0.1 * a
        x = x + 0.1 * v
    return 0.5 * p.m * v * v + 0.5 * p.k * x * x


def spring_chain(s, x):
    e = 0.0
    for i in range(x.shape[0] - 1):
        d = x[i + 1] - x[i] - s.rest
        e = e + 0.5 * s.k * d * d
    return e + spring_force(s, x[0])


def spring_force(s, u):
    return s.k * u * u


@dataclass
class Bonds:
    k: float
    n: int
    rest: np.ndarray

    def bond(self, d, i):
        return 0.5 * self.k * (d - self.rest[i]) ** 2

    @property
    def pin(self):
        return 2.0 * self.k

    def energy(self, x):
        e = 0.0
        for i in range(self.n):
            e += self.bond(x[i + 1] - x[i], i)
        return e + self.pin * x[0] ** 2


def bonds_energy(b, x):
    return 1.5 * b.energy(x)


def bonds_through_helper(b, x):
    return squared_energy(b, x) + b.pin * x[1]


def squared_energy(b, x):  # the forward sweep calls it with the record
    return b.energy(x) ** 2 + b.k * x[0]


class Wave(namedtuple("WaveFields", "a w")):
    def at(self, t):
        return self.a * np.sin(self.w * t)

    @staticmethod
    def envelope(t):
        return 1.0 / (1.0 + t * t)


def wave_sum(p, t):
    return p.at(t) + p.at(2.0 * t) * p.envelope(t)


class Plain:
    def __init__(self, k):
        self.k = k

    def energy(self, x):
        return self.k * x * x


def plain_method(p, x):
    return p.energy(x)  # MARK:plain_method


def writes_field(p, x):
    p.k = x  # MARK:field_write
    return p.k * x


# ---- local dicts with constant keys --------------------------------------------------------
def dict_of_terms(x, y):
    terms = {"kinetic": 0.5 * y * y, "potential": 2.0 * x * x}
    if x > 0.0:
        terms["potential"] = terms["potential"] + x**3
    terms["damping"] = 0.1 * x * y
    return terms["kinetic"] + terms["potential"] - terms["damping"]


def dict_constructor(x):
    p = dict(a=np.sin(x), b=x * x)
    return np.sum(p["a"] * p["b"])


def dict_passed_on(x):
    d = {"a": x}
    return len(d) * x  # MARK:dict_use
