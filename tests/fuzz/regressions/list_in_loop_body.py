# a list created inside a loop body and appended there (seed 90026 with lists on): it was
# recomputed in the reverse sweep as the empty list it starts as, and its adjoint list was
# appended to before it existed (d_L unbound)
# args: 0.4, 0.7, np.array([0.3, -0.8, 0.4]), np.eye(3)
# numba

import numpy as np


def f(a, b, v, M):
    s = a * b
    for i in range(1, 3):
        L = []
        L.append(s)
        L.append(v[i] * s)
        v = v * L[0] + L[1]
    return np.sum(v)
