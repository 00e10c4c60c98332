"""Which names and expressions of a generated function are float64 (``FloatFacts``), as
the array-tape lowering (``array_tapes.py``) needs to prove before it gives a tape a
float64 buffer; ``float_parameters`` reads the kinds of a call's arguments."""

import gast
import numpy as np

from ..optimize.facts import params
from ..optimize.scalars import ScalarFacts
from ..trees import walk

# math functions that return a float for any real argument (not floor/ceil/trunc/...)
_FLOAT_MATH = frozenset(
    {
        "exp",
        "expm1",
        "log",
        "log1p",
        "log2",
        "log10",
        "sqrt",
        "sin",
        "cos",
        "tan",
        "asin",
        "acos",
        "atan",
        "atan2",
        "sinh",
        "cosh",
        "tanh",
        "asinh",
        "acosh",
        "atanh",
        "pow",
        "fabs",
        "hypot",
        "erf",
        "erfc",
        "gamma",
        "lgamma",
        "copysign",
        "fmod",
        "degrees",
        "radians",
        "cbrt",
        "exp2",
    }
)
_FLOAT_ALLOCATORS = frozenset({"zeros", "ones", "empty"})


def method_call(e, name=None):
    """(list name, method) of ``name.method(...)``."""
    if (
        isinstance(e, gast.Call)
        and isinstance(e.func, gast.Attribute)
        and isinstance(e.func.value, gast.Name)
    ):
        if name is None or e.func.value.id == name:
            return e.func.value.id, e.func.attr
    return None


def is_minus_one(sl):
    return (
        isinstance(sl, gast.UnaryOp)
        and isinstance(sl.op, gast.USub)
        and isinstance(sl.operand, gast.Constant)
        and sl.operand.value == 1
    )


