"""Dataflow facts about a normalized function.

* activity: a variable is *active* when it depends on a ``wrt`` input (varied) and the
  result depends on it (useful); only active variables get adjoints.
* definedness: for each assignment, which targets may be undefined before it (the first
  assignment of a loop-local variable), so adjoints are created exactly there.
* overwriting: which variables are assigned more than once, inside a loop, or are
  reassigned arguments; only those can need the tape.
"""

from dataclasses import dataclass, field

import gast

from .. import syntax as S
from ..trees import walk as walk_tree
from ..parse import parse_function
from ..parse.resolve import is_user_function
from .expressions import ExpressionBuilder
from .shapes import shape_varying
from .views import assignments as _assignments, view_sources as _view_sources
from .views import views_read_after_write
from .helper_results import HelperResults, assigned_sources
from .shared_updates import refuse_shared_updates


@dataclass
class FunctionFacts:
    args: list
    locals: set
    trees: dict = field(default_factory=dict)  # id(stmt) -> Node (value side)
    active: set = field(default_factory=set)
    varied: set = field(default_factory=set)
    useful: set = field(default_factory=set)
    ndefs: dict = field(default_factory=dict)  # var -> number of assignments
    defined_in_loop: set = field(default_factory=set)
    loop_targets: set = field(default_factory=set)
    stored_into: set = field(default_factory=set)  # arrays written element-wise
    maybe_undefined: dict = field(default_factory=dict)  # id(stmt) -> set of targets
    never_defined: dict = field(default_factory=dict)  # id(stmt) -> set of targets
    defined_at_end: set = field(default_factory=set)  # defined on every path to the end
    user_calls: list = field(default_factory=list)
    list_ops: dict = field(default_factory=dict)  # id(Expr) -> (list name, method, Node)
    owned_args: set = field(default_factory=set)  # arguments copied on entry (written into)
    shape_varying: set = field(default_factory=set)  # may change shape (analyze/shapes.py)

    @property
    def changed_in_place(self):
        """Names whose object changes after it is assigned: arrays written element-wise
        and lists appended to or popped (the value is not its assignment's any more)."""
        return self.stored_into | {name for name, _, _ in self.list_ops.values()}

    def overwritten(self, v):
        """Whether an earlier value of ``v`` can be replaced by a later assignment."""
        if v in self.loop_targets and v not in self.ndefs:
            return False
        n = self.ndefs.get(v, 0)
        return n > 1 or v in self.defined_in_loop or (v in self.args and n > 0)


def targets_of(stmt):
    """Names a normalized assignment writes (a subscript store writes its base array)."""
    t = stmt.targets[0]
    if isinstance(t, gast.Name):
        return [t.id]
    if isinstance(t, gast.Tuple):
        return [e.id for e in t.elts]
    if isinstance(t, gast.Subscript):
        base = t.value
        while isinstance(base, gast.Subscript):
            base = base.value
        return [base.id] if isinstance(base, gast.Name) else []
    return []


