"""How derivatives show themselves: a short ``repr``, and in notebooks the generated
source (highlighted by Pygments when it is installed, a plain ``<pre>`` otherwise);
errors in notebook cells named by cell and line, with tangentlike's own frames left out
of the traceback (``TANGENTLIKE_DEBUG=1`` keeps them).
"""

import html
import os
import sys
import types

_PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__))


def highlighted_html(source):
    try:
        from pygments import highlight
        from pygments.formatters import HtmlFormatter
        from pygments.lexers import PythonLexer
    except ImportError:
        return f"<pre>{html.escape(source)}</pre>"
    return highlight(source, PythonLexer(), HtmlFormatter(noclasses=True))


class Displayed:
    """Mixin for derivative objects: ``repr``, ``_repr_html_``, ``_repr_markdown_``.

    It reads ``__name__`` (``<mode>_<function>``), ``primal``, ``wrt``, ``source`` and
    ``compile`` (or ``backend``) from the object."""

    backend = None

    def _summary(self):
        fn = getattr(self, "primal", None)
        fname = getattr(fn, "__qualname__", getattr(fn, "__name__", "?"))
        short = getattr(fn, "__name__", "?")
        name = getattr(self, "__name__", "")
        mode = name[: -len(short) - 1] if name.endswith("_" + short) else name
        backend = self.backend or getattr(self, "compile", None) or "python"
        wrt = getattr(self, "wrt", 0)
        if getattr(self, "single", False):
            wrt = wrt[0]
        return fname, mode, wrt, backend

    def __repr__(self):
        fname, mode, wrt, backend = self._summary()
        return f"<tangentlike {mode} of {fname}: wrt={wrt!r}, backend={backend}>"

    def _repr_markdown_(self):
        fname, mode, wrt, backend = self._summary()
        return (
            f"**tangentlike {mode}** of `{fname}` (wrt={wrt!r}, backend {backend})\n\n"
            f"```python\n{self.source}\n```\n"
        )

    def _repr_html_(self):
        fname, mode, wrt, backend = self._summary()
        return (
            f"<p><b>tangentlike {html.escape(mode)}</b> of <code>{html.escape(fname)}"
            f"</code> (wrt={html.escape(repr(wrt))}, backend {html.escape(backend)})</p>"
            + highlighted_html(self.source)
        )


class GeneratedSource(str):
    """``tl.source(df)``: the text itself, shown as code (not an escaped one-line string)
    in notebooks and the IPython shell."""

    def _repr_pretty_(self, p, cycle):
        p.text(str(self))

    def _repr_html_(self):
        return highlighted_html(str(self))

    def _repr_markdown_(self):
        return f"```python\n{self}\n```\n"


# ------------------------------------------------------------------ notebook errors
def cell_location(filename, lineno):
    """``Cell In[3], line 5`` for code run in an IPython cell, else None."""
    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython is not None else None
    if shell is None or not filename:
        return None
    count = getattr(getattr(shell, "compile", None), "_filename_map", {}).get(filename)
    if count is None:
        return None
    return f"Cell In[{count}], line {lineno}" if lineno else f"Cell In[{count}]"


def short_traceback(tb):
    """The traceback without frames of tangentlike's own files (generated ``tl_*``
    modules are kept: they are the user's code, differentiated)."""
    if os.environ.get("TANGENTLIKE_DEBUG") == "1":
        return tb
    frames = []
    while tb is not None:
        if not tb.tb_frame.f_code.co_filename.startswith(_PACKAGE_DIR):
            frames.append(tb)
        tb = tb.tb_next
    new = None
    for t in reversed(frames):
        new = types.TracebackType(new, t.tb_frame, t.tb_lasti, t.tb_lineno)
    return new


def _custom_exc(shell, etype, value, tb, tb_offset=None):
    shell.showtraceback((etype, value, short_traceback(tb)), tb_offset=tb_offset)


def install_notebook_errors():
    """In an IPython shell or kernel: TangentlikeErrors show a short traceback."""
    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython is not None else None
    if shell is None or not hasattr(shell, "set_custom_exc"):
        return False
    from .errors import TangentlikeError

    shell.set_custom_exc((TangentlikeError,), _custom_exc)
    return True
