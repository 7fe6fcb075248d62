"""Training and inference: sessions → windows of frames → :class:`~neuroframes_edu.models.NeuralFramesModel`.

* :func:`prepare_session` standardises one session's EEG, computes its band power (plain and
  HRF-convolved, at the model's feature rate) and z-scores its BOLD per vertex.
* :class:`WindowDataset` cuts prepared sessions into windows of ``n_frames`` consecutive volumes,
  each with the EEG from ``window`` seconds before its first frame to its last frame.
* :func:`fit` trains with AdamW on reconstruction + smoothness losses, validates on held-out
  **sessions** (never random frames of a training session: neighbouring frames share slow BOLD
  fluctuations, so that would leak), stops early, shows tqdm progress, seeds everything, picks CUDA /
  MPS / CPU, uses mixed precision on CUDA, and runs data-parallel under ``torchrun`` (DDP).
* :func:`reconstruct_session` runs a trained model over a whole session, optionally completing
  against measured frames.

Introduced in notebook 07.
"""

from __future__ import annotations

import math
import os
import random
import sys
import time
from dataclasses import dataclass, field, replace

import numpy as np
import torch

from neuroframes_edu.device import select_device
from neuroframes_edu.features import BANDS, band_power_series, hrf_convolve
from neuroframes_edu.models import FrameBatch, NeuralFramesModel, smoothness_penalty


@dataclass
class PreparedSession:
    """One session, ready for the model.

    Attributes
    ----------
    eeg : ndarray, shape (C, S), float32
        EEG z-scored per channel.
    sfreq : float
    bands : ndarray, shape (n_bands · C, R), float32
        Log band power at ``rate``, z-scored per feature.
    hrf_bands : ndarray, shape (n_bands · C, R), float32
        HRF-convolved band power at ``rate``, z-scored per feature.
    rate : float
    times : ndarray, shape (n_volumes,)
        Volume times (s from the EEG start).
    bold : ndarray, shape (n_volumes, V), float32
        BOLD z-scored per vertex over valid volumes.
    valid : ndarray of bool, shape (n_volumes,)
    name : str
    """

    eeg: np.ndarray
    sfreq: float
    bands: np.ndarray
    hrf_bands: np.ndarray
    rate: float
    times: np.ndarray
    bold: np.ndarray
    valid: np.ndarray
    name: str = ""
    extras: dict = field(default_factory=dict)

    def hrf_at(self, times) -> np.ndarray:
        """HRF-convolved band power at arbitrary times; shape ``(len(times), n_bands · C)``."""
        grid = (np.arange(self.hrf_bands.shape[1]) + 0.5) / self.rate
        return np.stack([np.interp(times, grid, row) for row in self.hrf_bands], axis=1).astype(np.float32)


    def resampled(self, operator) -> PreparedSession:
        """A copy with the BOLD mapped to another mesh, ``bold_new = bold @ operatorᵀ``, re-z-scored.

        Parameters
        ----------
        operator : scipy sparse matrix, shape (n_new_vertices, n_vertices)
            From :func:`neuroframes_edu.surface.resample_operator` (e.g. ico4 → ico3 for quick training).
        """
        if operator.shape[1] != self.bold.shape[1]:
            raise ValueError(f"operator has {operator.shape[1]} columns but the session has {self.bold.shape[1]} "
                             "vertices; build it with resample_operator(session_mesh, target_mesh)")
        bold = np.asarray((operator @ self.bold.T).T, dtype=np.float64)
        z = np.zeros(bold.shape, dtype=np.float32)
        z[self.valid] = _zscore_rows(bold[self.valid], axis=0)
        extras = {k: v for k, v in self.extras.items() if k not in ("bold_mean", "bold_sd")}  # of the old mesh
        return replace(self, bold=z, extras={**extras, "resampled_from": self.bold.shape[1]})


def _zscore_rows(x: np.ndarray, axis: int) -> np.ndarray:
    sd = x.std(axis=axis, keepdims=True)
    return ((x - x.mean(axis=axis, keepdims=True)) / np.where(sd > 0, sd, 1.0)).astype(np.float32)


