"""Greeks for a batch of European call options on the GPU, one thread per option.

    python examples/option_greeks.py            # real GPU if there is one, else the simulator

The price is plain scalar Python; tangentlike writes its adjoint as CUDA device code and
runs one thread per option. The Greeks are checked against the Black-Scholes closed
forms (an independent reference, not the derivative checked against itself).
"""

import math
import os
import sys
import time

if not os.path.exists("/dev/nvidiactl"):  # no GPU: Numba's CUDA simulator
    os.environ.setdefault("NUMBA_ENABLE_CUDASIM", "1")

import numpy as np

import tangentlike as tl


def call_price(p):
    """Black-Scholes price of a European call; p = (spot, strike, maturity, vol, rate)."""
    S, K, T, sigma, r = p[0], p[1], p[2], p[3], p[4]
    sqrt_T = math.sqrt(T)
    d1 = (math.log(S / K) + (r + 0.5 * sigma * sigma) * T) / (sigma * sqrt_T)
    d2 = d1 - sigma * sqrt_T
    N1 = 0.5 * (1.0 + math.erf(d1 / math.sqrt(2.0)))
    N2 = 0.5 * (1.0 + math.erf(d2 / math.sqrt(2.0)))
    return S * N1 - K * math.exp(-r * T) * N2


def closed_form_greeks(P):
    S, K, T, sigma, r = P.T
    d1 = (np.log(S / K) + (r + 0.5 * sigma**2) * T) / (sigma * np.sqrt(T))
    d2 = d1 - sigma * np.sqrt(T)

    def N(v):
        return 0.5 * (1.0 + np.vectorize(math.erf)(v / math.sqrt(2.0)))

    phi = np.exp(-0.5 * d1**2) / math.sqrt(2 * math.pi)
    disc = np.exp(-r * T)
    return np.column_stack(
        [
            N(d1),  # delta  dC/dS
            -disc * N(d2),  # dC/dK
            S * phi * sigma / (2 * np.sqrt(T)) + r * K * disc * N(d2),  # dC/dT (minus theta)
            S * phi * np.sqrt(T),  # vega   dC/dsigma
            K * T * disc * N(d2),  # rho    dC/dr
        ]
    )


def main():
    simulated = os.environ.get("NUMBA_ENABLE_CUDASIM") == "1"
    n = 512 if simulated else 1_000_000
    rng = np.random.default_rng(7)
    P = np.column_stack(
        [
            rng.uniform(80, 120, n),
            rng.uniform(80, 120, n),
            rng.uniform(0.25, 2.0, n),
            rng.uniform(0.1, 0.5, n),
            rng.uniform(0.0, 0.05, n),
        ]
    )
    greeks = tl.cuda.batch_value_and_grad(call_price)
    print("Generated CUDA code (abridged):\n")
    src = tl.source(greeks)
    print("\n".join(src.splitlines()[:40]) + "\n    ...\n")
    t0 = time.perf_counter()
    prices, G = greeks(P)
    t1 = time.perf_counter()
    prices, G = greeks(P)
    t2 = time.perf_counter()
    ref = closed_form_greeks(P)
    err = np.max(np.abs(G - ref) / (1.0 + np.abs(ref)))
    print(
        f"{n} options on {'the CUDA simulator' if simulated else 'the GPU'}: "
        f"first call {t1 - t0:.2f} s (code generation + compile), then {t2 - t1:.4f} s"
    )
    print(
        "option 0: price %.4f  delta %.4f  dC/dK %.4f  dC/dT %.4f  vega %.4f  rho %.4f"
        % (prices[0], *G[0])
    )
    print(f"largest difference from the closed-form Greeks: {err:.2e}")
    if not err < 1e-9:
        print("EXAMPLE FAILED")
        return 1
    print("EXAMPLE PASSED")
    return 0


if __name__ == "__main__":
    sys.exit(main())
