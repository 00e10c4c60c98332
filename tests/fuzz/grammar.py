"""The fuzz grammar's vocabulary: argument types, tame functions, constants, the features
that can be switched off and the scope of names a generated statement sees."""

N = 3  # length of vectors, side of matrices
SCALAR, VECTOR, MATRIX = "S", "V", "M"
ARGS = (("a", SCALAR), ("b", SCALAR), ("v", VECTOR), ("M", MATRIX))

# Features that can be switched off (a finding that belongs to another helper, until fixed).
FEATURES = {
    # L = []; L.append(e); reads L[k] (F1/F2 fixed; a list created and appended in a loop
    # body, seed 90026, fixed: regressions/list_in_loop_body.py)
    "lists": True,
    # helpers reassign their parameters (findings/fuzz.md F3, fixed: 300 programs clean)
    "reassign_params": True,
    "while": True,
    "helpers": True,
    "slices": True,  # w[0:2] = ..., W[i] = row, W[:, j] = column
    "returns": True,  # early return inside blocks
}

CONSTS = ("0.5", "1.5", "0.3", "2.0", "0.7", "1.2", "0.25")
SMOOTH_S = (
    "np.sin({})",
    "math.cos({})",
    "np.tanh({})",
    "math.atan({})",
    "math.sqrt(1.0 + {} ** 2)",
    "np.log(1.0 + {} ** 2)",
    "math.exp(np.tanh({}))",
    "np.sin({}) * np.cos({})",
)
SMOOTH_A = (
    "np.sin({})",
    "np.cos({})",
    "np.tanh({})",
    "np.arctan({})",
    "np.sqrt(1.0 + {} ** 2)",
    "np.exp(np.tanh({}))",
)


class Scope:
    """Variables visible at a point of the program: name -> type, plus what may be written
    into (arrays the function created), loop counters usable as indices, lists."""

    def __init__(self, names, owned=(), indices=(), lists=(), in_loop=False, in_helper=False):
        self.names = dict(names)
        self.owned = set(owned)
        self.indices = list(indices)
        self.lists = set(lists)
        self.in_loop = in_loop
        self.in_helper = in_helper

    def child(self, **kw):
        s = Scope(self.names, self.owned, self.indices, self.lists, self.in_loop, self.in_helper)
        for k, v in kw.items():
            setattr(s, k, v)
        return s

    def of(self, t):
        return [n for n, ty in self.names.items() if ty == t]


ARG_NAMES = {n for n, _ in ARGS}
HELPER_PARAMS = {"x", "y", "c"}
