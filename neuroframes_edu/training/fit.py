"""Training: windows of frames from held-out parts → :class:`~neuroframes_edu.nn.NeuralFramesModel`.

* :func:`fit` trains with AdamW on reconstruction + smoothness losses, validates on held-out
  recordings or held-out **parts** of one (``Recording.split``; never random frames of a training
  session: neighbouring frames share slow BOLD fluctuations, so that would leak), stops early, shows
  tqdm progress, seeds everything, picks CUDA / MPS / CPU, uses mixed precision on CUDA, and runs
  data-parallel under ``torchrun`` (DDP).
* :func:`init_from_ridge` starts the model as the reduced-rank ridge "EEG fingerprint".
* :func:`train_model` is the recipe: configuration for the recording, ridge start, training;
  :func:`train_diffusion` is the paper's diffusion model's (frame autoencoder, then noise prediction).

Introduced in notebook 07.
"""

from __future__ import annotations

import math
import os
import random
import time
import warnings
from dataclasses import dataclass

import numpy as np
import torch

from neuroframes_edu.device import select_device
from neuroframes_edu.nn.model import NeuralFramesModel, masked_mse  # noqa: F401 - masked_mse is re-exported
from neuroframes_edu.training.prepare import PreparedSession
from neuroframes_edu.training.windows import WindowDataset, collate


@dataclass
class TrainConfig:
    """Optimisation settings of :func:`fit`.

    ``lr``: the models start from a ridge solution and fine-tune it, which needs small steps. Chosen
    on the validation session of both default subjects (ico3, 5 epochs; validation loss at the start →
    best, and its epoch): a model reading the channels, subject 1: 3e-4 0.8791 → 0.8782 (2), 1e-4
    0.8780 (5), 1e-3 and 3e-3 never below the start (best epochs 0.8836 and 0.8982); subject 2: no rate
    beats the start, 3e-4 and 1e-4 stay within 0.2% of it, 3e-3 ends 4.8% above; a model reading the
    sources: see ``EvaluationConfig.lr``. Was 3e-3.

    ``stride``: volumes between the starts of consecutive training windows. The default, half a
    window (``n_frames // 2``), overlaps neighbouring windows, so that most volumes are seen twice per
    epoch, once early and once late in a window; ``stride = n_frames`` puts the windows side by side,
    seeing most volumes once in half the training steps (the course's FAST mode). Either way the last
    few volumes of a session that do not fill a window are left out; a stride above ``n_frames``
    leaves out the volumes between windows too. Validation windows never overlap.
    """

    epochs: int = 20
    batch_size: int = 8
    n_frames: int = 10
    stride: int | None = None
    lr: float = 3e-4
    weight_decay: float = 1e-2
    smoothness: float = 0.05
    patience: int = 4
    grad_clip: float = 1.0
    seed: int = 0
    device: str = "auto"
    amp: bool = True
    num_workers: int = 0
    progress: bool = True
    checkpoint: str | None = None
    overwrite: bool = False

    def __post_init__(self):
        import os

        from neuroframes_edu._utils.validation import check_int, check_number, check_type

        for name, minimum in (("epochs", 0), ("batch_size", 1), ("n_frames", 1), ("patience", 1), ("num_workers", 0)):
            check_int(getattr(self, name), name, minimum=minimum)
        check_int(self.seed, "seed")
        if self.stride is not None:
            check_int(self.stride, "stride", minimum=1)
        check_number(self.lr, "lr", minimum=0, include_minimum=False)
        for name in ("weight_decay", "smoothness"):
            check_number(getattr(self, name), name, minimum=0)
        check_number(self.grad_clip, "grad_clip", minimum=0, include_minimum=False)
        check_type(self.device, (str, None), "device", hint='use "auto", "cpu", "cuda" or "cuda:1"')
        for name in ("amp", "progress", "overwrite"):
            check_type(getattr(self, name), bool, name)
        check_type(self.checkpoint, (str, os.PathLike, None), "checkpoint")


@dataclass
class TrainResult:
    """What :func:`fit` returns."""

    history: list[dict]
    best_epoch: int  # 0: no epoch improved on the weights training started from, which are kept
    best_val_loss: float
    seconds_per_epoch: float
    device: str
    start_val_loss: float = math.nan  # the validation loss of the starting weights (e.g. the ridge start)
    autoencoder: float | list | None = None  # train_diffusion: what fitting the frame autoencoder gave


