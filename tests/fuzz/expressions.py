"""Random expressions of the fuzz grammar (scalars, vectors, matrices, conditions, helper
calls), drawn from the generator's one ``random.Random``."""

from .grammar import CONSTS, FEATURES, HELPER_PARAMS, MATRIX, N, SCALAR, SMOOTH_A, SMOOTH_S, VECTOR


class Expressions:
    """Expression productions; ``self.r``, ``self.helpers``, ``chance`` come from the
    generator."""

    # -- expressions ---------------------------------------------------------------------

    def index(self, scope):
        if scope.indices and self.chance(0.6):
            return self.r.choice(scope.indices)
        return str(self.r.randrange(N))

    def writable(self, scope, name):
        return not (scope.in_helper and name in HELPER_PARAMS and not FEATURES["reassign_params"])

    def scalar(self, scope, depth):
        r = self.r
        if depth <= 0 or self.chance(0.3):
            return self.scalar_leaf(scope)
        k = r.randrange(13)
        if k <= 2:
            op = r.choice(("+", "-", "*"))
            return f"({self.scalar(scope, depth - 1)} {op} {self.scalar(scope, depth - 1)})"
        if k == 3:
            return (
                f"({self.scalar(scope, depth - 1)} / (1.5 + {self.scalar(scope, depth - 1)} ** 2))"
            )
        if k <= 5:
            inner = self.scalar(scope, depth - 1)
            return r.choice(SMOOTH_S).format(inner, inner)
        if k == 6:
            return f"({self.scalar(scope, depth - 1)}) ** {r.choice(('2', '3'))}"
        if k == 7:  # the median is piecewise linear: kinks only where two elements tie
            red = r.choice(
                (
                    "np.sum({})",
                    "np.sum({})",
                    "np.sum({})",
                    "np.median({})",
                    "np.sum(np.diff({}) ** 2)",
                )
            )
            return red.format(self.vector(scope, depth - 1))
        if k == 8:
            return f"np.dot({self.vector(scope, depth - 1)}, {self.vector(scope, depth - 1)})"
        if k == 9:
            return r.choice(("np.sum({})", "np.mean({})")).format(self.matrix(scope, depth - 1))
        if k == 10:
            call = self.helper_call(scope, depth, SCALAR)
            if call:
                return call
        if k == 11 and scope.indices:
            return f"({self.scalar(scope, depth - 1)} * {r.choice(scope.indices)})"
        return f"(-{self.scalar(scope, depth - 1)})"

    def scalar_leaf(self, scope):
        r = self.r
        k = r.randrange(10)
        names = scope.of(SCALAR)
        if k <= 3 and names:
            return r.choice(names)
        if k <= 5 and scope.of(VECTOR):
            return f"{r.choice(scope.of(VECTOR))}[{self.index(scope)}]"
        if k == 6 and scope.of(MATRIX):
            return f"{r.choice(scope.of(MATRIX))}[{self.index(scope)}, {self.index(scope)}]"
        if k == 7 and scope.lists and FEATURES["lists"]:
            return f"{r.choice(sorted(scope.lists))}[{r.choice(('0', '-1'))}]"
        if names and k <= 8:
            return r.choice(names)
        return r.choice(CONSTS)

    def vector(self, scope, depth):
        r = self.r
        names = scope.of(VECTOR)
        if depth <= 0 or self.chance(0.3):
            if names and self.chance(0.8):
                return r.choice(names)
            if scope.of(MATRIX):
                m = r.choice(scope.of(MATRIX))
                return r.choice((f"{m}[{self.index(scope)}]", f"{m}[:, {self.index(scope)}]"))
            return f"(np.ones(3) * {self.scalar_leaf(scope)})"
        k = r.randrange(9)
        if k <= 1:
            op = r.choice(("+", "-", "*"))
            return f"({self.vector(scope, depth - 1)} {op} {self.vector(scope, depth - 1)})"
        if k == 2:
            return f"({self.scalar(scope, depth - 1)} * {self.vector(scope, depth - 1)})"
        if k <= 4:
            return r.choice(SMOOTH_A).format(self.vector(scope, depth - 1))
        if k == 5:
            return f"np.dot({self.matrix(scope, depth - 1)}, {self.vector(scope, depth - 1)})"
        if k == 6:
            call = self.helper_call(scope, depth, VECTOR)
            if call:
                return call
        if k == 7:
            forms = (
                "({}) ** 2",
                "({}) ** 2",
                "np.sort({})",
                "np.flip({})",
                "np.roll({}, 1)",
                "np.repeat({}, 2)[1:4]",
                "np.tile({}, 2)[2:5]",
            )
            return r.choice(forms).format(self.vector(scope, depth - 1))
        return f"({self.vector(scope, depth - 1)} / (1.5 + {self.scalar(scope, depth - 1)} ** 2))"

    def matrix(self, scope, depth):
        r = self.r
        names = scope.of(MATRIX)
        if depth <= 0 or self.chance(0.35):
            if names:
                return r.choice(names)
            return f"np.outer({self.vector(scope, 0)}, {self.vector(scope, 0)})"
        k = r.randrange(7)
        if k <= 1:
            op = r.choice(("+", "-", "*"))
            return f"({self.matrix(scope, depth - 1)} {op} {self.matrix(scope, depth - 1)})"
        if k == 2:
            return f"({self.scalar(scope, depth - 1)} * {self.matrix(scope, depth - 1)})"
        if k == 3:
            return r.choice(SMOOTH_A).format(self.matrix(scope, depth - 1))
        if k == 4:
            return f"np.outer({self.vector(scope, depth - 1)}, {self.vector(scope, depth - 1)})"
        if k == 5:
            return f"{self.matrix(scope, depth - 1)}.T"
        return f"({self.matrix(scope, depth - 1)} * {self.vector(scope, depth - 1)})"

    def expr(self, t, scope, depth):
        return {SCALAR: self.scalar, VECTOR: self.vector, MATRIX: self.matrix}[t](scope, depth)

    def condition(self, scope):
        r = self.r
        if self.chance(0.06):  # decided at generation time (globals are constants)
            return r.choice(("USE", "not USE", "K > 1", "K < 2 or USE", "1.0 > 2.0"))
        left = self.scalar(scope, 1)
        c = f"{left} {r.choice(('<', '>'))} {r.choice(('0.0', '0.5', '-0.5', '1.0', '0.2'))}"
        if self.chance(0.2):
            c2 = f"{self.scalar_leaf(scope)} > {r.choice(('0.1', '-0.3'))}"
            c = f"{c} {r.choice(('and', 'or'))} {c2}"
        if self.chance(0.1):
            c = f"not ({c})"
        return c

    # -- helpers -------------------------------------------------------------------------

    def helper_call(self, scope, depth, want):
        """A call of a helper whose (first) result has type ``want``, or None."""
        if scope.in_helper or not FEATURES["helpers"]:
            return None
        fits = [h for h in self.helpers if h[2][0] == want]
        if not fits:
            return None
        name, params, rets = self.r.choice(fits)
        args = self.call_args(scope, depth, params)
        call = f"{name}({args})"
        if len(rets) > 1:
            return f"{call}[0]" if self.chance(0.3) else None
        return call

    def call_args(self, scope, depth, params):
        parts = []
        keyword = False
        for pname, ptype, default in params:
            if default is not None and self.chance(0.4):
                keyword = True  # leave it to its default; later ones by keyword
                continue
            e = self.expr(ptype, scope, max(0, depth - 2))
            if keyword or (default is not None and self.chance(0.4)):
                keyword = True
                parts.append(f"{pname}={e}")
            else:
                parts.append(e)
        return ", ".join(parts)