def prepare_session(session, bands: tuple[str, ...] = tuple(BANDS), rate: float = 10.0,
                    name: str | None = None) -> PreparedSession:
    """Standardise a :class:`~neuroframes_edu.simulate.SimulatedSession` (or anything with ``raw``,
    ``bold``, ``volume_times`` and ``valid``) for the model.

    ``name`` identifies the recording (``fit`` refuses to validate on a session it trains on); by
    default ``sub-XX_ses-YY`` from the session's ``subject`` and ``session``, else the EEG file name.

    Raises
    ------
    ValueError
        If the BOLD has NaNs at valid volumes or no valid volume at all.
    """
    raw = session.raw
    sfreq = float(raw.info["sfreq"])
    data = raw.get_data(picks="eeg").astype(np.float64)
    if not np.isfinite(data).all():
        raise ValueError("the EEG contains NaN or infinite samples; clean it first")
    series = band_power_series(data, sfreq=sfreq, bands={b: BANDS[b] for b in bands}, rate=rate)
    hrf = hrf_convolve(series)
    valid = np.asarray(session.valid, dtype=bool)
    if not valid.any():
        raise ValueError("the session has no valid volume (valid is all False)")
    bold = np.asarray(session.bold, dtype=np.float64)
    if not np.isfinite(bold[valid]).all():
        raise ValueError("the BOLD contains NaN or infinite values at valid volumes")
    mean, sd = bold[valid].mean(axis=0), bold[valid].std(axis=0)
    bold_z = ((bold - mean) / np.where(sd > 0, sd, 1.0)).astype(np.float32)
    bold_z[~valid] = 0.0
    if name is None:
        if hasattr(session, "subject") and hasattr(session, "session"):
            name = f"sub-{int(session.subject):02d}_ses-{int(session.session):02d}"
        elif getattr(raw, "filenames", None) and raw.filenames[0]:
            name = str(raw.filenames[0])
        else:
            raise ValueError("cannot tell this session from others: give it subject and session attributes or "
                             "pass name= (e.g. prepare_session(s, name='sub-01_ses-02'))")
    return PreparedSession(
        eeg=_zscore_rows(data, axis=1), sfreq=sfreq,
        bands=_zscore_rows(series.power.reshape(-1, series.power.shape[2]), axis=1),
        hrf_bands=_zscore_rows(hrf.power.reshape(-1, hrf.power.shape[2]), axis=1),
        rate=series.rate, times=np.asarray(session.volume_times, dtype=float), bold=bold_z, valid=valid,
        name=name, extras={"bold_mean": mean.astype(np.float32), "bold_sd": sd.astype(np.float32)},
    )


class WindowDataset(torch.utils.data.Dataset):
    """Windows of ``n_frames`` consecutive volumes from prepared sessions.

    Each item is a dict of arrays for one window: the EEG from ``window`` seconds before the first
    frame to the last frame, the band power of that span, the frames' HRF-convolved band power,
    their times within the span, targets and validity. Windows whose EEG would start before the
    recording are skipped.

    Parameters
    ----------
    sessions : list of PreparedSession
    n_frames : int
        Frames per window (3–30 in the course).
    window : float
        Seconds of EEG before each frame (the model's ``config.window``).
    stride : int, optional
        Volumes between window starts; default ``n_frames`` (no overlap).
    frame_times : list of ndarray, optional
        Times to reconstruct instead of the volume times (e.g. a finer grid), one array per session;
        targets are then absent.
    """

    def __init__(self, sessions: list[PreparedSession], n_frames: int, window: float, stride: int | None = None,
                 frame_times: list[np.ndarray] | None = None):
        if not sessions:
            raise ValueError("sessions is empty")
        if n_frames < 1:
            raise ValueError(f"n_frames must be ≥ 1, got {n_frames}")
        rates = {(s.sfreq, s.rate, s.eeg.shape[0]) for s in sessions}
        if len(rates) != 1:
            raise ValueError(f"sessions differ in sampling rate, feature rate or channel count: {sorted(rates)}")
        self.sessions, self.n_frames, self.window = sessions, n_frames, float(window)
        self.stride = stride or n_frames
        self.frame_times = frame_times
        self.sfreq, self.rate = sessions[0].sfreq, sessions[0].rate
        self.index = []
        for i, s in enumerate(sessions):
            times = s.times if frame_times is None else np.asarray(frame_times[i], dtype=float)
            last_eeg = s.eeg.shape[1] / s.sfreq
            starts = range(0, len(times) - n_frames + 1, self.stride)
            self.index += [(i, j) for j in starts
                           if times[j] >= self.window and times[j + n_frames - 1] <= last_eeg]
        if not self.index:
            raise ValueError(f"no window of {n_frames} frames fits: each needs {self.window} s of EEG before it")
        # all spans get the same number of samples so that windows batch together
        span = max(self._times(i, j)[-1] - self._times(i, j)[0] for i, j in self.index) + self.window
        self.n_steps = int(math.ceil(span * self.rate)) + 1
        self.n_samples = int(round(self.n_steps * self.sfreq / self.rate))

    def _times(self, i: int, j: int) -> np.ndarray:
        s = self.sessions[i]
        times = s.times if self.frame_times is None else np.asarray(self.frame_times[i], dtype=float)
        return times[j: j + self.n_frames]

    def __len__(self) -> int:
        return len(self.index)

    def __getitem__(self, k: int) -> dict:
        i, j = self.index[k]
        s = self.sessions[i]
        times = self._times(i, j)
        start_step = int(np.floor((times[0] - self.window) * self.rate))
        start_step = max(start_step, 0)
        t0 = start_step / self.rate
        start_sample = int(round(t0 * self.sfreq))
        eeg = _slice_pad(s.eeg, start_sample, self.n_samples)
        bands = _slice_pad(s.bands, start_step, self.n_steps)
        item = {"eeg": eeg, "bands": bands, "hrf_bands": s.hrf_at(times),
                "frame_times": (times - t0).astype(np.float32), "session": i, "first": j}
        if self.frame_times is None:
            item["target"] = s.bold[j: j + self.n_frames]
            item["valid"] = s.valid[j: j + self.n_frames]
        return item


