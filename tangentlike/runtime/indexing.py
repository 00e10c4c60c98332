"""Runtime helpers for the adjoints of selections: ``np.diagonal``, ``np.take``,
``np.clip``'s masks, ``np.einsum``, and ``scipy.special``'s derivatives (``digamma``, ``trigamma``).

Plain Python with Numba ``@overload`` twins where Numba compiles the primal.
"""

import math

import numpy as np
from numba import njit, types
from numba.extending import overload

from .broadcasting import _nb_is_none
from .values import is_array as _is_array
from .declarations import helper


# ---------------------------------------------------------------- diagonal / take
@helper()
def diagonal_adjoint(g, x, offset=0, axis1=0, axis2=1):
    """Adjoint of ``np.diagonal(x, offset, axis1, axis2)``: ``g`` written on the diagonal."""
    out = np.zeros(x.shape)
    view = np.moveaxis(out, (axis1, axis2), (-2, -1))
    n = np.shape(g)[-1]
    i = np.arange(n)
    view[..., i + max(-offset, 0), i + max(offset, 0)] = g
    return out


@helper()
def take_adjoint(g, x, indices, axis=None):
    """Adjoint of ``np.take(x, indices, axis)``: ``g`` added back at the indices
    (repeated indices accumulate)."""
    out = np.zeros(np.shape(x))
    if axis is None:
        flat = out.reshape(-1)
        np.add.at(flat, indices, g)
        return out if _is_array(x) else float(flat[0])
    ax = axis % out.ndim
    nd = np.ndim(indices)
    np.add.at(
        np.moveaxis(out, ax, 0),
        indices,
        np.moveaxis(np.asarray(g), tuple(range(ax, ax + nd)), tuple(range(nd))),
    )
    return out


@overload(take_adjoint)
def _take_adjoint_nb(g, x, indices, axis=None):
    if not (isinstance(x, types.Array) and _nb_is_none(axis)):
        return None
    if isinstance(indices, types.Array):

        def impl(g, x, indices, axis=None):
            out = np.zeros(x.size)
            gf = np.ascontiguousarray(g).ravel()
            idx = np.ascontiguousarray(indices).ravel()
            for k in range(idx.size):
                out[idx[k]] += gf[k]
            return out.reshape(x.shape)

        return impl
    if isinstance(indices, types.Integer):

        def impl_one(g, x, indices, axis=None):
            out = np.zeros(x.size)
            out[indices] += g
            return out.reshape(x.shape)

        return impl_one


# ---------------------------------------------------------------- clip
@helper()
def clip_inside(x, lo, hi):
    """1.0 where ``lo <= x <= hi`` (a missing bound is no bound), else 0.0."""
    m = np.ones(np.shape(x)) if _is_array(x) else 1.0
    if lo is not None:
        m = m * (x >= lo)
    if hi is not None:
        m = m * (x <= hi)
    return m


@helper()
def clip_below(x, lo):
    """1.0 where ``x < lo`` (the result is the bound ``lo``), else 0.0."""
    return 0.0 * x if lo is None else (x < lo) * 1.0


@helper()
def clip_above(x, hi):
    return 0.0 * x if hi is None else (x > hi) * 1.0


@overload(clip_inside, inline="always")
def _clip_inside_nb(x, lo, hi):
    lo_none, hi_none = _nb_is_none(lo), _nb_is_none(hi)
    if isinstance(x, types.Array):
        if lo_none:
            return lambda x, lo, hi: (x <= hi) * 1.0
        if hi_none:
            return lambda x, lo, hi: (x >= lo) * 1.0
        return lambda x, lo, hi: ((x >= lo) & (x <= hi)) * 1.0
    if lo_none:
        return lambda x, lo, hi: 1.0 if x <= hi else 0.0
    if hi_none:
        return lambda x, lo, hi: 1.0 if x >= lo else 0.0
    return lambda x, lo, hi: 1.0 if lo <= x <= hi else 0.0


def _clip_side_nb(which):
    def ol(x, b):
        if _nb_is_none(b):
            return lambda x, b: 0.0 * x
        if isinstance(x, types.Array) or isinstance(b, types.Array):
            return (
                (lambda x, b: (x < b) * 1.0) if which == "below" else (lambda x, b: (x > b) * 1.0)
            )
        return (
            (lambda x, b: 1.0 if x < b else 0.0)
            if which == "below"
            else (lambda x, b: 1.0 if x > b else 0.0)
        )

    return ol


overload(clip_below, inline="always")(_clip_side_nb("below"))
overload(clip_above, inline="always")(_clip_side_nb("above"))


# ---------------------------------------------------------------- einsum
def _einsum_parts(subscripts, n):
    """Input subscripts (a list) and output subscript of an explicit or implicit spec."""
    spec = subscripts.replace(" ", "")
    if "->" in spec:
        ins, out = spec.split("->")
    else:
        ins = spec
        letters = ins.replace(",", "")
        out = "".join(sorted(c for c in set(letters) if letters.count(c) == 1))
    ins = ins.split(",")
    if len(ins) != n:
        raise ValueError(f"einsum: {subscripts!r} names {len(ins)} operands, got {n}")
    return ins, out


