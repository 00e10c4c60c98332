"""Expression trees: each differentiable operation with its rule and operands.

A primal expression such as ``dt * (a / b + h[t])`` becomes a tree of ``Node``s:
``op`` nodes carry a derivative rule and their operand nodes; leaves are variables,
constants, or *opaque* sub-expressions whose value carries no derivative (comparisons,
shapes, ``len``, indices). The reverse transform walks these trees.
"""

import builtins
import inspect

import gast
import numpy as np

from .. import syntax as S
from ..custom import custom_jvp, custom_vjp
from ..normalize.desugar import list_names
from ..parse.resolve import CONSTRUCT as CALLED_ARGUMENT, is_user_function, resolve_call
from ..parse.specialized import Specialized
from ..rules import lookup, module_alias
from ..rules.registry import refusal
from .expression_nodes import Node

BINOPS = {
    gast.Add: "Add",
    gast.Sub: "Sub",
    gast.Mult: "Mult",
    gast.Div: "Div",
    gast.Pow: "Pow",
    gast.Mod: "Mod",
    gast.FloorDiv: "FloorDiv",
    gast.MatMult: "MatMult",
    gast.BitAnd: "BitAnd",
    gast.BitOr: "BitOr",
    gast.BitXor: "BitXor",
    gast.LShift: "LShift",
    gast.RShift: "RShift",
}
UNOPS = {gast.USub: "USub", gast.UAdd: "UAdd", gast.Not: "Not", gast.Invert: "Invert"}
NONDIFF_ATTRS = {"shape", "ndim", "size", "dtype", "itemsize", "nbytes"}


def fold_builtin(fn, e, keywords):
    """``max(a, b, c)`` -> ``max(a, max(b, c))``, ``max([a, b])`` the same, ``sum([a, b],
    s)`` -> ``s + a + b``: a new expression, ``None`` for one array (or list variable)
    argument, or why the call is refused."""
    name = fn.__name__
    extra = set(keywords) - ({"start"} if fn is builtins.sum else set())
    if extra:
        return f"{name}() with {', '.join(sorted(extra))}= is not supported"
    args = list(e.args)
    seq = args[0] if args and isinstance(args[0], (gast.List, gast.Tuple)) else None
    if fn is builtins.sum:
        if seq is None:
            return None
        items, start = list(seq.elts), keywords.get("start", args[1] if len(args) > 1 else None)
        if not items:
            return start if start is not None else gast.Constant(value=0, kind=None)
        out = items[0] if start is None else gast.BinOp(left=start, op=gast.Add(), right=items[0])
        for it in items[1:]:
            out = gast.BinOp(left=out, op=gast.Add(), right=it)
    else:
        if len(args) == 2 or (len(args) == 1 and seq is None):
            return None
        items = list(seq.elts) if len(args) == 1 else args
        if not items:
            return f"{name}() of an empty sequence"
        out = items[-1]
        for it in reversed(items[:-1]):
            out = gast.Call(
                func=gast.Name(id=name, ctx=gast.Load(), annotation=None, type_comment=None),
                args=[it, out],
                keywords=[],
            )
    for n in gast.walk(out):
        if getattr(n, "lineno", None) is None:
            n.lineno, n.col_offset = getattr(e, "lineno", None), getattr(e, "col_offset", 0)
    return out


