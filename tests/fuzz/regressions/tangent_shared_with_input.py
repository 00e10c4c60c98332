# found by probing after the fuzzer's seed 818160: ``y = v + 1.0`` makes a fresh array, but
# its tangent was the tangent of v itself, so writing into y's tangent (``y[0] = ...``)
# changed v's: a wrong jvp that also wrote into the caller's tangent
import numpy as np


def f(a, b, v, M):
    y = v + 1.0
    y[0] = y[0] * a
    return np.sum(y * v) + b
