# found by the fuzzer (seed 900000, shrunk): a push that reads the list itself
# (``L.append(v[0] / (1.5 + L[-1] ** 2))``) sent the Numba backend's float-type inference
# of the list's elements into unbounded recursion
import numpy as np

# numba


def f(a, b, v, M):
    L7 = []
    L7.append(a)
    L7.append(v[0] / (1.5 + L7[-1] ** 2))
    s8 = L7[-1] - a**2
    return 0.3 * s8 + 1.1 * L7[-1] + b * np.sum(M)
