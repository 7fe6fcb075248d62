"""Noise estimation and the temporal GP smoother, on small synthetic series with a known truth."""

from __future__ import annotations

import numpy as np
import pytest

from neuroframes_edu.smoothing import (
    StationaryKernel,
    TemporalGP,
    autocovariance,
    estimate_noise_variance,
    fit_kernel,
)


def _smooth_series(n_frames, n_vertices, seed, length=4.0, dt=0.8, jitter=0.0):
    """Smooth signal (a squared-exponential GP drawn by filtering white noise) on jittered times."""
    rng = np.random.default_rng(seed)
    t = np.arange(n_frames) * dt + rng.uniform(-jitter, jitter, n_frames)
    lags = np.arange(-40, 41) * 0.2
    taps = np.exp(-(lags**2) / length**2)
    fine = np.arange(n_frames * 4 + 200) * 0.2
    white = rng.standard_normal((len(fine), n_vertices))
    smooth = np.apply_along_axis(lambda c: np.convolve(c, taps, mode="same"), 0, white)
    smooth /= smooth.std(axis=0)
    signal = np.stack([np.interp(t + 20, fine, smooth[:, v]) for v in range(n_vertices)], axis=1)
    return t, signal


def test_noise_variance_is_recovered_per_vertex_and_overall():
    t, signal = _smooth_series(3000, 6, seed=0, jitter=0.1)
    noise_sd = np.array([0.0, 0.3, 0.5, 0.7, 1.0, 1.5])
    noisy = signal + np.random.default_rng(1).standard_normal(signal.shape) * noise_sd
    est = estimate_noise_variance(noisy, t)
    assert np.all(np.abs(est - noise_sd**2) < 0.06 + 0.1 * noise_sd**2), est
    assert estimate_noise_variance(noisy, t, per_vertex=False) == pytest.approx(est.mean())
    # missing frames are skipped, not read as values
    valid = np.random.default_rng(2).random(len(t)) > 0.2
    holes = np.where(valid[:, None], noisy, np.nan)
    est_holes = estimate_noise_variance(holes, t, valid=valid)
    assert np.all(np.abs(est_holes - noise_sd**2) < 0.08 + 0.1 * noise_sd**2), est_holes


@pytest.mark.parametrize("kwargs, message", [
    ({"frames": np.zeros((5, 2, 2))}, r"frames must be shaped \(n_frames, n_vertices\)"),
    ({"frames": np.zeros((4, 2)), "n_lags": 3}, "needs at least 5"),
    ({"frames": np.zeros((20, 2)), "n_lags": 0},
     r"n_lags \(lags used to extrapolate to zero\) must be an integer in \[1, 5\], got 0"),
    ({"frames": np.zeros((20, 2)), "times": np.arange(19)}, "times has shape"),
    ({"frames": np.zeros((20, 2)), "times": np.arange(20)[::-1]}, "strictly increasing"),
    ({"frames": np.zeros((20, 2)), "valid": np.ones(20)}, "valid must be a boolean array"),
])
def test_noise_variance_bad_input(kwargs, message):
    with pytest.raises(ValueError, match=message):
        estimate_noise_variance(**kwargs)


def test_autocovariance_bins_by_time_and_keeps_the_zero_lag_apart():
    t = np.array([0.0, 1.0, 2.1, 2.9, 4.0])
    x = np.array([[1.0], [-1.0], [1.0], [-1.0], [1.0]])
    lags, cov, counts = autocovariance(x, t, max_lag=2, bin_width=1.0)
    np.testing.assert_array_equal(counts, [5, 4, 3])
    assert lags[0] == 0 and lags[1] == pytest.approx(1.0)
    assert cov[0, 0] == pytest.approx(x.var()) and cov[1, 0] < 0 < cov[2, 0]


def test_fit_kernel_recovers_length_and_nugget():
    truth = StationaryKernel(("squared_exponential",), (0.7,), (3.0,), 0.3)
    lags = np.arange(0, 30) * 0.8
    cov = truth.signal(lags) + np.where(lags == 0, truth.nugget, 0.0)
    fitted = fit_kernel(lags, cov, shapes=("squared_exponential",), scale=0.8)
    assert fitted.lengths[0] == pytest.approx(3.0, rel=0.01)
    assert fitted.nugget == pytest.approx(0.3, abs=0.01)
    assert fitted.correlation(0.0) == pytest.approx(1.0)
    # a noise-free series fits a nugget of ~0; a known noise floor is kept, and the signal makes room
    smooth = fit_kernel(lags, truth.signal(lags), shapes=("squared_exponential",), scale=0.8)
    assert smooth.nugget < 1e-3
    floored = fit_kernel(lags, truth.signal(lags), shapes=("squared_exponential",), scale=0.8, min_nugget=0.2)
    assert floored.nugget == pytest.approx(0.2) and floored.signal_variance == pytest.approx(0.5)
    with pytest.raises(ValueError, match="shapes must be a non-empty tuple"):
        fit_kernel(lags, cov, shapes=("gaussian",))
    with pytest.raises(ValueError, match="lags .starting at 0."):
        fit_kernel(lags[1:], cov[1:])


