"""Windows of consecutive frames, each with the EEG that precedes it, batched for the model.

Introduced in notebook 07.
"""

from __future__ import annotations

import math

import numpy as np
import torch

from neuroframes_edu.data.alignment import has_eeg_window
from neuroframes_edu.nn.model import FrameBatch
from neuroframes_edu.training.prepare import PreparedSession


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
    eeg : bool
        Include the EEG and band-power segments (``False`` for models that read only the features at
        each frame: the items then carry empty segments, and cost a fraction).
    """

    def __init__(self, sessions: list[PreparedSession], n_frames: int, window: float, stride: int | None = None,
                 frame_times: list[np.ndarray] | None = None, eeg: bool = True):
        from neuroframes_edu._utils.validation import check_int, check_number, check_sequence, check_times, check_type

        sessions = list(check_sequence(sessions, "sessions", lambda s, name: check_type(
            s, PreparedSession, name, hint="prepare each recording with prepare_session(rec)")))
        n_frames = check_int(n_frames, "n_frames", minimum=1)
        window = check_number(window, "window", minimum=0, include_minimum=False)
        stride = None if stride is None else check_int(stride, "stride", minimum=1)
        if frame_times is not None:
            frame_times = check_sequence(frame_times, "frame_times", lambda t, name: t)
            if len(frame_times) != len(sessions):
                raise ValueError(f"frame_times has {len(frame_times)} arrays for {len(sessions)} sessions; give one "
                                 "array of times per session")
            frame_times = [check_times(t, f"frame_times[{i}]") for i, t in enumerate(frame_times)]
        rates = {(s.sfreq, s.rate, s.eeg.shape[0]) for s in sessions}
        if len(rates) != 1:
            raise ValueError(f"sessions differ in sampling rate, feature rate or channel count: {sorted(rates)}")
        self.sessions, self.n_frames, self.window = sessions, n_frames, float(window)
        self.stride = stride or n_frames
        self.with_eeg = bool(eeg)
        self.frame_times = frame_times
        self.sfreq, self.rate = sessions[0].sfreq, sessions[0].rate
        self.index = []
        for i, s in enumerate(sessions):
            times = s.times if frame_times is None else np.asarray(frame_times[i], dtype=float)
            last_eeg = s.eeg_end
            starts = range(0, len(times) - n_frames + 1, self.stride)
            self.index += [(i, j) for j in starts
                           if has_eeg_window(times[j], self.window) and times[j + n_frames - 1] <= last_eeg]
        if not self.index:
            longest = max(len(s.times if frame_times is None else frame_times[i]) for i, s in enumerate(sessions))
            if n_frames > longest:
                raise ValueError(f"n_frames={n_frames} is longer than every session (the longest has {longest} "
                                 "frames); use shorter windows")
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
        if self.with_eeg:
            eeg = _slice_pad(s.eeg, start_sample, self.n_samples)
            bands = _slice_pad(s.bands, start_step, self.n_steps)
        else:
            eeg, bands = s.eeg[:, :0], s.bands[:, :0]
        item = {"eeg": eeg, "bands": bands, "hrf_bands": s.hrf_at(times),
                "frame_times": (times - t0).astype(np.float32), "session": i, "first": j}
        if s.hrf_sources is not None:
            item["hrf_sources"] = s.sources_at(times)
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
    if not items:
        raise ValueError("items is empty; collate needs at least one item of a WindowDataset")

    def stack(key, dtype=torch.float32):
        return torch.as_tensor(np.stack([it[key] for it in items]), dtype=dtype)

    batch = FrameBatch(eeg=stack("eeg"), bands=stack("bands"), hrf_bands=stack("hrf_bands"),
                       frame_times=stack("frame_times"), sfreq=sfreq)
    if "target" in items[0]:
        batch.target, batch.valid = stack("target"), stack("valid", torch.bool)
    if "hrf_sources" in items[0]:
        batch.hrf_sources = stack("hrf_sources")
    batch.extras = {"session": [it["session"] for it in items], "first": [it["first"] for it in items]}
    return batch
