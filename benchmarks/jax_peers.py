"""The JAX peers: ``jax.jit(jax.grad(...))`` of the kernel with its loop unrolled by
tracing, rewritten with ``lax.fori_loop``, or (vectorized kernels) in ``jax.numpy``."""

import numpy as np

from .peer_base import Peer, Prepared, Skip
from .peer_kernels import peer_kernel, vectorized_kernel


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
            f = vectorized_kernel(problem, jnp)
        elif self.unrolled:
            if size > problem.unroll_max_size:
                raise Skip("skipped (unrolled: compile too slow)")
            f = peer_kernel(problem, "jax")
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
