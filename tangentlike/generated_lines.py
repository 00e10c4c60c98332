"""Where in the user's code a line of generated derivative code comes from.

A higher-order derivative transforms generated code, so a refusal met there (a rule with
no second-order template, say) is raised at a line of the generated module. Every adjoint
block of a generated function starts with a comment holding the user's source line it
comes from (``# return np.sum(np.cumprod(y))``); this module walks back from the refused
line to that comment and finds the line in the user's functions, so the error names the
user's function, file and line as a first-order refusal does.
"""

import inspect

from .errors import TangentlikeError
from .parse.source import source_lines, unwrap

# comments the transforms write that are not a copy of a user's line
_STRUCTURAL = ("reverse sweep", "recomputed, not taped", "checkpointed loop", "steps ", "step ")


def _block_comment(source, lineno):
    """The user's line text of the adjoint block holding generated line ``lineno``."""
    lines = source.splitlines()
    for k in range(min(lineno, len(lines)) - 1, -1, -1):
        text = lines[k].strip()
        if text.startswith("def "):
            return None
        if text.startswith("# ") and not text[2:].startswith(_STRUCTURAL):
            return text[2:].strip()
    return None


def _find(fn, text):
    """(name, filename, lineno) of the line of ``fn`` whose text is ``text``, or None."""
    fn = unwrap(fn)
    try:
        lines, start = source_lines(fn)
        filename = inspect.getsourcefile(fn) or fn.__code__.co_filename
    except (OSError, TypeError, AttributeError):
        return None
    for k, line in enumerate(lines):
        if line.strip() == text:
            return fn.__name__, filename, start + k
    return None


def in_user_code(err, generated):
    """``err`` (raised at a line of ``generated``'s module) re-aimed at the user's line."""
    if not isinstance(err, TangentlikeError) or not err.lineno:
        return err
    if not str(err.filename or "").endswith(".py") or err.function not in generated.functions:
        return err
    text = _block_comment(generated.source, err.lineno)
    candidates = [generated.primal, *generated.user_functions.values()]
    found = next((w for fn in candidates if text and (w := _find(fn, text))), None)
    message = err.message
    if found is None:
        name = getattr(unwrap(generated.primal), "__name__", None)
        return TangentlikeError(message, function=name, construct=err.construct)
    name, filename, lineno = found
    return TangentlikeError(
        message, function=name, filename=filename, lineno=lineno, construct=err.construct
    )
