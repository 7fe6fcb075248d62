"""Resampling operators between fsaverage levels, and refusal between unrelated meshes."""

from __future__ import annotations

import numpy as np
import pytest


def test_resampling_between_levels(mesh):
    from neuroframes_edu.surface.resample import resample_operator

    coarse, fine = mesh("ico3"), mesh("ico5")
    up = resample_operator(coarse, fine)
    down = resample_operator(fine, coarse)
    assert up.shape == (fine.n_vertices, coarse.n_vertices) and down.shape == (coarse.n_vertices, fine.n_vertices)
    np.testing.assert_allclose(np.asarray(up.sum(axis=1)).ravel(), 1.0)
    assert (up.data >= 0).all()
    # nested numbering: downsampling picks vertices; going up and down again is the identity
    assert down.nnz == coarse.n_vertices
    x = np.random.default_rng(0).standard_normal(coarse.n_vertices)
    np.testing.assert_allclose(down @ (up @ x), x)
    # a smooth field (a coordinate of the sphere) is interpolated closely
    truth = fine.coordinates["sphere"][:, 2]
    err = np.abs(up @ coarse.coordinates["sphere"][:, 2] - truth)
    assert err.max() < 1.0  # mm, on a sphere of radius 100 mm


def test_resampling_refuses_unrelated_meshes(mesh):
    from neuroframes_edu.surface.mesh import CorticalMesh
    from neuroframes_edu.surface.resample import resample_operator

    m = mesh("ico3")
    other = CorticalMesh(name="other", coordinates=m.coordinates, faces=m.faces, n_left=m.n_left, sulc=m.sulc,
                         metadata={"source": "elsewhere"})
    with pytest.raises(ValueError, match="not co-registered"):
        resample_operator(m, other)
