"""GPU benchmark: batched gradients, one CUDA thread per row.

    python -m benchmarks.gpu [--quick] [--rows 100000,1000000] [--json PATH]

For three per-row models (a damped pendulum integrated with RK4, a Black-Scholes price,
an extended Rosenbrock function of a 16-vector) it times

* ``tl.cuda.batch_grad`` on the GPU (device arrays in and out: kernel time), and with
  host arrays (transfers included);
* the Numba CPU path: the same generated adjoint, ``compile="numba"``, called for every
  row from a compiled loop on one core;
* ``jax.jit(jax.vmap(jax.grad(f)))`` on whatever device JAX has (its CUDA build on a GPU
  machine; the table says which).

Every gradient is checked against the Numba CPU path (1e-10 relative). Without a GPU it
runs on Numba's CUDA simulator at tiny sizes, which checks the script, not the speed.
"""

import argparse
import datetime
import json
import math
import os
import platform
import sys
import time

if not os.path.exists("/dev/nvidiactl"):
    os.environ.setdefault("NUMBA_ENABLE_CUDASIM", "1")

import numba
import numpy as np

import tangentlike as tl

SIMULATED = os.environ.get("NUMBA_ENABLE_CUDASIM") == "1"


# ---------------------------------------------------------------- the models
def pendulum(p, nsteps, dt):
    """Damped pendulum (theta0, omega0, length, damping), RK4; loss on the end state."""
    theta, omega, length, c = p[0], p[1], p[2], p[3]
    g = 9.81
    for k in range(nsteps):
        a1 = omega
        b1 = -g / length * math.sin(theta) - c * omega
        a2 = omega + 0.5 * dt * b1
        b2 = -g / length * math.sin(theta + 0.5 * dt * a1) - c * a2
        a3 = omega + 0.5 * dt * b2
        b3 = -g / length * math.sin(theta + 0.5 * dt * a2) - c * a3
        a4 = omega + dt * b3
        b4 = -g / length * math.sin(theta + dt * a3) - c * a4
        theta = theta + dt / 6.0 * (a1 + 2.0 * a2 + 2.0 * a3 + a4)
        omega = omega + dt / 6.0 * (b1 + 2.0 * b2 + 2.0 * b3 + b4)
    return (theta - 0.5) ** 2 + 0.1 * omega**2


def black_scholes(p, r):
    S, K, T, sigma = p[0], p[1], p[2], p[3]
    d1 = (math.log(S / K) + (r + 0.5 * sigma * sigma) * T) / (sigma * math.sqrt(T))
    d2 = d1 - sigma * math.sqrt(T)
    N1 = 0.5 * (1.0 + math.erf(d1 / math.sqrt(2.0)))
    N2 = 0.5 * (1.0 + math.erf(d2 / math.sqrt(2.0)))
    return S * N1 - K * math.exp(-r * T) * N2


def rosenbrock(x):
    s = 0.0
    for i in range(x.shape[0] - 1):
        s += 100.0 * (x[i + 1] - x[i] ** 2) ** 2 + (1.0 - x[i]) ** 2
    return s


def _rows(name, n, rng):
    if name == "pendulum":
        return np.column_stack(
            [
                rng.uniform(-1, 1, n),
                rng.uniform(-1, 1, n),
                rng.uniform(0.5, 2.0, n),
                rng.uniform(0.0, 0.3, n),
            ]
        )
    if name == "black_scholes":
        return np.column_stack(
            [
                rng.uniform(80, 120, n),
                rng.uniform(80, 120, n),
                rng.uniform(0.25, 2.0, n),
                rng.uniform(0.1, 0.5, n),
            ]
        )
    return rng.uniform(-1.5, 1.5, (n, 16))


MODELS = {
    "pendulum": (pendulum, (100, 0.01)),
    "black_scholes": (black_scholes, (0.03,)),
    "rosenbrock": (rosenbrock, ()),
}


# ---------------------------------------------------------------- JAX versions
def _jax_models():
    import jax
    import jax.numpy as jnp

    jax.config.update("jax_enable_x64", True)

    def pendulum_j(p, nsteps, dt):
        g = 9.81

        def body(k, s):
            theta, omega = s
            length, c = p[2], p[3]
            a1 = omega
            b1 = -g / length * jnp.sin(theta) - c * omega
            a2 = omega + 0.5 * dt * b1
            b2 = -g / length * jnp.sin(theta + 0.5 * dt * a1) - c * a2
            a3 = omega + 0.5 * dt * b2
            b3 = -g / length * jnp.sin(theta + 0.5 * dt * a2) - c * a3
            a4 = omega + dt * b3
            b4 = -g / length * jnp.sin(theta + dt * a3) - c * a4
            return (
                theta + dt / 6.0 * (a1 + 2.0 * a2 + 2.0 * a3 + a4),
                omega + dt / 6.0 * (b1 + 2.0 * b2 + 2.0 * b3 + b4),
            )

        theta, omega = jax.lax.fori_loop(0, nsteps, body, (p[0], p[1]))
        return (theta - 0.5) ** 2 + 0.1 * omega**2

    def bs_j(p, r):
        S, K, T, sigma = p[0], p[1], p[2], p[3]
        d1 = (jnp.log(S / K) + (r + 0.5 * sigma * sigma) * T) / (sigma * jnp.sqrt(T))
        d2 = d1 - sigma * jnp.sqrt(T)
        N1 = 0.5 * (1.0 + jax.scipy.special.erf(d1 / jnp.sqrt(2.0)))
        N2 = 0.5 * (1.0 + jax.scipy.special.erf(d2 / jnp.sqrt(2.0)))
        return S * N1 - K * jnp.exp(-r * T) * N2

    def rosen_j(x):
        return jnp.sum(100.0 * (x[1:] - x[:-1] ** 2) ** 2 + (1.0 - x[:-1]) ** 2)

    return jax, {"pendulum": pendulum_j, "black_scholes": bs_j, "rosenbrock": rosen_j}


