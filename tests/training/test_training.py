"""Preparing sessions, windows, fitting (seeded, leak-free), whole-session reconstruction, torchrun."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from functools import cache

import numpy as np
import pytest
import torch

from neuroframes_edu.data import Recording
from neuroframes_edu.nn import ModelConfig, NeuralFramesModel, propagate_sparse
from neuroframes_edu.simulate import SimulationConfig, simulate_session
from neuroframes_edu.surface import load_fsaverage
from neuroframes_edu.training import (
    TrainConfig,
    WindowDataset,
    check_held_out,
    collate,
    fit,
    init_from_ridge,
    masked_mse,
    prepare_session,
    reconstruct_session,
    train_diffusion,
    train_model,
)


@cache
def prepared(session=1, duration=60.0):
    sim = simulate_session(SimulationConfig(mesh="ico3", duration=duration, sfreq=100.0), seed=0, subject=1,
                           session=session)
    return prepare_session(sim)


def small_model():
    p = prepared()
    cfg = ModelConfig(n_channels=p.eeg.shape[0], sfreq=p.sfreq, n_vertices=1284, mesh="ico3", window=4.0,
                      latent_dim=8, hidden_dim=8, temporal_hidden=8, n_filters=2, n_spatial=4)
    return NeuralFramesModel(cfg, load_fsaverage("ico3"))


def test_prepare_session_standardises():
    p = prepared()
    assert p.eeg.dtype == np.float32 and p.eeg.shape[0] == 64
    np.testing.assert_allclose(p.eeg.mean(axis=1), 0, atol=1e-4)
    np.testing.assert_allclose(p.bold[p.valid].mean(axis=0), 0, atol=1e-4)
    np.testing.assert_allclose(p.bold[p.valid].std(axis=0), 1, atol=1e-3)
    assert (p.bold[~p.valid] == 0).all()
    assert p.bands.shape[0] == 5 * 64 and p.rate == pytest.approx(10.0)
    assert p.hrf_at([10.0, 20.0]).shape == (2, 320)


def test_windows_start_a_full_window_before_their_first_frame():
    p = prepared()
    ds = WindowDataset([p], n_frames=5, window=4.0)
    for k in range(len(ds)):
        item = ds[k]
        assert item["eeg"].shape == (64, ds.n_samples) and item["bands"].shape == (320, ds.n_steps)
        assert item["frame_times"][0] >= 4.0 - 1e-6
        assert item["target"].shape == (5, 1284)
    batch = collate([ds[0], ds[1]], ds.sfreq)
    assert batch.eeg.shape[0] == 2 and batch.valid.dtype == torch.bool
    with pytest.raises(ValueError, match="n_frames=500 is longer than every session"):
        WindowDataset([p], n_frames=500, window=4.0)


def test_masked_mse_ignores_invalid_frames():
    pred, target = torch.zeros(1, 2, 3), torch.ones(1, 2, 3)
    target[0, 1] = 100.0
    assert float(masked_mse(pred, target, torch.tensor([[True, False]]))) == pytest.approx(1.0)


def test_fit_is_seeded_and_refuses_leaky_validation():
    train, val = prepared(1), prepared(2)
    cfg = TrainConfig(epochs=2, batch_size=4, n_frames=5, progress=False, seed=3)
    torch.manual_seed(0)
    m1 = small_model()
    r1 = fit(m1, [train], [val], cfg)
    torch.manual_seed(0)
    m2 = small_model()
    fit(m2, [train], [val], cfg)
    for (name, a), (_, b) in zip(m1.state_dict().items(), m2.state_dict().items(), strict=True):
        assert torch.equal(a, b), name
    assert len(r1.history) == 2 and np.isfinite(r1.best_val_loss) and r1.best_epoch in (1, 2)
    assert r1.history[1]["train_loss"] < r1.history[0]["train_loss"] * 1.05
    with pytest.raises(ValueError, match="overlap in time, EEG windows included; hold out other recordings or parts"):
        fit(small_model(), [train], [train], cfg)


def test_the_stride_sets_how_many_windows_an_epoch_trains_on(monkeypatch):
    import importlib

    fit_module = importlib.import_module("neuroframes_edu.training.fit")  # the module, not the function
    strides = []
    original = fit_module.WindowDataset

    def recording_dataset(sessions, n_frames, window, stride=None, **kwargs):
        strides.append(stride)
        return original(sessions, n_frames, window, stride=stride, **kwargs)

    monkeypatch.setattr(fit_module, "WindowDataset", recording_dataset)
    train, val = prepared(1), prepared(2)
    for stride in (None, 6):
        result = fit(small_model(), [train], [val], TrainConfig(epochs=1, n_frames=6, batch_size=1, stride=stride,
                                                                progress=False))
        assert result.history[0]["train_loss"] > 0
    # the training windows (the first dataset of each fit): half-overlapping by default, side by side with
    # stride = n_frames, which halves them
    assert strides[0] == 3 and strides[2] == 6
    overlapping, side_by_side = (len(original([train], 6, 4.0, stride=s)) for s in (3, 6))
    assert side_by_side in (overlapping // 2, (overlapping + 1) // 2)
    assert prepared(1).hrf_at([]).shape == (0, prepared(1).hrf_bands.shape[0])  # no times, no rows


def test_fit_writes_the_best_checkpoint(tmp_path):
    cfg = TrainConfig(epochs=1, batch_size=4, n_frames=5, progress=False, checkpoint=str(tmp_path / "best.pt"))
    result = fit(small_model(), [prepared(1)], [prepared(2)], cfg)
    loaded = NeuralFramesModel.load(tmp_path / "best.pt", mesh=load_fsaverage("ico3"))
    assert loaded.checkpoint_extra["epoch"] == result.best_epoch  # 0 when the epoch did not beat the start
    assert loaded.checkpoint_extra["val_loss"] == pytest.approx(result.best_val_loss)


def test_fit_keeps_the_starting_weights_when_no_epoch_beats_them():
    model = small_model()
    init_from_ridge(model, [prepared(1)])
    start = {k: v.clone() for k, v in model.state_dict().items()}
    # a step size that can only make the ridge start worse
    result = fit(model, [prepared(1)], [prepared(2)], TrainConfig(epochs=2, lr=10.0, batch_size=4, n_frames=5,
                                                                   progress=False))
    assert result.best_epoch == 0 and result.best_val_loss == result.start_val_loss
    assert all(h["val_loss"] > result.start_val_loss for h in result.history) and len(result.history) == 2
    for k, v in model.state_dict().items():
        torch.testing.assert_close(v, start[k])


def test_reconstruct_session_and_completion():
    model = small_model()
    p = prepared()
    rec = reconstruct_session(model, p, n_frames=5)
    early = p.times < model.config.window
    assert np.isnan(rec[early]).all() and np.isfinite(rec[~early]).all()
    known = np.zeros(len(p.times), dtype=bool)
    known[::2] = True
    rec2 = reconstruct_session(model, p, known=known, measured=p.bold, n_frames=5)
    np.testing.assert_array_equal(rec2[known & ~early], p.bold[known & ~early])
    fine = np.arange(4.0, 50.0, 0.2)
    assert reconstruct_session(model, p, frame_times=fine, n_frames=5).shape == (len(fine), 1284)
    with pytest.raises(ValueError, match="known has 3 flags but the data it goes with have 75"):
        reconstruct_session(model, p, known=known[:3], measured=p.bold)


@pytest.mark.slow
def test_torchrun_two_processes_on_cpu(tmp_path):
    env = {**os.environ, "NEUROFRAMES_EDU_DATA": str(tmp_path), "OMP_NUM_THREADS": "1"}
    cmd = [sys.executable, "-m", "torch.distributed.run", "--standalone", "--nproc_per_node", "2",
           "-m", "neuroframes_edu.training", "--mesh", "ico3", "--duration", "60", "--epochs", "1",
           "--n-frames", "5", "--device", "cpu", "--output", str(tmp_path / "ddp.pt")]
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=600, check=False)
    assert proc.returncode == 0, proc.stderr[-3000:]
    checksums = dict(re.findall(r"rank (\d)/2: .*parameter checksum (\S+)", proc.stdout))
    assert set(checksums) == {"0", "1"}, proc.stdout
    assert checksums["0"] == checksums["1"], "DDP keeps the replicas identical"
    assert (tmp_path / "ddp.pt").is_file()
    assert "broadcast_buffers" not in proc.stderr, "a deprecation the user cannot act on"


def test_torchrun_trains_the_diffusion_model_too(tmp_path):
    env = {**os.environ, "NEUROFRAMES_EDU_DATA": str(tmp_path), "OMP_NUM_THREADS": "1"}
    cmd = [sys.executable, "-m", "torch.distributed.run", "--standalone", "--nproc_per_node", "2",
           "-m", "neuroframes_edu.training", "--model", "diffusion", "--mesh", "ico3", "--duration", "60",
           "--epochs", "2", "--n-frames", "5", "--device", "cpu", "--output", str(tmp_path / "ddp.pt")]
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=600, check=False)
    assert proc.returncode == 0, proc.stderr[-3000:]
    checksums = dict(re.findall(r"rank (\d)/2: .*parameter checksum (\S+)", proc.stdout))
    assert set(checksums) == {"0", "1"} and checksums["0"] == checksums["1"], proc.stdout
    from neuroframes_edu.nn import EEGDiffusionModel

    assert EEGDiffusionModel.load(tmp_path / "ddp.pt").config.eeg.mesh == "ico3"


def test_training_command_is_reproducible_with_its_seed(tmp_path, monkeypatch, capsys):
    from neuroframes_edu.training.__main__ import main

    monkeypatch.setenv("NEUROFRAMES_EDU_DATA", str(tmp_path))
    args = ["--mesh", "ico3", "--duration", "60", "--epochs", "1", "--n-frames", "5", "--device", "cpu"]
    lines = []
    for seed in ("3", "3", "4"):
        assert main([*args, "--seed", seed]) == 0
        lines.append(re.search(r"parameter checksum (\S+)", capsys.readouterr().out).group(1))
    assert lines[0] == lines[1], "the same seed must give the same trained weights"
    assert lines[0] != lines[2]


def test_ridge_warm_start_makes_the_model_a_reduced_rank_ridge():
    from neuroframes_edu.baselines import RidgeFingerprint

    p = prepared()
    model = small_model().eval()
    alpha = init_from_ridge(model, [p])
    times = p.times[(p.times >= 4.0) & p.valid]
    x = p.hrf_at(times)
    ridge = RidgeFingerprint().fit(x, p.bold[(p.times >= 4.0) & p.valid])
    assert ridge.alpha_ == alpha
    # with the learned branch and the graph head at zero, the prediction is the smoothed low-rank ridge map
    with torch.no_grad():
        latents = torch.as_tensor(x) @ model.encoder.skip.weight.T
        linear = (latents @ model.decoder.readout.T)[..., None]
        for _ in range(model.config.readout_smoothing):
            linear = propagate_sparse(model.decoder.adjacency, linear)
    rec = reconstruct_session(model, p, frame_times=times, n_frames=5)
    np.testing.assert_allclose(rec, linear[..., 0].numpy(), rtol=1e-4, atol=1e-4)
    rank_d = np.linalg.matrix_rank((model.encoder.skip.weight.T @ model.decoder.readout.T).detach().numpy())
    assert rank_d <= model.config.latent_dim
    # a ridge fitted already (a benchmark's baseline) gives the same start without fitting again
    fitted = RidgeFingerprint().fit(p.hrf_at(p.times[p.valid]), p.bold[p.valid])
    again = small_model()
    assert init_from_ridge(again, None, ridge=fitted) == alpha
    for name in ("encoder.skip.weight", "decoder.readout"):
        torch.testing.assert_close(again.get_parameter(name), model.get_parameter(name))
    two_channels = RidgeFingerprint().fit(x[:, :2], p.bold[(p.times >= 4.0) & p.valid])
    with pytest.raises(ValueError, match=r"ridge maps \d+ features to 1284 vertices, but this model reads"):
        init_from_ridge(small_model(), None, ridge=two_channels)
    with pytest.raises(ValueError, match="ridge is not fitted"):
        init_from_ridge(small_model(), [p], ridge=RidgeFingerprint())
    with pytest.raises(ValueError, match="needs the training sessions"):
        init_from_ridge(small_model(), None)


def test_resampled_session_moves_the_bold_to_a_coarser_mesh():
    from neuroframes_edu.surface import resample_operator

    p = prepared()
    ico3 = load_fsaverage("ico3")
    r = resample_operator(ico3, ico3)  # identity on the same mesh
    same = p.resampled(r)
    np.testing.assert_allclose(same.bold, p.bold, atol=1e-4)
    coarse = p.resampled(r[:100])  # the first 100 vertices only
    assert coarse.bold.shape == (len(p.times), 100) and "bold_mean" not in coarse.extras
    np.testing.assert_allclose(coarse.bold[p.valid].std(axis=0), 1, atol=1e-3)
    assert (coarse.bold[~p.valid] == 0).all()
    with pytest.raises(ValueError, match="columns but the session has"):
        p.resampled(r[:, :10])


def test_prepare_session_takes_a_recording_and_says_how_to_make_one():
    from types import SimpleNamespace

    sim = simulate_session(SimulationConfig(mesh="ico3", duration=30.0, sfreq=100.0), seed=0)
    assert prepare_session(sim).name == "sub-01_ses-01_task-film"
    with pytest.raises(TypeError, match="a neuroframes_edu.data.Recording, got RawArray; make one with Recording"):
        prepare_session(sim.raw)
    with pytest.raises(TypeError, match="got SimpleNamespace"):
        prepare_session(SimpleNamespace(raw=sim.raw, bold=sim.bold, volume_times=sim.volume_times, valid=sim.valid))


def test_custom_bands_flow_from_preparation_to_the_model():
    sim = simulate_session(SimulationConfig(mesh="ico3", duration=60.0, sfreq=200.0), seed=0)
    bands = {"alpha": (8, 13), "high_gamma": (45, 70)}
    p = prepare_session(sim, bands=bands)
    assert p.bands.shape[0] == 2 * 64 and p.band_edges == {"alpha": (8.0, 13.0), "high_gamma": (45.0, 70.0)}
    cfg = ModelConfig.for_recording(p, latent_dim=8, hidden_dim=8, window=4.0)
    assert cfg.band_edges == p.band_edges and cfg.ch_names == tuple(sim.ch_names)
    model = NeuralFramesModel(cfg, load_fsaverage("ico3"))
    assert np.isfinite(reconstruct_session(model, p, n_frames=5)[p.times >= 4.0]).all()
    with pytest.raises(ValueError, match="prepared with .* prepare_session\\(recording, bands=model.config.band_edges"):
        reconstruct_session(model, prepare_session(sim))
    with pytest.raises(ValueError, match="band 'high_gamma' reaches 70.0 Hz but the EEG is sampled at 100.0 Hz"):
        prepare_session(simulate_session(SimulationConfig(mesh="ico3", duration=30.0, sfreq=100.0)), bands=bands)


def test_channels_are_matched_by_name_never_mixed():
    sim = simulate_session(SimulationConfig(mesh="ico3", duration=40.0, sfreq=100.0), seed=0)
    p = prepare_session(sim)
    cfg = ModelConfig.for_recording(p, latent_dim=8, hidden_dim=8, window=4.0)
    torch.manual_seed(0)
    model = NeuralFramesModel(cfg, load_fsaverage("ico3"))
    reordered = sim.raw.copy().reorder_channels(sim.ch_names[::-1])
    shuffled = prepare_session(Recording(reordered, sim.bold, sim.volume_times, valid=sim.valid))
    assert shuffled.ch_names == tuple(sim.ch_names[::-1])
    same = p.with_channels(shuffled.ch_names).with_channels(cfg.ch_names)
    np.testing.assert_array_equal(same.bands, p.bands)
    np.testing.assert_allclose(reconstruct_session(model, shuffled, n_frames=5),
                               reconstruct_session(model, p, n_frames=5), rtol=1e-5, atol=1e-6)
    fewer = prepare_session(Recording(sim.raw.copy().pick(sim.ch_names[:60]), sim.bold, sim.volume_times,
                                      valid=sim.valid))
    with pytest.raises(ValueError, match="built for EEG channels .*missing: \\['P10', 'PO8', 'PO4', 'O2'\\].*raw.pick"):
        reconstruct_session(model, fewer)


def test_parts_of_one_recording_train_and_validate_without_leaking():
    sim = simulate_session(SimulationConfig(mesh="ico3", duration=100.0, sfreq=100.0), seed=0)
    train, val = (prepare_session(r) for r in sim.split((0.7, 0.3), names=("train", "val")))
    assert train.source == val.source == sim.name
    model, result = train_model([train], [val], temporal="none", latent_dim=8, hidden_dim=8,
                                config=TrainConfig(epochs=1, n_frames=5, progress=False))
    assert np.isfinite(result.best_val_loss) and model.config.ch_names == tuple(sim.ch_names)
    overlapping = prepare_session(sim)  # the whole recording contains the validation part
    with pytest.raises(ValueError, match="overlap in time"):
        fit(model, [overlapping], [val], TrainConfig(epochs=1, progress=False))


def test_bands_in_another_order_are_matched_by_name():
    sim = simulate_session(SimulationConfig(mesh="ico3", duration=40.0, sfreq=100.0), seed=0)
    p = prepare_session(sim, bands={"alpha": (8, 13), "beta": (13, 30)})
    swapped = prepare_session(sim, bands={"beta": (13, 30), "alpha": (8, 13)})
    assert not np.array_equal(swapped.bands, p.bands)
    np.testing.assert_array_equal(swapped.with_bands(p.band_edges).bands, p.bands)
    torch.manual_seed(0)
    model = NeuralFramesModel(ModelConfig.for_recording(p, latent_dim=8, hidden_dim=8, window=4.0),
                              load_fsaverage("ico3"))
    np.testing.assert_allclose(reconstruct_session(model, swapped, n_frames=5),
                               reconstruct_session(model, p, n_frames=5), rtol=1e-5, atol=1e-6)


def test_eeg_at_256_hz_trains_at_its_own_feature_rate():
    """256 Hz does not divide into 10 Hz bins: the prepared rate is 256 / 26 Hz, and the recipe uses it."""
    sim = simulate_session(SimulationConfig(mesh="ico3", duration=60.0, sfreq=256.0), seed=0)
    train, val = (prepare_session(r) for r in sim.split((0.6, 0.4), names=("train", "val")))
    assert train.rate == pytest.approx(256 / 26)
    model, result = train_model([train], [val], temporal="none", latent_dim=8, hidden_dim=8,
                                config=TrainConfig(epochs=1, n_frames=5, progress=False))
    assert model.config.feature_rate == pytest.approx(256 / 26) and np.isfinite(result.best_val_loss)
    with pytest.raises(ValueError, match="feature_rate must be sfreq divided into bins of whole samples, e.g. 9.846"):
        ModelConfig(n_channels=64, sfreq=256.0, n_vertices=1284, mesh="ico3")


def test_the_leak_check_counts_the_eeg_window():
    sim = simulate_session(SimulationConfig(mesh="ico3", duration=120.0, sfreq=100.0), seed=0)
    a, b = (prepare_session(r) for r in sim.split((0.5, 0.5), names=("a", "b")))
    check_held_out([a], [b])  # split leaves the window between them
    early = prepare_session(sim._crop_volumes(0, 40, "early"))
    late = prepare_session(sim._crop_volumes(45, 80, "late"))  # 5 volumes (4 s) later: its EEG window reaches back
    with pytest.raises(ValueError, match="overlap in time, EEG windows included.*different identifiers"):
        check_held_out([early], [late])


@cache
def prepared_with_sources():
    from neuroframes_edu.sources import make_source_imaging

    sim = simulate_session(SimulationConfig(mesh="ico3", duration=60.0, sfreq=100.0), seed=0, subject=1, session=1)
    with pytest.warns(RuntimeWarning, match="ad-hoc"):  # 100 Hz EEG: no band above 55 Hz for the noise
        imaging = make_source_imaging(sim.raw, "ico3")
    return sim, imaging, prepare_session(sim).with_sources(sim, imaging)


def test_sessions_carry_the_band_power_of_their_sources():
    from neuroframes_edu.sources import source_hrf_features

    sim, imaging, p = prepared_with_sources()
    assert p.hrf_sources.shape == (len(p.band_edges) * 1284, p.hrf_bands.shape[1])
    times = p.times[::7]
    np.testing.assert_allclose(p.sources_at(times), source_hrf_features(sim.raw, imaging, times), atol=1e-5)
    # band order follows the model's bands, by name, for the sources as for the channels
    flipped = {b: p.band_edges[b] for b in reversed(list(p.band_edges))}
    moved = p.with_bands(flipped)
    n = len(p.band_edges)
    np.testing.assert_array_equal(moved.hrf_sources.reshape(n, 1284, -1)[0], p.hrf_sources.reshape(n, 1284, -1)[-1])
    with pytest.raises(ValueError, match="not the recording this session"):
        other = simulate_session(SimulationConfig(mesh="ico3", duration=60.0, sfreq=100.0), seed=0, subject=2)
        prepared().with_sources(other, imaging)
    with pytest.raises(ValueError, match="no source features"):
        prepared().sources_at(times)


def test_a_model_on_source_features_starts_as_the_source_ridge_and_refuses_sessions_without_them():
    from neuroframes_edu.baselines import RidgeFingerprint

    _, _, p = prepared_with_sources()
    cfg = ModelConfig.for_recording(p, window=4.0, latent_dim=8, hidden_dim=8, temporal_hidden=8, n_filters=2,
                                    n_spatial=4, temporal="none", readout_smoothing=0)
    assert cfg.n_sources == 1284 and cfg.n_source_features == len(p.band_edges) * 1284
    model = NeuralFramesModel(cfg, load_fsaverage("ico3")).eval()
    alpha = init_from_ridge(model, [p])
    use = (p.times >= 4.0) & p.valid
    ridge = RidgeFingerprint().fit(p.sources_at(p.times[p.valid]), p.bold[p.valid])
    assert ridge.alpha_ == alpha  # the source ridge, not the channel ridge
    x = p.sources_at(p.times[use])
    assert float(model.encoder.skip.weight.detach().abs().max()) == 0.0
    # before training: the rank-8 truncation of the source ridge, with the per-vertex inputs at zero
    w = (model.encoder.source_skip.weight.T @ model.decoder.readout.T).detach().numpy()
    rec = reconstruct_session(model, p, frame_times=p.times[use], n_frames=5)
    np.testing.assert_allclose(rec, x @ w, rtol=1e-4, atol=1e-4)
    assert np.corrcoef(rec.ravel(), ridge.predict(x).ravel())[0, 1] > 0.9
    with pytest.raises(ValueError, match="imaging=model.source_imaging"):
        reconstruct_session(model, prepared())
    with pytest.raises(ValueError, match="n_sources"):
        ModelConfig.for_recording(p, n_sources=12)
    # the per-vertex path: a vertex's own bands reach the frame only within the graph convolutions' reach
    nb = len(p.band_edges)
    with torch.no_grad():
        model.decoder.vertex_inputs.weight.normal_()
        model.decoder.head.weight.normal_()
        model.encoder.source_skip.weight.view(8, nb, 1284)[:, :, 0] = 0.0  # vertex 0 only through its own path
        ds = WindowDataset([p.matched_to(cfg)], 3, cfg.window)
        batch = collate([ds[0]], ds.sfreq)
        out = model(batch)
        bumped = batch.hrf_sources.reshape(1, 3, nb, 1284).clone()
        bumped[..., 0] += 5.0
        batch.hrf_sources = bumped.reshape(1, 3, -1)
        changed = (model(batch) - out).abs()[0]
    adjacency = (load_fsaverage("ico3").normalized_adjacency.to_dense() != 0).float() + torch.eye(1284)
    reach = torch.linalg.matrix_power(adjacency, cfg.n_layers)[0] > 0
    assert float(changed[:, 0].min()) > 0
    assert float(changed[:, ~reach].max()) == 0.0


def test_a_source_model_saves_its_inverse_and_reads_new_recordings_through_it(tmp_path):
    sim, imaging, p = prepared_with_sources()
    cfg = ModelConfig.for_recording(p, window=4.0, latent_dim=8, hidden_dim=8, temporal_hidden=8, n_filters=2,
                                    n_spatial=4, temporal="none")
    model = NeuralFramesModel(cfg, load_fsaverage("ico3")).eval()
    init_from_ridge(model, [p])
    model.source_imaging = imaging
    restored = NeuralFramesModel.load(model.save(tmp_path / "m.pt"))
    np.testing.assert_array_equal(restored.source_imaging.kernel, imaging.kernel)
    assert restored.source_imaging.ch_names == imaging.ch_names and restored.source_imaging.method == "eLORETA"
    again = prepare_session(sim, imaging=restored.source_imaging)
    np.testing.assert_array_equal(again.hrf_sources, p.hrf_sources)
    np.testing.assert_allclose(reconstruct_session(restored, again), reconstruct_session(model, p), atol=1e-6)
    with pytest.raises(ValueError, match=r"imaging=model.source_imaging"):
        reconstruct_session(restored, prepare_session(sim))


def test_the_diffusion_recipe_fits_its_autoencoder_then_trains_seeded():
    from neuroframes_edu.nn import EEGDiffusionModel

    cfg = TrainConfig(epochs=2, batch_size=4, n_frames=5, progress=False, seed=2)
    small = dict(frame_latent_dim=16, width=16, depth=1, heads=2, n_steps=50)
    eeg = dict(latent_dim=8, n_filters=2, n_spatial=4)
    m1, r1 = train_diffusion([prepared(1)], [prepared(2)], config=cfg, eeg_options=eeg, **small)
    m2, _ = train_diffusion([prepared(1)], [prepared(2)], config=cfg, eeg_options=eeg, **small)
    assert isinstance(m1, EEGDiffusionModel) and m1.config.eeg.mesh == "ico3" and m1.config.frame_latent_dim == 16
    assert 0 < r1.autoencoder < 1 and len(r1.history) == 2 and np.isfinite(r1.start_val_loss)
    for (name, a), (_, b) in zip(m1.state_dict().items(), m2.state_dict().items(), strict=True):
        assert torch.equal(a, b), name
    # the autoencoder stays as fitted: PCA of the training frames
    frames = prepared(1).bold[prepared(1).valid]
    assert m1.autoencoder.reconstruction_error(frames) == pytest.approx(1 - r1.autoencoder, abs=1e-4)
    with pytest.raises(ValueError, match="autoencoder must be 'pca' or 'gradient'"):
        train_diffusion([prepared(1)], [prepared(2)], config=cfg, autoencoder="svd")


def test_diffusion_tokens_start_as_the_ridge_and_sessions_are_sampled_window_by_window():
    from neuroframes_edu.baselines import RidgeFingerprint
    from neuroframes_edu.training import ridge_factors, sample_session

    train, val, test = prepared(1), prepared(2), prepared(3)
    cfg = TrainConfig(epochs=1, batch_size=4, n_frames=5, progress=False)
    x = train.hrf_at(train.times[train.valid])
    ridge = RidgeFingerprint().fit(x, train.bold[train.valid])
    model, _ = train_diffusion([train], [val], config=TrainConfig(epochs=0, progress=False), ridge=ridge,
                               eeg_options=dict(latent_dim=8), frame_latent_dim=16, width=16, depth=1, heads=2,
                               n_steps=50)
    assert not model.reads_eeg and model.encoder is None
    encode, decode = ridge_factors(ridge, 8)
    torch.testing.assert_close(model.token_map.weight, torch.as_tensor(encode, dtype=torch.float32))
    assert decode.shape == (1284, 8)
    # at full rank the two factors multiply back to the ridge's weights (in units of the unscaled features)
    encode, decode = ridge_factors(ridge, x.shape[1])
    np.testing.assert_allclose(encode.T @ decode.T, ridge.model_[-1].coef_.T / ridge.model_[0].scale_[:, None],
                               atol=1e-6)
    model, _ = train_diffusion([train], [val], config=cfg, eeg_options=dict(latent_dim=8), frame_latent_dim=16,
                               width=16, depth=1, heads=2, n_steps=50)
    samples = sample_session(model, test, n_samples=2, steps=4, n_frames=5, seed=1)
    assert samples.shape == (2, len(test.times), 1284)
    assert np.isfinite(samples[:, test.usable]).all() and np.isnan(samples[:, ~test.usable.astype(bool)
                                                                           & (test.times < 4.0)]).all()
    np.testing.assert_array_equal(samples, sample_session(model, test, n_samples=2, steps=4, n_frames=5, seed=1))
    known = test.usable & (np.arange(len(test.times)) % 2 == 0)
    completed = sample_session(model, test, known=known, measured=np.nan_to_num(test.bold), steps=4, n_frames=5,
                               exact=True)[0]
    np.testing.assert_array_equal(completed[known], test.bold[known].astype(np.float32))
    with pytest.raises(ValueError, match="measured= needs known="):
        sample_session(model, test, measured=test.bold)