@helper()
def einsum_adjoint(subscripts, g, k, *operands):
    """Adjoint of ``np.einsum(subscripts, *operands)`` w.r.t. operand ``k``: the product
    of ``g`` with the other operands onto operand ``k``'s subscripts (an index only in
    that operand is broadcast; a repeated one, as in 'ii', puts the values on the
    diagonal). ``None`` stands for an absent operand."""
    operands = operands_of(*operands)
    ins, out = _einsum_parts(subscripts, len(operands))
    target = ins[k]
    others = [ins[j] for j in range(len(operands)) if j != k]
    present = set(out).union(*others) if others else set(out)
    unique = "".join(dict.fromkeys(c for c in target if c in present))
    spec = ",".join([out] + others) + "->" + unique
    value = np.einsum(spec, g, *[operands[j] for j in range(len(operands)) if j != k])
    x = operands[k]
    full = np.zeros(np.shape(x))
    dims = dict(zip(target, np.shape(x)))
    # broadcast over the indices only this operand has (``unique`` keeps the order of
    # ``letters``), then write through einsum's diagonal view ('ii->i') of the result
    letters = "".join(dict.fromkeys(target))
    shape = tuple(dims[c] if c in unique else 1 for c in letters)
    value = np.broadcast_to(np.reshape(value, shape), tuple(dims[c] for c in letters))
    np.einsum(target + "->" + letters, full)[...] = value
    return full if _is_array(x) else float(full)


@helper()
def operands_of(*operands):
    """The operands given (``None`` stands for an absent one)."""
    return tuple(o for o in operands if o is not None)


@helper()
def einsum_tangent(subscripts, t, k, *operands):
    """Tangent of ``np.einsum(subscripts, *operands)`` along ``t`` for operand ``k``."""
    ops = list(operands_of(*operands))
    ops[k] = t
    return np.einsum(subscripts, *ops)


# ---------------------------------------------------------------- scipy.special
@helper()
def xdivy(x, y):
    """``x / y``, and 0 where ``x`` is 0 (the derivative of ``xlogy(x, y)`` in ``y``)."""
    return np.where(np.asarray(x) == 0, 0.0, x / np.where(np.asarray(x) == 0, 1.0, y))


@overload(xdivy)
def _xdivy_nb(x, y):
    if isinstance(x, types.Number) and isinstance(y, types.Number):
        return lambda x, y: 0.0 if x == 0 else x / y

    def impl(x, y):
        zero = np.asarray(x) == 0
        return np.where(zero, 0.0, x / np.where(zero, 1.0, y))

    return impl


@helper()
def digamma(x):
    """The derivative of ``scipy.special.gammaln`` (``scipy.special.psi``)."""
    from scipy.special import psi

    return psi(x)


@njit
def _digamma_one(x):
    # recurrence to x >= 6, then the asymptotic series (error < 1e-15)
    acc = 0.0
    while x < 6.0:
        acc -= 1.0 / x
        x += 1.0
    f = 1.0 / (x * x)
    return (
        acc
        + math.log(x)
        - 0.5 / x
        - f * (1.0 / 12 - f * (1.0 / 120 - f * (1.0 / 252 - f * (1.0 / 240 - f / 132))))
    )


@overload(digamma)
def _digamma_nb(x):
    if isinstance(x, types.Array):

        def impl(x):
            out = np.empty(x.shape)
            flat = x.ravel()
            of = out.reshape(-1)
            for i in range(flat.size):
                of[i] = _digamma_one(flat[i])
            return out

        return impl
    return lambda x: _digamma_one(x)


@helper()
def trigamma(x):
    """The derivative of ``digamma`` (``scipy.special.polygamma(1, x)``)."""
    from scipy.special import polygamma

    return polygamma(1, x)


@njit
def _trigamma_one(x):
    # recurrence to x >= 10, then the asymptotic series (relative error < 1e-12)
    acc = 0.0
    while x < 10.0:
        acc += 1.0 / (x * x)
        x += 1.0
    f = 1.0 / (x * x)
    series = 1.0 / 6 - f * (1.0 / 30 - f * (1.0 / 42 - f * (1.0 / 30 - f * (5.0 / 66))))
    return acc + 1.0 / x + 0.5 * f + series * f / x


@overload(trigamma)
def _trigamma_nb(x):
    if isinstance(x, types.Array):

        def impl(x):
            out = np.empty(x.shape)
            flat = x.ravel()
            of = out.reshape(-1)
            for i in range(flat.size):
                of[i] = _trigamma_one(flat[i])
            return out

        return impl
    return lambda x: _trigamma_one(x)
