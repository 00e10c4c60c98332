"""Functions for the pickling and process-pool tests (importable by child processes)."""

import math

import numpy as np

import tangentlike as tl


def rosen(x):
    return np.sum(100.0 * (x[1:] - x[:-1] ** 2) ** 2 + (1.0 - x[:-1]) ** 2)


def loop_energy(x, k):
    s = 0.0
    for i in range(x.shape[0] - 1):
        d = x[i + 1] - x[i]
        s += k * d * d + math.sin(x[i])
    return s


def vector_field(x):
    return np.sin(x) * x[0]


def loss_aux(w, X):
    r = X @ w - 1.0
    return np.sum(r * r), r


@tl.custom_vjp
def softclip(x):
    return np.tanh(x)


def softclip_fwd(x):
    y = np.tanh(x)
    return y, y


def softclip_bwd(y, g):
    return (g * (1.0 - y * y),)


softclip.defvjp(softclip_fwd, softclip_bwd)


def uses_custom(x):
    return np.sum(softclip(x) * x)


def call(df, *args):
    """What a pool worker runs: the derivative it was sent, on its arguments."""
    return df(*args)


GLOBAL_DF = tl.grad(loop_energy, compile="numba")


def call_global(x):
    """A worker that uses a module-level derivative (built in the child on import)."""
    return GLOBAL_DF(x, 2.0)


def vector_field_sum(x):
    return np.sum(np.sin(x) * x[0] + np.cos(x))


def tanh_layer(W, x):
    return np.sum(np.tanh(W @ x) ** 2)


def cubic_sin(x):
    return x**3 * math.sin(x)
