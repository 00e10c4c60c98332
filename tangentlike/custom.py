"""User-defined derivative rules with JAX's signatures: ``custom_vjp`` and ``custom_jvp``.

    @tl.custom_vjp
    def root(factor): ...                      # e.g. a bisection solver
    def root_fwd(factor):
        z = root(factor)
        return z, (z, factor)                  # output, residuals
    def root_bwd(res, g):
        z, factor = res
        return (-g * z**3 / (3 * factor * z**2 - 1),)   # implicit function theorem
    root.defvjp(root_fwd, root_bwd)

Where differentiated code calls ``root``, the generated adjoint calls ``root_fwd`` and
``root_bwd`` (shown in ``tl.source``, compiled by Numba with the rest).
"""

import functools


class _Custom:
    def __init__(self, fn):
        self.fn = getattr(fn, "py_func", fn)
        functools.update_wrapper(self, self.fn)

    def __call__(self, *args, **kwargs):
        return self.fn(*args, **kwargs)

    def __reduce__(self):  # by reference, like the module-level function it replaces
        return self.__qualname__


class custom_vjp(_Custom):
    """A function whose reverse-mode derivative is given by ``defvjp(fwd, bwd)``:
    ``fwd(*args) -> (out, residuals)`` and ``bwd(residuals, g) -> tuple of cotangents``
    (one per positional argument)."""

    fwd = None
    bwd = None

    def defvjp(self, fwd, bwd):
        self.fwd = getattr(fwd, "py_func", fwd)
        self.bwd = getattr(bwd, "py_func", bwd)
        return self


class custom_jvp(_Custom):
    """A function whose forward-mode derivative is given by ``defjvp(rule)``:
    ``rule(primals, tangents) -> (out, tangent_out)``; usable as ``@f.defjvp``."""

    jvp_rule = None

    def defjvp(self, rule):
        self.jvp_rule = getattr(rule, "py_func", rule)
        return rule
