"""Which arguments a user function's result may share memory with.

``def h(x, c): return x, 2 * c`` returns its first argument itself: after ``u, s = h(w, a)``
the names ``u`` and ``w`` are one array, so an in-place change of either is seen through
the other. The callee's own source is read (flow-insensitively: plain names, views,
subscripts and further helper calls carry their sources into each returned value), and the
parameters found are mapped back to the call's argument expressions.
"""

import inspect

import gast

from ..trees import walk

_MAX_DEPTH = 8


class HelperResults:
    """``sources(call)``: for a call of a user function, the argument expressions each
    position of its result may share memory with (a list, one entry per position of a
    tuple result, or one entry for a single result), else None."""

    def __init__(self, resolve, is_user_function, parse):
        self._resolve = resolve  # func node -> Python object (raises when unknown)
        self._is_user = is_user_function
        self._parse = parse  # Python function -> parsed (with .node)
        self._returns = {}  # function -> [set of parameter names] per result position
        self._kinds = {}  # function -> [number kind] per result position (number_kinds.py)

    def sources(self, call, resolve=None):
        try:
            fn = (resolve or self._resolve)(call.func)
        except Exception:
            return None
        if isinstance(fn, tuple) or not self._is_user(fn):
            return None
        fn = getattr(fn, "fn", fn)  # custom_vjp / custom_jvp wrap the function
        positions = self._returned_params(fn, 0)
        if positions is None:
            return None
        params = self._param_map(fn, call)
        return [[e for p in ps for e in params.get(p, ())] for ps in positions]

    def kinds(self, call, kind_of_argument):
        """The number kinds (``number_kinds.py``) of a user function's result at ``call``,
        one per position, given the kinds of the expressions passed; else None."""
        from .number_kinds import result_kinds, substitute, value_kind

        try:
            fn = self._resolve(call.func)
        except Exception:
            return None
        if isinstance(fn, tuple) or not self._is_user(fn):
            return None
        fn = getattr(fn, "fn", fn)
        if fn not in self._kinds:
            self._kinds[fn] = None  # recursion: not known
            try:
                parsed = self._parse(fn)
                self._kinds[fn] = result_kinds(parsed.node, parsed.namespace, self._nested(parsed))
            except Exception:
                return None
        positions = self._kinds[fn]
        if positions is None:
            return None
        passed = self._param_map(fn, call)
        try:
            defaults = {
                p: v.default
                for p, v in inspect.signature(fn).parameters.items()
                if v.default is not inspect.Parameter.empty
            }
        except (TypeError, ValueError):
            defaults = {}

        def argument_kind(p):
            exprs = passed.get(p)
            if exprs is None:
                return value_kind(defaults[p]) if p in defaults else None
            return kind_of_argument(exprs[0]) if len(exprs) == 1 else None

        return [substitute(k, argument_kind) for k in positions]

    def _nested(self, parsed):
        """``kinds`` for the calls inside a callee (resolved in its own module)."""
        resolve = _resolver(parsed, self._resolve)
        outer = self

        class _Inner(HelperResults):
            def __init__(self):
                self._resolve, self._is_user, self._parse = resolve, outer._is_user, outer._parse
                self._returns, self._kinds = outer._returns, outer._kinds

        return _Inner().kinds

    def _param_map(self, fn, call):
        """parameter name -> argument expressions passed for it (all of them for *args)."""
        try:
            sig = inspect.signature(fn)
        except (TypeError, ValueError):
            return {}
        names = list(sig.parameters)
        out = {}
        star = [p for p, v in sig.parameters.items() if v.kind is v.VAR_POSITIONAL]
        for k, a in enumerate(call.args):
            value = a.value if isinstance(a, gast.Starred) else a
            if k < len(names) and not star or (star and k < names.index(star[0])):
                out.setdefault(names[k], []).append(value)
            elif star:
                out.setdefault(star[0], []).append(value)
        for kw in call.keywords:
            if kw.arg is not None:
                out.setdefault(kw.arg, []).append(kw.value)
        return out

    def _returned_params(self, fn, depth):
        if fn in self._returns:
            return self._returns[fn]
        if depth > _MAX_DEPTH:
            return None
        self._returns[fn] = None  # recursion: no facts
        try:
            parsed = self._parse(fn)
        except Exception:
            return None
        node = parsed.node
        params = {a.id for a in node.args.args}
        if node.args.vararg is not None:
            params.add(node.args.vararg.id)
        resolve = _resolver(parsed, self._resolve)
        shared = {p: {p} for p in params}  # local name -> parameters it may share memory with
        changed = True
        while changed:
            changed = False
            for target, value in _bindings(node):
                for name, srcs in self._bind(target, value, shared, resolve, depth):
                    new = shared.setdefault(name, set())
                    if not srcs <= new:
                        new |= srcs
                        changed = True
        positions = None
        for r in walk(node):
            if not isinstance(r, gast.Return) or r.value is None:
                continue
            elts = r.value.elts if isinstance(r.value, gast.Tuple) else [r.value]
            got = [self._expr(e, shared, resolve, depth) for e in elts]
            if positions is None:
                positions = got
            elif len(positions) == len(got):
                positions = [a | b for a, b in zip(positions, got)]
            else:  # returns of different lengths: every position may share with all
                every = set().union(*positions, *got)
                positions = [every] * max(len(positions), len(got))
        self._returns[fn] = positions
        return positions

    def _bind(self, target, value, shared, resolve, depth):
        if isinstance(target, gast.Name):
            yield target.id, self._expr(value, shared, resolve, depth)
        elif isinstance(target, (gast.Tuple, gast.List)):
            if isinstance(value, (gast.Tuple, gast.List)) and len(value.elts) == len(target.elts):
                for t, v in zip(target.elts, value.elts):
                    yield from self._bind(t, v, shared, resolve, depth)
                return
            whole = self._call_positions(value, shared, resolve, depth)
            if whole is None or len(whole) != len(target.elts):
                whole = [self._expr(value, shared, resolve, depth)] * len(target.elts)
            for t, srcs in zip(target.elts, whole):
                for name in _target_names(t):
                    yield name, srcs

    def _call_positions(self, value, shared, resolve, depth):
        """Per result position, the parameters a user-function call's result may share
        memory with; None for any other expression."""
        if not isinstance(value, gast.Call):
            return None
        try:
            fn = resolve(value.func)
        except Exception:
            return None
        if isinstance(fn, tuple) or not self._is_user(fn):
            return None
        fn = getattr(fn, "fn", fn)
        positions = self._returned_params(fn, depth + 1)
        if positions is None:
            return None
        params = self._param_map(fn, value)
        return [
            set().union(
                *(self._expr(e, shared, resolve, depth) for p in ps for e in params.get(p, ()))
            )
            for ps in positions
        ]

    def _expr(self, e, shared, resolve, depth):
        """Parameters the value of ``e`` may share memory with."""
        from .views import view_sources

        out = set()
        for name in view_sources(e):
            out |= shared.get(name, set())
        positions = self._call_positions(e, shared, resolve, depth)
        if positions:
            out |= set().union(*positions)
        return out


