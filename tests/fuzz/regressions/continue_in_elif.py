# continue inside an elif, more statements after the if, in a while loop
# args: 0.4, 0.7, np.array([0.3, -0.8, 0.4]), np.eye(3)
import numpy as np


def f(a, b, v, M):
    s = a
    k = 0
    while k < 3:
        k += 1
        if v[k - 1] > 2.0:
            s = s + b
        elif v[k - 1] < 0.0:
            s = np.sin(s) * b
            continue
        s = s * v[k - 1] + 1.0
    return s * s
