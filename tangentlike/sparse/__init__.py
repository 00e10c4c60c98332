"""Sparse differentiation: the sparsity pattern of a Jacobian found from the program,
a coloring of it, and one compressed directional derivative per color
(``jacobian_sparsity``, ``sparse_jacobian``, ``sparse_hessian``; docs/sparse.md)."""

from .pattern import jacobian_sparsity
from .jacobian import sparse_jacobian
from .hessian import sparse_hessian

__all__ = ["jacobian_sparsity", "sparse_jacobian", "sparse_hessian"]
