"""Running a trained model over a whole recording, optionally completing against measured frames.

Introduced in notebook 07.
"""

from __future__ import annotations

import numpy as np
import torch

from neuroframes_edu.data.alignment import has_eeg_window
from neuroframes_edu.device import select_device
from neuroframes_edu.nn.model import NeuralFramesModel
from neuroframes_edu.nullspace import complete_known
from neuroframes_edu.training.prepare import PreparedSession
from neuroframes_edu.training.windows import WindowDataset, collate


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
        window are returned as NaN — select ``has_eeg_window(times, model.config.window)`` (or the
        session's ``usable`` volumes) to avoid them.
    known : array-like of bool, optional
        Frames whose measurement is kept exactly (null-space completion,
        :func:`~neuroframes_edu.nullspace.complete_known`); needs ``measured``.
    measured : array-like, shape (n_frames_total, V), optional
        Measurements (z-scored like the session) at the known frames.

    Returns
    -------
    ndarray, shape (n_frames_total, V)
        z-scored frames.
    """
    session = session.matched_to(model.config)
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
    late = has_eeg_window(times, model.config.window)
    first = int(np.argmax(late)) if late.any() else len(times)
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
        x_hat = model(batch.to(device)).cpu()
        if known is not None:
            spans = [slice(it["first"], it["first"] + chunk) for it in group]
            x_hat = complete_known(x_hat, np.stack([measured[s] for s in spans]), np.stack([known[s] for s in spans]))
        for it, frames in zip(group, x_hat.numpy(), strict=True):
            out[it["first"]: it["first"] + chunk] = frames
    return out
