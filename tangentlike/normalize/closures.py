"""Lift nested functions and lambdas to functions of their own.

``def g(t): return a * t`` (or ``g = lambda t: a * t``) inside ``f`` becomes a function
``f_g(t, a)`` whose extra parameters are the local variables of ``f`` it reads, and every
call ``g(x)`` becomes ``f_g(x, a)``: the value ``a`` has at the call, as Python's closures
read it. The lifted function is a real Python function (compiled from the nested
definition, in the user's file and lines), so it is differentiated, jitted and reported
like any user function. A nested function or lambda that reads no local variable may also
be passed as a value (``euler(lambda y: -y, y0, h, n)``); one that does is refused.
"""

import ast
import weakref

import gast

from .. import syntax as S
from ..trees import Transformer, clone, walk

_LIFTED = weakref.WeakKeyDictionary()  # outer function -> {(line, col): lifted function}
CONSTRUCT = "nested function"


def lift_local_functions(parsed, namer):
    """Replace the nested definitions and lambdas of ``parsed`` by calls of lifted
    functions (added to ``parsed.namespace``)."""
    fdef = parsed.node
    if not any(isinstance(n, (gast.FunctionDef, gast.Lambda)) for s in fdef.body for n in walk(s)):
        return
    outer_locals = {a.id for a in fdef.args.args}
    for s in fdef.body:
        outer_locals |= S.stored_names(s)
        outer_locals |= {n.name for n in walk(s) if isinstance(n, gast.FunctionDef)}
    lifter = _Lifter(parsed, namer, outer_locals)
    fdef.body = lifter.block(fdef.body)


class _Lifter:
    def __init__(self, parsed, namer, outer_locals):
        self.parsed = parsed
        self.namer = namer
        self.outer_locals = outer_locals
        self.lifted = {}  # local name -> (lifted name, free variables)

    def block(self, stmts):
        out = []
        for s in stmts:
            if isinstance(s, gast.FunctionDef):
                self._define(s.name, s, stores=0)
                continue
            if (
                isinstance(s, gast.Assign)
                and len(s.targets) == 1
                and isinstance(s.targets[0], gast.Name)
                and isinstance(s.value, gast.Lambda)
            ):
                self._define(s.targets[0].id, _lambda_def(s.targets[0].id, s.value, s), stores=1)
                continue
            for field in ("body", "orelse"):
                if isinstance(getattr(s, field, None), list) and not isinstance(
                    s, gast.FunctionDef
                ):
                    setattr(s, field, self.block(getattr(s, field)))
            out.append(_Calls(self).visit(s))
        return out

    def _define(self, local, fdef, stores):
        P = self.parsed
        if local in self.lifted:
            raise P.error(
                f"the local function '{local}' is defined twice", fdef, construct=CONSTRUCT
            )
        assigned = sum(
            1
            for s in P.node.body
            for n in walk(s)
            if isinstance(n, gast.Name) and n.id == local and isinstance(n.ctx, gast.Store)
        )
        if assigned != stores:
            raise P.error(
                f"the local function '{local}' is also assigned as a variable",
                fdef,
                construct=CONSTRUCT,
            )
        for n in walk(fdef):
            if isinstance(n, (gast.Nonlocal, gast.Global)):
                raise P.error(
                    f"the local function '{local}' has a "
                    f"{'nonlocal' if isinstance(n, gast.Nonlocal) else 'global'} "
                    "statement, which is not supported",
                    n,
                    construct=CONSTRUCT,
                )
        a = fdef.args
        if a.vararg or a.kwarg or a.kwonlyargs or fdef.decorator_list:
            raise P.error(
                f"the local function '{local}' has *args, **kwargs, keyword-only "
                "arguments or decorators, which are not supported",
                fdef,
                construct=CONSTRUCT,
            )
        for d in a.defaults:
            if not isinstance(d, gast.Constant):
                raise P.error(
                    f"the defaults of the local function '{local}' must be constants",
                    fdef,
                    construct=CONSTRUCT,
                )
        fdef = clone(fdef)
        fdef.body = [_Calls(self).visit(s) for s in fdef.body]  # calls of earlier ones
        own = {x.id for x in a.args}
        for s in fdef.body:
            own |= S.stored_names(s)
        free = sorted(
            {
                n.id
                for s in fdef.body
                for n in walk(s)
                if isinstance(n, gast.Name)
                and isinstance(n.ctx, gast.Load)
                and n.id in self.outer_locals
                and n.id not in own
            }
        )
        name = self.namer.fresh(f"{P.name}_{local}")
        fdef.name = name
        fdef.args.args = list(fdef.args.args) + [
            gast.Name(id=v, ctx=gast.Param(), annotation=None, type_comment=None) for v in free
        ]
        fdef.args.defaults = list(fdef.args.defaults)
        if fdef.args.defaults and free:
            raise P.error(
                f"the local function '{local}' has defaults and reads local "
                f"variables ({', '.join(free)}); pass them as arguments",
                fdef,
                construct=CONSTRUCT,
            )
        self.lifted[local] = (name, free)
        self.parsed.namespace[name] = _function(self.parsed, fdef, self.lifted)


