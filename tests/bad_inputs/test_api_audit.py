"""The second audit's findings (issue 14): inputs that were truncated, ignored or answered by a
scikit-learn / numpy message. Each now fails with the argument's name, what came and what is expected.
Grouped by boundary: evaluation and training windows, baselines and metrics, completion operators,
features, surface and plotting, recordings."""

from __future__ import annotations

import numpy as np
import pytest

from neuroframes_edu import nullspace
from neuroframes_edu.baselines import RidgeFingerprint, interpolate_frames
from neuroframes_edu.evaluation import EvaluationConfig
from neuroframes_edu.metrics import decoding_accuracy, interval_coverage
from neuroframes_edu.smoothing import TemporalGP, estimate_noise_variance
from tests.bad_inputs._data import prepared, recording


# ---------------------------------------------------------------- evaluation and training windows
@pytest.mark.parametrize(("kwargs", "error", "message"), [
    ({"mesh": "ico9"}, ValueError, r"mesh must be one of \(None, 'ico3'.*got 'ico9'"),
    ({"epochs": 2.5}, TypeError, "epochs must be an integer, got float 2.5"),
    ({"epochs": True}, TypeError, "epochs must be an integer, got bool"),
    ({"epochs": "3"}, TypeError, "epochs must be an integer, got str '3'"),
    ({"windows": (3.7,)}, TypeError, r"windows\[0\] must be an integer, got float 3.7"),
    ({"windows": 10}, TypeError, r"windows must be a tuple or list, got int 10; for one value write \(10,\)"),
    ({"anchor_windows": (2.9,)}, TypeError, r"anchor_windows\[0\] must be an integer"),
    ({"anchor_windows": (2,)}, ValueError, r"anchor_windows\[0\] must be an integer ≥ 3, got 2"),
    ({"missing_fractions": (0.5, float("nan"))}, ValueError, r"missing_fractions\[1\] must be a finite number"),
    ({"missing_fractions": ()}, ValueError, "missing_fractions is empty"),
    ({"rois": ("early_visual", "visual")}, ValueError, r"rois\[1\] must be one of \('early_visual'.*got 'visual'"),
    ({"rois": "auditory"}, TypeError, r"rois must be a tuple or list, got str 'auditory'; for one value write"),
    ({"detail": float("nan")}, ValueError, "detail must be a finite number, got nan"),
    ({"detail": -0.5}, ValueError, "detail must be ≥ 0, got -0.5"),
    ({"decoding_lag": "5"}, TypeError, "decoding_lag must be a real number, got str"),
    ({"smoothness": -1.0}, ValueError, "smoothness must be ≥ 0"),
    ({"gp_rank": 0}, ValueError, "gp_rank must be an integer ≥ 1, got 0"),
    ({"stride": 0}, ValueError, "stride must be an integer ≥ 1, got 0"),
    ({"gp_rank": 2.5}, TypeError, "gp_rank must be an integer"),
    ({"lr": "1e-3"}, TypeError, "lr must be a real number, got str '1e-3'"),
    ({"source_method": 3}, TypeError, "source_method must be str or None, got int 3"),
])
def test_evaluation_config_checks_every_field(kwargs, error, message):
    with pytest.raises(error, match=message):
        EvaluationConfig(**kwargs)


def test_evaluation_config_keeps_lists_as_tuples():
    cfg = EvaluationConfig(windows=[3, 10], rois=["auditory"], missing_fractions=np.array([0.5]))
    assert cfg.windows == (3, 10) and cfg.rois == ("auditory",) and cfg.missing_fractions == (0.5,)
    hash(cfg)  # frozen and hashable: lists would make it unhashable


@pytest.mark.parametrize(("kwargs", "error", "message"), [
    ({"n_frames": 2.5}, TypeError, "n_frames must be an integer, got float 2.5"),
    ({"window": -1.0}, ValueError, "window must be > 0, got -1"),
    ({"stride": 0}, ValueError, "stride must be an integer ≥ 1, got 0"),
    ({"stride": -2}, ValueError, "stride must be an integer ≥ 1, got -2"),
    ({"frame_times": [np.arange(5.0), np.arange(5.0)]}, ValueError, "frame_times has 2 arrays for 1 sessions"),
    ({"frame_times": [np.array([5.0, 4.0, 6.0])]}, ValueError, r"frame_times\[0\] must be strictly increasing"),
])
def test_window_dataset_checks_its_arguments(kwargs, error, message):
    from neuroframes_edu.training.windows import WindowDataset

    args = {"n_frames": 5, "window": 4.0, **kwargs}
    with pytest.raises(error, match=message):
        WindowDataset([prepared()], **args)


