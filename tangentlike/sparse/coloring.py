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
    forbidden = np.full(ncols + 1, -1, dtype=np.int64)  # forbidden[c] == j: c taken near j
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
    args = (
        csc.indptr.astype(np.int64),
        csc.indices.astype(np.int64),
        pattern.indptr.astype(np.int64),
        pattern.indices.astype(np.int64),
        n,
    )
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


@numba.njit(cache=True)
def _greedy_star(order, ptr, adj, n):
    """Greedy star coloring (Gebremedhin, Manne, Pothen 2005, Algorithm 4.1) of the
    graph with adjacency ``ptr``/``adj`` (no self loops): a distance-1 coloring in which
    every path on four vertices uses at least three colors."""
    color = np.full(n, -1, dtype=np.int64)
    forbidden = np.full(n + 1, -1, dtype=np.int64)
    for v in order:
        for p in range(ptr[v], ptr[v + 1]):
            w = adj[p]
            if color[w] >= 0:
                forbidden[color[w]] = v
        for p in range(ptr[v], ptr[v + 1]):
            w = adj[p]
            for q in range(ptr[w], ptr[w + 1]):
                x = adj[q]
                if x == v or color[x] < 0:
                    continue
                if color[w] < 0:
                    forbidden[color[x]] = v
                    continue
                for r in range(ptr[x], ptr[x + 1]):
                    y = adj[r]
                    if y != w and color[y] == color[w]:
                        forbidden[color[x]] = v
                        break
        c = 0
        while forbidden[c] == v:
            c += 1
        color[v] = c
    return color


def color_star(pattern):
    """A star coloring of a symmetric pattern (one color per column): fewer colors than
    a column coloring when there are dense rows (an arrowhead takes 2, not n); each
    Hessian entry is then read from the column of color ``color(j)`` in row ``i`` or of
    color ``color(i)`` in row ``j`` (``star_sources``)."""
    sym = sp.csr_matrix(pattern, dtype=bool)
    sym = (sym + sym.T).tolil()
    sym.setdiag(False)
    sym = sym.tocsr()
    sym.eliminate_zeros()
    n = sym.shape[0]
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    args = (sym.indptr.astype(np.int64), sym.indices.astype(np.int64), n)
    natural = _greedy_star(np.arange(n, dtype=np.int64), *args)
    degree = np.diff(sym.indptr)
    largest_first = _greedy_star(np.argsort(-degree, kind="stable").astype(np.int64), *args)
    return natural if natural.max() <= largest_first.max() else largest_first


def star_sources(rows, cols, colors, n):
    """For each entry (rows[k], cols[k]) of a symmetric pattern, (row, color) of the
    compressed product that holds it alone, or None when the coloring does not allow
    it (then it is no star coloring of this pattern)."""
    k = max(ncolors(colors), 1)
    keys, counts = np.unique(rows * k + colors[cols], return_counts=True)

    def alone(r, c):  # is (row r, color c) held by one entry only?
        pos = np.minimum(np.searchsorted(keys, r * k + c), keys.size - 1)
        return (keys[pos] == r * k + c) & (counts[pos] == 1)

    direct = alone(rows, colors[cols])
    mirrored = alone(cols, colors[rows])
    if not np.all(direct | mirrored):
        return None
    src_row = np.where(direct, rows, cols)
    src_color = np.where(direct, colors[cols], colors[rows])
    return src_row, src_color
