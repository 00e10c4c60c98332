"""JAX versions of the real-world kernels (``realworld.py``) for the ``jax_fori`` peer.

Written the way a JAX user would: the time loop as ``lax.fori_loop`` (static trip
count, so reverse mode works), the inner loops over pairs, paths, grid points or tree
nodes as whole-array operations (what JAX is good at). Same inputs, same value.
"""

import math

import numpy as np


def kernels():
    import jax
    import jax.numpy as jnp
    from jax import lax

    def pair_lists(n):
        ii, jj = np.triu_indices(n, k=1)
        return jnp.asarray(ii), jnp.asarray(jj)

    def lj_helper(pos):
        ii, jj = pair_lists(pos.shape[0])
        d = pos[ii] - pos[jj]
        r2 = jnp.sum(d * d, axis=1)
        inv6 = 1.0 / (r2 * r2 * r2)
        return jnp.sum(4.0 * (inv6 * inv6 - inv6))

    def lj_periodic(pos, box):
        ii, jj = pair_lists(pos.shape[0])
        d = pos[ii] - pos[jj]
        d = d - box * jnp.round(d / box)
        r2 = jnp.sum(d * d, axis=1)
        s6 = 1.0 / (r2 * r2 * r2)
        return jnp.sum(4.0 * (s6 * s6 - s6))

    def binomial_call(S0, sigma, r, K, T, n):
        dt = T / n
        u = jnp.exp(sigma * jnp.sqrt(dt))
        d = 1.0 / u
        p = (jnp.exp(r * dt) - d) / (u - d)
        disc = jnp.exp(-r * dt)
        j = jnp.arange(n + 1)
        v = jnp.maximum(S0 * u**j * d ** (n - j) - K, 0.0)

        def step(k, v):
            i = n - 1 - k
            new = disc * (p * jnp.roll(v, -1) + (1.0 - p) * v)
            return jnp.where(j <= i, new, v)

        return lax.fori_loop(0, n, step, v)[0]

    def rk4_pendulums(y0, k, c, dt, n_steps):
        m = y0.shape[0] // 2

        def rhs(y):
            th, om = y[:m], y[m:]
            acc = -jnp.sin(th) - c * om
            left = jnp.concatenate([jnp.zeros(1), th[:-1] - th[1:]])
            right = jnp.concatenate([th[1:] - th[:-1], jnp.zeros(1)])
            return jnp.concatenate([om, acc + k * (left + right)])

        def step(_, y):
            k1 = rhs(y)
            k2 = rhs(y + 0.5 * dt * k1)
            k3 = rhs(y + 0.5 * dt * k2)
            k4 = rhs(y + dt * k3)
            return y + dt / 6.0 * (k1 + 2.0 * k2 + 2.0 * k3 + k4)

        y = lax.fori_loop(0, n_steps, step, y0)
        return jnp.sum(y * y)

    def verlet_md(x0, v0, kspring, alpha, dt, n_steps):
        def forces(x):
            s = x[1:] - x[:-1] - 1.0
            t = kspring * s + alpha * s * s * s
            return jnp.concatenate([t, jnp.zeros(1)]) - jnp.concatenate([jnp.zeros(1), t])

        def step(_, state):
            x, v, f = state
            v = v + 0.5 * dt * f
            x = x + dt * v
            f = forces(x)
            return x, v + 0.5 * dt * f, f

        x, v, _ = lax.fori_loop(0, n_steps, step, (x0, v0, forces(x0)))
        return jnp.sum(x * x) + jnp.sum(v * v)

    def heat_explicit(u0, alpha, n_steps):
        def step(_, u):
            inner = u[1:-1] + alpha * (u[:-2] - 2.0 * u[1:-1] + u[2:])
            return jnp.concatenate([jnp.zeros(1), inner, jnp.zeros(1)])

        u = lax.fori_loop(0, n_steps, step, u0)
        return jnp.sum(u * u)

    def kalman_loglik(q, r, obs):
        def step(t, carry):
            x, P, ll = carry
            P = P + q
            S = P + r
            innov = obs[t] - x
            K = P / S
            x = x + K * innov
            P = (1.0 - K) * P
            ll = ll - 0.5 * (jnp.log(2.0 * math.pi * S) + innov * innov / S)
            return x, P, ll

        init = (obs[0], jnp.asarray(1.0), jnp.asarray(0.0))
        return lax.fori_loop(1, obs.shape[0], step, init)[2]

    def mc_asian(S0, sigma, r, K, T, Z):
        n_steps = Z.shape[1]
        dt = T / n_steps
        drift = (r - 0.5 * sigma * sigma) * dt
        vol = sigma * jnp.sqrt(dt)
        S = S0 * jnp.exp(jnp.cumsum(drift + vol * Z, axis=1))
        payoff = jnp.maximum(jnp.mean(S, axis=1) - K, 0.0)
        return jnp.exp(-r * T) * jnp.mean(payoff)

    del jax
    return {
        "lj_helper": lj_helper,
        "lj_periodic": lj_periodic,
        "binomial": binomial_call,
        "rk4_array": rk4_pendulums,
        "verlet": verlet_md,
        "heat_pde": heat_explicit,
        "kalman": kalman_loglik,
        "mc_asian": mc_asian,
    }
