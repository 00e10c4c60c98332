"""The rows of the rule table (tests/test_rules_table.py): for every registered primitive,
expressions that use it and arguments to check them on.

A row is ``R(keys, expr, args, numba=...)``: ``expr`` is a Python expression over the
arguments ``a, b, c`` (an array or a float each, from the ``args`` specs below), and the
function checked is ``np.sum(np.sin(expr))``, so that the result's adjoint varies from
element to element. ``numba``: the primal compiles with Numba, so the derivative must too.
Argument specs: ``v4`` a vector, ``m34`` a matrix, ``t234`` a 3-d array, ``s`` a float,
``spd3`` a symmetric positive definite matrix, ``wd3`` a well-conditioned matrix, and
prefixes ``p`` (positive, in [0.5, 2)), ``u`` (in (-0.9, 0.9)), ``g`` (greater than 1.2),
``z`` (a vector with an exact zero), ``int`` (a constant index array, not differentiated).
"""

import builtins
import math
from dataclasses import dataclass

import numpy as np

from tangentlike import runtime
import scipy.special as sc


@dataclass
class R:
    keys: tuple
    expr: str
    args: tuple
    numba: bool = False

    def __post_init__(self):
        if not isinstance(self.keys, tuple):
            self.keys = (self.keys,)


def make_arg(spec, rng):
    kind, _, dims = spec.partition(":")
    if spec == "s":
        return float(rng.uniform(0.3, 0.9))
    prefix = "".join(c for c in spec if c.isalpha())
    shape = tuple(int(c) for c in spec[len(prefix) :])
    if prefix == "spd":
        m = rng.normal(size=shape)
        return m @ m.T + shape[0] * np.eye(shape[0])
    if prefix == "wd":
        return rng.normal(size=shape) + 3.0 * np.eye(shape[0])
    if prefix in ("ps", "us", "gs"):
        return float(make_arg(prefix[0] + "v1", rng)[0])
    base = prefix.lstrip("pugz")
    x = rng.normal(size=shape) if base in ("v", "m", "t") else None
    if prefix.startswith("p"):
        x = rng.uniform(0.5, 2.0, size=shape)
    elif prefix.startswith("u"):
        x = rng.uniform(-0.9, 0.9, size=shape)
    elif prefix.startswith("g"):
        x = rng.uniform(1.2, 3.0, size=shape)
    elif prefix.startswith("z"):
        x = x.copy()
        x.flat[1] = 0.0
    return x