def _slice_pad(x: np.ndarray, start: int, length: int) -> np.ndarray:
    out = x[:, start: start + length]
    if out.shape[1] < length:
        out = np.pad(out, ((0, 0), (0, length - out.shape[1])))
    return out


def collate(items: list[dict], sfreq: float) -> FrameBatch:
    """Stack dataset items into a :class:`FrameBatch`."""
    def stack(key, dtype=torch.float32):
        return torch.as_tensor(np.stack([it[key] for it in items]), dtype=dtype)

    batch = FrameBatch(eeg=stack("eeg"), bands=stack("bands"), hrf_bands=stack("hrf_bands"),
                       frame_times=stack("frame_times"), sfreq=sfreq)
    if "target" in items[0]:
        batch.target, batch.valid = stack("target"), stack("valid", torch.bool)
    batch.extras = {"session": [it["session"] for it in items], "first": [it["first"] for it in items]}
    return batch


@dataclass
class TrainConfig:
    """Optimisation settings of :func:`fit`."""

    epochs: int = 20
    batch_size: int = 8
    n_frames: int = 10
    lr: float = 3e-3
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


@dataclass
class TrainResult:
    """What :func:`fit` returns."""

    history: list[dict]
    best_epoch: int
    best_val_loss: float
    seconds_per_epoch: float
    device: str


def seed_everything(seed: int) -> None:
    """Seed Python, NumPy and torch (CPU and CUDA)."""
    random.seed(seed)
    np.random.seed(seed)  # noqa: NPY002 - third-party code may still use the global state
    torch.manual_seed(seed)


def masked_mse(pred: torch.Tensor, target: torch.Tensor, valid: torch.Tensor) -> torch.Tensor:
    """MSE over frames flagged valid; ``pred``/``target`` ``(B, F, V)``, ``valid`` ``(B, F)``."""
    w = valid[..., None].to(pred.dtype)
    return ((pred - target) ** 2 * w).sum() / (w.sum() * pred.shape[-1]).clamp_min(1.0)


def _distributed() -> tuple[bool, int, int]:
    import torch.distributed as dist

    if dist.is_available() and dist.is_initialized():
        return True, dist.get_rank(), dist.get_world_size()
    return False, 0, 1


