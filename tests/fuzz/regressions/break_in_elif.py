# break inside an elif with statements after it in the loop, inside an outer loop with its
# own branch: the flags were pushed on some exits only (misaligned pops, wrong gradient)
# args: 0.4, 0.7, np.array([0.3, -0.8, 0.4]), np.eye(3)
# numba


def f(a, b, v, M):
    t = 0.0
    for j in range(2):
        s = a
        for i in range(3):
            if v[i] > 2.0:
                s = s + v[i]
            elif v[i] < -0.5:
                s = s * b
                break
            s = s * v[i] + 1.0
        if s > 0.0:
            t = t + s * s
        else:
            t = t - s
    return t
