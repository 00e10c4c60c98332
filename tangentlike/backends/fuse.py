"""Whole-array fusion for the Numba backend: runs of elementwise NumPy statements over one
index space become one ``for _i in range(_n)`` loop, so no temporary is allocated per statement.

A statement joins a run when it is elementwise over 1-D arrays of one length (slices with
constant offsets such as ``x[1:]``, ``x[:-1]``, scalars broadcast): ``t = <elementwise>``,
``d_x[1:] += <elementwise>`` (into a gradient made by ``zeros_like``), or a full reduction
``s = np.sum(<elementwise>)`` / ``s = unbroadcast(<elementwise>, scalar)`` accumulated in
the loop. Names used after the run are stored into arrays; the others stay loop scalars
``t_i``. Every run is guarded: its arrays are 1-D and the lengths agree at run time, else
the original statements run (``else:``). Statements the pass does not prove elementwise
(BLAS calls, other reductions, anything unknown) stay as they are and end the run; scalar
and view statements with no dependence on the run move before it. Only the argument kinds
of a real call are used: a later call whose types the fused code does not compile for
falls back to the unfused text (``numba_backend.py``).
"""

import ast

import numba

from ..runtime import declarations
from .fusion_syntax import (
    _No,
    _names_read,
    _names_written,
    _is_comment,
    _np_call,
    _call_named,
    _const_int,
    _elem,
    _small_power,
    _whole_reduction,
    _aliasing,
)

_ELEMENTWISE = {"exp", "log", "sin", "cos", "tan", "tanh", "sqrt", "abs", "negative"}
# side-effect-free calls: the pure runtime helpers (from their declarations) and builtins
_PURE_CALLS = set(declarations.names(pure=True)) | {"len", "float", "abs", "min", "max"}
_REDUCTIONS = {"sum", "max", "min", "mean", "dot", "prod"}
_OPS = (ast.Add, ast.Sub, ast.Mult, ast.Div, ast.Pow)
SCALAR = "scalar"


@numba.njit(error_model="numpy")
def fused_div(a, b):
    """``a / b`` with NumPy's semantics (inf, nan) where the run divided arrays."""
    return a / b


@numba.njit(error_model="numpy")
def fused_pow(a, b):
    """``a ** b`` with NumPy's semantics (inf, nan) where the run raised arrays."""
    return a**b


class Arr:
    """A 1-D array of length ``len(root) - off`` (clamped at 0), held by ``name``."""

    def __init__(self, key, name=None, lo=0, hi=0):
        self.key, self.name, self.lo, self.hi = key, name, lo, hi

    def length(self):
        c = self.lo + self.hi
        size = f"len({self.name})"
        return size if c == 0 else f"max({size} - {c}, 0)"


class _Region:
    def __init__(self):
        self.stmts = []  # (kind, stmt, target, element ast)
        self.hoisted = []
        self.reads, self.locals, self.pending, self.stores = set(), set(), set(), set()
        self.outside = set()  # locals read before the run assigned them
        self.operands = []

    def work(self):
        kinds = [k for k, *_ in self.stmts if k != "comment"]
        return "red" in kinds or len(kinds) >= 2


