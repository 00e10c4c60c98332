"""compile="numba": tapes of floats become growing float64 arrays with a counter.

The generated code records with Python lists (``_tape_x = []``, ``.append``, ``.pop()``,
``[-1]``, ``if _tape_x:``), which is what ``tl.source`` shows and what runs as Python.
Under Numba a list append and pop cost about three times an array store and load (the
list grows and shrinks its buffer, and checks bounds). This lowering rewrites each tape
whose every recorded value is provably a float (by the rules of ``float_facts.py``) into

    _tape_x = np.empty(256); _tape_x_n = 0                    # creation
    if _tape_x_n == _tape_x.shape[0]: _tape_x = grow_tape(_tape_x, _tape_x_n)
    _tape_x[_tape_x_n] = value; _tape_x_n += 1                # append
    _tape_x_n -= 1                                            # pop()
    v = _tape_x[_tape_x_n]                                    # v = pop(), after the -= 1
    _tape_x[_tape_x_n - 1]                                    # [-1]
    _tape_x_n > 0                                             # if _tape_x:

(``grow_tape`` doubles the buffer, so appends stay amortized O(1) without knowing trip
counts). A tape used any other way, or holding anything not proven a float (arrays,
integers, values of unknown type), stays a list: the lowering never guesses a type.
The values stored and loaded are the same float64 numbers, so the derivative is the same
to the bit (tests/test_array_tapes.py).
"""

import gast
import numba
import numpy as np

from .. import syntax as S
from ..optimize.facts import params
from ..emit import to_source
from ..trees import Transformer, clone, walk
from .float_facts import FloatFacts, float_parameters, is_minus_one, method_call

INITIAL_CAPACITY = 256


@numba.njit(cache=True)
def grow_tape(buf, n, need):
    """The ``n`` entries of ``buf`` in a buffer of at least ``need`` (and at least twice
    ``buf``'s) entries."""
    out = np.empty(max(need, 2 * buf.shape[0]), buf.dtype)
    out[:n] = buf[:n]
    return out


def _tape_uses(fdef):
    """name -> how it is used, for every list created as ``name = []``."""
    created = {}
    for n in walk(fdef):
        if (
            isinstance(n, gast.Assign)
            and len(n.targets) == 1
            and isinstance(n.targets[0], gast.Name)
            and isinstance(n.value, gast.List)
            and not n.value.elts
        ):
            created.setdefault(n.targets[0].id, []).append(n)
    return {k: v for k, v in created.items() if len(v) == 1}


def _lowerable(fdef, name, floats):
    """Every use of ``name`` is one the lowering rewrites, and every append a float."""
    allowed = set()  # ids of Name nodes in rewritable positions
    ok = True
    for n in walk(fdef):
        if isinstance(n, gast.Expr) and method_call(n.value, name):
            _, meth = method_call(n.value, name)
            if meth == "append" and len(n.value.args) == 1 and floats.is_float(n.value.args[0]):
                allowed.add(id(n.value.func.value))
            elif meth == "pop" and not n.value.args:
                allowed.add(id(n.value.func.value))
            else:
                ok = False
        elif (
            isinstance(n, gast.Assign)
            and method_call(n.value, name) == (name, "pop")
            and not n.value.args
        ):
            allowed.add(id(n.value.func.value))
        elif (
            isinstance(n, gast.Subscript) and isinstance(n.value, gast.Name) and n.value.id == name
        ):
            if is_minus_one(n.slice) and isinstance(n.ctx, gast.Load):
                allowed.add(id(n.value))
            else:
                ok = False
        elif (
            isinstance(n, (gast.If, gast.While))
            and isinstance(n.test, gast.Name)
            and n.test.id == name
        ):
            allowed.add(id(n.test))
        elif (
            isinstance(n, gast.Call)
            and isinstance(n.func, gast.Name)
            and n.func.id == "len"
            and len(n.args) == 1
            and isinstance(n.args[0], gast.Name)
            and n.args[0].id == name
        ):
            allowed.add(id(n.args[0]))
    if not ok:
        return False
    created = _tape_uses(fdef)[name][0]
    allowed.add(id(created.targets[0]))
    return all(id(n) in allowed for n in walk(fdef) if isinstance(n, gast.Name) and n.id == name)


def _range_trip(loop):
    """``len(range(...))`` of a ``for`` over ``range`` (its trip count), else None."""
    it = loop.iter if isinstance(loop, gast.For) else None
    if (
        isinstance(it, gast.Call)
        and isinstance(it.func, gast.Name)
        and it.func.id == "range"
        and not it.keywords
        and 1 <= len(it.args) <= 3
    ):
        return S.call("len", clone(it))
    return None


