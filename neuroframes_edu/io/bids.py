"""BIDS: raw EEG through mne-bids, surface BOLD as a derivative named as fMRIPrep names it (GIFTI per
hemisphere or CIFTI, with a JSON sidecar)."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

from neuroframes_edu._utils.atomic import atomic_folder
from neuroframes_edu.io._checks import check_same_recording
from neuroframes_edu.io.gifti import write_gifti_timeseries

#: BIDS derivative pipeline name of the simulated surface fMRI.
BIDS_PIPELINE = "neuroframes-sim"


#: ``space`` entity of each standard mesh (fsaverage's icosahedral orders 3–5, HCP's fs_LR).
SPACES = {"ico3": "fsaverage3", "ico4": "fsaverage4", "ico5": "fsaverage5", "fslr32k": "fsLR"}


def write_bids_dataset(recordings, bids_root: str | Path, task: str | None = None, overwrite: bool = False) -> Path:
    """Write recordings as a BIDS dataset: EEG (BrainVision, with events from the annotations) through
    mne-bids, and the surface BOLD as a derivative named as fMRIPrep names it
    (``derivatives/neuroframes-sim/sub-01/ses-01/func/sub-01_ses-01_task-film_hemi-L_space-fsaverage4_bold.func.gii``,
    or ``…_space-fsLR_den-32k_bold.dtseries.nii`` on fs_LR) with a JSON sidecar giving
    ``RepetitionTime`` and which volumes are valid (``ValidVolumes``, 0/1, a field of this library's own).
    The volume times stay where BIDS keeps them: as ``volume`` events of the EEG, which is what aligns
    the two recordings.

    Parameters
    ----------
    recordings : list of Recording
    bids_root : path
        A new folder (an existing one is replaced only with ``overwrite=True``).
    task : str, optional
        Task label; default each recording's own ``task``, else ``"film"``.

    Returns
    -------
    Path
        ``bids_root``.
    """
    import mne
    import numpy as np
    from mne_bids import BIDSPath, make_dataset_description, write_raw_bids

    from neuroframes_edu._utils.validation import check_sequence, check_type
    from neuroframes_edu.data.alignment import VOLUME_TRIGGER
    from neuroframes_edu.data.recording import Recording
    from neuroframes_edu.io.cifti import write_cifti_dtseries

    recordings = check_sequence(recordings, "recordings", lambda r, name: check_type(r, Recording, name))
    bids_root = Path(bids_root)
    with atomic_folder(bids_root, overwrite=overwrite) as tmp:
        for rec in recordings:
            label = task or rec.task or "film"
            bp = BIDSPath(subject=rec.subject, session=rec.session, task=label, run=rec.run, datatype="eeg",
                          root=tmp)
            raw = rec.raw.copy()
            raw.info["line_freq"] = raw.info["line_freq"] or 50.0
            if VOLUME_TRIGGER not in set(raw.annotations.description):  # the triggers align EEG and BOLD
                raw.set_annotations(raw.annotations + mne.Annotations(
                    rec.volume_times + raw.first_time, np.zeros(rec.n_volumes), [VOLUME_TRIGGER] * rec.n_volumes,
                    orig_time=raw.annotations.orig_time))
            write_raw_bids(raw, bp, format="BrainVision", allow_preload=True, overwrite=True, verbose="error")
            func = tmp / "derivatives" / BIDS_PIPELINE / f"sub-{rec.subject}"
            func = (func / f"ses-{rec.session}" if rec.session else func) / "func"
            func.mkdir(parents=True, exist_ok=True)
            stem = bp.copy().update(datatype=None, suffix=None, extension=None).basename
            space = SPACES[rec.mesh_name]
            if rec.mesh_name == "fslr32k":
                write_cifti_dtseries(rec.bold, func / f"{stem}_space-{space}_den-32k_bold.dtseries.nii", tr=rec.tr,
                                     allow_nonfinite=True)
                sidecar_name = f"{stem}_space-{space}_den-32k_bold.json"
            else:
                n_left = rec.n_vertices // 2
                write_gifti_timeseries(rec.bold, n_left, func / f"{stem}_", tr=rec.tr, allow_nonfinite=True)
                for tag in ("L", "R"):
                    os.replace(func / f"{stem}_hemi-{tag}.func.gii",
                               func / f"{stem}_hemi-{tag}_space-{space}_bold.func.gii")
                sidecar_name = f"{stem}_space-{space}_bold.json"
            sidecar = {"RepetitionTime": round(rec.tr, 6), "ValidVolumes": rec.valid.astype(int).tolist(),
                       "TaskName": label,
                       "Sources": [f"bids::{bp.fpath.relative_to(tmp)}"]}
            (func / sidecar_name).write_text(json.dumps(sidecar, indent=1), encoding="utf-8")
        make_dataset_description(path=tmp, name="neuroframes-edu EEG-fMRI", dataset_type="raw",
                                 overwrite=True, verbose=False)
        make_dataset_description(path=tmp / "derivatives" / BIDS_PIPELINE, name="neuroframes-edu surface BOLD",
                                 dataset_type="derivative", generated_by=[{"Name": "neuroframes-edu"}],
                                 overwrite=True, verbose=False)
    return bids_root


def _matches(name: str, wanted: dict[str, str | None]) -> bool:
    return all(v is None or re.search(rf"(?:^|_){k}-{re.escape(str(v))}(?:_|$)", name) for k, v in wanted.items())


def find_bids_bold(bids_root: str | Path, subject: str, session: str | None = None, task: str | None = None,
                   run: str | None = None, space: str | None = None) -> dict:
    """Find the surface BOLD of one run among a BIDS dataset's derivatives, as fMRIPrep or this library
    writes them.

    Looks in ``derivatives/*/sub-<subject>/[ses-<session>/]func/`` for GIFTI pairs
    (``*_hemi-L_*_bold.func.gii`` with their ``hemi-R`` twin) and CIFTI dense time series
    (``*_bold.dtseries.nii``), whatever the order of the entities, and for their JSON sidecar.

    Parameters
    ----------
    bids_root : path
    subject, session, task, run : str, optional
        Entity labels (``subject="01"``); ``None`` matches any.
    space : str, optional
        E.g. ``"fsaverage5"`` or ``"fsLR"``; needed only when several spaces are present.

    Returns
    -------
    dict
        ``{"bold": (left, right) or cifti_path, "sidecar": dict, "space": str}``.

    Raises
    ------
    FileNotFoundError
        No derivatives, or no surface BOLD for that run (listing the files that were seen).
    ValueError
        Several candidates (listing them, and which argument tells them apart).
    """
    bids_root = Path(bids_root)
    if not (bids_root / "dataset_description.json").is_file():
        raise FileNotFoundError(f"{bids_root} is not a BIDS dataset (no dataset_description.json)")
    folders = sorted((bids_root / "derivatives").glob(f"*/sub-{subject}/" + (f"ses-{session}/" if session else "**/")
                                                      + "func"))
    if not folders:
        raise FileNotFoundError(f"no derivatives/*/sub-{subject}/" + (f"ses-{session}/" if session else "")
                                + f"func folder under {bids_root}; surface BOLD is a derivative (e.g. fMRIPrep's "
                                "--output-spaces fsaverage5 or fsLR)")
    wanted = {"task": task, "run": run, "space": space, "ses": session}
    candidates = []
    for folder in folders:
        for left in sorted(folder.glob("*_hemi-L_*bold.func.gii")):
            right = left.with_name(left.name.replace("_hemi-L_", "_hemi-R_"))
            if right.is_file() and _matches(left.name, wanted):
                candidates.append(("gifti", (left, right)))
        for cifti in sorted(folder.glob("*_bold.dtseries.nii")):
            if _matches(cifti.name, wanted):
                candidates.append(("cifti", cifti))
    if not candidates:
        seen = sorted(p.name for f in folders for p in f.iterdir())
        raise FileNotFoundError(f"no surface BOLD for subject {subject!r} (session {session!r}, task {task!r}, run "
                                f"{run!r}, space {space!r}) in {[str(f) for f in folders]}; files there: {seen[:10]}")
    if len(candidates) > 1:
        names = [c[1][0].name if c[0] == "gifti" else c[1].name for c in candidates]
        raise ValueError(f"{len(candidates)} surface BOLD runs match: {names}; pass space=, task=, run= or session= "
                         "to pick one")
    kind, bold = candidates[0]
    first = bold[0] if kind == "gifti" else bold
    found = re.search(r"_space-([A-Za-z0-9]+)", first.name)
    stem = first.name.split("_bold.")[0]
    sidecars = [first.with_name(stem.replace("_hemi-L", "") + "_bold.json"), first.with_name(stem + "_bold.json")]
    sidecar = {}
    for path in sidecars:
        if path.is_file():
            sidecar = json.loads(path.read_text(encoding="utf-8"))
            break
    check_same_recording(first, *(bold if kind == "gifti" else ()))
    return {"bold": bold, "sidecar": sidecar, "space": found.group(1) if found else None}
