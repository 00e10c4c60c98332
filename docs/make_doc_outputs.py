"""Print every code listing and number quoted in the docs/ pages.

Run from the repository root:

    python docs/make_doc_outputs.py              # all pages
    python docs/make_doc_outputs.py reverse      # one page: reverse, forward, higher,
                                                 # custom, sna

Generated sources are printed as ``tl.source`` returns them, except that the import
block at the top (the helpers each function uses) is shown as one ``...`` line.
Timings depend on the machine; the pages quote one run and name the machine.
"""

import math
import os
import platform
import sys
import timeit

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import tangentlike as tl  # noqa: E402
from docs import examples_for_docs as E  # noqa: E402

np.set_printoptions(precision=8, suppress=True)


def show(obj):
    """tl.source(...) without the import block."""
    src = obj if isinstance(obj, str) else tl.source(obj)
    out, skipped, wrapped = [], False, False
    for ln in src.splitlines():
        if ln.startswith(("import ", "from ")) or wrapped:
            code = ln.split("#")[0].rstrip()
            wrapped = code.endswith("(") or (wrapped and not code.endswith(")"))
            if not skipped:
                out.append("...")
                skipped = True
            continue
        out.append(ln)
    print("\n".join(out).strip("\n"))
    print()


def title(s):
    print("=" * 8, s, "=" * 8)


# ---------------------------------------------------------------------------------
def reverse():
    title("reverse: tl.source(tl.grad(simulate))")
    dsim = tl.grad(E.simulate)
    show(dsim)

    args = (np.ones(1000), 18.0, 2.0, 5.0, 0.1)
    title("reverse: gradient w.r.t. heat, first/last entries")
    g = dsim(*args)
    print(g.shape, g[:3], g[-3:])
    title("reverse: all four parameters")
    gh, gT0, gR, gC = tl.grad(E.simulate, wrt=(0, 1, 2, 3))(*args)
    print("dcost/dT0 =", gT0, " dcost/dR =", gR, " dcost/dC =", gC)
    title("reverse: check_grads")
    print(tl.check_grads(E.simulate, (np.linspace(0.0, 2.0, 50), 18.0, 2.0, 5.0, 0.1)))
    title("reverse: tape_stats")
    print("n = 1000: ", dsim.tape_stats(*args))
    print("n = 10000:", dsim.tape_stats(np.ones(10000), 18.0, 2.0, 5.0, 0.1))

    title("reverse: tl.vjp(trajectory, wrt=(0, 1))")
    vt = tl.vjp(E.trajectory, wrt=(0, 1))
    show(vt)
    small = (np.ones(5), 18.0, 2.0, 5.0, 0.1)
    dy = np.array([0.0, 0.0, 0.0, 0.0, 1.0])  # cotangent: pick the last temperature
    print("vjp with dy = e_4:", vt(*small, dy))
    print("tape_stats (dy last):", vt.tape_stats(*small, dy))

    title("reverse: numba timing")
    import numba

    big = (np.ones(10000), 18.0, 2.0, 5.0, 0.1)
    fast = tl.grad(E.simulate, compile="numba")
    fast4 = tl.grad(E.simulate, wrt=(0, 1, 2, 3), compile="numba")
    primal = numba.njit(E.simulate)
    primal(*big), fast(*big), fast4(*big)  # compile / warm up
    diff = np.max(np.abs(fast(*big) - dsim(*big))) / np.max(np.abs(fast(*big)))
    print(f"max relative difference compiled vs plain Python: {diff:.1e}")

    def best(fn):
        return min(timeit.repeat(lambda: fn(*big), number=200, repeat=7)) / 200

    tp, tg, tg4 = best(primal), best(fast), best(fast4)
    tpy = min(timeit.repeat(lambda: dsim(*big), number=3, repeat=3)) / 3
    print(
        f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"numba {numba.__version__}, numpy {np.__version__}"
    )
    print("n = 10000 steps, best of 7 x 200 calls:")
    print(f"  numba.njit(simulate)                 {tp * 1e6:8.1f} us")
    print(f"  tl.grad(simulate, compile='numba')   {tg * 1e6:8.1f} us  ({tg / tp:.1f}x primal)")
    print(f"  same, wrt=(0, 1, 2, 3)               {tg4 * 1e6:8.1f} us  ({tg4 / tp:.1f}x primal)")
    print(f"  tl.grad(simulate), plain Python      {tpy * 1e6:8.1f} us  ({tpy / tp:.0f}x primal)")