def check_held_out(train: list[PreparedSession], val: list[PreparedSession]) -> None:
    """Refuse validation data that overlaps training data in time.

    Two parts of one recording (the same ``source``) are held out from each other when their spans,
    each with the EEG window that precedes its first volume, do not overlap — as
    :meth:`~neuroframes_edu.data.Recording.split` makes them; the same recording on both sides, or
    overlapping parts, leak.

    Raises
    ------
    ValueError
        Naming the recordings that overlap.
    """
    for a in train:
        for b in val:
            if a.source == b.source and a.span[0] - a.window < b.span[1] and b.span[0] - b.window < a.span[1]:
                raise ValueError(f"{a.name!r} ({a.span[0]:.0f}–{a.span[1]:.0f} s) and {b.name!r} "
                                 f"({b.span[0]:.0f}–{b.span[1]:.0f} s) overlap in time, EEG windows included; hold "
                                 "out other recordings or parts from Recording.split, never frames of a training "
                                 "recording (they leak). If these are different recordings, give them different "
                                 "identifiers (Recording(..., session=..., run=...))")


def seed_everything(seed: int) -> None:
    """Seed Python, NumPy and torch (CPU and CUDA)."""
    from neuroframes_edu._utils.validation import check_int

    seed = check_int(seed, "seed", minimum=0, maximum=2**32 - 1)
    random.seed(seed)
    np.random.seed(seed)  # noqa: NPY002 - third-party code may still use the global state
    torch.manual_seed(seed)


def _sessions(value, name: str) -> list[PreparedSession]:
    """``value`` as a non-empty list of prepared sessions (one session alone, or raw recordings, refused
    with the fix)."""
    from neuroframes_edu._utils.validation import check_sequence, check_type

    return list(check_sequence(value, name, lambda s, item: check_type(
        s, PreparedSession, item, hint="prepare each recording first: prepare_session(rec)")))


def _distributed() -> tuple[bool, int, int]:
    import torch.distributed as dist

    if dist.is_available() and dist.is_initialized():
        return True, dist.get_rank(), dist.get_world_size()
    return False, 0, 1


