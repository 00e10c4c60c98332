"""tl.jacobian_sparsity, tl.sparse_jacobian and tl.sparse_hessian against the dense
tl.jacobian / tl.hessian and finite differences, interpreted and compiled."""

import copy
import warnings

import numpy as np
import pytest
import scipy.sparse as sp

import tangentlike as tl
from tangentlike.sparse.coloring import color_columns, color_rows, color_star, star_sources

from . import sparse_funcs as F
from .fd import fd_vjp

RNG = np.random.default_rng(42)
N = 12
ROWS, COLS, W = RNG.integers(0, N, 20), RNG.integers(0, N, 20), RNG.standard_normal(20)


def jac_cases():
    x = np.random.default_rng(1).standard_normal(N)
    return {
        "banded_loop": (F.diffusion_loop, (x, 0.3)),
        "banded_slices": (F.diffusion_vec, (x, 0.3)),
        "block_2d": (F.grid_laplacian, (np.random.default_rng(2).standard_normal((4, 4)), 0.3)),
        "arrowhead": (F.arrowhead, (x, 0.7)),
        "random": (F.random_pairs, (x, ROWS, COLS, W)),
    }


def hess_cases():
    x = np.random.default_rng(3).standard_normal(N)
    return {
        "banded": (F.chain_energy, (x, 0.5)),
        "block_2d": (F.grid_energy, (np.random.default_rng(4).standard_normal((4, 4)),)),
        "arrowhead": (F.arrow_energy, (x,)),
        "random": (F.pair_energy, (x, ROWS, COLS)),
    }


def fd_jacobian(f, args, m):
    rows = []
    for i in range(m):
        dy = np.zeros(m)
        dy[i] = 1.0
        out_shape = np.shape(f(*args))
        rows.append(np.ravel(fd_vjp(f, args, 0, dy.reshape(out_shape))))
    return np.array(rows)


def dense(f, args, mode="forward"):
    J = tl.jacobian(f, mode=mode)(*args)
    return J.reshape(np.size(f(*args)), np.size(args[0]))


# ------------------------------------------------------------------ patterns
@pytest.mark.parametrize("case", sorted(jac_cases()))
def test_pattern_holds_every_nonzero_at_random_inputs(case):
    f, args = jac_cases()[case]
    detect = tl.jacobian_sparsity(f)
    for seed in range(2):
        x = np.random.default_rng(10 + seed).standard_normal(np.shape(args[0]))
        a = (x,) + args[1:]
        P = detect(*a)
        assert sp.isspmatrix_csr(P) and P.dtype == bool
        assert P.shape == (np.size(f(*a)), x.size)
        J = dense(f, a, "reverse")
        assert not np.any((J != 0) & ~P.toarray()), "the pattern misses a nonzero"
        assert P.nnz == np.count_nonzero(J)  # and is exact for these functions
        assert P.steering == ((1, 2) if case == "random" else ())  # the index arrays
        assert P.value_dependent == (case == "random") and not P.dense_fallback


def test_tridiagonal_pattern_is_exact_and_takes_three_colors():
    x = np.linspace(0.1, 1.0, 9)
    P = tl.jacobian_sparsity(F.diffusion_loop)(x, 0.3)
    expected = sp.diags([1.0, 1.0, 1.0], [-1, 0, 1], shape=(9, 9)).toarray() != 0
    np.testing.assert_array_equal(P.toarray(), expected)
    S = tl.sparse_jacobian(F.diffusion_loop)
    S(x, 0.3)
    assert S.ncolors == 3
    assert tl.sparse_jacobian(F.diffusion_loop, sparsity=P).ncolors == 3
    assert len(set(color_rows(P))) == 3


def test_coloring_is_valid_on_a_random_pattern():
    P = sp.random(40, 30, density=0.1, random_state=5, format="csr") != 0
    for colors, M in ((color_columns(P), P), (color_rows(P), P.T.tocsr())):
        for i in range(M.shape[0]):  # no row holds one color twice
            c = colors[M.indices[M.indptr[i] : M.indptr[i + 1]]]
            assert len(c) == len(set(c))


