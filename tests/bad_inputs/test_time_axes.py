"""Bad time axes at every boundary that takes one: NaN times, shuffled or duplicated times, frames the
EEG does not cover. Each must fail loudly, naming the argument and the fix (issue 14)."""

from __future__ import annotations

from functools import cache

import numpy as np
import pytest

from neuroframes_edu.data import alignment
from neuroframes_edu.features import band_power, lagged_correlation
from tests.bad_inputs._data import recording


@cache
def prepared_and_model():
    from neuroframes_edu.nn import ModelConfig, NeuralFramesModel
    from neuroframes_edu.surface import load_fsaverage
    from neuroframes_edu.training import prepare_session

    p = prepare_session(recording())
    cfg = ModelConfig(n_channels=p.eeg.shape[0], sfreq=p.sfreq, n_vertices=1284, mesh="ico3", window=4.0,
                      latent_dim=8, hidden_dim=8, temporal_hidden=8, n_filters=2, n_spatial=4)
    return p, NeuralFramesModel(cfg, load_fsaverage("ico3"))


@pytest.mark.parametrize("hrf", [False, True])
def test_band_power_refuses_a_nan_frame_time(hrf):
    eeg = np.random.default_rng(0).standard_normal((4, 2500))
    with pytest.raises(ValueError, match="frame_times contains 1 NaN or infinite value.*index 1"):
        band_power(eeg, [2.0, np.nan, 9.0], sfreq=250.0, hrf=hrf)


@pytest.mark.parametrize(("kwargs", "error", "message"), [
    ({"frame_times": [[2.0, 3.0]]}, ValueError, "frame_times must be 1-D"),
    ({"frame_times": []}, ValueError, "frame_times is empty"),
    ({"frame_times": ["2 s"]}, TypeError, "frame_times must be an array of numbers"),
    ({"frame_times": [2.0], "window": 0.0}, ValueError, "window must be > 0, got 0"),
    ({"frame_times": [2.0], "window": "0.8"}, TypeError, "window must be a real number, got str"),
])
def test_band_power_bad_frame_times_and_window(kwargs, error, message):
    eeg = np.random.default_rng(0).standard_normal((4, 2500))
    with pytest.raises(error, match=message):
        band_power(eeg, sfreq=250.0, **kwargs)


@pytest.mark.parametrize(("args", "message"), [
    (([1.0, np.nan, 3.0, 4.0], [0, 1, 2, 3], [1, 2, 3, 4], [0, 1, 2, 3]), "feature contains 1 NaN"),
    (([1.0, 2.0, 3.0, 4.0], [0, 1, 2, 3], [1, 2, np.nan, 4], [0, 1, 2, 3]), "target contains 1 NaN"),
    (([1.0, 2.0, 3.0, 4.0], [0, 1, 2, 3], [1, 2, 3, 4], [0, 2, 1, 3]), "target_times must be strictly increasing"),
    (([1.0, 2.0, 3.0, 4.0], [0, np.inf, 2, 3], [1, 2, 3, 4], [0, 1, 2, 3]), "feature_times contains 1 NaN or inf"),
    (([1.0, 2.0, 3.0], [0, 1, 2, 3], [1, 2, 3, 4], [0, 1, 2, 3]), "feature \\(3,\\) and feature_times \\(4,\\)"),
])
def test_lagged_correlation_refuses_what_would_spread_nan(args, message):
    with pytest.raises(ValueError, match=message):
        lagged_correlation(*args, lags=[0.0])


def test_lagged_correlation_refuses_nan_lags():
    with pytest.raises(ValueError, match="lags contains 1 NaN"):
        lagged_correlation(np.arange(5.0), np.arange(5.0), np.arange(5.0), np.arange(5.0), lags=[np.nan])


def test_frame_windows_refuses_nan_times_instead_of_huge_indices():
    rec = recording()
    times = rec.volume_times[10:20].copy()
    times[3] = np.nan
    with pytest.raises(ValueError, match="frame_times contains 1 NaN or infinite value.*index 3"):
        alignment.frame_windows(rec.raw, times, window=4.0)
    with pytest.raises(ValueError, match="frame_times contains 1 NaN"):
        alignment.check_eeg_covers(rec.raw, times)


@pytest.mark.parametrize(("make", "message"), [
    (lambda t: np.where(np.arange(len(t)) == 5, np.nan, t), "frame_times contains 1 NaN or infinite value"),
    (lambda t: t[::-1], "frame_times must be strictly increasing"),
    (lambda t: np.r_[t[:5], t[6], t[5], t[7:]], "frame_times must be strictly increasing, but frame_times\\[5\\]"),
    (lambda t: np.r_[t, t[-1] + 100.0], "frame_times: 1 frame\\(s\\) lie after the end of the EEG"),
])
def test_reconstruct_session_refuses_times_it_would_misread(make, message):
    from neuroframes_edu.training import reconstruct_session

    p, model = prepared_and_model()
    times = p.times[p.usable][:20]
    with pytest.raises(ValueError, match=message):
        reconstruct_session(model, p, frame_times=make(times), n_frames=5)


@pytest.mark.parametrize(("n_frames", "error"), [(0, ValueError), (2.5, TypeError)])
def test_reconstruct_session_refuses_bad_window_lengths(n_frames, error):
    from neuroframes_edu.training import reconstruct_session

    p, model = prepared_and_model()
    with pytest.raises(error, match="n_frames must be an integer"):
        reconstruct_session(model, p, n_frames=n_frames)