def fit(model: NeuralFramesModel, train: list[PreparedSession], val: list[PreparedSession],
        config: TrainConfig | None = None) -> TrainResult:
    """Train ``model`` on ``train`` sessions, validating on held-out ``val`` sessions.

    Any model with the course's interface trains here: ``model.input_config`` (the data it reads),
    ``model(batch)`` and ``model.loss(output, batch, smoothness)`` — the course's
    :class:`~neuroframes_edu.nn.NeuralFramesModel` (masked MSE) and the paper's
    :class:`~neuroframes_edu.nn.EEGDiffusionModel` (noise prediction).

    Under ``torchrun`` (an initialised process group) the model is wrapped in
    ``DistributedDataParallel`` and each process trains on its share of the windows; rank 0 reports
    and saves. Best weights (lowest validation loss) are restored at the end; the weights training
    starts from count as epoch 0, so a warm-started model (:func:`init_from_ridge`) that no epoch
    improves on the validation sessions comes back as it started (``best_epoch == 0``) rather than
    worse.

    Returns
    -------
    TrainResult
    """
    from tqdm.auto import tqdm

    config = config or TrainConfig()
    train, val = _sessions(train, "train"), _sessions(val, "val")
    if config.checkpoint:  # refuse to replace a file before training, not after it
        from neuroframes_edu._utils.validation import check_writable

        check_writable(config.checkpoint, "checkpoint", overwrite=config.overwrite)
    check_held_out(train, val)
    train = [s.matched_to(model.input_config) for s in train]
    val = [s.matched_to(model.input_config) for s in val]
    seed_everything(config.seed)
    distributed, rank, _ = _distributed()
    device = select_device(config.device)
    if distributed and device.type == "cuda":
        device = torch.device("cuda", int(os.environ.get("LOCAL_RANK", 0)))
    model.to(device)
    net = model
    if distributed:
        # the mesh buffers are identical on every rank by construction (and sparse, which DDP cannot broadcast).
        # torch 2.13 deprecates broadcast_buffers for forward_sync_buffers, which would still sync the buffers
        # once at start; its warning itself says to keep broadcast_buffers=False until that can be turned off.
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message="`broadcast_buffers` is deprecated", category=FutureWarning)
            net = torch.nn.parallel.DistributedDataParallel(
                model, device_ids=[device.index] if device.type == "cuda" else None, broadcast_buffers=False)
    window = model.input_config.window
    eeg = getattr(model, "reads_eeg", True)  # models that read only per-frame features skip the EEG segments
    stride = config.stride if config.stride is not None else max(config.n_frames // 2, 1)
    train_ds = WindowDataset(train, config.n_frames, window, stride=stride, eeg=eeg)
    val_ds = WindowDataset(val, config.n_frames, window, eeg=eeg)
    sampler = torch.utils.data.distributed.DistributedSampler(train_ds, seed=config.seed) if distributed else None
    generator = torch.Generator().manual_seed(config.seed)
    loader = torch.utils.data.DataLoader(train_ds, batch_size=config.batch_size, shuffle=sampler is None,
                                         sampler=sampler, generator=generator, num_workers=config.num_workers,
                                         collate_fn=lambda items: collate(items, train_ds.sfreq))
    val_loader = torch.utils.data.DataLoader(val_ds, batch_size=config.batch_size, shuffle=False,
                                             collate_fn=lambda items: collate(items, val_ds.sfreq))
    optimizer = torch.optim.AdamW(model.parameters(), lr=config.lr, weight_decay=config.weight_decay)
    scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=max(config.epochs, 1))
    use_amp = config.amp and device.type == "cuda"
    scaler = torch.amp.GradScaler("cuda", enabled=use_amp)
    history, bad, times = [], 0, []
    # epoch 0: the starting weights, which training has to beat
    start_val = evaluate_loss(model, val_loader, device) if config.epochs > 0 else math.nan
    best = start_val if config.epochs > 0 else math.inf
    best_epoch, best_state = 0, {k: v.detach().clone() for k, v in model.state_dict().items()}
    if config.progress and rank == 0 and config.epochs > 0:
        tqdm.write(f"start: val {start_val:.4f}")
    for epoch in range(config.epochs):
        start = time.perf_counter()
        if sampler is not None:
            sampler.set_epoch(epoch)
        net.train()
        total, count = 0.0, 0
        bar = tqdm(loader, desc=f"epoch {epoch + 1}/{config.epochs}", leave=False,
                   disable=not config.progress or rank != 0)
        for batch in bar:
            batch = batch.to(device)
            with torch.autocast(device_type=device.type, enabled=use_amp):
                loss = model.loss(net(batch), batch, smoothness=config.smoothness)
            optimizer.zero_grad(set_to_none=True)
            scaler.scale(loss).backward()
            scaler.unscale_(optimizer)
            torch.nn.utils.clip_grad_norm_(model.parameters(), config.grad_clip)
            scaler.step(optimizer)
            scaler.update()
            total += float(loss.detach()) * len(batch.eeg)
            count += len(batch.eeg)
            bar.set_postfix(loss=f"{total / count:.4f}")
        scheduler.step()
        val_loss = evaluate_loss(model, val_loader, device)
        seconds = time.perf_counter() - start
        times.append(seconds)
        history.append({"epoch": epoch + 1, "train_loss": total / max(count, 1), "val_loss": val_loss,
                        "seconds": seconds})
        if config.progress and rank == 0:
            tqdm.write(f"epoch {epoch + 1}: train {total / max(count, 1):.4f}  val {val_loss:.4f}  ({seconds:.1f} s)")
        if val_loss < best - 1e-5:
            best, best_epoch, bad = val_loss, epoch + 1, 0
            best_state = {k: v.detach().clone() for k, v in model.state_dict().items()}
            if config.checkpoint and rank == 0:
                model.save(config.checkpoint, extra={"epoch": epoch + 1, "val_loss": val_loss}, overwrite=True)
        else:
            bad += 1
            if bad >= config.patience:
                break
    model.load_state_dict(best_state)
    if config.checkpoint and rank == 0 and best_epoch == 0 and config.epochs > 0:
        model.save(config.checkpoint, extra={"epoch": 0, "val_loss": best}, overwrite=True)
    return TrainResult(history=history, best_epoch=best_epoch, best_val_loss=best,
                       seconds_per_epoch=float(np.mean(times)) if times else 0.0, device=str(device),
                       start_val_loss=start_val)