def test_value_dependent_patterns_are_flagged_and_still_right():
    S = tl.sparse_jacobian(F.branchy)
    for x in (np.linspace(0.1, 1.0, 6), -np.linspace(0.1, 1.0, 6)):
        P = tl.jacobian_sparsity(F.branchy)(x)
        assert P.value_dependent
        J = dense(F.branchy, (x,))
        assert not np.any((J != 0) & ~P.toarray())
        np.testing.assert_allclose(S(x).toarray(), J, rtol=1e-12, atol=1e-14)
    assert tl.jacobian_sparsity(F.picks_max)(np.array([0.3, 2.0, 1.0])).value_dependent


def test_a_pattern_steered_by_index_arrays_is_kept_per_their_values():
    x = np.random.default_rng(9).standard_normal(N)
    S = tl.sparse_jacobian(F.random_pairs)
    for rows in (ROWS, (ROWS + 5) % N, ROWS):
        args = (x, rows, COLS, W)
        np.testing.assert_allclose(
            S(*args).toarray(), dense(F.random_pairs, args), rtol=1e-12, atol=1e-13
        )
    assert len(S._plans) == 2


def test_index_sets_that_cannot_follow_fall_back_to_dense():
    x = np.random.default_rng(6).standard_normal(6)
    with pytest.warns(tl.TangentlikeWarning, match="falls back to dense"):
        P = tl.jacobian_sparsity(F.smoothed_square)(x)
    assert P.dense_fallback and P.nnz == 36
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", tl.TangentlikeWarning)
        J = tl.sparse_jacobian(F.smoothed_square)(x)
    np.testing.assert_allclose(J.toarray(), dense(F.smoothed_square, (x,)), atol=1e-12)


def test_hessian_pattern_is_the_gradients_jacobian_pattern():
    x = np.random.default_rng(7).standard_normal(8)
    P = tl.jacobian_sparsity(tl.grad(F.chain_energy))(x, 0.5)
    H = tl.hessian(F.chain_energy)(x, 0.5)
    np.testing.assert_array_equal(P.toarray(), H != 0)
    S = tl.sparse_jacobian(tl.grad(F.chain_energy), mode="auto")  # forward over reverse
    np.testing.assert_allclose(S(x, 0.5).toarray(), H, rtol=1e-12, atol=1e-12)
    assert S.ncolors == 3 and S.mode == "forward"


# ------------------------------------------------------------------ Jacobians
@pytest.mark.parametrize("mode", ["forward", "reverse", "auto"])
@pytest.mark.parametrize("case", sorted(jac_cases()))
def test_sparse_jacobian_against_dense_and_fd(case, mode):
    f, args = jac_cases()[case]
    before = [np.copy(a) for a in args]
    S = tl.sparse_jacobian(f, mode=mode)
    J = S(*args)
    assert sp.isspmatrix_csr(J)
    for a, b in zip(args, before):
        np.testing.assert_array_equal(a, b)  # inputs are not mutated
    D = dense(f, args, "reverse" if mode == "forward" else "forward")
    np.testing.assert_allclose(J.toarray(), D, rtol=1e-12, atol=1e-13)
    np.testing.assert_allclose(J.toarray(), fd_jacobian(f, args, D.shape[0]), rtol=2e-5, atol=1e-6)
    assert 1 <= S.ncolors <= D.shape[1]
    assert S.mode in ("forward", "reverse")


@pytest.mark.parametrize("mode", ["forward", "reverse"])
@pytest.mark.parametrize("case", ["banded_loop", "block_2d", "arrowhead", "random"])
def test_sparse_jacobian_compiled(case, mode):
    f, args = jac_cases()[case]
    J = tl.sparse_jacobian(f, mode=mode, compile="numba")(*args)
    np.testing.assert_allclose(J.toarray(), dense(f, args), rtol=1e-12, atol=1e-13)
    np.testing.assert_allclose(J.toarray(), fd_jacobian(f, args, J.shape[0]), rtol=2e-5, atol=1e-6)


