# a variable reassigned with another shape (a vector reduced to a number, then used):
# shape-only reads of it in the reverse sweep saw the last value, not the one of the step
# args: 0.4, 0.7, np.array([0.3, -0.8, 0.4]), np.eye(3)

import numpy as np


def f(a, b, v, M):
    x = v * a
    for i in range(2):
        x = np.sum(x * b) * x
    y = np.sum(M @ v)
    y = y * y + x[0]
    return np.sum(x) + y
