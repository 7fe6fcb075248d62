"""Moving per-vertex maps between meshes that share a spherical registration.

:func:`resample_operator` builds a sparse matrix from one mesh to another, e.g. between the
fsaverage levels ico3 / ico4 / ico5: downsampling picks the vertices that the nested numbering shares,
upsampling interpolates barycentrically on the sphere. Training and evaluation use them to bring
BOLD simulated on one mesh onto the (often coarser) mesh that a model works on.

Introduced in notebook 01.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from neuroframes_edu.surface.mesh import CorticalMesh
from neuroframes_edu.surface.regions import HEMISPHERES


def _unit_sphere(mesh: CorticalMesh, hemi: str) -> np.ndarray:
    pts = mesh.coordinates["sphere"][mesh.hemisphere_slice(hemi)]
    return pts / np.linalg.norm(pts, axis=1, keepdims=True)


def resample_operator(source: CorticalMesh, target: CorticalMesh) -> sp.csr_matrix:
    """Sparse operator that maps per-vertex values from ``source`` to ``target``: ``target_values = R @ values``.

    Both meshes must share a spherical registration (the fsaverage levels do). Each target vertex
    takes the value of the source vertex at the same place on the sphere when there is one (the
    nested fsaverage numbering: downsampling is exact subsampling), and otherwise interpolates
    barycentrically inside the source triangle that contains it (upsampling). Rows sum to 1, so
    constant maps stay constant.

    Returns
    -------
    scipy.sparse.csr_matrix, shape (target.n_vertices, source.n_vertices)

    Raises
    ------
    ValueError
        If the meshes come from different families (e.g. fsaverage and fs_LR).
    """
    from scipy.spatial import cKDTree

    from neuroframes_edu._utils.validation import check_type

    for name, mesh in (("source", source), ("target", target)):
        check_type(mesh, CorticalMesh, name, hint='load one with load_mesh("ico4")')
    if source.metadata.get("source") != target.metadata.get("source"):
        raise ValueError(
            f"cannot resample between {source.name!r} and {target.name!r}: their spheres are not co-registered; "
            "resample only between resolutions of the same mesh family (ico3/ico4/ico5)"
        )
    rows, cols, vals = [], [], []
    for hemi in HEMISPHERES:
        src, tgt = _unit_sphere(source, hemi), _unit_sphere(target, hemi)
        s0, t0 = source.hemisphere_slice(hemi).start, target.hemisphere_slice(hemi).start
        dist, nearest = cKDTree(src).query(tgt)
        exact = dist < 1e-6
        rows.append(np.flatnonzero(exact) + t0)
        cols.append(nearest[exact] + s0)
        vals.append(np.ones(exact.sum()))
        todo = np.flatnonzero(~exact)
        if todo.size == 0:
            continue
        faces = source.hemisphere_faces(hemi)
        tri = src[faces]  # (n_faces, 3, 3)
        _, candidates = cKDTree(tri.mean(axis=1)).query(tgt[todo], k=min(12, len(faces)))
        # Solve p·t = a + u(b − a) + v(c − a) for each candidate triangle: barycentrics (1 − u − v, u, v).
        a, b, c = (tri[candidates][..., i, :] for i in range(3))
        p = np.broadcast_to(tgt[todo][:, None, :], a.shape)
        system = np.stack([p, a - b, a - c], axis=-1)
        t_uv = np.linalg.solve(system, a[..., None])[..., 0]
        bary = np.stack([1 - t_uv[..., 1] - t_uv[..., 2], t_uv[..., 1], t_uv[..., 2]], axis=-1)
        inside = (bary >= -1e-9).all(axis=-1) & (t_uv[..., 0] > 0)
        pick = np.where(inside.any(axis=1), inside.argmax(axis=1), 0)
        chosen_faces = faces[candidates[np.arange(todo.size), pick]]
        weights = np.clip(bary[np.arange(todo.size), pick], 0, None)
        weights /= weights.sum(axis=1, keepdims=True)
        rows.append(np.repeat(todo + t0, 3))
        cols.append(chosen_faces.ravel() + s0)
        vals.append(weights.ravel())
    op = sp.coo_matrix((np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))),
                       shape=(target.n_vertices, source.n_vertices))
    return op.tocsr()