def test_known_sparsity_is_used_and_checked():
    f, args = jac_cases()["banded_loop"]
    P = sp.diags([1.0, 1.0, 1.0], [-1, 0, 1], shape=(N, N), format="csr")
    S = tl.sparse_jacobian(f, sparsity=P)
    assert S.ncolors == 3
    np.testing.assert_allclose(S(*args).toarray(), dense(f, args), rtol=1e-12, atol=1e-13)
    too_sparse = sp.eye(N, format="csr")
    with pytest.raises(tl.TangentlikeError, match="misses nonzeros"):
        tl.sparse_jacobian(f, sparsity=too_sparse)(*args)
    with pytest.raises(tl.TangentlikeError, match="misses nonzeros"):
        tl.sparse_jacobian(f, mode="reverse", sparsity=too_sparse)(*args)


def test_pattern_is_reused_for_new_values_of_the_same_shape():
    f, args = jac_cases()["banded_slices"]
    S = tl.sparse_jacobian(f)
    S(*args)
    x2 = np.random.default_rng(8).standard_normal(N)
    np.testing.assert_allclose(S(x2, 0.3).toarray(), dense(f, (x2, 0.3)), rtol=1e-12, atol=1e-13)
    assert len(S._plans) == 1


def test_scalar_output_is_one_row():
    x = np.arange(1.0, 6.0)
    S = tl.sparse_jacobian(F.scalar_output, mode="auto")
    J = S(x)
    assert J.shape == (1, 5) and S.ncolors == 1 and S.mode == "reverse"
    np.testing.assert_allclose(J.toarray()[0], tl.grad(F.scalar_output)(x))


# ------------------------------------------------------------------ Hessians
@pytest.mark.parametrize("compile", [None, "numba"])
@pytest.mark.parametrize("case", sorted(hess_cases()))
def test_sparse_hessian_against_dense_and_fd(case, compile):
    f, args = hess_cases()[case]
    S = tl.sparse_hessian(f, compile=compile)
    H = S(*args)
    n = np.size(args[0])
    D = tl.hessian(f)(*args).reshape(n, n)
    np.testing.assert_allclose(H.toarray(), D, rtol=1e-12, atol=1e-12)
    g = tl.grad(f)
    fd = fd_jacobian(lambda *a: np.ravel(g(*a)), args, n)
    np.testing.assert_allclose(H.toarray(), fd, rtol=2e-5, atol=1e-5)
    assert S.ncolors < n
    assert S.pattern.nnz == np.count_nonzero(D)


def test_banded_hessian_takes_three_colors_and_arrowhead_two():
    S = tl.sparse_hessian(F.chain_energy)
    S(np.linspace(0.2, 1.0, 10), 0.5)
    assert S.ncolors == 3
    S = tl.sparse_hessian(F.arrow_energy)  # star coloring: hub, then the rest
    S(np.linspace(0.2, 1.0, 10))
    assert S.ncolors == 2


def test_star_coloring_recovers_every_entry_of_random_symmetric_patterns():
    for seed in range(5):
        A = sp.random(30, 30, density=0.12, random_state=seed, format="csr") != 0
        P = ((A + A.T) + sp.eye(30, dtype=bool)).tocoo()
        colors = color_star(P)
        assert star_sources(P.row, P.col, colors, 30) is not None
        for i, j in zip(P.row, P.col):  # a distance-1 coloring
            assert i == j or colors[i] != colors[j]
    P = (sp.diags([1.0, 1.0, 1.0], [-1, 0, 1], shape=(4, 4)) != 0).tocoo()
    assert star_sources(P.row, P.col, np.array([0, 1, 0, 1]), 4) is None  # a 4-path, 2 colors