class ExpressionBuilder:
    """Builds Node trees, resolving calls against the function's namespace."""

    def __init__(self, parsed, local_names):
        self.parsed = parsed
        self.locals = set(local_names)
        self.user_calls = []  # (callee, node) for every user function called

    # ----------------------------------------------------------- resolution
    def resolve(self, func):
        """The Python object a call's ``func`` refers to, or ('method', name) for x.meth."""
        return resolve_call(self.parsed, func, self.locals)

    is_user_function = staticmethod(is_user_function)

    # ----------------------------------------------------------- building
    def build(self, e):
        P = self.parsed
        if isinstance(e, gast.Name):
            if e.id in self.locals:
                return Node("var", e, name=e.id)
            return Node("const", e)  # a global constant
        if isinstance(e, gast.Constant):
            return Node("const", e)
        if isinstance(e, (gast.Compare, gast.BoolOp)):
            return Node("opaque", e)
        if isinstance(e, gast.BinOp):
            if (
                isinstance(e.op, (gast.Add, gast.Mult))
                and self._is_list(e.left)
                and (
                    self._is_list(e.right)
                    if isinstance(e.op, gast.Add)
                    else isinstance(e.right, gast.Constant) and type(e.right.value) is int
                )
            ):
                raise P.error(
                    "list concatenation or repetition is not supported in "
                    "differentiated code; build the list with xs.append(v)",
                    e,
                    construct="list concatenation",
                )
            return self._op(e, "op:" + BINOPS[type(e.op)], [e.left, e.right], {}, "np")
        if isinstance(e, gast.UnaryOp):
            if isinstance(e.op, gast.USub) and isinstance(e.operand, gast.Constant):
                return Node("const", e)
            return self._op(e, "op:" + UNOPS[type(e.op)], [e.operand], {}, "np")
        if isinstance(e, gast.Subscript):
            base = self.build(e.value)
            if base.kind in ("const", "opaque"):
                return Node("opaque", e)
            return Node("getitem", e, base=base, index=e.slice)
        if isinstance(e, gast.Attribute):
            root = e
            while isinstance(root, gast.Attribute):
                root = root.value
            if isinstance(root, gast.Name) and root.id not in self.locals:
                obj = self.resolve(e)
                if callable(obj):
                    raise P.error(f"'{S.dotted(e)}' used as a value", e)
                return Node("const", e)  # np.pi, a module constant
            if e.attr in NONDIFF_ATTRS:
                return Node("opaque", e)
            rule, kind = lookup("attr:" + e.attr)
            if (
                rule is None
                and isinstance(root, gast.Name)
                and root is e.value
                and root.id in P.params
            ):
                raise P.error(
                    f"'{root.id}.{e.attr}' reads a field of an argument: pass a "
                    "dataclass or namedtuple for it (the derivative is generated "
                    "for its class)",
                    e,
                    construct=CALLED_ARGUMENT,
                )
            if rule is None:
                raise P.error(
                    f"no derivative rule for attribute '.{e.attr}'", e, construct=f".{e.attr}"
                )
            return self._bind(e, rule, [e.value], {}, "np", "attr:" + e.attr)
        if isinstance(e, gast.Call):
            return self._call(e)
        if isinstance(e, (gast.Tuple, gast.List)):
            # a literal sequence; its adjoint is indexed like np.stack's (g[k])
            return self._seq(e, e, "tuple", 0)
        if isinstance(e, gast.Dict):
            raise P.error(
                "a dict literal is not supported in differentiated code",
                e,
                construct="dict literal",
            )
        raise P.error(f"unsupported expression: {type(e).__name__}", e, construct=type(e).__name__)

    def _is_list(self, e):
        if isinstance(e, gast.List):
            return True
        if "_list_names" not in self.parsed.__dict__:
            self.parsed._list_names = list_names(self.parsed.node)
        return isinstance(e, gast.Name) and e.id in self.parsed._list_names

    def _op(self, e, key, operands, keywords, module):
        rule, kind = lookup(key)
        if kind == "nondiff":
            return Node("opaque", e)
        return self._bind(e, rule, operands, keywords, module, key)

    def _bind(self, e, rule, operands, keywords, module, key):
        try:
            ba = rule.signature.bind(*operands, **keywords)
        except TypeError as exc:
            raise self.parsed.error(f"unsupported arguments for '{rule.name}': {exc}", e) from None
        ba.apply_defaults()
        why = refusal(rule, ba.arguments)
        if why is not None:
            raise self.parsed.error(why, e, construct=rule.name)
        params = {}
        for pname, value in ba.arguments.items():
            p = rule.signature.parameters[pname]
            if p.kind in (inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.VAR_KEYWORD):
                continue
            if isinstance(value, gast.AST):
                params[pname] = self.build(value) if pname in rule.diff_params else value
            else:
                params[pname] = S.const(value)
        return Node("op", e, rule=rule, module=module, params=params, key=key)

    def _call(self, e):
        P = self.parsed
        target = self.resolve(e.func)
        keywords = {k.arg: k.value for k in e.keywords}
        if None in keywords:
            raise P.error("**kwargs in a call is not supported", e)
        if "out" in keywords and not (
            isinstance(keywords["out"], gast.Constant) and keywords["out"].value is None
        ):
            raise P.error(
                f"'{S.dotted(e.func) or 'call'}' with out= is not supported: "
                "assign the result instead",
                e,
                construct="out=",
            )
        keywords.pop("out", None)  # out=None: the default
        if isinstance(target, tuple):  # x.method(...)
            meth = target[1]
            if (
                meth == "pop"
                and not e.args
                and isinstance(e.func.value, gast.Name)
                and e.func.value.id in self.locals
            ):
                # popping a stack (a tape, in generated code): the value comes from the list
                return Node("pop", e, base=Node("var", e.func.value, name=e.func.value.id))
            rule, kind = lookup("method:" + meth)
            if kind == "nondiff":
                return Node("opaque", e)
            obj = e.func.value
            if rule is None and isinstance(obj, gast.Name) and obj.id in P.params:
                raise P.error(
                    f"'{obj.id}.{meth}()' calls a method of an argument: pass a "
                    "dataclass or namedtuple for it (the derivative is generated for "
                    "its class)",
                    e,
                    construct=CALLED_ARGUMENT,
                )
            if rule is None:
                raise P.error(
                    f"no derivative rule for method '.{meth}()'", e, construct=f".{meth}()"
                )
            return self._bind(
                e, rule, [e.func.value] + list(e.args), keywords, "np", "method:" + meth
            )
        if self.is_user_function(target):
            return self._user_call(e, target, keywords)
        rule, kind = lookup(target)
        if kind == "nondiff":
            return Node("opaque", e)
        name = S.dotted(e.func)
        if getattr(target, "__module__", "") and str(getattr(target, "__module__", "")).startswith(
            "numpy.random"
        ):
            return Node("opaque", e)
        if rule is None:
            raise P.error(f"no derivative rule for call to '{name}'", e, construct=name)
        if (
            target in (np.array, np.asarray)
            and e.args
            and isinstance(e.args[0], (gast.List, gast.Tuple))
        ):
            return self._seq(e, e.args[0], "stack", 0)
        if rule.seq_param:
            seq = keywords.pop(rule.seq_param, None) or (e.args[0] if e.args else None)
            axis = keywords.get("axis", e.args[1] if len(e.args) > 1 else None)
            if not isinstance(seq, (gast.List, gast.Tuple)):
                raise P.error(f"'{name}' needs a literal list or tuple of arrays", e)
            if axis is not None and not (
                isinstance(axis, gast.Constant) and isinstance(axis.value, int)
            ):
                raise P.error(f"'{name}' needs a constant integer axis", e)
            return self._seq(e, seq, rule.name, 0 if axis is None else axis.value)
        if target in (builtins.max, builtins.min, builtins.sum):
            folded = fold_builtin(target, e, keywords)
            if isinstance(folded, str):
                raise P.error(folded, e, construct=name)
            if folded is not None:
                return self.build(folded)
            if target is not builtins.sum and len(e.args) == 1:  # max(v): np.max's rule
                rule, target = lookup(np.max)[0], np.max
        return self._bind(e, rule, list(e.args), keywords, module_alias(target), target)

    def _seq(self, e, seq, kind, axis):
        return Node("seq", e, args=[self.build(a) for a in seq.elts], seq_kind=kind, axis=axis)

    def _user_call(self, e, fn, keywords):
        fn = getattr(fn, "py_func", fn)
        sig = inspect.signature(fn.fn if isinstance(fn, (custom_vjp, custom_jvp)) else fn)
        try:
            ba = sig.bind(*e.args, **keywords)
        except TypeError as exc:
            raise self.parsed.error(f"bad call to '{fn.__name__}': {exc}", e) from None
        ba.apply_defaults()
        args = []
        bindings = {}
        for pname, value in ba.arguments.items():
            passed = self._function_value(value)
            if passed is not None:
                bindings[pname] = passed
            if not isinstance(value, gast.AST):
                if not (value is None or isinstance(value, (int, float, bool))):
                    raise self.parsed.error(
                        f"default value of '{pname}' in '{fn.__name__}' must be a number", e
                    )
                value = S.const(value)
            args.append(self.build(value))
        if bindings:
            fn = Specialized(fn, bindings)
        self.user_calls.append(fn)
        return Node("call", e, callee=fn, args=args)

    def _function_value(self, value):
        """The user function an argument expression means (a global function's name, or a
        function argument of this function that is bound), else None."""
        if not isinstance(value, gast.Name):
            return None
        if value.id in self.parsed.bindings:
            return self.parsed.bindings[value.id]
        if value.id in self.locals:
            return None
        obj = self.parsed.namespace.get(value.id)
        return obj if obj is not None and self.is_user_function(obj) else None
