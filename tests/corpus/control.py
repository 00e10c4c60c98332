"""Comparisons, and/or/not, conditional expressions, if/elif/else (nested), early returns."""

import numpy as np

from .case import Case, rnd


def if_else(x):
    if x > 0.0:
        y = x * x
    else:
        y = -3.0 * x
    return y


def if_else_neg(x):
    if x > 0.0:
        y = x * x
    else:
        y = -3.0 * x
    return y * y


def if_elif_else(x):
    if x < -1.0:
        y = x * x * x
    elif x < 1.0:
        y = np.sin(x)
    else:
        y = np.exp(x)
    return y * 2.0


def if_elif_chain(x, y):
    if x > 3.0:
        z = x * y
    elif x > 2.0:
        z = x + y * y
    elif x > 1.0:
        z = x * x - y
    else:
        z = y
    return z * x


def if_no_else(x):
    y = x
    if x > 0.5:
        y = y * x
    return y + 1.0


def nested_if(x, y):
    if x > 0.0:
        if y > 0.0:
            z = x * y
        else:
            z = x - y * y
    else:
        if y > 1.0:
            z = x * x * y
        else:
            z = x + y
    return z


def cond_and(x, y):
    if x > 0.0 and y < 1.0:
        r = x * y * y
    else:
        r = x + y
    return r


def cond_or_not(x, y):
    if not (x > 2.0) or y > 3.0:
        r = np.cos(x) * y
    else:
        r = x * y
    return r


def cond_chained_comparison(x):
    if 0.0 < x < 1.0:
        r = x * (1.0 - x)
    else:
        r = x * x
    return r


def cond_eq_ne_int(x, n):
    if n == 3:
        r = x * 3.0
    elif n != 4:
        r = x * x
    else:
        r = x
    return r * x


def cond_on_array_elements(x):
    if x[0] > x[1]:
        r = x[0] * x[2]
    else:
        r = x[1] * x[2]
    return r + x[1]


def cond_on_reduction(x):
    if np.sum(x) > 0.0:
        r = np.sum(x * x)
    else:
        r = np.sum(x)
    return r


def bool_flag(x):
    flag = x > 1.0
    if flag:
        y = x * x
    else:
        y = x
    return y


def ternary(x):
    return x * x if x > 1.0 else 3.0 * x


def ternary_false_branch(x):
    return x * x if x > 1.0 else 3.0 * x * x * x


def ternary_nested(x, y):
    a = x if x > y else y
    b = (x * y if y > 0.0 else -y) if x > 0.0 else x
    return a * b


def ternary_in_expression(x, y):
    return (x if x > y else y) * (y if y > 0.0 else -y) + x


def ternary_with_and(x, y):
    r = np.sin(x) if (x > 0.0 and y > 0.0) else np.cos(y)
    return r * y


def early_return_if(x):
    if x > 2.0:
        return x * x
    return x * x * x


def early_return_fallthrough(x):
    if x > 2.0:
        return x * x
    return x * x * x


def early_return_elif(x):
    if x < 0.0:
        return -x
    elif x < 1.0:
        return x * x
    else:
        return np.log(x) + 1.0


def branch_per_element(x):
    s = 0.0
    for i in range(x.shape[0]):
        if x[i] > 0.0:
            s = s + x[i] * x[i]
        elif x[i] > -0.5:
            s = s - x[i]
        else:
            s = s + np.sin(x[i])
    return s


def branch_defines_variable(x):
    if x > 0.0:
        t = x * 2.0
        u = t * t
    else:
        t = x
        u = t
    return t + u


def cond_float32(x):
    if x > np.float32(0.5):
        y = x * x
    else:
        y = x
    return y * np.float32(2.0)


CASES = [
    Case(if_else, (1.3,)),
    Case(if_else_neg, (-0.8,)),
    Case(if_elif_else, (0.4,)),
    Case(if_elif_chain, (2.5, 0.7), wrt=(0, 1)),
    Case(if_no_else, (1.2,)),
    Case(nested_if, (-0.6, 1.7), wrt=(0, 1)),
    Case(cond_and, (0.7, 0.3), wrt=(0, 1)),
    Case(cond_or_not, (1.5, 0.4), wrt=(0, 1)),
    Case(cond_chained_comparison, (0.3,)),
    Case(cond_eq_ne_int, (1.3, 5)),
    Case(cond_on_array_elements, (np.array([0.3, 0.9, -1.2]),)),
    Case(cond_on_reduction, (rnd(5, 6, 0.1, 1.0),)),
    Case(bool_flag, (1.6,)),
    Case(ternary, (1.4,)),
    Case(ternary_false_branch, (0.6,)),
    Case(ternary_nested, (0.9, 0.4), wrt=(0, 1)),
    Case(ternary_in_expression, (0.5, -1.2), wrt=(0, 1)),
    Case(ternary_with_and, (0.8, 1.1), wrt=(0, 1)),
    Case(early_return_if, (2.6,)),
    Case(early_return_fallthrough, (1.1,)),
    Case(early_return_elif, (0.4,)),
    Case(branch_per_element, (np.array([0.7, -0.2, -1.3, 0.4, -0.9]),)),
    Case(branch_defines_variable, (0.8,)),
    Case(cond_float32, (np.float32(0.9),)),
]