def fit(model: NeuralFramesModel, train: list[PreparedSession], val: list[PreparedSession],
        config: TrainConfig | None = None) -> TrainResult:
    """Train ``model`` on ``train`` sessions, validating on held-out ``val`` sessions.

    Under ``torchrun`` (an initialised process group) the model is wrapped in
    ``DistributedDataParallel`` and each process trains on its share of the windows; rank 0 reports
    and saves. Best weights (lowest validation loss) are restored at the end.

    Returns
    -------
    TrainResult
    """
    from tqdm.auto import tqdm

    config = config or TrainConfig()
    if not train or not val:
        raise ValueError("fit needs at least one training and one validation session")
    names_train, names_val = {s.name for s in train}, {s.name for s in val}
    if names_train & names_val:
        raise ValueError(f"sessions {sorted(names_train & names_val)} are both in train and val; validate on "
                         "held-out sessions, never on frames of a training session (they leak)")
    seed_everything(config.seed)
    distributed, rank, _ = _distributed()
    device = select_device(config.device)
    if distributed and device.type == "cuda":
        device = torch.device("cuda", int(os.environ.get("LOCAL_RANK", 0)))
    model.to(device)
    net = model
    if distributed:
        # the mesh buffers are identical on every rank by construction (and sparse, which DDP cannot broadcast)
        net = torch.nn.parallel.DistributedDataParallel(
            model, device_ids=[device.index] if device.type == "cuda" else None, broadcast_buffers=False)
    window = model.config.window
    train_ds = WindowDataset(train, config.n_frames, window, stride=max(config.n_frames // 2, 1))
    val_ds = WindowDataset(val, config.n_frames, window)
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
    best, best_epoch, best_state, history, bad, times = math.inf, -1, None, [], 0, []
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
                _, x_pred = net(batch)
                loss = masked_mse(x_pred.float(), batch.target, batch.valid) + \
                    smoothness_penalty(x_pred.float(), config.smoothness)
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
                model.save(config.checkpoint, extra={"epoch": epoch + 1, "val_loss": val_loss})
        else:
            bad += 1
            if bad >= config.patience:
                break
    if best_state is not None:
        model.load_state_dict(best_state)
    return TrainResult(history=history, best_epoch=best_epoch, best_val_loss=best,
                       seconds_per_epoch=float(np.mean(times)) if times else 0.0, device=str(device))


@torch.no_grad()
def evaluate_loss(model: NeuralFramesModel, loader, device) -> float:
    """Mean masked MSE of the prediction over a loader."""
    model.eval()
    total, count = 0.0, 0
    for batch in loader:
        batch = batch.to(device)
        _, x_pred = model(batch)
        total += float(masked_mse(x_pred.float(), batch.target, batch.valid)) * len(batch.eeg)
        count += len(batch.eeg)
    return total / max(count, 1)


@torch.no_grad()
def reconstruct_session(model: NeuralFramesModel, session: PreparedSession, frame_times=None, known=None,
                        measured=None, n_frames: int = 10, batch_size: int = 16, device="auto") -> np.ndarray:
    """Reconstruct a whole session frame by frame, in windows of ``n_frames``.

    Parameters
    ----------
    model : NeuralFramesModel
    session : PreparedSession
    frame_times : array-like, optional
        Times to reconstruct (default: the session's volume times). Frames too early for the model's
        window are returned as NaN — select ``times >= model.config.window`` to avoid them.
    known : array-like of bool, optional
        Frames whose measurement is kept exactly (null-space completion); needs ``measured``.
    measured : array-like, shape (n_frames_total, V), optional
        Measurements (z-scored like the session) at the known frames.

    Returns
    -------
    ndarray, shape (n_frames_total, V)
        z-scored frames.
    """
    device = select_device(device)
    model.to(device).eval()
    times = session.times if frame_times is None else np.asarray(frame_times, dtype=float)
    v = model.config.n_vertices
    out = np.full((len(times), v), np.nan, dtype=np.float32)
    if known is not None:
        known = np.asarray(known, dtype=bool)
        measured = np.asarray(measured, dtype=np.float32)
        if known.shape != times.shape or measured.shape != (len(times), v):
            raise ValueError(f"known {known.shape} and measured {measured.shape} must match the {len(times)} "
                             f"frame times and {v} vertices")
    first = int(np.searchsorted(times, model.config.window))
    chunk = min(n_frames, len(times) - first)
    if chunk < 1:
        raise ValueError(f"no frame lies {model.config.window} s or more after the EEG start")
    starts = list(range(first, len(times) - chunk + 1, chunk))
    if starts[-1] + chunk < len(times):
        starts.append(len(times) - chunk)
    ds = WindowDataset([session], chunk, model.config.window, stride=1, frame_times=[times])
    by_first = {j: k for k, (_, j) in enumerate(ds.index)}
    items = [ds[by_first[j]] for j in starts if j in by_first]
    for b in range(0, len(items), batch_size):
        group = items[b: b + batch_size]
        batch = collate(group, ds.sfreq)
        if known is not None:
            batch.known = torch.as_tensor(np.stack([known[it["first"]: it["first"] + chunk] for it in group]))
            batch.measured = torch.as_tensor(np.stack([measured[it["first"]: it["first"] + chunk] for it in group]))
        x_hat, _ = model(batch.to(device))
        for it, frames in zip(group, x_hat.cpu().numpy(), strict=True):
            out[it["first"]: it["first"] + chunk] = frames
    return out


@torch.no_grad()
def init_from_ridge(model: NeuralFramesModel, sessions: list[PreparedSession], alphas=None) -> float:
    """Warm-start the model's linear path from the ridge "EEG fingerprint" solution.

    Ridge regression from the HRF-convolved band power to every vertex is solved in closed form on
    ``sessions``; its weight matrix ``W`` (features × vertices) is truncated to the model's latent size
    by SVD, ``W ≈ (U √S)(√S Vᵀ)``, and the two factors become the encoder's band-power skip and the
    decoder's per-vertex readout. The encoder's learned branch and the decoder's graph head start at
    zero, so before training the model *is* a reduced-rank ridge model; training then only has to
    improve on the classic baseline.

    Returns
    -------
    float
        The ridge penalty chosen by cross-validation.
    """
    from neuroframes_edu.baselines import RIDGE_ALPHAS, RidgeFingerprint

    x = np.concatenate([s.hrf_at(s.times[s.valid]) for s in sessions])
    y = np.concatenate([s.bold[s.valid] for s in sessions])
    ridge = RidgeFingerprint(alphas=alphas or RIDGE_ALPHAS).fit(x, y)
    scaler, linear = ridge.model_[0], ridge.model_[-1]
    w = linear.coef_.T / scaler.scale_[:, None]  # (features, vertices), in units of the unscaled features
    u, sv, vt = np.linalg.svd(w, full_matrices=False)
    d = model.config.latent_dim
    root = np.sqrt(sv[:d])
    enc, dec = model.encoder, model.decoder
    enc.skip.weight.copy_(torch.as_tensor((u[:, :d] * root).T, dtype=enc.skip.weight.dtype))
    enc.skip.bias.zero_()
    dec.readout.copy_(torch.as_tensor(vt[:d].T * root, dtype=dec.readout.dtype))
    for layer in (enc.pointwise, dec.head):
        layer.weight.zero_()
        layer.bias.zero_()
    return ridge.alpha_


def main(argv=None) -> int:
    """``python -m neuroframes_edu.training`` — train on simulated data; works under ``torchrun``.

    Example (two processes on one machine, CPU)::

        torchrun --standalone --nproc_per_node 2 -m neuroframes_edu.training --mesh ico3 --epochs 2 --output model.pt
    """
    import argparse

    import torch.distributed as dist

    from neuroframes_edu.datasets import load_dataset
    from neuroframes_edu.models import ModelConfig
    from neuroframes_edu.simulate import SimulationConfig
    from neuroframes_edu.surface import load_mesh

    parser = argparse.ArgumentParser(description="Train the neural-frames model on simulated sessions.")
    parser.add_argument("--mesh", default="ico4")
    parser.add_argument("--duration", type=float, default=600.0, help="session length (s) of the simulated data")
    parser.add_argument("--subject", type=int, default=1, help="train on session 1, validate on session 2")
    parser.add_argument("--epochs", type=int, default=10)
    parser.add_argument("--n-frames", type=int, default=10)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--device", default="auto")
    parser.add_argument("--output", default=None, help="checkpoint path (written by rank 0)")
    args = parser.parse_args(argv)

    world = int(os.environ.get("WORLD_SIZE", "1"))
    if world > 1 and not dist.is_initialized():
        backend = "nccl" if torch.cuda.is_available() and args.device in ("auto", "cuda") else "gloo"
        dist.init_process_group(backend=backend)
    try:
        sessions = load_dataset(n_subjects=args.subject, n_sessions=2,
                                config=SimulationConfig(mesh=args.mesh, duration=args.duration), seed=args.seed)
        mine = [s for s in sessions if s.subject == args.subject]
        prepared = [prepare_session(s) for s in mine]
        mesh = load_mesh(args.mesh)
        config = ModelConfig(n_channels=prepared[0].eeg.shape[0], sfreq=prepared[0].sfreq,
                             n_vertices=mesh.n_vertices, mesh=args.mesh)
        torch.manual_seed(args.seed)  # the initial weights (DDP then copies rank 0's to every rank)
        model = NeuralFramesModel(config, mesh)
        result = fit(model, prepared[:1], prepared[1:2],
                     TrainConfig(epochs=args.epochs, n_frames=args.n_frames, seed=args.seed, device=args.device,
                                 checkpoint=args.output, progress=False))
        rank = dist.get_rank() if dist.is_initialized() else 0
        checksum = sum(float(p.detach().double().sum()) for p in model.parameters())
        # One write per line: the ranks share stdout, and print() writes the text and its newline
        # separately when Python runs unbuffered, so two ranks' lines could run into each other.
        sys.stdout.write(f"rank {rank}/{world}: best epoch {result.best_epoch}, val loss "
                         f"{result.best_val_loss:.4f}, {result.seconds_per_epoch:.1f} s/epoch, "
                         f"parameter checksum {checksum:.6f}\n")
        sys.stdout.flush()
    finally:
        if dist.is_initialized():
            dist.destroy_process_group()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
