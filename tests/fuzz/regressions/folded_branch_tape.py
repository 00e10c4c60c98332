# a branch on a constant that Numba prunes: the tape list appended only inside it was never
# typed ("imprecise type list(undefined)"); branches on constants are now decided at
# normalization, in both sweeps
# numba
import numpy as np

FLAG = False


def f(a, b, v, M):
    s = a * 1.0
    if FLAG:
        t = np.sin(a)
        t = t * b
        s = s + t * t
    if 1.0 > 2.0:
        s = s * b
    return s * np.sum(v)
