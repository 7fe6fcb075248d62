"""Running a trained model over a whole recording, optionally completing against measured frames.

* :func:`reconstruct_session` — the course's model, window by window, with null-space completion;
* :func:`sample_session` — the paper's diffusion model: samples per window, completed inside the
  sampler (DDNM / DDNM+).

Introduced in notebooks 07 and 09.
"""

from __future__ import annotations

import numpy as np
import torch

from neuroframes_edu._utils.validation import check_int, check_times
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
    _check_inputs(model, NeuralFramesModel, session)
    batch_size = check_int(batch_size, "batch_size", minimum=1)
    session = session.matched_to(model.config)
    device = select_device(device)
    model.to(device).eval()
    times, items, chunk, ds = _windows(model.config, session, frame_times, n_frames)
    v = model.config.n_vertices
    out = np.full((len(times), v), np.nan, dtype=np.float32)
    known, measured = _check_known(known, measured, times, v)
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


def _check_inputs(model, kind, session) -> None:
    from neuroframes_edu._utils.validation import check_type

    check_type(model, kind, "model")
    check_type(session, PreparedSession, "session", hint="prepare the recording first: prepare_session(rec)")


def _check_known(known, measured, times, v):
    if known is None:
        if measured is not None:
            raise ValueError("measured= needs known= (True at the frames whose measurement is given)")
        return None, None
    from neuroframes_edu._utils.validation import check_mask

    if measured is None:
        raise ValueError("known= needs measured= (the measurements at the known frames, one row per frame)")
    known = check_mask(known, "known", length=len(times))
    measured = np.asarray(measured, dtype=np.float32)
    if known.shape != times.shape or measured.shape != (len(times), v):
        raise ValueError(f"known {known.shape} and measured {measured.shape} must match the {len(times)} "
                         f"frame times and {v} vertices")
    if not np.isfinite(measured[known]).all():
        raise ValueError("measured has NaN or infinite values at known frames")
    return known, measured


def _windows(config, session: PreparedSession, frame_times, n_frames: int, eeg: bool = True,
             last: str = "shift"):
    """Consecutive windows of ``n_frames`` tiling the frames that have their EEG window: ``times, items,
    chunk, dataset``. A remainder at the end is covered by a last window shifted back to end at the last
    frame (``last="shift"``, overlapping the one before), or by a shorter window (``"short"``: every
    window then sees only its own frames)."""
    n_frames = check_int(n_frames, "n_frames", minimum=1)
    # the recurrence and the windows run in time order: a shuffled axis would silently change the result
    times = session.times if frame_times is None else check_times(frame_times, "frame_times")
    last_eeg = session.eeg_end
    if times[-1] > last_eeg + 1e-9:
        beyond = int((times > last_eeg + 1e-9).sum())
        raise ValueError(f"frame_times: {beyond} frame(s) lie after the end of the EEG of "
                         f"{session.name or 'the session'} ({last_eeg:.2f} s; the last frame is at {times[-1]:.2f} s), "
                         "and no EEG says what happened there; reconstruct only the frames the EEG covers")
    late = has_eeg_window(times, config.window)
    first = int(np.argmax(late)) if late.any() else len(times)
    chunk = min(n_frames, len(times) - first)
    if chunk < 1:
        raise ValueError(f"no frame lies {config.window} s or more after the EEG start")
    starts = list(range(first, len(times) - chunk + 1, chunk))
    ds = WindowDataset([session], chunk, config.window, stride=1, frame_times=[times], eeg=eeg)
    by_first = {j: k for k, (_, j) in enumerate(ds.index)}
    rest = len(times) - (starts[-1] + chunk)
    if rest and last == "shift":
        starts.append(len(times) - chunk)
    items = [ds[by_first[j]] for j in starts if j in by_first]
    if rest and last == "short":
        tail = WindowDataset([session], rest, config.window, stride=1, frame_times=[times], eeg=eeg)
        items += [tail[k] for k, (_, j) in enumerate(tail.index) if j == len(times) - rest]
    return times, items, chunk, ds


@torch.no_grad()
def sample_session(model, session: PreparedSession, frame_times=None, known=None, measured=None,
                   n_samples: int = 1, steps: int = 50, sigma_y: float = 0.0, guidance: float = 1.0,
                   exact: bool = False, n_frames: int = 10, batch_size: int = 16, seed: int = 0, device="auto",
                   progress: bool = False, last: str = "shift") -> np.ndarray:
    """Draw reconstructions of a whole session from the diffusion model, window by window.

    Parameters
    ----------
    model : EEGDiffusionModel
    session : PreparedSession
    frame_times : array-like, optional
        Times to reconstruct (default: the session's volume times); frames too early for the EEG
        window come back NaN, as in :func:`reconstruct_session`.
    known, measured : optional
        As in :func:`reconstruct_session`: the measured frames are completed inside the sampler
        (:meth:`~neuroframes_edu.nn.EEGDiffusionModel.sample` with a frame mask per window).
    n_samples, steps, sigma_y, guidance, exact :
        As in :meth:`~neuroframes_edu.nn.EEGDiffusionModel.sample`.
    n_frames : int
        Frames per window (as the model was trained: ``TrainConfig.n_frames``).
    batch_size : int
        Windows per sampler call.
    seed : int
        The same seed gives the same samples.
    progress : bool
        A tqdm bar over the windows.
    last : {"shift", "short"}
        A remainder of frames at the end: a last window shifted back (overlapping the one before) or a
        shorter one (each window then sees only its own measured frames, as in the evaluation).

    Returns
    -------
    ndarray, shape (n_samples, n_frames_total, V)
        z-scored frames; their mean over samples is the point estimate, their spread the uncertainty.
    """
    from tqdm.auto import tqdm

    from neuroframes_edu.nn.diffusion import EEGDiffusionModel

    _check_inputs(model, EEGDiffusionModel, session)
    batch_size = check_int(batch_size, "batch_size", minimum=1)
    n_samples = check_int(n_samples, "n_samples", minimum=1)
    config = model.input_config
    session = session.matched_to(config)
    device = select_device(device)
    model.to(device).eval()
    if last not in ("shift", "short"):
        raise ValueError(f"last must be 'shift' or 'short', got {last!r}")
    times, items, _, ds = _windows(config, session, frame_times, n_frames, eeg=model.reads_eeg, last=last)
    v = config.n_vertices
    out = np.full((n_samples, len(times), v), np.nan, dtype=np.float32)
    known, measured = _check_known(known, measured, times, v)
    # windows of one length share a sampler call, each with its own frame mask (none measured: EEG alone)
    groups: dict[int, list] = {}
    for it in items:
        groups.setdefault(len(it["frame_times"]), []).append(it)
    calls = [group[b: b + batch_size] for group in groups.values() for b in range(0, len(group), batch_size)]
    for i, group in enumerate(tqdm(calls, desc="windows", disable=not progress)):
        batch = collate(group, ds.sfreq).to(device)
        options = {}
        if known is not None:
            spans = [slice(it["first"], it["first"] + len(it["frame_times"])) for it in group]
            options = {"known": torch.as_tensor(np.stack([known[s] for s in spans])),  # unmeasured frames: ignored
                       "measured": torch.as_tensor(np.stack([measured[s] for s in spans]))}
        frames = model.sample(batch, n_samples=n_samples, steps=steps, sigma_y=sigma_y, guidance=guidance,
                              exact=exact, seed=seed + i, **options).cpu().numpy()
        for k, it in enumerate(group):
            out[:, it["first"]: it["first"] + frames.shape[2]] = frames[:, k]
    return out
