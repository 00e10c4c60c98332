"""Central finite differences for scalar, array, and tuple/list/dict arguments, and a comparison helper.

    fd_grad(f, args, wrt)          -> gradient(s) of scalar f, same structure as tl.grad returns
    fd_vjp(f, args, wrt, dy)       -> FD of dot(dy, f(*args)) wrt args
    assert_close(actual, expected) -> structural + numerical comparison

float32 inputs are upcast to float64 before differencing (upcast=True, the default), so the
reference is accurate; the tolerance for float32 gradients is looser instead. With
upcast=False the function is differenced in float32 with a larger step.
"""

import copy

import numpy as np

STEP64 = 1e-6
STEP32 = 3e-3


def _is_leaf(x):
    return isinstance(x, (float, int, np.floating, np.ndarray)) and not isinstance(x, bool)


def record_fields(x):
    """The field values of a dataclass or namedtuple instance, else None."""
    import dataclasses

    if dataclasses.is_dataclass(x) and not isinstance(x, type):
        return [getattr(x, f.name) for f in dataclasses.fields(x)]
    if isinstance(x, tuple) and hasattr(type(x), "_fields"):
        return list(x)
    return None


def _upcast(x):
    """float32 leaves -> float64 (recursively); other values unchanged."""
    fields = record_fields(x)
    if fields is not None:
        return type(x)(*[_upcast(v) for v in fields])
    if isinstance(x, tuple):
        return tuple(_upcast(v) for v in x)
    if isinstance(x, list):
        return [_upcast(v) for v in x]
    if isinstance(x, dict):
        return {k: _upcast(v) for k, v in x.items()}
    if isinstance(x, np.ndarray) and x.dtype == np.float32:
        return x.astype(np.float64)
    if isinstance(x, np.float32):
        return np.float64(x)
    return x


def _leaf_dtype(x):
    if isinstance(x, (np.ndarray, np.floating)):
        return x.dtype
    return np.dtype(np.float64)


def _fd_leaf(g, x):
    """FD of scalar function g(x') where x' replaces leaf x; returns array/scalar shaped like x."""
    dtype = _leaf_dtype(x)
    base = STEP32 if dtype == np.float32 else STEP64
    if isinstance(x, np.ndarray):
        flat = x.astype(dtype, copy=True).ravel()
        out = np.zeros(flat.shape, dtype=np.float64)
        for i in range(flat.size):
            xi = float(flat[i])
            h = base * max(1.0, abs(xi))
            xp = flat.copy()
            xm = flat.copy()
            xp[i] = xi + h
            xm[i] = xi - h
            hp = float(xp[i]) - xi  # the step actually representable in dtype
            hm = xi - float(xm[i])
            fp = float(g(xp.reshape(x.shape)))
            fm = float(g(xm.reshape(x.shape)))
            out[i] = (fp - fm) / (hp + hm)
        return out.reshape(x.shape)
    xi = float(x)
    h = base * max(1.0, abs(xi))
    ctor = type(x) if isinstance(x, np.floating) else float
    xp, xm = ctor(xi + h), ctor(xi - h)
    return (float(g(xp)) - float(g(xm))) / (float(xp) - float(xm))


def _fd_struct(g, x):
    """FD of scalar g over every float leaf of x (tuple/list/dict/dataclass/namedtuple
    nesting allowed); a record's FD comes back as an instance of its class."""
    fields = record_fields(x)
    if fields is not None:
        res = []
        for k in range(len(fields)):

            def gk(v, k=k):
                y = list(fields)
                y[k] = v
                return g(type(x)(*y))

            res.append(_fd_struct(gk, fields[k]))
        return type(x)(*res)
    if isinstance(x, (tuple, list)):
        res = []
        for k in range(len(x)):

            def gk(v, k=k):
                y = list(x)
                y[k] = v
                return g(type(x)(y) if isinstance(x, tuple) else y)

            res.append(_fd_struct(gk, x[k]))
        return tuple(res) if isinstance(x, tuple) else res
    if isinstance(x, dict):
        res = {}
        for key in x:

            def gk(v, key=key):
                y = dict(x)
                y[key] = v
                return g(y)

            res[key] = _fd_struct(gk, x[key])
        return res
    if isinstance(x, (int, np.integer)) and not isinstance(x, (bool, np.bool_)):
        raise TypeError("cannot finite-difference an integer argument")
    return _fd_leaf(g, x)


def _scalar(v):
    a = np.asarray(v)
    if a.size != 1:
        raise ValueError(f"function output has shape {a.shape}; expected a scalar")
    return float(a.reshape(()))


