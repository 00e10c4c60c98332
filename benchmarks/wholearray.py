"""``python -m benchmarks.wholearray [--quick] [--rounds R]``: whole-array NumPy kernels.

Loop-free code written with slices, broadcasting and reductions, as people write it; the
compiled gradient (``compile="numba"``, fused by ``tangentlike/backends/fuse.py``) beside
the same gradient unfused, the Numba primal and JAX ``jit(grad)``, in one run. Each round
times every contestant once (best of 3 batches), interleaved, so the ratios of one round
share the machine's load; the table gives the medians over the rounds.
Targets (issue 13): gradient <= 3x the Numba primal, faster than JAX at n >= 1e5.
"""

import argparse
import statistics
import time

import numba
import numpy as np

import tangentlike as tl
from tangentlike.backends import numba_backend


def rosen(x):
    return np.sum(100 * (x[1:] - x[:-1] ** 2) ** 2 + (1 - x[:-1]) ** 2)


def softmax_ce(z, y):
    m = np.max(z)
    e = np.exp(z - m)
    s = np.sum(e)
    return np.log(s) + m - np.sum(y * z)


def heat_step(u, k):
    v = u[1:-1] + k * (u[2:] - 2.0 * u[1:-1] + u[:-2])
    return np.sum((v - 0.5) ** 2)


def _jax_kernels():
    import jax
    import jax.numpy as jnp

    jax.config.update("jax_enable_x64", True)

    def jrosen(x):
        return jnp.sum(100 * (x[1:] - x[:-1] ** 2) ** 2 + (1 - x[:-1]) ** 2)

    def jsoftmax(z, y):
        m = jnp.max(z)
        return jnp.log(jnp.sum(jnp.exp(z - m))) + m - jnp.sum(y * z)

    def jheat(u, k):
        v = u[1:-1] + k * (u[2:] - 2.0 * u[1:-1] + u[:-2])
        return jnp.sum((v - 0.5) ** 2)

    def wrap(f):
        g = jax.jit(jax.grad(f))
        return lambda *a: g(*a).block_until_ready()

    return {"rosen": wrap(jrosen), "softmax_ce": wrap(jsoftmax), "heat_step": wrap(jheat)}


def _inputs(name, n, rng):
    if name == "softmax_ce":
        return rng.normal(size=n), rng.normal(size=n)
    if name == "heat_step":
        return rng.normal(size=n), 0.3
    return (rng.normal(size=n),)


KERNELS = {"rosen": rosen, "softmax_ce": softmax_ce, "heat_step": heat_step}


def _best(fn, args, budget=0.05):
    fn(*args)
    t0, k = time.perf_counter(), 0
    while time.perf_counter() - t0 < budget:
        fn(*args)
        k += 1
    best = float("inf")
    for _ in range(3):
        t0 = time.perf_counter()
        for _ in range(k):
            fn(*args)
        best = min(best, (time.perf_counter() - t0) / k)
    return best


def _compiled(func, fuse, args):
    """A compiled gradient, its kind fixed to the Numba code (no NumPy tier)."""
    numba_backend.FUSE = fuse
    try:
        df = tl.grad(func, compile="numba")
        df._compiled().run_as = "numba"
        df(*args)
        df.wait_compiled()
        df(*args)
    finally:
        numba_backend.FUSE = True
    return df


def run(sizes, rounds, with_jax=True):
    rng = np.random.default_rng(0)
    jaxk = _jax_kernels() if with_jax else {}
    rows = []
    for name, func in KERNELS.items():
        primal = numba.njit(func)
        first = _inputs(name, 1000, rng)
        fused, unfused = _compiled(func, True, first), _compiled(func, False, first)
        for n in sizes:
            args = _inputs(name, n, rng)
            np.testing.assert_allclose(fused(*args), unfused(*args), rtol=1e-10, atol=1e-12)
            contestants = {"primal": primal, "fused": fused, "unfused": unfused}
            if name in jaxk:
                import jax.numpy as jnp

                jargs = tuple(jnp.asarray(a) for a in args)
                contestants["jax"] = lambda *a, g=jaxk[name], j=jargs: g(*j)
            times = {k: [] for k in contestants}
            for _ in range(rounds):
                for k, f in contestants.items():
                    times[k].append(_best(f, args))
            med = {k: statistics.median(v) for k, v in times.items()}
            ratio = {
                k: statistics.median(a / p for a, p in zip(v, times["primal"]))
                for k, v in times.items()
            }
            rows.append((name, n, med, ratio))
    return rows


def table(rows):
    head = (
        "| kernel | n | Numba primal | fused grad | x primal | unfused grad | x primal "
        "| JAX jit(grad) | fused / JAX |"
    )
    out = [head, "|" + "---|" * 9]
    for name, n, med, ratio in rows:
        jax_t = med.get("jax")
        out.append(
            f"| {name} | {n:g} | {med['primal'] * 1e6:.1f} us | {med['fused'] * 1e6:.1f} us "
            f"| {ratio['fused']:.2f}x | {med['unfused'] * 1e6:.1f} us | {ratio['unfused']:.2f}x "
            + (f"| {jax_t * 1e6:.1f} us | {med['fused'] / jax_t:.2f} |" if jax_t else "| - | - |")
        )
    return "\n".join(out)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="n = 1000 only, 3 rounds")
    ap.add_argument("--rounds", type=int, default=7)
    ap.add_argument("--no-jax", action="store_true")
    opts = ap.parse_args(argv)
    sizes = [1000] if opts.quick else [1000, 100000]
    rounds = 3 if opts.quick else opts.rounds
    print(table(run(sizes, rounds, with_jax=not opts.no_jax)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
