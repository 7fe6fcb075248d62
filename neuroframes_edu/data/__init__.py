"""Data: the :class:`Recording` every stage takes, its alignment of EEG with fMRI, and the course's
simulated datasets.

* :mod:`~neuroframes_edu.data.recording` — :class:`Recording` (EEG + surface BOLD + volume times +
  validity + identifiers) and its optional :class:`GroundTruth`; ``from_files``, ``from_bids``, ``split``;
* :mod:`~neuroframes_edu.data.alignment` — the EEG window (:data:`EEG_WINDOW`), volume triggers and
  their regular grid (:func:`volume_grid`), :func:`frame_windows`;
* :mod:`~neuroframes_edu.data.folder` — a recording on disk (:func:`save_recording`, :func:`load_recording`);
* :mod:`~neuroframes_edu.data.datasets` — the course's default simulated dataset (:func:`load_dataset`).
"""

from neuroframes_edu.data.alignment import (
    EEG_WINDOW,
    VOLUME_TRIGGER,
    VolumeGrid,
    check_eeg_covers,
    frame_windows,
    has_eeg_window,
    volume_grid,
    volume_times_from_annotations,
)
from neuroframes_edu.data.recording import GroundTruth, Recording

__all__ = [
    "EEG_WINDOW",
    "VOLUME_TRIGGER",
    "GroundTruth",
    "Recording",
    "VolumeGrid",
    "check_eeg_covers",
    "frame_windows",
    "has_eeg_window",
    "load_dataset",
    "volume_grid",
    "volume_times_from_annotations",
]


def __getattr__(name: str):
    # the datasets module imports the simulator, which imports Recording from this package: load it
    # on first use so that importing the simulator first does not go round in a circle
    if name == "load_dataset":
        from neuroframes_edu.data.datasets import load_dataset

        return load_dataset
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
