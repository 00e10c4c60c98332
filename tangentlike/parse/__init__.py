"""Stage 1: read a Python function's source into a gast tree."""

from .source import ParsedFunction, parse_function