@pytest.fixture(scope="module")
def noisy_sessions():
    """Three sessions of 300 frames × 12 vertices: a smooth signal of varying strength plus white noise."""
    sessions = []
    strength = np.linspace(0.2, 1.0, 12)
    for seed in range(3):
        t, signal = _smooth_series(300, 12, seed=10 + seed, jitter=0.05)
        clean = signal * strength
        noisy = clean + 0.6 * np.random.default_rng(seed).standard_normal(clean.shape)
        sessions.append((t, clean, noisy))
    return sessions


def _linear(t, y, known):
    return np.stack([np.interp(t, t[known], y[known, v]) for v in range(y.shape[1])], axis=1)


@pytest.mark.parametrize("rank", [None, 3])
def test_gp_beats_linear_interpolation_on_hidden_and_measured_frames(noisy_sessions, rank):
    (t0, _, y0), (t1, _, y1), (t, clean, y) = noisy_sessions
    gp = TemporalGP(rank=rank).fit([y0, y1], [t0, t1])
    known = np.random.default_rng(0).random(len(t)) < 0.5
    filled = gp.predict(t, np.where(known[:, None], y, np.nan), known)
    linear = _linear(t, y, known)
    hidden = ~known
    assert np.mean((filled - clean)[hidden] ** 2) < 0.8 * np.mean((linear - clean)[hidden] ** 2)
    assert np.mean((filled - clean)[known] ** 2) < 0.8 * np.mean((y - clean)[known] ** 2)  # it denoises
    if rank is None:  # (with components, part of the noise is in them, not in the residual)
        np.testing.assert_allclose(gp.noise_var_, 0.36, atol=0.15)
    windows = gp.predict_windows(t, y, known, size=10)
    np.testing.assert_allclose(windows[:10], gp.predict(t[:10], y[:10], known[:10]))
    assert np.mean((windows - clean)[hidden] ** 2) < np.mean((linear - clean)[hidden] ** 2)


def test_gp_with_a_prior_mean_models_the_residual(noisy_sessions):
    (t0, c0, y0), (t1, c1, y1), (t, clean, y) = noisy_sessions
    prior = [0.8 * c for c in (c0, c1, clean)]  # an imperfect prediction of the signal
    gp = TemporalGP().fit([y0 - prior[0], y1 - prior[1]], [t0, t1])
    known = np.arange(len(t)) % 3 == 0
    with_mean = gp.predict(t, y, known, mean=prior[2])
    without = TemporalGP().fit([y0, y1], [t0, t1]).predict(t, y, known)
    assert np.mean((with_mean - clean) ** 2) < np.mean((without - clean) ** 2)
    np.testing.assert_array_equal(gp.predict(t, y, np.zeros(len(t), bool), mean=prior[2]), prior[2])


def test_gp_super_resolution_between_volumes(noisy_sessions):
    (t0, _, y0), (t1, _, y1), _ = noisy_sessions
    gp = TemporalGP().fit([y0, y1], [t0, t1])
    t_fine, fine = _smooth_series(400, 12, seed=99, dt=0.2)
    on_volume = np.arange(400) % 4 == 0
    measured = fine + 0.6 * np.random.default_rng(5).standard_normal(fine.shape)
    out = gp.predict(t_fine, measured, on_volume)
    between = ~on_volume
    linear = _linear(t_fine, measured, on_volume)
    assert np.mean((out - fine)[between] ** 2) < np.mean((linear - fine)[between] ** 2)


