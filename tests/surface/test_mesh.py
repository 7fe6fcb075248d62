"""CorticalMesh: per-vertex checks, nilearn conversions, graphs, Laplacians, geometry, geodesics, smoothing."""

from __future__ import annotations

import numpy as np
import pytest

from neuroframes_edu.surface.templates import load_fsaverage


def test_check_values_rejects_wrong_length_and_nan(mesh):
    m = mesh("ico3")
    assert m.check_values(np.zeros(m.n_vertices)).shape == (m.n_vertices,)
    with pytest.raises(ValueError, match=r"values has shape \(10,\) but mesh 'fsaverage5-ico3' has 1284 vertices"):
        m.check_values(np.zeros(10))
    bad = np.zeros(m.n_vertices)
    bad[3] = np.nan
    with pytest.raises(ValueError, match="1 NaN or infinite"):
        m.check_values(bad, name="activity")


def test_hemisphere_slice_rejects_unknown_names(mesh):
    with pytest.raises(ValueError, match="hemi must be 'left' or 'right'"):
        mesh("ico3").hemisphere_slice("both")


def test_nilearn_conversions(mesh):
    m = mesh("ico3")
    poly = m.to_polymesh("inflated")
    assert poly.parts["left"].n_vertices == m.n_left
    img = m.to_surface_image(np.arange(m.n_vertices, dtype=float))
    assert img.data.parts["right"][0] == m.n_left
    with pytest.raises(ValueError, match="surface must be one of"):
        m.to_polymesh("flat")
    with pytest.raises(ValueError, match="values has 3 rows"):
        m.to_surface_image(np.zeros(3))


@pytest.mark.parametrize("resolution", ["ico3", "ico4"])
def test_edges_and_edge_index(resolution, mesh):
    m = mesh(resolution)
    # a closed triangulated sphere has E = 3V − 6 edges per hemisphere
    assert len(m.edges) == 2 * (3 * m.n_left - 6)
    assert (m.edges[:, 0] < m.edges[:, 1]).all()
    ei = m.edge_index.numpy()
    assert ei.shape == (2, 2 * len(m.edges))
    forward = set(map(tuple, ei.T.tolist()))
    assert all((j, i) in forward for i, j in forward), "edge_index must be symmetric"


def test_normalized_adjacency_is_one_gcn_propagation(mesh):
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


def test_laplacians(mesh):
    m = mesh("ico3")
    lap = m.laplacian(normalized=False)
    np.testing.assert_allclose(lap @ np.ones(m.n_vertices), 0, atol=1e-12)
    assert (lap - lap.T).nnz == 0
    eig = np.linalg.eigvalsh(m.laplacian(normalized=True).toarray())
    assert eig.min() > -1e-9 and eig.max() < 2 + 1e-9
    assert np.sum(eig < 1e-9) == 2, "one zero eigenvalue per hemisphere (two connected components)"


def test_adjacency_weights_are_edge_lengths(mesh):
    m = mesh("ico3")
    w = m.adjacency(weighted=True)
    i, j = m.edges[0]
    expected = np.linalg.norm(m.coordinates["midthickness"][i] - m.coordinates["midthickness"][j])
    assert w[i, j] == pytest.approx(expected) and w[j, i] == pytest.approx(expected)


def test_normals_point_outwards_and_areas_add_up(mesh):
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


def test_geodesic_distances(mesh):
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
