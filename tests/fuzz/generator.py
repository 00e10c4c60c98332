"""A seeded random generator of valid, numerically tame programs for the differential fuzzer.

``generate(seed)`` returns the source of a module that defines ``f(a, b, v, M)`` (two
scalars, a vector of length 3 and a 3x3 matrix) returning a float, and up to two helper
functions it calls. The grammar covers what the engine accepts: plain, augmented and tuple
assignments (swaps, repeated overwrites), ``if/elif/else``, nested ``for`` over ``range``,
bounded ``while`` loops with data-dependent conditions, ``break``/``continue``/early
``return`` at any depth, element/row/slice writes into arrays the function creates, lists
built by ``append``, helper calls with keywords, defaults and tuple results, ``math``/``np``
functions, reductions and powers.

Programs are kept tame: only smooth functions of bounded arguments (no ``abs``/``max``
kinks, denominators bounded away from zero, logs of ``1 + x**2``); the checker skips the
finite-difference comparison where differences at two step sizes disagree (a branch
condition on the edge) and programs whose value is huge.

Every choice comes from one ``random.Random(seed)``: a seed always gives the same program.
"""

import random

from .grammar import ARGS, FEATURES, MATRIX, N, SCALAR, VECTOR, Scope
from .statements import Statements

__all__ = ["FEATURES", "Generator", "arguments", "generate"]


class Generator(Statements):
    def __init__(self, seed, small=False):
        self.small = small  # fewer, shallower statements (the pytest sample)
        self.r = random.Random(seed)
        self.counter = 0
        self.helpers = []  # (name, params [(name, type, default)], returns [types])
        self.depth_budget = 0

    # -- names ---------------------------------------------------------------------------

    def fresh(self, prefix):
        self.counter += 1
        return f"{prefix}{self.counter}"

    def chance(self, p):
        return self.r.random() < p

    # -- the program ---------------------------------------------------------------------

    def program(self):
        r = self.r
        lines = [
            "import math",
            "",
            "import numpy as np",
            "",
            f"K = {r.choice((1, 2))}",
            f"USE = {r.choice((True, False))}",
            "",
            "",
        ]
        if FEATURES["helpers"]:
            for _ in range(r.randrange(2 if self.small else 3)):
                lines += self.make_helper()
                lines += ["", ""]
        scope = Scope(dict(ARGS))
        if self.small:
            body = self.block(scope, 1, r.randrange(1, 4), nest=r.choice((1, 2)))
        else:
            body = self.block(scope, 1, r.randrange(2, 7), nest=r.choice((1, 2, 2, 3)))
        terms = [n for n, t in scope.names.items() if t == SCALAR]
        terms += [f"np.sum({n})" for n, t in scope.names.items() if t in (VECTOR, MATRIX)]
        terms += [f"{name}[-1]" for name in sorted(scope.lists)]
        weights = ("0.3", "0.7", "1.1", "0.5", "0.9")
        ret = " + ".join(f"{r.choice(weights)} * {t}" for t in terms)
        lines.append("def f(a, b, v, M):")
        lines += body
        lines.append(f"    return {ret}")
        return "\n".join(lines) + "\n"


def generate(seed, small=False):
    """The source of one random program (a module defining ``f(a, b, v, M)``)."""
    return Generator(seed, small).program()


def arguments(seed):
    """Deterministic arguments for ``f``: values in [-1, 1] (tame for the smooth grammar)."""
    import numpy as np

    rng = np.random.default_rng(seed + 7919)
    return (
        float(rng.uniform(-1, 1)),
        float(rng.uniform(-1, 1)),
        rng.uniform(-1, 1, N),
        rng.uniform(-1, 1, (N, N)),
    )
