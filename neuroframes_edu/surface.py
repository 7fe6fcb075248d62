"""Cortical surface meshes: fsaverage from nilearn (offline), both hemispheres in one vertex array.

Vertices are stacked left hemisphere first, then right; ``faces`` index into that stacked array.
fsaverage numbering is nested: the first 642 / 2,562 / 10,242 vertices of each hemisphere of the
fsaverage5 mesh are the icosahedron levels ico3 / ico4 / ico5, so coarser meshes are subsets of the
finer ones and their triangles come from the convex hull of the sphere coordinates.

Introduced in notebook 00.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

#: Vertices per hemisphere at each icosahedral level that fsaverage5 contains.
ICO_VERTICES = {"ico3": 642, "ico4": 2562, "ico5": 10242}
#: Surface geometries that nilearn ships for fsaverage5 and :class:`CorticalMesh` carries.
SURFACE_TYPES = ("pial", "white", "inflated", "sphere")
HEMISPHERES = ("left", "right")


@dataclass
class CorticalMesh:
    """A two-hemisphere cortical triangle mesh with per-vertex anatomy.

    Parameters
    ----------
    name : str
        E.g. ``"fsaverage5-ico4"``.
    coordinates : dict of str to ndarray, shape (n_vertices, 3)
        Vertex positions in mm for each surface type (``"pial"``, ``"white"``, ``"inflated"``,
        ``"sphere"``), left hemisphere first.
    faces : ndarray of int, shape (n_faces, 3)
        Triangles indexing the stacked vertices; each hemisphere's triangles stay within it.
    n_left : int
        Number of left-hemisphere vertices (the first ``n_left`` rows).
    sulc : ndarray, shape (n_vertices,)
        Sulcal depth (positive in sulci, FreeSurfer convention as shipped by nilearn).
    curv : ndarray, shape (n_vertices,)
        Mean curvature of the white surface.
    """

    name: str
    coordinates: dict[str, np.ndarray]
    faces: np.ndarray
    n_left: int
    sulc: np.ndarray
    curv: np.ndarray
    metadata: dict = field(default_factory=dict)

    @property
    def n_vertices(self) -> int:
        """Total number of vertices, both hemispheres."""
        return int(self.sulc.shape[0])

    @property
    def hemisphere(self) -> np.ndarray:
        """Per-vertex hemisphere label: 0 left, 1 right; shape ``(n_vertices,)``."""
        labels = np.ones(self.n_vertices, dtype=np.int8)
        labels[: self.n_left] = 0
        return labels

    def hemisphere_slice(self, hemi: str) -> slice:
        """Rows of hemisphere ``"left"`` or ``"right"`` in the stacked vertex arrays."""
        if hemi == "left":
            return slice(0, self.n_left)
        if hemi == "right":
            return slice(self.n_left, self.n_vertices)
        raise ValueError(f"hemi must be 'left' or 'right', got {hemi!r}")

    def hemisphere_faces(self, hemi: str) -> np.ndarray:
        """Triangles of one hemisphere, re-indexed from 0 for that hemisphere alone."""
        sl = self.hemisphere_slice(hemi)
        inside = (self.faces >= sl.start).all(axis=1) & (self.faces < sl.stop).all(axis=1)
        return self.faces[inside] - sl.start

    def check_values(self, values, name: str = "values") -> np.ndarray:
        """Validate a per-vertex map; return it as a float array of shape ``(n_vertices,)``.

        Raises
        ------
        ValueError
            If the length does not match the mesh or the values are not finite.
        """
        values = np.asarray(values, dtype=float)
        if values.ndim != 1 or values.shape[0] != self.n_vertices:
            raise ValueError(
                f"{name} has shape {values.shape} but mesh {self.name!r} has {self.n_vertices} vertices; "
                f"pass one value per vertex, shape ({self.n_vertices},)"
            )
        if not np.isfinite(values).all():
            raise ValueError(f"{name} contains {int((~np.isfinite(values)).sum())} NaN or infinite values")
        return values

    def to_polymesh(self, surface: str = "inflated"):
        """This mesh as a nilearn ``PolyMesh`` (one ``InMemoryMesh`` per hemisphere) for plotting."""
        from nilearn.surface import InMemoryMesh, PolyMesh

        if surface not in self.coordinates:
            raise ValueError(f"surface must be one of {sorted(self.coordinates)}, got {surface!r}")
        coords = self.coordinates[surface]
        parts = {h: InMemoryMesh(coords[self.hemisphere_slice(h)], self.hemisphere_faces(h)) for h in HEMISPHERES}
        return PolyMesh(**parts)

    def to_surface_image(self, values, surface: str = "inflated"):
        """Wrap a per-vertex map (or ``(n_vertices, n_frames)`` array) as a nilearn ``SurfaceImage``."""
        from nilearn.surface import SurfaceImage

        values = np.asarray(values)
        if values.shape[0] != self.n_vertices:
            raise ValueError(f"values has {values.shape[0]} rows but mesh {self.name!r} has {self.n_vertices} vertices")
        data = {h: values[self.hemisphere_slice(h)] for h in HEMISPHERES}
        return SurfaceImage(mesh=self.to_polymesh(surface), data=data)


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

    Examples
    --------
    >>> mesh = load_fsaverage("ico3")
    >>> mesh.n_vertices
    1284
    """
    from nilearn import datasets

    if resolution not in ICO_VERTICES:
        raise ValueError(f"resolution must be one of {', '.join(ICO_VERTICES)}, got {resolution!r}")
    n_hemi = ICO_VERTICES[resolution]
    meshes = datasets.load_fsaverage("fsaverage5")
    nilearn_names = {"pial": "pial", "white": "white_matter", "inflated": "inflated", "sphere": "sphere"}
    coordinates = {}
    for ours, theirs in nilearn_names.items():
        parts = meshes[theirs].parts
        coordinates[ours] = np.vstack([np.asarray(parts[h].coordinates, dtype=float)[:n_hemi] for h in HEMISPHERES])

    faces = []
    for i, hemi in enumerate(HEMISPHERES):
        if resolution == "ico5":
            hemi_faces = np.asarray(meshes["pial"].parts[hemi].faces, dtype=np.int64)
        else:
            hemi_faces = _outward_hull_faces(coordinates["sphere"][i * n_hemi:(i + 1) * n_hemi])
        faces.append(hemi_faces + i * n_hemi)

    def _data(kind: str) -> np.ndarray:
        img = datasets.load_fsaverage_data(mesh="fsaverage5", mesh_type="pial", data_type=kind)
        return np.concatenate([np.asarray(img.data.parts[h], dtype=float).ravel()[:n_hemi] for h in HEMISPHERES])

    return CorticalMesh(
        name=f"fsaverage5-{resolution}" if resolution != "ico5" else "fsaverage5",
        coordinates=coordinates,
        faces=np.vstack(faces),
        n_left=n_hemi,
        sulc=_data("sulcal"),
        curv=_data("curvature"),
        metadata={"source": "nilearn fsaverage5", "resolution": resolution},
    )
