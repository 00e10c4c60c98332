"""The derivative-rule registry and the template instantiation the engine uses.

A rule is a small Python function whose *body* is a template. Its parameters name the
primitive's operands (bound to the call's arguments, keywords and defaults included).
Inside the body three names are free: ``z`` (the primitive's result), ``g`` (the adjoint
of the result) and ``m`` (the module the user called the primitive from, ``math`` or
``np``, so ``m.cos`` follows the user's choice). A statement ``d[x] = expr`` gives the
contribution to the adjoint of operand ``x``; the engine accumulates it, or drops it
when ``x`` is a constant or carries no derivative. Example::

    @adjoint(np.sin, math.sin)
    def sin(x):
        d[x] = g * m.cos(x)
"""

import inspect
import textwrap

import gast

from ..runtime import declarations
from ..trees import Transformer, clone, substitute

_RULES = {}  # key -> Rule (adjoint templates)
_TANGENTS = {}  # key -> Rule (tangent templates, forward mode)
_NONDIFF = {}  # key -> name (results carry no derivative)


class Rule:
    """One primitive's template. ``body`` (gast statements) and ``diff_params`` (the
    operands with a ``d[...]`` contribution) are parsed from the template function's
    source at first use: parsing all ~90 templates costs about 60 ms of every import, and
    a process whose derivatives come from the generation cache needs none of them."""

    def __init__(self, name, signature, body=None, diff_params=None, template=None, seq_param=None):
        self.name = name
        self.signature = signature
        self._parsed = None if body is None else (body, diff_params)
        self.template = template  # the decorated function, parsed lazily
        self.seq_param = seq_param  # a parameter that takes a list/tuple of operands
        self.extra = {}

    def _parse(self):
        if self._parsed is None:  # one assignment: safe when threads race
            self._parsed = _template(self.template)
        return self._parsed

    @property
    def body(self):
        return self._parse()[0]

    @property
    def diff_params(self):
        return self._parse()[1]


def _key(obj):
    if isinstance(obj, str):
        return obj
    return ("obj", id(obj))


def _template(fn):
    src = textwrap.dedent(inspect.getsource(fn))
    fdef = gast.parse(src).body[0]
    body = fdef.body
    if body and isinstance(body[0], gast.Expr) and isinstance(body[0].value, gast.Constant):
        body = body[1:]
    diff = [s.targets[0].slice.id for s in body if _is_contribution(s)]
    return body, tuple(diff)


def _is_contribution(s):
    """``d[x] = expr`` in a template."""
    return (
        isinstance(s, gast.Assign)
        and isinstance(s.targets[0], gast.Subscript)
        and isinstance(s.targets[0].value, gast.Name)
        and s.targets[0].value.id == "d"
    )


def adjoint(*keys, seq=None, reverse=True, check=None, fixed=()):
    """Register the decorated template as the adjoint of every primitive in ``keys``.

    Keys are callables (``np.sin``), ``"op:Add"`` for operators, ``"method:sum"`` for
    array methods and ``"attr:T"`` for array attributes. ``check(args)`` (optional) sees
    the call's bound arguments (parameter -> gast expression) at generation time and
    returns why the call is refused, or ``None`` (see ``refusal``); the parameters in
    ``fixed`` are accepted at their default value only.
    """

    def deco(fn):
        rule = Rule(name=fn.__name__, signature=inspect.signature(fn), template=fn, seq_param=seq)
        rule.extra["keys"] = keys
        rule.extra["forward_only"] = not reverse
        rule.extra["check"] = check
        rule.extra["fixed"] = tuple(fixed)
        for k in keys:
            _RULES[_key(k)] = rule
        return fn

    return deco


def tangent(*keys, expand=False):
    """Register a forward-mode template: ``d[x] = expr`` is the contribution of operand
    ``x`` to the result's tangent, with ``g`` standing for the tangent of ``x``.

    Elementwise primitives need none: their tangent is derived from the adjoint template
    (the same partial derivative, with ``unbroadcast(e, x)`` read as ``e``). With
    ``expand=True`` the engine broadcasts the tangent to the result's shape when an
    operand carries no tangent (``x + C`` with a larger constant ``C``).
    """

    def deco(fn):
        rule = Rule(name=fn.__name__, signature=inspect.signature(fn), template=fn)
        rule.extra["expand"] = expand
        for k in keys:
            _TANGENTS[_key(k)] = rule
        return fn

    return deco


def tangent_rule(adjoint_rule, key):
    """The forward-mode template for a primitive: registered, or derived (elementwise)."""
    k = _key(key)
    if k in _TANGENTS:
        return _TANGENTS[k]
    cached = adjoint_rule.extra.get("derived_tangent")
    if cached is None:
        body = [_ForwardFromAdjoint().visit(clone(s)) for s in adjoint_rule.body]
        cached = Rule(
            name=adjoint_rule.name,
            signature=adjoint_rule.signature,
            body=body,
            diff_params=adjoint_rule.diff_params,
        )
        adjoint_rule.extra["derived_tangent"] = cached
    return cached