@torch.no_grad()
def evaluate_loss(model, loader, device, seed: int = 0) -> float:
    """Mean loss of ``model`` over a loader (``model.loss`` without regularisers: the masked MSE of the
    course's model, the noise-prediction error of the diffusion model).

    Whatever the objective draws at random (the diffusion model's steps and noise) comes from a
    generator seeded with ``seed`` here and left as it was outside, so every epoch is scored on the
    same draws and training's own random sequence is not disturbed.
    """
    model.eval()
    total, count = 0.0, 0
    devices = [device] if device.type == "cuda" else []
    with torch.random.fork_rng(devices=devices):
        torch.manual_seed(seed)
        for batch in loader:
            batch = batch.to(device)
            total += float(model.loss(model(batch), batch)) * len(batch.eeg)
            count += len(batch.eeg)
    return total / max(count, 1)


@torch.no_grad()
def init_from_ridge(model: NeuralFramesModel, sessions: list[PreparedSession] | None, alphas=None,
                    ridge=None) -> float:
    """Warm-start the model's linear path from the ridge "EEG fingerprint" solution.

    Ridge regression from the HRF-convolved band power to every vertex is solved in closed form on
    ``sessions``; its weight matrix ``W`` (features × vertices) is truncated to the model's latent size
    by SVD, ``W ≈ (U √S)(√S Vᵀ)``, and the two factors become the encoder's band-power skip and the
    decoder's per-vertex readout. The encoder's learned branch and the decoder's graph head start at
    zero, so before training the model *is* a reduced-rank ridge model; training then only has to
    improve on the classic baseline. A model that reads source band power (``config.n_sources > 0``)
    starts from the ridge on the sources ("source ridge") instead, its channel skip at zero.

    Parameters
    ----------
    model : NeuralFramesModel
    sessions : list of PreparedSession or None
        The training sessions the ridge is fitted on (unused, and may be None, when ``ridge`` is given).
    alphas : sequence of float, optional
        Ridge penalties to choose from by cross-validation (default ``baselines.RIDGE_ALPHAS``).
    ridge : RidgeFingerprint, optional
        A ridge already fitted on these sessions' features (band power, or source band power for a
        model with ``n_sources``), e.g. the baseline a benchmark scores beside the model: the model
        then starts from exactly that baseline and the fit is not repeated.

    Returns
    -------
    float
        The ridge penalty chosen by cross-validation.
    """

    use_sources = bool(model.config.n_sources)
    enc, dec = model.encoder, model.decoder
    skip, other = (enc.source_skip, enc.skip) if use_sources else (enc.skip, None)
    ridge = _start_ridge(sessions, use_sources, ridge, alphas, "init_from_ridge")
    scaler, linear = ridge.model_[0], ridge.model_[-1]
    kind = "source band power" if use_sources else "channel band power"
    if scaler.n_features_in_ != skip.in_features or linear.coef_.shape[0] != dec.readout.shape[0]:
        raise ValueError(f"ridge maps {scaler.n_features_in_} features to {linear.coef_.shape[0]} vertices, but "
                         f"this model reads {skip.in_features} features of {kind} and has "
                         f"{dec.readout.shape[0]} vertices; fit the ridge on the {kind} of the same sessions")
    encode, decode = ridge_factors(ridge, model.config.latent_dim)
    skip.weight.copy_(torch.as_tensor(encode, dtype=skip.weight.dtype))
    skip.bias.zero_()  # features and targets are z-scored: the intercept is ~0
    dec.readout.copy_(torch.as_tensor(decode, dtype=dec.readout.dtype))
    layers = [enc.pointwise, dec.head, *([other] if other is not None else [])]
    if dec.vertex_inputs is not None:
        layers.append(dec.vertex_inputs)
    for layer in layers:
        layer.weight.zero_()
        layer.bias.zero_()
    return ridge.alpha_


