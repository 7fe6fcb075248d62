"""Named data regimes, the coupling knob, the Balloon path's latency and the source band power in the ground truth."""

from __future__ import annotations

from dataclasses import fields

import numpy as np
import pytest

from neuroframes_edu.simulate import BANDS, NETWORKS, REGIMES, SimulationConfig, regime_config, simulate_session


def test_default_regime_is_the_default_configuration_and_the_others_differ():
    assert regime_config() == regime_config("default") == SimulationConfig()
    assert set(REGIMES) >= {"default", "weak-eeg", "slow-hrf", "sparse-eeg"}
    for name, text in REGIMES.items():
        config = regime_config(name)
        assert isinstance(text, str) and text and "\n" not in text
        assert (config == SimulationConfig()) == (name == "default"), name
    slow = regime_config("slow-hrf")
    assert slow.tr == 2.0 and slow.hemodynamics == "balloon" and 1.0 <= slow.hrf_latency_sd <= 1.5
    assert slow.frame_period == pytest.approx(SimulationConfig().frame_period)
    weak = regime_config("weak-eeg")
    assert weak.coupling_scale < 1 and weak.eeg_noise > SimulationConfig().eeg_noise
    assert regime_config("sparse-eeg").montage == "biosemi32"


def test_overrides_apply_on_top_of_the_regime():
    config = regime_config("slow-hrf", mesh="ico3", duration=60.0)
    assert (config.mesh, config.duration, config.tr) == ("ico3", 60.0, 2.0)
    assert {f.name for f in fields(SimulationConfig)} >= {"coupling_scale"}


@pytest.mark.parametrize(("args", "kwargs", "message"), [
    (("fast-eeg",), {}, "unknown regime 'fast-eeg'; choose one of 'default', 'generous'"),
    (("default",), {"resolution": "ico3"}, "unknown SimulationConfig fields \\['resolution'\\]"),
    (("default",), {"coupling_scale": -1.0}, "SimulationConfig.coupling_scale must be ≥ 0, got -1"),
])
def test_regime_errors_name_the_problem(args, kwargs, message):
    with pytest.raises(ValueError, match=message):
        regime_config(*args, **kwargs)


def _alpha_visual_r(sim):
    """Correlation of the visual source's true alpha log power with the visual network's activity."""
    truth = sim.truth
    k = list(NETWORKS).index("visual")
    activity = np.interp(truth.source_power_times, truth.neural_times, truth.network_activity[:, k])
    return np.corrcoef(truth.source_log_power[:, list(BANDS).index("alpha"), k], activity)[0, 1]


def test_source_band_power_follows_activity_as_strongly_as_the_coupling_says(small_session):
    sim = small_session()
    truth = sim.truth
    n_components = len(NETWORKS) + truth.config.n_spontaneous_modes
    assert truth.source_log_power.shape == (len(truth.source_power_times), len(BANDS), n_components)
    assert truth.source_log_power.dtype == np.float32 and truth.band_names == tuple(BANDS)
    np.testing.assert_allclose(np.diff(truth.source_power_times), 0.1)
    assert truth.component_activity.shape == (len(truth.neural_times), n_components)
    assert truth.component_maps.shape == (n_components, sim.n_vertices)
    assert _alpha_visual_r(sim) < -0.5  # alpha falls where the visual network is active
    uncoupled = small_session(duration=60.0, coupling_scale=0.0)
    assert abs(_alpha_visual_r(uncoupled)) < 0.15


def test_balloon_latency_is_a_delay_in_seconds():
    """With the same seed, the regional latency map shifts each vertex's BOLD by about its own latency."""
    base = dict(mesh="ico3", duration=60.0, tr=2.0, frames_per_tr=10, tr_jitter=0.0, hemodynamics="balloon")
    late = simulate_session(SimulationConfig(**base, hrf_latency_sd=1.5), seed=3)
    flat = simulate_session(SimulationConfig(**base, hrf_latency_sd=0.0), seed=3)
    latency, region = late.truth.extras["hrf_latency"], late.truth.extras["hrf_region"]
    assert all(np.ptp(latency[region == p]) == 0 for p in np.unique(region))  # one HRF per region
    assert 0.75 < np.std([latency[region == p][0] for p in np.unique(region)]) < 2.25
    step = late.truth.config.frame_period
    lags = np.arange(-20, 21)
    a, b = flat.truth.frames[40:-40], late.truth.frames
    n = len(a)
    r = np.stack([[np.dot(a[:, v] - a[:, v].mean(), b[40 + lag: 40 + lag + n, v] - b[40 + lag: 40 + lag + n, v].mean())
                   for v in range(0, late.n_vertices, 8)] for lag in lags])
    shift = lags[np.argmax(r, axis=0)] * step
    assert np.corrcoef(shift, latency[::8])[0, 1] > 0.9
    assert np.abs(shift - latency[::8]).mean() < 0.4
