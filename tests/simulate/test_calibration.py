"""Calibration: the default regime's statistics lie in their published ranges; the HRF shift is a true shift;
the EEG-silent share and the scanner artefacts are what the configuration says."""

from __future__ import annotations

from functools import cache

import numpy as np
import pytest

from neuroframes_edu.simulate import (
    LITERATURE,
    SLICES_PER_VOLUME,
    SimulationConfig,
    ballistocardiogram,
    calibration_statistics,
    gradient_residual,
    hrf_basis,
    hrf_kernel,
    regime_config,
    simulate_session,
)
from neuroframes_edu.surface import load_mesh


@cache
def default_statistics() -> dict[str, float]:
    """The statistics of the default regime (10-minute sessions on ico4), mean of two subjects."""
    mesh = load_mesh("ico4")
    rows = [calibration_statistics(simulate_session(SimulationConfig(), seed=0, subject=s, mesh=mesh))
            for s in (1, 2)]
    return {k: float(np.mean([r[k] for r in rows])) for k in rows[0]}


@pytest.mark.parametrize("statistic", sorted(LITERATURE))
def test_default_regime_matches_the_literature(statistic):
    low, high = LITERATURE[statistic]["range"]
    value = default_statistics()[statistic]
    assert low <= value <= high, f"{statistic} = {value:.3f}, outside [{low}, {high}]"


def test_generous_regime_is_stronger_than_any_published_alpha_correlation():
    rec = simulate_session(regime_config("generous"), seed=0, subject=1, mesh=load_mesh("ico4"))
    stats = calibration_statistics(rec)
    assert stats["alpha_bold_r_roi"] < LITERATURE["alpha_bold_r_roi"]["range"][0]
    assert stats["noise_ceiling_median"] > LITERATURE["noise_ceiling_median"]["range"][1]


@pytest.mark.parametrize("latency", [-2.0, 0.0, 1.5, 2.5])
def test_hrf_kernel_is_the_glover_hrf_shifted_directly(latency):
    from nilearn.glm.first_level.hemodynamic_models import glover_hrf

    dt = 0.05
    shifted = glover_hrf(t_r=dt, oversampling=1, time_length=32.0, onset=latency)
    shifted = shifted / (shifted.sum() * dt)
    h = hrf_kernel(dt, latency=latency)
    assert np.abs(h - shifted).max() < 0.03 * shifted.max()
    assert abs((h.argmax() - hrf_kernel(dt).argmax()) * dt - latency) < 1e-9
    if latency >= 1.5:  # the first-order Taylor term (the informed basis set) is no shift at this size
        taylor = hrf_basis(dt)[0] + latency * hrf_basis(dt)[1]
        assert np.abs(taylor - shifted).max() > 0.2 * shifted.max()


def test_hrf_kernel_dispersion_widens_and_keeps_the_peak():
    dt = 0.05
    base, wide = hrf_kernel(dt), hrf_kernel(dt, dispersion=0.3)
    assert base.argmax() == wide.argmax()
    assert (wide > wide.max() / 2).sum() == pytest.approx(1.3 * (base > base.max() / 2).sum(), rel=0.05)
    np.testing.assert_allclose(wide.sum() * dt, 1.0)
    with pytest.raises(ValueError, match="latency"):
        hrf_kernel(dt, latency=-3.0)
    with pytest.raises(ValueError, match="dispersion"):
        hrf_kernel(dt, dispersion=-0.5)


def test_simulated_bold_uses_each_regions_shifted_kernel():
    """Rebuild the noise-free frames of every region from the truth's activity and maps with nilearn's Glover HRF
    shifted by the region's latency: they match the simulator's frames."""
    from nilearn.glm.first_level.hemodynamic_models import glover_hrf
    from scipy.signal import fftconvolve

    config = SimulationConfig(mesh="ico3", duration=120.0, hrf_latency_sd=1.5, hrf_dispersion_sd=0.0,
                              eeg_silent_fraction=0.0)
    rec = simulate_session(config, seed=2)
    truth = rec.truth
    region, latency = truth.extras["hrf_region"], truth.extras["hrf_latency"]
    assert np.ptp([latency[region == p][0] for p in np.unique(region)]) > 2.0  # shifts well beyond 1 s
    dt = truth.neural_times[1] - truth.neural_times[0]
    worst = 1.0
    for p in np.unique(region):
        kernel = glover_hrf(t_r=dt, oversampling=1, time_length=32.0, onset=float(latency[region == p][0]))
        kernel = kernel / (kernel.sum() * dt)
        convolved = dt * fftconvolve(truth.component_activity, kernel[:, None], axes=0)[: len(truth.neural_times)]
        at = np.stack([np.interp(truth.frame_times, truth.neural_times, c) for c in convolved.T], axis=1)
        inside = region == p
        rebuilt = at @ truth.component_maps[:, inside]
        for v in range(0, int(inside.sum()), 5):
            worst = min(worst, np.corrcoef(rebuilt[:, v], truth.frames[:, inside][:, v])[0, 1])
    assert worst > 0.999


