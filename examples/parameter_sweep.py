"""Fit a model over a parameter sweep on a Dask cluster with tl.distributed.map_grad.

Eight data sets of a decaying signal y = a exp(-k t), one per decay rate k of the sweep,
are fitted at once: every iteration maps the compiled value-and-gradient of the loss
over the eight current parameter vectors on a two-worker LocalCluster (loopback), and
takes a gradient step for each (its length adapted: longer after a step that lowered the
loss, back and shorter after one that did not). Each worker builds the derivative once, from its pickled
form, and reuses it for every later iteration.

    pip install "tangentlike[dask]"
    python examples/parameter_sweep.py
"""

import numpy as np

import tangentlike as tl


def loss(theta, t, y):
    a, k = theta[0], theta[1]
    s = 0.0
    for i in range(t.shape[0]):
        r = a * np.exp(-k * t[i]) - y[i]
        s += r * r
    return s / t.shape[0]


def main():
    from dask.distributed import Client, LocalCluster

    rng = np.random.default_rng(0)
    t = np.linspace(0.0, 4.0, 60)
    rates = np.linspace(0.3, 1.5, 8)  # the sweep
    data = [2.0 * np.exp(-k * t) + 0.01 * rng.normal(size=t.shape) for k in rates]
    vg = tl.value_and_grad(loss, compile="numba")
    thetas = [np.array([1.0, 1.0]) for _ in rates]
    best = [(np.inf, None, None)] * len(rates)  # (loss, theta, gradient) per fit
    rate = [0.5] * len(rates)  # step sizes, adapted per fit
    with (
        LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address=":0",
        ) as cluster,
        Client(cluster) as client,
    ):
        for step in range(120):
            results = tl.distributed.map_grad(
                vg, [(th, t, y) for th, y in zip(thetas, data)], client
            )
            for j, (value, g) in enumerate(results):
                if value < best[j][0]:  # accepted: a longer step next time
                    best[j], rate[j] = (value, thetas[j], g), rate[j] * 1.2
                else:  # rejected: back, and a shorter step
                    rate[j] *= 0.5
                thetas[j] = best[j][1] - rate[j] * best[j][2]
    for k, (value, th, _) in zip(rates, best):
        print(f"true k = {k:.3f}   fitted a = {th[0]:.3f}, k = {th[1]:.3f}   loss {value:.2e}")


if __name__ == "__main__":  # Dask's workers import this file
    main()
