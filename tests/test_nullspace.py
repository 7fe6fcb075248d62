"""Null-space completion: exact on measurements, untouched in the null space, for any operator."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from neuroframes_edu.nullspace import (
    FrameMask,
    TemporalOperator,
    blurred_decimation,
    decimation,
    measurement_consistency,
)

SETTINGS = settings(max_examples=60, deadline=None)


def _rel(a, b):
    return float(np.linalg.norm(a - b) / max(np.linalg.norm(b), 1e-300))


@st.composite
def operator_and_data(draw):
    n_frames = draw(st.integers(2, 16))
    n_meas = draw(st.integers(1, n_frames))
    n_vertices = draw(st.integers(1, 9))
    seed = draw(st.integers(0, 2**31 - 1))
    rng = np.random.default_rng(seed)
    a = rng.standard_normal((n_meas, n_frames))
    x_pred = rng.standard_normal((n_frames, n_vertices))
    y = rng.standard_normal((n_meas, n_vertices))
    return a, x_pred, y


@SETTINGS
@given(operator_and_data())
def test_random_operator_reproduces_measurements_and_keeps_the_null_space(data):
    a, x_pred, y = data
    op = TemporalOperator(a)
    x_hat = op.project(x_pred, y)
    assert _rel(a @ x_hat, y) <= 1e-6
    np.testing.assert_allclose(op.null_component(x_hat), op.null_component(x_pred), atol=1e-9)
    assert measurement_consistency(x_hat, y, op) <= 1e-6


@SETTINGS
@given(st.integers(2, 20), st.integers(1, 6), st.integers(0, 2**31 - 1), st.data())
def test_random_masks(n_frames, n_vertices, seed, data):
    rng = np.random.default_rng(seed)
    known = rng.random(n_frames) < 0.5
    if not known.any():
        known[data.draw(st.integers(0, n_frames - 1))] = True
    op = FrameMask(known)
    x_pred = rng.standard_normal((2, n_frames, n_vertices))  # a batch of two sequences
    y = rng.standard_normal((2, int(known.sum()), n_vertices))
    x_hat = op.project(x_pred, y)
    np.testing.assert_array_equal(x_hat[:, known], y)  # measured frames kept exactly
    np.testing.assert_array_equal(x_hat[:, ~known], x_pred[:, ~known])  # the rest is the prediction
    np.testing.assert_allclose(op.matrix().numpy(), np.eye(n_frames)[known])


@SETTINGS
@given(st.integers(1, 5), st.integers(1, 6), st.integers(0, 2**31 - 1))
def test_decimation_and_blurred_decimation(factor, n_tr, seed):
    rng = np.random.default_rng(seed)
    n_frames = factor * n_tr
    x_pred = rng.standard_normal((n_frames, 3))
    dec = decimation(n_frames, factor)
    y = rng.standard_normal((dec.n_measurements, 3))
    np.testing.assert_array_equal(dec.project(x_pred, y)[::factor], y)
    kernel = np.exp(-np.arange(4) / 1.5)
    blur = blurred_decimation(n_frames, factor, kernel / kernel.sum())
    yb = rng.standard_normal((blur.n_measurements, 3))
    x_hat = blur.project(x_pred, yb)
    assert _rel(blur.a.numpy() @ x_hat, yb) <= 1e-6
    np.testing.assert_allclose(blur.null_component(x_hat), blur.null_component(x_pred), atol=1e-9)


def test_rank_deficient_operator_projects_onto_its_range():
    a = np.array([[1.0, 1.0, 0.0], [2.0, 2.0, 0.0]])  # rank 1
    op = TemporalOperator(a)
    assert op.rank == 1
    y = a @ np.array([[1.0], [2.0], [3.0]])  # consistent measurements
    x_hat = op.project(np.zeros((3, 1)), y)
    np.testing.assert_allclose(a @ x_hat, y, atol=1e-12)


def test_lambda_blends_prediction_and_measurements():
    op = FrameMask([True, False])
    x_pred, y = np.zeros((2, 1)), np.ones((1, 1))
    np.testing.assert_allclose(op.project(x_pred, y, lam=0.0), x_pred)
    np.testing.assert_allclose(op.project(x_pred, y, lam=0.25)[0], [0.25])
    with pytest.raises(ValueError, match=r"lam \(1: keep the measurements exactly\) must be in \[0, 1\]"):
        op.project(x_pred, y, lam=1.5)


def test_completion_is_differentiable():
    op = blurred_decimation(6, 2, [0.6, 0.4])
    x_pred = torch.randn(6, 2, dtype=torch.float64, requires_grad=True)
    y = torch.randn(op.n_measurements, 2, dtype=torch.float64)
    assert torch.autograd.gradcheck(lambda x: op.project(x, y), (x_pred,))
    mask = FrameMask([True, False, True, False, False, True])
    assert torch.autograd.gradcheck(lambda x: mask.project(x, y), (x_pred,))


def test_torch_in_torch_out_numpy_in_numpy_out():
    op = FrameMask([True, False, True])
    assert isinstance(op.project(torch.zeros(3, 2), torch.ones(2, 2)), torch.Tensor)
    assert isinstance(op.project(np.zeros((3, 2)), np.ones((2, 2))), np.ndarray)


def test_cost_is_linear_in_vertices_and_never_builds_big_matrices():
    op = blurred_decimation(30, 3, [0.5, 0.3, 0.2])
    assert op.a.shape == (10, 30) and op.a_pinv.shape == (30, 10)
    x = torch.zeros(30, 59_412)
    assert op.project(x, torch.zeros(10, 59_412)).shape == (30, 59_412)


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: FrameMask([False, False]), "known marks no frame as measured"),
        (lambda: FrameMask([[True]]), "1-D boolean mask"),
        (lambda: FrameMask([0, 2]), "must be a boolean mask .*np.isin"),
        (lambda: decimation(8, 0), "factor must be an integer ≥ 1, got 0"),
        (lambda: decimation(10, 2.5), "factor must be an integer ≥ 1, got 2.5"),
        (lambda: decimation(10, True), "factor must be an integer"),
        (lambda: decimation(10, 2, offset=2), "0 ≤ offset < factor"),
        (lambda: blurred_decimation(10, 2, np.ones((2, 3))), "kernel must be 1-D .*lags"),
        (lambda: blurred_decimation(10, 2.5, [1.0]), "factor must be an integer"),
        (lambda: TemporalOperator(np.zeros((2, 3))), "measures nothing"),
        (lambda: TemporalOperator([[np.nan]]), "NaN"),
        (lambda: blurred_decimation(4, 2, []), "kernel must be"),
    ],
)
def test_bad_operators(make, message):
    with pytest.raises(ValueError, match=message):
        make()


def test_bad_data_names_the_argument():
    op = FrameMask([True, False, True])
    with pytest.raises(ValueError, match="x_pred has 4 frames along axis -2 but the operator expects 3"):
        op.project(np.zeros((4, 2)), np.zeros((2, 2)))
    with pytest.raises(ValueError, match="y has 3 measurements along axis -2 but the operator expects 2"):
        op.project(np.zeros((3, 2)), np.zeros((3, 2)))
    with pytest.raises(ValueError, match="y contains 1 NaN"):
        op.project(np.zeros((3, 2)), np.array([[np.nan, 0.0], [0.0, 0.0]]))
    assert FrameMask([False, False], allow_empty=True).project(np.ones((2, 1)), np.zeros((0, 1))).sum() == 2


def test_complete_frames_variants():
    from neuroframes_edu.nullspace import complete_frames

    t = np.arange(8.0)
    truth = np.stack([np.sin(t / 2), np.cos(t / 3)], axis=1)
    known = np.array([True, False, True, False, True, False, False, True])
    zero = np.zeros_like(truth)
    # without EEG information the residual filler is linear interpolation of the measurements
    from neuroframes_edu.baselines import interpolate_frames

    lin = interpolate_frames(t[known], truth[known], t)
    out = complete_frames(zero, truth, known, t)
    np.testing.assert_allclose(out[~known], lin[~known], atol=1e-12)
    np.testing.assert_array_equal(out[known], truth[known])
    # a perfect prediction stays perfect; plain DDNM keeps the prediction in the null space
    np.testing.assert_allclose(complete_frames(truth, truth, known, t), truth, atol=1e-12)
    plain = complete_frames(zero, truth, known, residual=None)
    assert (plain[~known] == 0).all() and np.array_equal(plain[known], truth[known])
    with pytest.raises(ValueError, match="residual must be"):
        complete_frames(zero, truth, known, residual="cubic")
    with pytest.raises(ValueError, match="measured has shape"):
        complete_frames(zero, truth[:3], known)


def test_apply_and_pinv_accept_numpy_and_return_numpy():
    from neuroframes_edu.nullspace import FrameMask, blurred_decimation

    x = np.arange(24.0).reshape(8, 3)
    for op in (FrameMask(np.arange(8) % 2 == 0), blurred_decimation(8, 2, [0.5, 0.3, 0.2])):
        y = op.apply(x)
        assert isinstance(y, np.ndarray) and y.shape == (op.n_measurements, 3)
        np.testing.assert_allclose(y, op.apply(torch.as_tensor(x)).numpy())
        assert isinstance(op.pinv(y), np.ndarray) and op.pinv(y).shape == x.shape


# ---- noisy measurements: Wiener weights and a regularised inverse

def test_noise_aware_lambda_is_the_wiener_weight():
    from neuroframes_edu.nullspace import noise_aware_lambda

    assert noise_aware_lambda(3.0, 1.0) == pytest.approx(0.75)
    assert noise_aware_lambda(1.0, 0.0) == 1.0 and noise_aware_lambda(0.0, 0.0) == 1.0
    lam = noise_aware_lambda(np.array([1.0, 0.0, 2.0]), 1.0)
    np.testing.assert_allclose(lam, [0.5, 0.0, 2 / 3])
    # it is the weight that minimises the error of x_pred + λ (y − x_pred) on average
    rng = np.random.default_rng(0)
    x = rng.normal(0, np.sqrt(2.0), 200_000)
    y = x + rng.normal(0, 1.0, x.size)
    errors = {w: np.mean((w * y - x) ** 2) for w in (0.5, noise_aware_lambda(2.0, 1.0), 0.8)}
    assert min(errors, key=errors.get) == pytest.approx(2 / 3)


@pytest.mark.parametrize("args, message", [((-1.0, 1.0), "prior_var must be finite and ≥ 0"),
                                           ((1.0, np.nan), "noise_var must be finite"),
                                           ((np.ones(3), np.ones(2)), "must broadcast")])
def test_noise_aware_lambda_bad_input(args, message):
    from neuroframes_edu.nullspace import noise_aware_lambda

    with pytest.raises(ValueError, match=message):
        noise_aware_lambda(*args)


def test_per_vertex_lambda_in_completion_and_lambda_one_stays_exact():
    from neuroframes_edu.nullspace import complete_known, noise_aware_lambda

    rng = np.random.default_rng(1)
    x_pred, measured = rng.standard_normal((2, 8, 3))
    known = np.arange(8) % 2 == 0
    exact = complete_known(x_pred, measured, known, lam=1.0)
    assert np.abs(exact[known] - measured[known]).max() == 0.0
    lam = noise_aware_lambda(np.array([1.0, 1.0, 0.0]), np.array([0.0, 1.0, 1.0]))  # 1, 0.5, 0
    out = complete_known(x_pred, measured, known, lam=lam)
    assert np.abs(out[known, 0] - measured[known, 0]).max() == 0.0
    np.testing.assert_allclose(out[known, 1], 0.5 * (x_pred[known, 1] + measured[known, 1]))
    np.testing.assert_array_equal(out[known, 2], x_pred[known, 2])
    np.testing.assert_array_equal(out[~known], x_pred[~known])
    op = FrameMask(known)
    np.testing.assert_allclose(op.project(x_pred, measured[known], lam=lam), out)
    dense = TemporalOperator(op.matrix().numpy())
    np.testing.assert_allclose(dense.project(x_pred, measured[known], lam=lam), out, atol=1e-12)
    with pytest.raises(ValueError, match=r"one weight per vertex, shape \(3,\)"):
        complete_known(x_pred, measured, known, lam=np.ones(2))
    with pytest.raises(ValueError, match=r"lam must lie in \[0, 1\] at every vertex"):
        op.project(x_pred, measured[known], lam=np.array([0.5, 1.5, 0.0]))


def test_tikhonov_inverse_does_not_amplify_noise_where_the_exact_one_does():
    rng = np.random.default_rng(0)
    n = 24
    kernel = [0.3, 0.7]  # more weight on the previous frame: inverting the blur grows like (7/3)^n
    x = np.cumsum(rng.standard_normal((n, 50)), axis=0) / 5
    exact, regular = blurred_decimation(n, 1, kernel), blurred_decimation(n, 1, kernel, tikhonov=1e-3)
    y = exact.apply(x) + 0.01 * rng.standard_normal((n, 50))
    err_exact = np.sqrt(np.mean((exact.pinv(y) - x) ** 2))
    err_regular = np.sqrt(np.mean((regular.pinv(y) - x) ** 2))
    assert err_exact > 1000 * np.std(x) and err_regular < 0.3 * np.std(x)
    assert exact.tikhonov == 0.0 and regular.tikhonov == 1e-3
    # ε = 0 is the exact pseudo-inverse; ε > 0 shrinks it towards Aᵀ / (ε σ_max²) as ε grows
    a = rng.standard_normal((3, 5))
    np.testing.assert_allclose(TemporalOperator(a, tikhonov=0.0).a_pinv.numpy(), np.linalg.pinv(a), atol=1e-12)
    s_max = np.linalg.svd(a, compute_uv=False)[0]
    reg = TemporalOperator(a, tikhonov=0.1).a_pinv.numpy()
    np.testing.assert_allclose(reg, a.T @ np.linalg.inv(a @ a.T + 0.1 * s_max**2 * np.eye(3)), atol=1e-12)
    with pytest.raises(ValueError, match=r"tikhonov \(0: the exact pseudo-inverse\) must be ≥ 0"):
        TemporalOperator(a, tikhonov=-1.0)


@given(n=st.integers(1, 60), window=st.integers(3, 12))
@SETTINGS
def test_window_end_anchors_measure_each_window_at_its_two_ends(n, window):
    from neuroframes_edu.nullspace import window_end_anchors

    known = window_end_anchors(n, window)
    assert known.dtype == bool and known.shape == (n,)
    for start in range(0, n, window):
        chunk = known[start: start + window]
        assert chunk[0] and chunk[-1]  # both ends measured, also in a last, shorter window
        assert not chunk[1:-1].any()  # nothing between them
    if n % window == 0:  # full windows: (window - 2) / window hidden
        assert (~known).sum() == n * (window - 2) // window


@pytest.mark.parametrize(("args", "message"), [((10, 2), "window must be an integer ≥ 3"),
                                               ((0, 3), "n_frames must be an integer ≥ 1"),
                                               ((10, 3.5), "window must be an integer"),
                                               ((10, True), "window must be an integer")])
def test_window_end_anchors_bad_input(args, message):
    from neuroframes_edu.nullspace import window_end_anchors

    with pytest.raises(ValueError, match=message):
        window_end_anchors(*args)


def test_in_windows_sees_only_its_own_window():
    from neuroframes_edu.baselines import interpolate_frames
    from neuroframes_edu.nullspace import in_windows, window_end_anchors

    t = np.arange(7.0)
    y = np.stack([t ** 2, -t], axis=1)
    known = window_end_anchors(7, 3)
    seen = []

    def fill(t_w, y_w, k_w):
        seen.append(len(t_w))
        return interpolate_frames(t_w[k_w], y_w[k_w], t_w)

    out = in_windows(fill, 3, t, y, known)
    assert seen == [3, 3, 1] and out.shape == y.shape
    np.testing.assert_allclose(out[:, 0], [0, 2, 4, 9, 17, 25, 36])  # the middle: the mean of its own ends
    np.testing.assert_allclose(out[known], y[known])
    # a window's output does not depend on frames outside it
    y2 = y.copy()
    y2[3:] += 100.0
    np.testing.assert_allclose(in_windows(fill, 3, t, y2, known)[:3], out[:3])


def test_in_windows_bad_input():
    from neuroframes_edu.nullspace import in_windows

    with pytest.raises(ValueError, match="share their first axis"):
        in_windows(lambda a, b: a, 3, np.zeros(5), np.zeros(4))
    with pytest.raises(ValueError, match="window must be an integer ≥ 1"):
        in_windows(lambda a: a, 0, np.zeros(5))
    with pytest.raises(ValueError, match="at least one array"):
        in_windows(lambda: None, 3)
