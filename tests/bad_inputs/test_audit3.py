"""The third audit's findings (issue 14): 202 new bad inputs, of which 54 went wrong silently and 95 were
answered by numpy / torch / scipy messages. Each silent one is here, grouped by boundary, and must now
fail with the argument's name — or, where noted, behave as documented."""

from __future__ import annotations

import numpy as np
import pytest

from neuroframes_edu.simulate import SimulationConfig, simulate_session
from tests.bad_inputs._data import mesh, prepared, recording


# ---------------------------------------------------------------- writes: overwrite must mean it
def test_a_truthy_string_is_not_permission_to_overwrite(tmp_path):
    from neuroframes_edu.data.folder import save_recording
    from neuroframes_edu.io import write_gifti_timeseries

    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "notes.txt").write_text("keep me")
    with pytest.raises(TypeError, match="overwrite must be bool, got str 'no'"):
        save_recording(recording(), folder, overwrite="no")
    assert (folder / "notes.txt").read_text() == "keep me"
    (tmp_path / "x_hemi-R.func.gii").write_text("a user's file")
    with pytest.raises(FileExistsError, match="hemi-R.func.gii already exists"):
        write_gifti_timeseries(np.zeros((3, 1284)), 642, tmp_path / "x_")
    assert not (tmp_path / "x_hemi-L.func.gii").exists()  # neither half written when one is refused
    with pytest.raises(TypeError, match="overwrite must be bool"):
        write_gifti_timeseries(np.zeros((3, 1284)), 642, tmp_path / "x_", overwrite="no")
    with pytest.raises(TypeError, match="n_left .* must be an integer, got bool"):
        write_gifti_timeseries(np.zeros((3, 1284)), True, tmp_path / "y_")


# ---------------------------------------------------------------- recordings and alignment
@pytest.mark.parametrize(("kwargs", "error", "message"), [
    ({"offset": float("nan")}, ValueError, "offset must be a finite number"),
    ({"window": "16"}, TypeError, "window must be a real number, got str"),
    ({"subject": ["01"]}, TypeError, "subject must be str, int, integer or None, got list"),
    ({"volume_status": ["missing"] * 75}, ValueError, "volume_status: says 'missing' for volume 0 but valid says True"),
    ({"volume_status": ["fine"] * 75}, ValueError, r"volume_status: has unknown values \['fine'\]"),
])
def test_recording_checks_every_argument(kwargs, error, message):
    from neuroframes_edu.data import Recording

    rec = recording()
    with pytest.raises(error, match=message):
        Recording(rec.raw, rec.bold, rec.volume_times, **kwargs)


def test_split_names_and_truth_lookups():
    rec = recording()
    with pytest.raises(TypeError, match="names must be a tuple or list, got str 'tv'"):
        rec.split(fractions=(0.5, 0.5), names="tv")
    with pytest.raises(ValueError, match=r"names: repeats a name"):
        rec.split(fractions=(0.5, 0.5), names=("a", "a"))
    with pytest.raises(ValueError, match="times contains 1 NaN"):
        rec.truth.scene_labels([np.nan])
    with pytest.raises(ValueError, match="times contains 1 NaN"):
        rec.truth.frame_index([np.nan])


def test_alignment_refuses_meaningless_windows_and_jitter():
    from neuroframes_edu.data.alignment import check_eeg_covers, frame_windows, volume_grid

    rec = recording()
    with pytest.raises(ValueError, match="max_jitter .* must be a finite number"):
        volume_grid([0, 0.8, 1.95, 2.4, 3.2], tr=0.8, max_jitter=np.nan)
    with pytest.raises(ValueError, match=r"window must be ≥ 0, got -5"):
        check_eeg_covers(rec.raw, rec.volume_times[:3], window=-5)
    with pytest.raises(ValueError, match="shorter than one EEG sample"):
        frame_windows(rec.raw, rec.volume_times[30:35], window=1e-4)
    with pytest.raises(TypeError, match="tr must be a real number, got str"):
        volume_grid([0.0, 0.8, 1.6], tr="0.8")


def test_from_files_refuses_fractional_valid_flags():
    from neuroframes_edu.data import Recording

    rec = recording()
    with pytest.raises(ValueError, match="valid must be a boolean mask .*float64"):
        Recording.from_files(rec.raw, rec.bold, mesh="ico3", volume_times=rec.volume_times,
                             valid=np.linspace(0, 1, rec.n_volumes))


def test_a_cache_dir_that_is_a_file_is_named(tmp_path):
    from neuroframes_edu.data import load_dataset

    user_file = tmp_path / "notes.txt"
    user_file.write_text("mine")
    with pytest.raises(NotADirectoryError, match="cache_dir .*notes.txt is a file"):
        load_dataset(1, 1, config=SimulationConfig(mesh="ico3", duration=30.0), cache_dir=user_file)
    assert user_file.read_text() == "mine"


