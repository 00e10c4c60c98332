# a 2-D array written row-wise and element-wise: rows and floats went on one tape list
# (Numba could not type it)
# numba
import numpy as np


def f(a, b, v, M):
    W = np.zeros((3, 3))
    for i in range(3):
        W[i] = v * M[i, i]
        W[i, i] = np.sin(W[i, i]) * a
        W[:, i] += v * b
    return np.sum(W * W)
