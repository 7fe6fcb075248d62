"""Training and inference: recordings → prepared sessions → windows of frames → the model.

* :mod:`~neuroframes_edu.training.prepare` — :func:`prepare_session` (a Recording → standardised
  EEG, band power, z-scored BOLD) and :class:`PreparedSession`;
* :mod:`~neuroframes_edu.training.windows` — :class:`WindowDataset` and :func:`collate`;
* :mod:`~neuroframes_edu.training.fit` — :func:`fit`, :func:`init_from_ridge`, :func:`train_model`,
  :func:`train_diffusion`;
* :mod:`~neuroframes_edu.training.inference` — :func:`reconstruct_session`, :func:`sample_session`;
* ``python -m neuroframes_edu.training`` — the ``torchrun`` entry point.

Introduced in notebook 07.
"""

from neuroframes_edu.training.fit import (
    TrainConfig,
    TrainResult,
    check_held_out,
    evaluate_loss,
    fit,
    init_from_ridge,
    masked_mse,
    ridge_factors,
    seed_everything,
    train_diffusion,
    train_model,
)
from neuroframes_edu.training.inference import reconstruct_session, sample_session
from neuroframes_edu.training.prepare import PreparedSession, prepare_session
from neuroframes_edu.training.windows import WindowDataset, collate

__all__ = [
    "PreparedSession",
    "TrainConfig",
    "TrainResult",
    "WindowDataset",
    "check_held_out",
    "collate",
    "evaluate_loss",
    "fit",
    "init_from_ridge",
    "masked_mse",
    "prepare_session",
    "reconstruct_session",
    "ridge_factors",
    "sample_session",
    "seed_everything",
    "train_diffusion",
    "train_model",
]
