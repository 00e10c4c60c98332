"""tangentlike: source-to-source automatic differentiation for Python, compiled with Numba.

import tangentlike as tl
df = tl.grad(f)                 # gradient w.r.t. argument 0
print(tl.source(df))            # the generated adjoint, as Python source
fast = tl.grad(f, compile="numba")
"""

from .errors import TangentlikeError, TangentlikeWarning
from .api import grad, value_and_grad, vjp, jvp, source
from .runtime import stop_gradient
from .jacobians import jacobian, jacfwd, jacrev
from .checking import check_grads
from .custom import custom_jvp, custom_vjp
from .higher_order import hessian, hvp
from .sparse import jacobian_sparsity, sparse_jacobian, sparse_hessian
from .batch import batch_grad, batch_value_and_grad
from .explain import explain
from . import cuda, distributed
from .display import install_notebook_errors as _install_notebook_errors
from .feedback import cancel_background_compiles

_install_notebook_errors()

__all__ = [
    "grad",
    "value_and_grad",
    "vjp",
    "jvp",
    "jacobian",
    "jacfwd",
    "jacrev",
    "source",
    "stop_gradient",
    "check_grads",
    "custom_vjp",
    "custom_jvp",
    "hessian",
    "hvp",
    "explain",
    "TangentlikeError",
    "TangentlikeWarning",
    "cuda",
    "batch_grad",
    "batch_value_and_grad",
    "distributed",
    "cancel_background_compiles",
    "jacobian_sparsity",
    "sparse_jacobian",
    "sparse_hessian",
]
__version__ = "0.1.0"
