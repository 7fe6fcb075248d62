"""EEG files: any format :func:`mne.io.read_raw` reads, with a clear error for anything else."""

from __future__ import annotations

from pathlib import Path

#: File endings :func:`read_eeg` accepts (those of :func:`mne.io.read_raw`).
EEG_SUFFIXES = (".fif", ".fif.gz", ".edf", ".bdf", ".gdf", ".vhdr", ".set", ".cnt", ".mff", ".eeg", ".nxe",
                ".data", ".sqd", ".con", ".ds", ".lay", ".xdf", ".snirf", ".nedf", ".eeg.gz")


def read_eeg(path: str | Path, preload: bool = True, **kwargs):
    """Read EEG in any format that :func:`mne.io.read_raw` supports (FIF, EDF, BDF, BrainVision, EEGLAB, …).

    Raises
    ------
    FileNotFoundError
        If the file does not exist.
    ValueError
        For an unsupported file type (listing the supported endings) or a file MNE cannot read.
    """
    import os

    import mne

    from neuroframes_edu._utils.validation import check_type

    check_type(path, (str, os.PathLike), "path", hint="the EEG file's path, e.g. 'sub-01_eeg.vhdr'")
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"EEG file {path} does not exist")
    name = path.name.lower()
    if not any(name.endswith(s) for s in EEG_SUFFIXES):
        raise ValueError(f"unknown EEG format {path.suffix!r} for {path.name}; supported endings: "
                         f"{', '.join(EEG_SUFFIXES)}")
    try:
        return mne.io.read_raw(path, preload=preload, verbose="error", **kwargs)
    except Exception as exc:
        raise ValueError(f"cannot read EEG file {path} ({type(exc).__name__}: {exc})") from exc
