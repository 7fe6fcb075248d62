"""Configuration objects name the field, the value and what it should be — wrong kinds included,
which used to end in a comparison error deep inside (issue 14)."""

from __future__ import annotations

import pytest

from neuroframes_edu.nn import DiffusionConfig, ModelConfig
from neuroframes_edu.simulate import SimulationConfig

BASE = {"n_channels": 8, "sfreq": 100.0, "n_vertices": 1284, "mesh": "ico3"}


@pytest.mark.parametrize(("kwargs", "error", "message"), [
    ({"hidden_dim": "32"}, TypeError, "ModelConfig.hidden_dim must be an integer, got str '32'"),
    ({"latent_dim": 2.5}, TypeError, "ModelConfig.latent_dim must be an integer, got float 2.5"),
    ({"n_layers": True}, TypeError, "ModelConfig.n_layers must be an integer, got bool"),
    ({"latent_dim": 0}, ValueError, "ModelConfig.latent_dim must be an integer ≥ 1, got 0"),
    ({"hidden_dim": -3}, ValueError, "ModelConfig.hidden_dim must be an integer ≥ 1, got -3"),
    ({"n_spatial": 0}, ValueError, "ModelConfig.n_spatial must be an integer ≥ 1, got 0"),
    ({"readout_smoothing": -1}, ValueError, "ModelConfig.readout_smoothing must be an integer ≥ 0, got -1"),
    ({"n_filters": -1}, ValueError, "ModelConfig.n_filters must be an integer ≥ 0, got -1"),
    ({"sfreq": "100"}, TypeError, "ModelConfig.sfreq must be a real number, got str '100'"),
    ({"window": 0.0}, ValueError, "ModelConfig.window must be > 0"),
    ({"dropout": "0.1"}, TypeError, "ModelConfig.dropout must be a real number"),
    ({"temporal": None}, TypeError, "ModelConfig.temporal must be str, got NoneType"),
    ({"kernel_seconds": 0.1}, TypeError, "ModelConfig.kernel_seconds must be tuple or list, got float 0.1; e.g."),
    ({"kernel_seconds": ()}, ValueError, "kernel_seconds must list at least one"),
    ({"kernel_seconds": (0.1, -0.2)}, ValueError, "kernel_seconds\\[…\\] must be > 0"),
    ({"ch_names": "Fz"}, TypeError, "ModelConfig.ch_names must be tuple, list or None, got str"),
    ({"cheb_k": 0}, ValueError, "ModelConfig.cheb_k must be an integer ≥ 1"),
    ({"n_sources": 5}, ValueError, "ModelConfig.n_sources must be 0 \\(no source input\\) or n_vertices=1284"),
])
def test_model_config_names_the_field(kwargs, error, message):
    with pytest.raises(error, match=message):
        ModelConfig(**{**BASE, **kwargs})


@pytest.mark.parametrize(("kwargs", "error", "message"), [
    ({"duration": "60"}, TypeError, "SimulationConfig.duration must be a real number, got str '60'"),
    ({"tr": "0.8"}, TypeError, "SimulationConfig.tr must be a real number, got str"),
    ({"tr": 0.0}, ValueError, "SimulationConfig.tr must be > 0"),
    ({"missing_fraction": 0.5, "corrupted_fraction": 0.5}, ValueError,
     "missing_fraction \\+ corrupted_fraction must be below 0.9 .*got 0.5 \\+ 0.5"),
    ({"eeg_noise": -1.0}, ValueError, "SimulationConfig.eeg_noise must be ≥ 0, got -1"),
    ({"spontaneous_sd": -1.0}, ValueError, "SimulationConfig.spontaneous_sd must be ≥ 0, got -1"),
    ({"background_1f": float("nan")}, ValueError, "SimulationConfig.background_1f must be a finite number"),
    ({"source_density": 0.0}, ValueError, "SimulationConfig.source_density must be > 0"),
    ({"mesh": "ico9"}, ValueError, "SimulationConfig.mesh must be one of \\('ico3', 'ico4', 'ico5', 'fslr32k'"),
    ({"mesh": "ICO3"}, ValueError, "did you mean 'ico3'"),
    ({"mesh": 3}, TypeError, "SimulationConfig.mesh must be str, got int 3"),
    ({"frames_per_tr": 2.0}, TypeError, "SimulationConfig.frames_per_tr must be an integer, got float"),
    ({"n_spontaneous_modes": -1}, ValueError, "n_spontaneous_modes must be an integer ≥ 0"),
    ({"scene_duration": 4.0}, TypeError, "SimulationConfig.scene_duration must be tuple or list"),
    ({"scene_duration": (12.0, 4.0)}, ValueError, "scene_duration must be \\(min, max\\) with min ≤ max"),
    ({"scene_duration": (4.0,)}, ValueError, "scene_duration must be \\(min, max\\) seconds"),
    ({"physio_fraction": 1.5}, ValueError, "SimulationConfig.physio_fraction must be in \\[0, 1\\], got 1.5"),
    ({"hemodynamics": 1}, TypeError, "SimulationConfig.hemodynamics must be str"),
    ({"montage": None}, TypeError, "SimulationConfig.montage must be str, got NoneType"),
])
def test_simulation_config_names_the_field_and_its_value(kwargs, error, message):
    with pytest.raises(error, match=message):
        SimulationConfig(**kwargs)


@pytest.mark.parametrize(("kwargs", "error", "message"), [
    ({"dropout": "0.1"}, TypeError, "DiffusionConfig.dropout must be a real number, got str"),
    ({"beta_end": None}, TypeError, "DiffusionConfig.beta_end must be a real number, got NoneType"),
    ({"tokens": 1}, TypeError, "DiffusionConfig.tokens must be str"),
    ({"heads": 3}, ValueError, "DiffusionConfig.heads must be an int ≥ 1 dividing width=128"),
])
def test_diffusion_config_names_the_field(kwargs, error, message):
    with pytest.raises(error, match=message):
        DiffusionConfig(eeg=ModelConfig(**BASE), **kwargs)
