"""EEG band power: correct bands, alignment to frames, HRF lag, rate-independence and errors."""

from __future__ import annotations

import os

import mne
import numpy as np
import pytest

from neuroframes_edu.features import BANDS, band_power, band_power_series, hrf_convolve


def _sine_eeg(sfreq, seconds=20.0, freq=10.0, channels=3, seed=0):
    t = np.arange(int(seconds * sfreq)) / sfreq
    rng = np.random.default_rng(seed)
    data = 0.1 * rng.standard_normal((channels, t.size))
    data[0] += np.sin(2 * np.pi * freq * t)
    return data


@pytest.mark.parametrize("sfreq", [250.0, 1000.0])
def test_power_lands_in_the_right_band_at_any_sampling_rate(sfreq):
    series = band_power_series(_sine_eeg(sfreq), sfreq=sfreq)
    assert series.power.shape[:2] == (5, 3)
    assert series.rate == pytest.approx(10.0)
    mean = series.power[:, 0, 5:-5].mean(axis=1)  # channel 0 carries a 10 Hz sine
    assert list(BANDS)[int(np.argmax(mean))] == "alpha"
    # the alpha power of channel 0 is far above that of the noise-only channels
    assert series.power[2, 0].mean() > series.power[2, 1].mean() + 3


def test_same_signal_gives_the_same_features_at_250_hz_and_1_khz():
    a = band_power(_sine_eeg(250.0), [5.0, 10.0, 15.0], sfreq=250.0, standardize=False)
    b = band_power(_sine_eeg(1000.0), [5.0, 10.0, 15.0], sfreq=1000.0, standardize=False)
    assert abs(a[:, 0, 2].mean() - b[:, 0, 2].mean()) < 0.3


def test_accepts_raw_and_reads_its_rate():
    info = mne.create_info(["a", "b", "c"], 250.0, "eeg")
    raw = mne.io.RawArray(_sine_eeg(250.0), info, verbose=False)
    out = band_power(raw, [4.0, 8.0], bands={"alpha": (8, 13)})
    assert out.shape == (2, 3, 1)
    with pytest.raises(ValueError, match="disagrees with the recording's own rate"):
        band_power(raw, [4.0], sfreq=500.0)


def test_window_averages_the_power_before_each_frame():
    sfreq = 250.0
    data = 0.01 * np.random.default_rng(1).standard_normal((1, int(20 * sfreq)))
    t = np.arange(data.shape[1]) / sfreq
    burst = (t >= 10) & (t < 12)
    data[0, burst] += np.sin(2 * np.pi * 10 * t[burst])
    out = band_power(data, [9.0, 12.0, 16.0], sfreq=sfreq, bands={"alpha": (8, 13)}, window=2.0, standardize=False)
    assert out[1, 0, 0] > out[0, 0, 0] + 3 and out[1, 0, 0] > out[2, 0, 0] + 3


def test_hrf_convolution_delays_the_response_by_about_five_seconds():
    sfreq = 250.0
    data = 0.01 * np.random.default_rng(2).standard_normal((1, int(60 * sfreq)))
    t = np.arange(data.shape[1]) / sfreq
    burst = (t >= 20) & (t < 21)
    data[0, burst] += np.sin(2 * np.pi * 10 * t[burst])
    series = hrf_convolve(band_power_series(data, sfreq=sfreq, bands={"alpha": (8, 13)}))
    peak_time = series.times[int(np.argmax(series.power[0, 0]))]
    assert 24.0 < peak_time < 27.5


def test_standardized_features_have_zero_mean_unit_sd():
    out = band_power(_sine_eeg(250.0, seconds=40), np.arange(2.0, 38.0, 0.8), sfreq=250.0, hrf=True)
    np.testing.assert_allclose(out.mean(axis=0), 0, atol=1e-9)
    np.testing.assert_allclose(out.std(axis=0), 1, atol=1e-9)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"eeg": np.zeros(100), "sfreq": 250.0}, "must be 2-D"),
        ({"eeg": np.zeros((2, 1000)), "sfreq": None}, "sfreq is required"),
        ({"bands": {"gamma": (30.0, 140.0)}}, "reaches 140.0 Hz but the EEG is sampled at 250.0 Hz"),
        ({"bands": {"odd": (10.0, 5.0)}}, "0 < low < high"),
        ({"frame_times": [50.0]}, "frame_times span"),
        ({"frame_times": []}, "frame_times is empty"),
    ],
)
def test_errors(kwargs, message):
    args = {"eeg": _sine_eeg(250.0), "frame_times": [5.0], "sfreq": 250.0, **kwargs}
    with pytest.raises(ValueError, match=message):
        band_power(**args)


def test_nan_samples_are_refused():
    data = _sine_eeg(250.0)
    data[1, 100] = np.nan
    with pytest.raises(ValueError, match="1 NaN or infinite samples"):
        band_power(data, [5.0], sfreq=250.0)


