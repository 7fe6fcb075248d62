"""CineBrain-style folders of per-TR files: ``eeg/NNNNNN.npy`` and ``fmri/NNNNNN.npy``."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from neuroframes_edu._utils.atomic import atomic_folder


def write_cinebrain_folder(eeg_segments, frames, folder: str | Path, overwrite: bool = False) -> Path:
    """Write per-TR files in the CineBrain-style layout read by :func:`read_cinebrain_folder`."""
    from neuroframes_edu._utils.validation import check_array

    # read_cinebrain_folder refuses NaN: refuse it here too, rather than write what cannot be read back
    eeg_segments = check_array(eeg_segments, "eeg_segments", axes="(n_trs, channels, samples)")
    frames = check_array(frames, "frames", axes="(n_trs, vertices)")
    if eeg_segments.ndim != 3 or frames.ndim != 2 or len(eeg_segments) != len(frames):
        raise ValueError(f"need eeg_segments (n_trs, channels, samples) and frames (n_trs, vertices) of equal "
                         f"length; got {eeg_segments.shape} and {frames.shape}")
    with atomic_folder(folder, overwrite=overwrite) as tmp:
        (tmp / "eeg").mkdir()
        (tmp / "fmri").mkdir()
        for i, (seg, frame) in enumerate(zip(eeg_segments, frames, strict=True)):
            np.save(tmp / "eeg" / f"{i:06d}.npy", seg.astype(np.float32))
            np.save(tmp / "fmri" / f"{i:06d}.npy", frame.astype(np.float32))
    return Path(folder)


def read_cinebrain_folder(folder: str | Path, n_channels: int = 64, samples_per_tr: int | None = 800,
                          n_vertices: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Read a folder of per-TR files, the layout CineBrain distributes its paired data in.

    Layout: ``folder/eeg/NNNNNN.npy`` holds the EEG recorded during TR ``N`` (``channels × samples``;
    CineBrain: 64 channels × 800 samples at 1 kHz for a 0.8 s TR) and ``folder/fmri/NNNNNN.npy`` the
    z-scored fMRI frame of that TR (one value per vertex; CineBrain: 91,282 grayordinates, of which
    :func:`read_cifti_dtseries` explains the cortical 59,412). TR numbers must run without gaps.

    Returns
    -------
    eeg : ndarray, shape (n_trs, n_channels, samples_per_tr)
    frames : ndarray, shape (n_trs, n_vertices)

    Raises
    ------
    FileNotFoundError, ValueError
        Missing sub-folders, unpaired or missing TRs, or arrays of the wrong shape (naming the file).
    """
    folder = Path(folder)
    for sub in ("eeg", "fmri"):
        if not (folder / sub).is_dir():
            raise FileNotFoundError(f"{folder} has no {sub}/ sub-folder; expected {folder}/eeg/000000.npy and "
                                    f"{folder}/fmri/000000.npy, one file per TR")
    eeg_files = sorted((folder / "eeg").glob("*.npy"))
    fmri_files = sorted((folder / "fmri").glob("*.npy"))
    if not eeg_files:
        raise ValueError(f"{folder}/eeg holds no .npy files")
    eeg_ids, fmri_ids = [p.stem for p in eeg_files], [p.stem for p in fmri_files]
    if eeg_ids != fmri_ids:
        unpaired = sorted(set(eeg_ids) ^ set(fmri_ids))
        raise ValueError(f"EEG and fMRI TRs do not pair up; unpaired TRs: {unpaired[:10]}")
    numbers = [int(s) for s in eeg_ids]
    if numbers != list(range(numbers[0], numbers[0] + len(numbers))):
        gaps = sorted(set(range(numbers[0], numbers[-1] + 1)) - set(numbers))
        raise ValueError(f"TRs are missing from {folder}: {gaps[:10]}")
    eeg, frames = [], []
    for e, f in zip(eeg_files, fmri_files, strict=True):
        seg, frame = np.load(e), np.load(f)
        if seg.ndim != 2 or seg.shape[0] != n_channels or (samples_per_tr and seg.shape[1] != samples_per_tr):
            raise ValueError(f"{e} has shape {seg.shape}; expected ({n_channels}, {samples_per_tr or 'samples'}) "
                             "(channels × samples of one TR); pass n_channels=/samples_per_tr= for other layouts")
        if frame.ndim != 1 or (n_vertices and frame.shape[0] != n_vertices):
            raise ValueError(f"{f} has shape {frame.shape}; expected ({n_vertices or 'n_vertices'},)")
        eeg.append(seg)
        frames.append(frame)
    eeg, frames = np.stack(eeg), np.stack(frames)
    if len({s.shape for s in frames}) != 1:
        raise ValueError("fMRI frames differ in length")
    for name, arr in (("EEG", eeg), ("fMRI", frames)):
        if not np.isfinite(arr).all():
            raise ValueError(f"{name} files in {folder} contain NaN or infinite values")
    return eeg, frames
