"""Module-level functions tangentlike must refuse with TangentlikeError (see test_errors.py).

Line numbers matter: tests locate the offending line by searching this file for a marker comment.
"""

import ctypes
import ctypes.util

import numpy as np
import scipy.special

_libm = ctypes.CDLL(ctypes.util.find_library("m") or None)
c_cos = _libm.cos
c_cos.restype = ctypes.c_double
c_cos.argtypes = [ctypes.c_double]

COUNTER = 0.0


# ---- calls without a derivative rule -------------------------------------------------


def call_fft(x):
    y = x * 2.0
    z = np.fft.fft(y)  # MARK:fft
    return np.sum(np.real(z))


def call_c_function(x):
    return c_cos(x) * x  # MARK:ccall


def call_scipy_special(x):
    return scipy.special.j0(x) * x  # MARK:j0


def _inner_fft(v):
    return np.sum(np.abs(np.fft.rfft(v)))  # MARK:inner_fft


def callee_without_rule(x):
    return _inner_fft(x * x) + np.sum(x)


# ---- unsupported constructs -------------------------------------------------------------


def uses_yield(x):
    yield x * x  # MARK:yield


def uses_generator_expression(x):
    return sum(v * v for v in x)  # MARK:genexp


def uses_try(x):
    try:  # MARK:try
        y = x * x
    except ValueError:
        y = x
    return y


def uses_with(x):
    with np.errstate(all="ignore"):  # MARK:with
        y = np.log(x)
    return np.sum(y)


def uses_lambda(x):
    sq = lambda v: v * v  # noqa: E731  # MARK:lambda
    return sq(x) + x


def uses_list_comprehension(x):
    parts = [x[i] * x[i] for i in range(3)]  # MARK:listcomp
    return parts[0] + parts[1] + parts[2]


def uses_dict_comprehension(x):
    d = {i: x[i] for i in range(2)}  # MARK:dictcomp
    return d[0] * d[1]


def uses_global(x):
    global COUNTER  # MARK:global
    COUNTER = COUNTER + 1.0
    return x * x


def uses_nonlocal(x):
    acc = x

    def bump():
        nonlocal acc  # MARK:nonlocal
        acc = acc * 2.0

    bump()
    return acc


def uses_del(x):
    y = x * x
    z = y + x
    del y  # MARK:del
    return z


def _callee_with_try(x):
    try:  # MARK:callee_try
        return x * x
    except ZeroDivisionError:
        return x


def caller_of_bad_callee(x):
    return _callee_with_try(x) + x


# ---- other errors -------------------------------------------------------------------------


def vector_output(x):
    return np.sin(x) * 2.0


def one_arg(x):
    return x * x


def two_args(x, y):
    return x * y


def not_nopython(x):
    y = x * x
    if x[0] > 0.0:
        y = np.sum(y)
    return np.sum(y * 2.0)


def pops_a_stack(x):
    st = []
    for i in range(x.shape[0]):
        st.append(x[i] * 2.0)
    s = 0.0
    while len(st) > 0:
        v = st.pop()  # MARK:stack_pop
        s = s * 0.5 + v
    return s


def pops_inside_an_expression(x):
    st = [x[0], x[1]]
    a = st.pop() * 2.0  # MARK:pop_expr
    return a + st[0]


def transposed_in_loop(M):
    # M turns from C to F order each step: Numba types it with layout 'A', and its lowering
    # of np.exp cannot allocate such an array (NotImplementedError, not a typing error)
    for _ in range(3):
        M = np.exp(np.tanh(M.T))
    return np.sum(M)


def dict_arg(p):
    return np.sum(p["a"] * p["b"])
