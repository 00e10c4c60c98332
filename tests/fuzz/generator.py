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

N = 3  # length of vectors, side of matrices
SCALAR, VECTOR, MATRIX = "S", "V", "M"
ARGS = (("a", SCALAR), ("b", SCALAR), ("v", VECTOR), ("M", MATRIX))

# Features that can be switched off (a finding that belongs to another helper, until fixed).
FEATURES = {
    # L = []; L.append(e); reads L[k] (F1/F2 fixed; a list created and appended in a loop
    # body, seed 90026, fixed: regressions/list_in_loop_body.py)
    "lists": True,
    # helpers reassign their parameters (findings/fuzz.md F3, fixed: 300 programs clean)
    "reassign_params": True,
    "while": True,
    "helpers": True,
    "slices": True,  # w[0:2] = ..., W[i] = row, W[:, j] = column
    "returns": True,  # early return inside blocks
}

CONSTS = ("0.5", "1.5", "0.3", "2.0", "0.7", "1.2", "0.25")
SMOOTH_S = (
    "np.sin({})",
    "math.cos({})",
    "np.tanh({})",
    "math.atan({})",
    "math.sqrt(1.0 + {} ** 2)",
    "np.log(1.0 + {} ** 2)",
    "math.exp(np.tanh({}))",
    "np.sin({}) * np.cos({})",
)
SMOOTH_A = (
    "np.sin({})",
    "np.cos({})",
    "np.tanh({})",
    "np.arctan({})",
    "np.sqrt(1.0 + {} ** 2)",
    "np.exp(np.tanh({}))",
)


class Scope:
    """Variables visible at a point of the program: name -> type, plus what may be written
    into (arrays the function created), loop counters usable as indices, lists."""

    def __init__(self, names, owned=(), indices=(), lists=(), in_loop=False, in_helper=False):
        self.names = dict(names)
        self.owned = set(owned)
        self.indices = list(indices)
        self.lists = set(lists)
        self.in_loop = in_loop
        self.in_helper = in_helper

    def child(self, **kw):
        s = Scope(self.names, self.owned, self.indices, self.lists, self.in_loop, self.in_helper)
        for k, v in kw.items():
            setattr(s, k, v)
        return s

    def of(self, t):
        return [n for n, ty in self.names.items() if ty == t]


