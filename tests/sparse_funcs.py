"""Functions with known sparse Jacobians and Hessians for tests/test_sparse.py."""

import math

import numpy as np


def diffusion_loop(u, D):
    """1-D reaction-diffusion, one loop iteration per grid point: tridiagonal."""
    n = u.shape[0]
    du = np.zeros_like(u)
    for i in range(1, n - 1):
        du[i] = D * (u[i - 1] - 2.0 * u[i] + u[i + 1]) - u[i] ** 3
    du[0] = D * (u[1] - 2.0 * u[0]) - u[0] ** 3
    du[n - 1] = D * (u[n - 2] - 2.0 * u[n - 1]) - u[n - 1] ** 3
    return du


def diffusion_vec(u, D):
    """The same stencil with slices, plus a reaction with a wider band (width 5)."""
    lap = np.zeros(u.shape[0])
    lap[1:-1] = u[:-2] - 2.0 * u[1:-1] + u[2:]
    lap[0] = u[1] - 2.0 * u[0]
    lap[-1] = u[-2] - 2.0 * u[-1]
    out = D * lap - np.sin(u) * u
    out[2:] = out[2:] + 0.1 * u[:-2] * u[2:]
    return out


def grid_laplacian(U, D):
    """2-D five-point stencil on an m x m grid (U is 2-D): a block-tridiagonal pattern."""
    P = np.zeros((U.shape[0] + 2, U.shape[1] + 2))
    P[1:-1, 1:-1] = U
    lap = P[:-2, 1:-1] + P[2:, 1:-1] + P[1:-1, :-2] + P[1:-1, 2:] - 4.0 * U
    return D * lap + np.exp(-U)


def arrowhead(x, a):
    """out[0] couples to every input, every out[i] to x[0] and x[i]."""
    out = x * x + a * x[0] * x
    out[0] = np.sum(np.tanh(x))
    return out


def random_pairs(x, rows, cols, w):
    """out[rows[k]] += w[k] * sin(x[cols[k]]) * x[rows[k]]: a random pattern."""
    out = np.zeros(x.shape[0])
    for k in range(rows.shape[0]):
        out[rows[k]] += w[k] * math.sin(x[cols[k]]) * x[rows[k]]
    return out


def branchy(x):
    """The pattern depends on the values: a branch on the input."""
    if np.sum(x) > 0.0:
        return x * x[0]
    return x * x


def picks_max(x):
    """An index taken from the values of x."""
    return x * x[np.argmax(x)]


def scalar_output(x):
    return np.sum(x[1:] * x[:-1])


def two_outputs(x):
    return x * 2.0, x * 3.0


# ---- scalar energies for sparse_hessian
def chain_energy(x, k):
    return k * np.sum((x[1:] - x[:-1]) ** 2 * x[1:]) + np.sum(x**4) / 4.0


def grid_energy(U):
    return np.sum((U[1:, :] - U[:-1, :]) ** 2 * U[1:, :]) + np.sum(np.cos(U[:, 1:] * U[:, :-1]))


def arrow_energy(x):
    return x[0] * np.sum(x**2) + np.sum(np.exp(x))


def pair_energy(x, rows, cols):
    e = 0.0
    for k in range(rows.shape[0]):
        e += math.sin(x[rows[k]] * x[cols[k]])
    return e + np.sum(x**3)


# ---- a custom rule that index sets cannot follow (an FFT of the tangent)
import tangentlike as tl  # noqa: E402


@tl.custom_jvp
def periodic_smooth(x):
    return np.real(np.fft.ifft(np.fft.fft(x) * np.exp(-np.arange(x.shape[0]))))


@periodic_smooth.defjvp
def periodic_smooth_jvp(primals, tangents):
    (x,) = primals
    (t,) = tangents
    return periodic_smooth(x), periodic_smooth(t)


def smoothed_square(x):
    return periodic_smooth(x) * x


def scaled_sine(a, x):
    """Jacobian w.r.t. the scalar a: one column."""
    return np.sin(a * x) + a * a


def max_energy(A):
    """The Hessian goes through the adjoint of max along an axis."""
    return np.sum(np.max(A, axis=1) ** 2) + np.sum(np.min(A * A, axis=0))
