"""A recording in an open folder layout, the form of the course's data cache.

``eeg_raw.fif`` (MNE), ``bold_hemi-L.func.gii`` / ``bold_hemi-R.func.gii`` (GIFTI time series, or
``bold.dtseries.nii`` on fs_LR), ``ground_truth.npz`` (only for simulated recordings) and
``recording.json`` (everything else: identifiers, volume times and status, the simulation's settings).

Introduced in notebook 02.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from neuroframes_edu._utils.atomic import atomic_folder
from neuroframes_edu.data.recording import GroundTruth, Recording

FORMAT = "neuroframes-edu recording"
_TRUTH_ARRAYS = ("bold_clean", "frames", "frame_times", "noise_ceiling", "network_activity", "neural_times",
                 "network_maps", "spontaneous_activity", "spontaneous_maps", "source_log_power", "source_power_times")


def save_recording(rec: Recording, folder: str | Path, overwrite: bool = False) -> Path:
    """Write ``rec`` to ``folder`` (see :func:`load_recording`), atomically.

    Raises
    ------
    FileExistsError
        If ``folder`` exists and ``overwrite`` is False.
    """
    from neuroframes_edu.io import write_cifti_dtseries, write_gifti_timeseries

    folder = Path(folder)
    with atomic_folder(folder, overwrite=overwrite) as tmp:
        rec.raw.save(tmp / "eeg_raw.fif", overwrite=True, verbose="error")
        if rec.mesh_name == "fslr32k":
            write_cifti_dtseries(rec.bold, tmp / "bold.dtseries.nii", tr=rec.tr, allow_nonfinite=True)
        else:
            write_gifti_timeseries(rec.bold, rec.n_vertices // 2, tmp / "bold_", tr=rec.tr, allow_nonfinite=True)
        meta = {"format": FORMAT, "version": 2, "subject": rec.subject, "session": rec.session, "task": rec.task,
                "run": rec.run, "mesh": rec.mesh_name, "window": rec.window, "offset": rec.offset, "part": rec.part,
                "volume_times": rec.volume_times.tolist(), "volume_status": rec.volume_status.tolist(),
                "valid": rec.valid.astype(int).tolist()}
        truth = rec.truth
        if truth is not None:
            arrays = {k: getattr(truth, k) for k in _TRUTH_ARRAYS if getattr(truth, k) is not None}
            arrays.update({f"extra_{k}": v for k, v in truth.extras.items() if isinstance(v, np.ndarray)})
            np.savez(tmp / "ground_truth.npz", **arrays)
            meta["truth"] = {"scenes": truth.scenes, "network_names": list(truth.network_names), "seed": truth.seed,
                             "categories": list(truth.categories), "band_names": list(truth.band_names),
                             "config": truth.config.to_dict() if truth.config is not None else None,
                             "extras": {k: v for k, v in truth.extras.items() if not isinstance(v, np.ndarray)}}
        (tmp / "recording.json").write_text(json.dumps(meta, indent=1), encoding="utf-8")
    return folder


def load_recording(folder: str | Path) -> Recording:
    """Load a recording written by :func:`save_recording`.

    Raises
    ------
    FileNotFoundError
        If the folder or one of its files is missing (naming it).
    ValueError
        If a file is unreadable or the parts disagree.
    """
    import os

    from neuroframes_edu._utils.validation import check_type
    from neuroframes_edu.io import read_cifti_dtseries, read_eeg, read_gifti_timeseries

    check_type(folder, (str, os.PathLike), "folder")
    folder = Path(folder)
    meta_path = folder / "recording.json"
    if not meta_path.is_file():
        raise FileNotFoundError(f"{folder} is not a recording folder: missing recording.json")
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise ValueError(f"{meta_path} is not valid JSON ({exc})") from exc
    if meta.get("format") != FORMAT:
        raise ValueError(f"{meta_path} is not a {FORMAT} description")
    needed = ["eeg_raw.fif"] + (["bold.dtseries.nii"] if meta["mesh"] == "fslr32k" else
                                ["bold_hemi-L.func.gii", "bold_hemi-R.func.gii"])
    needed += ["ground_truth.npz"] if "truth" in meta else []
    missing = [n for n in needed if not (folder / n).is_file()]
    if missing:
        raise FileNotFoundError(f"{folder} is not a complete recording folder: missing {', '.join(missing)}")
    raw = read_eeg(folder / "eeg_raw.fif")
    if meta["mesh"] == "fslr32k":
        bold, _ = read_cifti_dtseries(folder / "bold.dtseries.nii", allow_nonfinite=True)
    else:
        bold = read_gifti_timeseries(folder / "bold_hemi-L.func.gii", folder / "bold_hemi-R.func.gii",
                                     allow_nonfinite=True)
    truth = None
    if "truth" in meta:
        from neuroframes_edu.simulate import SimulationConfig

        t = meta["truth"]
        with np.load(folder / "ground_truth.npz") as arrays:
            loaded = {k: arrays[k] for k in arrays.files}
        extras = {**t["extras"], **{k.removeprefix("extra_"): v for k, v in loaded.items() if k.startswith("extra_")}}
        truth = GroundTruth(**{k: loaded.get(k) for k in _TRUTH_ARRAYS}, scenes=t["scenes"],
                            network_names=tuple(t["network_names"]), categories=tuple(t["categories"]),
                            band_names=tuple(t.get("band_names", ())),
                            seed=t["seed"], extras=extras,
                            config=SimulationConfig.from_dict(t["config"]) if t["config"] else None)
    rec = Recording(raw, bold, meta["volume_times"], mesh=meta["mesh"], valid=np.asarray(meta["valid"], dtype=bool),
                    subject=meta["subject"], session=meta["session"], task=meta["task"], run=meta["run"],
                    truth=truth, volume_status=meta["volume_status"], window=meta["window"], offset=meta["offset"])
    rec.part = meta["part"]
    return rec
