# a variable first assigned inside an if without else, read, then overwritten: the reverse
# sweep took the overwrite for the first value (nothing restored) and read it
# args: 0.7, 0.6, np.array([0.3, 0.5, -0.8]), np.eye(3)
# numba
import numpy as np


def f(a, b, v, M):
    s = b
    t = a
    if a > 0.0:
        t = a * b
    s = s * t
    t = np.cos(s)
    if a > 0.0:
        u = np.sin(b)
    s = s * u
    u = np.cos(s)
    return s * t + u