ROWS = [
    # ------------------------------------------------------------ operators
    R(("op:Add", np.add), "a + b + np.add(a, b) + np.add(a, 2.0)", ("v4", "v4"), numba=True),
    R(("op:Sub", np.subtract), "a - b - np.subtract(b, a)", ("v4", "m34"), numba=True),
    R(("op:Mult", np.multiply), "a * b + np.multiply(a, b)", ("m34", "v4"), numba=True),
    R(
        ("op:Div", np.divide, np.true_divide),
        "a / b + np.divide(b, a) + np.true_divide(a, 2.0)",
        ("pv4", "pv4"),
        numba=True,
    ),
    R("op:Pow", "a ** b + a ** 2 + 2.0 ** b", ("pv4", "v4"), numba=True),
    R(
        ("op:Mod", np.mod, np.remainder),
        "(a % 1.5) * b + np.mod(a, 2.0) + np.remainder(b, 1.7)",
        ("pv4", "pv4"),
        numba=True,
    ),
    R(("op:USub", np.negative), "-a * np.negative(a)", ("v4",), numba=True),
    R(("op:UAdd", np.positive), "+a * np.positive(a)", ("v4",), numba=True),
    R("op:MatMult", "a @ b + a @ b[:, 0]", ("m34", "m43"), numba=True),
    R(np.matmul, "np.matmul(a, b) + np.matmul(a[0], b)", ("t234", "m43")),
    # ------------------------------------------------------------ elementwise
    R((np.sin, math.sin), "np.sin(a) + math.sin(b)", ("v4", "s"), numba=True),
    R((np.cos, math.cos), "np.cos(a) + math.cos(b)", ("v4", "s"), numba=True),
    R((np.tan, math.tan), "np.tan(a) + math.tan(b)", ("uv4", "s"), numba=True),
    R((np.arcsin, math.asin), "np.arcsin(a) + math.asin(b)", ("uv4", "s"), numba=True),
    R((np.arccos, math.acos), "np.arccos(a) + math.acos(b)", ("uv4", "s"), numba=True),
    R((np.arctan, math.atan), "np.arctan(a) + math.atan(b)", ("v4", "s"), numba=True),
    R((np.sinh, math.sinh), "np.sinh(a) + math.sinh(b)", ("v4", "s"), numba=True),
    R((np.cosh, math.cosh), "np.cosh(a) + math.cosh(b)", ("v4", "s"), numba=True),
    R((np.tanh, math.tanh), "np.tanh(a) + math.tanh(b)", ("v4", "s"), numba=True),
    R((np.arcsinh, math.asinh), "np.arcsinh(a) + math.asinh(b)", ("v4", "s"), numba=True),
    R((np.arccosh, math.acosh), "np.arccosh(a) + math.acosh(b)", ("gv4", "gs"), numba=True),
    R((np.arctanh, math.atanh), "np.arctanh(a) + math.atanh(b)", ("uv4", "s"), numba=True),
    R((np.exp, math.exp), "np.exp(a) + math.exp(b)", ("v4", "s"), numba=True),
    R(np.exp2, "np.exp2(a)", ("v4",), numba=True),
    R((np.expm1, math.expm1), "np.expm1(a) + math.expm1(b)", ("v4", "s"), numba=True),
    R((np.log, math.log), "np.log(a) + math.log(b)", ("pv4", "s"), numba=True),
    R((np.log1p, math.log1p), "np.log1p(a) + math.log1p(b)", ("pv4", "s"), numba=True),
    R((np.log2, math.log2), "np.log2(a) + math.log2(b)", ("pv4", "s"), numba=True),
    R((np.log10, math.log10), "np.log10(a) + math.log10(b)", ("pv4", "s"), numba=True),
    R((np.sqrt, math.sqrt), "np.sqrt(a) + math.sqrt(b)", ("pv4", "s"), numba=True),
    R((np.cbrt, math.cbrt), "np.cbrt(a) + math.cbrt(b)", ("pv4", "s"), numba=False),
    R(np.square, "np.square(a)", ("v4",), numba=True),
    R(np.reciprocal, "np.reciprocal(a)", ("pv4",), numba=True),
    R((math.erf, math.erfc), "math.erf(b) + math.erfc(b) * a", ("v4", "s"), numba=True),
    R((sc.erf, sc.erfc), "sc.erf(a) + sc.erfc(a * 0.5)", ("v4",)),
    R(
        (np.abs, np.absolute, builtins.abs, math.fabs, np.fabs),
        "np.abs(a) + np.absolute(a) + np.fabs(a) + abs(b) + math.fabs(b)",
        ("pv4", "s"),
        numba=True,
    ),
    R(
        (
            builtins.float,
            np.float64,
            np.float32,
            "method:astype",
            "method:copy",
            np.copy,
            np.asarray,
            np.ascontiguousarray,
        ),
        "float(b) * np.float64(b) + a.astype(np.float64) + a.copy() + np.copy(a) "
        "+ np.asarray(a) + np.ascontiguousarray(a) + np.float32(1.5) * a",
        ("v4", "s"),
        numba=True,
    ),
    R(np.array, "np.array([a[0], a[1] * b, b, a[3]]) + np.array(a)", ("v4", "s"), numba=False),
    R((np.arctan2, math.atan2), "np.arctan2(a, b) + math.atan2(b, 0.7)", ("v4", "s"), numba=True),
    R((np.hypot, math.hypot), "np.hypot(a, b) + math.hypot(b, 0.7)", ("v4", "s"), numba=True),
    R((np.power, math.pow), "np.power(a, b) + math.pow(b, 1.5)", ("pv4", "s"), numba=True),
    R(
        (np.maximum, np.fmax, builtins.max),
        "np.maximum(a, b) + np.fmax(a, 0.1) + max(b, 0.5) + max(a[0], a[1], b) + max(a)",
        ("v4", "s"),
        numba=True,
    ),
    R(
        (np.minimum, np.fmin, builtins.min),
        "np.minimum(a, b) + np.fmin(a, 0.1) + min(b, 0.5) + min([a[0], a[1], b]) + min(a)",
        ("v4", "s"),
        numba=True,
    ),
    R(np.where, "np.where(a > 0.0, a * b, b)", ("v4", "s"), numba=True),
    R(
        (np.clip, "method:clip"),
        "np.clip(a, -0.5, b) + np.clip(a, None, 0.3) + a.clip(0.1)",
        ("v4", "s"),
        numba=True,
    ),
    R(
        (sc.expit, sc.gammaln, sc.xlogy, sc.digamma, runtime.digamma),  # one rule
        "sc.expit(a) + sc.gammaln(a) + sc.xlogy(a, b) + sc.xlogy(0.0, b) + sc.digamma(b)",
        ("pv4", "pv4"),
    ),
    # ------------------------------------------------------------ reductions
    R(
        (np.sum, "method:sum"),
        "np.sum(a) + a.sum(axis=0) + np.sum(a, axis=1, keepdims=True) "
        "+ np.sum(a, axis=(0, 1), dtype=np.float64)",
        ("m34",),
    ),
    R((np.sum, "method:sum"), "np.sum(a) + a.sum(axis=0) + np.sum(a, 1)[0]", ("m34",), numba=True),
    R(
        (np.mean, "method:mean"),
        "np.mean(a) + a.mean(axis=0) + np.mean(a, axis=1, keepdims=True) + np.mean(a, axis=(0, 1))",
        ("m34",),
    ),
    R((np.mean, "method:mean"), "np.mean(a) + a.mean()", ("m34",), numba=True),
    R(
        (np.prod, "method:prod"),
        "np.prod(a) + a.prod(axis=0) + np.prod(a, axis=1, keepdims=True) + np.prod(a, axis=(0, 1))",
        ("m34",),
    ),
    R((np.prod, "method:prod"), "np.prod(a) + a.prod() * b", ("zv4", "s"), numba=True),
    R(
        (np.max, np.amax, np.min, np.amin, "method:max", "method:min"),
        "np.max(a) + np.amax(a, axis=0) + np.min(a, axis=1, keepdims=True) + np.amin(a) "
        "+ a.max(axis=(0, 1)) + a.min()",
        ("m34",),
    ),
    R((np.max, "method:max", np.min), "np.max(a) + a.max() * np.min(a)", ("v4",), numba=True),
    R(
        (np.var, "method:var", np.std, "method:std"),
        "np.var(a) + a.var(axis=0, ddof=1) + np.std(a, axis=1, keepdims=True) + a.std()",
        ("m34",),
    ),
    R((np.var, np.std, "method:var"), "np.var(a) + np.std(a) * a.var()", ("v4",), numba=True),
    R(
        (np.cumsum, "method:cumsum"),
        "np.cumsum(a) + np.cumsum(a, axis=1).ravel() + a.cumsum(axis=0).ravel()",
        ("m34",),
    ),
    R((np.cumsum, np.cumprod), "np.cumsum(a) * np.cumprod(a)", ("zv4",), numba=True),
    R(
        (np.cumprod, "method:cumprod"),
        "np.cumprod(a) + np.cumprod(a, axis=1).ravel() + a.cumprod(axis=0).ravel()",
        ("zm34",),
    ),
    R(builtins.sum, "sum(a) + sum([a[0], b, a[1] * b], b)", ("m34", "s"), numba=False),
    R(
        np.median,
        "np.median(a) * b + np.median(a, axis=0) + np.median(a, axis=(0, 1), keepdims=True)"
        " + np.median(a[:, :3], axis=1, keepdims=True).T[0, 0]",
        ("m34", "s"),
    ),
    R(np.median, "np.median(a) * np.median(a[:3]) + b", ("v4", "s"), numba=True),
    R(
        np.sort,
        "np.sort(a) * np.arange(4.0) + np.sort(a, axis=0)[0] + np.sort(a, axis=None)[:4]",
        ("m34",),
    ),
    R(np.sort, "np.sort(a) * np.arange(4.0) * b", ("v4", "s"), numba=True),
    R(
        (np.flip, np.flipud, np.fliplr),
        "np.flip(a) * a + np.flip(a, 1) + np.flip(a, axis=0) * np.flipud(a) + np.fliplr(a)",
        ("m34",),
    ),
    R(
        (np.flip, np.flipud),
        "np.flip(a) * np.arange(4.0) * b + np.flipud(a)",
        ("v4", "s"),
        numba=True,
    ),
    R(
        np.roll,
        "np.roll(a, 1) * a + np.roll(a, -2, axis=1) + np.roll(a, 1, 0) * b",
        ("m34", "s"),
    ),
    R(np.roll, "np.roll(a, 1) * a * b + np.roll(a, -3)", ("v4", "s"), numba=True),
    R(
        np.diff,
        "np.sum(np.diff(a) ** 2) + np.diff(a, 2, axis=0)[0, 1] + np.diff(a, axis=1)[1] * b",
        ("m34", "s"),
    ),
    R(np.diff, "np.sum(np.diff(a) ** 2) * b + np.diff(a, 2)[0]", ("v4", "s"), numba=True),
    R(
        (np.repeat, "method:repeat"),
        "np.repeat(a, 2) * np.arange(24.0) + np.sum(a.repeat(3, axis=1)) * b"
        " + np.sum(np.repeat(a, [1, 2, 0], axis=0) ** 2)",
        ("m34", "s"),
    ),
    R(np.repeat, "np.repeat(a, 2) * np.arange(8.0) * b", ("v4", "s"), numba=True),
    R(np.tile, "np.tile(a, 2) * np.arange(8.0) + np.sum(np.tile(a, (3, 1)) ** 2) * b", ("v4", "s")),
    R(np.tile, "np.sum(np.tile(a, (2, 1, 2)) ** 3)", ("m34",)),
    R(
        np.interp,
        "np.interp(a, np.linspace(-1.2, 1.2, 7), np.cos(np.arange(7.0)) * b)"
        " + np.interp(0.3 * b, np.sort(np.ravel(a)[:5]), np.ravel(a)[5:10])",
        ("m34", "s"),
    ),
    R(
        np.interp,
        "np.interp(a, np.linspace(-2.0, 2.0, 5), np.arange(5.0) ** 2 * b)",
        ("v4", "s"),
        numba=True,
    ),
    # ------------------------------------------------------------ products
    R((np.dot, "method:dot"), "np.dot(a, b) + a.dot(b)", ("m34", "v4"), numba=True),
    R(np.outer, "np.outer(a, b)", ("v4", "v4"), numba=True),
    R((np.inner, np.vdot), "np.inner(a, b) + np.vdot(a, b)", ("v4", "v4"), numba=False),
    R((np.trace, "method:trace"), "np.trace(a) + a.trace() + np.trace(a, 1)", ("m34",)),
    R(np.trace, "np.trace(a) * np.trace(a, 1)", ("m34",), numba=True),
    R(
        np.einsum,
        "np.einsum('ij,jk->ik', a, b) + np.einsum('i,i->', a[0], a[1]) "
        "+ np.einsum('ij->j', a)[0] + np.einsum('ii->', b[:3]) + np.einsum('ij,kj', a, a)[0, 0]"
        " + np.einsum('ij,jk,k->i', a, b, b[0])[0]",
        ("m34", "m43"),
    ),
    R(np.diag, "np.diag(a) + np.diag(np.diag(a))[0]", ("m44",), numba=True),
    R(np.linalg.det, "np.linalg.det(a)", ("wd3",), numba=True),
    R(np.linalg.slogdet, "np.linalg.slogdet(a)[1]", ("wd3",), numba=True),
    R(np.linalg.inv, "np.linalg.inv(a)", ("wd3",), numba=True),
    R(
        np.linalg.solve,
        "np.linalg.solve(a, b) + np.linalg.solve(a, c)[:, 0]",
        ("wd3", "v3", "m32"),
        numba=True,
    ),
    R(np.linalg.cholesky, "np.linalg.cholesky(a)", ("spd3",), numba=True),
    R(
        np.linalg.norm,
        "np.linalg.norm(a) + np.linalg.norm(a[0], 1) + np.linalg.norm(a[1], 3)"
        " + np.linalg.norm(a[2], np.inf) + np.linalg.norm(a[0], -np.inf) "
        "+ np.linalg.norm(a, 2) + np.linalg.norm(a, -2) + np.linalg.norm(a, 1) "
        "+ np.linalg.norm(a, -1) + np.linalg.norm(a, np.inf) + np.linalg.norm(a, -np.inf)",
        ("m34",),
        numba=True,
    ),
    R(
        np.linalg.norm,
        "np.linalg.norm(a, 'fro') + np.linalg.norm(a, 'nuc') "
        "+ np.linalg.norm(a, axis=1) + np.linalg.norm(a, 3, axis=0, keepdims=True)[0, 0]",
        ("m34",),
    ),
    # ------------------------------------------------------------ shapes and selections
    R(
        (
            np.reshape,
            np.ravel,
            np.squeeze,
            np.expand_dims,
            np.atleast_1d,
            np.atleast_2d,
            "method:reshape",
            "method:ravel",
            "method:flatten",
            "method:squeeze",
        ),
        "np.reshape(a, (12,)) + np.ravel(a) + a.reshape(12) + a.ravel() + a.flatten() "
        "+ np.hstack((b, a[0], b))[:3].sum() + np.column_stack((b, a[0, 0]))[0, 1] "
        "+ np.squeeze(np.expand_dims(a, 0)).ravel() + a[None].squeeze().ravel() "
        "+ np.atleast_1d(b) * np.atleast_2d(a).ravel()",
        ("m34", "s"),
        numba=False,
    ),
    R(
        (np.reshape, np.ravel, "method:reshape", "method:ravel"),
        "np.reshape(a, (12,)) + np.ravel(a) + a.reshape(12) + a.ravel()",
        ("m34",),
        numba=True,
    ),
    R(np.concatenate, "np.concatenate((a, b))", ("v4", "v4"), numba=True),
    R(np.stack, "np.stack((a, b))", ("v4", "v4"), numba=True),
    # np.hstack, vstack, column_stack and dstack are lowered to np.concatenate (normalize/)
    R(
        np.concatenate,
        "np.hstack((a, b))[2:6] + np.vstack((a, b))[1] + np.column_stack((a, b))[:, 1] "
        "+ np.dstack((a, b)).ravel()[:4] + np.hstack((a[:1], b))[1:] * np.hstack((b,))",
        ("v4", "v4"),
        numba=True,
    ),
    R(
        np.concatenate,
        "np.hstack((a, b)).ravel()[:12] + np.vstack((a, b))[1:4].ravel() "
        "+ np.column_stack((a, b[:, 0]))[:, :4].ravel() + np.dstack((a, b))[:, :, 1].ravel()",
        ("m34", "m34"),
        numba=True,
    ),
    R(np.concatenate, "np.hstack((a, a[:, :1] * b))[:, 1:].ravel()", ("t234", "s"), numba=True),
    R(np.vdot, "np.vdot(a, b)", ("v4", "v4"), numba=True),
    R(np.array, "np.array([a[0], a[1] * b, b, a[3]])", ("v4", "s"), numba=True),
    R(builtins.sum, "sum(a) * b", ("v4", "s"), numba=True),
    R(np.atleast_3d, "np.atleast_3d(a)", ("m34",), numba=True),
    R(
        (np.transpose, "method:transpose", "attr:T"),
        "np.transpose(a) + a.transpose() + a.T",
        ("m34",),
        numba=True,
    ),
    R(
        np.concatenate,
        "np.concatenate((a, b)) + np.concatenate([a, a], axis=0)",
        ("v4", "v4"),
        numba=False,
    ),
    R(np.stack, "np.stack((a, b)) + np.stack([a, b], axis=1).T", ("v4", "v4"), numba=False),
    R((np.triu, np.tril), "np.triu(a) + np.tril(a, -1) * np.triu(a, 1)", ("m44",), numba=True),
    R(
        (np.diagonal, "method:diagonal"),
        "np.diagonal(a) + a.diagonal(1)[0] + np.diagonal(b, 0, 1, 2)[0]",
        ("m34", "t234"),
    ),
    R(
        (np.take, "method:take"),
        "np.take(a, np.array([0, 2, 2])) + a.take(1) + np.take(b, np.array([1, 0]), axis=1)[0, 0]",
        ("v4", "m34"),
    ),
    R(np.take, "np.take(a, np.array([0, 2, 2])) + np.take(a, 1)", ("v4",), numba=True),
    R(
        (np.swapaxes, "method:swapaxes"),
        "np.swapaxes(a, 0, 2).ravel() + a.swapaxes(1, 2).ravel()",
        ("t234",),
    ),
    R(
        sc.logsumexp,
        "sc.logsumexp(a) + sc.logsumexp(a, axis=1) [0] + sc.logsumexp(a, axis=0, keepdims=True)",
        ("m34",),
    ),
]
