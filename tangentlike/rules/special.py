"""Adjoints of ``scipy.special`` functions (elementwise, except ``logsumexp``); ``erf`` and
``erfc`` share ``math``'s templates (elementwise.py)."""

import scipy.special as sc

from .registry import adjoint, tangent


@adjoint(sc.expit)
def expit(x):
    d[x] = g * z * (1.0 - z)


@adjoint(sc.gammaln)
def gammaln(x):
    d[x] = g * digamma(x)


@adjoint(sc.xlogy)
def xlogy(x, y):
    # x log y is 0 where x is 0 (whatever y): its derivatives there are log y and 0
    d[x] = unbroadcast(g * np.log(y), x)
    d[y] = unbroadcast(g * xdivy(x, y), y)


@adjoint(sc.logsumexp, fixed=("b", "return_sign"))
def logsumexp(a, axis=None, b=None, keepdims=False, return_sign=False):
    d[a] = unreduce(g, a, axis, keepdims) * np.exp(a - unreduce(z, a, axis, keepdims))


@tangent(sc.logsumexp)
def logsumexp_tangent(a, axis=None, b=None, keepdims=False, return_sign=False):
    d[a] = sum_along(np.exp(a - unreduce(z, a, axis, keepdims)) * g, axis, keepdims)