def test_lagged_correlation_finds_the_delay():
    from neuroframes_edu.features import lagged_correlation

    rng = np.random.default_rng(0)
    t = np.arange(0, 300, 0.5)
    x = np.convolve(rng.standard_normal(t.size), np.ones(8) / 8, mode="same")
    y = np.interp(t - 5.0, t, x)  # y follows x by 5 s
    lags = np.arange(0, 11, 1.0)
    r = lagged_correlation(x, t, y, t, lags)
    assert lags[np.argmax(r)] == 5.0 and r.max() > 0.99
    with pytest.raises(ValueError, match="strictly increasing"):
        lagged_correlation(x, t, y, t[::-1], lags)
    with pytest.raises(ValueError, match="fewer than 3"):
        lagged_correlation(x, t, y, t, [1000.0])


def test_a_precomputed_series_gives_the_same_features():
    rng = np.random.default_rng(1)
    eeg = rng.standard_normal((3, 250 * 40))
    series = band_power_series(eeg, sfreq=250.0)
    times = np.arange(20.0, 39.0, 0.8)
    for hrf in (False, True):
        np.testing.assert_allclose(band_power(None, times, series=series, hrf=hrf),
                                   band_power(eeg, times, sfreq=250.0, hrf=hrf))
    with pytest.raises(ValueError, match="not both"):
        band_power(eeg, times, series=series)


def test_band_power_is_the_same_with_any_number_of_fft_threads(monkeypatch):
    from neuroframes_edu._utils.parallel import fft_workers

    monkeypatch.setenv("NEUROFRAMES_EDU_FEATURE_CACHE", "0")
    eeg = np.random.default_rng(3).standard_normal((6, 5000))
    monkeypatch.setenv("OMP_NUM_THREADS", "1")
    assert fft_workers() == 1
    one = band_power_series(eeg, sfreq=250.0).power
    monkeypatch.setenv("OMP_NUM_THREADS", "2")
    assert fft_workers() == 2
    two = band_power_series(eeg, sfreq=250.0).power
    np.testing.assert_array_equal(one, two)
    monkeypatch.setenv("OMP_NUM_THREADS", "3,1")  # a nested list: its first level
    assert fft_workers() == 3
    monkeypatch.setenv("OMP_NUM_THREADS", " 4 ")
    assert fft_workers() == 4
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    for unusable in ("not a number", "0", "²"):  # every CPU this process may use
        monkeypatch.setenv("OMP_NUM_THREADS", unusable)
        assert fft_workers() == cpus
    from neuroframes_edu.features import BandPowerSeries, hrf_convolve

    series = BandPowerSeries(power=one, times=(np.arange(one.shape[2]) + 0.5) / 10.0, rate=10.0,
                             bands=dict(BANDS), ch_names=[f"c{i}" for i in range(6)])
    monkeypatch.setenv("OMP_NUM_THREADS", "1")
    single = hrf_convolve(series).power
    monkeypatch.setenv("OMP_NUM_THREADS", "2")
    np.testing.assert_array_equal(single, hrf_convolve(series).power)


@pytest.mark.parametrize("n, n_fft", [(1000, None), (999, None), (999, 1024), (1000, 1125)])
def test_hilbert_imag_is_scipys_hilbert_imaginary_part(n, n_fft):
    from scipy.signal import hilbert

    from neuroframes_edu.features import _hilbert_imag

    x = np.random.default_rng(n).standard_normal((2, 3, n))
    expected = hilbert(x, N=n_fft, axis=-1)[..., :n]
    got = _hilbert_imag(x, n_fft)
    assert got.shape == x.shape
    np.testing.assert_allclose(got, expected.imag, atol=1e-12)
    np.testing.assert_allclose(x ** 2 + got ** 2, np.abs(expected) ** 2, atol=1e-12)  # the squared envelope
    with pytest.raises(ValueError, match="n_fft=10 is shorter"):
        _hilbert_imag(x, 10)


def test_band_power_is_the_mean_squared_hilbert_envelope_in_each_bin(monkeypatch):
    """band_power_series written out from its definition with scipy's complex Hilbert transform."""
    from scipy.signal import hilbert

    monkeypatch.setenv("NEUROFRAMES_EDU_FEATURE_CACHE", "0")
    eeg = _sine_eeg(250.0, seconds=12.0, channels=4, seed=5)
    series = band_power_series(eeg, sfreq=250.0, rate=10.0)
    for b, (lo, hi) in enumerate(BANDS.values()):
        filtered = mne.filter.filter_data(eeg, 250.0, lo, hi, method="fir", phase="zero", fir_design="firwin",
                                          verbose=False)
        envelope = np.abs(hilbert(filtered, axis=1)) ** 2
        expected = np.log(envelope[:, :3000].reshape(4, 120, 25).mean(axis=2) + 1e-30)
        np.testing.assert_allclose(series.power[b], expected, rtol=0, atol=1e-10)