# ---------------------------------------------------------------- simulator building blocks
def test_simulator_blocks_refuse_what_would_hang_or_give_nan():
    from neuroframes_edu.simulate import networks

    rng = np.random.default_rng(0)
    with pytest.raises(ValueError, match=r"scene_duration\[0\] .* must be > 0"):
        networks.film_schedule(60.0, (0.0, 0.0), rng)  # looped forever
    with pytest.raises(ValueError, match=r"tau \(time constant, s\) must be > 0"):
        networks.ornstein_uhlenbeck(2, 10, 0.05, tau=-1.0, sd=1.0, rng=rng)  # gave NaN
    with pytest.raises(ValueError, match="seed must be a non-negative integer, got True"):
        simulate_session(SimulationConfig(mesh="ico3", duration=30.0), seed=True)
    with pytest.raises(TypeError, match="config must be SimulationConfig or None, got dict"):
        simulate_session(config={"mesh": "ico3"})


# ---------------------------------------------------------------- features, baselines, metrics
def test_empty_settings_are_not_replaced_by_defaults():
    from neuroframes_edu.features import band_power_series
    from neuroframes_edu.training import init_from_ridge, prepare_session

    eeg = np.random.default_rng(0).standard_normal((4, 2500))
    with pytest.raises(ValueError, match="bands must name at least one band"):
        band_power_series(eeg, sfreq=250.0, bands={})
    with pytest.raises(ValueError, match="bands must name at least one band"):
        prepare_session(recording(), bands={})
    with pytest.raises(ValueError, match="alphas is empty"):
        init_from_ridge(_tiny_model(), [prepared()], alphas=())


def test_features_that_would_be_zero_or_nan():
    from neuroframes_edu.features import band_power, lagged_correlation

    eeg = np.random.default_rng(0).standard_normal((4, 2500))
    with pytest.raises(ValueError, match="needs at least 2 frame times"):
        band_power(eeg, [2.0], sfreq=250.0)
    t = np.arange(10.0)
    with pytest.raises(ValueError, match="feature is constant"):
        lagged_correlation(np.ones(10), t, np.arange(10.0), t, lags=[0.0])


def test_baselines_and_metrics_do_not_truncate_or_ignore():
    from neuroframes_edu.baselines import MeanFrame, RidgeFingerprint
    from neuroframes_edu.metrics import evaluate, spatial_r

    with pytest.raises(TypeError, match="n_frames must be an integer, got float 2.5"):
        MeanFrame().fit(np.zeros((3, 4))).predict(2.5)
    rng = np.random.default_rng(0)
    x, y = rng.standard_normal((40, 6)), rng.standard_normal((40, 3))
    ridge = RidgeFingerprint().fit(x, y)
    with pytest.raises(ValueError, match="groups has 3 entries but there are 40 frames"):
        ridge.cross_val_predict(x, y, groups=[0, 0, 0])
    pred, target = rng.standard_normal((6, 4)), rng.standard_normal((6, 4))
    reference = target.copy()
    reference[0, 0] = np.nan
    with pytest.raises(ValueError, match="reference contains 1 NaN"):
        spatial_r(pred, target, reference=reference)
    with pytest.raises(ValueError, match="ROI 'r' must be a boolean mask .* np.isin"):
        evaluate(pred, target, rois={"r": np.array([0, 1, 2, 3])})


# ---------------------------------------------------------------- smoothing, surface, sources
def test_smoothing_surface_and_sources_refuse_silent_wrong_answers():
    from neuroframes_edu.smoothing import autocovariance
    from neuroframes_edu.sources import interpolate_series

    with pytest.raises(ValueError, match="bin_width must be a finite number"):
        autocovariance(np.random.default_rng(0).standard_normal((30, 2)), bin_width=np.nan)
    m = mesh()
    with pytest.raises(TypeError, match="sources must be integer vertex indices"):
        m.geodesic_distances([0.5])
    values = np.zeros(m.n_vertices)
    values[3] = np.nan
    with pytest.raises(ValueError, match="values contains 1 NaN"):
        m.roughness(values)
    with pytest.raises(ValueError, match="xyz contains 1 NaN"):
        m.nearest_vertex((np.nan, 0, 0), "left")
    with pytest.raises(TypeError, match="normalized must be bool"):
        m.laplacian(normalized="no")
    with pytest.raises(ValueError, match="grid must be strictly increasing"):
        interpolate_series(np.arange(10.0).reshape(2, 5), np.arange(5.0)[::-1], [1.0, 2.0])


# ---------------------------------------------------------------- models, diffusion, evaluation
def _tiny_model():
    from neuroframes_edu.nn import ModelConfig, NeuralFramesModel

    p = prepared()
    cfg = ModelConfig(n_channels=p.eeg.shape[0], sfreq=p.sfreq, n_vertices=1284, mesh="ico3", window=4.0,
                      latent_dim=8, hidden_dim=8, temporal_hidden=8, n_filters=2, n_spatial=4)
    return NeuralFramesModel(cfg, mesh())


