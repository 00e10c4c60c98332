"""A building thermal model: heating power per time step -> comfort cost."""


def simulate(heat, T0, R, C, dt):
    T = T0
    cost = 0.0
    for t in range(heat.shape[0]):
        T = T + dt * ((10.0 - T) / (R * C) + heat[t] / C)
        cost += 0.2 * heat[t] + (T - 21.0) ** 2
    return cost