def _resolver(parsed, default):
    from .expressions import ExpressionBuilder

    local = set()
    for n in walk(parsed.node):
        if isinstance(n, gast.Name) and isinstance(n.ctx, gast.Store):
            local.add(n.id)
    local |= {a.id for a in parsed.node.args.args}
    builder = ExpressionBuilder(parsed, local)

    def resolve(func):
        return builder.resolve(func)

    return resolve


def _target_names(t):
    if isinstance(t, gast.Name):
        return [t.id]
    if isinstance(t, (gast.Tuple, gast.List)):
        return [n for e in t.elts for n in _target_names(e)]
    return []


def _bindings(node):
    """(target, value) of every assignment in a function's raw source (not nested ones)."""
    for n in walk(node):
        if isinstance(n, gast.Assign):
            for t in n.targets:
                yield t, n.value
        elif isinstance(n, gast.AnnAssign) and n.value is not None:
            yield n.target, n.value
        elif isinstance(n, gast.For):
            yield n.target, n.iter


def assigned_sources(stmt, results):
    """``(name, names its value may share memory with, through a view or a helper's
    result rather than a plain alias)`` for each name a normalized assignment binds."""
    from .views import view_sources

    target, value = stmt.targets[0], stmt.value
    positions = (
        results.sources(value) if results is not None and isinstance(value, gast.Call) else None
    )
    if positions is not None:
        positions = [set().union(*(view_sources(e) for e in exprs)) for exprs in positions]
    if isinstance(target, gast.Name):
        if positions is not None:
            yield target.id, set().union(*positions), True
        else:
            plain = isinstance(value, gast.Name) or (
                isinstance(value, gast.IfExp)
                and isinstance(value.body, gast.Name)
                and isinstance(value.orelse, gast.Name)
            )
            yield target.id, view_sources(value), not plain
    elif isinstance(target, (gast.Tuple, gast.List)) and positions is not None:
        if len(positions) != len(target.elts):
            positions = [set().union(*positions)] * len(target.elts)
        for t, srcs in zip(target.elts, positions):
            for name in _target_names(t):
                yield name, srcs, True
