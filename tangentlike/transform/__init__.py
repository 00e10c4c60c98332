"""Stage 4: derivative transforms (reverse mode here; forward mode alongside)."""
from .reverse import ReverseTransform
