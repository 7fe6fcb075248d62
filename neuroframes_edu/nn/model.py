"""The full model: EEG → frame latents → temporal coherence → surface graph decoder, with its
inputs (:class:`FrameBatch`), input checks and checkpoints.

The model predicts; :mod:`neuroframes_edu.nullspace` completes the prediction against whatever frames
were measured (:func:`~neuroframes_edu.nullspace.complete_known`).

Introduced in notebook 07.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import torch
from torch import nn

from neuroframes_edu.data.alignment import WINDOW_TOLERANCE
from neuroframes_edu.nn.config import ModelConfig
from neuroframes_edu.nn.decoder import SurfaceDecoder
from neuroframes_edu.nn.encoder import EEGEncoder
from neuroframes_edu.nn.temporal import TemporalCoherence, smoothness_penalty
from neuroframes_edu.surface import CorticalMesh


@dataclass
class FrameBatch:
    """One batch of model inputs (and, for training, targets).

    Attributes
    ----------
    eeg : tensor, shape (B, C, S)
        Standardised EEG segments, each starting ``window`` seconds before its first frame.
    bands : tensor, shape (B, n_bands · C, R)
        Standardised log band power of the same segments at ``feature_rate``.
    hrf_bands : tensor, shape (B, F, n_bands · C)
        HRF-convolved band power at each frame.
    frame_times : tensor, shape (B, F)
        Seconds from each segment's start to each frame (≥ ``window``).
    sfreq : float
        EEG sampling rate of ``eeg``.
    target : tensor, shape (B, F, V), optional
        z-scored BOLD at the frames.
    valid : tensor of bool, shape (B, F), optional
        Frames whose target counts in the loss.
    hrf_sources : tensor, shape (B, F, n_bands · n_sources), optional
        HRF-convolved band power of the cortical sources at each frame (band-major), for models with
        ``config.n_sources > 0``.
    """

    eeg: torch.Tensor
    bands: torch.Tensor
    hrf_bands: torch.Tensor
    frame_times: torch.Tensor
    sfreq: float
    target: torch.Tensor | None = None
    valid: torch.Tensor | None = None
    extras: dict = field(default_factory=dict)
    hrf_sources: torch.Tensor | None = None

    def to(self, device) -> FrameBatch:
        moved = {k: (v.to(device) if isinstance(v, torch.Tensor) else v) for k, v in self.__dict__.items()}
        return FrameBatch(**moved)


def masked_mse(pred: torch.Tensor, target: torch.Tensor, valid: torch.Tensor) -> torch.Tensor:
    """MSE over frames flagged valid; ``pred``/``target`` ``(B, F, V)``, ``valid`` ``(B, F)``."""
    w = valid[..., None].to(pred.dtype)
    return ((pred - target) ** 2 * w).sum() / (w.sum() * pred.shape[-1]).clamp_min(1.0)


def check_frame_batch(c: ModelConfig, batch: FrameBatch) -> None:
    """Raise a clear error for a batch that a model configured by ``c`` was not built for."""
    if batch.eeg.ndim != 3:
        raise ValueError(f"eeg must be (batch, channels, samples), got shape {tuple(batch.eeg.shape)}")
    if batch.eeg.shape[1] != c.n_channels:
        raise ValueError(f"eeg has {batch.eeg.shape[1]} channels but the model was built for {c.n_channels} "
                         "(model.config.n_channels); re-create the model or pick channels with raw.pick(...)")
    if float(batch.sfreq) != float(c.sfreq):
        raise ValueError(f"eeg is sampled at {batch.sfreq} Hz but the model was built for {c.sfreq} Hz "
                         f"(model.config.sfreq); resample with raw.resample({c.sfreq})")
    if batch.bands.shape[1] != c.n_band_features:
        raise ValueError(f"bands has {batch.bands.shape[1]} features, expected {c.n_band_features} "
                         f"({len(c.bands)} bands × {c.n_channels} channels)")
    if c.n_sources:
        if batch.hrf_sources is None:
            raise ValueError("the model reads source band power (model.config.n_sources="
                             f"{c.n_sources}) but the batch has none; prepare the sessions with "
                             "prepare_session(recording, imaging=model.source_imaging)")
        expected = (*batch.frame_times.shape, c.n_source_features)
        if tuple(batch.hrf_sources.shape) != expected:
            raise ValueError(f"hrf_sources has shape {tuple(batch.hrf_sources.shape)}, expected {expected} "
                             f"(batch, frames, {len(c.bands)} bands × {c.n_sources} sources)")
    for name in ("eeg", "bands", "hrf_bands", "frame_times", *(("hrf_sources",) if c.n_sources else ())):
        t = getattr(batch, name)
        if not torch.isfinite(t).all():
            raise ValueError(f"{name} contains NaN or infinite values; clean the recording first")
    expected = (*batch.frame_times.shape, c.n_band_features)
    if tuple(batch.hrf_bands.shape) != expected:
        raise ValueError(f"hrf_bands has shape {tuple(batch.hrf_bands.shape)}, expected {expected} (batch, frames, "
                         f"{len(c.bands)} bands × {c.n_channels} channels)")
    if (batch.frame_times < c.window - WINDOW_TOLERANCE).any():
        raise ValueError(f"every frame needs {c.window} s of EEG before it (model.config.window); the earliest "
                         f"frame is at {float(batch.frame_times.min()):.2f} s into its segment")


class NeuralFramesModel(nn.Module):
    """EEG-conditioned reconstruction of cortical fMRI frames.

    ``FrameBatch → x_pred (B, F, V)``: the network's prediction, which
    :mod:`neuroframes_edu.nullspace` completes against measured frames.
    """

    def __init__(self, config: ModelConfig, mesh: CorticalMesh):
        super().__init__()
        from neuroframes_edu._utils.validation import check_type

        check_type(config, ModelConfig, "config", hint="e.g. ModelConfig.for_recording(rec)")
        check_type(mesh, CorticalMesh, "mesh", hint=f"load it with load_mesh({config.mesh!r})")
        if mesh.n_vertices != config.n_vertices:
            raise ValueError(f"mesh {mesh.name!r} has {mesh.n_vertices} vertices but config.n_vertices is "
                             f"{config.n_vertices}; build the config for this mesh")
        self.config = config
        #: The EEG inverse (:class:`~neuroframes_edu.sources.SourceImaging`) whose source band power the
        #: model reads, for models with ``config.n_sources``; saved with the checkpoint. Prepare new data
        #: with ``prepare_session(recording, imaging=model.source_imaging)``.
        self.source_imaging = None
        self.encoder = EEGEncoder(config)
        self.temporal = TemporalCoherence(config.latent_dim, config.temporal_hidden, config.temporal, config.dropout)
        self.decoder = SurfaceDecoder(mesh, config.latent_dim, config.hidden_dim, config.n_layers,
                                      config.vertex_embed_dim, config.conv, config.propagation, config.cheb_k,
                                      config.dropout, config.readout_smoothing,
                                      n_vertex_inputs=len(config.bands) if config.n_sources else 0)

    @property
    def input_config(self) -> ModelConfig:
        """What data the model reads (channels, bands, window, sources): its configuration."""
        return self.config

    def check_batch(self, batch: FrameBatch) -> None:
        """Raise a clear error for inputs the model was not built for."""
        check_frame_batch(self.config, batch)

    def loss(self, x_pred: torch.Tensor, batch: FrameBatch, smoothness: float = 0.0) -> torch.Tensor:
        """The training objective: MSE over the valid frames, plus ``smoothness`` × the mean squared
        second difference of the prediction across frames (:func:`~neuroframes_edu.nn.smoothness_penalty`)."""
        loss = masked_mse(x_pred.float(), batch.target, batch.valid)
        return loss + smoothness_penalty(x_pred.float(), smoothness) if smoothness else loss

    def forward(self, batch: FrameBatch) -> torch.Tensor:
        """Predict frames from EEG: ``FrameBatch → x_pred (B, F, V)``.

        Measured frames are kept by completing this prediction with
        :func:`neuroframes_edu.nullspace.complete_known` (a frame mask) or any
        :class:`~neuroframes_edu.nullspace.MeasurementOperator`'s ``project``.
        """
        self.check_batch(batch)
        sources = batch.hrf_sources if self.config.n_sources else None
        latents = self.encoder(batch.eeg, batch.bands, batch.hrf_bands, batch.frame_times, sources)
        latents = self.temporal(latents)
        if sources is not None:  # (B, F, n_bands·V) → per vertex (B, F, V, n_bands)
            b, f, _ = sources.shape
            sources = sources.reshape(b, f, len(self.config.bands), self.config.n_sources).transpose(2, 3)
        return self.decoder(latents, sources)

    # -------------------------------------------------------------- checkpoints
    def save(self, path: str | Path, extra: dict | None = None, overwrite: bool = False) -> Path:
        """Save the weights with the config (atomically), loadable with ``weights_only=True``.

        ``extra``: anything to keep beside them (numbers, strings, lists, dicts, arrays; numpy scalars
        and arrays are stored as Python numbers and tensors). An existing ``path`` is replaced only with
        ``overwrite=True``.
        """
        return write_checkpoint(self, path, MODEL_FORMAT, extra, overwrite)

    @classmethod
    def load(cls, path: str | Path, mesh: CorticalMesh | None = None, map_location="cpu") -> NeuralFramesModel:
        """Load a checkpoint written by :meth:`save` (``torch.load(..., weights_only=True)``).

        Raises
        ------
        FileNotFoundError
            If the file does not exist.
        ValueError
            If the file is not a neuroframes-edu checkpoint, is corrupt, or ``mesh`` does not match.
        """
        from neuroframes_edu.surface import load_mesh

        payload = read_checkpoint(path, MODEL_FORMAT, map_location)
        config = ModelConfig.from_dict(payload["config"])
        return restore_checkpoint(cls(config, mesh or load_mesh(config.mesh)), payload, path)


#: The ``format`` field of each kind of checkpoint the library writes.
MODEL_FORMAT = "neuroframes-edu model"
DIFFUSION_FORMAT = "neuroframes-edu diffusion model"
_LOADERS = {MODEL_FORMAT: "NeuralFramesModel.load", DIFFUSION_FORMAT: "EEGDiffusionModel.load"}


def _storable(value, where: str):
    """``value`` in the types ``torch.load(..., weights_only=True)`` reads back (numpy scalars → Python
    numbers, arrays → tensors, paths → strings), or a TypeError naming where it sits."""
    import os

    import numpy as np

    if isinstance(value, np.generic):  # first: np.float64 and np.str_ are also float and str
        return value.item()
    if value is None or isinstance(value, (bool, int, float, str, torch.Tensor)):
        return value
    if isinstance(value, np.ndarray):
        if value.dtype == object:
            raise TypeError(f"{where} is an array of Python objects, which a checkpoint cannot store safely; convert "
                            "it to numbers or strings first")
        return torch.from_numpy(np.array(value))
    if isinstance(value, os.PathLike):
        return os.fspath(value)
    if isinstance(value, (list, tuple)):
        return type(value)(_storable(v, f"{where}[{i}]") for i, v in enumerate(value))
    if isinstance(value, dict):
        for k in value:
            if not isinstance(k, (str, int)):
                raise TypeError(f"{where} has the key {k!r} ({type(k).__name__}); use str or int keys")
        return {k: _storable(v, f"{where}[{k!r}]") for k, v in value.items()}
    raise TypeError(f"{where} is a {type(value).__name__}, which a checkpoint cannot store safely (it is read with "
                    "weights_only=True: numbers, strings, lists, dicts, arrays and tensors); convert it first")


def write_checkpoint(model: nn.Module, path: str | Path, kind: str, extra: dict | None = None,
                     overwrite: bool = False) -> Path:
    """Write ``model``'s weights, configuration and EEG inverse (if it reads sources) atomically, in a
    file that ``torch.load(..., weights_only=True)`` reads; only what it reads back goes in ``extra``.

    Raises
    ------
    FileExistsError
        ``path`` exists and ``overwrite`` is False.
    TypeError
        ``extra`` holds something a safe load cannot read (naming where).
    """
    from neuroframes_edu._utils.atomic import atomic_file
    from neuroframes_edu._utils.validation import check_type, check_writable

    path = check_writable(path, "path", overwrite=overwrite)
    extra = _storable(check_type(extra, (dict, None), "extra"), "extra") or {}
    payload = {"format": kind, "version": 1, "config": model.config.to_dict(), "state_dict": model.state_dict(),
               "extra": extra}
    imaging = getattr(model, "source_imaging", None)
    if imaging is not None:  # the inverse the model's source input comes from travels with it
        payload["source_imaging"] = {"kernel": torch.as_tensor(imaging.kernel), "ch_names": list(imaging.ch_names),
                                     "mesh_name": imaging.mesh_name, "method": imaging.method,
                                     "lambda2": float(imaging.lambda2), "head_model": imaging.head_model}
    with atomic_file(path) as tmp:
        torch.save(payload, tmp)
    return path


def read_checkpoint(path: str | Path, kind: str, map_location="cpu") -> dict:
    """The payload of a checkpoint of ``kind`` (``weights_only=True``: a pickle payload never runs).

    Raises
    ------
    FileNotFoundError
        If the file does not exist.
    ValueError
        If it is corrupt, not a torch checkpoint, or a checkpoint of another kind (naming its loader).
    """
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"checkpoint {path} does not exist")
    try:
        payload = torch.load(path, map_location=map_location, weights_only=True)
    except Exception as exc:
        raise ValueError(f"cannot read checkpoint {path} ({type(exc).__name__}: {exc}); the file is corrupt "
                         "or not a torch checkpoint") from exc
    found = payload.get("format") if isinstance(payload, dict) else None
    if found != kind:
        raise ValueError(f"{path} is not a {kind} checkpoint"
                         + (f" (it is a {found} checkpoint: {_LOADERS[found]})" if found in _LOADERS else ""))
    return payload


def restore_checkpoint(model: nn.Module, payload: dict, path) -> nn.Module:
    """Put a checkpoint's weights, extra fields and EEG inverse into ``model`` (built from its config)."""
    try:
        model.load_state_dict(payload["state_dict"])
    except RuntimeError as exc:
        raise ValueError(f"{path} does not fit the model its config describes: {exc}") from exc
    model.checkpoint_extra = payload.get("extra", {})
    if "source_imaging" in payload:
        from neuroframes_edu.sources import SourceImaging

        info = dict(payload["source_imaging"])
        kernel, ch_names = info.pop("kernel").numpy(), tuple(info.pop("ch_names"))
        model.source_imaging = SourceImaging(kernel=kernel, ch_names=ch_names, **info)
    return model


def count_parameters(model: nn.Module) -> int:
    """Number of trainable parameters."""
    return sum(p.numel() for p in model.parameters() if p.requires_grad)