# ---------------------------------------------------------------- timing
def best_of(call, reps):
    call()
    best = math.inf
    for _ in range(reps):
        t0 = time.perf_counter()
        call()
        best = min(best, time.perf_counter() - t0)
    return best


def cpu_batch(f):
    """The Numba CPU path: the generated adjoint called for each row from compiled code."""
    # df.compiled takes the arguments and gives the gradient, as df does (the generated
    # entry itself drops the value where it is a proven scalar, as for Rosenbrock)
    grad_row = tl.grad(f, compile="numba").compiled

    @numba.njit
    def run(X, rest, G):
        for i in range(X.shape[0]):
            G[i] = grad_row(X[i], *rest)
        return G

    return lambda X, rest: run(X, rest, np.empty_like(X))


def bench(name, n, reps, jax_bundle):
    from numba import cuda

    f, rest = MODELS[name]
    X = _rows(name, n, np.random.default_rng(0))
    g = tl.cuda.batch_grad(f)
    rec = {"model": name, "rows": n}
    t0 = time.perf_counter()
    G = g(X, *rest)
    rec["first_call_s"] = time.perf_counter() - t0
    Xd = cuda.to_device(X)

    def on_device():
        g(Xd, *rest)
        cuda.synchronize()

    rec["gpu_s"] = best_of(on_device, reps)
    rec["gpu_host_arrays_s"] = best_of(lambda: g(X, *rest), reps)
    cpu = cpu_batch(f)
    Gc = cpu(X, tuple(rest))
    rec["cpu_s"] = best_of(lambda: cpu(X, tuple(rest)), reps)
    rec["max_rel_diff_vs_cpu"] = float(np.max(np.abs(G - Gc) / (1e-300 + np.abs(Gc) + 1e-12)))
    if jax_bundle is not None:
        jax, models = jax_bundle
        jg = jax.jit(
            jax.vmap(jax.grad(models[name]), in_axes=(0,) + (None,) * len(rest)),
            static_argnums=tuple(range(1, 1 + len(rest))) if name == "pendulum" else (),
        )
        Xj = jax.device_put(X)
        Gj = np.asarray(jg(Xj, *rest))
        rec["jax_s"] = best_of(lambda: jg(Xj, *rest).block_until_ready(), reps)
        rec["jax_device"] = str(jax.devices()[0])
        rec["max_rel_diff_jax"] = float(np.max(np.abs(Gj - Gc) / (np.abs(Gc) + 1e-12)))
    return rec


def fmt(t):
    return "-" if t is None else (f"{t * 1e3:.2f} ms" if t < 1 else f"{t:.2f} s")


def table(recs):
    head = (
        "| model | rows | GPU (device arrays) | GPU (host arrays) | Numba CPU, 1 core | "
        "CPU / GPU | JAX jit(vmap(grad)) | JAX device | max rel. diff vs CPU |"
    )
    lines = [head, "|" + "---|" * 9]
    for r in recs:
        lines.append(
            f"| {r['model']} | {r['rows']:,} | {fmt(r['gpu_s'])} | "
            f"{fmt(r['gpu_host_arrays_s'])} | {fmt(r['cpu_s'])} | "
            f"{r['cpu_s'] / r['gpu_s']:.1f}x | {fmt(r.get('jax_s'))} | "
            f"{r.get('jax_device', 'not installed')} | "
            f"{r['max_rel_diff_vs_cpu']:.1e} |"
        )
    return "\n".join(lines)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="small batches, few repetitions")
    ap.add_argument("--rows", default=None, help="comma-separated batch sizes")
    ap.add_argument("--json", default=None, help="write the results here")
    ap.add_argument("--no-jax", action="store_true")
    a = ap.parse_args(argv)
    if a.rows:
        sizes = [int(s) for s in a.rows.split(",")]
    elif SIMULATED or a.quick:
        sizes = [256] if SIMULATED else [10_000]
    else:
        sizes = [100_000, 1_000_000]
    reps = 1 if SIMULATED else (3 if a.quick else 7)
    jax_bundle = None
    if not a.no_jax:
        try:
            jax_bundle = _jax_models()
        except ImportError:
            pass
    from numba import cuda

    gpu = "CUDA simulator (timings meaningless)" if SIMULATED else cuda.get_current_device().name
    gpu = gpu.decode() if isinstance(gpu, bytes) else gpu
    print(
        f"# tangentlike GPU benchmark, {datetime.date.today()}, {gpu}, "
        f"CPU: {platform.processor() or platform.machine()} ({os.cpu_count()} cores)"
    )
    recs = []
    for name in MODELS:
        for n in sizes:
            recs.append(bench(name, n, reps, jax_bundle))
            print(f"  {name} {n}: done", file=sys.stderr, flush=True)
    print(table(recs))
    bad = [r for r in recs if not r["max_rel_diff_vs_cpu"] < 1e-10]
    if a.json:
        with open(a.json, "w") as fh:
            json.dump(
                {"date": str(datetime.date.today()), "gpu": gpu, "results": recs}, fh, indent=1
            )
    if bad:
        print("GPU gradients differ from the CPU path:", [r["model"] for r in bad])
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