def test_window_dataset_wants_prepared_sessions_in_a_list():
    from neuroframes_edu.training.windows import WindowDataset

    with pytest.raises(TypeError, match="sessions must be a tuple or list, got PreparedSession"):
        WindowDataset(prepared(), 5, 4.0)
    with pytest.raises(TypeError, match=r"sessions\[0\] must be PreparedSession, got Recording.*prepare_session"):
        WindowDataset([recording()], 5, 4.0)


# ---------------------------------------------------------------- baselines and metrics
@pytest.mark.parametrize(("kwargs", "error", "message"), [
    ({"alphas": (1.0, -1.0)}, ValueError, r"alphas\[1\] must be > 0, got -1"),
    ({"alphas": ("a",)}, TypeError, r"alphas\[0\] must be a real number, got str 'a'"),
    ({"alphas": 10.0}, TypeError, "alphas must be a tuple or list, got float 10.0"),
    ({"n_folds": 0}, ValueError, "n_folds must be an integer ≥ 2, got 0"),
    ({"n_folds": 2.5}, TypeError, "n_folds must be an integer, got float 2.5"),
])
def test_ridge_checks_its_settings(kwargs, error, message):
    with pytest.raises(error, match=message):
        RidgeFingerprint(**kwargs)


def test_ridge_accepts_an_array_of_penalties_and_checks_data_shapes():
    rng = np.random.default_rng(0)
    x, y = rng.standard_normal((40, 6)), rng.standard_normal((40, 3))
    ridge = RidgeFingerprint(alphas=np.logspace(-1, 2, 4)).fit(x, y)
    assert ridge.alpha_ in ridge.alphas
    with pytest.raises(ValueError, match=r"frames must be 2-D \(n_frames, n_vertices\), got shape \(40,\)"):
        RidgeFingerprint().fit(x, y[:, 0])
    with pytest.raises(ValueError, match="features have 5 values per frame but the ridge was fitted on 6"):
        ridge.predict(x[:, :5])


def test_decoding_accuracy_names_what_is_wrong():
    rng = np.random.default_rng(0)
    x, labels = rng.standard_normal((30, 8)), np.repeat([0, 1, 2], 10)
    with pytest.raises(ValueError, match="n_components must be an integer ≥ 1, got 0"):
        decoding_accuracy(x, labels, {}, n_components=0)
    with pytest.raises(TypeError, match="n_components must be an integer, got float 2.5"):
        decoding_accuracy(x, labels, {}, n_components=2.5)
    with pytest.raises(TypeError, match=r"test_sets must be dict, got list.*\{\"name\": \(frames, labels\)"):
        decoding_accuracy(x, labels, [(x, labels)])
    with pytest.raises(ValueError, match=r"test_sets\['real'\] has frames \(30, 7\).*expected \(n_test, 8\)"):
        decoding_accuracy(x, labels, {"real": (x[:, :7], labels)})
    with pytest.raises(TypeError, match=r"test_sets\['real'\] must be a pair \(frames, labels\)"):
        decoding_accuracy(x, labels, {"real": x})


def test_interval_levels_must_be_a_sequence_in_the_open_unit_interval():
    rng = np.random.default_rng(0)
    with pytest.raises(TypeError, match=r"levels must be a tuple or list, got float 0.9; for one value write \(0.9,\)"):
        interval_coverage(rng.normal(size=(5, 10)), rng.normal(size=10), levels=0.9)


def test_interpolation_names_bad_query_times():
    with pytest.raises(TypeError, match="query_times must be an array of numbers .*got str 'abc'"):
        interpolate_frames([0.0, 1.0], np.zeros((2, 3)), "abc")
    with pytest.raises(ValueError, match=r"kind must be one of \('linear', 'cubic'\), got 'Linear' \(did you mean"):
        interpolate_frames([0.0, 1.0], np.zeros((2, 3)), [0.5], kind="Linear")


def test_smoothers_refuse_non_integer_settings():
    with pytest.raises(TypeError, match=r"max_lag \(frames; at least 4 to fit a kernel\) must be an integer, got str"):
        TemporalGP(max_lag="40")
    with pytest.raises(TypeError, match=r"rank \(spatial components.*must be an integer, got float 2.5"):
        TemporalGP(rank=2.5)
    with pytest.raises(TypeError, match=r"n_lags \(lags used to extrapolate to zero\) must be an integer, got str"):
        estimate_noise_variance(np.zeros((20, 2)), n_lags="3")


