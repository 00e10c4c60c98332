"""Builtins lowered by the normalizer rather than by a rule (tests/test_rules_table.py)."""


def reversed_loops(x):
    s = 0.0
    for v in reversed(x):
        s = s * 0.5 + v * v
    for i in reversed(range(1, 3)):
        s = s + x[i] * s
    for j in reversed(range(2)):
        s = s * x[j]
    return s
