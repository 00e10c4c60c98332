"""Adjoints of Python's arithmetic operators (on scalars and broadcasting arrays)."""
from .registry import adjoint, nondifferentiable, tangent

# In every template: z is the result, g its adjoint, d[x] the contribution to x.
# unbroadcast(v, x) sums v back to the shape of x when x was broadcast.


@adjoint("op:Add")
def add(x, y):
    d[x] = unbroadcast(g, x)
    d[y] = unbroadcast(g, y)


@adjoint("op:Sub")
def sub(x, y):
    d[x] = unbroadcast(g, x)
    d[y] = unbroadcast(-g, y)


@adjoint("op:Mult")
def mul(x, y):
    d[x] = unbroadcast(g * y, x)
    d[y] = unbroadcast(g * x, y)


@adjoint("op:Div")
def truediv(x, y):
    d[x] = unbroadcast(g / y, x)
    # -(x / y) / y rather than -x / y**2: y**2 underflows for tiny y (float32 ratios)
    d[y] = unbroadcast(-(z / y) * g, y)


@adjoint("op:Pow")
def pow(x, y):
    d[x] = unbroadcast(g * y * x ** (y - 1), x)
    d[y] = unbroadcast(g * z * np.log(x), y)


@adjoint("op:Mod")
def mod(x, y):
    d[x] = unbroadcast(g, x)
    d[y] = unbroadcast(-g * np.floor(x / y), y)


@adjoint("op:USub")
def neg(x):
    d[x] = -g


@adjoint("op:UAdd")
def pos(x):
    d[x] = g


@adjoint("op:MatMult")
def matmul(x, y):
    d[x] = dot_adjoint_a(g, x, y)
    d[y] = dot_adjoint_b(g, x, y)


nondifferentiable("op:FloorDiv", "op:Not", "op:Invert", "op:BitAnd", "op:BitOr",
                  "op:BitXor", "op:LShift", "op:RShift")


# ---------------------------------------------------------------- forward mode
# (products, quotients and powers derive theirs from the adjoints above)
@tangent("op:Add", expand=True)
def add_tangent(x, y):
    d[x] = g
    d[y] = g


@tangent("op:Sub", expand=True)
def sub_tangent(x, y):
    d[x] = g
    d[y] = -g


@tangent("op:Mod", expand=True)
def mod_tangent(x, y):
    d[x] = g
    d[y] = -g * np.floor(x / y)
