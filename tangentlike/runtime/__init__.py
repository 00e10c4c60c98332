"""Functions that generated derivative code calls at run time.

Each helper is plain Python (for ``compile=None``) with a Numba ``@overload`` twin
(for ``compile="numba"``), so the same generated text runs in both modes.
"""
from .helpers import (zeros_like, unbroadcast, unreduce, copy_value, own,
                      reduce_adjoint_max, mean_count, cast_like, cast_owned, dot_adjoint_a,
                      dot_adjoint_b, to_float, expand_like, sum_along, stop_gradient, unreduce_ones)

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
    "to_float": to_float,
    "expand_like": expand_like,
    "sum_along": sum_along,
    "unreduce_ones": unreduce_ones,
}

from . import numba_scalars  # noqa: E402,F401  (registers the scalar cases with Numba)
