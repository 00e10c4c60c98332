"""Functions taking tuples/lists/dicts of arrays, and primals numba cannot compile (numba=False).

Container arguments are an interpreted-mode feature of tangentlike, so those cases are marked
numba=False by contract even though numba.njit itself accepts tuple (and reflected list)
arguments for the primal. Dicts and array/scalar-changing variables genuinely fail in nopython mode.
"""

import numpy as np

from .case import Case, rnd


def _energy(params):
    return np.sum(params[0] ** 2) + np.sum(params[1] * params[0])


def tuple_of_arrays(params, x):
    w, b = params
    return np.sum(np.tanh(w * x + b))


def tuple_of_arrays_indexed(params):
    return np.sum(params[0] * params[1]) + np.sum(params[2] ** 2)


def list_of_arrays(layers, x):
    h = x
    for W in layers:
        h = np.tanh(W @ h)
    return np.sum(h * h)


def dict_of_arrays(p, x):
    return np.sum((p["w"] * x + p["b"]) ** 2) + p["c"] * p["c"]


def dict_in_loop(p):
    s = 0.0
    for i in range(p["x"].shape[0]):
        s = s + p["x"][i] * p["y"][i] * p["y"][i]
    return s


def tuple_to_callee(params):
    return _energy(params) * 2.0


def tuple_mixed_scalar(params, x):
    a, v = params
    return np.sum(a * v * x) + a * a


def shape_changing_variable(x):
    y = x * x
    for _ in range(2):
        y = np.sum(y) * 0.5 + 1.0
    return y * 2.0


def shape_changing_branch(x):
    y = x * x
    if x[0] > 0.0:
        y = np.sum(y)
    return np.sum(y * 2.0)


def type_changing_variable(x):
    t = 1
    t = x * 0.5
    return t * x


def list_built_inside(x):
    parts = [x[0], x[1] * x[1], x[2]]
    s = 0.0
    for p in parts:
        s = s + p * p
    return s


def tuple_built_inside(x, y):
    pair = (x * y, x + y)
    return pair[0] * pair[1]


CASES = [
    Case(
        tuple_of_arrays,
        ((rnd(170, 3), rnd(171, 3)), rnd(172, 3)),
        numba=False,
        note="container arg",
    ),
    Case(
        tuple_of_arrays_indexed,
        ((rnd(173, 3), rnd(174, 3), rnd(175, (2, 2))),),
        numba=False,
        note="container arg",
    ),
    Case(
        list_of_arrays,
        ([rnd(176, (3, 3)), rnd(177, (2, 3))], rnd(178, 3)),
        numba=False,
        note="container arg",
    ),
    Case(
        dict_of_arrays, ({"w": rnd(179, 3), "b": rnd(180, 3), "c": 0.7}, rnd(181, 3)), numba=False
    ),
    Case(dict_in_loop, ({"x": rnd(182, 4), "y": rnd(183, 4)},), numba=False),
    Case(tuple_to_callee, ((rnd(184, 3), rnd(185, 3)),), numba=False, note="container arg"),
    Case(
        tuple_mixed_scalar,
        ((1.3, rnd(186, 3)), rnd(187, 3)),
        wrt=(0, 1),
        numba=False,
        note="container arg",
    ),
    Case(
        shape_changing_variable,
        (rnd(188, 4),),
        numba=False,
        note="loop-carried y: array, then scalar",
    ),
    Case(
        shape_changing_branch,
        (np.array([0.4, -0.3, 0.8]),),
        numba=False,
        note="y array or scalar after if",
    ),
    Case(type_changing_variable, (0.8,), note="int then float; numba unifies these"),
    Case(
        list_built_inside, (rnd(189, 3),), numba=False, note="local list adjoint: interpreted only"
    ),
    Case(
        tuple_built_inside,
        (0.8, 1.3),
        wrt=(0, 1),
        numba=False,
        note="local tuple/list adjoint: interpreted only",
    ),
]