def fd_grad(f, args, wrt=0, upcast=True):
    """Central-difference gradient of scalar f at args; int wrt -> bare, tuple wrt -> tuple."""
    args = tuple(copy.deepcopy(a) for a in args)
    if upcast:
        args = tuple(_upcast(a) for a in args)
    idx = wrt if isinstance(wrt, tuple) else (wrt,)
    grads = []
    for i in idx:

        def g(v, i=i):
            a = list(args)
            a[i] = v
            return _scalar(f(*copy.deepcopy(tuple(a))))

        grads.append(_fd_struct(g, args[i]))
    return tuple(grads) if isinstance(wrt, tuple) else grads[0]


def fd_vjp(f, args, wrt, dy, upcast=True):
    """FD of the scalar dot(dy, f(*args))."""
    dy64 = np.asarray(dy, dtype=np.float64)

    def h(*a):
        return float(np.sum(dy64 * np.asarray(f(*a), dtype=np.float64)))

    return fd_grad(h, args, wrt, upcast=upcast)


def fd_directional(f, args, wrt, v, h=1e-6):
    """Central difference of ``f`` (any array-valued function, e.g. a gradient) along the
    direction ``v`` of argument ``wrt``: the Hessian-vector product when ``f`` is a gradient."""
    plus, minus = list(args), list(args)
    plus[wrt] = args[wrt] + h * np.asarray(v, dtype=np.float64)
    minus[wrt] = args[wrt] - h * np.asarray(v, dtype=np.float64)
    fp = np.asarray(f(*plus), dtype=np.float64)
    return (fp - np.asarray(f(*minus), dtype=np.float64)) / (2 * h)


def tolerances(dtype):
    """(rtol, atol) suited to a gradient of this dtype compared with a float64 FD reference."""
    if np.dtype(dtype) == np.float32:
        return 2e-3, 2e-4
    return 2e-5, 1e-6


def _leaves(x, path="g"):
    fields = record_fields(x)
    if fields is not None:
        x = fields
    if isinstance(x, (tuple, list)):
        for k, v in enumerate(x):
            yield from _leaves(v, f"{path}[{k}]")
    elif isinstance(x, dict):
        for k, v in x.items():
            yield from _leaves(v, f"{path}[{k!r}]")
    else:
        yield path, x


def assert_same_structure(actual, expected, path="g"):
    """Containers must match exactly in type/length/keys; leaves in shape."""
    if record_fields(expected) is not None:
        assert type(actual) is type(expected), (
            f"{path}: expected {type(expected).__name__}, got {type(actual).__name__}"
        )
        actual, expected = record_fields(actual), record_fields(expected)
    if isinstance(expected, (tuple, list, dict)):
        assert isinstance(actual, type(expected)), (
            f"{path}: expected {type(expected).__name__}, got {type(actual).__name__}"
        )
        assert len(actual) == len(expected), (
            f"{path}: expected length {len(expected)}, got {len(actual)}"
        )
        if isinstance(expected, dict):
            assert set(actual) == set(expected), (
                f"{path}: keys {sorted(actual)} != {sorted(expected)}"
            )
            for k in expected:
                assert_same_structure(actual[k], expected[k], f"{path}[{k!r}]")
        else:
            for k, (a, e) in enumerate(zip(actual, expected)):
                assert_same_structure(a, e, f"{path}[{k}]")
        return
    assert not isinstance(actual, (tuple, list, dict)), (
        f"{path}: expected a leaf, got {type(actual).__name__}"
    )
    assert np.shape(actual) == np.shape(expected), (
        f"{path}: shape {np.shape(actual)} != expected {np.shape(expected)}"
    )


def assert_close(actual, expected, rtol=None, atol=None, dtype=None, scale_atol=True):
    """Compare two (possibly nested) gradients leaf by leaf.

    Tolerances default to tolerances(dtype of each actual leaf). With scale_atol the absolute
    tolerance is multiplied by max(1, max|expected leaf|) so that large gradients are judged
    relatively, not against an absolute 1e-6.
    """
    assert_same_structure(actual, expected)
    for (path, a), (_, e) in zip(_leaves(actual), _leaves(expected)):
        a_arr = np.asarray(a)
        e_arr = np.asarray(e, dtype=np.float64)
        r, t = tolerances(
            dtype if dtype is not None else (a_arr.dtype if a_arr.dtype.kind == "f" else np.float64)
        )
        r = rtol if rtol is not None else r
        t = atol if atol is not None else t
        if scale_atol and e_arr.size:
            t = t * max(1.0, float(np.max(np.abs(e_arr))))
        np.testing.assert_allclose(a_arr.astype(np.float64), e_arr, rtol=r, atol=t, err_msg=path)


def leaf_dtype_of_input(x):
    """The dtype a gradient leaf should have for input leaf x (None: any float64-like is fine)."""
    if isinstance(x, np.ndarray):
        return x.dtype
    if isinstance(x, np.floating):
        return x.dtype
    return np.dtype(np.float64)