class _Fuser:
    def __init__(self, fdef, env, arrays, store_safe):
        self.fdef, self.env, self.arrays, self.store_safe = fdef, env, arrays, store_safe
        self.region = None
        self.mutated = set()
        for n in ast.walk(fdef):
            if isinstance(n, ast.AugAssign):
                self.mutated |= _names_read(n.target) | _names_written(n.target)
            if isinstance(n, ast.Assign) and isinstance(n.targets[0], ast.Subscript):
                self.mutated |= _names_read(n.targets[0])

    # ------------------------------------------------------------ expressions
    def kind_of_name(self, name):
        r = self.region
        if r is not None and (name in r.pending or name in r.stores):
            raise _No
        k = self.env.get(name)
        if k is None:
            raise _No(name)
        return k

    def ev(self, node):
        """(kind, element expression): kind SCALAR or an Arr."""
        r = self.region
        if isinstance(node, ast.Constant) and type(node.value) in (int, float):
            return SCALAR, node
        if isinstance(node, ast.Name):
            k = self.kind_of_name(node.id)
            if k is SCALAR:
                return k, node
            if r is not None and node.id in r.locals:
                return k, _elem(f"{node.id}_i")
            self.use(k)
            return k, _elem(f"{node.id}[_i]")
        if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name):
            base = self.kind_of_name(node.value.id)
            s = node.slice
            if base is SCALAR or not isinstance(s, ast.Slice) or s.step is not None:
                raise _No
            if r is not None and node.value.id in r.locals:
                raise _No
            lo, up = _const_int(s.lower), _const_int(s.upper)
            if lo < 0 or up > 0 or (s.upper is not None and up == 0):
                raise _No
            k = Arr((base.key[0], base.key[1] + lo - up), node.value.id, lo, -up)
            self.use(k)
            return k, _elem(f"{node.value.id}[_i + {lo}]" if lo else f"{node.value.id}[_i]")
        if isinstance(node, ast.BinOp) and isinstance(node.op, _OPS):
            (ka, ea), (kb, eb) = self.ev(node.left), self.ev(node.right)
            k = ka if ka is not SCALAR else kb
            if isinstance(node.op, ast.Div) and k is not SCALAR:
                return k, ast.Call(ast.Name("fused_div", ast.Load()), [ea, eb], [])
            if isinstance(node.op, ast.Pow) and k is not SCALAR and not _small_power(node.right):
                return k, ast.Call(ast.Name("fused_pow", ast.Load()), [ea, eb], [])
            return k, ast.BinOp(ea, node.op, eb)
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
            k, e = self.ev(node.operand)
            return k, ast.UnaryOp(node.op, e)
        if _np_call(node, _ELEMENTWISE) and len(node.args) == 1:
            k, e = self.ev(node.args[0])
            return k, ast.Call(node.func, [e], [])
        if (_call_named(node, "unbroadcast") and len(node.args) == 2) or (
            _call_named(node, "unreduce") and _whole_reduction(node)
        ):
            kg, eg = self.ev(node.args[0])
            kx = self.shape_of(node.args[1])
            if node.func.id == "unreduce" and kg is not SCALAR:
                raise _No
            if kx is SCALAR and kg is not SCALAR:
                raise _No  # a reduction: only as a statement of its own
            if kx is not SCALAR:
                self.use(kx)
                if kg is not SCALAR:
                    self.use(kg)
            return kx, eg
        raise _No

    def shape_of(self, node):
        if isinstance(node, ast.Name):
            k = self.env.get(node.id)
            if k is None:
                raise _No
            return k
        return self.ev(node)[0]

    def use(self, k):
        """``k``'s length is guarded before the loop: its name must not move there."""
        if self.region is not None:
            self.region.operands.append(k)

    def scalar_expr(self, node):
        """Whether ``node`` is a side-effect-free expression of scalars (names SCALAR)."""
        for n in ast.walk(node):
            if isinstance(n, ast.Call):
                f = n.func
                pure = (isinstance(f, ast.Name) and f.id in _PURE_CALLS) or (
                    isinstance(f, ast.Attribute)
                    and isinstance(f.value, ast.Name)
                    and f.value.id in ("np", "math")
                )
                if not pure:
                    return False
        funcs = {id(n.func) for n in ast.walk(node) if isinstance(n, ast.Call)}
        funcs |= {
            id(n.value)
            for n in ast.walk(node)
            if isinstance(n, ast.Attribute) and isinstance(n.value, ast.Name)
        }
        for n in ast.walk(node):
            if isinstance(n, ast.Name) and id(n) not in funcs:
                if self.env.get(n.id) is not SCALAR:
                    return False
                r = self.region
                if r is not None and (n.id in r.pending or n.id in r.locals):
                    return False
        return True

    # ------------------------------------------------------------ statements
    def classify(self, stmt):
        """("elem"|"red"|"store", target, element, init) or None."""
        if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1:
            t = stmt.targets[0]
            if not isinstance(t, ast.Name):
                return None
            v = stmt.value
            init, red = None, None
            if _np_call(v, {"sum"}) and len(v.args) == 1:
                init, red = ast.Constant(0.0), v.args[0]
            elif _call_named(v, "unbroadcast") and len(v.args) == 2:
                if self.shape_of(v.args[1]) is SCALAR:
                    init, red = ast.Constant(0.0), v.args[0]
            elif (
                isinstance(v, ast.BinOp)
                and isinstance(v.op, ast.Add)
                and _call_named(v.right, "unbroadcast")
                and len(v.right.args) == 2
                and self.shape_of(v.right.args[1]) is SCALAR
                and self.scalar_expr(v.left)
            ):
                init, red = v.left, v.right.args[0]
            if red is not None:
                k, e = self.ev(red)
                if k is SCALAR:
                    return None
                return "red", t.id, e, init
            if _aliasing(v) and (t.id in self.mutated or _names_read(v) & self.mutated):
                return None
            k, e = self.ev(v)
            if k is SCALAR or isinstance(v, (ast.Name, ast.Subscript)):
                return None
            return "elem", t.id, e, k
        if (
            isinstance(stmt, ast.AugAssign)
            and isinstance(stmt.op, ast.Add)
            and isinstance(stmt.target, ast.Subscript)
            and isinstance(stmt.target.value, ast.Name)
            and stmt.target.value.id in self.store_safe
        ):
            base = stmt.target.value.id
            stores = self.region.stores if self.region is not None else set()
            held, stores_held = set(stores), stores
            stores_held.discard(base)
            try:
                sub = ast.Subscript(ast.Name(base, ast.Load()), stmt.target.slice, ast.Load())
                tk, te = self.ev(sub)
            finally:
                stores_held |= held
            k, e = self.ev(stmt.value)
            return "store", base, (te, e), tk
        return None

    def try_add(self, stmt):
        """Add ``stmt`` to the open run (True), or say it does not fit (False)."""
        r = self.region
        if _is_comment(stmt):
            r.stmts.append(("comment", stmt, None, (None, None)))
            return True
        n_ops = len(r.operands)
        try:
            c = self.classify(stmt)
        except _No:
            c = None
        if c is None:
            del r.operands[n_ops:]
            return self.try_hoist(stmt)
        kind, target, elem, extra = c
        guarded = {k.name for k in r.operands[n_ops:]}  # (lengths checked before the loop)
        reads = (_names_read(stmt.value) | guarded) - r.locals
        if kind == "store":
            reads = _names_read(stmt.value) | _names_read(stmt.target.slice) | guarded
            reads -= r.locals | {target}
            if target in r.reads or target in r.locals:
                del r.operands[n_ops:]
                return False
        if reads & (r.stores | r.pending) or target in r.pending:
            del r.operands[n_ops:]
            return False
        if kind == "red" and (target in r.reads or target in r.locals or target in r.stores):
            del r.operands[n_ops:]
            return False
        if kind == "elem" and target in r.stores:
            del r.operands[n_ops:]
            return False
        r.reads |= reads
        if kind == "elem":
            if target in r.reads and target not in r.locals:
                r.outside.add(target)
            r.locals.add(target)
            self.env[target] = extra
        elif kind == "red":
            r.pending.add(target)
            self.env[target] = SCALAR
            if extra is not None and not isinstance(extra, ast.Constant):
                r.reads |= _names_read(extra)
        else:
            r.stores.add(target)
        r.stmts.append((kind, stmt, target, (elem, extra)))
        return True

    def try_hoist(self, stmt):
        r = self.region
        if not (
            isinstance(stmt, ast.Assign)
            and len(stmt.targets) == 1
            and isinstance(stmt.targets[0], ast.Name)
        ):
            return False
        t = stmt.targets[0].id
        v = stmt.value
        if (
            _call_named(v, "zeros_like")
            and len(v.args) == 1
            and isinstance(v.args[0], ast.Name)
            and v.args[0].id in r.pending
            and t not in (r.reads | r.locals | r.pending | r.stores)
        ):  # the zero of a reduction still running: 0.0, whatever its value
            stmt = ast.Assign([ast.Name(t, ast.Store())], ast.Constant(0.0))
            r.hoisted.append(stmt)
            self.env[t] = SCALAR
            return True
        reads = _names_read(stmt.value)
        if reads & (r.locals | r.pending | r.stores) or t in (
            r.reads | r.locals | r.pending | r.stores
        ):
            return False
        if not (self.scalar_expr(stmt.value) or _view(stmt.value, self.env)):
            return False
        r.hoisted.append(stmt)
        self.update_env(stmt)
        return True

    def update_env(self, stmt):
        """The kinds after a statement that runs as it is."""
        env_t = None
        if isinstance(stmt, ast.Assign) and isinstance(stmt.targets[0], ast.Name):
            t = stmt.targets[0].id
            saved, self.region = self.region, None
            try:
                env_t = self._result_kind(stmt.value, t)
            except _No:
                pass
            finally:
                self.region = saved
        for name in _names_written(stmt):
            self.env.pop(name, None)
        if env_t is not None:
            self.env[t] = env_t

    def _result_kind(self, v, t):
        if _call_named(v, "zeros_like") and len(v.args) == 1:
            k = self.shape_of(v.args[0])
            return k if k is SCALAR else Arr(k.key, t)
        if _np_call(v, _REDUCTIONS) and all(isinstance(self.shape_of(a), Arr) for a in v.args):
            return SCALAR
        if self.scalar_expr(v):
            return SCALAR
        k, _ = self.ev(v)
        return k if k is SCALAR else Arr(k.key, t)


def _view(v, env):
    return (
        isinstance(v, ast.Subscript)
        and isinstance(v.value, ast.Name)
        and isinstance(env.get(v.value.id), Arr)
    ) or (_call_named(v, "zeros_like") and isinstance(env.get(getattr(v.args[0], "id", "")), Arr))