class Generator:
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
        if k == 7:
            return f"np.sum({self.vector(scope, depth - 1)})"
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
            return f"({self.vector(scope, depth - 1)}) ** 2"
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

    def make_helper(self):
        r = self.r
        name = self.fresh("h")
        first = r.choice((SCALAR, VECTOR))
        params = [("x", first, None), ("y", SCALAR, None), ("c", SCALAR, r.choice(CONSTS))]
        rets = [first] if self.chance(0.5) else [first, SCALAR]
        scope = Scope({p: t for p, t, _ in params}, in_helper=True)
        lines = [f"def {name}(x, y, c={params[2][2]}):"]
        body = self.block(scope, 1, r.randrange(1, 4), nest=1)
        lines += body
        outs = [self.expr(t, scope, 2) for t in rets]
        lines.append("    return " + ", ".join(outs))
        self.helpers.append((name, params, rets))
        return lines

    # -- statements ----------------------------------------------------------------------

    def block(self, scope, indent, count, nest):
        out = []
        for _ in range(count):
            out += self.statement(scope, indent, nest)
        return out or ["    " * indent + "pass"]

    def statement(self, scope, indent, nest):
        r = self.r
        pad = "    " * indent
        k = r.randrange(20)
        if nest > 0 and k <= 2:
            return self.if_stmt(scope, indent, nest)
        if nest > 0 and k <= 4:
            return self.for_stmt(scope, indent, nest)
        if nest > 0 and k == 5 and FEATURES["while"]:
            return self.while_stmt(scope, indent, nest)
        if k == 6 and scope.in_loop:
            return [
                pad + f"if {self.condition(scope)}:",
                pad + "    " + r.choice(("break", "continue")),
            ]
        if k == 7 and FEATURES["returns"] and indent > 1 and not scope.in_helper:
            return [
                pad + f"if {self.condition(scope)}:",
                pad + f"    return {self.scalar(scope, 2)}",
            ]
        if k == 8:
            return self.create_array(scope, pad)
        if k <= 10 and scope.owned:
            return self.write_into(scope, pad)
        if k == 11:
            return self.tuple_stmt(scope, pad)
        if k == 12 and FEATURES["lists"] and not scope.in_helper:
            return self.list_stmt(scope, pad)
        if k == 13:
            return self.augmented(scope, pad)
        if k == 14:
            call = self.unpack_call(scope, pad)
            if call:
                return call
        return self.assign(scope, pad)

    def assign(self, scope, pad):
        r = self.r
        t = r.choice((SCALAR, SCALAR, SCALAR, VECTOR, MATRIX))
        existing = [
            n
            for n in scope.of(t)
            if n not in scope.owned
            and self.writable(scope, n)
            and (n not in ARG_NAMES or self.chance(0.3))
        ]
        if existing and self.chance(0.5):
            name = r.choice(existing)  # overwrite (the same shape)
        else:
            name = self.fresh({SCALAR: "s", VECTOR: "u", MATRIX: "P"}[t])
        e = self.expr(t, scope, 2 if self.small else 3)
        if t != SCALAR and e.isidentifier():
            e += " * 1.0"  # no two names for one array
        scope.names[name] = t
        return [pad + f"{name} = {e}"]

    def augmented(self, scope, pad):
        r = self.r
        t = r.choice((SCALAR, SCALAR, VECTOR, MATRIX))
        names = [n for n in scope.of(t) if self.writable(scope, n)]
        if not names:
            return self.assign(scope, pad)
        name = r.choice(names)
        op = r.choice(("+", "-", "*"))
        e = self.expr(t if self.chance(0.7) else SCALAR, scope, 2)
        if op == "*":
            e = f"np.tanh({e})" if t == SCALAR else f"(0.5 + 0.25 * np.tanh({e}))"
        if t == SCALAR or name in scope.owned:
            return [pad + f"{name} {op}= {e}"]  # in place only on arrays f created
        return [pad + f"{name} = {name} {op} {e}"]

    def create_array(self, scope, pad):
        r = self.r
        t = r.choice((VECTOR, MATRIX))
        name = self.fresh("w" if t == VECTOR else "W")
        src = r.choice(scope.of(t) or ["v" if t == VECTOR else "M"])
        shape = "3" if t == VECTOR else "(3, 3)"
        init = r.choice(
            (
                f"np.zeros({shape})",
                f"{src}.copy()",
                f"np.copy({src})",
                f"{self.expr(t, scope, 1)} * 1.0",
            )
        )
        scope.names[name] = t
        scope.owned.add(name)
        return [pad + f"{name} = {init}"]

    def write_into(self, scope, pad):
        r = self.r
        name = r.choice(sorted(scope.owned))
        t = scope.names[name]
        op = r.choice(("=", "=", "+=", "-="))
        if t == VECTOR:
            if FEATURES["slices"] and self.chance(0.25):
                lo = r.randrange(2)
                src = r.choice(scope.of(VECTOR))
                so = r.randrange(2)
                return [
                    pad
                    + f"{name}[{lo}:{lo + 2}] {op} {src}[{so}:{so + 2}] * {self.scalar(scope, 1)}"
                ]
            return [pad + f"{name}[{self.index(scope)}] {op} {self.scalar(scope, 2)}"]
        k = r.randrange(4) if FEATURES["slices"] else 0
        if k == 1:
            return [pad + f"{name}[{self.index(scope)}] {op} {self.vector(scope, 2)}"]
        if k == 2:
            return [pad + f"{name}[:, {self.index(scope)}] {op} {self.vector(scope, 2)}"]
        return [
            pad + f"{name}[{self.index(scope)}, {self.index(scope)}] {op} {self.scalar(scope, 2)}"
        ]

    def tuple_stmt(self, scope, pad):
        r = self.r
        t = r.choice((SCALAR, SCALAR, VECTOR))
        names = [n for n in scope.of(t) if n not in scope.owned and self.writable(scope, n)]
        if len(names) >= 2 and self.chance(0.5):
            p, q = r.sample(names, 2)
            return [pad + f"{p}, {q} = {q}, {p}"]
        p, q = self.fresh("s" if t == SCALAR else "u"), self.fresh("s")
        e1, e2 = self.expr(t, scope, 2), self.scalar(scope, 2)
        if t != SCALAR and e1.isidentifier():
            e1 += " * 1.0"
        scope.names[p] = t
        scope.names[q] = SCALAR
        return [pad + f"{p}, {q} = {e1}, {e2}"]

    def unpack_call(self, scope, pad):
        if scope.in_helper or not FEATURES["helpers"]:
            return None
        fits = [h for h in self.helpers if len(h[2]) == 2]
        if not fits:
            return None
        name, params, rets = self.r.choice(fits)
        p, q = self.fresh("s" if rets[0] == SCALAR else "u"), self.fresh("s")
        line = pad + f"{p}, {q} = {name}({self.call_args(scope, 2, params)})"
        scope.names[p] = rets[0]
        scope.names[q] = SCALAR
        return [line]

    def list_stmt(self, scope, pad):
        if scope.lists and self.chance(0.7):
            name = self.r.choice(sorted(scope.lists))
            return [pad + f"{name}.append({self.scalar(scope, 2)})"]
        name = self.fresh("L")
        first = self.scalar(scope, 2)
        scope.lists.add(name)
        return [pad + f"{name} = []", pad + f"{name}.append({first})"]

    def if_stmt(self, scope, indent, nest):
        r = self.r
        pad = "    " * indent
        joined = self.fresh("s") if self.chance(0.4) else None
        branches = 1 + r.randrange(3)
        has_else = self.chance(0.6)
        out = []
        for k in range(branches + (1 if has_else else 0)):
            head = "if" if k == 0 else "elif"
            out.append(pad + (f"{head} {self.condition(scope)}:" if k < branches else "else:"))
            inner = scope.child(
                names=dict(scope.names), owned=set(scope.owned), lists=set(scope.lists)
            )
            body = []
            if joined and has_else:
                body.append(pad + "    " + f"{joined} = {self.scalar(inner, 2)}")
                inner.names[joined] = SCALAR
            body += self.block(inner, indent + 1, r.randrange(1, 4), nest - 1)
            out += body
        if joined and has_else:
            scope.names[joined] = SCALAR
        return out

    def for_stmt(self, scope, indent, nest):
        r = self.r
        pad = "    " * indent
        i = self.fresh("i")
        rng = r.choice(("range(3)", "range(v.shape[0])", "range(1, 3)", "range(2)"))
        if scope.indices and self.chance(0.3):
            rng = f"range({r.choice(scope.indices)})"
        inner = scope.child(
            names=dict(scope.names),
            owned=set(scope.owned),
            indices=scope.indices + [i],
            lists=set(scope.lists),
            in_loop=True,
        )
        body = self.block(inner, indent + 1, r.randrange(1, 3 if self.small else 5), nest - 1)
        return [pad + f"for {i} in {rng}:"] + body

    def while_stmt(self, scope, indent, nest):
        pad = "    " * indent
        k = self.fresh("k")
        bound = self.r.choice(("3", "4"))
        cond = f"{k} < {bound}"
        if self.chance(0.7):
            cond += f" and {self.scalar(scope, 1)} < {self.r.choice(('1.5', '2.0', '0.8'))}"
        inner = scope.child(
            names=dict(scope.names), owned=set(scope.owned), lists=set(scope.lists), in_loop=True
        )
        body = [pad + "    " + f"{k} += 1"]
        body += self.block(inner, indent + 1, self.r.randrange(1, 4), nest - 1)
        return [pad + f"{k} = 0", pad + f"while {cond}:"] + body

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


ARG_NAMES = {n for n, _ in ARGS}
HELPER_PARAMS = {"x", "y", "c"}


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