class FloatFacts:
    """Names and expressions that are float64 scalars (greatest fixed point), and arrays
    that are float64 because the function allocates them (``np.zeros(n)``, no dtype)."""

    def __init__(self, fdef, float_params=(), float_array_params=None, int_params=()):
        names = {n.id for n in walk(fdef) if isinstance(n, gast.Name)}
        self.scalars = ScalarFacts(
            fdef, user_names=names, scalar_params=list(float_params) + list(int_params)
        )
        # what each name is assigned (ScalarFacts collects it; a parameter: unknown)
        self.assigns = dict(self.scalars.assigns)
        for p in params(fdef):
            self.assigns[p] = [None]
        self.tapes = self.scalars.tapes  # list name -> values appended to it
        self._assuming = set()  # lists whose element type is being decided
        # a variable keeps its type while it is overwritten (Numba unifies the types of
        # a variable's assignments, and tangentlike documents that a variable keeps its
        # shape): one assigned a float constant is a float
        self.fixed = {
            v
            for v, vals in self.assigns.items()
            if any(isinstance(x, gast.Constant) and type(x.value) is float for x in vals)
        } | set(float_params)
        self.arrays = self._solve_arrays(dict(float_array_params or {}))
        self.names = self._solve(self._float, self.fixed)

    def _solve(self, test, fixed=frozenset()):
        cand = {v for v, vals in self.assigns.items() if all(x is not None for x in vals)}
        cand |= fixed
        while True:
            drop = {v for v in cand - fixed if not all(test(x, cand) for x in self.assigns[v])}
            if not drop:
                return cand
            cand -= drop

    def _solve_arrays(self, fixed):
        """name -> ndim of the float64 arrays: arguments, what the function allocates
        (``np.zeros(n)``, no dtype), copies of them, and tapes of them."""
        cand = {
            v: None
            for v, vals in self.assigns.items()
            if v not in fixed and all(x is not None for x in vals)
        }
        while True:
            env = dict(fixed, **cand)
            changed = False
            for v in list(cand):
                dims = {self._ndim(x, env) for x in self.assigns[v]} - {None}
                if False in dims or len(dims) > 1:
                    del cand[v]
                    changed = True
                elif dims and cand[v] != next(iter(dims)):
                    cand[v] = next(iter(dims))
                    changed = True
            if not changed:
                return dict(fixed, **{v: d for v, d in cand.items() if d is not None})

    def _ndim(self, e, env):
        """ndim of a float64 array, None (not known yet) or False (not one)."""
        if isinstance(e, gast.Name):
            return env.get(e.id, False)
        if (
            isinstance(e, gast.Subscript)
            and isinstance(e.value, gast.Name)
            and e.value.id in self.tapes
            and is_minus_one(e.slice)
        ):  # _tape_u[-1]
            tape = e.value.id
            if tape in self._assuming:  # a push that reads the list itself: L[-1] * 2
                return None
            self._assuming.add(tape)
            try:
                dims = {self._ndim(x, env) for x in self.tapes[tape]} - {None}
            finally:
                self._assuming.discard(tape)
            return next(iter(dims)) if len(dims) == 1 else (None if not dims else False)
        if not isinstance(e, gast.Call) or e.keywords or not isinstance(e.func, gast.Attribute):
            return False
        f = e.func
        if (
            isinstance(f.value, gast.Name)
            and f.value.id == "np"
            and f.attr in _FLOAT_ALLOCATORS
            and len(e.args) == 1
        ):
            shape = e.args[0]
            if isinstance(shape, gast.Tuple):
                ok = all(self._int_like(x) or self.scalars.is_scalar(x) for x in shape.elts)
                return len(shape.elts) if ok else False
            return 1 if self._int_like(shape) or self.scalars.is_scalar(shape) else False
        if f.attr == "copy" and not e.args:
            return self._ndim(f.value, env)
        return False

    def is_float(self, e):
        return self._float(e, self.names)

    def _float(self, e, names):
        if isinstance(e, gast.Constant):
            return type(e.value) is float
        if isinstance(e, gast.Name):
            return e.id in names
        if isinstance(e, gast.UnaryOp):
            return isinstance(e.op, (gast.USub, gast.UAdd)) and self._float(e.operand, names)
        if isinstance(e, gast.BinOp):
            if isinstance(e.op, gast.MatMult):
                return False
            sides = [self._float(e.left, names), self._float(e.right, names)]
            # float op float, or float op (a number of some type): a float; x / y of two
            # floats too. A side that is not a float may be an int (fine) or an array (not
            # a scalar): require it to be a number-like scalar expression
            if all(sides):
                return True
            other = e.right if sides[0] else e.left
            return any(sides) and (self._int_like(other) or self.scalars.is_scalar(other))
        if isinstance(e, gast.Subscript):
            if isinstance(e.value, gast.Name) and e.value.id in self.tapes:  # _tape[-1]
                return is_minus_one(e.slice) and self._tape_floats(e.value.id, names)
            return (
                isinstance(e.value, gast.Name)
                and e.value.id in self.arrays
                and self._index(e.slice, self.arrays[e.value.id])
            )
        if isinstance(e, gast.Call):
            f = e.func
            if method_call(e) and method_call(e)[1] == "pop" and method_call(e)[0] in self.tapes:
                return not e.args and self._tape_floats(method_call(e)[0], names)
            if (
                isinstance(f, gast.Attribute)
                and isinstance(f.value, gast.Name)
                and f.value.id == "math"
            ):
                return f.attr in _FLOAT_MATH and not e.keywords
            if isinstance(f, gast.Name) and f.id == "copy_value" and len(e.args) == 1:
                return self._float(e.args[0], names)
            if (
                isinstance(f, gast.Name)
                and f.id in ("max", "min", "abs")
                and e.args
                and not e.keywords
            ):
                return all(self._float(a, names) for a in e.args)
        return False

    def _tape_floats(self, tape, names):
        """Every value pushed is a float, assuming the list's own elements are (a push
        may read the list: ``L.append(L[-1] * 2)``)."""
        if tape in self._assuming:
            return True
        self._assuming.add(tape)
        try:
            return all(self._float(x, names) for x in self.tapes[tape])
        finally:
            self._assuming.discard(tape)

    def _index(self, sl, ndim):
        """An index of one element of an ``ndim``-array: a scalar per axis."""
        elts = sl.elts if isinstance(sl, gast.Tuple) else [sl]
        return len(elts) == ndim and all(
            self._int_like(x) or self.scalars.is_scalar(x) for x in elts
        )

    def _int_like(self, e):
        """A Python int: constants, range counters and shapes (as the scalars pass knows)."""
        if isinstance(e, gast.Constant):
            return type(e.value) in (int, float)
        if isinstance(e, gast.Subscript):
            return isinstance(e.value, gast.Attribute) and e.value.attr == "shape"
        if isinstance(e, gast.Call) and isinstance(e.func, gast.Name) and not e.keywords:
            return e.func.id in ("round", "int", "len") and len(e.args) == 1
        return False


def float_parameters(names, args):
    """(float parameters, {float64 array parameter: ndim}, int parameters) of a call."""
    floats, arrays, ints = [], {}, []
    for name, a in zip(names, args):
        if type(a) is float or type(a) is np.float64:
            floats.append(name)
        elif type(a) is int or type(a) is np.int64:
            ints.append(name)
        elif type(a) is np.ndarray and a.dtype == np.float64:
            arrays[name] = a.ndim
    return floats, arrays, ints
