"""The one exception type tangentlike raises for code it cannot differentiate."""

from .display import cell_location


class TangentlikeError(Exception):
    """An unsupported construct, a call without a derivative rule, or a bad argument.

    The message names the construct, the function and the source line, e.g.
    ``simulate (model.py:12): no derivative rule for call to 'scipy.special.j0'``.
    """

    def __init__(self, message, *, function=None, filename=None, lineno=None, construct=None):
        self.message = message  # without the location
        self.function = function
        self.filename = filename
        self.lineno = lineno
        self.construct = construct
        where = ""
        if function is not None:
            loc = (
                f"{filename}:{lineno}"
                if filename and lineno
                else (f"line {lineno}" if lineno else "")
            )
            loc = cell_location(filename, lineno) or loc  # code typed in a notebook cell
            where = f"{function} ({loc}): " if loc else f"{function}: "
        super().__init__(where + message)


class TangentlikeWarning(UserWarning):
    """Something worked, but not the way it was asked for (e.g. ``compile="numba"`` could
    not compile a loop-free derivative, which keeps running as NumPy)."""
