# found by the fuzzer (seed 809558, shrunk): the forward sweep hoists ``W5[:, 1]`` into a
# temporary (a view of W5) that the reverse sweep reads; W5 was later written element-wise
# and the alias analysis did not see the temporary, so the write was not taped and the
# adjoint read the written value
import numpy as np


def f(a, b, v, M):
    u4 = np.dot(M * (v / (1.5 + a**2)), v)
    W5 = np.zeros((3, 3))
    w8 = u4 * W5[:, 1]
    W5[2, 1] += a
    return 0.3 * np.sum(w8)
