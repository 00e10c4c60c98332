"""Adjoints of products: dot, matmul, outer, inner."""
import numpy as np

from .registry import adjoint


@adjoint(np.dot, np.matmul, "method:dot")
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