# ------------------------------------------------------------------ refusals
def test_refusals():
    x = np.arange(1.0, 5.0)
    with pytest.raises(tl.TangentlikeError, match="mode"):
        tl.sparse_jacobian(F.diffusion_loop, mode="sideways")
    with pytest.raises(tl.TangentlikeError, match="wrt"):
        tl.sparse_jacobian(F.diffusion_loop, wrt=(0, 1))
    with pytest.raises(tl.TangentlikeError, match="wrt"):
        tl.jacobian_sparsity(F.diffusion_loop, wrt=True)
    with pytest.raises(tl.TangentlikeError, match="compile"):
        tl.sparse_jacobian(F.diffusion_loop, compile="cython")
    with pytest.raises(tl.TangentlikeError, match="one array"):
        tl.jacobian_sparsity(F.two_outputs)(x)
    with pytest.raises(tl.TangentlikeError, match="one array"):
        tl.sparse_jacobian(F.two_outputs, sparsity=sp.eye(4))(x)
    with pytest.raises(tl.TangentlikeError, match="shape"):
        tl.sparse_jacobian(F.diffusion_loop, sparsity=sp.eye(5))(x, 0.3)
    with pytest.raises(tl.TangentlikeError, match="scalar output"):
        tl.sparse_hessian(F.diffusion_vec)(x, 0.3)
    with pytest.raises(tl.TangentlikeError, match="2-D"):
        tl.sparse_jacobian(F.diffusion_loop, sparsity=np.ones(4))
    with pytest.raises(tl.TangentlikeError, match="bad arguments"):
        tl.sparse_jacobian(F.diffusion_loop)(x)


@pytest.mark.parametrize("compile", [None, "numba"])
def test_float32_input_and_scalar_wrt(compile):
    x = np.linspace(0.1, 1.2, 12)
    x32 = x.astype(np.float32)
    J = tl.sparse_jacobian(F.diffusion_loop, compile=compile)(x32, 0.3)
    np.testing.assert_allclose(J.toarray(), dense(F.diffusion_loop, (x, 0.3)), rtol=1e-5, atol=1e-5)
    S = tl.sparse_jacobian(F.scaled_sine, wrt=0, compile=compile)
    col = S(0.7, x)
    assert col.shape == (12, 1) and S.ncolors == 1
    np.testing.assert_allclose(col.toarray()[:, 0], x * np.cos(0.7 * x) + 1.4, rtol=1e-12)
    assert tl.jacobian_sparsity(F.scaled_sine, wrt=1)(0.7, x).nnz == 12  # diagonal


def test_hessian_through_the_adjoint_of_max_is_structural():
    A = np.random.default_rng(11).standard_normal((3, 4))
    with warnings.catch_warnings():
        warnings.simplefilter("error", tl.TangentlikeWarning)  # no dense fallback
        P = tl.jacobian_sparsity(tl.grad(F.max_energy))(A)
        H = tl.sparse_hessian(F.max_energy)(A)
    D = tl.hessian(F.max_energy)(A).reshape(12, 12)
    assert not np.any((D != 0) & ~P.toarray())
    assert P.nnz < 144  # rows of A and columns of A do not all mix
    np.testing.assert_allclose(H.toarray(), D, rtol=1e-12, atol=1e-12)


def _corpus_sample():
    from tests.corpus import ALL_CASES, ALL_IDS, VJP_CASES, VJP_IDS

    out = []
    for case, name in list(zip(ALL_CASES, ALL_IDS))[::5] + list(zip(VJP_CASES, VJP_IDS))[::3]:
        x = case.args[case.wrt_tuple[0]]
        if isinstance(x, float) or (isinstance(x, np.ndarray) and x.dtype.kind == "f"):
            out.append(pytest.param(case, id=name))
    return out


@pytest.mark.parametrize("case", _corpus_sample())
def test_corpus_patterns_hold_every_nonzero(case):
    k = case.wrt_tuple[0]
    with warnings.catch_warnings():
        warnings.simplefilter("error", tl.TangentlikeWarning)  # no dense fallback
        P = tl.jacobian_sparsity(case.fn, k)(*copy.deepcopy(case.args))
    J = np.asarray(tl.jacobian(case.fn, k, mode="forward")(*copy.deepcopy(case.args))).reshape(
        P.shape
    )
    assert not np.any((J != 0) & ~P.toarray())
