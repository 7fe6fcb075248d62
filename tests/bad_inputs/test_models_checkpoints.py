"""Checkpoints and training settings: a user's file is never replaced unless asked, a checkpoint holds
only what it can load back, and wrong settings are named before any training (issue 14)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import torch

from neuroframes_edu.nn import ModelConfig, NeuralFramesModel
from neuroframes_edu.surface import load_fsaverage


def model():
    cfg = ModelConfig(n_channels=4, sfreq=100.0, n_vertices=1284, mesh="ico3", window=4.0, latent_dim=8, hidden_dim=8,
                      temporal_hidden=8, n_filters=2, n_spatial=4)
    return NeuralFramesModel(cfg, load_fsaverage("ico3"))


def test_save_refuses_to_replace_a_users_file(tmp_path):
    notes = tmp_path / "results.csv"
    notes.write_text("subject,r\n1,0.5\n")
    with pytest.raises(FileExistsError, match="results.csv already exists; pass overwrite=True"):
        model().save(notes)
    assert notes.read_text() == "subject,r\n1,0.5\n"
    with pytest.raises(IsADirectoryError, match="is a folder"):
        model().save(tmp_path)
    path = model().save(tmp_path / "model.pt")
    with pytest.raises(FileExistsError, match="model.pt already exists"):
        model().save(path)
    model().save(path, overwrite=True)  # asked: replaced
    assert NeuralFramesModel.load(path).config.latent_dim == 8


def test_the_diffusion_model_follows_the_same_policy(tmp_path):
    from neuroframes_edu.nn import DiffusionConfig, EEGDiffusionModel

    diffusion = EEGDiffusionModel(DiffusionConfig(eeg=model().config, frame_latent_dim=4, width=8, depth=1, heads=2))
    (tmp_path / "lab_notes.txt").write_text("keep me")
    with pytest.raises(FileExistsError, match="lab_notes.txt already exists"):
        diffusion.save(tmp_path / "lab_notes.txt")
    assert (tmp_path / "lab_notes.txt").read_text() == "keep me"


def test_numpy_values_in_extra_are_stored_as_what_load_reads(tmp_path):
    extra = {"val_loss": np.float64(0.5), "epoch": np.int64(3), "flags": np.array([True, False]),
             "history": [np.float32(0.9), 0.8], "where": Path("runs/1"), "nested": {"lr": np.float32(3e-4)},
             "name": np.str_("run 1")}
    path = model().save(tmp_path / "m.pt", extra=extra)
    loaded = NeuralFramesModel.load(path).checkpoint_extra
    assert loaded["val_loss"] == 0.5 and type(loaded["val_loss"]) is float
    assert loaded["epoch"] == 3 and type(loaded["epoch"]) is int
    assert torch.equal(loaded["flags"], torch.tensor([True, False]))
    assert loaded["where"] == "runs/1" and loaded["nested"]["lr"] == pytest.approx(3e-4)
    assert loaded["name"] == "run 1" and type(loaded["name"]) is str


@pytest.mark.parametrize(("extra", "error", "message"), [
    ({"model": object()}, TypeError, "extra\\['model'\\] is a object, which a checkpoint cannot store safely"),
    ({"runs": [1, {2, 3}]}, TypeError, "extra\\['runs'\\]\\[1\\] is a set"),
    ({"names": np.array(["a", None], dtype=object)}, TypeError, "extra\\['names'\\] is an array of Python objects"),
    ({(1, 2): 3}, TypeError, "extra has the key \\(1, 2\\)"),
    ([("epoch", 3)], TypeError, "extra must be dict or None, got list"),
])
def test_save_refuses_what_load_could_not_read_before_writing(tmp_path, extra, error, message):
    with pytest.raises(error, match=message):
        model().save(tmp_path / "m.pt", extra=extra)
    assert not (tmp_path / "m.pt").exists()


@pytest.mark.parametrize(("kwargs", "error", "message"), [
    ({"lr": "fast"}, TypeError, "lr must be a real number, got str 'fast'"),
    ({"lr": 0.0}, ValueError, "lr must be > 0, got 0"),
    ({"lr": float("nan")}, ValueError, "lr must be a finite number"),
    ({"epochs": 2.5}, TypeError, "epochs must be an integer, got float 2.5"),
    ({"epochs": -1}, ValueError, "epochs must be an integer ≥ 0, got -1"),
    ({"batch_size": 0}, ValueError, "batch_size must be an integer ≥ 1, got 0"),
    ({"n_frames": "10"}, TypeError, "n_frames must be an integer, got str"),
    ({"patience": 0}, ValueError, "patience must be an integer ≥ 1"),
    ({"stride": 0}, ValueError, "stride must be an integer ≥ 1, got 0"),
    ({"stride": 2.0}, TypeError, "stride must be an integer, got float"),
    ({"weight_decay": -0.1}, ValueError, "weight_decay must be ≥ 0"),
    ({"grad_clip": 0}, ValueError, "grad_clip must be > 0"),
    ({"seed": 1.0}, TypeError, "seed must be an integer"),
    ({"amp": "yes"}, TypeError, "amp must be bool, got str 'yes'"),
    ({"overwrite": 1}, TypeError, "overwrite must be bool, got int 1"),
    ({"device": 0}, TypeError, "device must be str or None, got int 0; use \"auto\""),
    ({"checkpoint": 5}, TypeError, "checkpoint must be str, PathLike or None, got int 5"),
])
def test_train_config_names_each_wrong_setting(kwargs, error, message):
    from neuroframes_edu.training import TrainConfig

    with pytest.raises(error, match=message):
        TrainConfig(**kwargs)


def test_fit_refuses_an_existing_checkpoint_before_training(tmp_path):
    from neuroframes_edu.simulate import SimulationConfig, simulate_session
    from neuroframes_edu.training import TrainConfig, fit, prepare_session

    sims = [simulate_session(SimulationConfig(mesh="ico3", duration=30.0, sfreq=100.0), seed=0, subject=1, session=s)
            for s in (1, 2)]
    train, val = (prepare_session(s) for s in sims)
    net = NeuralFramesModel(model().config.__class__(**{**model().config.__dict__, "n_channels": train.eeg.shape[0],
                                                        "ch_names": tuple(train.ch_names)}), load_fsaverage("ico3"))
    user = tmp_path / "notes.csv"
    user.write_text("x")
    with pytest.raises(FileExistsError, match="checkpoint .*notes.csv already exists; pass overwrite=True"):
        fit(net, [train], [val], TrainConfig(epochs=1, checkpoint=str(user), progress=False))
    assert user.read_text() == "x"
