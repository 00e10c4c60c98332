"""What every peer tool is: a ``Peer`` (installed? has a version of this kernel?) that
prepares a ``Prepared`` gradient for one problem instance, or raises ``Skip``."""

import importlib.util


class Skip(Exception):
    """A peer cannot or should not run this problem/size; the message says why."""


def installed(module):
    try:
        return importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):
        return False


class Prepared:
    """A peer's gradient for one problem instance.

    run():    one gradient evaluation, finished (blocked) before returning.
    grads():  the gradient of the last run() (or of a new one) as a list of NumPy
              values, one per differentiated argument.
    value():  the peer's own loss value (float).
    """

    def __init__(self, run, convert, value):
        self._run = run
        self._convert = convert
        self._value = value
        self._last = None

    def run(self):
        self._last = self._run()
        return self._last

    def grads(self):
        return self._convert(self._last if self._last is not None else self._run())

    def value(self):
        return self._value()


class Peer:
    key = ""
    label = ""
    module = ""
    jit = False  # has a compile step on the first call
    slow = False  # interpreted per-scalar-op overhead on loop kernels: extrapolate and
    # cap, skip in --quick (whole-array kernels run them directly)
    kinds = ("loop", "vectorized")  # the kinds of kernel this peer has a version of

    def available(self):
        return installed(self.module)

    def applies(self, problem):
        return problem.kind in self.kinds

    def prepare(self, problem, args, size):
        raise NotImplementedError
