"""Surface time series as GIFTI: one ``.func.gii`` file per hemisphere, one data array per volume."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from neuroframes_edu._utils.atomic import atomic_file
from neuroframes_edu._utils.validation import check_int, check_number, check_type, check_writable
from neuroframes_edu.io._checks import check_same_recording, check_timeseries


def write_gifti_timeseries(data, n_left: int, path_prefix: str | Path, tr: float | None = None,
                           overwrite: bool = False, allow_nonfinite: bool = False) -> dict[str, Path]:
    """Write a ``(n_volumes, n_vertices)`` time series as one GIFTI file per hemisphere.

    Files are ``{path_prefix}hemi-L.func.gii`` and ``{path_prefix}hemi-R.func.gii``; each volume is
    one data array with the ``NIFTI_INTENT_TIME_SERIES`` intent, and ``tr`` is stored in the metadata.

    Returns
    -------
    dict
        ``{"left": path, "right": path}``.
    """
    import nibabel as nib

    if tr is not None:
        tr = check_number(tr, "tr", minimum=0, include_minimum=False)
    data = check_timeseries(data, None, allow_nonfinite=allow_nonfinite)
    n_left = check_int(n_left, f"n_left (vertices of the left hemisphere, in 1..{data.shape[1] - 1})", minimum=1,
                       maximum=data.shape[1] - 1)
    for tag in ("L", "R"):  # both refused before either is written: no half-written pair on disk
        check_writable(f"{path_prefix}hemi-{tag}.func.gii", "path_prefix", overwrite=overwrite)
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


def read_gifti_timeseries(left: str | Path, right: str | Path, mesh=None, allow_nonfinite: bool = False) -> np.ndarray:
    """Read a per-hemisphere pair of GIFTI time series (``.func.gii``) into ``(n_volumes, n_vertices)``.

    Parameters
    ----------
    left, right : path
        The two hemispheres' files.
    mesh : CorticalMesh, optional
        Check that each hemisphere has as many vertices as the mesh's.
    allow_nonfinite : bool
        Return volumes that hold NaN (scrubbed volumes) instead of refusing them.

    Raises
    ------
    FileNotFoundError, ValueError
        Missing or unreadable file, the hemispheres swapped (by their ``hemi-`` name or their
        ``AnatomicalStructurePrimary``), hemispheres with different numbers of volumes, vertex
        counts that do not match ``mesh``, or a time series stored as one 2-D array whose orientation
        is in doubt (below).

    Notes
    -----
    A file may hold the whole series as one 2-D data array instead of one array per volume. GIFTI
    stores it as (vertices, volumes); with ``mesh`` the axis that matches the hemisphere's vertex count
    is taken as the vertices, whichever it is. Without ``mesh`` an array whose *second* axis has the
    size of a template hemisphere (fsaverage ico3–ico7, fs_LR 32k) and whose first does not is
    refused rather than read transposed: pass ``mesh=``.
    """
    import nibabel as nib

    from neuroframes_edu.surface.mesh import CorticalMesh

    check_type(mesh, (CorticalMesh, None), "mesh", hint='load it with load_mesh("ico4")')
    check_same_recording(left, right)
    for hemi, path, other in (("left", left, "R"), ("right", right, "L")):
        if f"hemi-{other}" in Path(path).name:
            raise ValueError(f"{hemi}: {Path(path).name} is the hemi-{other} file; pass (left, right) in that order")
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
        structure = img.meta.get("AnatomicalStructurePrimary", "") if img.meta is not None else ""
        wrong = {"left": "CortexRight", "right": "CortexLeft"}[hemi]
        if structure == wrong:
            raise ValueError(f"{hemi}: {path.name} says it holds {structure}; pass (left, right) in that order")
        stacked = np.stack(arrays) if arrays[0].ndim == 1 else _one_array(arrays, path, hemi, mesh)
        if mesh is not None:
            expected = mesh.hemisphere_slice(hemi).stop - mesh.hemisphere_slice(hemi).start
            if stacked.shape[1] != expected:
                raise ValueError(f"{path} has {stacked.shape[1]} vertices but the {hemi} hemisphere of mesh "
                                 f"{mesh.name!r} has {expected}; load the mesh the data were sampled on")
        parts.append(stacked)
    if parts[0].shape[0] != parts[1].shape[0]:
        raise ValueError(f"left has {parts[0].shape[0]} volumes but right has {parts[1].shape[0]}")
    return check_timeseries(np.hstack(parts), None, name=f"{Path(left).name} + {Path(right).name}",
                            allow_nonfinite=allow_nonfinite)


#: Vertices per hemisphere of the template meshes (fsaverage ico3–ico7, fs_LR 32k).
_HEMISPHERE_SIZES = (642, 2562, 10242, 40962, 163842, 32492)


def _one_array(arrays, path: Path, hemi: str, mesh) -> np.ndarray:
    """``(n_volumes, n_vertices)`` from a file holding its series as one 2-D array (see Notes above)."""
    if len(arrays) != 1 or arrays[0].ndim != 2:
        raise ValueError(f"{path} holds {len(arrays)} data arrays of {arrays[0].ndim} dimensions; expected one "
                         "1-D array per volume or a single 2-D (vertices, volumes) array")
    data = np.asarray(arrays[0])
    rows, cols = data.shape
    if mesh is not None:
        expected = mesh.hemisphere_slice(hemi).stop - mesh.hemisphere_slice(hemi).start
        if rows == expected:
            return data.T
        if cols == expected:
            return data
        raise ValueError(f"{path} has a {rows} × {cols} array but the {hemi} hemisphere of mesh {mesh.name!r} has "
                         f"{expected} vertices; load the mesh the data were sampled on")
    if cols in _HEMISPHERE_SIZES and rows not in _HEMISPHERE_SIZES:
        raise ValueError(f"{path} stores a {rows} × {cols} array: {cols} is the vertex count of a template "
                         f"hemisphere, so it looks like (volumes, vertices), against GIFTI's (vertices, volumes); "
                         "pass mesh= to read it by its vertex count")
    return data.T
