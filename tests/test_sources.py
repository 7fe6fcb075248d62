"""Source imaging: a template head unlike the simulator's, MNE's inverse, band power per source."""

from __future__ import annotations

from functools import cache

import mne
import numpy as np
import pytest

from neuroframes_edu import sources
from neuroframes_edu.features import hrf_convolve
from neuroframes_edu.simulate import SimulationConfig, lead_field, simulate_session
from neuroframes_edu.surface import load_mesh


@cache
def recording():
    return simulate_session(SimulationConfig(mesh="ico3", duration=30.0), seed=0)


@cache
def imaging(method="eLORETA"):
    return sources.make_source_imaging(recording().raw, "ico3", method=method)


def test_template_head_is_not_the_simulators_but_sees_the_same_cortex():
    gain_sim, info, _ = lead_field("ico3", "biosemi64", 250.0)
    fwd = sources.template_forward(info, "ico3")
    fwd = mne.convert_forward_solution(fwd, force_fixed=True, use_cps=False, verbose=False)
    gain = fwd["sol"]["data"]
    assert gain.shape == gain_sim.shape
    gain_sim = gain_sim - gain_sim.mean(axis=0)  # both average-referenced
    gain = gain - gain.mean(axis=0)
    corr = np.array([np.corrcoef(a, b)[0, 1] for a, b in zip(gain.T, gain_sim.T, strict=True)])
    # no inverse crime: the topographies differ …
    assert np.median(np.abs(gain - gain_sim).sum(axis=0) / np.abs(gain_sim).sum(axis=0)) > 0.1
    # … but they are topographies of the same sources
    assert np.median(np.abs(corr)) > 0.8


def test_inverse_localises_the_simulators_dipoles():
    gain_sim, _, _ = lead_field("ico3", "biosemi64", 250.0)
    im = imaging()
    order = [recording().ch_names.index(c) for c in im.ch_names]
    assert im.kernel.shape == (1284, 64) and im.ch_names == tuple(recording().ch_names)
    assert "template" in im.head_model and im.method == "eLORETA"
    resolution = np.abs(im.kernel @ (gain_sim[order] - gain_sim[order].mean(axis=0)))  # (estimated, true)
    peak = resolution.argmax(axis=0)
    rr = load_mesh("ico3").coordinates["white"]
    error = np.linalg.norm(rr[peak] - rr, axis=1)  # mm on the template cortex
    assert np.median(error) < 25.0


def test_noise_covariance_is_the_sensor_noise():
    rng = np.random.default_rng(0)
    info = recording().raw.info.copy()
    raw = mne.io.RawArray(rng.standard_normal((64, 25000)) * 2e-6, info, verbose=False)
    cov = sources.estimate_noise_cov(raw)
    assert np.allclose(np.diag(cov.data).mean(), 4e-12, rtol=0.03)
    with pytest.raises(ValueError, match=r"low \(Hz\) must be > 0"):
        sources.estimate_noise_cov(raw, low=0.0)
    slow = raw.copy().resample(100.0, verbose=False)  # nothing above the gamma band to estimate noise from
    with pytest.warns(RuntimeWarning, match="ad-hoc"):
        assert sources.estimate_noise_cov(slow)["diag"]


def test_source_power_is_the_bin_mean_of_the_projected_analytic_signal():
    # the definition, written plainly: the band's analytic signal in sensor space (average reference),
    # through the inverse kernel, squared magnitude, averaged over the evaluated samples of each bin
    from scipy.fft import next_fast_len
    from scipy.signal import hilbert

    im = imaging("MNE")
    eeg = np.random.default_rng(0).standard_normal((64, 2500)) * 1e-5  # 10 s at 250 Hz
    band = {"alpha": (8.0, 12.0)}
    got = sources.source_band_power_series(eeg, im, sfreq=250.0, bands=band)
    x = eeg - eeg.mean(axis=0)
    filtered = mne.filter.filter_data(x, 250.0, 8.0, 12.0, method="fir", phase="zero", fir_design="firwin",
                                      verbose=False)
    analytic = hilbert(filtered, N=next_fast_len(2500), axis=1)[:, :2500]
    samples = np.arange(0, 2500, 5)  # every 5th sample: the floor of five evaluations in a bin of 25 samples
    inst = np.abs(im.kernel.astype(float) @ analytic[:, samples]) ** 2
    expected = np.stack([inst[:, samples // 25 == k].mean(axis=1) for k in range(100)], axis=1)
    assert got.power.shape == (1, 1284, 100)
    assert np.allclose(got.power[0], np.log(expected), atol=1e-4)
    # chunks that split bins give the same bin means
    split = sources.source_band_power_series(eeg, im, sfreq=250.0, bands=band, chunk=7)
    assert np.allclose(split.power, got.power, atol=1e-5)


def test_strided_band_power_keeps_the_hrf_features():
    rec, im = recording(), imaging("MNE")
    fast = sources.source_band_power_series(rec.raw, im)
    assert fast.power.shape == (5, 1284, 300) and np.isfinite(fast.power).all()
    every = sources.source_band_power_series
    original = sources._stride
    try:
        sources._stride = lambda *args: 1
        exact = every(rec.raw, im)
    finally:
        sources._stride = original
    a, b = hrf_convolve(fast).power, hrf_convolve(exact).power
    for band in range(5):
        assert np.corrcoef(a[band].ravel(), b[band].ravel())[0, 1] > 0.995
    x = sources.source_hrf_features(rec.raw, im, [rec.volume_times, rec.volume_times[:5]])
    assert x[0].shape == (len(rec.volume_times), 5 * 1284) and x[1].shape == (5, 5 * 1284)
    one = sources.source_hrf_features(rec.raw, im, [2.0, 5.0, 9.0])  # a plain list of seconds is one set
    assert one.shape == (3, 5 * 1284)


def test_bad_input_is_refused_with_the_fix():
    rec, im = recording(), imaging("MNE")
    with pytest.raises(ValueError, match="method must be one of"):
        sources.make_source_imaging(rec.raw, "ico3", method="beamformer")
    with pytest.raises(ValueError, match="snr must be > 0"):
        sources.make_source_imaging(rec.raw, "ico3", snr=0)
    with pytest.raises(ValueError, match="missing channels"):
        sources.source_band_power_series(rec.raw.copy().drop_channels(["Cz"]), im)
    with pytest.raises(ValueError, match="sfreq is required"):
        sources.source_band_power_series(np.zeros((64, 1000)), im)
    with pytest.raises(ValueError, match="must be"):
        im.apply(np.zeros((3, 10)))
    bad = rec.raw.copy().set_montage(None)
    with pytest.raises(ValueError, match="no position"):
        sources.template_forward(bad.info, "ico3")