def _start_ridge(sessions, use_sources: bool, ridge, alphas, caller: str):
    """The ridge a model starts from: ``ridge`` if given (it must be fitted), else a ridge fitted on the
    valid volumes of ``sessions`` from the features the model reads (source or channel band power)."""
    from neuroframes_edu.baselines import RIDGE_ALPHAS, RidgeFingerprint

    if ridge is not None:
        if not hasattr(ridge, "model_"):
            raise ValueError("ridge is not fitted; call ridge.fit(features, frames) first, or pass sessions instead")
        return ridge
    if not sessions:
        raise ValueError(f"{caller} needs the training sessions (sessions=[...]) or a fitted ridge "
                         "(ridge=RidgeFingerprint().fit(...))")
    x = np.concatenate([(s.sources_at if use_sources else s.hrf_at)(s.times[s.valid]) for s in sessions])
    y = np.concatenate([s.bold[s.valid] for s in sessions])
    return RidgeFingerprint(alphas=RIDGE_ALPHAS if alphas is None else alphas).fit(x, y)


def ridge_factors(ridge, rank: int) -> tuple[np.ndarray, np.ndarray]:
    """The ridge's weights truncated to ``rank`` by SVD, ``W ≈ (U √S)(√S Vᵀ)``, as two factors.

    Parameters
    ----------
    ridge : RidgeFingerprint
        Fitted (``features → vertices``, with its feature scaling).
    rank : int

    Returns
    -------
    encode : ndarray, shape (rank, n_features)
        Maps unscaled features to ``rank`` latents (a linear layer's weight).
    decode : ndarray, shape (n_vertices, rank)
        Maps the latents to the vertices.
    """
    from neuroframes_edu._utils.validation import check_int

    rank = check_int(rank, "rank", minimum=1)
    scaler, linear = ridge.model_[0], ridge.model_[-1]
    w = linear.coef_.T / scaler.scale_[:, None]  # (features, vertices), in units of the unscaled features
    u, sv, vt = np.linalg.svd(w, full_matrices=False)
    root = np.sqrt(sv[:rank])
    return (u[:, :rank] * root).T, vt[:rank].T * root


def train_model(train: list[PreparedSession], val: list[PreparedSession], mesh=None,
                config: TrainConfig | None = None, ridge_start: bool = True, seed: int | None = None,
                ridge=None, **model_options) -> tuple[NeuralFramesModel, TrainResult]:
    """The recipe that builds and trains a model for prepared recordings: a configuration for their
    channels, rate and window (:meth:`~neuroframes_edu.nn.ModelConfig.for_recording`), seeded initial
    weights, the ridge warm start (:func:`init_from_ridge`) and :func:`fit`.

    Parameters
    ----------
    train, val : list of PreparedSession
        Held-out from each other (different recordings, or parts from ``Recording.split``).
    mesh : CorticalMesh, optional
        The mesh of the prepared BOLD; default the standard mesh with that many vertices.
    config : TrainConfig, optional
    ridge_start : bool
        Start from the ridge solution (the model then only has to improve on it).
    seed : int, optional
        Seeds the initial weights; default ``config.seed``.
    ridge : RidgeFingerprint, optional
        The ridge fitted on ``train`` to start from (see :func:`init_from_ridge`); default: fitted here.
    **model_options
        :class:`~neuroframes_edu.nn.ModelConfig` fields, e.g. ``temporal="gru"``.

    Returns
    -------
    model : NeuralFramesModel
    result : TrainResult
    """
    from neuroframes_edu.nn.config import ModelConfig
    from neuroframes_edu.surface import load_mesh

    config = config or TrainConfig()
    train, val = _sessions(train, "train"), _sessions(val, "val")
    model_config = ModelConfig.for_recording(train[0], mesh=mesh, **model_options)
    mesh = mesh if mesh is not None and not isinstance(mesh, str) else load_mesh(model_config.mesh)
    torch.manual_seed(config.seed if seed is None else seed)
    model = NeuralFramesModel(model_config, mesh)
    if ridge_start:
        init_from_ridge(model, [s.matched_to(model_config) for s in train], ridge=ridge)
    return model, fit(model, train, val, config)


