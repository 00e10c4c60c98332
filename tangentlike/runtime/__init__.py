"""Functions that generated derivative code calls at run time.

Each helper is plain Python (for ``compile=None``) with a Numba ``@overload`` twin
(for ``compile="numba"``), so the same generated text runs in both modes: ``values.py``
(zeros, copies, casts), ``broadcasting.py`` (shapes and reductions), ``dot.py`` (the
adjoints of ``np.dot``), ``numba_scalars.py`` (every scalar case, lowered directly);
``revolve.py`` is the checkpointing schedule.
"""

from .values import zeros_like, copy_value, own, cast_like, cast_owned, to_float, stop_gradient
from .broadcasting import (
    unbroadcast,
    unreduce,
    reduce_adjoint_max,
    mean_count,
    expand_like,
    sum_along,
    unreduce_ones,
)
from .dot import dot_adjoint_a, dot_adjoint_b, matmul_adjoint_a, matmul_adjoint_b
from .reductions import (
    sum_items,
    sum_items_adjoint,
    prod_others,
    prod_others_tangent,
    centered,
    std_adjoint,
    cumsum_along,
    cumsum_adjoint,
    cumprod_adjoint,
    cumprod_tangent,
)
from .linalg import (
    det_adjoint,
    det_tangent,
    solve_adjoint_a,
    cholesky_adjoint,
    cholesky_tangent,
    norm_adjoint,
)
from .indexing import (
    diagonal_adjoint,
    take_adjoint,
    clip_inside,
    clip_below,
    clip_above,
    einsum_adjoint,
    einsum_tangent,
    operands_of,
    digamma,
    xdivy,
)

HELPERS = {
    "zeros_like": zeros_like,
    "unbroadcast": unbroadcast,
    "unreduce": unreduce,
    "copy_value": copy_value,
    "own": own,
    "reduce_adjoint_max": reduce_adjoint_max,
    "mean_count": mean_count,
    "cast_like": cast_like,
    "cast_owned": cast_owned,
    "dot_adjoint_a": dot_adjoint_a,
    "dot_adjoint_b": dot_adjoint_b,
    "matmul_adjoint_a": matmul_adjoint_a,
    "matmul_adjoint_b": matmul_adjoint_b,
    "to_float": to_float,
    "expand_like": expand_like,
    "sum_along": sum_along,
    "unreduce_ones": unreduce_ones,
    "prod_others": prod_others,
    "sum_items": sum_items,
    "sum_items_adjoint": sum_items_adjoint,
    "prod_others_tangent": prod_others_tangent,
    "centered": centered,
    "std_adjoint": std_adjoint,
    "cumsum_along": cumsum_along,
    "cumsum_adjoint": cumsum_adjoint,
    "cumprod_adjoint": cumprod_adjoint,
    "cumprod_tangent": cumprod_tangent,
    "det_adjoint": det_adjoint,
    "det_tangent": det_tangent,
    "solve_adjoint_a": solve_adjoint_a,
    "cholesky_adjoint": cholesky_adjoint,
    "cholesky_tangent": cholesky_tangent,
    "norm_adjoint": norm_adjoint,
    "diagonal_adjoint": diagonal_adjoint,
    "take_adjoint": take_adjoint,
    "clip_inside": clip_inside,
    "clip_below": clip_below,
    "clip_above": clip_above,
    "einsum_adjoint": einsum_adjoint,
    "einsum_tangent": einsum_tangent,
    "operands_of": operands_of,
    "digamma": digamma,
    "xdivy": xdivy,
}

from . import numba_scalars  # noqa: E402,F401  (registers the scalar cases with Numba)
