"""Find, dedent and parse the source of a user function; keep what error messages need."""

import inspect
import textwrap
from typing import Callable
from dataclasses import dataclass, field

import gast

from ..errors import TangentlikeError
from ..trees import clone


@dataclass
class ParsedFunction:
    fn: object  # the Python function object
    name: str
    node: gast.FunctionDef  # the parsed definition (decorators removed)
    filename: str
    line_offset: int  # add to a node's lineno to get the line in `filename`
    namespace: dict = field(default_factory=dict)  # globals and closure values
    bindings: dict = field(default_factory=dict)  # parameter -> function it is called as

    @property
    def params(self):
        """The names of the positional parameters."""
        return [a.id for a in self.node.args.args]

    def lineno(self, node):
        n = getattr(node, "lineno", None)
        return None if n is None else n + self.line_offset

    def error(self, message, node=None, construct=None):
        """A TangentlikeError that names this function and the line of ``node``."""
        return TangentlikeError(
            message,
            function=self.name,
            filename=self.filename,
            lineno=self.lineno(node) if node is not None else None,
            construct=construct,
        )

    def source_line(self, node):
        """The user's source text of the line ``node`` starts on (for comments)."""
        lines = self._source_lines()
        if lines is None:
            return None
        n = getattr(node, "lineno", None)
        if n is None or n - 1 >= len(lines):
            return None
        return lines[n - 1].strip()

    def _source_lines(self):
        """The function's source lines, read once (None when unreadable)."""
        if "_lines" not in self.__dict__:
            try:
                self._lines = source_lines(self.fn)[0]
            except (OSError, TypeError):
                self._lines = None
        return self._lines


def unwrap(fn):
    """The plain Python function behind a Numba dispatcher. A ``functools.wraps``
    wrapper is not unwrapped: what the user passed is what gets differentiated (its
    ``__wrapped__`` may compute something else)."""
    py = getattr(fn, "py_func", None)
    if py is not None:
        return py
    return fn


def source_lines(fn):
    """``inspect.getsourcelines`` of the function's own code: unlike it, never the
    source of the function a decorator's ``__wrapped__`` names."""
    return inspect.getsourcelines(getattr(fn, "__code__", fn))


def parse_function(fn: Callable) -> "ParsedFunction":
    from .specialized import Specialized

    if isinstance(fn, Specialized):
        parsed = parse_function(fn.fn)
        parsed.bindings = dict(fn.bindings)
        return parsed
    fn = unwrap(fn)
    name = getattr(fn, "__name__", repr(fn))
    outer = getattr(fn, "__tl_outer__", None)
    if outer is not None:  # a nested function, lifted (normalize/closures.py)
        parsed = ParsedFunction(
            fn=fn,
            name=name,
            node=clone(fn.__tl_definition__),
            filename=outer.filename,
            line_offset=outer.line_offset,
            namespace=dict(fn.__globals__),
        )
        parsed._lines = outer._source_lines()
        return parsed
    if not inspect.isfunction(fn):
        raise TangentlikeError(
            f"can only differentiate Python functions, got {type(fn).__name__}", function=name
        )
    if name == "<lambda>":
        raise TangentlikeError(
            "cannot differentiate a lambda: define it with 'def' in a module",
            function=name,
            construct="lambda",
        )
    try:
        lines, start = source_lines(fn)
    except (OSError, TypeError) as exc:
        raise TangentlikeError(
            f"cannot read the source of this function ({exc}); define it in a .py file",
            function=name,
        ) from None
    src = textwrap.dedent("".join(lines))
    tree = gast.parse(src)
    fdefs = [n for n in tree.body if isinstance(n, (gast.FunctionDef, gast.AsyncFunctionDef))]
    if not fdefs or isinstance(fdefs[0], gast.AsyncFunctionDef):
        raise TangentlikeError("expected a plain 'def' function", function=name)
    node = fdefs[0]
    node.decorator_list = []
    _keyword_only_as_positional(node.args)
    name = node.name  # the def's own name: an identifier, unlike __name__
    namespace = dict(fn.__globals__)
    if fn.__closure__:
        for var, cell in zip(fn.__code__.co_freevars, fn.__closure__):
            try:
                namespace[var] = cell.cell_contents
            except ValueError:
                pass
    filename = inspect.getsourcefile(fn) or fn.__code__.co_filename
    return ParsedFunction(
        fn=fn, name=name, node=node, filename=filename, line_offset=start - 1, namespace=namespace
    )


def _keyword_only_as_positional(a):
    """``def h(x, *, c=1.0)``: ``c`` becomes the last positional parameter. Every call
    differentiated code makes binds its arguments by the signature (keywords, defaults)
    and passes them in the signature's order, so the derivative's parameters are the
    positional ones followed by the keyword-only ones."""
    if not a.kwonlyargs:
        return
    pos_defaults = [None] * (len(a.args) - len(a.defaults)) + list(a.defaults)
    given = pos_defaults + list(a.kw_defaults)
    a.args = list(a.args) + list(a.kwonlyargs)
    a.kwonlyargs, a.kw_defaults = [], []
    # the defaults of the last parameters, up to the first one without
    k = len(given)
    while k and given[k - 1] is not None:
        k -= 1
    a.defaults = given[k:]
