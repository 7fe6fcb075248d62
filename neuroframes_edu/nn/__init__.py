"""The model, one idea per module (shapes: ``B`` batch, ``F`` frames, ``C`` EEG channels, ``S`` EEG
samples, ``R`` feature-rate steps, ``V`` vertices, ``D`` latent size):

* :mod:`~neuroframes_edu.nn.encoder` — :class:`EEGEncoder`, ``(B, C, S) → (B, F, D)``;
* :mod:`~neuroframes_edu.nn.temporal` — :class:`TemporalCoherence`, ``(B, F, D) → (B, F, D)``, and
  :func:`smoothness_penalty`;
* :mod:`~neuroframes_edu.nn.decoder` — :class:`SurfaceDecoder` (torch-geometric graph convolutions on
  the cortex), ``(B, F, D) → (B, F, V)``;
* :mod:`~neuroframes_edu.nn.config` — :class:`ModelConfig` and its recipe ``ModelConfig.for_recording``;
* :mod:`~neuroframes_edu.nn.model` — :class:`NeuralFramesModel` (all of it), :class:`FrameBatch`,
  checkpoints.

Introduced in notebooks 03 (encoder), 04 (decoder), 06 (coherence) and 07 (the full model).
"""

from neuroframes_edu.nn.config import ModelConfig
from neuroframes_edu.nn.decoder import SurfaceConv, SurfaceDecoder, propagate_sparse
from neuroframes_edu.nn.encoder import EEGEncoder
from neuroframes_edu.nn.model import FrameBatch, NeuralFramesModel, count_parameters
from neuroframes_edu.nn.temporal import TEMPORAL_KINDS, TemporalCoherence, smoothness_penalty

__all__ = [
    "TEMPORAL_KINDS",
    "EEGEncoder",
    "FrameBatch",
    "ModelConfig",
    "NeuralFramesModel",
    "SurfaceConv",
    "SurfaceDecoder",
    "TemporalCoherence",
    "count_parameters",
    "propagate_sparse",
    "smoothness_penalty",
]
