"""Regions of interest: landmarks snap to nearby vertices; fsaverage regions are bilateral and local."""

from __future__ import annotations

import numpy as np
import pytest


def test_landmarks_snap_to_nearby_vertices(mesh):
    from neuroframes_edu.surface.regions import FSAVERAGE_LANDMARKS

    m = mesh("ico5")
    for lm in FSAVERAGE_LANDMARKS.values():
        v = m.landmark_vertex(lm, "left")
        assert v < m.n_left
        assert np.linalg.norm(m.coordinates["pial"][v] - np.array(lm.mni)) < 8.0, lm.name
        w = m.landmark_vertex(lm, "right")
        assert w >= m.n_left and m.coordinates["pial"][w][0] > 0


@pytest.mark.parametrize("resolution", ["ico3", "ico5"])
def test_fsaverage_rois_are_bilateral_and_local(resolution, mesh):
    from neuroframes_edu.surface.regions import FSAVERAGE_ROIS

    m = mesh(resolution)
    assert set(m.rois) == set(FSAVERAGE_ROIS)
    for name, mask in m.rois.items():
        assert mask.dtype == bool and mask.shape == (m.n_vertices,)
        assert mask[: m.n_left].any() and mask[m.n_left:].any(), name
        assert mask.mean() < 0.1, f"{name} covers {mask.mean():.0%} of the cortex"
    assert not (m.rois["early_visual"] & m.rois["auditory"]).any()