class _Lower(Transformer):
    """Rewrites the tapes in ``tapes``. An append directly in the body of a ``for`` over
    ``range`` (not under a nested loop) needs no capacity check: before the loop, one
    statement makes room for the trip count times the appends in its body (an upper
    bound: an append under an ``if`` counts once per step). Appends elsewhere (a
    ``while``, a ``for`` over an array, no loop) check the capacity themselves."""

    def __init__(self, tapes):
        self.tapes = tapes  # list name -> counter name
        self.loops = [None]  # the enclosing loops, innermost last

    def _tape_call(self, e):
        m = method_call(e)
        return m if m is not None and m[0] in self.tapes else None

    def _appends(self, loop):
        """tape -> number of appends directly in ``loop``'s body (nested loops apart)."""
        counts = {}
        todo = list(loop.body) + list(loop.orelse)
        while todo:
            n = todo.pop()
            if isinstance(n, (gast.For, gast.While, gast.FunctionDef)):
                continue
            if isinstance(n, gast.Expr):
                m = self._tape_call(n.value)
                if m is not None and m[1] == "append":
                    counts[m[0]] = counts.get(m[0], 0) + 1
            todo.extend(c for c in gast.iter_child_nodes(n) if isinstance(c, gast.stmt))
        return counts

    def visit_For(self, node):
        trip = _range_trip(node)
        counts = self._appends(node) if trip is not None else {}
        self.loops.append(node if trip is not None else None)
        node = self.generic_visit(node)
        self.loops.pop()
        reserve = []
        for t, c in sorted(counts.items()):
            k = self.tapes[t]
            need = f"{k} + {to_source(trip).strip()}" + (f" * {c}" if c > 1 else "")
            reserve.append(
                S.stmt(f"if {need} > {t}.shape[0]:\n    {t} = grow_tape({t}, {k}, {need})")
            )
        return reserve + [node]

    def visit_While(self, node):
        self.loops.append(None)
        node = self._test(node)
        self.loops.pop()
        return node

    def visit_Assign(self, s):
        t = s.targets[0] if len(s.targets) == 1 else None
        if isinstance(t, gast.Name) and t.id in self.tapes and isinstance(s.value, gast.List):
            return [
                S.stmt(f"{t.id} = np.empty({INITIAL_CAPACITY})"),
                S.stmt(f"{self.tapes[t.id]} = 0"),
            ]
        m = self._tape_call(s.value)
        if m is not None:  # v = _tape.pop()
            k = self.tapes[m[0]]
            s.targets = [self.visit(x) for x in s.targets]
            s.value = S.expr(f"{m[0]}[{k}]")
            return [S.stmt(f"{k} -= 1"), s]
        return self.generic_visit(s)

    def visit_Expr(self, s):
        m = self._tape_call(s.value)
        if m is None:
            return self.generic_visit(s)
        t, meth = m
        k = self.tapes[t]
        if meth == "pop":
            return [S.stmt(f"{k} -= 1")]
        store = S.stmt(f"{t}[{k}] = 0.0")
        store.value = self.visit(s.value.args[0])
        out = [store, S.stmt(f"{k} += 1")]
        if self.loops[-1] is None:  # no reservation covers it
            out.insert(
                0, S.stmt(f"if {k} == {t}.shape[0]:\n    {t} = grow_tape({t}, {k}, {k} + 1)")
            )
        return out

    def visit_Subscript(self, node):
        if (
            isinstance(node.value, gast.Name)
            and node.value.id in self.tapes
            and is_minus_one(node.slice)
        ):
            return S.expr(f"{node.value.id}[{self.tapes[node.value.id]} - 1]")
        return self.generic_visit(node)

    def visit_Call(self, node):
        if (
            isinstance(node.func, gast.Name)
            and node.func.id == "len"
            and len(node.args) == 1
            and isinstance(node.args[0], gast.Name)
            and node.args[0].id in self.tapes
        ):
            return S.name(self.tapes[node.args[0].id])
        return self.generic_visit(node)

    def _test(self, node):
        if isinstance(node.test, gast.Name) and node.test.id in self.tapes:
            node.test = S.expr(f"{self.tapes[node.test.id]} > 0")
        return self.generic_visit(node)

    def visit_If(self, node):
        return self._test(node)


def lower_float_tapes(fdef, args=None):
    """A copy of ``fdef`` with its float list tapes as arrays, or None if it has none.

    ``args``: the values of a call, when known: parameters that are Python floats or
    float64 arrays are then known to hold floats."""
    floats = (
        FloatFacts(fdef, *float_parameters(params(fdef), args))
        if args is not None
        else FloatFacts(fdef)
    )
    taken = {n.id for n in walk(fdef) if isinstance(n, gast.Name)}
    tapes = {}
    for name in sorted(_tape_uses(fdef)):
        if _lowerable(fdef, name, floats):
            k = f"{name}_n"
            while k in taken:
                k += "_"
            tapes[name] = k
    if not tapes:
        return None
    out = clone(fdef)
    return _Lower(tapes).visit(out)