def analyze_function(parsed, body, wrt_names, output_names, reverse=True):
    args = [a.id for a in parsed.node.args.args]
    local_names = set(args)
    for s in body:
        local_names |= S.stored_names(s)
    facts = FunctionFacts(args=args, locals=local_names)
    builder = ExpressionBuilder(parsed, local_names)
    results = HelperResults(builder.resolve, is_user_function, parse_function)
    # a write seen through a view made of the written array: the more specific message first
    views_read_after_write(parsed, body, _loads_outside_views(body, results), reverse)
    for names, err in refuse_shared_updates(parsed, body, results, reverse):
        guards = parsed.__dict__.setdefault("number_guards", {})  # message -> (names, error)
        guards.setdefault(str(err), (names, err))

    def visit(stmts, in_loop):
        for s in stmts:
            if isinstance(s, gast.Assign):
                facts.trees[id(s)] = builder.build(s.value)
                for v in targets_of(s):
                    if isinstance(s.targets[0], gast.Subscript):
                        facts.stored_into.add(v)
                        continue
                    facts.ndefs[v] = facts.ndefs.get(v, 0) + 1
                    if in_loop:
                        facts.defined_in_loop.add(v)
            elif isinstance(s, gast.If):
                visit(s.body, in_loop)
                visit(s.orelse, in_loop)
            elif isinstance(s, gast.For):
                facts.loop_targets.add(s.target.id)
                visit(s.body, True)
            elif isinstance(s, gast.While):
                visit(s.body, True)
            elif isinstance(s, gast.Expr):
                op = _list_op(s)
                if op is not None:  # st.append(v) / st.pop(): generated tapes
                    name, meth, arg = op
                    facts.list_ops[id(s)] = (
                        name,
                        meth,
                        builder.build(arg) if arg is not None else None,
                    )

    visit(body, False)
    facts.owned_args = _written_roots(parsed, body, facts, local_names, reverse, results)
    facts.user_calls = builder.user_calls
    _activity(facts, body, wrt_names, output_names)
    _definedness(facts, body, set(args))
    facts.shape_varying = shape_varying(body, {v for v in local_names if facts.overwritten(v)})
    return facts, builder


def _written_roots(parsed, body, facts, local_names, reverse=True, results=None):
    """Arguments that an in-place write may reach (through views and aliases): they are
    copied on entry, so no derivative mutates its caller's arrays. A write that may reach
    a module-level (global) array is refused: the derivative would change it."""
    views = {}  # name -> {(source, through a view: not a plain alias)}
    for s in _assignments(body):
        for name, srcs, is_view in assigned_sources(s, results):
            views.setdefault(name, set()).update((v, is_view) for v in srcs)
    owned = set()
    loads = _loads_outside_views(body, results)
    for s in _assignments(body):
        t = s.targets[0]
        if not isinstance(t, gast.Subscript):
            continue
        base = t.value
        while isinstance(base, gast.Subscript):
            base = base.value
        if not isinstance(base, gast.Name):
            raise parsed.error(
                "writing through an expression (a view such as 'D.T[...]') is "
                "not supported; write into the array itself (D[..., ...] with "
                "the index transposed)",
                s,
                construct="write through a view",
            )
        seen, through_view = set(), set()
        stack = [(v, False) for v in _view_sources(t.value)]
        while stack:
            v, via_view = stack.pop()
            if (v, via_view) in seen:
                continue
            seen.add((v, via_view))
            if via_view:
                through_view.add(v)
            if v not in local_names:
                raise parsed.error(
                    f"writing into the global array '{v}' is not supported "
                    "(a derivative must not change module state); copy it "
                    "into a local array first",
                    s,
                    construct="global write",
                )
            stack.extend((u, via_view or kind) for u, kind in views.get(v, ()))
        seen = {v for v, _ in seen}
        # plain aliases (``w = u``, swaps) are restored from the tape with the array they
        # share (transform/reverse.py); a view of part of an array is not
        stacks = {name for name, _, _ in facts.list_ops.values()}  # tapes hold old values
        others = sorted(u for u in through_view - {base.id} if u in loads and u not in stacks)
        if others:
            raise parsed.error(
                f"writing into '{base.id}', which may share memory with "
                f"'{others[0]}' (a view or an alias), while '{others[0]}' is "
                "read elsewhere is not supported: the derivative would not see "
                f"the change; copy it ({base.id} = {others[0]}.copy() or "
                "np.copy(...))",
                s,
                construct="write through an alias",
            )
        owned |= seen & set(facts.args)
    return owned


