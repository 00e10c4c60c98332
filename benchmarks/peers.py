"""The benchmark problems in other AD tools: JAX, PyTorch (eager), HIPS autograd, tangent-ad.

Every peer is used only when it imports; otherwise it is reported as "not installed".
All peers compute in float64 (``jax_enable_x64`` is switched on before JAX is used).

Peer implementations are kept as close to ``kernels.py`` as each tool allows:

* JAX, unrolled: the kernel itself (the Python loop is traced and unrolled) under
  ``jax.jit(jax.grad(...))``.  Only for sizes up to ``Problem.unroll_max_size``: tracing
  and compiling an unrolled 10^4..10^5-step loop takes minutes, so larger sizes are
  reported as skipped.
* JAX, ``lax.fori_loop``: the loop rewritten with ``jax.lax.fori_loop`` (static trip
  count, so reverse mode works); the LJ pair loop runs over a precomputed i<j pair
  list (same number of pair evaluations as the double loop).
* PyTorch eager / HIPS autograd: the kernel itself on tensors / boxed arrays; the LJ
  kernel takes its ``sqrt`` from the tool (``math.sqrt`` does not accept tensors).
* tangent-ad: the kernel itself; for LJ and Rosenbrock a copy with the two edits
  tangent-ad needs (no ``n = x.shape[0]`` assignment, ``np.sqrt`` instead of
  ``math.sqrt``), defined at module level below because tangent-ad reads the source.

Vectorized kernels (``Problem.kind == "vectorized"``: logreg, mlp) have no loop, so
the two loop-specific JAX peers do not apply to them; instead:

* JAX ``jit(grad)``: the kernel's own expression with ``jax.numpy`` under
  ``jax.jit(jax.grad(...))`` (the reference for the "within 1.5x of JAX" target).
* PyTorch eager / HIPS autograd: the same expression with ``torch`` /
  ``autograd.numpy`` functions; tangent-ad: the kernel itself, unchanged.

A peer whose ``applies(problem)`` is false gets no row for that kernel.
"""

import numpy as np

from .jax_peers import JaxFori, JaxJit, JaxUnrolled
from .peer_base import Peer, Prepared, Skip, installed
from .peer_kernels import (
    lj_energy_tangent,
    peer_kernel,
    rosenbrock_tangent,
    split_wrt,
    vectorized_kernel,
)


# ---------------------------------------------------------------------------
# PyTorch eager
# ---------------------------------------------------------------------------


class TorchEager(Peer):
    key = "torch"
    label = "PyTorch eager (autograd)"
    module = "torch"
    slow = True

    def prepare(self, problem, args, size):
        import torch

        if problem.kind == "vectorized":
            f = vectorized_kernel(problem, torch)
        else:
            f = peer_kernel(problem, "torch")
        wrt = problem.wrt_tuple
        full = []
        leaves = []
        for i, a in enumerate(args):
            if i in wrt:
                t = torch.tensor(a, dtype=torch.float64, requires_grad=True)
                leaves.append(t)
                full.append(t)
            elif isinstance(a, np.ndarray):
                full.append(torch.tensor(a, dtype=torch.float64))
            else:
                full.append(a)
        last = {}

        def run():
            loss = f(*full)
            g = torch.autograd.grad(loss, leaves)
            last["loss"] = loss
            return g

        def value():
            if "loss" not in last:
                run()
            return float(last["loss"].detach())

        return Prepared(run, lambda g: [x.detach().numpy().copy() for x in g], value)


# ---------------------------------------------------------------------------
# HIPS autograd
# ---------------------------------------------------------------------------


class HipsAutograd(Peer):
    key = "autograd"
    label = "HIPS autograd"
    module = "autograd"
    slow = True

    def prepare(self, problem, args, size):
        import autograd
        import autograd.numpy as anp

        if problem.kind == "vectorized":
            f = vectorized_kernel(problem, anp)
        else:
            f = peer_kernel(problem, "autograd")
        wrt_vals, rebuild = split_wrt(problem, args)

        def g(vals):
            return f(*rebuild(vals))

        gfun = autograd.grad(g)

        def run():
            return gfun(wrt_vals)

        def value():
            return float(g(wrt_vals))

        return Prepared(run, lambda r: [np.asarray(x, dtype=np.float64) for x in r], value)


# ---------------------------------------------------------------------------
# tangent-ad (source transformation, NumPy runtime)
# ---------------------------------------------------------------------------

_TANGENT_FUNCS = {"lj": lj_energy_tangent, "rosenbrock": rosenbrock_tangent}


class TangentAD(Peer):
    key = "tangent"
    label = "tangent-ad"
    module = "tangent"
    slow = True

    def __init__(self):
        self._cache = {}

    def prepare(self, problem, args, size):
        import tangent

        f = _TANGENT_FUNCS.get(problem.name, problem.func)
        if problem.name not in self._cache:
            try:
                self._cache[problem.name] = tangent.grad(f, wrt=problem.wrt_tuple, verbose=0)
            except Exception as exc:  # noqa: BLE001 - tangent-ad rejects what it cannot transform
                msg = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
                raise Skip(f"unsupported: {type(exc).__name__}: {msg}"[:120]) from exc
        df = self._cache[problem.name]
        multi = len(problem.wrt_tuple) > 1

        def run():
            return df(*args)

        def value():
            return float(f(*args))

        return Prepared(
            run, lambda g: [np.asarray(x, dtype=np.float64) for x in (g if multi else (g,))], value
        )


ALL_PEERS = [JaxUnrolled(), JaxFori(), JaxJit(), TorchEager(), HipsAutograd(), TangentAD()]
PEERS_BY_KEY = {p.key: p for p in ALL_PEERS}


def versions():
    """Installed versions of the peer packages (None when not installed)."""
    out = {}
    for dist, mod in (
        ("jax", "jax"),
        ("jaxlib", "jaxlib"),
        ("torch", "torch"),
        ("autograd", "autograd"),
        ("tangent-ad", "tangent"),
    ):
        if not installed(mod):
            out[dist] = None
            continue
        try:
            from importlib.metadata import version

            out[dist] = version(dist)
        except Exception:
            out[dist] = "installed"
    return out


__all__ = ["ALL_PEERS", "PEERS_BY_KEY", "JaxUnrolled", "Peer", "Prepared", "Skip", "versions"]
