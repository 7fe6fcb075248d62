"""The model, one idea per module (shapes: ``B`` batch, ``F`` frames, ``C`` EEG channels, ``S`` EEG
samples, ``R`` feature-rate steps, ``V`` vertices, ``D`` latent size):

* :mod:`~neuroframes_edu.nn.encoder` — :class:`EEGEncoder`, ``(B, C, S) → (B, F, D)``, and
  :func:`filter_responses`, what its learned filters pass, and :func:`hrf_regressors`;
* :mod:`~neuroframes_edu.nn.temporal` — :class:`TemporalCoherence`, ``(B, F, D) → (B, F, D)``, and
  :func:`smoothness_penalty`;
* :mod:`~neuroframes_edu.nn.decoder` — :class:`SurfaceDecoder` (torch-geometric graph convolutions on
  the cortex), ``(B, F, D) → (B, F, V)``;
* :mod:`~neuroframes_edu.nn.config` — :class:`ModelConfig` and its recipe ``ModelConfig.for_recording``;
* :mod:`~neuroframes_edu.nn.model` — :class:`NeuralFramesModel` (all of it), :class:`FrameBatch`,
  checkpoints;
* :mod:`~neuroframes_edu.nn.summary` — :func:`layer_table`, each module's output shape and parameters
  from one forward pass (drawn by :func:`neuroframes_edu.plotting.plot_architecture`).

The paper's latent diffusion model (``K`` frames per window, ``L`` frame-latent size):

* :mod:`~neuroframes_edu.nn.autoencoder` — :class:`LinearFrameAutoencoder`, ``(…, V) ↔ (…, L)``;
* :mod:`~neuroframes_edu.nn.schedule` — :class:`NoiseSchedule`, :func:`ddim_sample` (with a
  correction such as the null-space projection at every step), :func:`ddnm_plus_weight`;
* :mod:`~neuroframes_edu.nn.denoiser` — :class:`FrameDenoiser` (a DiT with cross-attention to EEG
  tokens), ``(B, K, L) → (B, K, L)``;
* :mod:`~neuroframes_edu.nn.diffusion` — :class:`DiffusionConfig`, :class:`EEGDiffusionModel`.

Introduced in notebooks 03 (encoder), 04 (decoder), 06 (coherence), 07 (the full model) and 09 (the
diffusion model).
"""

from neuroframes_edu.nn.autoencoder import LinearFrameAutoencoder
from neuroframes_edu.nn.config import ModelConfig
from neuroframes_edu.nn.decoder import SurfaceConv, SurfaceDecoder, propagate_sparse
from neuroframes_edu.nn.denoiser import DiTBlock, FrameDenoiser
from neuroframes_edu.nn.diffusion import DiffusionConfig, EEGDiffusionModel
from neuroframes_edu.nn.encoder import EEGEncoder, filter_responses, hrf_regressors
from neuroframes_edu.nn.model import FrameBatch, NeuralFramesModel, check_frame_batch, count_parameters
from neuroframes_edu.nn.schedule import NoiseSchedule, ddim_sample, ddnm_plus_weight
from neuroframes_edu.nn.summary import layer_table
from neuroframes_edu.nn.temporal import TEMPORAL_KINDS, TemporalCoherence, smoothness_penalty

__all__ = [
    "TEMPORAL_KINDS",
    "DiTBlock",
    "DiffusionConfig",
    "EEGDiffusionModel",
    "EEGEncoder",
    "FrameBatch",
    "FrameDenoiser",
    "LinearFrameAutoencoder",
    "ModelConfig",
    "NeuralFramesModel",
    "NoiseSchedule",
    "SurfaceConv",
    "SurfaceDecoder",
    "TemporalCoherence",
    "check_frame_batch",
    "count_parameters",
    "ddim_sample",
    "ddnm_plus_weight",
    "filter_responses",
    "hrf_regressors",
    "layer_table",
    "propagate_sparse",
    "smoothness_penalty",
]