def test_models_refuse_truncated_and_nan_settings(tmp_path):
    import torch

    from neuroframes_edu.nn import ModelConfig, NoiseSchedule, ddim_sample, ddnm_plus_weight
    from neuroframes_edu.nn.autoencoder import LinearFrameAutoencoder

    with pytest.raises(ValueError, match="n_vertices is 1284 but mesh 'ico4' has 5124 vertices"):
        ModelConfig(n_channels=4, sfreq=100.0, n_vertices=1284, mesh="ico4")
    with pytest.raises(TypeError, match="latent_dim .* must be an integer, got float 2.5"):
        LinearFrameAutoencoder(1284, 2.5)
    with pytest.raises(TypeError, match="n_steps must be an integer, got float 2.5"):
        NoiseSchedule(n_steps=2.5)
    with pytest.raises(TypeError, match=r"steps \(DDIM steps.*must be an integer, got float 2.7"):
        NoiseSchedule().ddim_steps(2.7)
    with pytest.raises(ValueError, match="sigma_y must be a finite number"):
        ddnm_plus_weight(0.5, np.nan)
    with pytest.raises(ValueError, match="eta must be a finite number"):
        ddim_sample(lambda z, t: z, NoiseSchedule(100), torch.zeros(1, 2), steps=5, eta=np.nan)
    model = _tiny_model()
    csv = tmp_path / "results.csv"
    csv.write_text("a,b\n")
    with pytest.raises(TypeError, match="overwrite must be bool"):
        model.save(csv, overwrite="no")
    assert csv.read_text() == "a,b\n"
    x = torch.zeros(1, 5, 1284)
    with pytest.raises(ValueError, match=r"smoothness \(the penalty's weight\) must be a finite number"):
        from neuroframes_edu.nn import smoothness_penalty

        smoothness_penalty(x, float("nan"))


@pytest.mark.parametrize(("options", "error", "message"), [
    ({"epochs": 2.5}, TypeError, r"diffusion\['epochs'\] must be an integer, got float 2.5"),
    ({"lr": "fast"}, TypeError, r"diffusion\['lr'\] must be a real number, got str"),
    ({"width": -1}, ValueError, "DiffusionConfig.width must be an int ≥ 2"),
])
def test_diffusion_options_are_checked_before_anything_trains(options, error, message):
    from neuroframes_edu.evaluation import EvaluationConfig

    with pytest.raises(error, match=message):
        EvaluationConfig(diffusion=options)


def test_evaluation_and_inference_entry_points_check_their_inputs():
    from neuroframes_edu.evaluation import evaluate_recordings
    from neuroframes_edu.training import reconstruct_session

    rec = recording()
    with pytest.raises(TypeError, match="seed must be an integer, got float 1.5"):
        evaluate_recordings(rec, rec, rec, seed=1.5)
    with pytest.raises(TypeError, match=r"train\[0\] must be Recording, got PreparedSession"):
        evaluate_recordings([prepared()], rec, rec)
    with pytest.raises(ValueError, match="known must be a boolean mask .*float64"):
        p = prepared()
        reconstruct_session(_tiny_model(), p, known=np.linspace(0, 1, len(p.times)), measured=p.bold)


def test_plots_and_ceilings_refuse_nan_scales_and_times_outside():
    from neuroframes_edu.ceilings import eeg_information_features
    from neuroframes_edu.plotting import plot_cortex

    with pytest.raises(ValueError, match="vmin must be a finite number"):
        plot_cortex(mesh(), np.random.default_rng(0).standard_normal(1284), views=(("left", "lateral"),),
                    vmin=np.nan)
    with pytest.raises(ValueError, match="cmap 'notacmap' is not a matplotlib colormap"):
        plot_cortex(mesh(), np.random.default_rng(0).standard_normal(1284), views=(("left", "lateral"),),
                    cmap="notacmap")
    with pytest.raises(ValueError, match="times span .* but the recording covers"):
        eeg_information_features(recording(), [1000.0])


def test_training_cli_refuses_zero_epochs_and_reports_a_missing_gpu_in_one_line(capsys):
    import torch

    from neuroframes_edu.training.__main__ import main

    with pytest.raises(SystemExit):
        main(["--epochs", "0", "--mesh", "ico3"])
    assert "--epochs: must be at least 1, got 0" in capsys.readouterr().err
    if not torch.cuda.is_available():
        assert main(["--mesh", "ico3", "--duration", "60", "--epochs", "1", "--device", "cuda"]) == 2
        err = capsys.readouterr().err
        assert err.startswith("error: device='cuda' was requested") and "Traceback" not in err


def test_left_unclear_after_the_fixes_and_then_fixed():
    """The probes still unclear on the rerun of the audit: strings in arrays, a template-like mesh name."""
    from neuroframes_edu.baselines import RidgeFingerprint
    from neuroframes_edu.nn import ModelConfig
    from neuroframes_edu.nullspace import TemporalOperator

    with pytest.raises(TypeError, match="features must be an array of numbers"):
        RidgeFingerprint().fit(np.full((40, 6), "a"), np.zeros((40, 2)))
    with pytest.raises(TypeError, match="matrix must be an array of numbers"):
        TemporalOperator([["a"]])
    with pytest.raises(ValueError, match="mesh 'ico9' looks like a template mesh"):
        ModelConfig(n_channels=4, sfreq=100.0, n_vertices=1284, mesh="ico9")
    with pytest.raises(TypeError, match="normalized must be bool, got str"):
        mesh().laplacian(normalized="no")
