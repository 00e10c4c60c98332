"""A user function with some parameters bound to functions known at generation time.

``def euler(f, y0, h, n): ... y = y + h * f(y)``: the derivative of ``f(y)`` depends on
which function ``f`` is, so the derivative of ``euler`` is generated once per function
passed for ``f`` (``tl.grad(euler)(rhs, y0, 0.1, 10)``, or a call ``euler(rhs, ...)`` in
differentiated code). The parameter stays in the generated signature (the forward sweep
calls what is passed); the adjoint or tangent of its calls is that of the bound function.
"""

import collections
import dataclasses
import inspect
import types

from ..custom import custom_jvp, custom_vjp
from .resolve import CONSTRUCT, is_user_function

__all__ = ["CONSTRUCT", "Record", "Specialized", "bind_function_args", "is_function_value"]
_RECORDS = {}  # class -> its Record (one per class)


class Record:
    """The type of a dataclass or namedtuple argument: its fields are read by position
    (``p.k`` -> ``p[0]``, normalize/records.py); a dataclass is passed as the tuple of its
    fields and its gradient comes back as an instance of the same class.

    The tuple a dataclass is passed as is a namedtuple with its fields and its methods
    and properties (``view``), so the user's own functions that the forward sweep calls
    with it (``h(p, x)``, ``p.energy(x)``) read ``p.k`` as they would on the instance."""

    def __init__(self, cls, fields, is_tuple):
        self.cls, self.fields, self.is_tuple = cls, tuple(fields), is_tuple
        self.__name__ = cls.__name__
        self.view = None if is_tuple else _view_class(cls, self.fields)

    @staticmethod
    def of(value):
        cls = type(value)
        if cls in _RECORDS:
            return _RECORDS[cls]
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            rec = Record(cls, [f.name for f in dataclasses.fields(value)], False)
        elif isinstance(value, tuple) and isinstance(getattr(cls, "_fields", None), tuple):
            rec = Record(cls, cls._fields, True)
        else:
            return None
        _RECORDS[cls] = rec
        return rec

    def flatten(self, value):
        return value if self.is_tuple else self.view(*(getattr(value, f) for f in self.fields))

    def method(self, name, kind=types.FunctionType):
        """The plain function of method ``name`` of the class, or with ``kind=property``
        the getter of property ``name``, or with ``kind=staticmethod`` the function of
        static method ``name`` (None when it has none)."""
        for klass in self.cls.__mro__[:-1]:
            member = vars(klass).get(name)
            if member is not None:
                if kind is not types.FunctionType:
                    member = getattr(member, "fget" if kind is property else "__func__", None)
                    if not isinstance(vars(klass)[name], kind):
                        member = None
                return member if isinstance(member, types.FunctionType) else None
        return None

    def rebuild(self, parts):
        return self.cls(*parts)


def _view_class(cls, fields):
    """A namedtuple of ``cls``'s fields that has its methods and properties too."""
    base = collections.namedtuple(cls.__name__, fields)
    extra = {}
    for klass in reversed(cls.__mro__[:-1]):
        for name, member in vars(klass).items():
            plain = isinstance(member, (types.FunctionType, property, staticmethod))
            if plain and not (name.startswith("__") and name.endswith("__")):
                extra[name] = member
    extra["__slots__"] = ()
    view = type(cls.__name__, (base,), extra)
    view.__qualname__ = f"{cls.__qualname__} (fields)"
    view.__module__ = cls.__module__
    return view


def is_function_value(obj):
    """A user function (or custom-rule function), or a library function with a derivative
    rule (``np.sin``), that differentiated code may call."""
    if is_user_function(obj):
        return True
    if not callable(obj) or isinstance(obj, type):
        return False
    from ..rules import lookup

    try:
        rule, kind = lookup(obj)
    except TypeError:  # unhashable
        return False
    return rule is not None or kind == "nondiff"


class Specialized:
    """``fn`` with ``bindings`` (parameter name -> function); equal by identity of both."""

    def __init__(self, fn, bindings):
        self.fn = fn
        self.bindings = tuple(sorted(bindings.items()))
        self.__name__ = getattr(fn, "__name__", "f")
        self.__module__ = getattr(fn, "__module__", "")
        self.__qualname__ = getattr(fn, "__qualname__", self.__name__)

    def _key(self):
        return (self.fn, tuple((k, id(v)) for k, v in self.bindings))

    def __hash__(self):
        return hash(self._key())

    def __eq__(self, other):
        return isinstance(other, Specialized) and self._key() == other._key()

    def __repr__(self):
        bound = ", ".join(f"{k}={getattr(v, '__name__', v)}" for k, v in self.bindings)
        return f"<{self.__name__} with {bound}>"


def bind_function_args(fn, args):
    """``Specialized(fn, ...)`` for the positional ``args`` that are user functions, or
    ``fn`` itself when none is."""
    if isinstance(fn, (custom_vjp, custom_jvp)):
        return fn
    params = list(inspect.signature(fn).parameters)
    bindings = {}
    for k, a in enumerate(args[: len(params)]):
        if is_function_value(a):
            bindings[params[k]] = a
        elif Record.of(a) is not None:
            bindings[params[k]] = Record.of(a)
    return Specialized(fn, bindings) if bindings else fn