# ---------------------------------------------------------------------------------
def forward():
    title("forward: tl.jvp(simulate)")
    jsim = tl.jvp(E.simulate)
    show(jsim)
    args = (np.ones(1000), 18.0, 2.0, 5.0, 0.1)
    v = np.zeros(1000)
    v[0] = 1.0
    val, dval = jsim(*args, v)
    print(
        "value",
        val,
        " directional derivative along e_0",
        dval,
        " grad[0]",
        tl.grad(E.simulate)(*args)[0],
    )

    title("forward: jvp(sin_only)")
    show(tl.jvp(E.sin_only))
    print(tl.jvp(E.sin_only)(0.5, 1.0))
    title("forward: grad(sin_only)")
    show(tl.grad(E.sin_only))

    title("forward: jvp(shared, wrt=(0, 1))")
    js = tl.jvp(E.shared, wrt=(0, 1))
    show(js)
    p1, p2 = np.array([0.1, 0.2]), np.array([1.0, 2.0])
    print(js(p1, p2, np.array([1.0, 0.0]), np.zeros(2)))
    title("forward: jacfwd(shared) vs jacrev")
    print(tl.jacfwd(E.shared)(p1, p2), tl.jacrev(E.shared)(p1, p2))


# ---------------------------------------------------------------------------------
def higher():
    x = 0.7
    title("higher: cubic_sin derivatives at 0.7")
    d1 = tl.grad(E.cubic_sin)(x)
    d2 = tl.grad(tl.grad(E.cubic_sin))(x)
    d3 = tl.grad(tl.grad(tl.grad(E.cubic_sin)))(x)
    exact3 = 6 * math.sin(x) + 18 * x * math.cos(x) - 9 * x**2 * math.sin(x) - x**3 * math.cos(x)
    print("f'  =", d1)
    print("f'' =", d2)
    print("f'''=", d3, " by hand:", exact3)
    title("higher: tl.source(tl.grad(tl.grad(cubic_sin)))")
    show(tl.grad(tl.grad(E.cubic_sin)))

    title("higher: hessian / hvp of quartic at (1, 2, 3)")
    xv = np.array([1.0, 2.0, 3.0])
    print(tl.hessian(E.quartic)(xv))
    v = np.array([1.0, 0.0, -1.0])
    print("hvp:", tl.hvp(E.quartic)(xv, v), " H @ v:", tl.hessian(E.quartic)(xv) @ v)
    print("jvp(grad):", tl.jvp(tl.grad(E.quartic))(xv, v))
    hv = tl.hvp(E.quartic)
    show(hv.source)

    title("higher: mixed partials of sum(X X Y)")
    X = np.array([[1.0, 2.0], [2.0, -1.0]])
    Y = np.array([[0.5, 1.0], [1.0, 3.0]])
    gX = tl.grad(E.matrix_fn, wrt=0)
    print("d f / dX =\n", gX(X, Y))
    J = tl.jacobian(gX, wrt=1)(X, Y)
    print("J.shape =", J.shape)
    print(J)
    fd = np.zeros((2, 2, 2, 2))
    h = 1e-6
    for idx in np.ndindex(2, 2):
        e = np.zeros((2, 2))
        e[idx] = h
        fd[..., idx[0], idx[1]] = (gX(X, Y + e) - gX(X, Y - e)) / (2 * h)
    print("J matches finite differences to 1e-6:", np.max(np.abs(J - fd)) < 1e-6)
    title("higher: trace version")
    try:
        tl.grad(E.matrix_fn_trace, wrt=0)
    except tl.TangentlikeError as exc:
        print("TangentlikeError:", exc)
    gXt = tl.grad(E.matrix_fn_trace_loop, wrt=0)
    print("d tr(XXY) / dX =\n", gXt(X, Y), "\n(XY)^T + (YX)^T =\n", (X @ Y).T + (Y @ X).T)
    Jt = tl.jacobian(gXt, wrt=1)(X, Y)
    print("sum_i J[i, i, :, :] =\n", np.einsum("iikl->kl", Jt), "\n2 X^T =\n", 2 * X.T)
    show(tl.jvp(gX, wrt=1).source if hasattr(tl.jvp(gX, wrt=1), "source") else "")

    title("higher: seed 3x3 jacobian")
    x3 = np.array([1.0, 2.0, 3.0])
    print("reverse:\n", tl.jacobian(E.f3, mode="reverse")(x3))
    print("forward:\n", tl.jacobian(E.f3, mode="forward")(x3))
    show(tl.vjp(E.f3))
    title("higher: vjp of x^2 + sqrt(x)")
    xs = np.arange(1, 1.8, 0.1)
    print(tl.vjp(E.sq_plus_sqrt)(xs, np.ones_like(xs)))
    print(2 * xs + 0.5 / np.sqrt(xs))


