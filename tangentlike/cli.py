"""Command line: print the derivative code tangentlike generates for a function.

python -m tangentlike model.py:simulate --wrt 0 --compile numba
python -m tangentlike model.py:simulate --args "np.ones(100), 18.0, 2.0, 5.0, 0.1"
"""

import argparse
import importlib
import importlib.util
import os
import sys

import numpy as np

from .api import grad, vjp
from .errors import TangentlikeError


def load_target(spec):
    """``path/to/model.py:func`` or ``package.module:func`` -> the function object."""
    if ":" not in spec:
        raise SystemExit(f"expected FILE.py:FUNCTION or MODULE:FUNCTION, got {spec!r}")
    where, name = spec.rsplit(":", 1)
    if where.endswith(".py") or os.sep in where:
        path = os.path.abspath(where)
        if not os.path.exists(path):
            raise SystemExit(f"no such file: {where}")
        modname = os.path.splitext(os.path.basename(path))[0]
        sys.path.insert(0, os.path.dirname(path))
        spec_ = importlib.util.spec_from_file_location(modname, path)
        module = importlib.util.module_from_spec(spec_)
        sys.modules[modname] = module
        spec_.loader.exec_module(module)
    else:
        module = importlib.import_module(where)
    try:
        return getattr(module, name)
    except AttributeError:
        raise SystemExit(f"{where} has no function {name!r}") from None


def _parse_wrt(text):
    parts = [p for p in text.split(",") if p.strip()]
    if len(parts) == 1 and not text.strip().endswith(","):
        return int(parts[0])
    return tuple(int(p) for p in parts)


def build_parser():
    p = argparse.ArgumentParser(
        prog="python -m tangentlike",
        description="Print the derivative source that tangentlike generates for a Python "
        "function, and optionally run it on example arguments.",
    )
    p.add_argument("target", help="FILE.py:FUNCTION or MODULE:FUNCTION")
    p.add_argument(
        "--wrt",
        default="0",
        help="argument index, or comma-separated indices, e.g. 0 or 0,2 (default 0)",
    )
    p.add_argument(
        "--mode",
        choices=("grad", "vjp"),
        default="grad",
        help="grad for scalar outputs (default), vjp for any output",
    )
    p.add_argument(
        "--compile",
        choices=("none", "numba"),
        default="none",
        help="backend used with --args: plain Python (default) or Numba nopython",
    )
    p.add_argument(
        "--no-optimize", action="store_true", help="show the code before the optimization passes"
    )
    p.add_argument(
        "--args",
        metavar="EXPR",
        help="Python expression for the arguments (numpy as np), e.g. "
        '"np.ones(10), 2.0"; runs the derivative and checks it against '
        "central finite differences",
    )
    p.add_argument("--output", "-o", metavar="FILE", help="also write the source to FILE")
    return p


def main(argv=None):
    opts = build_parser().parse_args(argv)
    fn = load_target(opts.target)
    compile_ = None if opts.compile == "none" else opts.compile
    make = grad if opts.mode == "grad" else vjp
    try:
        df = make(fn, wrt=_parse_wrt(opts.wrt), optimized=not opts.no_optimize, compile=compile_)
    except TangentlikeError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(df.source)
    if opts.output:
        with open(opts.output, "w") as fh:
            fh.write(df.source)
    if opts.args:
        from .checking import finite_difference_check

        args = eval(f"({opts.args},)", {"np": np, "numpy": np})
        try:
            report = finite_difference_check(fn, df, args, wrt=_parse_wrt(opts.wrt))
        except TangentlikeError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
        print(report.text)
        return 0 if report.ok else 1
    return 0
