"""Random statements of the fuzz grammar: assignments, writes into arrays, tuples, lists,
branches, loops and helper definitions."""

from .expressions import Expressions
from .grammar import ARG_NAMES, CONSTS, FEATURES, MATRIX, SCALAR, VECTOR, Scope


class Statements(Expressions):
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
        shape = "3" if t == VECTOR else "(3, 3)"
        # f's own v and M are not visible in a helper: there an array is made from ones
        fallback = f"np.ones({shape})" if scope.in_helper else ("v" if t == VECTOR else "M")
        src = r.choice(scope.of(t) or [fallback])
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
        length = "len(np.ones(3))" if scope.in_helper else "v.shape[0]"  # no v in a helper
        rng = r.choice(("range(3)", f"range({length})", "range(1, 3)", "range(2)"))
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