def test_eeg_silent_fraction_is_the_configured_share_of_the_bold():
    base = dict(mesh="ico3", duration=300.0)
    silent = simulate_session(SimulationConfig(**base, eeg_silent_fraction=0.5), seed=1)
    none = simulate_session(SimulationConfig(**base, eeg_silent_fraction=0.0), seed=1)
    np.testing.assert_array_equal(silent.raw.get_data(), none.raw.get_data())  # the EEG does not see it
    added = silent.truth.bold_clean - none.truth.bold_clean
    share = added.var(axis=0).sum() / silent.truth.bold_clean.var(axis=0).sum()
    assert share == pytest.approx(0.5, abs=0.05)
    assert 0 < silent.truth.extras["eeg_silent_share"].mean() < 1
    assert (none.truth.extras["eeg_silent_share"] == 0).all()


def test_artefacts_change_only_the_eeg_and_have_their_configured_size():
    base = dict(mesh="ico3", duration=60.0, gradient_residual=0.0, bcg_residual=0.0)
    clean = simulate_session(SimulationConfig(**base), seed=1)
    dirty = simulate_session(SimulationConfig(**{**base, "gradient_residual": 4e-6, "bcg_residual": 6e-6}), seed=1)
    np.testing.assert_array_equal(clean.bold, dirty.bold)
    added = dirty.raw.get_data() - clean.raw.get_data()
    expected = np.sqrt(4e-6**2 + 6e-6**2)
    assert added.std() == pytest.approx(expected, rel=0.15)  # after the average reference


def test_gradient_residual_sits_at_the_slice_rate():
    rng = np.random.default_rng(0)
    positions = rng.standard_normal((16, 3))
    sfreq, tr = 250.0, 0.8
    times = np.arange(int(60 * sfreq)) / sfreq
    out = gradient_residual(positions, times, np.arange(0, 60, tr), tr, 5e-6, rng)
    assert out.std() == pytest.approx(5e-6)
    spectrum = np.abs(np.fft.rfft(out, axis=1)).mean(axis=0)
    freqs = np.fft.rfftfreq(len(times), 1 / sfreq)
    assert abs(freqs[spectrum.argmax()] - SLICES_PER_VOLUME / tr) < 0.5


def test_ballistocardiogram_repeats_at_the_heart_rate():
    rng = np.random.default_rng(0)
    sfreq = 250.0
    times = np.arange(int(60 * sfreq)) / sfreq
    out = ballistocardiogram(rng.standard_normal((16, 3)), times, 8e-6, rng)
    assert out.std() == pytest.approx(8e-6)
    x = out[0] - out[0].mean()
    ac = np.correlate(x, x, "full")[len(x) - 1:]
    lag = (np.argmax(ac[int(0.6 * sfreq): int(1.2 * sfreq)]) + int(0.6 * sfreq)) / sfreq
    assert 0.8 <= lag <= 1.0  # 60–75 beats per minute
    with pytest.raises(ValueError, match="positions"):
        ballistocardiogram(np.zeros((4, 2)), times, 1e-6, rng)


@pytest.mark.parametrize(("field", "value", "message"), [
    ("eeg_silent_fraction", 1.0, r"SimulationConfig.eeg_silent_fraction must be in \[0, 1\), got 1.0"),
    ("eeg_silent_fraction", -0.1, "eeg_silent_fraction"),
    ("hrf_regions", 1, "SimulationConfig.hrf_regions"),
    ("n_silent_modes", -1, "SimulationConfig.n_silent_modes"),
    ("gradient_residual", -1e-6, "SimulationConfig.gradient_residual"),
    ("bcg_residual", float("nan"), "SimulationConfig.bcg_residual"),
])
def test_new_simulation_settings_are_validated(field, value, message):
    with pytest.raises((ValueError, TypeError), match=message):
        SimulationConfig(**{field: value})


def test_bad_calibration_and_region_inputs_are_named():
    from neuroframes_edu.simulate import hrf_regions

    mesh = load_mesh("ico3")
    with pytest.raises(ValueError, match="n_regions"):
        hrf_regions(mesh, 1, np.random.default_rng(0))
    with pytest.raises(ValueError, match="exceeds the mesh's 1284 vertices"):
        hrf_regions(mesh, 5000, np.random.default_rng(0))
    labels = hrf_regions(mesh, 10, np.random.default_rng(0))
    assert sorted(np.unique(labels)) == list(range(10))
    assert set(labels[:mesh.n_left]) == set(range(5))  # no region crosses the midline
    rec = simulate_session(SimulationConfig(mesh="ico3", duration=60.0), seed=0)
    with pytest.raises(ValueError, match="roi must be one of"):
        calibration_statistics(rec, roi="V1")
    with pytest.raises(ValueError, match="sd"):
        gradient_residual(np.zeros((4, 3)), np.arange(10.0), np.arange(3.0), 0.8, -1.0, np.random.default_rng(0))