# ---------------------------------------------------------------- completion operators
def test_frame_masks_refuse_indices_everywhere():
    x = np.zeros((4, 2))
    for call in (lambda: nullspace.FrameMask([0, 2, 3]),
                 lambda: nullspace.complete_known(x, x, [0, 2, 3, 1]),
                 lambda: nullspace.complete_frames(x, x, [0, 2, 3, 1])):
        with pytest.raises(ValueError, match="known must be a boolean mask .*np.isin"):
            call()
    # a 0 / 1 mask means the same as a boolean one, in every function
    ints, bools = np.array([1, 0, 0, 1]), np.array([True, False, False, True])
    y = np.arange(8.0).reshape(4, 2)
    np.testing.assert_array_equal(nullspace.complete_known(x, y, ints), nullspace.complete_known(x, y, bools))
    np.testing.assert_array_equal(nullspace.complete_frames(x, y, ints), nullspace.complete_frames(x, y, bools))


@pytest.mark.parametrize(("detail", "error", "message"), [
    (float("nan"), ValueError, "detail must be a finite number, got nan"),
    ("a", TypeError, "detail must be a real number, got str 'a'"),
    (-1.0, ValueError, "detail must be ≥ 0, got -1"),
])
def test_completion_detail_is_checked(detail, error, message):
    x = np.zeros((4, 2))
    with pytest.raises(error, match=message):
        nullspace.complete_frames(x, x, [True, False, False, True], detail=detail)


def test_in_windows_names_its_argument_order():
    with pytest.raises(TypeError, match=r"fill must be a function.*in_windows\(fill, window, \*arrays\)"):
        nullspace.in_windows(3, np.arange(6.0))


# ---------------------------------------------------------------- features
def test_band_power_refuses_transposed_eeg_and_bad_rates():
    from neuroframes_edu.features import band_power_series

    eeg = np.random.default_rng(0).standard_normal((8, 2000))
    with pytest.raises(ValueError, match=r"eeg has shape \(2000, 8\): more channels than samples.*pass eeg.T"):
        band_power_series(eeg.T, sfreq=250.0)
    with pytest.raises(ValueError, match="sfreq must be > 0, got 0"):
        band_power_series(eeg, sfreq=0)
    with pytest.raises(ValueError, match="rate must be a finite number, got nan"):
        band_power_series(eeg, sfreq=250.0, rate=float("nan"))


def test_prepare_session_refuses_a_nan_feature_rate():
    from neuroframes_edu.training import prepare_session

    with pytest.raises(ValueError, match="rate must be a finite number, got nan"):
        prepare_session(recording(), rate=float("nan"))


def test_hrf_convolve_wants_a_band_power_series():
    from neuroframes_edu.features import hrf_convolve

    with pytest.raises(TypeError, match="series must be BandPowerSeries, got ndarray.*band_power_series"):
        hrf_convolve(np.zeros((4, 3, 10)))


# ---------------------------------------------------------------- surface and plotting
def test_resampling_and_plotting_want_meshes_and_known_views():
    from neuroframes_edu.plotting import plot_cortex
    from neuroframes_edu.surface import load_fsaverage, resample_operator

    with pytest.raises(TypeError, match=r"source must be CorticalMesh, got str 'ico3'.*load_mesh"):
        resample_operator("ico3", "ico4")
    with pytest.raises(TypeError, match=r"mesh must be CorticalMesh, got str 'ico3'"):
        plot_cortex("ico3")
    mesh = load_fsaverage("ico3")
    with pytest.raises(ValueError, match=r"views\[0\] view must be one of \('lateral'.*got 'side'"):
        plot_cortex(mesh, views=(("left", "side"),))
    with pytest.raises(ValueError, match=r"views\[0\] hemisphere must be one of \('left', 'right'\), got 'lh'"):
        plot_cortex(mesh, views=(("lh", "lateral"),))
    with pytest.raises(ValueError, match=r"views must name at least one .*got 'lateral'"):
        plot_cortex(mesh, views="lateral")


# ---------------------------------------------------------------- recordings
@pytest.mark.parametrize(("kwargs", "message"), [
    ({"fractions": (0.6, float("nan"), 0.2)}, "fractions: must be ≥ 2 positive shares.*got \\[0.6, (nan|inf), 0.2\\]"),
    ({"fractions": (0.6, float("inf"), 0.2)}, "fractions: must be ≥ 2 positive shares.*got \\[0.6, (nan|inf), 0.2\\]"),
    ({"gap": float("nan")}, "gap must be a finite number, got nan"),
])
def test_split_refuses_nan_shares_and_gaps(kwargs, message):
    with pytest.raises(ValueError, match=message):
        recording().split(**kwargs)