def train_diffusion(train: list[PreparedSession], val: list[PreparedSession], mesh=None,
                    config: TrainConfig | None = None, autoencoder: str = "pca", seed: int | None = None,
                    ridge_start: bool = True, ridge=None, eeg_options: dict | None = None, **diffusion_options):
    """The recipe for the paper's diffusion model (:class:`~neuroframes_edu.nn.EEGDiffusionModel`):
    a configuration for the recordings (:meth:`~neuroframes_edu.nn.DiffusionConfig.for_recording`),
    the linear frame autoencoder fitted on the training sessions' valid frames and frozen, seeded
    initial weights, the EEG tokens started from the ridge, and :func:`fit` on the noise-prediction
    objective.

    Parameters
    ----------
    train, val : list of PreparedSession
        Held-out from each other (different recordings, or parts from ``Recording.split``).
    mesh : CorticalMesh or str, optional
        The mesh of the prepared BOLD; default the standard mesh with that many vertices.
    config : TrainConfig, optional
        ``smoothness`` is not used by this objective.
    autoencoder : {"pca", "gradient"}
        Fit the autoencoder by PCA of the training frames or by gradient descent on their
        reconstruction error (``LinearFrameAutoencoder.fit_pca`` / ``fit_gradient``).
    seed : int, optional
        Seeds the initial weights; default ``config.seed``.
    ridge_start : bool
        Start the EEG tokens as the ridge's rank-``latent_dim`` factor (:func:`ridge_factors`: the
        ridge from the frame's band power — of the sources for a model reading them — to the cortex),
        as the course's model starts: the tokens then carry what the ridge knows from the start.
        With ``tokens="encoder"`` this sets the encoder's linear skip and zeroes its learned branch.
    ridge : RidgeFingerprint, optional
        That ridge, already fitted on ``train`` (default: fitted here).
    eeg_options : dict, optional
        :class:`~neuroframes_edu.nn.ModelConfig` fields of the EEG encoder (e.g. ``latent_dim``).
    **diffusion_options
        :class:`~neuroframes_edu.nn.DiffusionConfig` fields (``frame_latent_dim``, ``width``, ``depth``…).

    Returns
    -------
    model : EEGDiffusionModel
    result : TrainResult
        ``result.autoencoder`` holds the fraction of the training frames' sum of squares the latents
        keep (``"pca"``) or the reconstruction error per epoch (``"gradient"``).
    """
    from neuroframes_edu.nn.diffusion import DiffusionConfig, EEGDiffusionModel

    if autoencoder not in ("pca", "gradient"):
        raise ValueError(f"autoencoder must be 'pca' or 'gradient', got {autoencoder!r}")
    config = config or TrainConfig()
    seed = config.seed if seed is None else seed
    train, val = _sessions(train, "train"), _sessions(val, "val")
    diffusion_config = DiffusionConfig.for_recording(train[0], mesh=mesh, eeg=eeg_options, **diffusion_options)
    torch.manual_seed(seed)
    model = EEGDiffusionModel(diffusion_config)
    eeg = diffusion_config.eeg
    matched = [s.matched_to(eeg) for s in train]
    if ridge_start:
        use_sources = bool(eeg.n_sources)
        ridge = _start_ridge(matched, use_sources, ridge, None, "train_diffusion")
        layer = model.token_map if model.encoder is None else (
            model.encoder.source_skip if use_sources else model.encoder.skip)
        encode, _ = ridge_factors(ridge, eeg.latent_dim)
        if encode.shape[1] != layer.in_features:
            raise ValueError(f"ridge reads {encode.shape[1]} features but the model's tokens read "
                             f"{layer.in_features}; fit it on the {'source' if use_sources else 'channel'} band "
                             "power of the same sessions")
        with torch.no_grad():
            layer.weight.copy_(torch.as_tensor(encode, dtype=layer.weight.dtype))
            layer.bias.zero_()
            if model.encoder is not None:  # the encoder's learned branch (and the other skip) start at zero
                for other in (model.encoder.pointwise, *([model.encoder.skip] if use_sources else [])):
                    other.weight.zero_()
                    other.bias.zero_()
    frames = np.concatenate([s.bold[s.valid] for s in matched])
    if autoencoder == "pca":
        kept = model.autoencoder.fit_pca(frames)
    else:
        kept = model.autoencoder.fit_gradient(frames, seed=seed, progress=config.progress)
    model.autoencoder.requires_grad_(False)
    result = fit(model, train, val, config)
    result.autoencoder = kept
    return model, result
