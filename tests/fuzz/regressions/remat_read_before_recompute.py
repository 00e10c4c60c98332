# found by the fuzzer (seed 5010, shrunk): a loop-local matrix recomputed after the carried
# state is restored was also read by an adjoint handled before the recomputation (a value
# of the next iteration); the check missed reads of recomputed intermediates
import numpy as np


def h1(x, y, c=1.2):
    s2 = c
    for i4 in range(1, 3):
        P5 = np.cos(np.tanh(np.outer(np.ones(3) * s2, np.ones(3) * y)))
        s2 *= np.tanh(P5[2, i4])
    return (x, s2)


def f(a, b, v, M):
    s10, s11 = h1(1.0, M[1, 2])
    return 0.9 * s11
