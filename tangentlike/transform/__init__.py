"""Stage 4: derivative transforms (reverse mode here; forward mode alongside)."""

from .forward import ForwardTransform
from .reverse import ReverseTransform
