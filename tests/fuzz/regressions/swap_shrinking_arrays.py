# a tuple swap of arrays whose shapes change each step: the reverse sweep shaped the
# adjoints by the final values (a shape-only read, never taped): a broadcast error
# args: 0.4, 0.7, np.array([0.3, -0.8, 0.4, 0.9, -0.2, 0.6]), np.eye(3)

import numpy as np


def f(a, b, v, M):
    p = v * a
    q = np.sin(v) * b
    for i in range(3):
        p, q = q, p[1:] * a
    return np.sum(p * p) + np.sum(q)