# helpers a derived tangent replaces by their first operand (their declarations)
_DROPPED_IN_FORWARD = set(declarations.names(forward="first"))


class _ForwardFromAdjoint(Transformer):
    def visit_Call(self, node):
        self.generic_visit(node)
        if isinstance(node.func, gast.Name) and node.func.id in _DROPPED_IN_FORWARD:
            return node.args[0]
        return node


def is_elementwise(rule, key):
    """Whether the primitive maps elements to elements (its result has the broadcast
    shape of its operands): true when its tangent is derived from the adjoint, or
    registered with ``expand=True``."""
    t = _TANGENTS.get(_key(key))
    return t is None or bool(t.extra.get("expand"))


# parameters every template accepts only at their default value (bound, so that a
# positional argument after them cannot land on the wrong parameter)
DEFAULT_ONLY = ("out", "where", "initial")


def constant_value(e, default=inspect.Parameter.empty):
    """The Python value of a constant gast expression (tuples of constants too), or
    ``default`` when ``e`` is not one."""
    if isinstance(e, gast.Constant):
        return e.value
    if (
        isinstance(e, gast.UnaryOp)
        and isinstance(e.op, gast.USub)
        and isinstance(e.operand, gast.Constant)
    ):
        return -e.operand.value
    if isinstance(e, gast.Tuple):
        vals = [constant_value(x, default) for x in e.elts]
        return default if any(v is default for v in vals) else tuple(vals)
    return default


def refusal(rule, arguments):
    """Why a call bound to ``rule`` with ``arguments`` (parameter -> gast expression or
    Python default) is refused at generation time, or ``None``."""
    for pname in DEFAULT_ONLY + rule.extra.get("fixed", ()):
        p = rule.signature.parameters.get(pname)
        if p is None or pname not in arguments:
            continue
        value = arguments[pname]
        if isinstance(value, gast.AST):
            value = constant_value(value)
        if value is not p.default:
            return f"'{rule.name}' with {pname}= is not supported"
    check = rule.extra.get("check")
    return check(arguments) if check is not None else None


def nondifferentiable(*keys):
    """Primitives whose result has a zero derivative (floor, comparisons, shapes...)."""
    for k in keys:
        _NONDIFF[_key(k)] = getattr(k, "__name__", str(k))


_SEALED = None


def seal():
    """Remember the registry as the package defines it (called once all rules loaded)."""
    global _SEALED
    _SEALED = (dict(_RULES), dict(_TANGENTS), dict(_NONDIFF))


def as_defined():
    """Whether the registry still holds exactly the package's rules: the generation
    cache's key describes the package's code, so it is off while a rule is replaced
    (tests do that, to check that a wrong rule is caught)."""
    return _SEALED is not None and _SEALED == (_RULES, _TANGENTS, _NONDIFF)


def lookup(key):
    """``(rule, None)``, ``(None, "nondiff")`` or ``(None, None)`` when unknown."""
    k = _key(key)
    if k in _RULES:
        return _RULES[k], None
    if k in _NONDIFF:
        return None, "nondiff"
    return None, None


def module_alias(obj):
    """'math' for math functions, 'np' otherwise: what ``m`` stands for in a template."""
    mod = getattr(obj, "__module__", None) or ""
    if mod == "math" or (
        getattr(obj, "__self__", None) is not None
        and getattr(obj.__self__, "__name__", "") == "math"
    ):
        return "math"
    return "np"


def _substituter(mapping):
    """Load names in ``mapping`` -> a copy of their expression (other names unchanged)."""

    def replace(node):
        if node.id in mapping and isinstance(node.ctx, gast.Load):
            return clone(mapping[node.id])
        return node

    return replace


def instantiate(rule, bound, z, g, module="np", locals_namer=None):
    """Fill the template of ``rule``.

    ``bound`` maps parameter names to gast expressions (``None`` for operands that need
    no derivative). Returns ``(prelude, contributions)``: statements for template
    temporaries and a list of ``(param, expr)`` for each ``d[param] = expr``.
    """
    mapping = {
        "z": z,
        "g": g,
        "m": gast.Name(id=module, ctx=gast.Load(), annotation=None, type_comment=None),
    }
    mapping.update({k: v for k, v in bound.items() if v is not None})
    replace = _substituter(mapping)
    prelude, contribs = [], []
    for s in rule.body:
        if _is_contribution(s):
            param = s.targets[0].slice.id
            contribs.append((param, substitute(clone(s.value), replace)))
        else:
            s = clone(s)
            if isinstance(s, gast.Assign) and locals_namer is not None:
                for t in s.targets:
                    if isinstance(t, gast.Name) and t.id not in mapping:
                        new = locals_namer(t.id)
                        mapping[t.id] = gast.Name(
                            id=new, ctx=gast.Load(), annotation=None, type_comment=None
                        )
                        t.id = new
            prelude.append(substitute(s, replace))
    return prelude, contribs
