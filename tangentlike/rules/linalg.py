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
def trace(x):
    d[x] = g * np.eye(x.shape[0], x.shape[1])


@tangent(np.trace, "method:trace")
def trace_tangent(x):
    d[x] = np.trace(g)


@adjoint(np.diag)
def diag(x):
    # square matrices and vectors: taking and making a diagonal are adjoint to each other
    d[x] = np.diag(g)


@tangent(np.diag)
def diag_tangent(x):
    d[x] = np.diag(g)
