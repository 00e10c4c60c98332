"""Stage 6: print generated gast trees as Python source text."""

from .printer import to_source, COMMENT_PREFIX
