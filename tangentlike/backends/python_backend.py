"""Run generated derivatives as plain Python (``compile=None``)."""

from .loader import load_module


def compile_python(gen):
    mod = load_module(gen.source, gen.namespace, stem=gen.entry)
    return getattr(mod, gen.entry)
