"""Greedy distance-2 coloring of a sparsity pattern.

Two columns may share a color (be seeded together in one JVP) when no row has a nonzero
in both: then each row of the compressed product ``J @ seed_c`` holds at most one
entry of color ``c``, and ``J[i, j] = (J @ seed_color(j))[i]``. Rows are colored the
same way on the transpose, for one VJP per color. The greedy pass visits columns in
natural order and in largest-degree-first order and keeps the coloring with fewer
colors; a band of width ``w`` gets ``w`` colors, a tridiagonal pattern 3.
"""
import numba
import numpy as np
import scipy.sparse as sp


@numba.njit(cache=True)
def _greedy(order, col_ptr, col_rows, row_ptr, row_cols, ncols):
    color = np.full(ncols, -1, dtype=np.int64)
    forbidden = np.full(ncols + 1, -1, dtype=np.int64)   # forbidden[c] == j: c taken near j
    for j in order:
        for p in range(col_ptr[j], col_ptr[j + 1]):
            i = col_rows[p]
            for q in range(row_ptr[i], row_ptr[i + 1]):
                k = row_cols[q]
                if color[k] >= 0:
                    forbidden[color[k]] = j
        c = 0
        while forbidden[c] == j:
            c += 1
        color[j] = c
    return color


def color_columns(pattern):
    """``colors`` (an int64 array, one color per column, 0..ncolors-1) of a boolean
    sparse ``pattern`` such that no two columns of one color share a row."""
    pattern = sp.csr_matrix(pattern, dtype=bool)
    m, n = pattern.shape
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    pattern.sum_duplicates()
    csc = pattern.tocsc()
    csc.sort_indices()
    args = (csc.indptr.astype(np.int64), csc.indices.astype(np.int64),
            pattern.indptr.astype(np.int64), pattern.indices.astype(np.int64), n)
    natural = _greedy(np.arange(n, dtype=np.int64), *args)
    degree = np.diff(csc.indptr)
    largest_first = _greedy(np.argsort(-degree, kind="stable").astype(np.int64), *args)
    return natural if natural.max() <= largest_first.max() else largest_first


def color_rows(pattern):
    """One color per row such that no two rows of one color share a column."""
    return color_columns(sp.csr_matrix(pattern, dtype=bool).T.tocsr())


def ncolors(colors):
    return int(colors.max()) + 1 if colors.size else 0


def seeds(colors, ncolor):
    """The 0/1 seed matrix, shape (ncolor, len(colors)): row ``c`` marks color ``c``."""
    out = np.zeros((ncolor, colors.size))
    out[colors, np.arange(colors.size)] = 1.0
    return out
