"""Worked examples from the seed documents, with the numbers they state."""

import math

import numpy as np
import pytest

import tangentlike as tl
from tests import seeds_funcs as S
from tests.fd import fd_grad


@pytest.mark.parametrize("compile", [None, "numba"])
def test_bisection_root_custom_vjp(compile):
    # seed 002: grad(root)(2.0) == -0.22139914 (jaxopt Bisection + implicit diff)
    g = tl.grad(S.root, compile=compile)(2.0)
    assert g == pytest.approx(-0.22139914, abs=1e-7)
    g2 = tl.grad(S.uses_root, compile=compile)(2.0)
    assert g2 == pytest.approx(2 * -0.22139914, abs=2e-7)
    assert "root_bwd" in tl.source(tl.grad(S.uses_root))


@pytest.mark.parametrize("compile", [None, "numba"])
def test_custom_jvp_rule(compile):
    # seed 002: jvp(f, (2., 3.), (1., 0.)) == (2.7278922, -1.2484405)
    y, y_dot = tl.jvp(S.sin_times, wrt=(0, 1), compile=compile)(2.0, 3.0, 1.0, 0.0)
    assert y == pytest.approx(2.7278922, abs=1e-7)
    assert y_dot == pytest.approx(-1.2484405, abs=1e-7)


def test_custom_rule_in_the_wrong_mode_is_an_error():
    with pytest.raises(tl.TangentlikeError, match="custom_vjp"):
        tl.grad(S.sin_times)
    with pytest.raises(tl.TangentlikeError, match="custom_jvp"):
        tl.jvp(S.root)


def test_seed003_gradient():
    # seed 003: df/dx2 at (1.5, 0.5) == 1.6165488003791766
    g1, g2 = tl.grad(S.seed003, wrt=(0, 1))(1.5, 0.5)
    assert g2 == pytest.approx(1.6165488003791766, rel=1e-14)
    assert g1 == pytest.approx(fd_grad(S.seed003, (1.5, 0.5), 0), rel=1e-7)


def test_seed004_two_x_dot_x():
    x = np.arange(4.0)
    np.testing.assert_allclose(tl.grad(S.two_x_dot_x)(x), 4 * x)


def test_seed004_detach():
    x = np.arange(4.0)
    np.testing.assert_allclose(tl.grad(S.detached)(x), x * x)  # u treated as constant


@pytest.mark.parametrize("compile", [None, "numba"])
def test_seed004_control_flow(compile):
    a = np.array([0.3, -0.2, 0.5])
    g = tl.grad(S.control_flow, compile=compile)(a)
    # the function is piecewise linear in a: d = c / a elementwise (the book's check)
    c_over_a = S.control_flow(a) / np.sum(a)
    np.testing.assert_allclose(g, np.full(3, c_over_a), rtol=1e-12)


def test_seed001_float32_ratio_gradient_does_not_underflow():
    a, b = np.float32(1e-30), np.float32(1e-30)
    ga, gb = tl.grad(S.ratio, wrt=(0, 1))(a, b)
    assert ga.dtype == np.float32 and gb.dtype == np.float32
    assert ga == pytest.approx(1e30, rel=1e-5)
    assert gb == pytest.approx(-1e30, rel=1e-5)  # -a/b**2 would give -inf/nan in float32


def test_seed002_lecture_examples():
    assert tl.grad(S.poly)(1.0) == pytest.approx(4.0)
    gx, gy = tl.grad(S.two_arg, wrt=(0, 1))(1.0, np.array([2.0, 3.0]))
    assert gx == pytest.approx(3.0)
    np.testing.assert_allclose(gy, [8.0, -3.0])
    assert tl.grad(S.tanh_fn)(2.0) == pytest.approx(0.0706508248531644, rel=1e-12)
    # the lecture's Jacobian example f(x) = (x1^2 + x2^2, x1 x2)


def test_seed000_square_rule():
    assert tl.grad(S.square)(1.0) == 2.0


@pytest.mark.parametrize("mode", ["reverse", "forward"])
def test_seed002_lecture_jacobian(mode):
    x = np.array([1.5, -0.5])
    J = tl.jacobian(S.lecture_vec, mode=mode)(x)
    np.testing.assert_allclose(J, [[2 * x[0], 2 * x[1]], [x[1], x[0]]], rtol=1e-14)
    # the pushforward along e1 and the pullback of e1 (the lecture's two examples)
    _, push = tl.jvp(S.lecture_vec)(x, np.array([1.0, 0.0]))
    np.testing.assert_allclose(push, [2 * x[0], x[1]])
    pull = tl.vjp(S.lecture_vec)(x, np.array([1.0, 0.0]))
    np.testing.assert_allclose(pull, [2 * x[0], 2 * x[1]])


@pytest.mark.parametrize("compile", [None, "numba"])
def test_seed001_ode_sensitivity_matches_exact_solution(compile):
    # y(t) = 1 / (1 + (1/y0 - 1) exp(-r t)): exact sensitivities of y(T) to y0 and r
    y0, r, dt, n = 0.5, 0.01 * 10, 0.1, 300
    T = dt * n
    gy0, gr = tl.grad(S.logistic_rk4, wrt=(0, 1), compile=compile)(y0, r, dt, n)
    e = math.exp(-r * T)
    denom = (1.0 + (1.0 / y0 - 1.0) * e) ** 2
    assert gy0 == pytest.approx(e / y0**2 / denom, rel=1e-6)
    assert gr == pytest.approx((1.0 / y0 - 1.0) * T * e / denom, rel=1e-6)


def test_second_derivative_compiled():
    assert tl.grad(tl.grad(S.poly), compile="numba")(1.0) == pytest.approx(6.0 * 1.0 + 4.0)
