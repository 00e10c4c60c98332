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

import importlib.util

import numpy as np


class Skip(Exception):
    """A peer cannot or should not run this problem/size; the message says why."""


def _installed(module):
    try:
        return importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):
        return False


# ---------------------------------------------------------------------------
# Generic kernel variants (sqrt supplied by the tool) and tangent-ad copies
# ---------------------------------------------------------------------------


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


def _vectorized_kernel(problem, xp):
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


def _peer_kernel(problem, tool):
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


def _split(problem, args):
    """(values of differentiated args, function rebuilding the full argument list)."""
    wrt = problem.wrt_tuple

    def rebuild(wrt_vals):
        full = list(args)
        for k, i in enumerate(wrt):
            full[i] = wrt_vals[k]
        return full

    return tuple(args[i] for i in wrt), rebuild


class Prepared:
    """A peer's gradient for one problem instance.

    run():    one gradient evaluation, finished (blocked) before returning.
    grads():  the gradient of the last run() (or of a new one) as a list of NumPy
              values, one per differentiated argument.
    value():  the peer's own loss value (float).
    """

    def __init__(self, run, convert, value):
        self._run = run
        self._convert = convert
        self._value = value
        self._last = None

    def run(self):
        self._last = self._run()
        return self._last

    def grads(self):
        return self._convert(self._last if self._last is not None else self._run())

    def value(self):
        return self._value()


class Peer:
    key = ""
    label = ""
    module = ""
    jit = False  # has a compile step on the first call
    slow = False  # interpreted per-scalar-op overhead on loop kernels: extrapolate and
    # cap, skip in --quick (whole-array kernels run them directly)
    kinds = ("loop", "vectorized")  # the kinds of kernel this peer has a version of

    def available(self):
        return _installed(self.module)

    def applies(self, problem):
        return problem.kind in self.kinds

    def prepare(self, problem, args, size):
        raise NotImplementedError


# ---------------------------------------------------------------------------
# JAX
# ---------------------------------------------------------------------------

_jax_ready = False


def _jax():
    global _jax_ready
    import jax

    if not _jax_ready:
        jax.config.update("jax_enable_x64", True)
        _jax_ready = True
    return jax


def _jax_fori_kernel(problem, args):
    """(function of the full argument list, extra prepared constants)."""
    _jax()  # raises a clear error where JAX is missing
    import jax.numpy as jnp
    from jax import lax

    if getattr(problem, "section", None) == "real-world":
        from .realworld_jax import kernels

        return kernels()[problem.name]

    if problem.name == "thermal":

        def f(heat, T0, R, C, dt):
            def body(t, carry):
                T, cost = carry
                T = T + dt * ((10.0 - T) / (R * C) + heat[t] / C)
                cost = cost + 0.2 * heat[t] + (T - 21.0) ** 2
                return T, cost

            init = (jnp.asarray(T0, jnp.float64), jnp.asarray(0.0, jnp.float64))
            return lax.fori_loop(0, heat.shape[0], body, init)[1]

        return f

    if problem.name == "lorenz":

        def f(sigma, rho, beta, x0, y0, z0, dt, n_steps):
            def rhs(x, y, z):
                return sigma * (y - x), x * (rho - z) - y, x * y - beta * z

            def body(step, carry):
                x, y, z, loss = carry
                k1x, k1y, k1z = rhs(x, y, z)
                k2x, k2y, k2z = rhs(x + 0.5 * dt * k1x, y + 0.5 * dt * k1y, z + 0.5 * dt * k1z)
                k3x, k3y, k3z = rhs(x + 0.5 * dt * k2x, y + 0.5 * dt * k2y, z + 0.5 * dt * k2z)
                k4x, k4y, k4z = rhs(x + dt * k3x, y + dt * k3y, z + dt * k3z)
                x = x + dt / 6.0 * (k1x + 2.0 * k2x + 2.0 * k3x + k4x)
                y = y + dt / 6.0 * (k1y + 2.0 * k2y + 2.0 * k3y + k4y)
                z = z + dt / 6.0 * (k1z + 2.0 * k2z + 2.0 * k3z + k4z)
                return x, y, z, loss + dt * (x * x + y * y + z * z)

            init = tuple(jnp.asarray(v, jnp.float64) for v in (x0, y0, z0, 0.0))
            return lax.fori_loop(0, n_steps, body, init)[3]

        return f

    if problem.name == "lj":
        n = args[0].shape[0]
        ii, jj = np.triu_indices(n, k=1)
        ii = jnp.asarray(ii, jnp.int32)
        jj = jnp.asarray(jj, jnp.int32)

        def f(pos):
            def body(k, energy):
                a = pos[ii[k]]
                b = pos[jj[k]]
                d = a - b
                r = jnp.sqrt(d[0] * d[0] + d[1] * d[1] + d[2] * d[2])
                sr6 = (1.0 / r) ** 6
                return energy + 4.0 * (sr6 * sr6 - sr6)

            return lax.fori_loop(0, ii.shape[0], body, jnp.asarray(0.0, jnp.float64))

        return f

    if problem.name == "rosenbrock":

        def f(x):
            def body(i, s):
                return s + 100.0 * (x[i + 1] - x[i] ** 2) ** 2 + (1.0 - x[i]) ** 2

            return lax.fori_loop(0, x.shape[0] - 1, body, jnp.asarray(0.0, jnp.float64))

        return f

    raise Skip(f"no JAX version of {problem.name}")


class _JaxPeer(Peer):
    module = "jax"
    jit = True
    unrolled = False
    vectorized = False
    kinds = ("loop",)

    def prepare(self, problem, args, size):
        jax = _jax()
        import jax.numpy as jnp

        if self.vectorized:
            f = _vectorized_kernel(problem, jnp)
        elif self.unrolled:
            if size > problem.unroll_max_size:
                raise Skip("skipped (unrolled: compile too slow)")
            f = _peer_kernel(problem, "jax")
        else:
            f = _jax_fori_kernel(problem, args)

        # Python ints (loop counts) must stay static; everything else is traced.
        static = tuple(i for i, a in enumerate(args) if isinstance(a, (int, np.integer)))
        jargs = [a if i in static else jnp.asarray(a, jnp.float64) for i, a in enumerate(args)]
        gfun = jax.jit(jax.grad(f, argnums=problem.wrt_tuple), static_argnums=static)
        vfun = jax.jit(f, static_argnums=static)

        def run():
            return jax.block_until_ready(gfun(*jargs))

        def value():
            return float(vfun(*jargs))

        return Prepared(run, lambda g: [np.asarray(x) for x in g], value)


class JaxUnrolled(_JaxPeer):
    key = "jax_unrolled"
    label = "JAX jit(grad), unrolled loop"
    unrolled = True


class JaxFori(_JaxPeer):
    key = "jax_fori"
    label = "JAX jit(grad), lax.fori_loop"


class JaxJit(_JaxPeer):
    key = "jax"
    label = "JAX jit(grad)"
    vectorized = True
    kinds = ("vectorized",)


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
            f = _vectorized_kernel(problem, torch)
        else:
            f = _peer_kernel(problem, "torch")
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
            f = _vectorized_kernel(problem, anp)
        else:
            f = _peer_kernel(problem, "autograd")
        wrt_vals, rebuild = _split(problem, args)

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
        if not _installed(mod):
            out[dist] = None
            continue
        try:
            from importlib.metadata import version

            out[dist] = version(dist)
        except Exception:
            out[dist] = "installed"
    return out


__all__ = ["ALL_PEERS", "PEERS_BY_KEY", "Peer", "Prepared", "Skip", "versions"]
