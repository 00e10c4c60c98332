# a constant branch in a loop: the reverse branch read a value only the pruned forward
# branch defined (Numba could not type the adjoint)
# numba
import numpy as np

FLAG = False
N = 2


def f(a, b, v, M):
    s = a * 1.0
    for i in range(3):
        if FLAG:
            t = np.sin(s)
            s = s + t * t
        elif N > 1 and not FLAG:
            s = s * v[i]
        s = s * b
    return s
