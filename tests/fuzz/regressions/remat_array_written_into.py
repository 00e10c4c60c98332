# found by the fuzzer (seed 40624, shrunk): a loop-local array written element-wise after
# its assignment was recomputed (fresh zeros) instead of taped, so the adjoint read the
# zeros, not the values written into it
import numpy as np


def f(a, b, v, M):
    P11 = M
    for i13 in range(v.shape[0]):
        W14 = np.zeros((3, 3))
        for i15 in range(2):
            W14[i15, 2] -= np.sum(P11)
        return np.sum(W14 * M)