def test_gp_is_deterministic_and_checks_its_input(noisy_sessions):
    (t0, _, y0), (t1, _, y1), _ = noisy_sessions
    a = TemporalGP(rank=2, seed=3).fit([y0, y1], [t0, t1]).predict(t0, y1, np.arange(300) % 2 == 0)
    b = TemporalGP(rank=2, seed=3).fit([y0, y1], [t0, t1]).predict(t0, y1, np.arange(300) % 2 == 0)
    np.testing.assert_array_equal(a, b)
    with pytest.raises(RuntimeError, match="call fit"):
        TemporalGP().predict(t0, y0, np.ones(300, bool))
    with pytest.raises(ValueError, match=r"rank \(spatial components; None for one GP per vertex\) must be an "
                                         r"integer ≥ 1, got 0"):
        TemporalGP(rank=0)
    with pytest.raises(ValueError, match="same number of vertices"):
        TemporalGP().fit([y0, y1[:, :5]], [t0, t1])
    with pytest.raises(ValueError, match=r"times has 1 entries but there are 2 series"):
        TemporalGP().fit([y0, y1], [t0])
    gp = TemporalGP().fit(y0, t0)
    with pytest.raises(ValueError, match=r"measured must be \(n_frames, 12\)"):
        gp.predict(t0, y0[:, :3], np.ones(300, bool))
    with pytest.raises(ValueError, match="mean must be finite and shaped like measured"):
        gp.predict(t0, y0, np.ones(300, bool), mean=np.zeros((300, 2)))
    with pytest.raises(ValueError, match="NaN or infinite values at known frames"):
        gp.predict(t0, np.full_like(y0, np.nan), np.ones(300, bool))


def test_noise_aware_weights_are_the_wiener_weights_of_the_data():
    from neuroframes_edu.smoothing import noise_aware_weights

    rng = np.random.default_rng(3)
    t = np.arange(2000) * 0.8
    clean = np.sin(2 * np.pi * t[:, None] / 20 + rng.uniform(0, 6, 8))  # variance 0.5, smooth
    noisy = clean + rng.normal(0, np.sqrt(0.5), clean.shape)  # noise variance 0.5: λ = 0.5 against the mean
    lam = noise_aware_weights([noisy], times=[t])
    assert lam.shape == (8,) and np.allclose(lam, 0.5, atol=0.08)
    # a predictor with half the signal's amplitude leaves error variance 0.125: λ = 0.125 / 0.625
    lam = noise_aware_weights([noisy], residuals=[noisy - 0.5 * clean], times=[t])
    assert np.allclose(lam, 0.2, atol=0.06)
    with pytest.raises(ValueError, match="residuals has 2 entries"):
        noise_aware_weights([noisy], residuals=[noisy, noisy])


def test_noise_aware_weights_from_the_noise_ceiling_see_slow_noise():
    """Slow (autocorrelated) noise looks like signal to the autocovariance; the noise ceiling counts it."""
    from scipy.signal import lfilter

    from neuroframes_edu.smoothing import noise_aware_weights

    rng = np.random.default_rng(4)
    n, v = 6000, 6
    clean = lfilter([1.0], [1.0, -0.97], rng.standard_normal((n, v)), axis=0)
    clean /= clean.std(0)
    slow = lfilter([1.0], [1.0, -0.9], rng.standard_normal((n, v)), axis=0)
    noise = 0.6 * slow / slow.std(0) + 0.6 * rng.standard_normal((n, v))  # variance 0.72, half of it slow
    measured = clean + noise
    z = (measured - measured.mean(0)) / measured.std(0)
    truth = (clean - measured.mean(0)) / measured.std(0)
    r = np.array([np.corrcoef(measured[:, i], clean[:, i])[0, 1] for i in range(v)])
    best = np.array([np.mean(z[:, i] * truth[:, i]) for i in range(v)])  # the Wiener weight against the mean, 0
    from_ceiling = noise_aware_weights([z], noise_ceiling=r)
    from_data = noise_aware_weights([z])
    np.testing.assert_allclose(from_ceiling, best, atol=0.04)
    assert (from_data > best + 0.1).all()  # the white-noise estimate misses the slow half
    errors = {name: np.mean((lam * z - truth) ** 2) for name, lam in (("ceiling", from_ceiling), ("data", from_data))}
    assert errors["ceiling"] < errors["data"]


@pytest.mark.parametrize("ceiling, message", [(np.full(3, 0.5), "noise_ceiling has 3 values but the series have 8"),
                                              (np.full(8, 64.0), r"correlations in \[-1, 1\]"),
                                              (np.full((8, 1), 0.5), "noise_ceiling"),
                                              (np.full(8, np.nan), "noise_ceiling")])
def test_noise_aware_weights_bad_noise_ceiling(ceiling, message):
    from neuroframes_edu.smoothing import noise_aware_weights

    with pytest.raises(ValueError, match=message):
        noise_aware_weights([np.random.default_rng(0).standard_normal((50, 8))], noise_ceiling=ceiling)
