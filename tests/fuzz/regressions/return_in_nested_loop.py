# early return at depth 2 inside an elif, statements after it at both depths
# args: 0.4, 0.7, np.array([0.3, 0.5, -0.8]), np.eye(3) * 0.5
import numpy as np


def f(a, b, v, M):
    s = a
    for i in range(3):
        for j in range(3):
            if M[i, j] > 1.0:
                s = s + b
            elif v[j] < -0.5:
                s = s * b
                return s * s
            s = np.tanh(s * v[j]) + M[i, j]
        s = s * 0.5
    return s
