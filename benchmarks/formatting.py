"""How the benchmark driver writes: progress lines on stderr, an exception in one short
line, times, byte counts and relative differences."""

import sys


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def short(exc, limit=90):
    msg = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    text = f"{type(exc).__name__}: {msg}" if msg else type(exc).__name__
    return text if len(text) <= limit else text[: limit - 3] + "..."


def fmt_time(t):
    if t is None:
        return "n/a"
    if t < 1e-3:
        return f"{t * 1e6:.1f} us"
    if t < 1.0:
        return f"{t * 1e3:.2f} ms"
    return f"{t:.2f} s"


def fmt_bytes(b):
    if b is None:
        return "n/a"
    b = float(b)
    for unit in ("B", "KiB", "MiB", "GiB"):
        if b < 1024 or unit == "GiB":
            return f"{b:.0f} {unit}" if unit == "B" else f"{b:.1f} {unit}"
        b /= 1024


def fmt_rel(x):
    return "n/a" if x is None else f"{x:.1e}"


# ---------------------------------------------------------------------------
