"""for over range/arrays/enumerate/zip, while with data-dependent trip counts, break/continue/return."""

import numpy as np

from .case import Case, rnd


def for_range_n(x, n):
    s = 0.0
    for i in range(n):
        s = s * x + i
    return s


def for_range_a_b(x):
    s = x
    for i in range(2, 6):
        s = s + np.sin(s * i)
    return s


def for_range_step(x):
    s = 1.0
    for i in range(1, 10, 3):
        s = s * (x + i)
    return s


def for_range_negative_step(x):
    s = 0.0
    for i in range(x.shape[0] - 1, -1, -1):
        s = s * 0.5 + x[i] * x[i]
    return s


def for_range_negative_step2(x):
    s = x
    for i in range(10, 0, -2):
        s = s * 0.9 + 0.01 * i * s * s
    return s


def for_range_len(x):
    s = 0.0
    for i in range(len(x)):
        s = s + (i + 1) * x[i] ** 3
    return s


def for_over_array(x):
    s = 0.0
    for v in x:
        s = s + v * v * v
    return s


def for_over_2d_rows(A):
    s = 0.0
    for row in A:
        s = s + np.sum(row * row) * row[0]
    return s


def for_enumerate(x):
    s = 0.0
    for i, v in enumerate(x):
        s = s + i * np.sin(v)
    return s


def for_zip(x, y):
    s = 0.0
    for a, b in zip(x, y):
        s = s + a * b * b
    return s


def for_enumerate_zip(x, y):
    s = 0.0
    for k, (a, b) in enumerate(zip(x[1:], y), 1):
        s += k * a * b + a * a
    return s


def nested_loops(x, n):
    s = 0.0
    for i in range(n):
        for j in range(i + 1):
            s = s + x[i] * x[j] / (1.0 + j)
    return s


def loop_carried_product(x):
    p = 1.0
    for i in range(x.shape[0]):
        p = p * (1.0 + x[i])
    return p


def loop_array_state(x, n):
    y = x
    for _ in range(n):
        y = y * 0.9 + 0.1 * np.sin(y)
    return np.sum(y * y)


def loop_var_after_loop(x):
    t = 0.0
    for i in range(4):
        t = x * i
    return t * i + t


def while_threshold(x):
    y = x
    while y < 10.0:
        y = y * 1.5 + x
    return y


def while_counter(x, n):
    i = 0
    s = x
    while i < n:
        s = s * s * 0.5 + 0.25
        i += 1
    return s


def while_count_used(x):
    k = 0
    y = x
    while y < 5.0:
        y = y * 2.0
        k += 1
    return y * k


def while_float_clock(x):
    t = 0.0
    y = x
    while t < 1.0:
        y = y + 0.1 * y * (1.0 - y)
        t += 0.125
    return y


def for_break(x):
    s = 1.0
    for i in range(20):
        s = s * x + 1.0
        if s > 5.0:
            break
    return s


def for_break_array(x):
    s = 0.0
    for i in range(x.shape[0]):
        if x[i] < 0.0:
            break
        s = s + x[i] * x[i]
    return s


def for_continue(x):
    s = 0.0
    for i in range(x.shape[0]):
        if i % 2 == 0:
            continue
        s = s + x[i] ** 2
    return s


def for_continue_data(x):
    s = 0.0
    for v in x:
        if v < 0.0:
            continue
        s = s + np.sqrt(v)
    return s


def while_break(x):
    y = x
    i = 0
    while True:
        y = y * 1.3
        i += 1
        if y > 4.0 or i > 50:
            break
    return y * y


def while_continue(x):
    s = 0.0
    i = 0
    while i < x.shape[0]:
        i += 1
        if x[i - 1] > 0.5:
            continue
        s = s + x[i - 1] * x[i - 1]
    return s


def return_in_loop(x):
    for _ in range(20):
        x = x * 1.1 + 0.1
        if x > 3.0:
            return x * x
    return x


def return_in_loop_fallthrough(x):
    s = 0.0
    for i in range(x.shape[0]):
        s = s + x[i]
        if s > 100.0:
            return s
    return s * s


def return_in_while(x):
    y = x
    while y < 100.0:
        y = y * y + 1.0
        if y > 8.0:
            return np.log(y)
    return y


def nested_break(x):
    s = 0.0
    for i in range(4):
        for j in range(4):
            if j > i:
                break
            s = s + x[i] * x[j]
    return s


def loop_if_accumulate(x):
    pos = 0.0
    neg = 0.0
    for v in x:
        if v > 0.0:
            pos = pos + v * v
        else:
            neg = neg - v
    return pos * neg


CASES = [
    Case(for_range_n, (0.8, 5)),
    Case(for_range_a_b, (0.3,)),
    Case(for_range_step, (0.4,)),
    Case(for_range_negative_step, (rnd(10, 5),)),
    Case(for_range_negative_step2, (0.6,)),
    Case(for_range_len, (rnd(11, 6),)),
    Case(for_over_array, (rnd(12, 5),)),
    Case(for_over_2d_rows, (rnd(13, (3, 4)),)),
    Case(for_enumerate, (rnd(14, 5),)),
    Case(for_zip, (rnd(15, 4), rnd(16, 4)), wrt=(0, 1)),
    Case(for_enumerate_zip, (rnd(15, 5), rnd(16, 4)), wrt=(0, 1)),
    Case(nested_loops, (rnd(17, 5), 5)),
    Case(loop_carried_product, (rnd(18, 6, 0.0, 0.5),)),
    Case(loop_array_state, (rnd(19, 4), 6)),
    Case(loop_var_after_loop, (0.7,)),
    Case(while_threshold, (0.7,), note="trip count depends on x"),
    Case(while_counter, (0.6, 4)),
    Case(while_count_used, (0.7,)),
    Case(while_float_clock, (0.3,)),
    Case(for_break, (1.3,)),
    Case(for_break_array, (np.array([0.5, 0.3, 0.8, -0.2, 0.9]),)),
    Case(for_continue, (rnd(20, 7),)),
    Case(for_continue_data, (np.array([0.5, -0.3, 1.8, -0.2, 0.9]),)),
    Case(while_break, (0.7,)),
    Case(while_continue, (np.array([0.2, 0.8, -0.4, 0.6, 0.1]),)),
    Case(return_in_loop, (0.9,)),
    Case(return_in_loop_fallthrough, (rnd(21, 4),)),
    Case(return_in_while, (1.3,)),
    Case(nested_break, (rnd(22, 4),)),
    Case(loop_if_accumulate, (np.array([0.5, -0.3, 1.2, -0.7]),)),
]
