"""The record every corpus module uses to describe one differentiation test case."""

from dataclasses import dataclass
from typing import Any, Callable, Tuple, Union

import numpy as np


@dataclass(eq=False)
class Case:
    """One function plus concrete inputs.

    fn     -- a module-level function in a corpus module (the engine reads its source).
    args   -- concrete positional inputs (floats, numpy scalars, arrays, ints, or
              tuple/list/dict of arrays for the interpreted-only cases).
    wrt    -- int (bare gradient) or tuple of ints (tuple of gradients).
    numba  -- False when the primal is not nopython-compatible under numba.njit.
    note   -- free text, shown nowhere but useful to a reader.
    """

    fn: Callable
    args: Tuple[Any, ...]
    wrt: Union[int, Tuple[int, ...]] = 0
    numba: bool = True
    note: str = ""

    @property
    def module(self):
        return self.fn.__module__.rsplit(".", 1)[-1]

    @property
    def name(self):
        return f"{self.module}.{self.fn.__name__}"

    @property
    def wrt_tuple(self):
        return self.wrt if isinstance(self.wrt, tuple) else (self.wrt,)


def rnd(seed, shape, lo=-1.0, hi=1.0, dtype=np.float64):
    """Deterministic uniform array in [lo, hi)."""
    return np.random.default_rng(seed).uniform(lo, hi, size=shape).astype(dtype)
