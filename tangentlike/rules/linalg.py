"""Adjoints of products: dot, matmul, outer, inner."""

import numpy as np

from .registry import adjoint


@adjoint(np.dot, "method:dot")
def dot(a, b):
    d[a] = dot_adjoint_a(g, a, b)
    d[b] = dot_adjoint_b(g, a, b)


@adjoint(np.outer)
def outer(a, b):
    d[a] = np.dot(g, b)
    d[b] = np.dot(a, g)


@adjoint(np.inner, np.vdot)
def inner(a, b):
    d[a] = g * b
    d[b] = g * a


# ---------------------------------------------------------------- forward mode
from .registry import tangent  # noqa: E402


@tangent(np.dot, "method:dot")
def dot_tangent(a, b):
    d[a] = np.dot(g, b)
    d[b] = np.dot(a, g)


@tangent("op:MatMult", np.matmul)
def matmul_tangent(x, y):
    d[x] = g @ y
    d[y] = x @ g


@tangent(np.outer)
def outer_tangent(a, b):
    d[a] = np.outer(g, b)
    d[b] = np.outer(a, g)


@tangent(np.inner, np.vdot)
def inner_tangent(a, b):
    d[a] = np.sum(g * b)
    d[b] = np.sum(a * g)


@adjoint(np.trace, "method:trace")
def trace(x, offset=0):
    d[x] = g * np.eye(x.shape[0], x.shape[1], offset)


@tangent(np.trace, "method:trace")
def trace_tangent(x, offset=0):
    d[x] = np.trace(g, offset)


def _einsum_check(args):
    from .registry import constant_value

    spec = constant_value(args.get("subscripts"), default=None)
    if not isinstance(spec, str):
        return "np.einsum needs its subscripts as a string constant"
    if "..." in spec:
        return "np.einsum with an ellipsis ('...') is not supported"
    return None


@adjoint(np.einsum, check=_einsum_check)
def einsum(subscripts, a, b=None, c=None):
    # one, two or three operands (b, c default to None: absent, dropped by the helper)
    d[a] = einsum_adjoint(subscripts, g, 0, a, b, c)
    d[b] = einsum_adjoint(subscripts, g, 1, a, b, c)
    d[c] = einsum_adjoint(subscripts, g, 2, a, b, c)


@tangent(np.einsum)
def einsum_tangent(subscripts, a, b=None, c=None):
    d[a] = einsum_tangent(subscripts, g, 0, a, b, c)
    d[b] = einsum_tangent(subscripts, g, 1, a, b, c)
    d[c] = einsum_tangent(subscripts, g, 2, a, b, c)


@adjoint(np.diag)
def diag(x):
    # square matrices and vectors: taking and making a diagonal are adjoint to each other
    d[x] = np.diag(g)


@tangent(np.diag)
def diag_tangent(x):
    d[x] = np.diag(g)