def _loads_outside_views(body, results=None):
    """Names read by some statement other than one that only takes a view of them (or
    passes them to a helper that returns them)."""
    out = set()
    for s in _assignments(body):
        if isinstance(s.targets[0], (gast.Name, gast.Tuple)):
            viewed = set().union(*(srcs for _, srcs, _ in assigned_sources(s, results)))
            out |= S.loaded_names(s.value) - viewed
        else:
            out |= S.loaded_names(s.value) | (
                S.loaded_names(s.targets[0].slice)
                if isinstance(s.targets[0], gast.Subscript)
                else set()
            )
    for s in body:
        for n in walk_tree(s):
            if isinstance(n, (gast.If, gast.While)):
                out |= S.loaded_names(n.test)
            elif isinstance(n, gast.For):
                out |= S.loaded_names(n.iter)
            elif isinstance(n, (gast.Return, gast.Expr)) and n.value is not None:
                out |= S.loaded_names(n.value)
    return out


def _list_op(s):
    """``(list, 'append' | 'pop', argument)`` for a statement ``name.append(v)`` or
    ``name.pop()``, else None."""
    c = s.value
    if (
        isinstance(c, gast.Call)
        and isinstance(c.func, gast.Attribute)
        and isinstance(c.func.value, gast.Name)
        and c.func.attr in ("append", "pop")
        and not c.keywords
    ):
        if c.func.attr == "append" and len(c.args) == 1:
            return c.func.value.id, "append", c.args[0]
        if c.func.attr == "pop" and not c.args:
            return c.func.value.id, "pop", None
    return None


def _activity(facts, body, wrt_names, output_names):
    assigns = [(targets_of(s), facts.trees[id(s)].var_leaves()) for s in _assignments(body)]
    for name, meth, node in facts.list_ops.values():
        if meth == "append":  # the list now holds (depends on) the value
            assigns.append(([name], node.var_leaves() | {name}))
    varied = set(wrt_names)
    changed = True
    while changed:
        changed = False
        for targets, leaves in assigns:
            if leaves & varied and not set(targets) <= varied:
                varied |= set(targets)
                changed = True
    useful = set(output_names)
    changed = True
    while changed:
        changed = False
        for targets, leaves in assigns:
            if set(targets) & useful and not leaves <= useful:
                useful |= leaves
                changed = True
    facts.varied, facts.useful = varied, useful
    facts.active = varied & useful


def _ends_with_jump(stmts):
    if not stmts:
        return False
    last = stmts[-1]
    if isinstance(last, (gast.Break, gast.Continue, gast.Return)):
        return True
    return isinstance(last, gast.If) and _ends_with_jump(last.body) and _ends_with_jump(last.orelse)


def _definedness(facts, body, defined):
    """``maybe_undefined``: targets an assignment may be the first to define (some path
    reaches it without a value); ``never_defined``: those no path has defined before it
    (the assignment is certainly the first: nothing older to restore)."""

    def walk(stmts, defined, possibly):
        for s in stmts:
            if isinstance(s, gast.Assign):
                if not isinstance(s.targets[0], gast.Subscript):
                    ts = targets_of(s)
                    facts.maybe_undefined[id(s)] = {t for t in ts if t not in defined}
                    facts.never_defined[id(s)] = {t for t in ts if t not in possibly}
                    defined |= set(ts)
                    possibly |= set(ts)
            elif isinstance(s, gast.If):
                d1, p1 = walk(s.body, set(defined), set(possibly))
                d2, p2 = walk(s.orelse, set(defined), set(possibly))
                possibly = p1 | p2
                j1, j2 = _ends_with_jump(s.body), _ends_with_jump(s.orelse)
                if j1 and not j2:
                    defined = d2
                elif j2 and not j1:
                    defined = d1
                else:
                    defined = d1 & d2
            elif isinstance(s, gast.For):
                inner = _assigned(s.body) | {s.target.id}  # a later iteration's values
                _, p = walk(s.body, set(defined) | {s.target.id}, possibly | inner)
                possibly = p
            elif isinstance(s, gast.While):
                _, p = walk(s.body, set(defined), possibly | _assigned(s.body))
                possibly = p
        return defined, possibly

    facts.defined_at_end = walk(body, set(defined), set(defined))[0]


def _assigned(stmts):
    return {
        t for s in stmts for n in walk_tree(s) if isinstance(n, gast.Assign) for t in targets_of(n)
    }