class _Calls(Transformer):
    """Calls of lifted functions get their free variables; lambdas passed as values are
    lifted too."""

    def __init__(self, lifter):
        self.lifter = lifter

    def visit_Call(self, node):
        f = node.func
        node.args = [self.visit(a) for a in node.args]
        node.keywords = [self.visit(k) for k in node.keywords]
        if isinstance(f, gast.Name) and f.id in self.lifter.lifted:
            name, free = self.lifter.lifted[f.id]
            node.func = S.name(name)
            node.args = list(node.args) + [S.name(v) for v in free]
        else:
            node.func = self.visit(f)
        return node

    def visit_Name(self, node):
        entry = self.lifter.lifted.get(node.id)
        if entry is None or not isinstance(node.ctx, gast.Load):
            return node
        return self._as_value(node.id, entry, node)

    def visit_Lambda(self, node):
        local = self.lifter.namer.fresh("lambda")
        self.lifter._define(local, _lambda_def(local, node, node), stores=0)
        return self._as_value(local, self.lifter.lifted[local], node)

    def _as_value(self, local, entry, node):
        name, free = entry
        if free:
            raise self.lifter.parsed.error(
                f"the local function '{local}' reads the local variables "
                f"{', '.join(free)} and is passed as a value; pass them as arguments, or "
                "define it at module level",
                node,
                construct=CONSTRUCT,
            )
        out = S.name(name)
        out.lineno, out.col_offset = getattr(node, "lineno", None), getattr(node, "col_offset", 0)
        return out


def _lambda_def(name, lam, at):
    ret = gast.Return(value=lam.body)
    fdef = gast.FunctionDef(
        name=name,
        args=lam.args,
        body=[ret],
        decorator_list=[],
        returns=None,
        type_comment=None,
        type_params=[],
    )
    for n in (fdef, ret):
        n.lineno, n.col_offset = getattr(at, "lineno", 1), getattr(at, "col_offset", 0)
    return fdef


def _function(parsed, fdef, lifted):
    """The lifted definition as a real function (memoized per outer function and line,
    so that generating twice gives the same object)."""
    per_outer = _LIFTED.setdefault(parsed.fn, {})
    key = (fdef.lineno, fdef.col_offset, fdef.name, len(fdef.args.args))
    fn = per_outer.get(key)
    if fn is None:
        module = gast.gast_to_ast(gast.Module(body=[clone(fdef)], type_ignores=[]))
        ast.fix_missing_locations(module)
        for n in ast.walk(module):  # lambdas' new nodes: a one-line range
            if getattr(n, "lineno", None) is not None:
                n.end_lineno = n.end_col_offset = None
        ast.increment_lineno(module, parsed.line_offset)
        namespace = dict(parsed.namespace)
        exec(compile(module, parsed.filename, "exec"), namespace)  # noqa: S102 - the user's own code
        fn = namespace[fdef.name]
        fn.__tl_definition__ = fdef
        per_outer[key] = fn
    fn.__globals__.update({k: v for k, v in parsed.namespace.items() if k != fdef.name})
    fn.__tl_definition__ = clone(fdef)
    fn.__tl_outer__ = parsed
    return fn
