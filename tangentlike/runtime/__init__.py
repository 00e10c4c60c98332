"""Functions that generated derivative code calls at run time.

Each helper is plain Python (for ``compile=None``) with a Numba ``@overload`` twin
(for ``compile="numba"``), so the same generated text runs in both modes: ``values.py``
(zeros, copies, casts), ``broadcasting.py`` (shapes and reductions), ``dot.py`` (the
adjoints of ``np.dot``), ``numba_scalars.py`` (every scalar case, lowered directly);
``revolve.py`` is the checkpointing schedule. Every helper carries one declaration
(``@helper(...)``, ``declarations.py``) that the passes' tables are derived from.
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
    trigamma,
    xdivy,
)
from .sorting import unsort, sort_like, median_weights
from .shifts import flipped, rolled, differenced, diff_adjoint
from .repeats import repeated, repeat_adjoint, tile_adjoint
from .interpolation import interp_slope, interp_adjoint

from .declarations import DECLARED

# the names the generated module's header binds, from the helpers' declarations
HELPERS = {h.name: h.impl for h in DECLARED.values() if h.bound}
globals().update(HELPERS)  # generated code imports every bound helper from here

from . import numba_scalars  # noqa: E402,F401  (registers the scalar cases with Numba)