# ---------------------------------------------------------------------------------
def custom():
    title("custom: root")
    print("root(2.0) =", E.root(2.0))
    print("grad(root)(2.0) =", tl.grad(E.root)(2.0))
    print("grad(uses_root)(2.0) =", tl.grad(E.uses_root)(2.0))
    print("grad(root, compile='numba')(2.0) =", tl.grad(E.root, compile="numba")(2.0))
    show(tl.grad(E.uses_root))
    title("custom: root_plain without a rule")
    print("grad(root_plain)(2.0) =", tl.grad(E.root_plain)(2.0))
    show(tl.grad(E.root_plain))
    try:
        tl.check_grads(E.root_plain, (2.0,))
    except AssertionError as exc:
        print("AssertionError:", exc)

    title("custom: custom_jvp")
    print(tl.jvp(E.sin_times, wrt=(0, 1))(2.0, 3.0, 1.0, 0.0))
    j = tl.jvp(E.uses_sin_times, wrt=(0, 1))
    show(j)
    print(j(2.0, 3.0, 1.0, 0.0))
    try:
        tl.grad(E.sin_times)
    except tl.TangentlikeError as exc:
        print("TangentlikeError:", exc)

    title("custom: stop_gradient")
    x = np.arange(4.0)
    show(tl.grad(E.detached))
    print("grad(detached)     =", tl.grad(E.detached)(x), " x*x =", x * x)
    print("grad(not_detached) =", tl.grad(E.not_detached)(x), " 3*x*x =", 3 * x * x)

    title("custom: float32 ratio")
    g = tl.grad(E.ratio, wrt=(0, 1))
    show(g)
    print(
        f"{'a = b':>8} {'tangentlike d/da':>18} {'tangentlike d/db':>18} "
        f"{'-a/b**2':>16} {'-(a/b)/b':>16}"
    )
    for v in [1e-10, 1e-20, 1e-30, 1e-38, 1e20, 1e30]:
        a = b = np.float32(v)
        ga, gb = g(a, b)
        with np.errstate(all="ignore"):
            naive, stable = -a / b**2, -(a / b) / b
        r = [str(t) for t in (ga, gb, naive, stable)]
        print(f"{v:>8.0e} {r[0]:>18} {r[1]:>18} {r[2]:>16} {r[3]:>16}")
    print("dtype:", g(np.float32(1e-30), np.float32(1e-30))[1].dtype)
    gc = tl.grad(E.ratio, wrt=(0, 1), compile="numba")
    print("compiled:", gc(np.float32(1e-30), np.float32(1e-30)))
    title("custom: second derivative d2/db2 (a/b), float32, a = 1e-30, b = 1e-20")
    g2 = tl.grad(tl.grad(E.ratio, wrt=1), wrt=1)
    a, b = np.float32(1e-30), np.float32(1e-20)
    with np.errstate(all="ignore"):
        print("tangentlike:", repr(g2(a, b)), " 2*a/b**3:", repr(2 * a / b**3))
    show(g2)


# ---------------------------------------------------------------------------------
def sna():
    title("sna: square")
    show(tl.grad(E.square))
    print("grad(square)(1.0) =", tl.grad(E.square)(1.0))
    title("sna: inverse")
    show(tl.grad(E.inverse))
    title("sna: seed003")
    g = tl.grad(E.seed003, wrt=(0, 1))
    show(g)
    print("grad =", g(1.5, 0.5))
    j = tl.jvp(E.seed003, wrt=(0, 1))
    show(j)
    print("jvp along (0, 1) =", j(1.5, 0.5, 0.0, 1.0))
    title("sna: finite differences for df/dx2 at (1.5, 0.5)")
    exact = g(1.5, 0.5)[1]
    f = E.seed003
    print(
        f"{'h':>6} {'forward':>19} {'error':>8} {'backward':>19} {'error':>8} "
        f"{'central':>19} {'error':>8}"
    )
    for h in [1e-1, 1e-2, 1e-4, 1e-6, 1e-8, 1e-10, 1e-12]:
        fwd = (f(1.5, 0.5 + h) - f(1.5, 0.5)) / h
        bwd = (f(1.5, 0.5) - f(1.5, 0.5 - h)) / h
        cen = (f(1.5, 0.5 + h) - f(1.5, 0.5 - h)) / (2 * h)
        print(
            f"{h:>6.0e} {fwd:>19.16f} {abs(fwd - exact):>8.1e} {bwd:>19.16f} "
            f"{abs(bwd - exact):>8.1e} {cen:>19.16f} {abs(cen - exact):>8.1e}"
        )
    print("tangentlike:", repr(exact))
    title("sna: check_grads")
    print(tl.check_grads(E.seed003, (1.5, 0.5)))


SECTIONS = {"reverse": reverse, "forward": forward, "higher": higher, "custom": custom, "sna": sna}

if __name__ == "__main__":
    for name in sys.argv[1:] or list(SECTIONS):
        SECTIONS[name]()
