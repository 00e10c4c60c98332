"""The benchmark kernels as each peer tool runs them: the LJ kernel with the tool's
``sqrt``, tangent-ad's edited copies, the vectorized kernels over an array namespace
``xp``, and the real-world kernels with ``math``/``np`` rebound to the tool's."""

import numpy as np

from .peer_base import Skip


def lj_energy_generic(pos, sqrt):
    n = pos.shape[0]
    energy = 0.0
    for i in range(n):
        for j in range(i + 1, n):
            dx = pos[i, 0] - pos[j, 0]
            dy = pos[i, 1] - pos[j, 1]
            dz = pos[i, 2] - pos[j, 2]
            r = sqrt(dx * dx + dy * dy + dz * dz)
            sr6 = (1.0 / r) ** 6
            energy += 4.0 * (sr6 * sr6 - sr6)
    return energy


def lj_energy_tangent(pos):
    energy = 0.0
    for i in range(pos.shape[0]):
        for j in range(i + 1, pos.shape[0]):
            dx = pos[i, 0] - pos[j, 0]
            dy = pos[i, 1] - pos[j, 1]
            dz = pos[i, 2] - pos[j, 2]
            r = np.sqrt(dx * dx + dy * dy + dz * dz)
            sr6 = (1.0 / r) ** 6
            energy += 4.0 * (sr6 * sr6 - sr6)
    return energy


def rosenbrock_tangent(x):
    s = 0.0
    for i in range(x.shape[0] - 1):
        s += 100.0 * (x[i + 1] - x[i] ** 2) ** 2 + (1.0 - x[i]) ** 2
    return s


# Vectorized kernels written against an array namespace ``xp`` (jax.numpy, torch,
# autograd.numpy): the same expressions as kernels.logreg / kernels.mlp.


def logreg_generic(w, X, y, xp):
    z = X @ w
    return xp.mean(xp.log1p(xp.exp(-y * z))) + 0.01 * xp.sum(w * w)


def mlp_generic(W1, b1, W2, b2, X, Y, xp):
    H = xp.tanh(X @ W1 + b1)
    P = H @ W2 + b2
    return xp.mean((P - Y) ** 2)


_VECTORIZED_GENERIC = {"logreg": logreg_generic, "mlp": mlp_generic}


def vectorized_kernel(problem, xp):
    g = _VECTORIZED_GENERIC.get(problem.name)
    if g is None:
        raise Skip(f"no array-namespace version of {problem.name}")
    return lambda *a: g(*a, xp)


def _kernel_with_sqrt(problem, sqrt):
    if problem.name == "lj":
        return lambda pos: lj_energy_generic(pos, sqrt)
    return problem.func


def _torch_namespaces():
    """``math`` and ``np`` for the real-world kernels on float64 tensors."""
    import math
    import types

    import torch

    def lift(fn):
        return lambda x: fn(torch.as_tensor(x, dtype=torch.float64))

    math_ns = types.SimpleNamespace(
        exp=lift(torch.exp),
        sqrt=lift(torch.sqrt),
        log=lift(torch.log),
        sin=lift(torch.sin),
        pi=math.pi,
    )
    np_ns = types.SimpleNamespace(
        zeros=lambda n: torch.zeros(n, dtype=torch.float64),
        empty_like=torch.empty_like,
        sum=torch.sum,
    )
    return math_ns, np_ns


def peer_kernel(problem, tool):
    """The kernel as ``tool`` ("torch", "autograd", "jax") runs it."""
    if getattr(problem, "ported", None) is not None:  # real-world: rebind math and np
        if tool == "torch":
            return problem.ported(*_torch_namespaces())
        if tool == "autograd":
            import autograd.numpy as anp

            return problem.ported(anp, anp)
        import jax.numpy as jnp

        return problem.ported(jnp, jnp)
    sqrt = {
        "torch": lambda: __import__("torch").sqrt,
        "autograd": lambda: __import__("autograd.numpy", fromlist=["sqrt"]).sqrt,
        "jax": lambda: __import__("jax.numpy", fromlist=["sqrt"]).sqrt,
    }[tool]()
    return _kernel_with_sqrt(problem, sqrt)


def split_wrt(problem, args):
    """(values of differentiated args, function rebuilding the full argument list)."""
    wrt = problem.wrt_tuple

    def rebuild(wrt_vals):
        full = list(args)
        for k, i in enumerate(wrt):
            full[i] = wrt_vals[k]
        return full

    return tuple(args[i] for i in wrt), rebuild
