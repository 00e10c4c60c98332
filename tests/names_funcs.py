"""Functions whose global names clash with the generated module's header."""

import math as np  # 'np' is math here
import numpy as math  # and 'math' is NumPy


def uses_np_for_math(x):
    return np.sin(x) * x + math.cos(x)
