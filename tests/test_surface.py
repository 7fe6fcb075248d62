"""fsaverage meshes at three resolutions: counts, closed consistently oriented triangulations, nesting."""

from __future__ import annotations

from functools import cache

import numpy as np
import pytest

from neuroframes_edu.surface import ICO_VERTICES, SURFACE_TYPES, load_fsaverage


@cache
def mesh(resolution):
    return load_fsaverage(resolution)


@pytest.mark.parametrize(("resolution", "n_hemi"), sorted(ICO_VERTICES.items()))
def test_counts(resolution, n_hemi):
    m = mesh(resolution)
    assert m.n_vertices == 2 * n_hemi and m.n_left == n_hemi
    assert len(m.faces) == 2 * (2 * n_hemi - 4)  # closed sphere: F = 2V − 4 per hemisphere
    assert set(m.coordinates) == set(SURFACE_TYPES)
    for coords in m.coordinates.values():
        assert coords.shape == (m.n_vertices, 3) and np.isfinite(coords).all()
    assert m.sulc.shape == m.curv.shape == (m.n_vertices,)
    assert np.bincount(m.hemisphere).tolist() == [n_hemi, n_hemi]


@pytest.mark.parametrize("resolution", sorted(ICO_VERTICES))
@pytest.mark.parametrize("hemi", ["left", "right"])
def test_each_hemisphere_is_a_closed_outward_oriented_sphere(resolution, hemi):
    m = mesh(resolution)
    faces = m.hemisphere_faces(hemi)
    n = m.n_left
    assert faces.min() == 0 and faces.max() == n - 1
    directed = np.concatenate([faces[:, [0, 1]], faces[:, [1, 2]], faces[:, [2, 0]]])
    # consistently oriented and closed: every directed edge once, and its reverse once
    as_set = {tuple(e) for e in directed.tolist()}
    assert len(as_set) == len(directed)
    assert all((b, a) in as_set for a, b in as_set)
    n_edges = len(directed) // 2
    assert n - n_edges + len(faces) == 2  # Euler characteristic of a sphere
    sphere = m.coordinates["sphere"][m.hemisphere_slice(hemi)]
    centred = sphere - sphere.mean(axis=0)
    a, b, c = (centred[faces[:, i]] for i in range(3))
    assert (np.einsum("ij,ij->i", np.cross(b - a, c - a), a + b + c) > 0).all(), "normals must point outwards"


def test_faces_never_cross_hemispheres():
    m = mesh("ico4")
    left = (m.faces < m.n_left).all(axis=1)
    right = (m.faces >= m.n_left).all(axis=1)
    assert (left | right).all() and left.sum() == right.sum()


def test_coarse_levels_are_nested_in_fsaverage5():
    fine = mesh("ico5")
    for resolution in ("ico3", "ico4"):
        coarse = mesh(resolution)
        n = coarse.n_left
        for hemi_offset_coarse, hemi_offset_fine in ((0, 0), (n, fine.n_left)):
            np.testing.assert_array_equal(coarse.coordinates["pial"][hemi_offset_coarse:hemi_offset_coarse + n],
                                          fine.coordinates["pial"][hemi_offset_fine:hemi_offset_fine + n])
            np.testing.assert_array_equal(coarse.sulc[hemi_offset_coarse:hemi_offset_coarse + n],
                                          fine.sulc[hemi_offset_fine:hemi_offset_fine + n])


def test_unknown_resolution():
    with pytest.raises(ValueError, match="resolution must be one of ico3, ico4, ico5, got 'ico6'"):
        load_fsaverage("ico6")


def test_check_values_rejects_wrong_length_and_nan():
    m = mesh("ico3")
    assert m.check_values(np.zeros(m.n_vertices)).shape == (m.n_vertices,)
    with pytest.raises(ValueError, match=r"values has shape \(10,\) but mesh 'fsaverage5-ico3' has 1284 vertices"):
        m.check_values(np.zeros(10))
    bad = np.zeros(m.n_vertices)
    bad[3] = np.nan
    with pytest.raises(ValueError, match="1 NaN or infinite"):
        m.check_values(bad, name="activity")


def test_hemisphere_slice_rejects_unknown_names():
    with pytest.raises(ValueError, match="hemi must be 'left' or 'right'"):
        mesh("ico3").hemisphere_slice("both")


def test_nilearn_conversions():
    m = mesh("ico3")
    poly = m.to_polymesh("inflated")
    assert poly.parts["left"].n_vertices == m.n_left
    img = m.to_surface_image(np.arange(m.n_vertices, dtype=float))
    assert img.data.parts["right"][0] == m.n_left
    with pytest.raises(ValueError, match="surface must be one of"):
        m.to_polymesh("flat")
    with pytest.raises(ValueError, match="values has 3 rows"):
        m.to_surface_image(np.zeros(3))
