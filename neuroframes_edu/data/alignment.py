"""Aligning EEG with fMRI: volume times from triggers, the EEG window that precedes each frame, and
checks that the EEG covers what the frames need.

Introduced in notebook 08.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from neuroframes_edu._utils.validation import check_array, check_number

#: Trigger description of fMRI volume onsets in the simulator's annotations (and a common convention).
VOLUME_TRIGGER = "volume"

#: Seconds of EEG that precede each fMRI frame by default. BOLD at time t reflects neural activity
#: from the preceding ~20 s: the haemodynamic response peaks 4–6 s after activity and returns to
#: baseline, undershoot included, within about 20 s (Glover 1999). A shorter window loses the lag.
EEG_WINDOW = 16.0
#: Seconds by which a frame may fall short of a full window and still count as having one (sample
#: rounding: a part cropped on a 5 kHz sample grid puts a volume at 15.999999999999998 s).
WINDOW_TOLERANCE = 1e-6


def has_eeg_window(times, window: float = EEG_WINDOW) -> np.ndarray:
    """Which ``times`` (s from the EEG start) have ``window`` seconds of EEG before them: the one test
    every stage uses to decide which frames a model can reconstruct."""
    return np.asarray(times, dtype=float) >= window - WINDOW_TOLERANCE


def volume_times_from_annotations(raw, description: str = VOLUME_TRIGGER) -> np.ndarray:
    """Onset times (s, from the start of the recording) of the fMRI volume triggers in ``raw.annotations``.

    Raises
    ------
    ValueError
        If no annotation has that description, listing the descriptions that exist.
    """
    desc = np.asarray(raw.annotations.description)
    hits = desc == description
    if not hits.any():
        present = sorted(set(desc.tolist()))
        raise ValueError(f"the EEG has no {description!r} annotations (fMRI volume triggers); it has "
                         f"{present[:10]}{' …' if len(present) > 10 else ''}. Name the trigger with trigger= "
                         "(Recording.from_files) or description= (here), or give the volume times explicitly")
    return np.sort(np.asarray(raw.annotations.onset)[hits] - raw.first_time)


def check_eeg_covers(raw, frame_times, window: float = 0.0) -> None:
    """Check that the EEG covers every frame, including the ``window`` seconds of EEG before each.

    Raises
    ------
    ValueError
        Saying by how much the EEG is too short or starts too late.
    """
    frame_times = check_array(frame_times, "frame_times", ndim=1, axes="(n_frames,) of seconds")
    window = check_number(window, "window", minimum=0)
    if frame_times.size == 0:
        raise ValueError("frame_times is empty; give at least one frame time in seconds")
    start, stop = 0.0, raw.n_times / raw.info["sfreq"]
    if frame_times.max() > stop:
        raise ValueError(f"the EEG ({stop:.1f} s) is shorter than the fMRI run, whose last frame is at "
                         f"{frame_times.max():.1f} s; trim the fMRI frames or load the full EEG recording")
    if frame_times.min() - window < start - 1e-9:
        raise ValueError(f"the first frame at {frame_times.min():.2f} s needs {window:.1f} s of EEG before it, "
                         f"but the EEG starts at {start:.1f} s; drop the first frames or shorten the window")


def frame_windows(raw, frame_times=None, window: float = EEG_WINDOW,
                  description: str = VOLUME_TRIGGER) -> np.ndarray:
    """EEG sample ranges ``[start, stop)`` of the ``window`` seconds that precede each fMRI frame.

    This is the alignment every model in the course uses: frame ``i`` at time ``t_i`` is paired with
    the EEG in ``[t_i − window, t_i)``, which contains the neural activity that the haemodynamic
    response turns into the BOLD signal at ``t_i`` (see :data:`EEG_WINDOW`). Indices rather
    than copies keep memory small: slice ``raw.get_data()[:, start:stop]`` when needed.

    Parameters
    ----------
    raw : mne.io.Raw
        The EEG, recorded simultaneously with the fMRI.
    frame_times : array-like, optional
        Frame times in seconds from the start of the EEG; by default the volume triggers
        (annotations named ``description``).
    window : float
        Seconds of EEG before each frame.

    Returns
    -------
    ndarray of int, shape (n_frames, 2)

    Raises
    ------
    ValueError
        If triggers are missing, the window is not positive, or the EEG does not cover every window.
    """
    window = check_number(window, "window", minimum=0, include_minimum=False)
    times = volume_times_from_annotations(raw, description) if frame_times is None else check_array(
        frame_times, "frame_times", ndim=1, axes="(n_frames,) of seconds")
    check_eeg_covers(raw, times, window=window)
    sfreq = raw.info["sfreq"]
    n = round(window * sfreq)
    if n < 1:
        raise ValueError(f"window {window:g} s is shorter than one EEG sample at {sfreq:g} Hz; give at least "
                         f"{1 / sfreq:g} s (the course uses EEG_WINDOW = {EEG_WINDOW:g} s)")
    stop = np.rint(times * sfreq).astype(int)
    return np.stack([stop - n, stop], axis=1)


@dataclass(frozen=True)
class VolumeGrid:
    """Volume triggers placed on the scanner's regular grid of volumes (see :func:`volume_grid`).

    Attributes
    ----------
    times : ndarray, shape (n_slots,)
        Time of every slot of the grid: the trigger's own time where one was recorded, the fitted
        time ``start + k · tr`` where the volume was lost.
    acquired : ndarray of bool, shape (n_slots,)
        True where a trigger was recorded.
    slot : ndarray of int, shape (n_triggers,)
        Grid slot of each trigger, in time order.
    tr : float
        Repetition time fitted to the triggers (seconds of the EEG clock).
    max_residual : float
        Largest distance (s) of a trigger from its fitted grid time: the timing jitter.
    """

    times: np.ndarray
    acquired: np.ndarray
    slot: np.ndarray
    tr: float
    max_residual: float

    @property
    def n_lost(self) -> int:
        """Volumes lost between the first and the last trigger. Volumes lost before the first or
        after the last trigger leave no gap between triggers, so no method can count them."""
        return int((~self.acquired).sum())


def volume_grid(trigger_times, tr: float | None = None, max_jitter: float = 0.25) -> VolumeGrid:
    """Place volume triggers, with gaps where volumes were lost, onto the regular grid of volumes.

    Each interval between consecutive triggers is rounded to a whole number of TRs (so an error in
    the TR cannot accumulate over a long run, as it does when every trigger is rounded from the first
    one), then the grid's start and TR are fitted to all triggers by least squares and the slots are
    checked against that fit.

    Parameters
    ----------
    trigger_times : array-like, shape (n_triggers,)
        Seconds; need not be sorted.
    tr : float, optional
        The nominal repetition time; by default estimated as the median of the intervals that are
        shorter than 1.5 times the shortest decile of intervals (the single-TR steps).
    max_jitter : float
        Largest tolerated distance of a trigger from the fitted grid, as a fraction of the TR.

    Returns
    -------
    VolumeGrid

    Raises
    ------
    ValueError
        Fewer than 2 triggers, non-finite or duplicate triggers, or triggers that do not fit a regular
        grid within ``max_jitter`` (naming the worst one).

    Examples
    --------
    >>> grid = volume_grid([0.0, 2.0, 4.01, 8.0, 10.0])
    >>> grid.slot.tolist(), grid.n_lost
    ([0, 1, 2, 4, 5], 1)
    """
    t = np.sort(check_array(trigger_times, "trigger_times", finite=False, axes="(n_triggers,) in seconds").ravel())
    if tr is not None:
        tr = check_number(tr, "tr", minimum=0, include_minimum=False)
    max_jitter = check_number(max_jitter, "max_jitter (a fraction of the TR)", minimum=0, maximum=0.5)
    if t.size < 2:
        raise ValueError(f"trigger_times: need at least 2 volume triggers, got {t.size}; check the trigger name "
                         "(trigger= in Recording.from_files) or give volume_times explicitly")
    if not np.isfinite(t).all():
        raise ValueError("trigger_times: contains NaN or infinite values; drop them first")
    d = np.diff(t)
    if tr is None:
        single = d[d <= 1.5 * np.percentile(d, 10)]
        tr = float(np.median(single))
        if not tr > 0:
            raise ValueError(f"trigger_times: over 10% of the intervals between triggers are 0 ({int((d == 0).sum())} "
                             "duplicate triggers), so no TR can be estimated; remove duplicate triggers or give tr=")
    if not tr > 0:
        raise ValueError(f"tr: must be positive, got {tr}")
    steps = np.rint(d / tr).astype(int)
    if (steps < 1).any():
        k = int(np.flatnonzero(steps < 1)[0])
        raise ValueError(f"trigger_times: triggers at {t[k]:.3f} s and {t[k + 1]:.3f} s are {d[k]:.3f} s apart, "
                         f"less than half a TR ({tr:.3f} s); remove duplicate triggers, or check tr (seconds, given or "
                         "estimated from the triggers)")
    slot = np.concatenate([[0], np.cumsum(steps)])
    fitted_tr, start = np.polyfit(slot, t, 1)
    # the fitted TR may move a long gap by a slot: round again against it, and refit once
    slot = np.concatenate([[0], np.cumsum(np.maximum(np.rint(d / fitted_tr).astype(int), 1))])
    fitted_tr, start = np.polyfit(slot, t, 1)
    residual = t - (start + fitted_tr * slot)
    worst = int(np.argmax(np.abs(residual)))
    if abs(residual[worst]) > max_jitter * fitted_tr:
        raise ValueError(f"trigger_times: the trigger at {t[worst]:.3f} s is {residual[worst]:+.3f} s off the regular "
                         f"grid of TR {fitted_tr:.4f} s (more than {max_jitter:.0%} of a TR); the triggers are not one "
                         "run at a fixed TR — split the runs or give volume_times explicitly")
    n_slots = int(slot[-1]) + 1
    times = start + fitted_tr * np.arange(n_slots)
    times[slot] = t
    acquired = np.zeros(n_slots, dtype=bool)
    acquired[slot] = True
    return VolumeGrid(times=times, acquired=acquired, slot=slot, tr=float(fitted_tr),
                      max_residual=float(np.abs(residual).max()))
